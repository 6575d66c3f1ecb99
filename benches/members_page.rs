//! How fast is Space Settings → Members with 10,000 members?
//!
//! Starts the real app (release build) on a fresh database, seeds an owner and
//! 10,000 members across the root and 20 sub-workspaces, signs in over HTTP
//! and times page loads. Rerun: `cargo bench --bench members_page`, or with
//! `-- --postgres postgres://postgres@127.0.0.1:5432` for PostgreSQL.

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use subspace::config::Settings;
use subspace::db::schema::{memberships, users};
use subspace::spaces::models::{NewMembership, NewSpace};
use subspace::{db, ids, spaces::queries as space_queries};

const MEMBERS: usize = 10_000;
const SUB_WORKSPACES: usize = 20;
const RUNS: usize = 40;
const PASSWORD: &str = "benchmark password";

fn main() {
    let postgres = std::env::args().skip_while(|a| a != "--postgres").nth(1);
    actix_web::rt::System::new().block_on(run(postgres));
}

async fn run(postgres: Option<String>) {
    let data = tempfile::tempdir().unwrap();
    let (url, cleanup) = match &postgres {
        Some(server) => {
            let name = format!("subspace_bench_{}", ids::new_id().replace('-', ""));
            let mut admin = PgConnection::establish(&format!("{server}/postgres")).unwrap();
            admin
                .batch_execute(&format!("CREATE DATABASE \"{name}\""))
                .unwrap();
            (format!("{server}/{name}"), Some((server.clone(), name)))
        }
        None => (
            data.path()
                .join("subspace.db")
                .to_string_lossy()
                .into_owned(),
            None,
        ),
    };
    let settings = Settings {
        bind: "127.0.0.1:0".into(),
        data_dir: data.path().to_path_buf(),
        database_url: url.clone(),
        smtp_url: None,
        public_url: None,
        secure_cookies: false,
        trust_forwarded_for: false,
        session_idle: Duration::from_secs(3600),
        session_absolute: Duration::from_secs(3600),
    };
    let app = subspace::startup::Application::build(settings)
        .await
        .unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    actix_web::rt::spawn(app.run_until_stopped());

    let started = Instant::now();
    seed(&url);
    println!(
        "backend: {}",
        if postgres.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    println!(
        "seeded {MEMBERS} members in {SUB_WORKSPACES} sub-workspaces and the root in {:.1?}",
        started.elapsed()
    );

    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = client
        .get(format!("{base}/sign-in"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = page
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let signed_in = client
        .post(format!("{base}/sign-in"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", "owner@bench.test"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303, "the owner signs in");

    for (label, path) in [
        ("first page", "/settings/members"),
        ("page 200 of 401", "/settings/members?page=200"),
        ("search \"person 09\"", "/settings/members?q=person%2009"),
        ("search with no match", "/settings/members?q=nobody-at-all"),
        ("home page (switcher, 21 spaces)", "/"),
    ] {
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let at = Instant::now();
            let response = client.get(format!("{base}{path}")).send().await.unwrap();
            assert_eq!(response.status(), 200, "{path}");
            response.bytes().await.unwrap();
            times.push(at.elapsed());
        }
        times.sort();
        println!(
            "{label:<34} p50 {:>7.1?}  p95 {:>7.1?}  max {:>7.1?}  ({RUNS} runs)",
            times[RUNS / 2],
            times[RUNS * 95 / 100],
            times[RUNS - 1]
        );
    }
    if std::env::var_os("SUBSPACE_BENCH_KEEP").is_some() {
        println!("kept the data in {} ({url})", data.keep().display());
        return;
    }
    if let Some((server, name)) = cleanup {
        let mut admin = PgConnection::establish(&format!("{server}/postgres")).unwrap();
        let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
    }
}

/// The data generator: an owner, sub-workspaces, and members spread over them.
fn seed(url: &str) {
    let mut conn = db::establish(url).unwrap();
    let conn = &mut conn;
    let now = ids::now();
    let hash = subspace::auth::password::hash(PASSWORD).unwrap();
    let root = ids::new_id();
    insert_space(conn, &root, None, &root, "Bench Agency", "separate");
    let mut spaces = vec![root.clone()];
    for i in 0..SUB_WORKSPACES {
        let id = ids::new_id();
        insert_space(
            conn,
            &id,
            Some(&root),
            &root,
            &format!("Client {i:02}"),
            "inherited",
        );
        spaces.push(id);
    }
    let owner = ids::new_id();
    subspace::users::queries::insert(
        conn,
        &subspace::users::models::NewUser {
            id: &owner,
            name: "Owner",
            email: "owner@bench.test",
            password_hash: &hash,
            created_at: now,
        },
    )
    .unwrap();
    space_queries::insert_membership(
        conn,
        &NewMembership {
            id: &ids::new_id(),
            space_id: &root,
            user_id: &owner,
            role: "super_admin",
            created_at: now,
        },
    )
    .unwrap();
    // One row at a time: MultiConnection has no batch insert (a backend
    // difference), and one transaction keeps it quick enough.
    db::write_transaction(conn, |conn| -> QueryResult<()> {
        for i in 0..MEMBERS {
            let id = ids::new_id();
            diesel::insert_into(users::table)
                .values((
                    users::id.eq(&id),
                    users::name.eq(format!("Person {i:05}")),
                    users::email.eq(format!("person{i:05}@bench.test")),
                    users::password_hash.eq("seeded: never signs in"),
                    users::created_at.eq(now),
                ))
                .execute(conn)?;
            diesel::insert_into(memberships::table)
                .values((
                    memberships::id.eq(ids::new_id()),
                    memberships::space_id.eq(&spaces[i % spaces.len()]),
                    memberships::user_id.eq(&id),
                    memberships::role.eq("creator"),
                    memberships::created_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
    .unwrap();
}

fn insert_space(
    conn: &mut db::DbConnection,
    id: &str,
    parent: Option<&str>,
    root: &str,
    name: &str,
    billing: &str,
) {
    let now = ids::now();
    space_queries::insert(
        conn,
        &NewSpace {
            id,
            parent_id: parent,
            name,
            image_png: None,
            image_version: None,
            created_at: now,
            updated_at: now,
            root_id: root,
            billing,
            api_access: true,
            strict_quota: false,
            plan_name: Some("Enterprise"),
            seats: Some(20_000),
        },
    )
    .unwrap();
}
