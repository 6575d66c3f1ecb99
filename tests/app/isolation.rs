//! One account never sees or changes another's data: every id of account 1,
//! tried by account 2's owner, by GET and POST, is a 404, and account 1's
//! rows are the same afterwards.

use diesel::prelude::*;
use reqwest::StatusCode;
use subspace::db::schema::{audit_events, invitations, memberships, spaces};

use crate::helpers::*;
use crate::routes::{Actor, build_world, sign_in};

both_backends!(another_accounts_owner_gets_404_for_every_id_and_changes_nothing);

type Snapshot = (
    Vec<(
        String,
        String,
        Option<String>,
        bool,
        bool,
        Option<chrono::NaiveDateTime>,
        chrono::NaiveDateTime,
    )>,
    Vec<(String, String, String)>,
    Vec<(
        String,
        String,
        chrono::NaiveDateTime,
        Option<chrono::NaiveDateTime>,
    )>,
    i64,
);

fn snapshot(app: &TestApp, root: &str) -> Snapshot {
    app.run_sql(|conn| {
        let account: Vec<String> = spaces::table
            .filter(spaces::root_id.eq(root))
            .select(spaces::id)
            .load(conn)?;
        Ok((
            spaces::table
                .filter(spaces::id.eq_any(&account))
                .order(spaces::id)
                .select((
                    spaces::id,
                    spaces::name,
                    spaces::image_version,
                    spaces::api_access,
                    spaces::strict_quota,
                    spaces::archived_at,
                    spaces::updated_at,
                ))
                .load(conn)?,
            memberships::table
                .filter(memberships::space_id.eq_any(&account))
                .order(memberships::id)
                .select((memberships::id, memberships::user_id, memberships::role))
                .load(conn)?,
            invitations::table
                .filter(invitations::space_id.eq_any(&account))
                .order(invitations::id)
                .select((
                    invitations::id,
                    invitations::token_hash,
                    invitations::expires_at,
                    invitations::revoked_at,
                ))
                .load(conn)?,
            audit_events::table
                .filter(audit_events::root_id.eq(root))
                .count()
                .get_result(conn)?,
        ))
    })
}

async fn another_accounts_owner_gets_404_for_every_id_and_changes_nothing(app: TestApp) {
    let world = build_world(&app);
    let before = snapshot(&app, &world.root);
    let intruder = sign_in(&app, &world, Actor::OtherAccountSuperAdmin).await;
    let account_spaces: Vec<(String, String)> = app.run_sql(|conn| {
        spaces::table
            .filter(spaces::root_id.eq(&world.root))
            .select((spaces::id, spaces::name))
            .load(conn)
    });
    let token = app.csrf_token(&intruder, "/settings/space").await;

    let mut tried = 0;
    let mut post = |path: String, fields: Vec<(&'static str, String)>| {
        tried += 1;
        let (intruder, url, token) = (intruder.clone(), app.url(&path), token.clone());
        async move {
            let mut form = vec![("csrf_token", token)];
            form.extend(fields);
            (
                path,
                intruder
                    .post(url)
                    .form(&form)
                    .send()
                    .await
                    .unwrap()
                    .status(),
            )
        }
    };
    let mut outcomes = Vec::new();
    for (id, name) in &account_spaces {
        outcomes.push(post(format!("/spaces/{id}/switch"), vec![]).await);
        outcomes.push(
            post(
                format!("/workspaces/{id}/archive"),
                vec![("confirm_name", name.clone())],
            )
            .await,
        );
        outcomes.push(post(format!("/workspaces/{id}/restore"), vec![]).await);
        outcomes.push(
            post(
                "/settings/members/invite".into(),
                vec![
                    ("emails", "spy@example.com".into()),
                    ("role", "super_admin".into()),
                    ("space_id", id.clone()),
                ],
            )
            .await,
        );
    }
    for id in world.memberships.values() {
        outcomes.push(
            post(
                format!("/settings/members/{id}/role"),
                vec![("role", "viewer".into())],
            )
            .await,
        );
        outcomes.push(post(format!("/settings/members/{id}/remove"), vec![]).await);
    }
    for id in world.invitations.values() {
        outcomes.push(post(format!("/settings/invitations/{id}/resend"), vec![]).await);
        outcomes.push(post(format!("/settings/invitations/{id}/revoke"), vec![]).await);
    }
    for (id, name) in &account_spaces {
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", token.clone())
            .text("name", name.clone())
            .text("billing", "separate")
            .text("api_access", "on");
        let status = intruder
            .post(app.url(&format!("/workspaces/{id}/settings")))
            .multipart(form)
            .send()
            .await
            .unwrap()
            .status();
        outcomes.push((format!("POST /workspaces/{id}/settings"), status));
        for path in [
            format!("/workspaces/{id}/settings"),
            format!("/spaces/{id}/image/0000000000000000.png"),
        ] {
            outcomes.push((
                path.clone(),
                get_with(&intruder, &app.url(&path)).await.status(),
            ));
        }
    }
    for id in world.memberships.values() {
        let path = format!("/settings/members/{id}/remove");
        outcomes.push((
            path.clone(),
            get_with(&intruder, &app.url(&path)).await.status(),
        ));
    }
    assert!(
        outcomes.len() > 30,
        "tried {} ids ({tried} posts)",
        outcomes.len()
    );
    let leaks: Vec<_> = outcomes
        .iter()
        .filter(|(_, status)| *status != StatusCode::NOT_FOUND)
        .collect();
    assert!(leaks.is_empty(), "not a 404: {leaks:?}");

    // Filtering the audit log by another account's space shows nothing of it.
    let audit = get_with(
        &intruder,
        &app.url(&format!("/settings/audit?space={}", world.a)),
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(!audit.contains("Sub A") && !audit.contains("Root Co"));

    assert_eq!(
        snapshot(&app, &world.root),
        before,
        "account 1 is unchanged"
    );
}
