//! The `subspace` binary's sub-commands, run as an operator would.

use std::process::Command;

use crate::helpers::*;

both_backends!(subspace_migrate_applies_pending_migrations_once);

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
