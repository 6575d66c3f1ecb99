use clap::Parser;

use subspace::config::{Cli, Command, Settings};
use subspace::startup::Application;
use subspace::{db, telemetry};

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    telemetry::init("info");
    let settings = Settings::from_options(cli.options);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => {
            std::fs::create_dir_all(&settings.data_dir)?;
            let mut conn = db::establish(&settings.database_url)?;
            let applied = db::run_migrations(&mut conn)?;
            println!("{applied} migration(s) applied");
        }
        Command::Serve => {
            let app = Application::build(settings.clone()).await?;
            let host = settings
                .bind
                .rsplit_once(':')
                .map_or("127.0.0.1", |(host, _)| host);
            tracing::info!("Subspace is serving on http://{host}:{}", app.port());
            app.run_until_stopped().await?;
        }
    }
    Ok(())
}
