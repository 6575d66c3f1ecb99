//! Members, invitations and seats, driven over HTTP like an admin and the
//! people they invite.

use diesel::prelude::*;
use reqwest::StatusCode;
use subspace::db::schema::{audit_events, invitations, memberships, spaces, users};

use crate::helpers::*;

both_backends!(
    an_invitation_is_emailed_accepted_once_and_makes_a_member,
    an_expired_or_revoked_invitation_gets_a_clear_page,
    a_resent_invitation_has_a_new_link_and_the_old_one_stops_working,
    invitations_beyond_the_seats_are_refused_with_a_clear_message,
    simultaneous_invitations_never_exceed_the_seats,
    a_space_never_loses_its_last_super_admin,
    a_removed_member_loses_access_at_the_next_request,
    the_members_list_is_paginated_and_searchable,
    an_existing_person_joins_with_their_own_password,
    bad_email_addresses_are_explained_next_to_the_field,
    an_account_created_meanwhile_is_asked_for_its_password_not_duplicated,
);

fn pending_invitations(app: &TestApp) -> i64 {
    app.run_sql(|conn| {
        invitations::table
            .filter(invitations::accepted_at.is_null())
            .filter(invitations::revoked_at.is_null())
            .count()
            .get_result(conn)
    })
}

async fn an_invitation_is_emailed_accepted_once_and_makes_a_member(app: TestApp) {
    app.set_up_owner().await;
    let root = app.root_space_id();
    let response = app
        .invite(&app.client, "grace@example.com", "creator", &root)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    let shown = invitation_path_in(&page).expect("the admin sees the link to copy");

    let mail = app.outbox();
    assert_eq!(mail.len(), 1, "one email in the outbox");
    assert!(mail[0].contains("To: grace@example.com"), "{}", mail[0]);
    assert!(mail[0].contains(&format!(
        "{OWNER_NAME} invited you to join {SPACE_NAME} on Subspace as Creator"
    )));
    let emailed = invitation_path_in(&mail[0]).expect("the email has the link");
    assert_eq!(emailed, shown, "the same link in the email and on the page");

    let stored: String = app.run_sql(|conn| {
        invitations::table
            .select(invitations::token_hash)
            .first(conn)
    });
    assert!(
        !stored.contains(emailed.trim_start_matches("/invitations/")),
        "only a hash is stored"
    );

    let invite_page = app.get_html(&emailed).await;
    assert!(invite_page.contains(&format!("Join {SPACE_NAME}")));
    assert!(invite_page.contains("You were invited as <strong>Creator</strong>"));

    let grace = app.accept_as_new_person(&emailed, "Grace Hopper").await;
    let home = get_with(&grace, &app.url("/")).await.text().await.unwrap();
    assert!(
        home.contains("You are signed in as Grace Hopper, <strong>Creator</strong>"),
        "{home}"
    );

    let reuse = get_with(&browser_like_client(None), &app.url(&emailed)).await;
    assert_eq!(reuse.status(), StatusCode::GONE);
    assert!(
        reuse
            .text()
            .await
            .unwrap()
            .contains("This invitation was already used")
    );

    let members = app.get_html("/settings/members").await;
    assert!(members.contains("Grace Hopper") && members.contains("Active"));
    let actions: Vec<String> =
        app.run_sql(|conn| audit_events::table.select(audit_events::action).load(conn));
    assert!(
        actions.contains(&"member.invited".to_owned())
            && actions.contains(&"invitation.accepted".to_owned())
    );
}

async fn an_expired_or_revoked_invitation_gets_a_clear_page(app: TestApp) {
    app.set_up_owner().await;
    let root = app.root_space_id();
    let page = app
        .invite(
            &app.client,
            "old@example.com, gone@example.com",
            "viewer",
            &root,
        )
        .await
        .text()
        .await
        .unwrap();
    let links = invitation_paths_in(&page);
    assert_eq!(links.len(), 2);

    let past = subspace::ids::now() - chrono::TimeDelta::days(1);
    app.run_sql(|conn| {
        diesel::update(invitations::table.filter(invitations::email.eq("old@example.com")))
            .set(invitations::expires_at.eq(past))
            .execute(conn)
    });
    let expired = app.get(&links[0]).await;
    assert_eq!(expired.status(), StatusCode::GONE);
    assert!(
        expired
            .text()
            .await
            .unwrap()
            .contains("This invitation has expired")
    );

    let id: String = app.run_sql(|conn| {
        invitations::table
            .filter(invitations::email.eq("gone@example.com"))
            .select(invitations::id)
            .first(conn)
    });
    let revoked = app
        .post_form(
            &format!("/settings/invitations/{id}/revoke"),
            "/settings/members",
            &[],
        )
        .await;
    assert_eq!(location(&revoked), "/settings/members?notice=revoked");
    let page = app.get(&links[1]).await;
    assert_eq!(page.status(), StatusCode::GONE);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("This invitation was withdrawn")
    );

    let nonsense = app.get("/invitations/not-a-real-token").await;
    assert_eq!(nonsense.status(), StatusCode::NOT_FOUND);
    assert!(
        nonsense
            .text()
            .await
            .unwrap()
            .contains("This invitation link is not valid")
    );
}

async fn a_resent_invitation_has_a_new_link_and_the_old_one_stops_working(app: TestApp) {
    app.set_up_owner().await;
    let root = app.root_space_id();
    let first = invitation_path_in(
        &app.invite(&app.client, "linus@example.com", "developer", &root)
            .await
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    let id: String = app.run_sql(|conn| invitations::table.select(invitations::id).first(conn));
    let resent = app
        .post_form(
            &format!("/settings/invitations/{id}/resend"),
            "/settings/members",
            &[],
        )
        .await;
    assert_eq!(resent.status(), StatusCode::OK);
    let second = invitation_path_in(&resent.text().await.unwrap()).unwrap();
    assert_ne!(first, second);
    assert_eq!(app.outbox().len(), 2, "the invitation was emailed again");
    assert_eq!(
        app.get(&first).await.status(),
        StatusCode::NOT_FOUND,
        "the old link no longer works"
    );
    app.accept_as_new_person(&second, "Linus").await;
}

async fn invitations_beyond_the_seats_are_refused_with_a_clear_message(app: TestApp) {
    app.set_up_owner().await;
    let root = app.root_space_id();
    // The Starter plan has 5 seats; the owner holds one.
    let ok = app
        .invite(
            &app.client,
            "a@example.com, b@example.com, c@example.com",
            "viewer",
            &root,
        )
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    let refused = app
        .invite(&app.client, "d@example.com, e@example.com", "viewer", &root)
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("Not enough seats: inviting 2 more people needs 2 free seats, and 1 is free. Remove a member or revoke an invitation first"),
        "{html}"
    );
    assert!(
        html.contains("d@example.com, e@example.com"),
        "what was typed is kept"
    );
    assert_eq!(pending_invitations(&app), 3, "all or nothing");
    assert!(
        app.get_html("/settings/members")
            .await
            .contains("4 of 5 seats used")
    );

    // The same person invited to a second space takes no second seat.
    let token_page = app
        .invite(&app.client, "d@example.com", "viewer", &root)
        .await;
    assert_eq!(token_page.status(), StatusCode::OK);
    assert!(
        app.get_html("/settings/members")
            .await
            .contains("5 of 5 seats used")
    );
}

async fn simultaneous_invitations_never_exceed_the_seats(app: TestApp) {
    app.set_up_owner().await;
    let root = app.root_space_id();
    app.run_sql(|conn| {
        diesel::update(spaces::table)
            .set(spaces::seats.eq(4))
            .execute(conn)
    });
    let token = app.csrf_token(&app.client, "/settings/members").await;
    let attempts = (0..12).map(|i| {
        let (client, url, token, root) = (
            app.client.clone(),
            app.url("/settings/members/invite"),
            token.clone(),
            root.clone(),
        );
        async move {
            let email = format!("racer{i}@example.com");
            client
                .post(url)
                .form(&[
                    ("csrf_token", token.as_str()),
                    ("emails", email.as_str()),
                    ("role", "viewer"),
                    ("space_id", root.as_str()),
                ])
                .send()
                .await
                .unwrap()
                .status()
        }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    let accepted = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    assert_eq!((accepted, refused), (3, 9), "{statuses:?}");
    assert_eq!(
        pending_invitations(&app),
        3,
        "owner + 3 = the 4 seats, never more"
    );
}

async fn a_space_never_loses_its_last_super_admin(app: TestApp) {
    app.set_up_owner().await;
    let membership: String =
        app.run_sql(|conn| memberships::table.select(memberships::id).first(conn));
    let demote = app
        .post_form(
            &format!("/settings/members/{membership}/role"),
            "/settings/members",
            &[("role", "viewer")],
        )
        .await;
    assert_eq!(demote.status(), StatusCode::CONFLICT);
    assert!(
        demote
            .text()
            .await
            .unwrap()
            .contains("A space must keep at least one Super admin")
    );
    let remove = app
        .post_form(
            &format!("/settings/members/{membership}/remove"),
            "/settings/members",
            &[],
        )
        .await;
    assert_eq!(remove.status(), StatusCode::CONFLICT);
    let role: String = app.run_sql(|conn| memberships::table.select(memberships::role).first(conn));
    assert_eq!(role, "super_admin");
}

async fn a_removed_member_loses_access_at_the_next_request(app: TestApp) {
    app.set_up_owner().await;
    let root = app.root_space_id();
    let page = app
        .invite(&app.client, "temp@example.com", "super_admin", &root)
        .await
        .text()
        .await
        .unwrap();
    let temp = app
        .accept_as_new_person(&invitation_path_in(&page).unwrap(), "Temp Admin")
        .await;
    assert_eq!(
        get_with(&temp, &app.url("/settings/members"))
            .await
            .status(),
        StatusCode::OK
    );

    // Two Super admins now: the owner may demote the other, then remove them.
    let membership: String = app.run_sql(|conn| {
        memberships::table
            .inner_join(users::table)
            .filter(users::email.eq("temp@example.com"))
            .select(memberships::id)
            .first(conn)
    });
    let demoted = app
        .post_form(
            &format!("/settings/members/{membership}/role"),
            "/settings/members",
            &[("role", "viewer")],
        )
        .await;
    assert_eq!(location(&demoted), "/settings/members?notice=role");
    assert_eq!(
        get_with(&temp, &app.url("/settings/members"))
            .await
            .status(),
        StatusCode::FORBIDDEN,
        "a viewer now"
    );

    let confirm = app
        .get_html(&format!("/settings/members/{membership}/remove"))
        .await;
    assert!(
        confirm.contains("Remove Temp Admin &#60;temp@example.com&#62;?"),
        "{confirm}"
    );
    let removed = app
        .post_form(
            &format!("/settings/members/{membership}/remove"),
            "/settings/members",
            &[],
        )
        .await;
    assert_eq!(location(&removed), "/settings/members?notice=removed");
    let after = get_with(&temp, &app.url("/")).await;
    assert_eq!(
        location(&after),
        "/sign-in",
        "in no space any more: signed out everywhere"
    );
}

async fn the_members_list_is_paginated_and_searchable(app: TestApp) {
    app.set_up_owner().await;
    let root = app.root_space_id();
    let now = subspace::ids::now();
    app.run_sql(|conn| {
        for i in 0..60 {
            let id = subspace::ids::new_id();
            diesel::insert_into(users::table)
                .values((
                    users::id.eq(&id),
                    users::name.eq(format!("Person {i:03}")),
                    users::email.eq(format!("person{i:03}@example.com")),
                    users::password_hash.eq("not a hash: these people never sign in"),
                    users::created_at.eq(now),
                ))
                .execute(conn)?;
            diesel::insert_into(memberships::table)
                .values((
                    memberships::id.eq(subspace::ids::new_id()),
                    memberships::space_id.eq(&root),
                    memberships::user_id.eq(&id),
                    memberships::role.eq("viewer"),
                    memberships::created_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok(())
    });
    let first = app.get_html("/settings/members").await;
    assert!(first.contains("1–25 of 61"), "61 members, 25 a page");
    assert!(
        first.contains("Ada Lovelace")
            && first.contains("Person 023")
            && !first.contains("Person 024")
    );
    let third = app.get_html("/settings/members?page=3").await;
    assert!(third.contains("51–61 of 61") && third.contains("Person 059"));

    let found = app.get_html("/settings/members?q=PERSON%200").await;
    assert!(found.contains("1–25 of 60"), "case-insensitive name search");
    let one = app.get_html("/settings/members?q=person042%40").await;
    assert!(
        one.contains("Person 042") && !one.contains("Person 041"),
        "search by email"
    );
    let none = app.get_html("/settings/members?q=100%25").await;
    assert!(
        none.contains("Nobody matches “100%”."),
        "wildcards are literal"
    );
}

async fn an_existing_person_joins_with_their_own_password(app: TestApp) {
    app.set_up_owner().await;
    let root = app.root_space_id();
    let page = app
        .invite(&app.client, "grace@example.com", "creator", &root)
        .await
        .text()
        .await
        .unwrap();
    let grace = app
        .accept_as_new_person(&invitation_path_in(&page).unwrap(), "Grace Hopper")
        .await;
    drop(grace);

    let workspace = app
        .create_workspace(&app.client, "Client Beta", "inherited", &[])
        .await;
    let page = app
        .invite(&app.client, "grace@example.com", "viewer", &workspace)
        .await
        .text()
        .await
        .unwrap();
    let link = invitation_path_in(&page).unwrap();
    let invite_page = app.get_html(&link).await;
    assert!(invite_page.contains("You already have a Subspace account."));

    let visitor = browser_like_client(None);
    let token = app.csrf_token(&visitor, &link).await;
    let wrong = visitor
        .post(app.url(&link))
        .form(&[
            ("csrf_token", token.as_str()),
            ("password", "wrong password!"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let right = visitor
        .post(app.url(&link))
        .form(&[
            ("csrf_token", token.as_str()),
            ("password", "invited person password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), StatusCode::SEE_OTHER);
    let home = get_with(&visitor, &app.url("/"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        home.contains("<h1>Client Beta</h1>"),
        "joined and switched to the sub-workspace"
    );
    assert!(
        home.contains("Switch space"),
        "and can switch back to {SPACE_NAME}"
    );
    let people: i64 = app.run_sql(|conn| {
        users::table
            .filter(users::email.eq("grace@example.com"))
            .count()
            .get_result(conn)
    });
    assert_eq!(people, 1, "one person, two spaces");
}

async fn bad_email_addresses_are_explained_next_to_the_field(app: TestApp) {
    app.set_up_owner().await;
    let root = app.root_space_id();
    let cases = [
        (
            "ok@example.com, not-an-email",
            "These are not email addresses: not-an-email.",
            "one bad address",
        ),
        ("   ", "Enter at least one email address.", "nothing typed"),
        (
            OWNER_EMAIL,
            "ada@example.com is already a member of this space.",
            "already a member",
        ),
    ];
    for (typed, message, reason) in cases {
        let response = app.invite(&app.client, typed, "viewer", &root).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{reason}"
        );
        let html = response.text().await.unwrap();
        assert!(
            html.contains(&format!("id=\"emails-error\">{message}")),
            "{reason}: {html}"
        );
    }
    assert_eq!(pending_invitations(&app), 0);
}

async fn an_account_created_meanwhile_is_asked_for_its_password_not_duplicated(app: TestApp) {
    app.set_up_owner().await;
    let root = app.root_space_id();
    let page = app
        .invite(&app.client, "twin@example.com", "viewer", &root)
        .await
        .text()
        .await
        .unwrap();
    let link = invitation_path_in(&page).unwrap();
    let visitor = browser_like_client(None);
    let token = app.csrf_token(&visitor, &link).await; // the form offers a new account

    // Meanwhile, in another tab, the same person created an account.
    let hash = subspace::auth::password::hash("other tab password").unwrap();
    app.run_sql(|conn| {
        diesel::insert_into(users::table)
            .values((
                users::id.eq(subspace::ids::new_id()),
                users::name.eq("Twin"),
                users::email.eq("twin@example.com"),
                users::password_hash.eq(&hash),
                users::created_at.eq(subspace::ids::now()),
            ))
            .execute(conn)
    });
    let response = visitor
        .post(app.url(&link))
        .form(&[
            ("csrf_token", token.as_str()),
            ("name", "Twin"),
            ("password", "a brand new password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "checked as the existing account's password"
    );
    let people: i64 = app.run_sql(|conn| {
        users::table
            .filter(users::email.eq("twin@example.com"))
            .count()
            .get_result(conn)
    });
    assert_eq!(people, 1, "no second account");
    assert_eq!(pending_invitations(&app), 1, "the invitation is still open");
}
