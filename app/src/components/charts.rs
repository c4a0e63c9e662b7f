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
