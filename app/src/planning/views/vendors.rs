//! The vendor selection page: the weighted comparison, scoring, weights and the selection.

use crate::auth::access::Action;
use leptos::prelude::*;

use super::PlanningHeader;
use crate::components::forms::{Confirm, DeleteButton};
use crate::components::forms::{Field, FormError, TextArea, action_error, field_error};
use crate::components::layout::Shell;
use crate::components::route::slug_param;
use crate::error::{AppError, ErrorTemplate};
use crate::planning::api::{
    AddCandidate, AddCriterion, DeleteCandidate, ScoreCandidate, SelectVendor, SetWeights,
    UpdateCandidate, get_vendors,
};
use crate::planning::model::{Candidate, RankedCandidate, VendorBoard, VendorCriterion};

/// The candidate form's fields, filled from `c` when editing.
#[component]
fn CandidateFields(
    c: Option<Candidate>,
    error: Signal<Option<AppError>>,
    #[prop(into)] scope: String,
) -> impl IntoView {
    let get = |f: fn(&Candidate) -> String| c.as_ref().map(f).unwrap_or_default();
    view! {
        <div class="field-row">
            <Field
                name="name"
                scope=scope.clone()
                label="Name"
                value=get(|c| c.name.clone())
                required=true
                hint="The product or API, e.g. Stripe Payments"
                error=field_error(error, "name")
            />
            <Field
                name="provider"
                scope=scope.clone()
                label="Provider"
                value=get(|c| c.provider.clone())
                required=true
                error=field_error(error, "provider")
            />
        </div>
        <Field
            name="docs_url"
            scope=scope.clone()
            label="Documentation URL"
            kind="url"
            value=get(|c| c.docs_url.clone())
            error=field_error(error, "docs_url")
        />
        <TextArea
            name="pricing_notes"
            scope=scope.clone()
            label="Pricing notes"
            value=get(|c| c.pricing_notes.clone())
            error=field_error(error, "pricing_notes")
        />
        <TextArea
            name="pros"
            scope=scope.clone()
            label="Pros"
            value=get(|c| c.pros.clone())
            error=field_error(error, "pros")
        />
        <TextArea
            name="cons"
            scope=scope.clone()
            label="Cons"
            value=get(|c| c.cons.clone())
            error=field_error(error, "cons")
        />
    }
}

fn total(t: f64) -> String {
    format!("{t:.2}")
}

/// The comparison table, best first.
#[component]
fn Comparison(board: VendorBoard) -> impl IntoView {
    if board.ranking.is_empty() {
        return view! { <p class="empty">"No candidates yet. Add the vendors you are considering below."</p> }.into_any();
    }
    let selected = board.selection.as_ref().and_then(|s| s.candidate_id);
    view! {
        <div class="table-wrap">
            <table class="comparison">
                <caption class="visually-hidden">
                    "Vendor comparison, best weighted total first"
                </caption>
                <thead>
                    <tr>
                        <th scope="col">"Rank"</th>
                        <th scope="col">"Candidate"</th>
                        {board
                            .criteria
                            .iter()
                            .map(|c| {
                                view! {
                                    <th scope="col">
                                        {c.name.clone()}<br />
                                        <span class="muted">{format!("weight {}", c.weight)}</span>
                                    </th>
                                }
                            })
                            .collect_view()}
                        <th scope="col">"Weighted total (of 5)"</th>
                    </tr>
                </thead>
                <tbody>
                    {board
                        .ranking
                        .into_iter()
                        .map(|r| {
                            let is_selected = selected == Some(r.candidate.id);
                            view! {
                                <tr class:selected=is_selected>
                                    <td>{r.rank}</td>
                                    <th scope="row">
                                        {r.candidate.name.clone()}
                                        {is_selected
                                            .then(|| {
                                                view! {
                                                    " "
                                                    <span class="badge ok">"Selected"</span>
                                                }
                                            })}
                                    </th>
                                    {r
                                        .scores
                                        .iter()
                                        .map(|s| match s {
                                            Some(s) => {
                                                view! { <td title=s.note.clone()>{s.score}</td> }.into_any()
                                            }
                                            None => view! { <td class="muted">"—"</td> }.into_any(),
                                        })
                                        .collect_view()}
                                    <td>
                                        <strong>{total(r.total)}</strong>
                                        {(!r.complete)
                                            .then(|| {
                                                view! {
                                                    " "
                                                    <span class="muted">"(not fully scored)"</span>
                                                }
                                            })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }.into_any()
}

/// One candidate's details and, for planners, its scoring, selection and removal forms.
#[component]
fn CandidateCard(
    r: RankedCandidate,
    criteria: Vec<VendorCriterion>,
    can_edit: bool,
    score: ServerAction<ScoreCandidate>,
    select: ServerAction<SelectVendor>,
    delete: ServerAction<DeleteCandidate>,
    update: ServerAction<UpdateCandidate>,
    score_error: Signal<Option<AppError>>,
    select_error: Signal<Option<AppError>>,
    update_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let c = r.candidate;
    let editing = c.clone();
    let id = c.id;
    let docs = (!c.docs_url.is_empty()).then(|| {
        let url = c.docs_url.clone();
        view! {
            <a href=url.clone() rel="noopener noreferrer" target="_blank">
                {url.clone()}
            </a>
        }
    });
    let name = c.name.clone();
    let n6 = c.name.clone();
    let (n1, n2, n3, n4, n5) = (
        c.name.clone(),
        c.name.clone(),
        c.name.clone(),
        c.name.clone(),
        c.name.clone(),
    );
    view! {
        <article class="card candidate" aria-labelledby=format!("candidate-{id}")>
            <h3 id=format!(
                "candidate-{id}",
            )>{c.name.clone()}<span class="muted">" · "{c.provider.clone()}</span></h3>
            <dl class="facts">
                <dt>"Documentation"</dt>
                <dd>{docs.map_or_else(|| view! { "—" }.into_any(), IntoAny::into_any)}</dd>
                <dt>"Pricing"</dt>
                <dd class="prose">{c.pricing_notes.clone()}</dd>
                <dt>"Pros"</dt>
                <dd class="prose">{c.pros.clone()}</dd>
                <dt>"Cons"</dt>
                <dd class="prose">{c.cons.clone()}</dd>
            </dl>
            {can_edit
                .then(|| {
                    view! {
                        <Confirm summary=format!("Score {name}…")>
                            <ActionForm action=score>
                                <input type="hidden" name="candidate_id" value=id.to_string() />
                                <table class="score-form">
                                    <caption class="visually-hidden">
                                        {format!("Scores for {n1}")}
                                    </caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Criterion"</th>
                                            <th scope="col">"Score (1-5)"</th>
                                            <th scope="col">"Note"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {criteria
                                            .iter()
                                            .enumerate()
                                            .map(|(i, cr)| {
                                                let current = r.scores.get(i).cloned().flatten();
                                                let value = current
                                                    .as_ref()
                                                    .map(|s| s.score.to_string())
                                                    .unwrap_or_default();
                                                let note = current.map(|s| s.note).unwrap_or_default();
                                                let select_id = format!("score-{id}-{}", cr.id);
                                                let note_id = format!("note-{id}-{}", cr.id);
                                                let err = field_error(
                                                    score_error,
                                                    &format!("score_{}", cr.id),
                                                );
                                                view! {
                                                    <tr>
                                                        <th scope="row">
                                                            <label for=select_id.clone()>{cr.name.clone()}</label>
                                                        </th>
                                                        <td>
                                                            <input
                                                                type="hidden"
                                                                name=format!("scores[{i}][criterion_id]")
                                                                value=cr.id.to_string()
                                                            />
                                                            <select id=select_id name=format!("scores[{i}][score]")>
                                                                <option value="" selected=value.is_empty()>
                                                                    "Not scored"
                                                                </option>
                                                                {(1..=5)
                                                                    .map(|n| {
                                                                        view! {
                                                                            <option value=n.to_string() selected=value == n.to_string()>
                                                                                {n}
                                                                            </option>
                                                                        }
                                                                    })
                                                                    .collect_view()}
                                                            </select>
                                                            <span class="field-error" aria-live="polite">
                                                                {move || err.get()}
                                                            </span>
                                                        </td>
                                                        <td>
                                                            <label class="visually-hidden" for=note_id.clone()>
                                                                {format!("Note on {}", cr.name)}
                                                            </label>
                                                            <input
                                                                id=note_id
                                                                type="text"
                                                                name=format!("scores[{i}][note]")
                                                                value=note
                                                            />
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                                <button type="submit" class="primary">
                                    {format!("Save scores for {n2}")}
                                </button>
                            </ActionForm>
                        </Confirm>
                        <Confirm summary=format!("Select {n3}…")>
                            <ActionForm action=select>
                                <input type="hidden" name="candidate_id" value=id.to_string() />
                                <TextArea
                                    name="rationale"
                                    label="Rationale"
                                    scope=format!("select-{id}")
                                    required=true
                                    hint="Why this vendor: what the comparison showed, and anything it does not capture."
                                    error=field_error(select_error, "rationale")
                                />
                                <button type="submit" class="primary">
                                    {format!("Select {n4}")}
                                </button>
                            </ActionForm>
                        </Confirm>
                        <Confirm summary=format!("Edit {n6}…")>
                            <ActionForm action=update>
                                <input type="hidden" name="id" value=id.to_string() />
                                <CandidateFields
                                    c=Some(editing)
                                    error=update_error
                                    scope=format!("candidate-{id}")
                                />
                                <button type="submit" class="primary">
                                    "Save candidate"
                                </button>
                            </ActionForm>
                        </Confirm>
                        <Confirm summary=format!("Remove {n5}…") danger=true>
                            <ActionForm action=delete>
                                <DeleteButton id what="candidate" />
                            </ActionForm>
                        </Confirm>
                    }
                })}
        </article>
    }
}

/// Vendor and API selection for one integration.
#[component]
pub fn VendorsPage() -> impl IntoView {
    let slug = slug_param();
    let add = ServerAction::<AddCandidate>::new();
    let update = ServerAction::<UpdateCandidate>::new();
    let update_error = action_error(update);
    let delete = ServerAction::<DeleteCandidate>::new();
    let score = ServerAction::<ScoreCandidate>::new();
    let select = ServerAction::<SelectVendor>::new();
    let weights = ServerAction::<SetWeights>::new();
    let criterion = ServerAction::<AddCriterion>::new();
    let add_error = action_error(add);
    let score_error = action_error(score);
    let select_error = action_error(select);
    let weights_error = action_error(weights);
    let criterion_error = action_error(criterion);
    let delete_error = action_error(delete);
    let board = Resource::new(move || slug.get(), get_vendors);
    view! {
        <Shell page=move |user| {
            let can_edit = user.can(Action::EditIntegrations);
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        let board = match board.await {
                            Ok(b) => b,
                            Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                        };
                        let integration_id = board.integration.id.to_string();
                        let (id_weights, id_criterion) = (
                            integration_id.clone(),
                            integration_id.clone(),
                        );
                        let criteria = board.criteria.clone();
                        let ranking = board.ranking.clone();
                        let selection = board.selection.clone();
                        view! {
                            <PlanningHeader
                                integration=board.integration.clone()
                                current="vendors"
                            />
                            <section class="card" aria-labelledby="selection-title">
                                <h2 id="selection-title">"Selection"</h2>
                                {match selection {
                                    Some(s) => {
                                        view! {
                                            <p>
                                                <strong>{s.candidate_name}</strong>
                                                " selected"
                                                {s.by.map(|b| format!(" by {b}"))}
                                                {format!(" on {}.", s.at.format("%Y-%m-%d"))}
                                            </p>
                                            <p class="prose">{s.rationale}</p>
                                            <p class="muted">
                                                {format!(
                                                    "Totals then: {}",
                                                    s
                                                        .totals
                                                        .iter()
                                                        .map(|(n, t)| format!("{n} {}", total(*t)))
                                                        .collect::<Vec<_>>()
                                                        .join(", "),
                                                )}
                                            </p>
                                        }
                                            .into_any()
                                    }
                                    None => {
                                        view! { <p class="empty">"No vendor selected yet."</p> }
                                            .into_any()
                                    }
                                }}
                                <FormError error=select_error />
                            </section>
                            <section class="card" aria-labelledby="comparison-title">
                                <h2 id="comparison-title">"Comparison"</h2>
                                <FormError error=score_error every_message=true />
                                <FormError error=delete_error every_message=true />
                                <FormError error=update_error every_message=true />
                                <Comparison board />
                            </section>
                            <section aria-labelledby="candidates-title">
                                <h2 id="candidates-title">"Candidates"</h2>
                                {ranking
                                    .into_iter()
                                    .map(|r| {
                                        view! {
                                            <CandidateCard
                                                r
                                                criteria=criteria.clone()
                                                can_edit
                                                score
                                                select
                                                delete
                                                update
                                                score_error
                                                select_error
                                                update_error
                                            />
                                        }
                                    })
                                    .collect_view()}
                            </section>
                            {can_edit
                                .then(move || {
                                    view! {
                                        <section class="card" aria-labelledby="weights-title">
                                            <h2 id="weights-title">"Criteria and weights"</h2>
                                            <p class="hint">
                                                "Totals are weighted means: each score times its weight, divided by the sum of the weights."
                                            </p>
                                            <FormError error=weights_error />
                                            <ActionForm action=weights>
                                                <input
                                                    type="hidden"
                                                    name="integration_id"
                                                    value=id_weights
                                                />
                                                <div class="field-row">
                                                    {criteria
                                                        .iter()
                                                        .enumerate()
                                                        .map(|(i, c)| {
                                                            let id = format!("weight-{}", c.id);
                                                            let err = field_error(
                                                                weights_error,
                                                                &format!("weight_{}", c.id),
                                                            );
                                                            view! {
                                                                <div class="field">
                                                                    <label for=id.clone()>{format!("{} weight", c.name)}</label>
                                                                    <input
                                                                        type="hidden"
                                                                        name=format!("weights[{i}][criterion_id]")
                                                                        value=c.id.to_string()
                                                                    />
                                                                    <input
                                                                        id=id
                                                                        type="number"
                                                                        min="0"
                                                                        max="100"
                                                                        name=format!("weights[{i}][weight]")
                                                                        value=c.weight.to_string()
                                                                    />
                                                                    <p class="field-error" aria-live="polite">
                                                                        {move || err.get()}
                                                                    </p>
                                                                </div>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </div>
                                                <button type="submit">"Save weights"</button>
                                            </ActionForm>
                                            <h3>"Add a criterion"</h3>
                                            <FormError error=criterion_error />
                                            <ActionForm action=criterion>
                                                <input
                                                    type="hidden"
                                                    name="integration_id"
                                                    value=id_criterion
                                                />
                                                <div class="field-row">
                                                    <Field
                                                        name="name"
                                                        scope="criterion"
                                                        label="Criterion"
                                                        required=true
                                                        error=field_error(criterion_error, "name")
                                                    />
                                                    <Field
                                                        name="weight"
                                                        scope="criterion"
                                                        label="Weight (0-100)"
                                                        kind="number"
                                                        value="10"
                                                        required=true
                                                        error=field_error(criterion_error, "weight")
                                                    />
                                                </div>
                                                <button type="submit">"Add criterion"</button>
                                            </ActionForm>
                                        </section>
                                        <section class="card" aria-labelledby="new-candidate-title">
                                            <h2 id="new-candidate-title">"Add a candidate"</h2>
                                            <FormError error=add_error />
                                            <ActionForm action=add>
                                                <input
                                                    type="hidden"
                                                    name="integration_id"
                                                    value=integration_id
                                                />
                                                <CandidateFields c=None error=add_error scope="candidate" />
                                                <div class="form-actions">
                                                    <button
                                                        type="submit"
                                                        class="primary"
                                                        disabled=move || add.pending().get()
                                                    >
                                                        "Add candidate"
                                                    </button>
                                                </div>
                                            </ActionForm>
                                        </section>
                                    }
                                })}
                        }
                            .into_any()
                    })}
                </Suspense>
            }
        } />
    }
}
