//! The command line: serve (the default), migrate, user management, audit verification and the
//! demo seed. Each command calls the same service functions the pages use.

use std::io::{Read, Write};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Parser, Subcommand};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::config::{Settings, SettingsArgs};

/// Tollgate: the lifecycle of third-party API integrations.
#[derive(Debug, Parser)]
#[command(name = "tollgate", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate and serve the web application (the default).
    Serve,
    /// Run pending database migrations and exit.
    Migrate,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Check the activity trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Lifecycle stages.
    #[command(subcommand)]
    Stage(StageCommand),
    /// Personal API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Demo data.
    #[command(subcommand)]
    Demo(DemoCommand),
    /// Provider API specifications.
    #[command(subcommand)]
    Spec(SpecCommand),
    /// Serve a provider simulator whose /health answers healthy, failing or slow as set by
    /// `PUT /mode` (for the demo, browser tests and benchmarks). Runs until stopped.
    Simulate {
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1:4010")]
        listen: std::net::SocketAddr,
        /// How long a slow answer takes, in milliseconds.
        #[arg(long, default_value_t = 5000)]
        slow_ms: u64,
    },
}

/// `tollgate spec ...`
#[derive(Debug, Subcommand)]
pub enum SpecCommand {
    /// Compare two OpenAPI documents (2.0, 3.0 or 3.1; JSON or YAML) and classify every change
    /// with oasdiff's rule ids and levels. Exits 1 when --fail-on is given and a change at or
    /// above that level exists, 2 when a document or an option cannot be read, else 0.
    Diff(DiffArgs),
    /// As `diff`, with only the changes that may break a client (ERR and WARN), as oasdiff's
    /// `breaking` prints them.
    Breaking(DiffArgs),
    /// As `diff`: every change, ERR, WARN and INFO, as oasdiff's `changelog` prints them.
    Changelog(DiffArgs),
}

/// What `tollgate spec diff`, `breaking` and `changelog` take.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The earlier document.
    base: std::path::PathBuf,
    /// The later document.
    revision: std::path::PathBuf,
    /// text, json, yaml, markdown or githubactions (annotations for a GitHub Actions run).
    #[arg(long, default_value = "text")]
    format: String,
    /// ERR, WARN or INFO: exit 1 when a change at or above this level exists.
    #[arg(long)]
    fail_on: Option<String>,
    /// Compare only the paths whose template (`/v1/charges/{id}`) matches this regular
    /// expression.
    #[arg(long)]
    match_path: Option<String>,
    /// Leave out the operations and path items with an extension whose name (`x-beta`)
    /// matches this regular expression.
    #[arg(long)]
    filter_extension: Option<String>,
    /// description, examples, title, summary (comma-separated): accepted as oasdiff takes
    /// them; Tollgate never reports changes to these.
    #[arg(long)]
    exclude_elements: Option<String>,
    /// Days a deprecated beta endpoint, parameter or property must still be served: a new
    /// deprecation without a sunset date, or with one sooner, is an error (as oasdiff's).
    #[arg(long, default_value_t = 0)]
    deprecation_days_beta: u32,
    /// The same for stable ones (and those without a stability level).
    #[arg(long, default_value_t = 0)]
    deprecation_days_stable: u32,
    /// Print how long reading, indexing and comparing took, and the peak memory, to
    /// standard error (for bench/specs.sh).
    #[arg(long)]
    timings: bool,
}

/// Reads and checks one specification file.
fn read_spec(path: &std::path::Path) -> Result<app::specs::document::Document> {
    let bytes = std::fs::read(path).map_err(|e| anyhow!("cannot read {}: {e}", path.display()))?;
    app::specs::document::parse(&bytes).map_err(|e| {
        anyhow!(
            "{}: {}",
            path.display(),
            e.field_message("file").unwrap_or_else(|| e.to_string())
        )
    })
}

/// `tollgate spec diff`, `breaking` (`only_breaking`: ERR and WARN) and `changelog`: prints
/// the changes; the exit code tells CI what it found.
fn spec_diff(args: &DiffArgs, only_breaking: bool) -> ExitCode {
    use app::specs::narrow::Narrowing;
    use app::specs::{diff, index, render};
    use std::time::Instant;
    let options = (|| {
        let format = render::Format::parse(&args.format)
            .ok_or_else(|| format!("--format is {}", render::Format::NAMES))?;
        let fail_on = match args.fail_on.as_deref() {
            None => None,
            Some(l) => Some(diff::Level::parse(l).ok_or("--fail-on is ERR, WARN or INFO")?),
        };
        let narrowing =
            Narrowing::new(args.match_path.as_deref(), args.filter_extension.as_deref())?;
        if let Some(excluded) = &args.exclude_elements {
            app::specs::narrow::check_excluded(excluded)?;
        }
        Ok::<_, String>((format, fail_on, narrowing))
    })();
    let (format, fail_on, narrowing) = match options {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let (base, revision, timings) = (&args.base, &args.revision, args.timings);
    let started = Instant::now();
    let docs = read_spec(base).and_then(|b| {
        let read_base = started.elapsed();
        let n = index::operations(&b).len();
        let indexed = started.elapsed();
        Ok((b, read_base, n, indexed, read_spec(revision)?))
    });
    let (b, read_base, n, indexed, r) = match docs {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let read_both = started.elapsed();
    let (b, r) = (narrowing.apply(b), narrowing.apply(r));
    let policy = app::specs::deprecation::Policy {
        beta_days: args.deprecation_days_beta,
        stable_days: args.deprecation_days_stable,
    };
    let mut changes = diff::diff_with(&b, &r, chrono::Utc::now().date_naive(), policy);
    if only_breaking {
        changes.retain(|c| c.level >= diff::Level::Warn);
    }
    if timings {
        eprintln!(
            "timings: base read {} ms, indexed ({n} operations) {} ms; revision read {} ms; diff {} ms ({} changes); peak memory {}",
            read_base.as_millis(),
            (indexed - read_base).as_millis(),
            (read_both - indexed).as_millis(),
            (started.elapsed() - read_both).as_millis(),
            changes.len(),
            std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| s
                    .lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .map(|l| l[6..].trim().to_string()))
                .unwrap_or_else(|| "unknown".into()),
        );
    }
    let mut report = render::render(&changes, format);
    if matches!(format, render::Format::Json) {
        report.push('\n');
    }
    // A reader that stops early (`| head`) is not an error: the report ends there.
    let mut out = std::io::stdout().lock();
    match out.write_all(report.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: writing the report: {e}");
            return ExitCode::from(2);
        }
        _ => {}
    }
    match fail_on {
        Some(level) if render::fails(&changes, level) => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    }
}

/// `tollgate token ...`
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user and print it (once), for pipelines and first set-up.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// read or read-write
        #[arg(long)]
        scope: String,
        #[arg(long)]
        expires_in_days: Option<i64>,
    },
}

/// `tollgate stage ...`
#[derive(Debug, Subcommand)]
pub enum StageCommand {
    /// Move an integration to another stage, as the user with --as (a coordinator or admin).
    /// The gate is evaluated exactly as on the page.
    Move {
        /// The integration's slug.
        #[arg(long)]
        integration: String,
        /// planning, implementation, testing, live, retired or on_hold
        #[arg(long)]
        to: String,
        /// The email of the user making the move.
        #[arg(long = "as")]
        actor: String,
        /// Why (required to send back, hold or retire).
        #[arg(long, default_value = "")]
        reason: String,
        /// An admin's justification for passing a closed gate (20+ characters).
        #[arg(long, default_value = "")]
        override_justification: String,
    },
}

/// `tollgate user ...`
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. Without --password-stdin a strong password is generated and printed.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, coordinator, engineer, qa or stakeholder
        #[arg(long)]
        role: String,
        /// Read the password from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set an account's password (for recovery).
    SetPassword {
        #[arg(long)]
        email: String,
        /// Read the password from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

/// `tollgate audit ...`
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain and check every signed checkpoint against it (a changed, deleted
    /// or cut-off row, a rewritten chain); exit 0 when intact, 1 naming the first bad row.
    Verify {
        /// Print the verdict as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write a signed checkpoint of the trail's head now (the server writes one every
    /// TOLLGATE_TRAIL_CHECKPOINT_EVERY appends and at shutdown).
    Checkpoint,
}

/// `tollgate demo ...`
#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Load the SayPro Classified demo portfolio (idempotent).
    Seed,
    /// Add a generated portfolio for benchmarks (bench/dashboard.sh): numbered integrations
    /// in every stage with stage history, milestones, a monitored environment each with probe
    /// history, incidents and trail rows. Not idempotent: each run adds more.
    Generate {
        /// Who owns the generated integrations.
        #[arg(long)]
        owner: String,
        #[arg(long, default_value_t = 1000)]
        integrations: usize,
        /// Probe results, spread over the environments.
        #[arg(long, default_value_t = 1_000_000)]
        probe_results: usize,
        #[arg(long, default_value_t = 100_000)]
        trail_rows: usize,
        /// How many environments' checks fall due over the next minute, so a server's
        /// monitor runs them (the others' in ten years).
        #[arg(long, default_value_t = 0)]
        checks_due: usize,
        /// Searchable records besides those above: meetings, action items and defects whose
        /// text is generated words (bench/search.sh).
        #[arg(long, default_value_t = 0)]
        records: usize,
    },
}

fn read_password(from_stdin: bool) -> Result<(String, bool)> {
    if from_stdin {
        let mut input = String::new();
        std::io::stdin().read_to_string(&mut input)?;
        let password = input.trim_end_matches(['\n', '\r']).to_string();
        Ok((password, false))
    } else {
        Ok((app::auth::service::new_setup_code().to_lowercase(), true))
    }
}

fn app_error(e: app::error::AppError) -> anyhow::Error {
    anyhow!("{e}")
}

async fn connected(settings: &Settings) -> Result<sea_orm::DatabaseConnection> {
    let db = crate::db::connect(&settings.database_url).await?;
    crate::db::migrate(&db).await?;
    Ok(db)
}

/// Runs a command other than `serve`.
///
/// # Errors
/// Any failure, described for the person at the terminal.
/// The active account with this email, as the acting user.
async fn active_user(
    db: &sea_orm::DatabaseConnection,
    email: &str,
) -> Result<app::auth::model::CurrentUser> {
    let user = app::entities::users::Entity::find()
        .filter(app::entities::users::Column::Email.eq(email.trim().to_lowercase()))
        .one(db)
        .await?
        .filter(|u| u.active)
        .ok_or_else(|| anyhow!("no active account with email {email}"))?;
    app::auth::service::to_current(&user).map_err(app_error)
}

pub async fn run(command: Command, settings: &Settings) -> Result<ExitCode> {
    match command {
        Command::Serve => bail!("serve is handled by main"),
        Command::Spec(SpecCommand::Diff(args) | SpecCommand::Changelog(args)) => {
            return Ok(spec_diff(&args, false));
        }
        Command::Spec(SpecCommand::Breaking(args)) => return Ok(spec_diff(&args, true)),
        Command::Simulate { listen, slow_ms } => {
            let listener = tokio::net::TcpListener::bind(listen)
                .await
                .with_context(|| format!("could not listen on {listen}"))?;
            println!(
                "Provider simulator on http://{listen}/health (PUT /mode healthy|failing|slow)"
            );
            app::monitoring::simulator::spawn(
                listener,
                app::monitoring::simulator::Simulator::new(slow_ms),
            )
            .await
            .context("simulator")?;
        }
        Command::Migrate => {
            connected(settings).await?;
            println!("Migrations are up to date.");
        }
        Command::User(UserCommand::Create {
            email,
            name,
            role,
            password_stdin,
        }) => {
            let db = connected(settings).await?;
            let (password, generated) = read_password(password_stdin)?;
            let input = app::users::model::NewUser {
                email,
                name,
                role,
                password: password.clone(),
            };
            let user = app::users::service::create_user(&db, None, input)
                .await
                .map_err(|e| match e {
                    app::error::AppError::Validation(errors) => anyhow!("invalid input: {errors}"),
                    other => app_error(other),
                })?;
            println!(
                "Created {} <{}> as {}.",
                user.name,
                user.email,
                user.role.as_str()
            );
            if generated {
                println!("Password: {password}");
                println!("Share it privately; they can change it under Account.");
            }
        }
        Command::User(UserCommand::SetPassword {
            email,
            password_stdin,
        }) => {
            let db = connected(settings).await?;
            let (password, generated) = read_password(password_stdin)?;
            app::users::service::set_password_by_email(&db, &email, password.clone())
                .await
                .map_err(|e| match e {
                    app::error::AppError::NotFound => anyhow!("no account with email {email}"),
                    app::error::AppError::Validation(errors) => anyhow!("invalid input: {errors}"),
                    other => app_error(other),
                })?;
            println!("Password set for {email}.");
            if generated {
                println!("Password: {password}");
            }
        }
        Command::Audit(AuditCommand::Verify { json }) => {
            let db = connected(settings).await?;
            let anchor = crate::trail_anchor(settings, false).ok();
            let verdict = app::activity::anchor::verify(&db, anchor.as_ref())
                .await
                .map_err(app_error)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&verdict)?);
            }
            match &verdict.problem {
                None if !json => {
                    let anchored = verdict.anchored_to.map_or_else(
                        || "no checkpoint yet".to_string(),
                        |row| format!("anchored by checkpoints up to row {row}"),
                    );
                    println!(
                        "Activity trail intact: {} rows verified, {anchored} ({} checkpoints in the database, {} in {}).",
                        verdict.rows,
                        verdict.checkpoints_in_database,
                        verdict.checkpoints_in_file,
                        settings.trail_checkpoint_file
                    );
                }
                None => {}
                Some(problem) => {
                    let at = problem
                        .row_id
                        .map_or_else(String::new, |row| format!(" at row {row}"));
                    eprintln!("Activity trail BROKEN{at}: {}.", problem.reason);
                    return Ok(ExitCode::FAILURE);
                }
            }
        }
        Command::Audit(AuditCommand::Checkpoint) => {
            let db = connected(settings).await?;
            let anchor = crate::trail_anchor(settings, true)?;
            match anchor.checkpoint(&db).await.map_err(app_error)? {
                Some(c) => println!(
                    "Checkpoint written: row {} ({}), in the database and {}.",
                    c.row_id, c.head_hash, settings.trail_checkpoint_file
                ),
                None => println!("The newest checkpoint already covers the trail's head."),
            }
        }
        Command::Stage(StageCommand::Move {
            integration,
            to,
            actor,
            reason,
            override_justification,
        }) => {
            let db = connected(settings).await?;
            let user = active_user(&db, &actor).await?;
            let found = app::integrations::lookup::integration(&db, &integration)
                .await
                .map_err(|_| anyhow!("no integration with slug {integration}"))?;
            let request = app::lifecycle::model::MoveRequest {
                to,
                reason,
                override_justification,
            };
            let moved = app::lifecycle::service::transition(
                &db,
                &user,
                found.id,
                &request,
                &app::gate::GateContext {
                    health_successes: settings.gate_health_successes,
                },
            )
            .await
            .map_err(|e| anyhow!("{e}"))?;
            println!(
                "{integration}: {} -> {}{}",
                moved.from.as_str(),
                moved.to.as_str(),
                if moved.override_justification.is_some() {
                    " (gate overridden)"
                } else {
                    ""
                }
            );
        }
        Command::Token(TokenCommand::Create {
            email,
            name,
            scope,
            expires_in_days,
        }) => {
            let db = connected(settings).await?;
            let owner = active_user(&db, &email).await?;
            let days = expires_in_days.map(|d| d.to_string()).unwrap_or_default();
            let created = app::tokens::service::create(
                &db,
                &owner,
                &name,
                &scope,
                &days,
                settings.token_max_days,
            )
            .await
            .map_err(|e| match e {
                app::error::AppError::Validation(errors) => anyhow!("invalid input: {errors}"),
                other => app_error(other),
            })?;
            println!("{}", created.secret);
        }
        Command::Demo(DemoCommand::Generate {
            owner,
            integrations,
            probe_results,
            trail_rows,
            checks_due,
            records,
        }) => {
            let db = connected(settings).await?;
            let owner = active_user(&db, &owner).await?;
            let started = std::time::Instant::now();
            let size = crate::seed::generate::Size {
                integrations,
                probe_results,
                trail_rows,
                checks_due,
                records,
            };
            let made = crate::seed::generate::fill(&db, owner.id, size, chrono::Utc::now())
                .await
                .map_err(app_error)?;
            println!(
                "Generated {made} integrations, {probe_results} probe results, {trail_rows} trail rows and {records} searchable records in {:.1} s.",
                started.elapsed().as_secs_f64()
            );
        }
        Command::Demo(DemoCommand::Seed) => {
            let db = connected(settings).await?;
            let summary = crate::seed::demo::seed(&db).await.map_err(app_error)?;
            println!(
                "Demo data loaded: {} users and {} integrations added.",
                summary.users_created, summary.integrations_created
            );
            println!(
                "Sign in as admin@saypro.example, coordinator@..., engineer@..., qa@... or stakeholder@saypro.example with password {}",
                crate::seed::demo::DEMO_PASSWORD
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]

    use clap::{CommandFactory, Parser};

    use super::Cli;
    use crate::config::Settings;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn a_setting_given_as_a_flag_is_checked_and_a_bad_one_names_its_variable() {
        let cli = Cli::try_parse_from([
            "tollgate",
            "--listen",
            "0.0.0.0:8080",
            "--down-after",
            "4",
            "--database-url",
            "sqlite::memory:",
            "migrate",
        ])
        .expect("flags");
        let s = Settings::from_args(&cli.settings).expect("valid settings");
        assert_eq!((s.listen.port(), s.down_after), (8080, 4));
        assert!(s.secure_cookies, "secure by default off loopback");
        for (flag, value, variable) in [
            ("--down-after", "0", "TOLLGATE_DOWN_AFTER"),
            ("--listen", "nowhere", "TOLLGATE_LISTEN"),
            ("--monitor", "maybe", "TOLLGATE_MONITOR"),
            (
                "--trusted-proxies",
                "proxy.internal",
                "TOLLGATE_TRUSTED_PROXIES",
            ),
            ("--database-url", "mysql://db/tollgate", "DATABASE_URL"),
            (
                "--session-idle-minutes",
                "0",
                "TOLLGATE_SESSION_IDLE_MINUTES",
            ),
        ] {
            let cli = Cli::try_parse_from(["tollgate", flag, value]).expect("flags");
            let err = Settings::from_args(&cli.settings)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.contains(variable), "{flag} {value}: {err:?}");
        }
    }
}
