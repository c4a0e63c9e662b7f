//! A diff as text, JSON or Markdown (the formats the command line, the page's downloads and
//! the REST API give), and for the command line YAML and GitHub Actions annotations too.

use super::diff::{Change, Level};
use super::model::where_label;
use crate::markdown::cell;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Yaml,
    Markdown,
    /// One workflow command per change (`::error title=...::...`), which a GitHub Actions
    /// run shows as an annotation.
    GithubActions,
}

impl Format {
    /// What [`Format::parse`] reads, for messages.
    pub const NAMES: &str = "text, json, yaml, markdown or githubactions";

    /// Reads `text`, `json`, `yaml`, `markdown` or `githubactions`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "text" => Some(Format::Text),
            "json" => Some(Format::Json),
            "yaml" | "yml" => Some(Format::Yaml),
            "markdown" | "md" => Some(Format::Markdown),
            "githubactions" => Some(Format::GithubActions),
            _ => None,
        }
    }
}

/// `text` as a workflow command's message (GitHub's escaping: `%`, CR and LF), or with
/// `property`, as a property's value (`:` and `,` too).
fn workflow_escaped(text: &str, property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

fn operation(c: &Change) -> String {
    where_label(c.operation.as_ref(), &c.reached_by).unwrap_or_else(|| "(document)".into())
}

/// Every request and response that reaches `c`, or its operation.
fn every_way(c: &Change) -> String {
    if c.reached_by.len() > 1 {
        let all: Vec<String> = c
            .reached_by
            .iter()
            .map(super::model::Reach::label)
            .collect();
        return all.join("; ");
    }
    operation(c)
}

/// How many changes there are at each level: (ERR, WARN, INFO).
pub fn counts(changes: &[Change]) -> (usize, usize, usize) {
    let n = |l: Level| changes.iter().filter(|c| c.level == l).count();
    (n(Level::Err), n(Level::Warn), n(Level::Info))
}

/// Renders `changes` in `format`.
pub fn render(changes: &[Change], format: Format) -> String {
    let (err, warn, info) = counts(changes);
    match format {
        Format::Json => serde_json::to_string_pretty(changes).unwrap_or_else(|_| "[]".into()),
        Format::Yaml => serde_yaml_ng::to_string(changes).unwrap_or_else(|_| "[]\n".into()),
        Format::GithubActions => changes
            .iter()
            .map(|c| {
                let command = match c.level {
                    Level::Err => "error",
                    Level::Warn => "warning",
                    Level::Info => "notice",
                };
                format!(
                    "::{command} title={}::{}\n",
                    workflow_escaped(&c.id, true),
                    workflow_escaped(&format!("at {}: {}", operation(c), c.message), false)
                )
            })
            .collect(),
        Format::Text => {
            let mut out = format!(
                "{} changes: {err} error, {warn} warning, {info} info\n",
                changes.len()
            );
            for c in changes {
                out.push_str(&format!(
                    "{:<5}[{}] at {}\n      {}\n",
                    c.level.as_str(),
                    c.id,
                    operation(c),
                    c.message
                ));
                if c.reached_by.len() > 1 {
                    for r in &c.reached_by {
                        out.push_str(&format!("      reached by {}\n", r.label()));
                    }
                }
            }
            out
        }
        Format::Markdown => {
            let mut out = format!(
                "# API changes\n\n{} changes: {err} error, {warn} warning, {info} info.\n",
                changes.len()
            );
            if !changes.is_empty() {
                out.push_str(
                    "\n| Level | Rule | Operation | Change |\n| --- | --- | --- | --- |\n",
                );
                for c in changes {
                    out.push_str(&format!(
                        "| {} | `{}` | `{}` | {} |\n",
                        c.level.as_str(),
                        c.id,
                        cell(&every_way(c)),
                        cell(&c.message)
                    ));
                }
            }
            out
        }
    }
}

/// Whether any change is at `level` or above.
pub fn fails(changes: &[Change], level: Level) -> bool {
    changes.iter().any(|c| c.level >= level)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::specs::model::OperationRef;

    fn change(level: Level, message: &str) -> Change {
        Change {
            id: "response-property-type-changed".into(),
            level,
            operation: Some(OperationRef {
                method: "GET".into(),
                path: "/v1/charges".into(),
            }),
            message: message.into(),
            location: None,
            reached_by: Vec::new(),
        }
    }

    #[test]
    fn github_actions_gets_one_escaped_annotation_per_change_at_its_level() {
        let out = render(
            &[
                change(Level::Err, "100% changed,\nnow: a string"),
                change(Level::Warn, "w"),
                change(Level::Info, "i"),
            ],
            Format::GithubActions,
        );
        assert_eq!(
            out,
            "::error title=response-property-type-changed::at GET /v1/charges: 100%25 changed,%0Anow: a string\n\
             ::warning title=response-property-type-changed::at GET /v1/charges: w\n\
             ::notice title=response-property-type-changed::at GET /v1/charges: i\n"
        );
    }

    #[test]
    fn yaml_reads_back_as_the_changes() {
        let changes = vec![change(Level::Err, "a: b")];
        let out = render(&changes, Format::Yaml);
        let back: Vec<Change> = serde_yaml_ng::from_str(&out).expect("YAML");
        assert_eq!(back, changes);
    }
}
