//! Space Settings: rename (plain form and htmx), read-only for other roles.

use diesel::prelude::*;
use reqwest::StatusCode;
use subspace::auth::password;
use subspace::db::schema::{memberships, spaces, users};
use subspace::ids;

use crate::helpers::*;

both_backends!(
    a_super_admin_renames_the_space_and_the_header_follows,
    a_bad_name_is_explained_next_to_the_field_and_kept,
    other_roles_see_space_settings_read_only_and_cannot_change_them,
    an_htmx_rename_error_returns_the_form_partial,
);

fn space_name(app: &TestApp) -> String {
    app.run_sql(|conn| spaces::table.select(spaces::name).first(conn))
}

async fn a_super_admin_renames_the_space_and_the_header_follows(app: TestApp) {
    app.set_up_owner().await;
    let response = app
        .post_form(
            "/settings/space/name",
            "/settings/space",
            &[("name", "  Acme Video  ")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/settings/space?saved=1");
    assert_eq!(space_name(&app), "Acme Video", "trimmed");
    let page = app.get_html("/settings/space?saved=1").await;
    assert!(page.contains("<strong id=\"header-space-name\">Acme Video</strong>"));
    assert!(page.contains("Saved."));
}

async fn a_bad_name_is_explained_next_to_the_field_and_kept(app: TestApp) {
    app.set_up_owner().await;
    let long = "n".repeat(81);
    for (typed, message, reason) in [
        ("   ", "Enter a space name.", "blank"),
        (
            long.as_str(),
            "Keep a space name to 80 characters or fewer.",
            "too long",
        ),
    ] {
        let response = app
            .post_form(
                "/settings/space/name",
                "/settings/space",
                &[("name", typed)],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{reason}"
        );
        let html = response.text().await.unwrap();
        assert!(
            html.contains(&format!("id=\"name-error\">{message}</p>")),
            "{reason}"
        );
        assert!(
            html.contains(&format!("value=\"{typed}\"")),
            "{reason}: what was typed is kept"
        );
    }
    assert_eq!(space_name(&app), SPACE_NAME);
}

async fn an_htmx_rename_error_returns_the_form_partial(app: TestApp) {
    app.set_up_owner().await;
    let token = app.csrf_token(&app.client, "/settings/space").await;
    let response = app
        .client
        .post(app.url("/settings/space/name"))
        .header("HX-Request", "true")
        .form(&[("csrf_token", token.as_str()), ("name", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        html.trim_start()
            .starts_with("<section class=\"card\" id=\"space-name-card\">"),
        "{html}"
    );
    assert!(html.contains("Enter a space name."));
}

/// Adds a person with `role` to the owner's space, straight in the database
/// (inviting people arrives with the members issue).
fn add_member(app: &TestApp, email: &str, role: &str) {
    let hash = password::hash("member password 1").unwrap();
    let space_id: String = app.run_sql(|conn| spaces::table.select(spaces::id).first(conn));
    let user_id = ids::new_id();
    app.run_sql(|conn| {
        diesel::insert_into(users::table)
            .values((
                users::id.eq(&user_id),
                users::name.eq(format!("Member {role}")),
                users::email.eq(email),
                users::password_hash.eq(&hash),
                users::created_at.eq(ids::now()),
            ))
            .execute(conn)?;
        diesel::insert_into(memberships::table)
            .values((
                memberships::id.eq(ids::new_id()),
                memberships::space_id.eq(&space_id),
                memberships::user_id.eq(&user_id),
                memberships::role.eq(role),
                memberships::created_at.eq(ids::now()),
            ))
            .execute(conn)
    });
}

async fn other_roles_see_space_settings_read_only_and_cannot_change_them(app: TestApp) {
    app.set_up_owner().await;
    for role in ["developer", "creator", "viewer"] {
        let email = format!("{role}@example.com");
        add_member(&app, &email, role);
        let member = browser_like_client(None);
        let signed_in = app.sign_in_with(&member, &email, "member password 1").await;
        assert_eq!(signed_in.status(), StatusCode::SEE_OTHER, "{role}");

        let page = get_with(&member, &app.url("/settings/space"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Only a Super admin can change these settings."),
            "{role}"
        );
        assert!(
            !page.contains("action=\"/settings/space/name\""),
            "{role}: no rename form"
        );
        assert!(page.contains(SPACE_NAME), "{role}: sees the name");

        let response = post_form_with(
            &app,
            &member,
            "/settings/space/name",
            "/settings/space",
            &[("name", "Mine now")],
        )
        .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{role}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("does not allow you to change this space"),
            "{role}"
        );
        assert_eq!(space_name(&app), SPACE_NAME, "{role}: unchanged");

        // With htmx the refusal lands in the page's alert region, not in the form.
        let token = app.csrf_token(&member, "/settings/space").await;
        let refused = member
            .post(app.url("/settings/space/name"))
            .header("HX-Request", "true")
            .form(&[("csrf_token", token.as_str()), ("name", "Mine now")])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{role}");
        assert_eq!(refused.headers()["hx-retarget"], "#flash", "{role}");
        let alert = refused.text().await.unwrap();
        assert!(
            alert.starts_with("<div class=\"alert error\"><strong>Not allowed.</strong>"),
            "{role}: {alert}"
        );
    }
}
