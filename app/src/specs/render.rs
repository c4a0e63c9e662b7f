//! A diff as text, JSON or Markdown: the same three formats the command line, the page's
//! downloads and the REST API give.

use super::diff::{Change, Level};
use crate::markdown::cell;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Markdown,
}

impl Format {
    /// Reads `text`, `json` or `markdown`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "text" => Some(Format::Text),
            "json" => Some(Format::Json),
            "markdown" | "md" => Some(Format::Markdown),
            _ => None,
        }
    }
}

fn operation(c: &Change) -> String {
    c.operation.as_ref().map_or_else(
        || "(document)".to_string(),
        |o| format!("{} {}", o.method, o.path),
    )
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
                        cell(&operation(c)),
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
