//! The digest page (a preview of the signed-in user's weekly digest) and the follow button
//! an integration's page shows.

use leptos::prelude::*;

use super::api::{SetFollowing, get_follow, get_weekly_digest};
use super::model::IntegrationWeek;
use super::text::{coming, moved, uptime};
use crate::components::forms::{FormError, action_error};
use crate::components::layout::Shell;
use crate::error::ErrorTemplate;

/// Follow or stop following integration `slug`. (The integration's page is kept for every
/// reader of a role who does not follow it, so this says nothing of other readers.)
#[component]
pub fn FollowButton(#[prop(into)] slug: String) -> impl IntoView {
    let set = ServerAction::<SetFollowing>::new();
    let error = action_error(set);
    let state = Resource::new(
        {
            let slug = slug.clone();
            move || slug.clone()
        },
        get_follow,
    );
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let slug = slug.clone();
                Suspend::new(async move {
                    let Ok(s) = state.await else {
                        return ().into_any();
                    };
                    let (value, label) = if s.following {
                        ("no", "Unfollow")
                    } else {
                        ("yes", "Follow")
                    };
                    let says = if s.following {
                        "You follow it: its week is in your Monday digest."
                    } else {
                        "Follow it to get its week in your Monday digest and hear of its progress."
                    };
                    view! {
                        <ActionForm action=set attr:class="follow">
                            <input type="hidden" name="slug" value=slug />
                            <input type="hidden" name="follow" value=value />
                            <FormError error />
                            <button type="submit" aria-describedby="followers">
                                {label}
                            </button>
                            <span id="followers" class="muted">
                                {says}
                            </span>
                        </ActionForm>
                    }
                        .into_any()
                })
            }}
        </Suspense>
    }
}

/// A labelled list of `items`, or nothing when there are none.
fn listed(label: &'static str, items: Vec<String>) -> impl IntoView {
    (!items.is_empty()).then(|| {
        view! {
            <dt>{label}</dt>
            <dd>
                <ul>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
            </dd>
        }
    })
}

/// One integration's week, as a card.
fn integration_card(w: IntegrationWeek) -> impl IntoView {
    let href = format!("/integrations/{}", w.integration.slug);
    let heading_id = format!("week-{}", w.integration.slug);
    let labelled_by = heading_id.clone();
    let moves = w.moves.iter().map(moved).collect();
    let coming = w.milestones_coming.iter().map(coming).collect();
    let mut risks = w.risks.clone();
    if w.more_risks > 0 {
        risks.push(format!("and {} more in the plan", w.more_risks));
    }
    let quiet = w.quiet();
    view! {
        <section class="card digest-integration" aria-labelledby=labelled_by>
            <h2 id=heading_id>
                <a href=href>{w.integration.name.clone()}</a>
                " "
                <span class="muted">{w.stage.label()}</span>
            </h2>
            {quiet
                .then(|| {
                    view! {
                        <p class="empty">
                            "A quiet week: no stage moves, milestones done or incidents."
                        </p>
                    }
                })}
            <dl class="facts">
                {listed("Stage moves", moves)} {listed("Gates passed", w.gates_passed())}
                {listed(
                    "Milestones done",
                    w.milestones_done.iter().map(|m| m.title.clone()).collect(),
                )} {listed("Milestones coming", coming)}
                {listed(
                    "Incidents opened",
                    w.incidents_opened.iter().map(|i| i.title.clone()).collect(),
                )}
                {listed(
                    "Incidents resolved",
                    w.incidents_resolved.iter().map(|i| i.title.clone()).collect(),
                )} <dt>"Incidents still open"</dt> <dd>{w.incidents_open}</dd>
                {listed(
                    "Uptime over the week",
                    w
                        .uptime
                        .iter()
                        .map(|u| format!("{}: {}", u.environment, uptime(u.uptime_bp)))
                        .collect(),
                )} {listed("Open risks", risks)}
            </dl>
        </section>
    }
}

/// The signed-in user's weekly digest of the last seven days: what Monday's email says.
#[component]
pub fn DigestPage() -> impl IntoView {
    let digest = Resource::new(|| (), |_| get_weekly_digest());
    view! {
        <Shell page=move |_| {
            view! {
                <h1>"Your weekly digest"</h1>
                <p>
                    "Every Monday at 8:00 UTC, Tollgate sends the week of the integrations you follow: stage moves, gates passed, milestones done and coming, incidents and uptime, and open risks. Below are the last seven days, as it stands now. Whether it reaches you by email is one of your "
                    <a href="/notifications">"notification choices"</a> "."
                </p>
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        let d = match digest.await {
                            Ok(d) => d,
                            Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                        };
                        if d.integrations.is_empty() {
                            return view! {
                                <p class="empty">
                                    "You follow no integrations yet. Open one from the "
                                    <a href="/integrations">"integrations list"</a>
                                    " and choose Follow: its week appears here and in your Monday digest."
                                </p>
                            }
                                .into_any();
                        }
                        view! {
                            <p class="count" role="status">
                                {format!(
                                    "From {} to {} UTC.",
                                    d.from.format("%a %-d %b %H:%M"),
                                    d.until.format("%a %-d %b %H:%M"),
                                )}
                            </p>
                            {d.integrations.into_iter().map(integration_card).collect_view()}
                        }
                            .into_any()
                    })}
                </Suspense>
            }
        } />
    }
}
