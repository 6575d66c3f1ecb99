use anyhow::Context;
use clap::Parser;

use subspace::config::{AccountCommand, Cli, Command, PlanCommand, Settings};
use subspace::domain::{Email, SpaceName};
use subspace::startup::Application;
use subspace::{accounts, db, mail, telemetry};

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let serving = matches!(cli.command, None | Some(Command::Serve));
    // Operator commands print their answer on stdout; logs go to stderr there.
    telemetry::init(if serving { "info" } else { "warn" });
    let settings = Settings::from_options(cli.options);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(settings.clone()).await?;
            let host = settings
                .bind
                .rsplit_once(':')
                .map_or("127.0.0.1", |(host, _)| host);
            tracing::info!("Subspace is serving on http://{host}:{}", app.port());
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            let mut conn = open(&settings)?;
            println!("{} migration(s) applied", db::run_migrations(&mut conn)?);
        }
        Command::Account(AccountCommand::Create { name, owner_email }) => {
            let name = SpaceName::parse(&name).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
            let owner =
                Email::parse(&owner_email).map_err(|e| anyhow::anyhow!("--owner-email: {e}"))?;
            let mut conn = open(&settings)?;
            db::run_migrations(&mut conn)?;
            let (space, token) = accounts::create_account(&mut conn, &name, &owner)?;
            let public_url = settings
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", settings.bind));
            let link = mail::invitation_link(&public_url, &token);
            let mailer = mail::Mailer::new(settings.smtp_url.as_deref(), &settings.data_dir)?;
            let email = mail::invitation(
                owner.as_str(),
                "Your Subspace operator",
                &space.name,
                "Super admin",
                &link,
            );
            if let Err(error) = mailer.send(&email) {
                eprintln!(
                    "warning: the invitation email could not be sent ({error}); give the owner the link below"
                );
            }
            println!("Created account {} ({})", space.name, space.id);
            println!(
                "Owner invitation for {} (works once, for 7 days):",
                owner.as_str()
            );
            println!("{link}");
        }
        Command::Plan(PlanCommand::Set { space, plan, seats }) => {
            let seats = i32::try_from(seats).context("--seats is too large")?;
            let mut conn = open(&settings)?;
            db::run_migrations(&mut conn)?;
            let (space, used) = accounts::set_plan(&mut conn, &space, &plan, seats)?;
            println!("{}: plan {plan}, {seats} seats ({used} in use)", space.name);
            if used > i64::from(seats) {
                println!(
                    "note: more seats are in use than the plan has; new invitations are refused until enough are free"
                );
            }
        }
    }
    Ok(())
}

fn open(settings: &Settings) -> anyhow::Result<db::DbConnection> {
    std::fs::create_dir_all(&settings.data_dir)?;
    Ok(db::establish(&settings.database_url)?)
}
