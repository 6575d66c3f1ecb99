//! The `subspace` binary's sub-commands, run as an operator would.

use std::process::Command;

use crate::helpers::*;

both_backends!(
    subspace_migrate_applies_pending_migrations_once,
    an_operator_creates_an_account_whose_owner_joins_by_the_printed_link,
);

/// Runs `subspace ARGS` against the test app's database and data folder.
fn subspace(app: &TestApp, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_subspace"))
        .args(args)
        .env("DATABASE_URL", &app.settings.database_url)
        .env("SUBSPACE_DATA_DIR", &app.settings.data_dir)
        .env("SUBSPACE_PUBLIC_URL", &app.address)
        .output()
        .expect("running subspace");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

async fn an_operator_creates_an_account_whose_owner_joins_by_the_printed_link(app: TestApp) {
    let (ok, out, err) = subspace(
        &app,
        &[
            "account",
            "create",
            "--name",
            "Globex",
            "--owner-email",
            "Hank@Globex.test",
        ],
    );
    assert!(ok, "{err}");
    assert!(out.starts_with("Created account Globex ("), "{out}");
    let link = invitation_path_in(&out).expect("the link is printed");
    assert_eq!(app.outbox().len(), 1, "and emailed");

    // The web first-run page is closed once an account exists.
    assert_eq!(location(&app.get("/setup").await), "/sign-in");

    let owner = app.accept_as_new_person(&link, "Hank Scorpio").await;
    let home = get_with(&owner, &app.url("/")).await.text().await.unwrap();
    assert!(
        home.contains("<h1>Globex</h1>") && home.contains("Super admin"),
        "{home}"
    );

    let (ok, out, err) = subspace(
        &app,
        &[
            "plan", "set", "Globex", "--plan", "Business", "--seats", "25",
        ],
    );
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "Globex: plan Business, 25 seats (1 in use)");
    let page = get_with(&owner, &app.url("/settings/subscription"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Business") && page.contains("1 of 25 seats used"));

    let (ok, _, err) = subspace(
        &app,
        &["plan", "set", "Nobody Inc", "--plan", "X", "--seats", "1"],
    );
    assert!(
        !ok && err.contains("no space has the id or name \"Nobody Inc\""),
        "{err}"
    );
}

async fn subspace_migrate_applies_pending_migrations_once(app: TestApp) {
    // The app under test already migrated its database: nothing is pending.
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_subspace"))
            .arg("migrate")
            .env("DATABASE_URL", &app.settings.database_url)
            .env("SUBSPACE_DATA_DIR", &app.settings.data_dir)
            .output()
            .expect("running subspace migrate")
    };
    let output = run();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).lines().last(),
        Some("0 migration(s) applied")
    );

    // On an empty database of the same backend it applies them all.
    let fresh = tempfile::tempdir().unwrap();
    if app.settings.database_url.starts_with("postgres") {
        return; // a fresh PostgreSQL database is what spawn_app itself starts from
    }
    let output = Command::new(env!("CARGO_BIN_EXE_subspace"))
        .arg("migrate")
        .env_remove("DATABASE_URL")
        .env("SUBSPACE_DATA_DIR", fresh.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    let all = std::fs::read_dir("migrations/sqlite").unwrap().count();
    let expected = format!("{all} migration(s) applied");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).lines().last(),
        Some(expected.as_str())
    );
    assert!(fresh.path().join("subspace.db").exists());
}
