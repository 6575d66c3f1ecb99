//! Storage: one connection type over SQLite and PostgreSQL, its pool, the
//! embedded migrations and the transaction helper every write goes through.

pub mod schema;

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// The one connection type the whole app is written against.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

pub type Pool = r2d2::Pool<ConnectionManager>;
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

/// Which backend a database URL names. Chosen from the scheme, never by trial:
/// SQLite accepts any string as a file name, so a mistyped PostgreSQL URL must
/// not silently become a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// Opens one connection of the backend named by `url` and prepares it.
pub fn establish(url: &str) -> ConnectionResult<DbConnection> {
    match Backend::of_url(url) {
        Backend::Postgres => PgConnection::establish(url).map(DbConnection::Pg),
        Backend::Sqlite => {
            let mut conn = SqliteConnection::establish(url)?;
            // busy_timeout first: it makes a second writer (or a second
            // connection switching to WAL) wait for the lock instead of
            // failing at once. WAL lets readers proceed during a write.
            conn.batch_execute(
                "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
            )
            .map_err(ConnectionError::CouldntSetupConfiguration)?;
            Ok(DbConnection::Sqlite(conn))
        }
    }
}

/// r2d2 manager that opens connections with [`establish`].
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: String,
}

impl ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        establish(&self.url).map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

/// Builds the pool. SQLite gets a small pool: it has one writer anyway, and
/// every extra connection is one more waiter on the write lock.
pub fn pool(url: &str) -> anyhow::Result<Pool> {
    let size = match Backend::of_url(url) {
        Backend::Postgres => 10,
        Backend::Sqlite => 4,
    };
    let pool = r2d2::Pool::builder()
        .max_size(size)
        .connection_timeout(Duration::from_secs(10))
        .build(ConnectionManager {
            url: url.to_owned(),
        })?;
    Ok(pool)
}

/// Applies every pending migration of the connection's backend.
pub fn run_migrations(conn: &mut DbConnection) -> anyhow::Result<usize> {
    let applied = match conn {
        DbConnection::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
    }
    .map_err(|e| anyhow::anyhow!("running migrations failed: {e}"))?;
    Ok(applied.len())
}

/// Runs `f` in a write transaction. On SQLite the write lock is taken at BEGIN
/// (`BEGIN IMMEDIATE`): a deferred transaction that reads and then writes can
/// fail with SQLITE_BUSY when another writer got there first, which would turn
/// two concurrent clicks into an error instead of a queue.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    type Manager = <DbConnection as Connection>::TransactionManager;
    if let DbConnection::Sqlite(inner) = conn {
        AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
        match f(conn) {
            Ok(value) => match Manager::commit_transaction(conn) {
                Ok(()) => Ok(value),
                Err(error) => {
                    // Leave the pooled connection outside any transaction.
                    let _ = Manager::rollback_transaction(conn);
                    Err(error.into())
                }
            },
            Err(error) => {
                Manager::rollback_transaction(conn)?;
                Err(error)
            }
        }
    } else {
        conn.transaction(f)
    }
}

/// True when `err` is a unique-constraint violation (same kind on both backends).
pub fn is_unique_violation(err: &diesel::result::Error) -> bool {
    matches!(
        err,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}
