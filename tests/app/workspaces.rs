//! Sub-workspaces: creation, the gear dialog, billing roots, archive and
//! restore, switching, and siblings that never see each other.

use diesel::prelude::*;
use reqwest::StatusCode;
use subspace::db::schema::{audit_events, spaces};

use crate::helpers::*;

both_backends!(
    an_admin_creates_a_sub_workspace_and_the_invited_creator_sees_it_but_not_its_settings,
    the_gear_dialog_saves_settings_with_htmx_and_without_javascript,
    only_billing_roots_have_sub_workspaces_and_subscriptions,
    archiving_needs_the_typed_name_and_ends_members_access_until_restored,
    siblings_never_see_each_other,
    bad_settings_are_explained_next_to_their_field,
);

async fn switch_to(app: &TestApp, client: &reqwest::Client, space_id: &str) {
    let response =
        post_form_with(app, client, &format!("/spaces/{space_id}/switch"), "/", &[]).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "switching to {space_id}"
    );
}

async fn an_admin_creates_a_sub_workspace_and_the_invited_creator_sees_it_but_not_its_settings(
    app: TestApp,
) {
    app.set_up_owner().await;
    let alpha = app
        .create_workspace(
            &app.client,
            "Client Alpha",
            "inherited",
            &[("alpha@example.com", "creator")],
        )
        .await;
    let list = app.get_html("/settings/workspaces").await;
    assert!(
        list.contains("aria-label=\"Settings for Client Alpha\""),
        "the gear button is named"
    );
    assert!(list.contains(&format!("href=\"/workspaces/{alpha}/settings\"")));
    assert!(list.contains("Uses Acme Studio's plan"));

    let mail = app.outbox();
    assert_eq!(mail.len(), 1);
    assert!(mail[0].contains("invited you to join Client Alpha on Subspace as Creator"));
    let creator = app
        .accept_as_new_person(&invitation_path_in(&mail[0]).unwrap(), "Alpha Creator")
        .await;
    let home = get_with(&creator, &app.url("/"))
        .await
        .text()
        .await
        .unwrap();
    assert!(home.contains("<h1>Client Alpha</h1>"));
    assert!(
        !home.contains("Switch space"),
        "the creator is in one space only"
    );
    assert!(
        !home.contains("Members &amp; Workspaces"),
        "no admin links in the menu"
    );

    assert_eq!(
        get_with(&creator, &app.url(&format!("/workspaces/{alpha}/settings")))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get_with(&creator, &app.url("/settings/workspaces"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get_with(&creator, &app.url("/settings/members"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert!(
        app.get_html("/settings/workspaces")
            .await
            .contains("<td>1</td>"),
        "member count"
    );
}

async fn the_gear_dialog_saves_settings_with_htmx_and_without_javascript(app: TestApp) {
    app.set_up_owner().await;
    let alpha = app
        .create_workspace(&app.client, "Client Alpha", "inherited", &[])
        .await;
    let path = format!("/workspaces/{alpha}/settings");

    let dialog = app
        .client
        .get(app.url(&path))
        .header("HX-Request", "true")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        dialog.trim_start().starts_with("<dialog"),
        "htmx gets the dialog: {dialog}"
    );
    let page = app.get_html(&path).await;
    assert!(
        page.contains("<html") && page.contains("Settings for Client Alpha"),
        "a full page without JavaScript"
    );

    let save = |htmx: bool, name: &'static str| {
        let (client, url, app_ref) = (app.client.clone(), app.url(&path), &app);
        async move {
            let token = app_ref.csrf_token(&client, "/settings/workspaces").await;
            let form = reqwest::multipart::Form::new()
                .text("csrf_token", token)
                .text("name", name)
                .text("billing", "inherited")
                .text("api_access", "on");
            let mut request = client.post(url).multipart(form);
            if htmx {
                request = request.header("HX-Request", "true");
            }
            request.send().await.unwrap()
        }
    };
    let with_htmx = save(true, "Client Alpha EU").await;
    assert_eq!(with_htmx.status(), StatusCode::OK);
    assert_eq!(
        with_htmx.headers()["hx-redirect"],
        "/settings/workspaces?notice=saved"
    );
    let (name, api, strict): (String, bool, bool) = app.run_sql(|conn| {
        spaces::table
            .find(&alpha)
            .select((spaces::name, spaces::api_access, spaces::strict_quota))
            .first(conn)
    });
    assert_eq!(
        (name.as_str(), api, strict),
        ("Client Alpha EU", true, false)
    );

    let plain = save(false, "Client Alpha").await;
    assert_eq!(plain.status(), StatusCode::SEE_OTHER);
    assert!(
        app.get_html("/settings/workspaces?notice=saved")
            .await
            .contains("Settings saved.")
    );
    let logged: i64 = app.run_sql(|conn| {
        audit_events::table
            .filter(audit_events::action.eq("workspace.settings_changed"))
            .count()
            .get_result(conn)
    });
    assert_eq!(logged, 2);
}

async fn only_billing_roots_have_sub_workspaces_and_subscriptions(app: TestApp) {
    app.set_up_owner().await;
    assert_eq!(
        app.get("/settings/subscription").await.status(),
        StatusCode::OK
    );
    let inherited = app
        .create_workspace(&app.client, "Team Inherited", "inherited", &[])
        .await;
    let separate = app
        .create_workspace(&app.client, "Team Separate", "separate", &[])
        .await;

    switch_to(&app, &app.client, &inherited).await;
    let menu = app.get_html("/").await;
    assert!(
        !menu.contains("href=\"/settings/subscription\""),
        "not linked in an inherited-billing sub-workspace"
    );
    assert_eq!(
        app.get("/settings/subscription").await.status(),
        StatusCode::NOT_FOUND,
        "nor reachable"
    );
    assert!(
        app.get_html("/settings/workspaces")
            .await
            .contains("uses its parent's plan, so it cannot have sub-workspaces")
    );
    assert_eq!(
        app.get("/settings/workspaces/new").await.status(),
        StatusCode::FORBIDDEN
    );

    switch_to(&app, &app.client, &separate).await;
    let subscription = app.get_html("/settings/subscription").await;
    assert!(
        subscription.contains("No plan yet") && subscription.contains("0 of 0 seats used"),
        "separate billing starts with no seats until an operator sets a plan"
    );
    let refused = app
        .invite(&app.client, "new@example.com", "viewer", &separate)
        .await;
    assert_eq!(
        refused.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "no free seat to invite with"
    );
    let nested = app
        .create_workspace(&app.client, "Nested Team", "inherited", &[])
        .await;
    let parent: Option<String> = app.run_sql(|conn| {
        spaces::table
            .find(&nested)
            .select(spaces::parent_id)
            .first(conn)
    });
    assert_eq!(parent.as_deref(), Some(separate.as_str()));
}

async fn archiving_needs_the_typed_name_and_ends_members_access_until_restored(app: TestApp) {
    app.set_up_owner().await;
    let alpha = app
        .create_workspace(
            &app.client,
            "Client Alpha",
            "inherited",
            &[("alpha@example.com", "creator")],
        )
        .await;
    let creator = app
        .accept_as_new_person(
            &invitation_path_in(&app.outbox()[0]).unwrap(),
            "Alpha Creator",
        )
        .await;

    let wrong = app
        .post_form(
            &format!("/workspaces/{alpha}/archive"),
            "/settings/workspaces",
            &[("confirm_name", "Client")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("name exactly to confirm.</p>")
    );

    let archived = app
        .post_form(
            &format!("/workspaces/{alpha}/archive"),
            "/settings/workspaces",
            &[("confirm_name", "Client Alpha")],
        )
        .await;
    assert_eq!(location(&archived), "/settings/workspaces?notice=archived");
    let shut_out = get_with(&creator, &app.url("/")).await;
    assert_eq!(shut_out.status(), StatusCode::FORBIDDEN);
    assert!(
        shut_out
            .text()
            .await
            .unwrap()
            .contains("no longer a member of any space")
    );
    assert!(
        app.get_html("/settings/workspaces")
            .await
            .contains("Archived"),
        "still listed for the parent"
    );

    let restored = app
        .post_form(
            &format!("/workspaces/{alpha}/restore"),
            "/settings/workspaces",
            &[],
        )
        .await;
    assert_eq!(location(&restored), "/settings/workspaces?notice=restored");
    assert!(
        get_with(&creator, &app.url("/"))
            .await
            .text()
            .await
            .unwrap()
            .contains("<h1>Client Alpha</h1>")
    );
}

async fn siblings_never_see_each_other(app: TestApp) {
    app.set_up_owner().await;
    let alpha = app
        .create_workspace(
            &app.client,
            "Client Alpha",
            "inherited",
            &[("alpha@example.com", "super_admin")],
        )
        .await;
    let beta = app
        .create_workspace(&app.client, "Client Beta", "inherited", &[])
        .await;
    let alpha_admin = app
        .accept_as_new_person(
            &invitation_path_in(&app.outbox()[0]).unwrap(),
            "Alpha Admin",
        )
        .await;

    let home = get_with(&alpha_admin, &app.url("/"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!home.contains("Client Beta"), "not in the switcher");
    let cases = [
        (
            format!("/workspaces/{beta}/settings"),
            "the sibling's settings",
        ),
        (
            format!("/workspaces/{alpha}/settings"),
            "its own settings belong to the parent",
        ),
        (
            format!("/spaces/{beta}/image/0000000000000000.png"),
            "the sibling's image",
        ),
    ];
    for (path, reason) in cases {
        assert_eq!(
            get_with(&alpha_admin, &app.url(&path)).await.status(),
            StatusCode::NOT_FOUND,
            "{reason}"
        );
    }
    let switch = post_form_with(
        &app,
        &alpha_admin,
        &format!("/spaces/{beta}/switch"),
        "/",
        &[],
    )
    .await;
    assert_eq!(
        switch.status(),
        StatusCode::NOT_FOUND,
        "cannot switch into a sibling"
    );
    let parent_members = get_with(&alpha_admin, &app.url("/settings/members"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !parent_members.contains(OWNER_EMAIL) || parent_members.contains("Client Alpha"),
        "only Client Alpha's people"
    );
    assert!(
        !parent_members.contains(">Acme Studio</option>"),
        "cannot invite to the parent"
    );
}

async fn bad_settings_are_explained_next_to_their_field(app: TestApp) {
    app.set_up_owner().await;
    let separate = app
        .create_workspace(&app.client, "Team Separate", "separate", &[])
        .await;
    switch_to(&app, &app.client, &separate).await;
    app.create_workspace(&app.client, "Nested Team", "inherited", &[])
        .await;
    switch_to(&app, &app.client, &app.root_space_id()).await;

    let token = app.csrf_token(&app.client, "/settings/workspaces").await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .text("name", "Team Separate")
        .text("billing", "inherited");
    let response = app
        .client
        .post(app.url(&format!("/workspaces/{separate}/settings")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("id=\"billing-error\">This sub-workspace has sub-workspaces of its own")
    );

    // Separate billing must not create seats: a sub-workspace with people
    // cannot leave its parent's plan before it has seats of its own.
    let staffed = app
        .create_workspace(
            &app.client,
            "Staffed",
            "inherited",
            &[("staff@example.com", "creator")],
        )
        .await;
    let token = app.csrf_token(&app.client, "/settings/workspaces").await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .text("name", "Staffed")
        .text("billing", "separate");
    let response = app
        .client
        .post(app.url(&format!("/workspaces/{staffed}/settings")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Its 1 people need 1 seats of its own, and its own subscription has 0.")
    );

    let token = app
        .csrf_token(&app.client, "/settings/workspaces/new")
        .await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .text("name", "")
        .text("billing", "inherited");
    let response = app
        .client
        .post(app.url("/settings/workspaces"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("id=\"name-error\">Enter a space name.")
    );
}
