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
            view! { <rect class=class x=(i * 4).to_string() y=format!("{:.1}", 20.0 - h) width="3" height=format!("{h:.1}")/> }
        })
        .collect_view();
    let aria = label.clone();
    view! {
        <svg class="sparkline" width=width.to_string() height="20" viewBox=format!("0 0 {width} 20") role="img" aria-label=aria>
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
                    <text x="0" y=(y + 16).to_string()>{label.clone()}</text>
                    <rect x="120" y=(y + 4).to_string() width=format!("{w:.1}") height="16"/>
                    <text x=format!("{:.1}", 126.0 + w) y=(y + 16).to_string()>{value.to_string()}</text>
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
            view! { <tr><th scope="row">{name}</th><td>{value.to_string()}</td></tr> }
        })
        .collect_view();
    let aria = title.clone();
    let caption = title.clone();
    view! {
        <figure class="bar-chart">
            <svg width="100%" height=height.to_string() viewBox=format!("0 0 360 {height}") role="img" aria-label=aria preserveAspectRatio="xMinYMin meet">
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
