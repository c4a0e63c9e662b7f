//! The audits page (`/integrations/{slug}/audits`): the recurring checks of an integration,
//! when each is next due, its runs and what they found, and each finding's remediation.

use crate::auth::access::Action;
use leptos::prelude::*;

use super::api::{
    AddAuditFinding, CreateAudit, DeleteAudit, RecordAuditRun, ResolveAuditFinding, UpdateAudit,
    get_audit_page,
};
use super::model::{
    Audit, AuditRun, AuditStatus, AuditsView, Finding, FindingSeverity, RUNS_SHOWN,
};
use crate::components::forms::{Confirm, DeleteButton};
use crate::components::forms::{
    Field, FormError, SelectField, TextArea, action_error, choices, field_error, first_error,
};
use crate::components::layout::Shell;
use crate::components::route::slug_param;
use crate::error::{AppError, ErrorTemplate};
use crate::users::model::UserRef;

/// What a page's forms may do, from the signed-in role.
#[derive(Clone, Copy)]
struct May {
    /// Define, change and delete audits (coordinators, admins).
    plan: bool,
    /// Record runs and findings, resolve findings (everyone but stakeholders).
    audit: bool,
}

/// The actions of the page, handed to each audit's card.
#[derive(Clone, Copy)]
struct Actions {
    update: ServerAction<UpdateAudit>,
    delete: ServerAction<DeleteAudit>,
    run: ServerAction<RecordAuditRun>,
    finding: ServerAction<AddAuditFinding>,
    resolve: ServerAction<ResolveAuditFinding>,
}

/// An integration's audits.
#[component]
pub fn AuditsPage() -> impl IntoView {
    let slug = slug_param();
    let create = ServerAction::<CreateAudit>::new();
    let actions = Actions {
        update: ServerAction::new(),
        delete: ServerAction::new(),
        run: ServerAction::new(),
        finding: ServerAction::new(),
        resolve: ServerAction::new(),
    };
    let page = Resource::new(move || slug.get(), get_audit_page);
    // The forms of each audit, run and finding send their refusal here: beside the fields of
    // the form that was sent once the WebAssembly has loaded (components::enhance), above
    // every card without it.
    let row_refusal = first_error([
        action_error(actions.update),
        action_error(actions.delete),
        action_error(actions.run),
        action_error(actions.finding),
        action_error(actions.resolve),
    ]);
    view! {
        <Shell page=move |user| {
            let may = May {
                plan: user.can(Action::Plan),
                audit: user.can(Action::Audit),
            };
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        let p: AuditsView = match page.await {
                            Ok(p) => p,
                            Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                        };
                        let s = p.integration.slug.clone();
                        view! {
                            <crate::components::sections::SectionHead
                                slug=s.clone()
                                name=p.integration.name.clone()
                                current=crate::components::sections::Section::Audits
                                title="Audits"
                            />
                            <FormError error=row_refusal every_message=true />
                            <p>
                                "Recurring checks of this integration. Each is next due its interval after its latest run; before any run, on its first due day."
                            </p>
                            <Summary audits=p.audits.clone() />
                            {p
                                .audits
                                .iter()
                                .cloned()
                                .map(|a| {
                                    view! { <AuditCard a people=p.people.clone() may actions /> }
                                })
                                .collect_view()}
                            {may
                                .plan
                                .then(|| {
                                    view! {
                                        <NewAudit
                                            integration_id=p.integration.id
                                            people=p.people.clone()
                                            create
                                        />
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

fn status_class(s: AuditStatus) -> &'static str {
    match s {
        AuditStatus::Overdue => "badge danger",
        AuditStatus::DueSoon => "badge warn",
        AuditStatus::Scheduled => "badge",
    }
}

#[component]
fn Summary(audits: Vec<Audit>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="audits-title">
            <h2 id="audits-title">"Schedule"</h2>
            {if audits.is_empty() {
                view! {
                    <p class="empty">
                        "No audits yet. A coordinator defines what is checked and how often."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label="Audit schedule">
                        <table>
                            <caption class="visually-hidden">"Audits, soonest due first"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Audit"</th>
                                    <th scope="col">"Every"</th>
                                    <th scope="col">"Owner"</th>
                                    <th scope="col">"Last run"</th>
                                    <th scope="col">"Next due"</th>
                                    <th scope="col">"Status"</th>
                                    <th scope="col">"Open findings"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {audits
                                    .into_iter()
                                    .map(|a| {
                                        view! {
                                            <tr>
                                                <th scope="row">
                                                    <a href=format!("#audit-{}", a.id)>{a.title.clone()}</a>
                                                </th>
                                                <td>{format!("{} days", a.interval_days)}</td>
                                                <td>
                                                    {a
                                                        .owner
                                                        .as_ref()
                                                        .map(|o| o.name.clone())
                                                        .unwrap_or_else(|| "—".into())}
                                                </td>
                                                <td>
                                                    {a
                                                        .runs
                                                        .first()
                                                        .map(|r| r.performed_on.to_string())
                                                        .unwrap_or_else(|| "Never".into())}
                                                </td>
                                                <td>{a.next_due.to_string()}</td>
                                                <td>
                                                    <span class=status_class(a.status)>{a.status.label()}</span>
                                                </td>
                                                <td>{a.open_findings}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </section>
    }
}

/// The fields of the audit form, filled from `a` when editing.
#[component]
fn AuditFields(
    a: Option<Audit>,
    people: Vec<UserRef>,
    error: Signal<Option<AppError>>,
    #[prop(into)] scope: String,
) -> impl IntoView {
    let people = people
        .into_iter()
        .map(|p| (p.id.to_string(), p.name))
        .collect::<Vec<_>>();
    let form = a.map(|a| a.form()).unwrap_or_default();
    view! {
        <Field
            name="title"
            scope=scope.clone()
            label="Title"
            value=form.title
            hint="Such as quarterly PCI scope review."
            required=true
            error=field_error(error, "title")
        />
        <TextArea
            name="checks"
            scope=scope.clone()
            label="What it checks"
            value=form.checks
            required=true
            error=field_error(error, "checks")
        />
        <div class="field-row">
            <Field
                name="interval_days"
                scope=scope.clone()
                label="Every (days)"
                kind="number"
                value=form.interval_days
                hint="1 to 366; 91 is quarterly."
                required=true
                error=field_error(error, "interval_days")
            />
            <Field
                name="first_due"
                scope=scope.clone()
                label="First due"
                kind="date"
                value=form.first_due
                required=true
                error=field_error(error, "first_due")
            />
            <SelectField
                name="owner_id"
                scope=scope.clone()
                label="Owner"
                options=people
                selected=form.owner_id
                blank="Nobody in particular"
                error=field_error(error, "owner_id")
            />
        </div>
    }
}

#[component]
fn NewAudit(
    integration_id: i32,
    people: Vec<UserRef>,
    create: ServerAction<CreateAudit>,
) -> impl IntoView {
    let error = action_error(create);
    view! {
        <section class="card" aria-labelledby="new-audit-title">
            <h2 id="new-audit-title">"Define an audit"</h2>
            <ActionForm action=create>
                <input type="hidden" name="integration_id" value=integration_id.to_string() />
                <FormError error />
                <AuditFields a=None people error scope="new-audit" />
                <div class="form-actions">
                    <button type="submit" class="primary">
                        "Define audit"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn AuditCard(a: Audit, people: Vec<UserRef>, may: May, actions: Actions) -> impl IntoView {
    let id = a.id;
    let key = id.to_string();
    let title_id = format!("audit-{id}-title");
    let (run_key, edit_key) = (key.clone(), key);
    let edited = a.clone();
    let what = a.title.clone();
    view! {
        <section class="card" id=format!("audit-{id}") aria-labelledby=title_id.clone()>
            <h2 id=title_id.clone()>{a.title.clone()}</h2>
            <p>
                <span class=status_class(a.status)>{a.status.label()}</span>
                {format!(" Next due {}; every {} days", a.next_due, a.interval_days)}
                {a.owner.as_ref().map(|o| format!("; owned by {}", o.name))}
                "."
            </p>
            <p class="prewrap">{a.checks.clone()}</p>
            <h3>"Runs"</h3>
            {(a.run_count > a.runs.len() as u64)
                .then(|| {
                    view! {
                        <p class="count">
                            {format!(
                                "{} runs; the newest {RUNS_SHOWN} are shown, and any older one with a finding still open.",
                                a.run_count,
                            )}
                        </p>
                    }
                })}
            {if a.runs.is_empty() {
                view! {
                    <p class="empty">
                        {format!("Not run yet; the first run is due {}.", a.first_due)}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ol class="audit-runs" aria-label=format!("Runs of {}", a.title)>
                        {a
                            .runs
                            .iter()
                            .cloned()
                            .map(|r| view! { <RunItem r may actions /> })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
            {may
                .audit
                .then(|| {
                    view! {
                        <Confirm summary="Record a run…">
                            <ActionForm action=actions.run>
                                <input type="hidden" name="audit_id" value=run_key.clone() />
                                <Field
                                    name="performed_on"
                                    scope=format!("run-{id}")
                                    label="Performed on"
                                    kind="date"
                                    hint="Blank is today."
                                />
                                <TextArea name="notes" scope=format!("run-{id}") label="Notes" />
                                <div class="form-actions">
                                    <button type="submit" class="primary">
                                        "Record run"
                                    </button>
                                </div>
                            </ActionForm>
                        </Confirm>
                    }
                })}
            {may
                .plan
                .then(|| {
                    view! {
                        <Confirm summary="Edit this audit…">
                            <ActionForm action=actions.update>
                                <input type="hidden" name="audit_id" value=edit_key.clone() />
                                <AuditFields
                                    a=Some(edited.clone())
                                    people=people.clone()
                                    error=Signal::stored(None)
                                    scope=format!("audit-{id}")
                                />
                                <div class="form-actions">
                                    <button type="submit" class="primary">
                                        "Save audit"
                                    </button>
                                </div>
                            </ActionForm>
                        </Confirm>
                        <Confirm summary="Delete…" danger=true>
                            <p>"Deleting the audit deletes its runs and findings too."</p>
                            <ActionForm action=actions.delete>
                                <DeleteButton id what=what.clone() />
                            </ActionForm>
                        </Confirm>
                    }
                })}
        </section>
    }
}

#[component]
fn RunItem(r: AuditRun, may: May, actions: Actions) -> impl IntoView {
    let id = r.id;
    let open = r
        .findings
        .iter()
        .filter(|f| f.resolved_on.is_none())
        .count();
    let result = match (r.findings.len(), open) {
        (0, _) => "Passed: nothing found.".to_string(),
        (n, 0) => format!("{n} finding(s), all resolved."),
        (n, o) => format!("{n} finding(s), {o} open."),
    };
    view! {
        <li>
            <p>
                <strong>{r.performed_on.to_string()}</strong>
                {format!(" by {}. {result}", r.performed_by)}
            </p>
            {(!r.notes.is_empty()).then(|| view! { <p class="prewrap">{r.notes.clone()}</p> })}
            {(!r.findings.is_empty())
                .then(|| {
                    view! {
                        <ul
                            class="findings"
                            aria-label=format!("Findings of the run on {}", r.performed_on)
                        >
                            {r
                                .findings
                                .iter()
                                .cloned()
                                .map(|f| view! { <FindingItem f may actions /> })
                                .collect_view()}
                        </ul>
                    }
                })}
            {may
                .audit
                .then(|| {
                    view! {
                        <Confirm summary="Add a finding…">
                            <ActionForm action=actions.finding>
                                <input type="hidden" name="run_id" value=id.to_string() />
                                <Field
                                    name="summary"
                                    scope=format!("finding-{id}")
                                    label="What was found"
                                    required=true
                                />
                                <SelectField
                                    name="severity"
                                    scope=format!("finding-{id}")
                                    label="FindingSeverity"
                                    options=choices(
                                        FindingSeverity::ALL,
                                        FindingSeverity::as_str,
                                        FindingSeverity::label,
                                    )
                                    selected="medium"
                                    required=true
                                />
                                <TextArea
                                    name="remediation"
                                    scope=format!("finding-{id}")
                                    label="Remediation"
                                    required=true
                                />
                                <Field
                                    name="due_on"
                                    scope=format!("finding-{id}")
                                    label="Remediation due"
                                    kind="date"
                                />
                                <div class="form-actions">
                                    <button type="submit" class="primary">
                                        "Add finding"
                                    </button>
                                </div>
                            </ActionForm>
                        </Confirm>
                    }
                })}
        </li>
    }
}

#[component]
fn FindingItem(f: Finding, may: May, actions: Actions) -> impl IntoView {
    let id = f.id;
    let state = match (&f.resolved_on, f.overdue) {
        (Some(day), _) => format!(
            "Resolved on {day}{}: {}",
            f.resolved_by
                .as_ref()
                .map(|b| format!(" by {b}"))
                .unwrap_or_default(),
            f.resolution
        ),
        (None, true) => format!(
            "Open; remediation was due {}.",
            f.due_on.map(|d| d.to_string()).unwrap_or_default()
        ),
        (None, false) => match f.due_on {
            Some(d) => format!("Open; remediation due {d}."),
            None => "Open.".into(),
        },
    };
    view! {
        <li>
            <p>
                <strong>{format!("{} severity: ", f.severity.label())}</strong>
                {f.summary.clone()}
            </p>
            <p class="prewrap">{format!("Remediation: {}", f.remediation)}</p>
            <p>
                {f
                    .overdue
                    .then(|| {
                        view! {
                            <span class="badge danger">"Overdue"</span>
                            " "
                        }
                    })}{state}
            </p>
            {(may.audit && f.resolved_on.is_none())
                .then(|| {
                    view! {
                        <Confirm summary="Resolve…">
                            <ActionForm action=actions.resolve>
                                <input type="hidden" name="finding_id" value=id.to_string() />
                                <TextArea
                                    name="resolution"
                                    scope=format!("resolve-{id}")
                                    label="How it was resolved"
                                    required=true
                                />
                                <Field
                                    name="resolved_on"
                                    scope=format!("resolve-{id}")
                                    label="Resolved on"
                                    kind="date"
                                    hint="Blank is today."
                                />
                                <div class="form-actions">
                                    <button type="submit" class="primary">
                                        {format!("Resolve: {}", f.summary)}
                                    </button>
                                </div>
                            </ActionForm>
                        </Confirm>
                    }
                })}
        </li>
    }
}
