//! The digest in plain words: the email's body (paragraphs apart by blank lines), the in-app
//! notification's, and each integration's part as the `digest.weekly` event's `summary`.

use super::model::{IntegrationWeek, WeeklyDigest};
use crate::lifecycle::model::TransitionRecord;
use crate::planning::model::Milestone;

/// A percentage of basis points, to two decimals ("99.95%"), or "no checks".
pub fn uptime(bp: Option<i32>) -> String {
    bp.map_or_else(
        || "no checks".to_string(),
        |bp| format!("{}.{:02}%", bp / 100, bp % 100),
    )
}

/// A stage move: "Planning → Implementation by Ada, Wed 2 Dec".
pub fn moved(m: &TransitionRecord) -> String {
    let by = m
        .actor
        .as_deref()
        .map(|a| format!(" by {a}"))
        .unwrap_or_default();
    format!(
        "{} → {}{by}, {}",
        m.from.label(),
        m.to.label(),
        m.at.format("%a %-d %b")
    )
}

/// A milestone to come: "Webhooks wired (due 2026-12-10, overdue)".
pub fn coming(m: &Milestone) -> String {
    let late = if m.overdue { ", overdue" } else { "" };
    format!("{} (due {}{late})", m.title, m.due_date)
}

/// What happened to one integration, a line each under its name.
pub fn integration(w: &IntegrationWeek) -> String {
    let mut lines = vec![format!("{} ({})", w.integration.name, w.stage.label())];
    let say = |lines: &mut Vec<String>, label: &str, items: Vec<String>| {
        if !items.is_empty() {
            lines.push(format!("{label}: {}", items.join("; ")));
        }
    };
    say(
        &mut lines,
        "Stage moves",
        w.moves.iter().map(moved).collect(),
    );
    say(&mut lines, "Gates passed", w.gates_passed());
    say(
        &mut lines,
        "Milestones done",
        w.milestones_done.iter().map(|m| m.title.clone()).collect(),
    );
    say(
        &mut lines,
        "Milestones coming",
        w.milestones_coming.iter().map(coming).collect(),
    );
    say(
        &mut lines,
        "Incidents opened",
        w.incidents_opened.iter().map(|i| i.title.clone()).collect(),
    );
    say(
        &mut lines,
        "Incidents resolved",
        w.incidents_resolved
            .iter()
            .map(|i| i.title.clone())
            .collect(),
    );
    if w.incidents_open > 0 {
        lines.push(format!("Incidents still open: {}", w.incidents_open));
    }
    say(
        &mut lines,
        "Uptime",
        w.uptime
            .iter()
            .map(|u| format!("{} {}", u.environment, uptime(u.uptime_bp)))
            .collect(),
    );
    let mut risks = w.risks.clone();
    if w.more_risks > 0 {
        risks.push(format!("and {} more in the plan", w.more_risks));
    }
    say(&mut lines, "Open risks", risks);
    if w.quiet() {
        lines.push("A quiet week: no stage moves, milestones done or incidents.".to_string());
    }
    lines.join("\n")
}

/// The whole digest: a line on the week, then each integration's part.
pub fn digest(d: &WeeklyDigest) -> String {
    let mut parts = vec![format!(
        "Your week from {} to {} UTC, for the {} you follow.",
        d.from.format("%a %-d %b %H:%M"),
        d.until.format("%a %-d %b %H:%M"),
        match d.integrations.len() {
            1 => "integration".to_string(),
            n => format!("{n} integrations"),
        }
    )];
    parts.extend(d.integrations.iter().map(integration));
    parts.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uptime_reads_basis_points_as_a_percentage() {
        assert_eq!(uptime(Some(9995)), "99.95%");
        assert_eq!(uptime(Some(10000)), "100.00%");
        assert_eq!(uptime(Some(5)), "0.05%");
        assert_eq!(uptime(None), "no checks");
    }
}
