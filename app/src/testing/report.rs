//! A run's summary, computed from its executions on either side of the wire: counts per
//! category and per configuration (the run page recomputes them as results are recorded, with
//! no round trip), the failures with the defects filed from them, and the CSV download.

use super::model::{CaseCategory, Counts, Defect, Execution, ExecutionStatus, RunDetail};

/// The counts of one group of executions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// The group's stored name (a category, a configuration); empty for "no configuration".
    pub key: String,
    pub label: String,
    pub counts: Counts,
}

/// How a configuration reads: `chrome/desktop` as "Chrome / Desktop"; none as "Any".
pub fn configuration_label(configuration: &str) -> String {
    if configuration.is_empty() {
        return "Any".into();
    }
    configuration
        .split('/')
        .map(|part| {
            super::model::Browser::parse(part)
                .map(super::model::Browser::label)
                .or_else(|| super::model::Device::parse(part).map(super::model::Device::label))
                .unwrap_or(part)
                .to_string()
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

/// Counts per category, in the categories' order, for the categories present.
pub fn by_category(executions: &[Execution]) -> Vec<Tally> {
    CaseCategory::ALL
        .iter()
        .filter_map(|c| {
            let counts = Counts::of(
                executions
                    .iter()
                    .filter(|e| e.category == *c)
                    .map(|e| e.status),
            );
            (counts.total > 0).then(|| Tally {
                key: c.as_str().into(),
                label: c.label().into(),
                counts,
            })
        })
        .collect()
}

/// Counts per configuration, in the order the run first meets them; executions outside the
/// matrix count under "Any".
pub fn by_configuration(executions: &[Execution]) -> Vec<Tally> {
    let mut keys: Vec<&str> = Vec::new();
    for e in executions {
        if !keys.contains(&e.configuration.as_str()) {
            keys.push(&e.configuration);
        }
    }
    keys.into_iter()
        .map(|k| Tally {
            key: k.to_string(),
            label: configuration_label(k),
            counts: Counts::of(
                executions
                    .iter()
                    .filter(|e| e.configuration == k)
                    .map(|e| e.status),
            ),
        })
        .collect()
}

/// The defects filed from execution `id`.
pub fn defects_of(defects: &[Defect], id: i32) -> Vec<&Defect> {
    defects
        .iter()
        .filter(|d| d.execution_id == Some(id))
        .collect()
}

/// The executions that failed or were blocked, each with its defects.
pub fn failures(page: &RunDetail) -> Vec<(&Execution, Vec<&Defect>)> {
    page.executions
        .iter()
        .filter(|e| matches!(e.status, ExecutionStatus::Failed | ExecutionStatus::Blocked))
        .map(|e| (e, defects_of(&page.defects, e.id)))
        .collect()
}

/// The run's results as CSV: a header, then one line per execution with its defects.
pub fn csv(page: &RunDetail) -> String {
    let mut out = String::from(
        "run,build,case_key,case_title,category,required,configuration,status,actual,notes,evidence,tester,recorded_at,defects\r\n",
    );
    for e in &page.executions {
        let defects = defects_of(&page.defects, e.id)
            .iter()
            .map(|d| {
                format!(
                    "#{} {} ({}, {})",
                    d.id,
                    d.title,
                    d.severity.label(),
                    d.status.label()
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let line = [
            page.run.name.clone(),
            page.run.build.clone(),
            e.case_key.clone(),
            e.case_title.clone(),
            e.category.as_str().into(),
            if e.required { "yes" } else { "no" }.into(),
            e.configuration.clone(),
            e.status.as_str().into(),
            e.actual.clone(),
            e.notes.clone(),
            e.evidence.clone(),
            e.tester
                .as_ref()
                .map(|t| t.name.clone())
                .unwrap_or_default(),
            e.recorded_at
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default(),
            defects,
        ];
        out.push_str(&crate::csv::line(&line));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configurations_read_as_browser_and_device() {
        assert_eq!(configuration_label("chrome/phone"), "Chrome / Phone");
        assert_eq!(configuration_label(""), "Any");
    }

    #[test]
    fn pass_rate_leaves_skipped_out_and_rounds() {
        let c = Counts::of([
            ExecutionStatus::Passed,
            ExecutionStatus::Passed,
            ExecutionStatus::Failed,
            ExecutionStatus::Skipped,
        ]);
        assert_eq!(c.pass_rate(), Some(67));
        assert_eq!(c.progress(), 100);
        assert_eq!(Counts::of([ExecutionStatus::Skipped]).pass_rate(), None);
        assert_eq!(
            Counts::of([ExecutionStatus::Untested, ExecutionStatus::Passed]).progress(),
            50
        );
    }
}
