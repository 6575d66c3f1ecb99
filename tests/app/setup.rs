//! First-run setup.

use diesel::prelude::*;
use reqwest::StatusCode;
use subspace::db::schema::{memberships, spaces, users};

use crate::helpers::*;

both_backends!(
    a_fresh_install_sends_everyone_to_setup,
    setup_creates_the_owner_as_super_admin_and_signs_them_in,
    setup_is_refused_once_an_owner_exists,
    setup_shows_each_error_next_to_its_field_and_keeps_what_was_typed,
);

async fn a_fresh_install_sends_everyone_to_setup(app: TestApp) {
    for path in ["/", "/sign-in"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&response), "/setup", "{path}");
    }
    let html = app.get_html("/setup").await;
    for label in [
        "Your name",
        "Email",
        "Password",
        "Space name",
        "Space image",
    ] {
        assert!(html.contains(label), "setup page shows {label}");
    }
}

async fn setup_creates_the_owner_as_super_admin_and_signs_them_in(app: TestApp) {
    let response = app.set_up_owner().await;
    assert_eq!(location(&response), "/");

    let home = app.get_html("/").await;
    assert!(home.contains(SPACE_NAME), "the header names the space");
    assert!(
        home.contains(OWNER_NAME),
        "the account menu names the owner"
    );
    assert!(home.contains("Super admin"));

    let (email, role, parent): (String, String, Option<String>) = app.run_sql(|conn| {
        users::table
            .inner_join(memberships::table.inner_join(spaces::table))
            .select((users::email, memberships::role, spaces::parent_id))
            .first(conn)
    });
    assert_eq!(email, OWNER_EMAIL);
    assert_eq!(role, "super_admin");
    assert_eq!(parent, None, "the first space is a root space");
}

async fn setup_is_refused_once_an_owner_exists(app: TestApp) {
    app.set_up_owner().await;

    // Someone else, in another browser, tries to claim the install.
    let intruder = browser_like_client(None);
    let page = get_with(&intruder, &app.url("/setup")).await;
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&page), "/sign-in");

    let token = app.csrf_token(&intruder, "/sign-in").await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .text("name", "Mallory")
        .text("email", "mallory@example.com")
        .text("password", "a long enough password")
        .text("space_name", "Takeover");
    let response = intruder
        .post(app.url("/setup"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert!(response.text().await.unwrap().contains("already set up"));

    let (people, spaces): (i64, i64) = app.run_sql(|conn| {
        Ok((
            users::table.count().get_result(conn)?,
            spaces::table.count().get_result(conn)?,
        ))
    });
    assert_eq!((people, spaces), (1, 1), "nothing was created");
}

async fn setup_shows_each_error_next_to_its_field_and_keeps_what_was_typed(app: TestApp) {
    let token = app.csrf_token(&app.client, "/setup").await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .text("name", "Grace Hopper")
        .text("email", "grace-at-example")
        .text("password", "short")
        .text("space_name", "   ");
    let response = app
        .client
        .post(app.url("/setup"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();

    let cases = [
        (
            "email-error",
            "Enter an email address like name@example.com.",
            "malformed email",
        ),
        (
            "password-error",
            "Use at least 10 characters for your password.",
            "short password",
        ),
        (
            "space_name-error",
            "Enter a space name.",
            "blank space name",
        ),
    ];
    for (id, message, reason) in cases {
        assert!(
            html.contains(&format!("id=\"{id}\">{message}</p>")),
            "{reason}: expected {message} in #{id}"
        );
    }
    assert!(
        !html.contains("id=\"name-error\""),
        "a valid name gets no error"
    );
    assert!(html.contains("value=\"Grace Hopper\""), "the name is kept");
    assert!(
        html.contains("value=\"grace-at-example\""),
        "the email is kept as typed"
    );
    assert!(
        !html.contains("value=\"short\""),
        "the password is never echoed back"
    );

    let people: i64 = app.run_sql(|conn| users::table.count().get_result(conn));
    assert_eq!(people, 0);
}
