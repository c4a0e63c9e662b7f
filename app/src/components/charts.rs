//! Server-rendered SVG charts, each with a text equivalent for screen readers.

use leptos::prelude::*;

/// A bar per value (oldest first), scaled to the largest; `label` is read out in full. Bars
/// in `alert` (by index) are drawn in the danger colour, so a failed check stands out.
#[component]
pub fn Sparkline(
    values: Vec<i64>,
    #[prop(into)] label: String,
    #[prop(optional)] alert: Vec<usize>,
) -> impl IntoView {
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    let width = values.len().max(1) * 4;
    let bars = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            #[allow(clippy::cast_precision_loss)]
            let h = (*v as f64 / max as f64 * 20.0).max(if *v > 0 { 1.0 } else { 0.0 });
            let class = alert.contains(&i).then_some("alert");
            view! {
                <rect
                    class=class
                    x=(i * 4).to_string()
                    y=format!("{:.1}", 20.0 - h)
                    width="3"
                    height=format!("{h:.1}")
                />
            }
        })
        .collect_view();
    let aria = label.clone();
    view! {
        <svg
            class="sparkline"
            width=width.to_string()
            height="20"
            viewBox=format!("0 0 {width} 20")
            role="img"
            aria-label=aria
        >
            // Not <title>: the view macro takes an ambiguous <title> for the HTML element, and
            // hydration then fails on the SVG one the browser made.
            <desc>{label}</desc>
            {bars}
        </svg>
    }
}

/// Horizontal bars, one per `(label, value, href)`, scaled to the largest, with `title` as
/// the chart's accessible name, `description` read after it, and the same numbers in a table
/// behind a toggle. Each bar's label links to `href` when it has one.
#[component]
pub fn BarChart(
    #[prop(into)] title: String,
    #[prop(into)] description: String,
    bars: Vec<(String, u64, Option<String>)>,
) -> impl IntoView {
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let row_height = 24;
    let height = bars.len().max(1) * row_height;
    let drawn = bars
        .iter()
        .enumerate()
        .map(|(i, (label, value, _))| {
            #[allow(clippy::cast_precision_loss)]
            let w = *value as f64 / max as f64 * 200.0;
            let y = i * row_height;
            view! {
                <g>
                    <text x="0" y=(y + 16).to_string()>
                        {label.clone()}
                    </text>
                    <rect x="120" y=(y + 4).to_string() width=format!("{w:.1}") height="16" />
                    <text x=format!("{:.1}", 126.0 + w) y=(y + 16).to_string()>
                        {value.to_string()}
                    </text>
                </g>
            }
        })
        .collect_view();
    let rows = bars
        .into_iter()
        .map(|(label, value, href)| {
            let name = match href {
                Some(h) => view! { <a href=h>{label}</a> }.into_any(),
                None => label.into_any(),
            };
            view! {
                <tr>
                    <th scope="row">{name}</th>
                    <td>{value.to_string()}</td>
                </tr>
            }
        })
        .collect_view();
    let aria = title.clone();
    let caption = title.clone();
    view! {
        <figure class="bar-chart">
            <svg
                width="100%"
                height=height.to_string()
                viewBox=format!("0 0 360 {height}")
                role="img"
                aria-label=aria
                preserveAspectRatio="xMinYMin meet"
            >
                <desc>{description}</desc>
                {drawn}
            </svg>
            <details>
                <summary>"Show the data"</summary>
                <table>
                    <caption class="visually-hidden">{caption}</caption>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
}

/// A milestone burn-up: the milestones due by each date against those done by it, as two
/// stepped lines over the dates, with `total` as the scope, and the points in a table behind
/// a toggle. `points` are `(date, due by then, done by then)`, oldest first.
#[component]
pub fn BurnUp(
    #[prop(into)] title: String,
    points: Vec<(chrono::NaiveDate, usize, usize)>,
    total: usize,
) -> impl IntoView {
    const W: f64 = 320.0;
    const H: f64 = 100.0;
    let first = points.first().map(|p| p.0);
    let span = match (first, points.last()) {
        (Some(a), Some(b)) => (b.0 - a).num_days().max(1),
        _ => 1,
    };
    #[allow(clippy::cast_precision_loss)]
    let x =
        |d: chrono::NaiveDate| first.map_or(0.0, |f| (d - f).num_days() as f64 / span as f64 * W);
    #[allow(clippy::cast_precision_loss)]
    let y = |n: usize| H - n as f64 / total.max(1) as f64 * H;
    let line = |pick: fn(&(chrono::NaiveDate, usize, usize)) -> usize| {
        let mut path = String::new();
        let mut last: Option<usize> = None;
        for p in &points {
            if let Some(prev) = last {
                path.push_str(&format!("{:.1},{:.1} ", x(p.0), y(prev)));
            }
            path.push_str(&format!("{:.1},{:.1} ", x(p.0), y(pick(p))));
            last = Some(pick(p));
        }
        path
    };
    let planned = line(|p| p.1);
    let done = line(|p| p.2);
    let (due_now, done_now) = points.last().map_or((0, 0), |p| (p.1, p.2));
    let description =
        format!("{done_now} of {total} milestones done; {due_now} due by the last date shown.");
    let rows = points
        .iter()
        .map(|(d, p, n)| {
            view! {
                <tr>
                    <th scope="row">{d.to_string()}</th>
                    <td>{p.to_string()}</td>
                    <td>{n.to_string()}</td>
                </tr>
            }
        })
        .collect_view();
    let aria = title.clone();
    view! {
        <figure class="burn-up">
            <svg
                width="100%"
                height="120"
                viewBox="-4 -4 328 112"
                role="img"
                aria-label=aria
                preserveAspectRatio="xMinYMin meet"
            >
                <desc>{description}</desc>
                <line class="axis" x1="0" y1=H.to_string() x2=W.to_string() y2=H.to_string() />
                <polyline class="planned" points=planned />
                <polyline class="done" points=done />
            </svg>
            <p class="legend">
                <span class="key planned"></span>
                " Due "
                <span class="key done"></span>
                " Done"
            </p>
            <details>
                <summary>"Show the data"</summary>
                <table>
                    <caption class="visually-hidden">{title}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Date"</th>
                            <th scope="col">"Due by then"</th>
                            <th scope="col">"Done by then"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
}

/// A strip of checks, oldest first, each a cell coloured up or down, with the same checks in
/// a table behind a toggle. `checks` are `(when, up)`.
#[component]
pub fn UptimeStrip(
    #[prop(into)] title: String,
    checks: Vec<(chrono::DateTime<chrono::Utc>, bool)>,
) -> impl IntoView {
    let up = checks.iter().filter(|c| c.1).count();
    let description = format!("{up} of {} checks up, oldest first.", checks.len());
    let width = checks.len().max(1) * 6;
    let cells = checks
        .iter()
        .enumerate()
        .map(|(i, (_, ok))| {
            view! {
                <rect
                    class=if *ok { "up" } else { "down" }
                    x=(i * 6).to_string()
                    y="0"
                    width="5"
                    height="16"
                />
            }
        })
        .collect_view();
    let rows = checks
        .iter()
        .map(|(at, ok)| {
            view! {
                <tr>
                    <th scope="row">{at.format("%Y-%m-%d %H:%M").to_string()}</th>
                    <td>{if *ok { "Up" } else { "Down" }}</td>
                </tr>
            }
        })
        .collect_view();
    let aria = title.clone();
    view! {
        <figure class="uptime-strip">
            <svg
                width=width.to_string()
                height="16"
                viewBox=format!("0 0 {width} 16")
                role="img"
                aria-label=aria
            >
                <desc>{description}</desc>
                {cells}
            </svg>
            <details>
                <summary>"Show the data"</summary>
                <table>
                    <caption class="visually-hidden">{title}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Checked"</th>
                            <th scope="col">"Result"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
}
