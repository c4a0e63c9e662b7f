//! The stage panel of an integration page: the gate for the next stage with every criterion,
//! the move control (which says what is missing when the gate is closed), and the timeline.

use crate::auth::access::Action;
use leptos::prelude::*;

use super::api::MoveStage;
use super::model::{Lifecycle, MIN_JUSTIFICATION, MoveKind, TransitionRecord};
use crate::auth::model::CurrentUser;
use crate::components::badges::OverrideBadge;
use crate::components::forms::{FormError, TextArea, action_error, field_error};

fn move_label(kind: MoveKind, to: crate::integrations::model::Stage) -> String {
    match kind {
        MoveKind::Forward => format!("Advance to {}", to.label()),
        MoveKind::Backward => format!("Send back to {}", to.label()),
        MoveKind::Hold => "Put on hold".to_string(),
        MoveKind::Resume => format!("Resume in {}", to.label()),
        MoveKind::Retire => "Retire".to_string(),
    }
}

/// The gate panel and the move control.
#[component]
pub fn StagePanel(
    life: Lifecycle,
    user: CurrentUser,
    action: ServerAction<MoveStage>,
) -> impl IntoView {
    let error = action_error(action);
    let can_move = user.can(Action::MoveStage);
    let is_admin = user.can(Action::OverrideGate);
    let gate_open = life.gate.as_ref().is_none_or(|g| g.open());
    let missing = life.gate.as_ref().map(|g| g.missing()).unwrap_or_default();
    view! {
        <section class="card" aria-labelledby="gate-title">
            {match life.gate.clone() {
                Some(gate) => {
                    view! {
                        <h2 id="gate-title">
                            {format!("Gate to {}", gate.to.label())}" "
                            {if gate.open() {
                                view! { <span class="badge ok">"Open"</span> }.into_any()
                            } else {
                                view! { <span class="badge danger">"Closed"</span> }.into_any()
                            }}
                        </h2>
                        {if gate.criteria.is_empty() {
                            view! { <p class="muted">"No criteria guard this move yet."</p> }
                                .into_any()
                        } else {
                            view! {
                                <ul class="gate">
                                    {gate
                                        .criteria
                                        .into_iter()
                                        .map(|c| {
                                            view! {
                                                <li class:met=c.met class:unmet=!c.met>
                                                    <span class="gate-mark" aria-hidden="true">
                                                        {if c.met { "✓" } else { "✗" }}
                                                    </span>
                                                    <span class="visually-hidden">
                                                        {if c.met { "Met: " } else { "Not met: " }}
                                                    </span>
                                                    <strong>{c.label}</strong>
                                                    " — "
                                                    {c.explanation}
                                                    {(!c.met)
                                                        .then(|| {
                                                            view! {
                                                                " "
                                                                <a href=c.fix_href>"Fix this"</a>
                                                            }
                                                        })}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }}
                    }
                        .into_any()
                }
                None => view! { <h2 id="gate-title">"Stage"</h2> }.into_any(),
            }}
            {(can_move && !life.moves.is_empty())
                .then(|| {
                    let id = life.integration_id.to_string();
                    // Moving is an action the user opens, with nothing chosen for them (a
                    // retirement is never one click away); it opens by itself when the last
                    // attempt was refused, so the reason shows beside the form.
                    view! {
                        {(!gate_open)
                            .then(|| {
                                view! {
                                    <p class="gate-missing" role="note">
                                        {format!(
                                            "The gate is closed; advancing needs: {}.",
                                            missing.join("; "),
                                        )}
                                        {if is_admin {
                                            format!(
                                                " As an admin you may override it with a written justification of at least {MIN_JUSTIFICATION} characters.",
                                            )
                                        } else {
                                            String::new()
                                        }}
                                    </p>
                                }
                            })}
                        <details class="move-stage" open=move || error.get().is_some()>
                            <summary class="button">"Move this integration…"</summary>
                            <FormError error />
                            <ActionForm action>
                                <input type="hidden" name="integration_id" value=id />
                                <fieldset>
                                    <legend>"Move to"</legend>
                                    {life
                                        .moves
                                        .iter()
                                        .map(|m| {
                                            let rid = format!("move-{}", m.to.as_str());
                                            let note = (m.kind == MoveKind::Forward && !gate_open)
                                                .then_some(" (gate closed)");
                                            view! {
                                                <div class="radio">
                                                    <input
                                                        type="radio"
                                                        id=rid.clone()
                                                        name="to"
                                                        value=m.to.as_str()
                                                    />
                                                    <label for=rid>{move_label(m.kind, m.to)}{note}</label>
                                                </div>
                                            }
                                        })
                                        .collect_view()}
                                    <p class="field-error" aria-live="polite">
                                        {move || field_error(error, "to").get()}
                                    </p>
                                </fieldset>
                                <TextArea
                                    name="reason"
                                    scope="move"
                                    label="Reason"
                                    hint="Required when sending back, holding or retiring."
                                    error=field_error(error, "reason")
                                />
                                {(is_admin && !gate_open)
                                    .then(|| {
                                        view! {
                                            <TextArea
                                                name="override_justification"
                                                scope="move"
                                                label="Override justification (admins)"
                                                hint=format!(
                                                    "Only to advance past the closed gate; at least {MIN_JUSTIFICATION} characters. Kept with the move and shown as a badge.",
                                                )
                                                error=field_error(error, "override_justification")
                                            />
                                        }
                                    })}
                                {(!is_admin || gate_open)
                                    .then(|| {
                                        view! {
                                            <input
                                                type="hidden"
                                                name="override_justification"
                                                value=""
                                            />
                                        }
                                    })}
                                <div class="form-actions">
                                    <button
                                        type="submit"
                                        class="primary"
                                        disabled=move || action.pending().get()
                                    >
                                        "Move"
                                    </button>
                                </div>
                            </ActionForm>
                        </details>
                    }
                })}
        </section>
    }
}

/// The stage history, newest first.
#[component]
pub fn StageTimeline(entries: Vec<TransitionRecord>) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="empty">"No stage moves yet."</p> }.into_any();
    }
    view! {
        <ol class="stage-timeline" aria-label="Stage moves, newest first">
            {entries
                .into_iter()
                .map(|t| {
                    view! {
                        <li>
                            <p>
                                <strong>
                                    {format!("{} → {}", t.from.label(), t.to.label())}
                                </strong>
                                {format!(" by {} · ", t.actor.unwrap_or_else(|| "System".into()))}
                                <time datetime=t
                                    .at
                                    .to_rfc3339()>
                                    {t.at.format("%Y-%m-%d %H:%M UTC").to_string()}
                                </time>
                                {t
                                    .override_justification
                                    .is_some()
                                    .then(|| {
                                        view! {
                                            " "
                                            <OverrideBadge />
                                        }
                                    })}
                            </p>
                            {t
                                .reason
                                .map(|r| view! { <p class="prose">{format!("Reason: {r}")}</p> })}
                            {t
                                .override_justification
                                .map(|j| {
                                    view! {
                                        <p class="prose">
                                            {format!("Override justification: {j}")}
                                        </p>
                                    }
                                })}
                            {(!t.unmet.is_empty())
                                .then(|| {
                                    view! {
                                        <p class="muted">
                                            {format!("Unmet at the time: {}", t.unmet.join("; "))}
                                        </p>
                                    }
                                })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}
