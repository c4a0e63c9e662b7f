//! One environment's health card: its state, latency and uptime against the objective, the
//! recent checks as a strip, TLS expiry, and the objective's form for those who may set it.

use leptos::prelude::*;

use super::api::SetSlo;
use super::display::{TIME, state_class, when};
use super::model::{EnvironmentHealth, percent};
use crate::components::charts::Sparkline;
use crate::monitors::MonitorState;

#[component]
pub(super) fn EnvCard(
    e: EnvironmentHealth,
    can_edit: bool,
    slo: ServerAction<SetSlo>,
) -> impl IntoView {
    let oldest_first: Vec<_> = e.recent.iter().rev().collect();
    let latencies: Vec<i64> = oldest_first
        .iter()
        .map(|r| i64::from(r.latency_ms))
        .collect();
    let failed: Vec<usize> = oldest_first
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.up)
        .map(|(i, _)| i)
        .collect();
    let label = format!(
        "Latency of the last {} checks of {}, {} failed; latest {} ms",
        latencies.len(),
        e.name,
        failed.len(),
        latencies.last().copied().unwrap_or_default()
    );
    let detail = match (e.state, e.recent.first()) {
        (_, None) => "Waiting for its first check.".to_string(),
        (MonitorState::Up, Some(r)) if !r.up => format!(
            "{} failed check(s) in a row, retrying: {}",
            e.failures, r.message
        ),
        (_, Some(r)) => r.message.clone(),
    };
    let hours: Vec<i64> = e.p95_by_hour.iter().map(|h| i64::from(h.p95_ms)).collect();
    let hours_failed: Vec<usize> = e
        .p95_by_hour
        .iter()
        .enumerate()
        .filter(|(_, h)| h.failures > 0)
        .map(|(i, _)| i)
        .collect();
    let hours_label = format!(
        "95th-percentile latency of {} by hour over the last {} hours, highest {} ms",
        e.name,
        hours.len(),
        hours.iter().max().copied().unwrap_or_default()
    );
    let slo_id = format!("slo-{}", e.environment_id);
    let title_id = format!("env-{}-title", e.environment_id);
    let labelledby = title_id.clone();
    view! {
        <article class="env-health" aria-labelledby=labelledby>
            <h3 id=title_id>
                {e.name.clone()}" "<span class=state_class(e.state)>{e.state.label()}</span>
                {e
                    .in_maintenance
                    .then(|| {
                        view! {
                            " "
                            <span class="badge warn">"In maintenance"</span>
                        }
                    })}
            </h3>
            <p>
                <code>{e.url.clone()}</code>
                {format!(
                    ", every {} s; last check {}",
                    e.interval_seconds,
                    when(e.last_checked_at),
                )}
                {e
                    .changed_at
                    .map(|t| {
                        format!("; {} since {}", e.state.label().to_lowercase(), t.format(TIME))
                    })}
            </p>
            <p>
                {(!latencies.is_empty())
                    .then(|| {
                        view! {
                            <Sparkline values=latencies alert=failed label />
                            " "
                        }
                    })}{detail}
            </p>
            {e
                .tls_expires_at
                .zip(e.tls_days_left)
                .map(|(t, days)| {
                    view! {
                        <p class=if e.tls_warning {
                            "warn-text"
                        } else {
                            ""
                        }>
                            {format!(
                                "TLS certificate expires {} ({days} days).",
                                t.format("%Y-%m-%d"),
                            )}
                        </p>
                    }
                })}
            <div class="table-wrap">
                <table>
                    <caption>
                        {format!("Uptime against the objective of {}", percent(e.slo_target_bp))}
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">"Window"</th>
                            <th scope="col">"Uptime"</th>
                            <th scope="col">"Checks"</th>
                            <th scope="col">"Failed"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {e
                            .uptime
                            .iter()
                            .map(|u| {
                                view! {
                                    <tr>
                                        <th scope="row">{u.label.clone()}</th>
                                        <td class=if u
                                            .uptime_bp
                                            .is_some_and(|b| b < e.slo_target_bp)
                                        {
                                            "below"
                                        } else {
                                            ""
                                        }>
                                            {u.uptime_bp.map_or_else(|| "—".to_string(), percent)}
                                        </td>
                                        <td>{u.checks}</td>
                                        <td>{u.failures}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <p>
                {match e.budget_left_bp {
                    Some(b) if b < 0 => {
                        format!("The 30-day error budget is overspent ({} of it).", percent(b))
                    }
                    Some(b) => format!("Error budget left over 30 days: {} of it.", percent(b)),
                    None => "No error budget figure before the first check.".to_string(),
                }}
            </p>
            {(!hours.is_empty())
                .then(|| {
                    view! {
                        <p>
                            "Hourly p95: "
                            <Sparkline values=hours alert=hours_failed label=hours_label />
                        </p>
                    }
                })}
            {can_edit
                .then(|| {
                    view! {
                        <ActionForm action=slo attr:class="inline-form">
                            <input
                                type="hidden"
                                name="environment_id"
                                value=e.environment_id.to_string()
                            />
                            <label for=slo_id.clone()>"Objective (%)"</label>
                            <input
                                id=slo_id
                                name="target"
                                inputmode="decimal"
                                value=format!("{}", percent(e.slo_target_bp).trim_end_matches('%'))
                            />
                            <button type="submit">"Set objective"</button>
                        </ActionForm>
                    }
                })}
        </article>
    }
}
