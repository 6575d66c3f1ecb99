//! CSRF: no state changes without the session's token.

use diesel::prelude::*;
use reqwest::StatusCode;
use subspace::db::schema::spaces;

use crate::helpers::*;

both_backends!(
    state_changing_requests_without_the_token_are_refused_and_change_nothing,
    the_token_in_the_htmx_header_is_accepted,
    a_multipart_upload_without_the_token_is_refused,
);

fn space_name(app: &TestApp) -> String {
    app.run_sql(|conn| spaces::table.select(spaces::name).first(conn))
}

async fn state_changing_requests_without_the_token_are_refused_and_change_nothing(app: TestApp) {
    app.set_up_owner().await;
    let cases: [(&str, Option<&str>, &str); 3] = [
        ("/settings/space/name", None, "no token at all"),
        (
            "/settings/space/name",
            Some("forged-token"),
            "a wrong token",
        ),
        ("/sign-out", None, "sign-out needs a token too"),
    ];
    for (path, token, reason) in cases {
        let mut fields = vec![("name", "Hijacked")];
        if let Some(token) = token {
            fields.push(("csrf_token", token));
        }
        let response = app
            .client
            .post(app.url(path))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{reason}");
        assert!(
            response.text().await.unwrap().contains("Form expired"),
            "{reason}"
        );
    }
    assert_eq!(space_name(&app), SPACE_NAME, "nothing changed");
    assert_eq!(
        app.get("/settings/space").await.status(),
        StatusCode::OK,
        "still signed in"
    );

    // Sign-in itself is protected against login CSRF.
    let response = browser_like_client(None)
        .post(app.url("/sign-in"))
        .form(&[("email", OWNER_EMAIL), ("password", OWNER_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

async fn the_token_in_the_htmx_header_is_accepted(app: TestApp) {
    app.set_up_owner().await;
    let token = app.csrf_token(&app.client, "/settings/space").await;
    let response = app
        .client
        .post(app.url("/settings/space/name"))
        .header("HX-Request", "true")
        .header("X-CSRF-Token", token)
        .form(&[("name", "Renamed by htmx")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let partial = response.text().await.unwrap();
    assert!(partial.contains("Saved."));
    assert!(
        !partial.contains("<html"),
        "htmx gets the partial, not a page"
    );
    assert_eq!(space_name(&app), "Renamed by htmx");
}

async fn a_multipart_upload_without_the_token_is_refused(app: TestApp) {
    app.set_up_owner().await;
    let png = crate::images::png_bytes(64, 64);
    let form = reqwest::multipart::Form::new().part(
        "image",
        reqwest::multipart::Part::bytes(png).file_name("logo.png"),
    );
    let response = app
        .client
        .post(app.url("/settings/space/image"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let version: Option<String> =
        app.run_sql(|conn| spaces::table.select(spaces::image_version).first(conn));
    assert_eq!(version, None);
}
