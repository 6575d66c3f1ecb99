//! Settings: read once from flags and environment (clap), then passed down as
//! one plain struct. Tests build the struct directly.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "subspace",
    version,
    about = "Sub-workspace control plane for a generative-video account"
)]
pub struct Cli {
    #[command(flatten)]
    pub options: Options,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage accounts (root spaces).
    #[command(subcommand)]
    Account(AccountCommand),
    /// Manage the subscriptions of billing roots.
    #[command(subcommand)]
    Plan(PlanCommand),
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Create a root space and print a one-time invitation link for its owner.
    Create {
        /// The account's (root space's) name.
        #[arg(long)]
        name: String,
        /// The owner's email: they become its Super admin when they accept.
        #[arg(long)]
        owner_email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Set the plan and seats of a billing root (by id, or by its unique name).
    Set {
        space: String,
        #[arg(long)]
        plan: String,
        #[arg(long)]
        seats: u32,
    },
}

#[derive(Debug, Args)]
pub struct Options {
    /// Address and port to listen on.
    #[arg(
        long,
        env = "SUBSPACE_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: String,
    /// Folder for the SQLite database, the generated secret key and the mail outbox.
    #[arg(
        long,
        env = "SUBSPACE_DATA_DIR",
        default_value = "./data",
        global = true
    )]
    pub data_dir: PathBuf,
    /// `postgres://…` switches to PostgreSQL; unset means SQLite in the data folder.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// `smtp://` or `smtps://` URL for outgoing mail; unset writes mail to the outbox folder.
    #[arg(long, env = "SUBSPACE_SMTP_URL", global = true)]
    pub smtp_url: Option<String>,
    /// The address people reach the app at, for links in emails
    /// (default: `http://` and the bind address).
    #[arg(long, env = "SUBSPACE_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// Mark cookies `Secure` (set when the app is served over HTTPS).
    #[arg(
        long,
        env = "SUBSPACE_SECURE_COOKIES",
        default_value_t = false,
        global = true
    )]
    pub secure_cookies: bool,
    /// Count sign-in attempts by the client address a proxy puts in
    /// `X-Forwarded-For`/`Forwarded` (only behind a proxy you trust).
    #[arg(
        long,
        env = "SUBSPACE_TRUST_FORWARDED_FOR",
        default_value_t = false,
        global = true
    )]
    pub trust_forwarded_for: bool,
    /// A session ends after this many minutes without a request.
    #[arg(
        long,
        env = "SUBSPACE_SESSION_IDLE_MINUTES",
        default_value_t = 120,
        global = true
    )]
    pub session_idle_minutes: u64,
    /// A session ends this many hours after sign-in, however active.
    #[arg(
        long,
        env = "SUBSPACE_SESSION_MAX_HOURS",
        default_value_t = 12,
        global = true
    )]
    pub session_max_hours: u64,
}

/// Everything the application needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: String,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub smtp_url: Option<String>,
    pub public_url: Option<String>,
    pub secure_cookies: bool,
    pub trust_forwarded_for: bool,
    pub session_idle: Duration,
    pub session_absolute: Duration,
}

impl Settings {
    pub fn from_options(options: Options) -> Settings {
        let database_url = options.database_url.unwrap_or_else(|| {
            options
                .data_dir
                .join("subspace.db")
                .to_string_lossy()
                .into_owned()
        });
        Settings {
            bind: options.bind,
            data_dir: options.data_dir,
            database_url,
            smtp_url: options.smtp_url.filter(|url| !url.is_empty()),
            public_url: options
                .public_url
                .filter(|url| !url.is_empty())
                .map(|url| url.trim_end_matches('/').to_owned()),
            secure_cookies: options.secure_cookies,
            trust_forwarded_for: options.trust_forwarded_for,
            session_idle: Duration::from_secs(options.session_idle_minutes * 60),
            session_absolute: Duration::from_secs(options.session_max_hours * 3600),
        }
    }
}
