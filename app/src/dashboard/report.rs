//! (ssr) The portfolio report: every integration's row of the dashboard, with the pipeline
//! and the key figures, as CSV (the rows) and Markdown (all of it). Built from the same
//! service functions as the page, so the report and the page never disagree.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, TransactionTrait};

use super::model::{KeyFigures, PortfolioRow, StageCount, duration_hours};
use super::service;
use crate::error::Result;
use crate::integrations::model::IntegrationQuery;
use crate::markdown::cell;

/// The report's content.
pub struct Portfolio {
    pub at: DateTime<Utc>,
    pub pipeline: Vec<StageCount>,
    pub figures: KeyFigures,
    /// Every integration, by name.
    pub rows: Vec<PortfolioRow>,
}

/// The whole portfolio as of `now`: the table's rows page by page, by name.
///
/// # Errors
/// Database failures.
pub async fn portfolio(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
    now: DateTime<Utc>,
    ctx: &crate::gate::GateContext,
) -> Result<Portfolio> {
    let mut rows = Vec::new();
    let mut page = 1;
    loop {
        let query = IntegrationQuery {
            sort: Some("name".into()),
            dir: Some("asc".into()),
            page: Some(page.to_string()),
            ..Default::default()
        };
        let list = crate::integrations::service::list(db, &query).await?;
        rows.extend(service::rows(db, &list.items, now, ctx).await?);
        if list.page >= list.pages {
            break;
        }
        page += 1;
    }
    Ok(Portfolio {
        at: now,
        pipeline: super::figures::pipeline(db).await?,
        figures: super::figures::figures(db, now.date_naive()).await?,
        rows,
    })
}

/// The columns of both formats.
const HEADER: [&str; 12] = [
    "integration",
    "slug",
    "provider",
    "owner",
    "priority",
    "stage",
    "gate",
    "health",
    "uptime_30d",
    "open_incidents",
    "next_milestone",
    "overdue",
];

fn cells(r: &PortfolioRow) -> [String; 12] {
    [
        r.integration.name.clone(),
        r.integration.slug.clone(),
        r.provider.clone(),
        r.owner.clone(),
        r.priority.as_str().into(),
        r.stage.as_str().into(),
        r.gate
            .map(|g| format!("{}/{}", g.part, g.whole))
            .unwrap_or_default(),
        r.health.as_str().into(),
        r.uptime_30d_bp
            .map(crate::monitoring::model::percent)
            .unwrap_or_default(),
        r.open_incidents.to_string(),
        r.next_milestone
            .as_ref()
            .map(|m| format!("{} {}", m.due_date, m.title))
            .unwrap_or_default(),
        if r.overdue { "yes" } else { "no" }.into(),
    ]
}

/// One line per integration, under a header.
pub fn csv(p: &Portfolio) -> String {
    let mut out = crate::csv::line(&HEADER);
    for r in &p.rows {
        out.push_str(&crate::csv::line(&cells(r)));
    }
    out
}

/// The report in Markdown: the pipeline, the key figures, then the table.
pub fn markdown(p: &Portfolio) -> String {
    let f = &p.figures;
    let mut out = format!(
        "# Portfolio report\n\nAs of {} UTC.\n\n## Pipeline\n\n",
        p.at.format("%Y-%m-%d %H:%M")
    );
    for s in &p.pipeline {
        out.push_str(&format!("- {}: {}\n", s.stage.label(), s.count));
    }
    out.push_str("\n## Key figures\n\n");
    out.push_str(&format!(
        "- Milestones on time: {}\n- QA pass rate of the latest runs: {}\n- Mean time to resolve incidents: {}\n- Past their planned go-live: {}\n",
        f.milestones_on_time.describe("no milestone done yet"),
        f.qa_pass_rate.describe("no result recorded yet"),
        f.mttr_minutes.map_or_else(|| "no incident resolved yet".into(), |m| format!("{m} min")),
        f.past_go_live.total,
    ));
    for t in &f.stage_times {
        out.push_str(&format!(
            "- Median time in {}: {}\n",
            t.stage.label(),
            t.median_hours
                .map_or_else(|| "no stay ended yet".into(), duration_hours)
        ));
    }
    out.push_str("\n## Integrations\n\n");
    out.push_str(&format!("| {} |\n", HEADER.join(" | ")));
    out.push_str(&format!("|{}\n", "---|".repeat(HEADER.len())));
    for r in &p.rows {
        let row: Vec<String> = cells(r).iter().map(|c| cell(c)).collect();
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out
}
