//! `spawn_app`: the real application on a random port with a fresh database,
//! and a client that behaves like a browser without JavaScript.

use std::net::IpAddr;
use std::sync::LazyLock;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use reqwest::{Client, Response, StatusCode, redirect};
use subspace::config::Settings;
use subspace::db::{self, DbConnection, Pool};
use subspace::startup::Application;

pub const OWNER_NAME: &str = "Ada Lovelace";
pub const OWNER_EMAIL: &str = "ada@example.com";
pub const OWNER_PASSWORD: &str = "analytical engine 1843";
pub const SPACE_NAME: &str = "Acme Studio";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Defines each listed `async fn name(app: TestApp)` as two tests,
/// `sqlite::name` and `postgres::name`.
macro_rules! both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[actix_web::test]
                async fn $name() {
                    let app = $crate::helpers::spawn_app($crate::helpers::Backend::Sqlite).await;
                    super::$name(app.expect("SQLite is always available")).await;
                }
            )+
        }
        mod postgres {
            $(
                #[actix_web::test]
                async fn $name() {
                    let Some(app) = $crate::helpers::spawn_app($crate::helpers::Backend::Postgres).await else {
                        return;
                    };
                    super::$name(app).await;
                }
            )+
        }
    };
}
pub(crate) use both_backends;

static TRACING: LazyLock<()> = LazyLock::new(|| {
    if std::env::var_os("TEST_LOG").is_some() {
        subspace::telemetry::init("info");
    }
});

/// The PostgreSQL server tests create their databases on, if any.
fn postgres_server() -> Option<String> {
    match std::env::var("SUBSPACE_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url.trim_end_matches('/').to_owned()),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must run the PostgreSQL suite: set SUBSPACE_TEST_POSTGRES_URL"
            );
            eprintln!("skipped on PostgreSQL: SUBSPACE_TEST_POSTGRES_URL is not set");
            None
        }
    }
}

/// A database of one test, dropped with it.
enum TestDatabase {
    Sqlite,
    Postgres { server: String, name: String },
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { server, name } = self
            && let Ok(mut conn) = PgConnection::establish(&format!("{server}/postgres"))
        {
            let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
        }
    }
}

pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub pool: Pool,
    pub settings: Settings,
    pub backend: Backend,
    // Dropped last: the database and the data folder outlive the handles above.
    _database: TestDatabase,
    _data_dir: tempfile::TempDir,
}

pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    LazyLock::force(&TRACING);
    let data_dir = tempfile::tempdir().expect("a temporary folder");
    let (database_url, database) = match backend {
        Backend::Sqlite => (
            data_dir
                .path()
                .join("subspace.db")
                .to_string_lossy()
                .into_owned(),
            TestDatabase::Sqlite,
        ),
        Backend::Postgres => {
            let server = postgres_server()?;
            let name = format!("subspace_test_{}", subspace::ids::new_id().replace('-', ""));
            let mut admin = PgConnection::establish(&format!("{server}/postgres"))
                .unwrap_or_else(|e| panic!("connecting to PostgreSQL at {server}: {e}"));
            admin
                .batch_execute(&format!("CREATE DATABASE \"{name}\""))
                .expect("creating the test database");
            (
                format!("{server}/{name}"),
                TestDatabase::Postgres { server, name },
            )
        }
    };
    let settings = Settings {
        bind: "127.0.0.1:0".into(),
        data_dir: data_dir.path().to_path_buf(),
        database_url,
        smtp_url: None,
        public_url: None,
        secure_cookies: false,
        trust_forwarded_for: false,
        session_idle: std::time::Duration::from_secs(3600),
        session_absolute: std::time::Duration::from_secs(12 * 3600),
    };
    let app = Application::build(settings.clone())
        .await
        .expect("the app builds");
    let port = app.port();
    actix_web::rt::spawn(app.run_until_stopped());
    let pool = db::pool(&settings.database_url).expect("a pool for the test");
    Some(TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client: browser_like_client(None),
        pool,
        settings,
        backend,
        _database: database,
        _data_dir: data_dir,
    })
}

/// A client that keeps cookies and does not follow redirects (tests look at them).
pub fn browser_like_client(from: Option<IpAddr>) -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        .local_address(from)
        .build()
        .expect("a reqwest client")
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn conn(&self) -> db::PooledConnection {
        self.pool.get().expect("a database connection")
    }

    pub async fn get(&self, path: &str) -> Response {
        get_with(&self.client, &self.url(path)).await
    }

    pub async fn get_html(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.text().await.expect("a body")
    }

    /// The CSRF token the app put in the page at `path`.
    pub async fn csrf_token(&self, client: &Client, path: &str) -> String {
        let html = get_with(client, &self.url(path))
            .await
            .text()
            .await
            .expect("a body");
        csrf_token_in(&html).unwrap_or_else(|| panic!("no csrf_token on {path}:\n{html}"))
    }

    /// Posts a url-encoded form with the token from `token_page` added.
    pub async fn post_form(
        &self,
        path: &str,
        token_page: &str,
        fields: &[(&str, &str)],
    ) -> Response {
        post_form_with(self, &self.client, path, token_page, fields).await
    }

    /// Runs first-run setup as the owner; the client is then signed in.
    pub async fn set_up_owner(&self) -> Response {
        let token = self.csrf_token(&self.client, "/setup").await;
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", token)
            .text("name", OWNER_NAME)
            .text("email", OWNER_EMAIL)
            .text("password", OWNER_PASSWORD)
            .text("space_name", SPACE_NAME);
        let response = self
            .client
            .post(self.url("/setup"))
            .multipart(form)
            .send()
            .await
            .expect("POST /setup");
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "setup succeeds");
        response
    }

    pub async fn sign_in_with(&self, client: &Client, email: &str, password: &str) -> Response {
        let token = self.csrf_token(client, "/sign-in").await;
        client
            .post(self.url("/sign-in"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("email", email),
                ("password", password),
            ])
            .send()
            .await
            .expect("POST /sign-in")
    }

    pub async fn sign_out(&self, client: &Client) -> Response {
        let token = self.csrf_token(client, "/settings/space").await;
        client
            .post(self.url("/sign-out"))
            .form(&[("csrf_token", token.as_str())])
            .send()
            .await
            .expect("POST /sign-out")
    }

    pub fn run_sql<T>(&self, f: impl FnOnce(&mut DbConnection) -> QueryResult<T>) -> T {
        f(&mut self.conn()).expect("test SQL runs")
    }
}

pub async fn get_with(client: &Client, url: &str) -> Response {
    client
        .get(url)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"))
}

pub async fn post_form_with(
    app: &TestApp,
    client: &Client,
    path: &str,
    token_page: &str,
    fields: &[(&str, &str)],
) -> Response {
    let token = app.csrf_token(client, token_page).await;
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    client
        .post(app.url(path))
        .form(&all)
        .send()
        .await
        .unwrap_or_else(|e| panic!("POST {path}: {e}"))
}

pub fn csrf_token_in(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

pub fn location(response: &Response) -> &str {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The session cookie the last response set, as `name=value`.
pub fn session_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(subspace::startup::SESSION_COOKIE))
        .map(|v| v.split(';').next().unwrap_or("").to_owned())
}

/// What an invited person does, from the link to being signed in.
impl TestApp {
    pub fn root_space_id(&self) -> String {
        use subspace::db::schema::spaces;
        self.run_sql(|conn| {
            spaces::table
                .filter(spaces::parent_id.is_null())
                .order(spaces::created_at.asc())
                .select(spaces::id)
                .first(conn)
        })
    }

    pub fn space_id_named(&self, name: &str) -> String {
        use subspace::db::schema::spaces;
        self.run_sql(|conn| {
            spaces::table
                .filter(spaces::name.eq(name))
                .select(spaces::id)
                .first(conn)
        })
    }

    /// Invites `emails` (comma separated) to `space_id` as the app's client.
    pub async fn invite(
        &self,
        client: &Client,
        emails: &str,
        role: &str,
        space_id: &str,
    ) -> Response {
        post_form_with(
            self,
            client,
            "/settings/members/invite",
            "/settings/members",
            &[("emails", emails), ("role", role), ("space_id", space_id)],
        )
        .await
    }

    /// The invitation emails in the outbox, decoded, oldest first.
    pub fn outbox(&self) -> Vec<String> {
        let folder = self.settings.data_dir.join("outbox");
        let mut files: Vec<_> = std::fs::read_dir(&folder)
            .map(|dir| dir.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        files
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .map(|p| decode_quoted_printable(&std::fs::read_to_string(p).unwrap()))
            .collect()
    }

    /// Accepts an invitation as a new person in a fresh browser; returns it signed in.
    pub async fn accept_as_new_person(&self, link_path: &str, name: &str) -> Client {
        let person = browser_like_client(None);
        let token = self.csrf_token(&person, link_path).await;
        let response = person
            .post(self.url(link_path))
            .form(&[
                ("csrf_token", token.as_str()),
                ("name", name),
                ("password", "invited person password"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "accepting {link_path}"
        );
        person
    }

    /// Creates a sub-workspace of the client's current space; returns its id.
    pub async fn create_workspace(
        &self,
        client: &Client,
        name: &str,
        billing: &str,
        invites: &[(&str, &str)],
    ) -> String {
        let token = self.csrf_token(client, "/settings/workspaces/new").await;
        let mut form = reqwest::multipart::Form::new()
            .text("csrf_token", token)
            .text("name", name.to_owned())
            .text("billing", billing.to_owned())
            .text("strict_quota", "on");
        for (row, (email, role)) in invites.iter().enumerate() {
            form = form
                .text(format!("invite_email_{}", row + 1), email.to_string())
                .text(format!("invite_role_{}", row + 1), role.to_string());
        }
        let response = client
            .post(self.url("/settings/workspaces"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "creating {name}: {}",
            response.text().await.unwrap_or_default()
        );
        self.space_id_named(name)
    }
}

/// The paths of the invitation links (full `http://…/invitations/…` URLs)
/// in `text`, distinct, in order.
pub fn invitation_paths_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("http://") {
        let url = &text[at..];
        let url = &url[..url
            .find(|c: char| c.is_whitespace() || c == '"' || c == '<')
            .unwrap_or(url.len())];
        if let Some(start) = url.find("/invitations/") {
            let path = url[start..].to_owned();
            if !found.contains(&path) {
                found.push(path);
            }
        }
    }
    found
}

/// The path of the first invitation link in `text`.
pub fn invitation_path_in(text: &str) -> Option<String> {
    invitation_paths_in(text).into_iter().next()
}

fn decode_quoted_printable(raw: &str) -> String {
    raw.replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=")
}
