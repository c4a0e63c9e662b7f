//! `tollgate`: settings, telemetry, then either a CLI command or the server.
#![recursion_limit = "256"]

use std::process::ExitCode;

use clap::Parser;
use server::cli::{Cli, Command};
use server::config::Settings;
use server::{Application, telemetry};

/// mimalloc rather than the system allocator: under many readers glibc's allocator gave each
/// busy thread an arena of its own and kept what they freed, so the server's resident memory
/// grew by half again over what it held (bench/load.sh: 202 MB against 138 MB).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

async fn serve(settings: Settings) -> anyhow::Result<ExitCode> {
    let app = Application::build(settings.clone()).await?;
    let url = format!("http://{}:{}", settings.listen.ip(), app.port());
    tracing::info!("Tollgate is listening on {url}");
    println!("\n  Tollgate is running at {url}\n");
    if let Some(code) = &app.setup_code {
        println!("  No user exists yet. Create the first admin either:");
        println!("    - in the browser at {url}/setup with the one-time set-up code {code}");
        println!(
            "    - or from the shell: tollgate user create --email you@example.com --name \"Your Name\" --role admin\n"
        );
        tracing::info!(setup_code = %code, "first-run set-up code");
    }
    app.run_until_stopped().await?;
    Ok(ExitCode::SUCCESS)
}

/// The most threads the runtime starts for blocking work: reading static files (every asset
/// request), hashing passwords (one per core: `app::auth::service`), compressing specs. Left
/// at tokio's 512, 32 connections fetching an asset started 86 threads, each with a stack and
/// an allocator heap of its own: 60 MB more resident memory for a stylesheet.
const BLOCKING_THREADS: usize = 8;

fn main() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS)
        .build();
    match runtime {
        Ok(runtime) => runtime.block_on(start()),
        Err(err) => {
            eprintln!("error: could not start the runtime: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn start() -> ExitCode {
    // A missing .env is normal; a malformed one is reported by the settings it breaks.
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    let result = async {
        let settings = Settings::from_args(&cli.settings)?;
        telemetry::init(&settings.log_filter)?;
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => serve(settings).await,
            other => server::cli::run(other, &settings).await,
        }
    }
    .await;
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
