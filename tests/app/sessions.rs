//! Server-side sessions: rotation, revocation, replay.

use diesel::prelude::*;
use reqwest::StatusCode;
use subspace::db::schema::sessions;

use crate::helpers::*;

both_backends!(
    signing_in_issues_a_new_session_and_the_old_one_grants_nothing,
    a_cookie_replayed_after_sign_out_gets_the_sign_in_page,
    sessions_live_in_the_database_and_deleting_them_signs_people_out,
    session_cookies_are_http_only_and_same_site_lax,
    a_session_ends_when_idle_too_long,
    a_session_ends_at_its_absolute_limit_however_active,
);

/// A client without a cookie jar that sends exactly `cookie`.
async fn get_with_cookie(app: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    browser_like_client(None)
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

async fn signing_in_issues_a_new_session_and_the_old_one_grants_nothing(app: TestApp) {
    app.set_up_owner().await;
    app.sign_out(&app.client).await;

    // An attacker plants a pre-sign-in session on the victim's browser…
    let victim = browser_like_client(None);
    let page = get_with(&victim, &app.url("/sign-in")).await;
    let planted =
        session_cookie(&page).expect("the sign-in page starts a session for its CSRF token");
    let signed_in = app.sign_in_with(&victim, OWNER_EMAIL, OWNER_PASSWORD).await;
    let issued = session_cookie(&signed_in).expect("sign-in sets a new session cookie");
    assert_ne!(planted, issued);

    // …but the planted cookie is not signed in; the new one is.
    let with_planted = get_with_cookie(&app, "/settings/space", &planted).await;
    assert_eq!(with_planted.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&with_planted), "/sign-in");
    let with_issued = get_with_cookie(&app, "/settings/space", &issued).await;
    assert_eq!(with_issued.status(), StatusCode::OK);
}

async fn a_cookie_replayed_after_sign_out_gets_the_sign_in_page(app: TestApp) {
    let setup = app.set_up_owner().await;
    let cookie = session_cookie(&setup).expect("setup signs in");
    assert_eq!(
        get_with_cookie(&app, "/settings/space", &cookie)
            .await
            .status(),
        StatusCode::OK
    );

    app.sign_out(&app.client).await;
    let replay = get_with_cookie(&app, "/settings/space", &cookie).await;
    assert_eq!(replay.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&replay), "/sign-in");
}

async fn sessions_live_in_the_database_and_deleting_them_signs_people_out(app: TestApp) {
    app.set_up_owner().await;
    let signed_in_rows: i64 = app.run_sql(|conn| {
        sessions::table
            .filter(sessions::user_id.is_not_null())
            .count()
            .get_result(conn)
    });
    assert_eq!(signed_in_rows, 1);

    app.run_sql(|conn| diesel::delete(sessions::table).execute(conn));
    let response = app.get("/settings/space").await;
    assert_eq!(
        location(&response),
        "/sign-in",
        "revoked on the server, so signed out"
    );
}

async fn session_cookies_are_http_only_and_same_site_lax(app: TestApp) {
    let response = app.set_up_owner().await;
    let set_cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(subspace::startup::SESSION_COOKIE))
        .expect("a session cookie")
        .to_ascii_lowercase();
    assert!(set_cookie.contains("httponly"), "{set_cookie}");
    assert!(set_cookie.contains("samesite=lax"), "{set_cookie}");
    assert!(set_cookie.contains("max-age="), "idle expiry: {set_cookie}");
}

async fn a_session_ends_when_idle_too_long(app: TestApp) {
    app.set_up_owner().await;
    let past = subspace::ids::now() - chrono::TimeDelta::minutes(1);
    app.run_sql(|conn| {
        diesel::update(sessions::table)
            .set(sessions::expires_at.eq(past))
            .execute(conn)
    });
    assert_eq!(location(&app.get("/settings/space").await), "/sign-in");
}

async fn a_session_ends_at_its_absolute_limit_however_active(app: TestApp) {
    app.set_up_owner().await;
    let limit = chrono::TimeDelta::from_std(app.settings.session_absolute).unwrap();
    let created = subspace::ids::now() - limit - chrono::TimeDelta::minutes(1);
    app.run_sql(|conn| {
        diesel::update(sessions::table)
            .set(sessions::created_at.eq(created))
            .execute(conn)
    });
    assert_eq!(location(&app.get("/settings/space").await), "/sign-in");
}
