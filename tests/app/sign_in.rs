//! Signing in and out.

use reqwest::StatusCode;

use crate::helpers::*;

both_backends!(
    the_owner_signs_out_and_back_in,
    a_wrong_password_and_an_unknown_email_get_the_same_neutral_message,
    signed_out_visitors_are_sent_to_sign_in,
    email_case_and_spaces_do_not_matter_at_sign_in,
);

async fn the_owner_signs_out_and_back_in(app: TestApp) {
    app.set_up_owner().await;
    let out = app.sign_out(&app.client).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&out), "/sign-in");
    assert_eq!(location(&app.get("/").await), "/sign-in", "signed out");

    let signed_in = app
        .sign_in_with(&app.client, OWNER_EMAIL, OWNER_PASSWORD)
        .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&signed_in), "/");
    assert!(app.get_html("/").await.contains(SPACE_NAME));
}

async fn a_wrong_password_and_an_unknown_email_get_the_same_neutral_message(app: TestApp) {
    app.set_up_owner().await;
    let visitor = browser_like_client(None);
    let mut bodies = Vec::new();
    for (email, password, reason) in [
        (OWNER_EMAIL, "not the password at all", "wrong password"),
        ("nobody@example.com", OWNER_PASSWORD, "unknown email"),
    ] {
        let response = app.sign_in_with(&visitor, email, password).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{reason}");
        let html = response.text().await.unwrap();
        assert!(
            html.contains("That email and password do not match an account."),
            "{reason}"
        );
        assert!(
            html.contains(&format!("value=\"{email}\"")),
            "{reason}: the email is kept"
        );
        bodies.push(
            html.replace(email, "EMAIL")
                .replace(&csrf_token_in(&html).unwrap(), "TOKEN"),
        );
    }
    // Apart from the echoed email and the token, the two answers are identical.
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.contains("X-CSRF-Token"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&bodies[0]), strip(&bodies[1]));
}

async fn signed_out_visitors_are_sent_to_sign_in(app: TestApp) {
    app.set_up_owner().await;
    let visitor = browser_like_client(None);
    for path in ["/", "/settings/space"] {
        let response = get_with(&visitor, &app.url(path)).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&response), "/sign-in", "{path}");
    }
}

async fn email_case_and_spaces_do_not_matter_at_sign_in(app: TestApp) {
    app.set_up_owner().await;
    let visitor = browser_like_client(None);
    let response = app
        .sign_in_with(&visitor, "  ADA@Example.com ", OWNER_PASSWORD)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}
