//! (ssr) JUnit XML import into a run, as cargo-nextest, pytest, Playwright and Maven Surefire
//! write it. A test case matches a plan case by key: a `tollgate.case` property, the test
//! name, `classname.name`, or a key in square brackets at the end of the name (pytest's
//! parameter ids, a Playwright title). A `tollgate.configuration` property narrows it to one
//! configuration; otherwise the result applies to every configuration of that case. The whole
//! file is applied in one transaction or not at all; unmatched test cases are listed.

use crate::auth::access::Action;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionSession, TransactionTrait,
};
use serde::Serialize;

use super::model::ExecutionStatus;
use super::runs::{Recorded, record_in};
use crate::activity::service as activity;
use crate::auth::model::CurrentUser;
use crate::entities::{test_cases, test_executions, test_runs};
use crate::error::{AppError, Result};
use crate::limits::{JUNIT_BYTES, JUNIT_NODES};

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// Test cases in the file.
    pub test_cases: usize,
    /// Executions whose result was recorded.
    pub recorded: usize,
    /// Names of the test cases that matched no case of the plan.
    pub unmatched: Vec<String>,
    /// Secrets found in failure messages and replaced with `[redacted: kind]`.
    pub redactions: usize,
}

/// One test case of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub name: String,
    pub classname: String,
    pub case_key: Option<String>,
    pub configuration: Option<String>,
    pub status: ExecutionStatus,
    /// The failure message, control characters removed and secrets redacted.
    pub message: String,
    /// How many secrets were redacted from the message.
    pub redactions: usize,
}

fn file_error(message: impl Into<String>) -> AppError {
    AppError::field("file", message)
}

/// Reads a JUnit XML document into its test cases.
///
/// # Errors
/// `Validation` on `file`: too large, not XML (with line and column), not JUnit, no test cases.
pub fn parse(bytes: &[u8]) -> Result<Vec<Outcome>> {
    if bytes.len() > JUNIT_BYTES {
        return Err(file_error(format!(
            "The file is larger than {} MB, the limit for a JUnit report.",
            JUNIT_BYTES / 1024 / 1024
        )));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| file_error("The file is not UTF-8 text."))?;
    // No DTD (so no entity expansion) and a bounded number of nodes.
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: JUNIT_NODES,
    };
    let doc = roxmltree::Document::parse_with_options(text, options).map_err(|e| {
        let pos = e.pos();
        file_error(format!(
            "The file is not well-formed XML: line {}, column {}: {e}.",
            pos.row, pos.col
        ))
    })?;
    let root = doc.root_element();
    if !matches!(root.tag_name().name(), "testsuites" | "testsuite") {
        return Err(file_error(format!(
            "This is not JUnit XML: the root element is <{}>, not <testsuites> or <testsuite>.",
            root.tag_name().name()
        )));
    }
    let mut out = Vec::new();
    for case in root.descendants().filter(|n| n.has_tag_name("testcase")) {
        let property = |wanted: &str| {
            case.children()
                .filter(|n| n.has_tag_name("properties"))
                .flat_map(|p| p.children())
                .find(|p| p.has_tag_name("property") && p.attribute("name") == Some(wanted))
                .and_then(|p| {
                    p.attribute("value")
                        .map(str::to_string)
                        .or_else(|| p.text().map(|t| t.trim().to_string()))
                })
        };
        let failed = case
            .children()
            .find(|n| n.has_tag_name("failure") || n.has_tag_name("error"));
        let skipped = case.children().any(|n| n.has_tag_name("skipped"));
        let (status, message) = match failed {
            Some(f) => (
                ExecutionStatus::Failed,
                f.attribute("message")
                    .map(str::to_string)
                    .or_else(|| f.text().map(|t| t.trim().to_string()))
                    .unwrap_or_default(),
            ),
            None if skipped => (ExecutionStatus::Skipped, String::new()),
            None => (ExecutionStatus::Passed, String::new()),
        };
        let clipped: String = message
            .chars()
            .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
            .take(4000)
            .collect();
        let (message, redactions) = crate::leak_guard::redact(&clipped);
        out.push(Outcome {
            name: case.attribute("name").unwrap_or_default().to_string(),
            classname: case.attribute("classname").unwrap_or_default().to_string(),
            case_key: property("tollgate.case"),
            configuration: property("tollgate.configuration"),
            status,
            message,
            redactions,
        });
    }
    if out.is_empty() {
        return Err(file_error("The file has no <testcase> elements."));
    }
    Ok(out)
}

/// The plan case an outcome names, if any.
fn matching<'a>(o: &Outcome, cases: &'a [test_cases::Model]) -> Option<&'a test_cases::Model> {
    let by = |key: &str| cases.iter().find(|c| c.key == key);
    if let Some(k) = &o.case_key {
        return by(k);
    }
    let bracketed = o
        .name
        .trim_end()
        .strip_suffix(']')
        .and_then(|n| n.rsplit_once('['))
        .map(|(_, k)| k.trim().to_string());
    by(&o.name)
        .or_else(|| by(&format!("{}.{}", o.classname, o.name)))
        .or_else(|| bracketed.as_deref().and_then(by))
}

/// Imports `bytes` into run `run_id`.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` on `file`. Nothing is saved on any error.
pub async fn import(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    run_id: i32,
    bytes: &[u8],
) -> Result<ImportReport> {
    actor.may(Action::RecordResults)?;
    let outcomes = parse(bytes)?;
    let txn = activity::begin(db).await?;
    let run = test_runs::Entity::find_by_id(run_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let cases = super::plans::cases_of(&txn, run.plan_id).await?;
    let executions = test_executions::Entity::find()
        .filter(test_executions::Column::RunId.eq(run.id))
        .all(&txn)
        .await?;
    let mut report = ImportReport {
        test_cases: outcomes.len(),
        redactions: outcomes.iter().map(|o| o.redactions).sum(),
        ..Default::default()
    };
    for o in outcomes {
        let Some(case) = matching(&o, &cases) else {
            report.unmatched.push(if o.classname.is_empty() {
                o.name
            } else {
                format!("{}.{}", o.classname, o.name)
            });
            continue;
        };
        for e in executions.iter().filter(|e| {
            e.case_id == case.id
                && o.configuration
                    .as_ref()
                    .is_none_or(|c| *c == e.configuration)
        }) {
            let result = Recorded {
                status: o.status,
                actual: o.message.clone(),
                notes: "Imported from JUnit XML.".into(),
                evidence: String::new(),
            };
            record_in(&txn, actor, e.id, result).await?;
            report.recorded += 1;
        }
    }
    txn.commit().await?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_in_a_failure_message_is_redacted_before_it_reaches_a_result_or_the_trail() {
        let xml = r#"<testsuite><testcase name="charge"><failure message="401 for key sk_live_51HxQmZKx9aB7cD3eF5gH7iJ9kL1 and AKIAIOSFODNN7EXAMPLE"/></testcase><testcase name="ok"/></testsuite>"#;
        let o = parse(xml.as_bytes()).expect("parsed");
        assert_eq!(
            o[0].message,
            "401 for key [redacted: stripe-secret-key] and [redacted: aws-access-key]"
        );
        assert_eq!((o[0].redactions, o[1].redactions), (2, 0));
    }

    #[test]
    fn malformed_truncated_and_foreign_documents_say_what_is_wrong() {
        let err = |xml: &str| {
            parse(xml.as_bytes())
                .expect_err("refused")
                .field_message("file")
                .unwrap_or_default()
        };
        assert!(
            err("<testsuite><testcase name=\"a\"></testsuite>").contains("line 1, column"),
            "mismatched tags"
        );
        assert!(
            err("<testsuites><testsuite name=\"x\"><testcase name=\"a\"/>")
                .contains("not well-formed"),
            "truncated"
        );
        assert!(err("<html><body/></html>").contains("root element is <html>"));
        assert!(err("<testsuites/>").contains("no <testcase>"));
        assert!(
            parse(&vec![b' '; JUNIT_BYTES + 1])
                .expect_err("big")
                .field_message("file")
                .is_some_and(|m| m.contains("larger than 5 MB"))
        );
    }

    #[test]
    fn outcomes_and_properties_are_read() {
        let xml = r#"<testsuite name="s"><testcase name="charge" classname="payments">
            <properties><property name="tollgate.case" value="payments.successful_charge"/>
            <property name="tollgate.configuration" value="chrome/desktop"/></properties></testcase>
            <testcase name="refund"><failure message="expected 200, got 500">trace</failure></testcase>
            <testcase name="slow"><skipped/></testcase><testcase name="boom"><error>panic</error></testcase></testsuite>"#;
        let o = parse(xml.as_bytes()).expect("parsed");
        assert_eq!(
            o.iter().map(|o| o.status).collect::<Vec<_>>(),
            [
                ExecutionStatus::Passed,
                ExecutionStatus::Failed,
                ExecutionStatus::Skipped,
                ExecutionStatus::Failed
            ]
        );
        assert_eq!(o[0].case_key.as_deref(), Some("payments.successful_charge"));
        assert_eq!(o[0].configuration.as_deref(), Some("chrome/desktop"));
        assert_eq!(o[1].message, "expected 200, got 500");
        assert_eq!(o[3].message, "panic");
    }
}
