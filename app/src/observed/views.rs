//! The observed operations card of the health page: each operation of the provider's spec
//! the integration's code was seen calling in the last day (from its Sentry transactions),
//! with its calls, failure rate and p50/p95/p99 latency.

use leptos::prelude::*;

use super::api::get_observed_operations;
use crate::error::ErrorTemplate;

fn ms(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{v:.0} ms"))
}

/// The card on the health page (`monitoring::views::HealthCard`).
pub fn card(slug: String, _can_edit: bool) -> AnyView {
    view! { <ObservedCard slug /> }.into_any()
}

/// What integration `slug`'s code was seen calling.
#[component]
pub fn ObservedCard(slug: String) -> impl IntoView {
    let observed = Resource::new(move || slug.clone(), get_observed_operations);
    view! {
        <section class="card" aria-labelledby="observed-title">
            <h2 id="observed-title">"Provider calls seen in the last 24 hours"</h2>
            <p class="hint">
                "From the Sentry transactions the integration's code sends: each HTTP call to an environment's base URL, matched to the provider's spec operation. An operation seen here is marked used."
            </p>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    let v = match observed.await {
                        Ok(v) => v,
                        Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                    };
                    if v.operations.is_empty() {
                        return view! {
                            <p class="empty">
                                "No calls seen yet. Turn on tracing in the Sentry SDK (traces_sample_rate) with this environment's DSN, and import the provider's spec."
                            </p>
                        }
                            .into_any();
                    }
                    view! {
                        <table class="observed">
                            <caption>"Observed operations"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Operation"</th>
                                    <th scope="col">"Environment"</th>
                                    <th scope="col">"Calls"</th>
                                    <th scope="col">"Failed"</th>
                                    <th scope="col">"p50"</th>
                                    <th scope="col">"p95"</th>
                                    <th scope="col">"p99"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {v
                                    .operations
                                    .into_iter()
                                    .map(|o| {
                                        view! {
                                            <tr>
                                                <th scope="row" class="mono">
                                                    {format!("{} {}", o.method, o.path)}
                                                </th>
                                                <td>{o.environment}</td>
                                                <td>{o.calls}</td>
                                                <td>{format!("{:.1}%", o.failure_rate * 100.0)}</td>
                                                <td>{ms(o.p50_ms)}</td>
                                                <td>{ms(o.p95_ms)}</td>
                                                <td>{ms(o.p99_ms)}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                        .into_any()
                })}
            </Suspense>
        </section>
    }
}
