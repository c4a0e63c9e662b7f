//! A Gantt-like milestone timeline drawn as server-rendered SVG (readable without
//! JavaScript), with the same data as a table for screen readers and keyboard users.

use chrono::{Datelike, Days, NaiveDate};
use leptos::prelude::*;

use crate::planning::model::{Milestone, MilestoneStatus};

const LABEL_WIDTH: i64 = 260;
const CHART_WIDTH: i64 = 620;
const ROW: i64 = 26;
const TOP: i64 = 30;

/// One drawn row: a group heading or a milestone bar.
enum Row {
    Group(String),
    Bar {
        label: String,
        start: NaiveDate,
        end: NaiveDate,
        class: &'static str,
    },
}

fn rows(milestones: &[Milestone], grouped: bool) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut previous: Option<(i32, NaiveDate)> = None;
    for m in milestones {
        if grouped && previous.is_none_or(|(id, _)| id != m.integration.id) {
            let mut name = m.integration.name.clone();
            if m.integration.gate_overridden {
                name.push_str(" (gate overridden)");
            }
            rows.push(Row::Group(name));
        }
        // A bar runs from the previous milestone of the same integration (or two weeks
        // before its due date for the first) to its due date.
        let start = match previous {
            Some((id, due)) if id == m.integration.id && due < m.due_date => due,
            _ => m
                .due_date
                .checked_sub_days(Days::new(14))
                .unwrap_or(m.due_date),
        };
        let class = if m.status == MilestoneStatus::Done {
            "bar-done"
        } else if m.overdue {
            "bar-overdue"
        } else if m.status == MilestoneStatus::Blocked {
            "bar-blocked"
        } else {
            "bar-open"
        };
        let label = if m.overdue {
            format!("{} (overdue)", m.title)
        } else {
            m.title.clone()
        };
        rows.push(Row::Bar {
            label,
            start,
            end: m.due_date,
            class,
        });
        previous = Some((m.integration.id, m.due_date));
    }
    rows
}

fn month_starts(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut d = NaiveDate::from_ymd_opt(from.year(), from.month(), 1).unwrap_or(from);
    while d <= to {
        if d >= from {
            out.push(d);
        }
        d = d
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(to.succ_opt().unwrap_or(to));
        if out.len() > 48 {
            break;
        }
    }
    out
}

/// The timeline of `milestones` (sorted by integration, then due date). `grouped` adds a
/// heading row per integration.
#[component]
pub fn Timeline(
    milestones: Vec<Milestone>,
    today: NaiveDate,
    #[prop(into)] title: String,
    #[prop(optional)] grouped: bool,
) -> impl IntoView {
    if milestones.is_empty() {
        return view! { <p class="empty">"No milestones to draw yet."</p> }.into_any();
    }
    let first = milestones
        .iter()
        .map(|m| m.due_date)
        .min()
        .unwrap_or(today)
        .min(today);
    let last = milestones
        .iter()
        .map(|m| m.due_date)
        .max()
        .unwrap_or(today)
        .max(today);
    let from = first.checked_sub_days(Days::new(21)).unwrap_or(first);
    let to = last.checked_add_days(Days::new(7)).unwrap_or(last);
    let span = (to - from).num_days().max(1);
    let x = move |d: NaiveDate| LABEL_WIDTH + (d - from).num_days() * CHART_WIDTH / span;
    let drawn = rows(&milestones, grouped);
    let height = TOP + ROW * drawn.len() as i64 + 10;
    let overdue = milestones.iter().filter(|m| m.overdue).count();
    let desc = format!(
        "{} milestones from {} to {}; {} overdue. Today is {}. The same data is in the table below.",
        milestones.len(),
        first,
        last,
        overdue,
        today
    );
    let id = title
        .to_lowercase()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let today_x = x(today);
    let labelled_by = format!("{title_id} {desc_id}");
    view! {
        <figure class="timeline">
            <svg
                viewBox=format!("0 0 {} {height}", LABEL_WIDTH + CHART_WIDTH + 10)
                role="img"
                aria-labelledby=labelled_by
                preserveAspectRatio="xMinYMin meet"
            >
                <title id=title_id>{title.clone()}</title>
                <desc id=desc_id>{desc}</desc>
                {month_starts(from, to)
                    .into_iter()
                    .map(|d| {
                        let mx = x(d);
                        view! {
                            <line class="grid" x1=mx y1=TOP - 8 x2=mx y2=height />
                            <text class="tick" x=mx + 3 y=TOP - 12>
                                {d.format("%b %Y").to_string()}
                            </text>
                        }
                    })
                    .collect_view()}
                {drawn
                    .into_iter()
                    .enumerate()
                    .map(|(i, row)| {
                        let y = TOP + i as i64 * ROW;
                        match row {
                            Row::Group(name) => {
                                view! {
                                    <text class="group" x="4" y=y + 17>
                                        {name}
                                    </text>
                                }
                                    .into_any()
                            }
                            Row::Bar { label, start, end, class } => {
                                let x1 = x(start);
                                let width = (x(end) - x1).max(4);
                                view! {
                                    <text class="label" x="14" y=y + 17>
                                        {label}
                                    </text>
                                    <rect
                                        class=class
                                        x=x1
                                        y=y + 6
                                        width=width
                                        height=ROW - 10
                                        rx="3"
                                    />
                                }
                                    .into_any()
                            }
                        }
                    })
                    .collect_view()}
                <line class="today" x1=today_x y1=TOP - 8 x2=today_x y2=height />
                <text class="today-label" x=today_x + 3 y=height - 2>
                    "today"
                </text>
            </svg>
            <figcaption>
                <span class="legend">
                    <span class="swatch bar-open"></span>
                    "Open"
                </span>
                <span class="legend">
                    <span class="swatch bar-done"></span>
                    "Done"
                </span>
                <span class="legend">
                    <span class="swatch bar-blocked"></span>
                    "Blocked"
                </span>
                <span class="legend">
                    <span class="swatch bar-overdue"></span>
                    "Overdue"
                </span>
            </figcaption>
        </figure>
        <details class="table-toggle">
            <summary>"Show the timeline as a table"</summary>
            <div class="table-wrap">
                <table>
                    <caption>{title}</caption>
                    <thead>
                        <tr>
                            {grouped.then(|| view! { <th scope="col">"Integration"</th> })}
                            <th scope="col">"Milestone"</th><th scope="col">"Stage"</th>
                            <th scope="col">"Due"</th> <th scope="col">"Status"</th>
                            <th scope="col">"Owner"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {milestones
                            .into_iter()
                            .map(|m| {
                                view! {
                                    <tr class:overdue=m
                                        .overdue>
                                        {grouped
                                            .then(|| view! { <td>{m.integration.name.clone()}</td> })}
                                        <td>{m.title.clone()}</td> <td>{m.stage.label()}</td> <td>
                                            <time datetime=m
                                                .due_date
                                                .to_string()>{m.due_date.to_string()}</time>
                                        </td>
                                        <td>
                                            {m.status.label()}
                                            {m
                                                .overdue
                                                .then(|| {
                                                    view! {
                                                        " "
                                                        <span class="badge danger">"Overdue"</span>
                                                    }
                                                })}
                                        </td>
                                        <td>
                                            {m.owner.map(|o| o.name).unwrap_or_else(|| "—".into())}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
    }.into_any()
}
