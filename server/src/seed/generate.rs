//! (ssr) A generated portfolio of any size, for the benchmarks (`bench/dashboard.sh`,
//! `bench/search.sh`): integrations spread over every stage with their stage history,
//! milestones, one monitored environment each with probe history (rolled up as the scheduler
//! would), incidents, trail rows appended through the trail's own hash chain, and searchable
//! records whose text is generated words. Rows go in with multi-row inserts, so a million
//! probe results take seconds, not hours. Not for real data: names are numbered.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, TransactionSession, TransactionTrait,
};

use app::activity::service::{self as activity, NewActivity};
use app::entities::{
    action_items, defects, environments, incidents, integrations, meetings, milestones, monitors,
    probe_results, stage_transitions,
};
use app::error::Result;
use app::implementation::model::{AuthScheme, EnvironmentKind, HealthMethod, WebhookSignature};
use app::integrations::model::{Category, Priority, Stage};
use app::monitoring::model::{ErrorClass, IncidentSeverity, IncidentStatus};
use app::monitors::MonitorState;
use app::planning::model::MilestoneStatus;
use app::testing::model::{DefectStatus, Severity};

/// How big a portfolio to make.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub integrations: usize,
    pub probe_results: usize,
    pub trail_rows: usize,
    /// How many environments' checks fall due over the next minute, so a server's monitor runs
    /// them (`bench/load.sh`); the others' not for ten years, so it runs none of them.
    pub checks_due: usize,
    /// Searchable records besides those above (`bench/search.sh`): meetings, action items
    /// and defects of generated words.
    pub records: usize,
}

/// Rows per multi-row insert: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters.
const BATCH: usize = 1000;

/// The stage of the `n`th integration: 30% planning, 20% implementation, 15% testing, 25%
/// live, 5% on hold and 5% retired.
fn stage_of(n: usize) -> Stage {
    match n % 20 {
        0..=5 => Stage::Planning,
        6..=9 => Stage::Implementation,
        10..=12 => Stage::Testing,
        13..=17 => Stage::Live,
        18 => Stage::OnHold,
        _ => Stage::Retired,
    }
}

/// The forward moves that bring an integration to `stage`.
fn path_to(stage: Stage) -> &'static [(Stage, Stage)] {
    use Stage::{Implementation, Live, OnHold, Planning, Retired, Testing};
    match stage {
        Planning => &[],
        Implementation => &[(Planning, Implementation)],
        Testing => &[(Planning, Implementation), (Implementation, Testing)],
        Live => &[
            (Planning, Implementation),
            (Implementation, Testing),
            (Testing, Live),
        ],
        OnHold => &[(Planning, Implementation), (Implementation, OnHold)],
        Retired => &[
            (Planning, Implementation),
            (Implementation, Testing),
            (Testing, Live),
            (Live, Retired),
        ],
    }
}

async fn insert_all<E, A>(db: &impl ConnectionTrait, rows: Vec<A>) -> Result<()>
where
    E: EntityTrait,
    A: sea_orm::ActiveModelTrait<Entity = E> + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(BATCH).collect();
        E::insert_many(chunk).exec(db).await?;
    }
    Ok(())
}

/// Syllables of the generated words.
const SYLLABLES: [&str; 12] = [
    "ka", "lo", "mi", "ne", "ru", "ta", "vi", "zo", "pe", "su", "do", "fa",
];
/// How many distinct generated words there are.
const VOCABULARY: u64 = 5000;

/// Generated word `i` (of [`VOCABULARY`]): three or four syllables, distinct for each `i`.
fn word(i: u64) -> String {
    let n = SYLLABLES.len() as u64;
    let mut out = String::new();
    let mut rest = i;
    for _ in 0..3 {
        out.push_str(SYLLABLES[usize::try_from(rest % n).unwrap_or(0)]);
        rest /= n;
    }
    if i >= n * n * n {
        out.push_str(SYLLABLES[usize::try_from(rest % n).unwrap_or(0)]);
        out.push('r');
    }
    out
}

/// `count` generated words from `state` (a xorshift generator), in Zipf's proportions as
/// words of real text are: word `i` about as often as 1/(i+1), so the commonest is in most
/// records (as "the" is) and most are rare.
fn sentence(state: &mut u64, count: usize) -> String {
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        #[allow(clippy::cast_precision_loss)]
        let u = (*state % 1_000_000) as f64 / 1_000_000.0;
        // The inverse of Zipf's distribution function, ln(i + 1) / ln(V + 1).
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let i = ((VOCABULARY as f64 + 1.0).powf(u) - 1.0) as u64;
        out.push(word(i.min(VOCABULARY - 1)));
    }
    out.join(" ")
}

/// `n` searchable records spread over `made`: four in ten meetings (a title, notes and
/// decisions), three in ten action items and three in ten defects, their text generated
/// words.
async fn searchable(
    db: &impl ConnectionTrait,
    made: &[integrations::Model],
    owner: i32,
    n: usize,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let (mut meets, mut items, mut bugs) = (Vec::new(), Vec::new(), Vec::new());
    for r in 0..n {
        let i = &made[r % made.len()];
        match r % 10 {
            0..=3 => meets.push(meetings::ActiveModel {
                integration_id: Set(i.id),
                starts_at: Set(now - Duration::days(i64::try_from(r % 300).unwrap_or(0))),
                title: Set(sentence(&mut state, 4)),
                attendee_ids: Set("[]".into()),
                outside_attendees: Set(String::new()),
                agenda: Set(sentence(&mut state, 8)),
                notes: Set(sentence(&mut state, 30)),
                decisions: Set(sentence(&mut state, 10)),
                created_by: Set(Some(owner)),
                created_at: Set(now),
                ..Default::default()
            }),
            4..=6 => items.push(action_items::ActiveModel {
                integration_id: Set(i.id),
                meeting_id: Set(None),
                text: Set(sentence(&mut state, 8)),
                assignee_id: Set(Some(owner)),
                due_date: Set(None),
                done: Set(r % 3 == 0),
                done_at: Set(None),
                created_at: Set(now),
                ..Default::default()
            }),
            _ => bugs.push(defects::ActiveModel {
                integration_id: Set(i.id),
                execution_id: Set(None),
                title: Set(sentence(&mut state, 6)),
                severity: Set(Severity::ALL[r % Severity::ALL.len()]),
                status: Set(DefectStatus::Open),
                tracker_url: Set(String::new()),
                created_by: Set(owner),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }),
        }
        if meets.len() + items.len() + bugs.len() >= BATCH * 3 {
            insert_all(db, std::mem::take(&mut meets)).await?;
            insert_all(db, std::mem::take(&mut items)).await?;
            insert_all(db, std::mem::take(&mut bugs)).await?;
        }
    }
    insert_all(db, meets).await?;
    insert_all(db, items).await?;
    insert_all(db, bugs).await
}

/// Adds a generated portfolio of `size` owned by user `owner`, as of `now`; names continue
/// after any earlier generated ones, and on PostgreSQL the database is vacuumed and its planner's
/// statistics gathered after. Returns how many integrations it added.
///
/// # Errors
/// Database failures.
pub async fn fill(
    db: &(impl ConnectionTrait + TransactionTrait),
    owner: i32,
    size: Size,
    now: DateTime<Utc>,
) -> Result<usize> {
    let first = integrations::Entity::find()
        .filter(integrations::Column::Slug.starts_with("generated-"))
        .count(db)
        .await?;
    let first = usize::try_from(first).unwrap_or(0);
    let providers = [
        "Stripe",
        "Adyen",
        "Onfido",
        "Google Maps",
        "Twilio",
        "Auth0",
        "Clearbit",
    ];
    let categories = Category::ALL;
    let mut rows = Vec::with_capacity(size.integrations);
    for k in 0..size.integrations {
        let n = first + k;
        let created =
            now - Duration::days(120) + Duration::minutes(i64::try_from(n % 10_000).unwrap_or(0));
        rows.push(integrations::ActiveModel {
            name: Set(format!("Generated {n:05}")),
            slug: Set(format!("generated-{n:05}")),
            provider: Set(providers[n % providers.len()].into()),
            category: Set(categories[n % categories.len()]),
            owner_id: Set(owner),
            business_objective: Set("A generated integration for the benchmarks.".into()),
            priority: Set(Priority::ALL[n % Priority::ALL.len()]),
            stage: Set(stage_of(n)),
            tags: Set("[]".into()),
            created_at: Set(created),
            updated_at: Set(created),
            gate_overridden: Set(n % 50 == 0),
            ..Default::default()
        });
    }
    insert_all(db, rows).await?;
    let made = integrations::Entity::find()
        .filter(integrations::Column::Slug.starts_with("generated-"))
        .order_by_asc(integrations::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .skip(first)
        .collect::<Vec<_>>();

    let mut moves = Vec::new();
    let mut due = Vec::new();
    let mut envs = Vec::new();
    for (k, i) in made.iter().enumerate() {
        let stage = i.stage;
        for (step, (from, to)) in path_to(stage).iter().enumerate() {
            moves.push(stage_transitions::ActiveModel {
                integration_id: Set(i.id),
                from_stage: Set(*from),
                to_stage: Set(*to),
                actor_id: Set(Some(owner)),
                at: Set(i.created_at + Duration::days(20 * (i64::try_from(step).unwrap_or(0) + 1))),
                ..Default::default()
            });
        }
        for (m, title) in [
            "Select APIs",
            "Implement the integration",
            "Complete testing",
        ]
        .iter()
        .enumerate()
        {
            let due_date = (i.created_at
                + Duration::days(30 * (i64::try_from(m).unwrap_or(0) + 1)))
            .date_naive();
            let done = path_to(stage).len() > m;
            due.push(milestones::ActiveModel {
                integration_id: Set(i.id),
                title: Set((*title).into()),
                description: Set(String::new()),
                stage: Set(Stage::ALL[m]),
                owner_id: Set(Some(owner)),
                due_date: Set(due_date),
                status: Set(if done {
                    MilestoneStatus::Done
                } else {
                    MilestoneStatus::InProgress
                }),
                completed_on: Set(
                    done.then(|| due_date + Duration::days(i64::try_from(k % 5).unwrap_or(0) - 2))
                ),
                created_at: Set(i.created_at),
                ..Default::default()
            });
        }
        let kind = if stage == Stage::Live {
            EnvironmentKind::Production
        } else {
            EnvironmentKind::Sandbox
        };
        envs.push(environments::ActiveModel {
            integration_id: Set(i.id),
            name: Set(kind.as_str().into()),
            kind: Set(kind),
            base_url: Set("http://127.0.0.1:4010".into()),
            auth_scheme: Set(AuthScheme::NoAuth),
            timeout_ms: Set(5000),
            retry_attempts: Set(0),
            retry_backoff_ms: Set(0),
            rate_limit_requests: Set(None),
            rate_limit_period_seconds: Set(None),
            webhook_url: Set(None),
            webhook_signature: Set(WebhookSignature::Unsigned),
            health_method: Set(Some(HealthMethod::Get)),
            health_path: Set(Some("/health".into())),
            health_expected_status: Set(Some(200)),
            health_keyword: Set(None),
            health_pointer: Set(None),
            health_pointer_value: Set(None),
            health_interval_seconds: Set(Some(60)),
            health_timeout_ms: Set(Some(2000)),
            created_at: Set(i.created_at),
            updated_at: Set(i.created_at),
            ..Default::default()
        });
    }
    insert_all(db, moves).await?;
    insert_all(db, due).await?;
    insert_all(db, envs).await?;
    let env_rows = environments::Entity::find()
        .filter(environments::Column::IntegrationId.is_in(made.iter().map(|i| i.id)))
        .order_by_asc(environments::Column::Id)
        .all(db)
        .await?;
    let mut mons = Vec::new();
    let mut open = Vec::new();
    let mut keys = Vec::new();
    for (k, e) in env_rows.iter().enumerate() {
        keys.push(app::sentry::keys::fresh(e.id, now));
        let down = k % 17 == 0;
        mons.push(monitors::ActiveModel {
            environment_id: Set(e.id),
            state: Set(if down {
                MonitorState::Down
            } else {
                MonitorState::Up
            }),
            failures: Set(if down { 3 } else { 0 }),
            successes: Set(if down { 0 } else { 10 }),
            // Spread over the first interval, or far ahead: a benchmark server's scheduler has
            // nothing to run.
            next_run_at: Set(if k < size.checks_due {
                now + Duration::seconds(i64::try_from(k % 60).unwrap_or(0))
            } else {
                now + Duration::days(3650)
            }),
            lease_owner: Set(None),
            lease_until: Set(None),
            last_checked_at: Set(Some(now)),
            changed_at: Set(Some(now - Duration::days(2))),
            tls_expires_at: Set(Some(
                now + Duration::days(i64::try_from(k % 90).unwrap_or(0)),
            )),
            tls_warned: Set(None),
            slo_target: Set(9990),
        });
        for (n, resolved) in [(k % 5 == 0, true), (down, false)]
            .iter()
            .enumerate()
            .filter(|(_, (on, _))| *on)
            .map(|(n, (_, r))| (n, *r))
        {
            let opened = now - Duration::days(i64::try_from(n + 3).unwrap_or(0));
            open.push(incidents::ActiveModel {
                integration_id: Set(e.integration_id),
                environment_id: Set(Some(e.id)),
                title: Set(format!("{} is down", e.name)),
                severity: Set(IncidentSeverity::Minor),
                status: Set(if resolved {
                    IncidentStatus::Resolved
                } else {
                    IncidentStatus::Open
                }),
                automatic: Set(true),
                opened_at: Set(opened),
                resolved_at: Set(resolved
                    .then(|| opened + Duration::minutes(i64::try_from(10 + k % 120).unwrap_or(0)))),
                ticket_ref: Set(None),
                root_cause: Set(None),
                postmortem: Set(None),
                created_by: Set(None),
                ..Default::default()
            });
        }
    }
    insert_all(db, mons).await?;
    insert_all(db, keys).await?;
    insert_all(db, open).await?;

    // Probe history: each environment's share, a check a minute back from now; one in fifty
    // failed.
    if !env_rows.is_empty() {
        let per = size.probe_results / env_rows.len();
        let mut results = Vec::with_capacity(BATCH);
        for e in &env_rows {
            for m in 0..per {
                let at = now - Duration::minutes(i64::try_from(m + 1).unwrap_or(0));
                let up = (m + usize::try_from(e.id).unwrap_or(0)) % 50 != 0;
                results.push(probe_results::ActiveModel {
                    environment_id: Set(e.id),
                    scheduled_at: Set(at),
                    started_at: Set(at),
                    latency_ms: Set(i32::try_from(80 + m % 40).unwrap_or(80)),
                    status_code: Set(Some(if up { 200 } else { 503 })),
                    up: Set(up),
                    error_class: Set((!up).then_some(ErrorClass::Status)),
                    message: Set(if up {
                        "Answered 200."
                    } else {
                        "Answered 503, expected 200."
                    }
                    .into()),
                    ..Default::default()
                });
                if results.len() == BATCH {
                    probe_results::Entity::insert_many(std::mem::take(&mut results))
                        .exec(db)
                        .await?;
                }
            }
        }
        if !results.is_empty() {
            probe_results::Entity::insert_many(results).exec(db).await?;
        }
        app::monitoring::rollups::roll_up(db, now).await?;
    }

    if !made.is_empty() {
        searchable(db, &made, owner, size.records, now).await?;
    }

    // Trail rows through the chain, in one transaction.
    if !made.is_empty() {
        let txn = activity::begin(db).await?;
        for r in 0..size.trail_rows {
            let i = &made[r % made.len()];
            activity::record(
                &txn,
                NewActivity {
                    actor_id: Some(owner),
                    action: "update",
                    entity_kind: app::integrations::service::ENTITY_KIND,
                    entity_id: i.id.to_string(),
                    before: Some(serde_json::json!({"priority": "medium"})),
                    after: Some(serde_json::json!({"priority": "high"})),
                },
            )
            .await?;
        }
        txn.commit().await?;
    }
    // A bulk load leaves the planner's statistics behind and its tables unvacuumed (the
    // full-text index's pending entries unmerged); autovacuum catches up within minutes, and
    // while it does, every read pays for it. Done now, the generated portfolio is read as one
    // grown over time would be, and a benchmark measures that rather than the catching up.
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        db.execute_unprepared("VACUUM (ANALYZE)").await?;
    }
    Ok(made.len())
}
