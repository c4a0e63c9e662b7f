//! An integration's status report: its overview cut into titled tables, which the printable
//! page, the Markdown and the CSV downloads each render, so the three never disagree.

use super::model::{IntegrationOverview, burn_up};
use crate::markdown::cell;
use crate::monitoring::model::percent;

/// One part of the report: a title, lines of summary, then a table (possibly empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// What the section holds, for a page that places it: `summary`, `gate`, `timeline`,
    /// `objectives`, `milestones`, `qa`, `health`, `incidents`, `defects`, `credentials`, `specs`.
    pub key: &'static str,
    pub title: String,
    /// The page the section's records are kept on (below the integration's).
    pub page: &'static str,
    pub summary: Vec<String>,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    /// What the table says when it has no row.
    pub empty: &'static str,
}

#[allow(clippy::too_many_arguments)]
fn section(
    key: &'static str,
    page: &'static str,
    title: impl Into<String>,
    summary: Vec<String>,
    columns: &[&'static str],
    rows: Vec<Vec<String>>,
    empty: &'static str,
) -> Section {
    Section {
        key,
        page,
        title: title.into(),
        summary,
        columns: columns.to_vec(),
        rows,
        empty,
    }
}

/// A figure as entered: whole numbers without a trailing ".0".
pub fn number(v: f64) -> String {
    // Whole numbers without a trailing ".0", others as entered.
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        v.to_string()
    }
}

fn date(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

/// The report's sections, in reading order.
#[allow(clippy::too_many_lines)]
pub fn sections(o: &IntegrationOverview) -> Vec<Section> {
    let mut out = Vec::new();
    let since = o
        .in_stage_since()
        .map_or_else(String::new, |at| format!(" since {}", date(at)));
    out.push(section(
        "summary",
        "",
        "Summary",
        vec![
            format!("Stage: {}{since}.", o.stage.label()),
            format!("Provider: {}. Owner: {}.", o.provider, o.owner),
            format!("Health: {}.", o.health.label()),
        ]
        .into_iter()
        .chain(
            o.gate_overridden
                .then(|| "The current stage was entered past an unmet gate.".to_string()),
        )
        .collect(),
        &[],
        Vec::new(),
        "",
    ));
    if let Some(gate) = &o.gate {
        let met = gate.criteria.iter().filter(|c| c.met).count();
        out.push(section(
            "gate",
            "",
            format!("Gate to {}", gate.to.label()),
            vec![format!("{met} of {} criteria met.", gate.criteria.len())],
            &["Criterion", "Met", "Finding"],
            gate.criteria
                .iter()
                .map(|c| {
                    vec![
                        c.label.clone(),
                        if c.met { "yes" } else { "no" }.into(),
                        c.explanation.clone(),
                    ]
                })
                .collect(),
            "No criterion guards the next stage.",
        ));
    }
    out.push(section(
        "timeline",
        "",
        "Stage timeline",
        Vec::new(),
        &["Date", "From", "To", "By", "Reason"],
        o.timeline
            .iter()
            .map(|t| {
                vec![
                    date(t.at),
                    t.from.label().into(),
                    t.to.label().into(),
                    t.actor.clone().unwrap_or_else(|| "Tollgate".into()),
                    t.override_justification
                        .as_ref()
                        .map(|j| format!("Gate overridden: {j}"))
                        .or_else(|| t.reason.clone())
                        .unwrap_or_default(),
                ]
            })
            .collect(),
        "No stage move yet.",
    ));
    out.push(section(
        "objectives",
        "planning/objectives",
        "Objectives",
        Vec::new(),
        &[
            "Objective",
            "Metric",
            "Baseline",
            "Current",
            "Target",
            "Progress",
        ],
        o.objectives
            .iter()
            .map(|ob| {
                let progress = ob
                    .current
                    .and_then(|c| crate::planning::model::progress(ob.baseline, ob.target, c));
                vec![
                    ob.description.clone(),
                    format!("{} ({})", ob.metric, ob.unit),
                    number(ob.baseline),
                    ob.current.map(number).unwrap_or_default(),
                    number(ob.target),
                    progress.map(|p| format!("{p:.0}%")).unwrap_or_default(),
                ]
            })
            .collect(),
        "No objective set.",
    ));
    let (done, all) = o.milestones_done();
    let planned_by_now = burn_up(&o.milestones)
        .iter()
        .rfind(|p| p.date <= o.at.date_naive())
        .map_or(0, |p| p.planned);
    out.push(section(
        "milestones",
        "planning/milestones",
        "Milestones",
        vec![format!(
            "{done} of {all} done; {planned_by_now} were due by today; {} overdue.",
            o.overdue()
        )],
        &["Milestone", "Stage", "Due", "Status", "Done on"],
        o.milestones
            .iter()
            .map(|m| {
                vec![
                    m.title.clone(),
                    m.stage.label().into(),
                    m.due_date.to_string(),
                    if m.overdue {
                        format!("{} (overdue)", m.status.label())
                    } else {
                        m.status.label().into()
                    },
                    m.completed_on.map(|d| d.to_string()).unwrap_or_default(),
                ]
            })
            .collect(),
        "No milestone planned.",
    ));
    let qa = match &o.latest_run {
        Some(r) => {
            let signoff = match &r.latest_signoff {
                Some(s) if s.superseded_at.is_none() => {
                    format!("Signed off by {} on {}.", s.signer.name, date(s.signed_at))
                }
                Some(s) => format!(
                    "The sign-off by {} was superseded: {}.",
                    s.signer.name,
                    s.superseded_reason.clone().unwrap_or_default()
                ),
                None => "Not signed off.".into(),
            };
            vec![
                format!(
                    "Latest of {} runs: {} (build {}), started {}.",
                    o.runs,
                    r.run.name,
                    r.run.build,
                    date(r.run.started_at)
                ),
                format!(
                    "{} of {} recorded: {} passed, {} failed, {} blocked, {} skipped; pass rate {}.",
                    r.counts.recorded(),
                    r.counts.total,
                    r.counts.passed,
                    r.counts.failed,
                    r.counts.blocked,
                    r.counts.skipped,
                    r.counts
                        .pass_rate()
                        .map_or_else(|| "not yet known".into(), |p| format!("{p}%"))
                ),
                signoff,
            ]
        }
        None => vec!["No test run yet.".into()],
    };
    out.push(section("qa", "testing", "QA", qa, &[], Vec::new(), ""));
    out.push(section(
        "health",
        "health",
        "Health and SLO",
        Vec::new(),
        &[
            "Environment",
            "State",
            "30-day uptime",
            "SLO",
            "Error budget left",
        ],
        o.environments
            .iter()
            .map(|e| {
                let uptime = e
                    .uptime
                    .iter()
                    .find(|u| u.label == "30 days")
                    .and_then(|u| u.uptime_bp);
                vec![
                    e.name.clone(),
                    e.state.label().into(),
                    uptime.map(percent).unwrap_or_default(),
                    percent(e.slo_target_bp),
                    e.budget_left_bp.map(percent).unwrap_or_default(),
                ]
            })
            .collect(),
        "No environment is monitored.",
    ));
    out.push(section(
        "incidents",
        "health",
        "Open incidents",
        vec![format!(
            "{} incidents in all; mean time to resolve: {}.",
            o.incidents,
            o.mttr_minutes
                .map_or_else(|| "none resolved yet".into(), |m| format!("{m} min"))
        )],
        &["Incident", "Severity", "Status", "Environment", "Opened"],
        o.open_incidents
            .iter()
            .map(|x| {
                vec![
                    x.title.clone(),
                    x.severity.label().into(),
                    x.status.label().into(),
                    x.environment.clone().unwrap_or_default(),
                    date(x.opened_at),
                ]
            })
            .collect(),
        "No open incident.",
    ));
    out.push(section(
        "defects",
        "testing",
        "Open defects",
        Vec::new(),
        &["Defect", "Severity", "Status", "Filed"],
        o.open_defects
            .iter()
            .map(|d| {
                vec![
                    d.title.clone(),
                    d.severity.label().into(),
                    d.status.label().into(),
                    date(d.created_at),
                ]
            })
            .collect(),
        "No open defect.",
    ));
    out.push(section(
        "credentials",
        "credentials",
        "Credentials",
        Vec::new(),
        &[
            "Credential",
            "Environment",
            "Status",
            "Next rotation",
            "Expires",
        ],
        o.credentials
            .iter()
            .map(|c| {
                vec![
                    c.name.clone(),
                    c.environment.clone(),
                    c.status.label().into(),
                    c.next_rotation.map(|d| d.to_string()).unwrap_or_default(),
                    c.expires_on.map(|d| d.to_string()).unwrap_or_default(),
                ]
            })
            .collect(),
        "No credential recorded.",
    ));
    out.push(section(
        "specs",
        "specs",
        "Spec changes",
        o.maintenance
            .iter()
            .map(|m| format!("Open maintenance item: {}.", m.title))
            .collect(),
        &[
            "Spec",
            "Versions",
            "Breaking",
            "Warnings",
            "Info",
            "Touching used operations",
        ],
        o.spec_changes
            .iter()
            .map(|s| {
                vec![
                    s.name.clone(),
                    match s.base {
                        Some(b) => format!("{b} to {}", s.revision),
                        None => format!("{} (the only one)", s.revision),
                    },
                    s.breaking.to_string(),
                    s.warnings.to_string(),
                    s.info.to_string(),
                    s.used.to_string(),
                ]
            })
            .collect(),
        "No spec imported.",
    ));
    out
}

/// The report in Markdown.
pub fn markdown(o: &IntegrationOverview) -> String {
    let mut out = format!(
        "# Status report: {}\n\nAs of {} UTC.\n",
        o.integration.name,
        o.at.format("%Y-%m-%d %H:%M")
    );
    for s in sections(o) {
        out.push_str(&format!("\n## {}\n\n", s.title));
        for line in &s.summary {
            out.push_str(&format!("{line}\n"));
        }
        if s.columns.is_empty() {
            continue;
        }
        if !s.summary.is_empty() {
            out.push('\n');
        }
        if s.rows.is_empty() {
            out.push_str(&format!("{}\n", s.empty));
            continue;
        }
        out.push_str(&format!(
            "| {} |\n|{}\n",
            s.columns.join(" | "),
            "---|".repeat(s.columns.len())
        ));
        for r in &s.rows {
            let row: Vec<String> = r.iter().map(|c| cell(c)).collect();
            out.push_str(&format!("| {} |\n", row.join(" | ")));
        }
    }
    out
}

/// The report's tables as CSV: for each section with a table, a header line (`section` and
/// the section's columns), then one line per row with the section's title first.
pub fn csv(o: &IntegrationOverview) -> String {
    let mut out = String::new();
    for s in sections(o) {
        if s.columns.is_empty() {
            continue;
        }
        let header: Vec<&str> = std::iter::once("section")
            .chain(s.columns.iter().copied())
            .collect();
        out.push_str(&crate::csv::line(&header));
        for r in &s.rows {
            let line: Vec<&str> = std::iter::once(s.title.as_str())
                .chain(r.iter().map(String::as_str))
                .collect();
            out.push_str(&crate::csv::line(&line));
        }
    }
    out
}
