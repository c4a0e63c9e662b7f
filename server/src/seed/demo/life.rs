//! A live integration's week: hourly checks with one outage, its incident where the outage
//! was, user feedback, recurring audits, and for Stripe a spec that changed under it.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};

use app::auth::model::CurrentUser;
use app::entities::{incident_updates, incidents};
use app::error::Result;

use super::portfolio::{SPEC_AFTER, SPEC_BEFORE};

/// Puts incident `id` where its outage was: opened `opened_hours_ago`, and resolved (with its
/// updates) `resolved_hours_ago` when it is resolved, so the time to resolve reads as it was.
async fn backdate_incident(
    db: &impl ConnectionTrait,
    id: i32,
    opened_hours_ago: i64,
    resolved_hours_ago: i64,
) -> Result<()> {
    let now = chrono::Utc::now();
    let opened = now - chrono::Duration::hours(opened_hours_ago);
    let resolved = now - chrono::Duration::hours(resolved_hours_ago);
    incidents::Entity::update_many()
        .col_expr(incidents::Column::OpenedAt, Expr::value(opened))
        .filter(incidents::Column::Id.eq(id))
        .exec(db)
        .await?;
    incidents::Entity::update_many()
        .col_expr(incidents::Column::ResolvedAt, Expr::value(resolved))
        .filter(incidents::Column::Id.eq(id))
        .filter(incidents::Column::ResolvedAt.is_not_null())
        .exec(db)
        .await?;
    for u in incident_updates::Entity::find()
        .filter(incident_updates::Column::IncidentId.eq(id))
        .order_by_asc(incident_updates::Column::Id)
        .all(db)
        .await?
    {
        let at = if u.status == app::monitoring::model::IncidentStatus::Resolved {
            resolved
        } else {
            opened
        };
        incident_updates::Entity::update_many()
            .col_expr(incident_updates::Column::CreatedAt, Expr::value(at))
            .filter(incident_updates::Column::Id.eq(u.id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// A week of life after go-live: hourly checks with one outage, its incident (resolved on
/// Stripe, still being looked into elsewhere), user feedback, and for Stripe a spec that
/// changed under it.
pub(super) async fn live(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
    coordinator: &CurrentUser,
    integration_id: i32,
    production: i32,
    slug: &str,
) -> Result<()> {
    use app::monitoring::model::{IncidentForm, IncidentUpdateForm};
    use app::monitoring::{incidents, service as monitoring};
    use app::provider::model::FeedbackForm;
    let now = chrono::Utc::now();
    let stripe = slug == "stripe-payments";
    let outage = if stripe { 50..=51 } else { 30..=32 };
    let week: Vec<_> = (25..=168)
        .map(|h| {
            let up = !outage.contains(&h);
            (
                now - chrono::Duration::hours(h),
                if up { 140 } else { 5000 },
                up,
            )
        })
        .collect();
    monitoring::import_history(db, production, &week, 3).await?;
    let incident = IncidentForm {
        title: if stripe {
            "Checkout returned 503 for two hours".into()
        } else {
            "Lookups timed out from the Cape Town region".into()
        },
        severity: if stripe { "major" } else { "minor" }.into(),
        environment_id: production.to_string(),
        note: "Production checks failed; customers reported it too.".into(),
    };
    let id = incidents::create(db, coordinator, integration_id, &incident).await?;
    let update = if stripe {
        IncidentUpdateForm {
            status: "resolved".into(),
            note: "Stripe rolled back a faulty edge deploy.".into(),
            ticket_ref: "STRIPE-58213".into(),
            root_cause: "A provider-side deploy to their edge network.".into(),
            postmortem: "Add a retry with backoff on 503 and alert after two failed checks.".into(),
        }
    } else {
        IncidentUpdateForm {
            status: "investigating".into(),
            note: "IPinfo support is looking at their Cape Town edge.".into(),
            ..Default::default()
        }
    };
    incidents::update(db, coordinator, id, &update).await?;
    // Opened when the outage began; Stripe's resolved when its checks came back.
    if stripe {
        backdate_incident(db, id, 51, 49).await?;
    } else {
        backdate_incident(db, id, 32, 32).await?;
    }
    let feedback: [(&str, &str, &str, &str); 3] = if stripe {
        [
            (
                "survey",
                "4",
                "Paying for a featured listing took a minute.",
                "checkout",
            ),
            (
                "support",
                "2",
                "My card was declined twice before it worked.",
                "checkout",
            ),
            ("app_review", "5", "Finally I can pay online.", "payments"),
        ]
    } else {
        [
            (
                "survey",
                "5",
                "Nearby listings first is a big help.",
                "search",
            ),
            (
                "support",
                "2",
                "It thinks I am in Johannesburg; I live in Durban.",
                "accuracy",
            ),
            ("app_review", "4", "Search feels local now.", "search"),
        ]
    };
    for (source, rating, comment, area) in feedback {
        let form = FeedbackForm {
            source: source.into(),
            rating: rating.into(),
            comment: comment.into(),
            feature_area: area.into(),
        };
        app::provider::service::add_feedback(db, coordinator, integration_id, &form).await?;
    }
    audits(db, coordinator, integration_id, stripe).await?;
    if stripe {
        for doc in [SPEC_BEFORE, SPEC_AFTER] {
            app::specs::service::import(
                db,
                coordinator,
                integration_id,
                "Stripe API (payments excerpt)",
                doc.as_bytes(),
            )
            .await?;
        }
    }
    Ok(())
}

/// The recurring checks of a live integration: on Stripe a quarterly PCI scope review run a
/// week ago with an open finding, and a monthly webhook-secret check due in five days; on the
/// others a data-retention check three days overdue.
async fn audits(
    db: &(impl ConnectionTrait + TransactionTrait),
    coordinator: &CurrentUser,
    integration_id: i32,
    stripe: bool,
) -> Result<()> {
    use app::audits::model::{AuditForm, FindingForm, RunForm};
    use app::audits::service as audits;
    let today = app::calendar::today();
    let day = |n: i64| today + chrono::Duration::days(n);
    let audit = |title: &str, checks: &str, every: &str, first: chrono::NaiveDate| AuditForm {
        title: title.into(),
        checks: checks.into(),
        interval_days: every.into(),
        first_due: first.to_string(),
        owner_id: coordinator.id.to_string(),
    };
    if !stripe {
        let form = audit(
            "Data-retention check",
            "Location lookups older than 30 days are purged; no raw IP addresses are kept.",
            "30",
            day(-3),
        );
        audits::create(db, coordinator, integration_id, &form).await?;
        return Ok(());
    }
    let pci = audits::create(
        db,
        coordinator,
        integration_id,
        &audit(
            "Quarterly PCI DSS scope review",
            "No card data is stored or logged; only Stripe Elements touches card numbers.",
            "91",
            day(-10),
        ),
    )
    .await?;
    let run = RunForm {
        performed_on: day(-7).to_string(),
        notes: "Reviewed the checkout flow, the logs and the payment tables.".into(),
    };
    let run_id = audits::record_run(db, coordinator, pci, &run, today).await?;
    let finding = FindingForm {
        summary: "The last four card digits and expiry appear in a debug log".into(),
        severity: "medium".into(),
        remediation: "Drop the payment method object from the checkout debug log.".into(),
        due_on: day(7).to_string(),
    };
    audits::add_finding(db, coordinator, run_id, &finding).await?;
    audits::create(
        db,
        coordinator,
        integration_id,
        &audit(
            "Webhook signing-secret check",
            "The webhook endpoint verifies signatures and the secret is the current one.",
            "30",
            day(5),
        ),
    )
    .await?;
    Ok(())
}
