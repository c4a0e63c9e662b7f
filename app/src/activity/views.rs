//! The history list shown on a record's page.

use leptos::prelude::*;

use super::model::ActivityEntry;

/// A record's history, newest first, with an empty state.
#[component]
pub fn HistoryList(entries: Vec<ActivityEntry>) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="empty">"No history yet."</p> }.into_any();
    }
    view! {
        <ol class="history" aria-label="History, newest first">
            {entries
                .into_iter()
                .map(|e| {
                    let when = e.at.format("%Y-%m-%d %H:%M UTC").to_string();
                    let iso = e.at.to_rfc3339();
                    let actor = e.actor.unwrap_or_else(|| "System".to_string());
                    let action = if e.kind == "integration" {
                        e.action
                    } else {
                        format!("{} {}", e.action, e.kind.replace('_', " "))
                    };
                    view! {
                        <li class="history-entry">
                            <p class="history-head">
                                <strong>{actor}</strong>
                                " "
                                <span class="history-action">{action}</span>
                                " · "
                                <time datetime=iso>{when}</time>
                            </p>
                            <ul class="changes">
                                {e
                                    .changes
                                    .into_iter()
                                    .map(|c| {
                                        let before = c.before.unwrap_or_else(|| "—".into());
                                        let after = c.after.unwrap_or_else(|| "—".into());
                                        view! {
                                            <li>
                                                <span class="change-field">{c.field}</span>
                                                ": "
                                                <del>{before}</del>
                                                " → "
                                                <ins>{after}</ins>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}
