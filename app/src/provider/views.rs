//! The provider page (`/integrations/{slug}/provider`): whom to call at the provider, the
//! support tickets open with them, and what users say.

use crate::auth::access::Action;
use leptos::prelude::*;

use super::api::{
    AddFeedback, AddProviderContact, AddSupportTicket, DeleteProviderContact, SetFeedbackStatus,
    UpdateSupportTicket, get_provider_page,
};
use super::model::{
    FeedbackSource, FeedbackStatus, FeedbackSummary, ProviderView, Ticket, TicketStatus,
};
use crate::components::forms::Confirm;
use crate::components::forms::{
    Field, FormError, InlineSelect, SelectField, TextArea, action_error, choices, field_error,
};
use crate::components::layout::Shell;
use crate::components::route::slug_param;
use crate::error::ErrorTemplate;

/// An integration's provider contacts, tickets and user feedback.
#[component]
pub fn ProviderPageView() -> impl IntoView {
    let slug = slug_param();
    let add_contact = ServerAction::<AddProviderContact>::new();
    let delete_contact = ServerAction::<DeleteProviderContact>::new();
    let add_ticket = ServerAction::<AddSupportTicket>::new();
    let update_ticket = ServerAction::<UpdateSupportTicket>::new();
    let add_feedback = ServerAction::<AddFeedback>::new();
    let set_status = ServerAction::<SetFeedbackStatus>::new();
    let page = Resource::new(move || slug.get(), get_provider_page);
    view! {
        <Shell page=move |user| {
            let can_build = user.can(Action::Build);
            let can_report = user.can(Action::Report);
            view! {
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        let p: ProviderView = match page.await {
                            Ok(p) => p,
                            Err(error) => return view! { <ErrorTemplate error /> }.into_any(),
                        };
                        let s = p.integration.slug.clone();
                        let id = p.integration.id.to_string();
                        view! {
                            <crate::components::sections::SectionHead
                                slug=s.clone()
                                name=p.integration.name.clone()
                                current=crate::components::sections::Section::Provider
                                title="Provider and users"
                            />
                            <Contacts
                                p=p.clone()
                                integration_id=id.clone()
                                can_build
                                add_contact
                                delete_contact
                            />
                            <Tickets
                                tickets=p.tickets.clone()
                                incidents=p.incidents.clone()
                                integration_id=id.clone()
                                can_build
                                add_ticket
                                update_ticket
                            />
                            <FeedbackSection
                                p
                                integration_id=id
                                can_build
                                can_report
                                add_feedback
                                set_status
                            />
                        }
                            .into_any()
                    })}
                </Suspense>
            }
        } />
    }
}

#[component]
fn Contacts(
    p: ProviderView,
    integration_id: String,
    can_build: bool,
    add_contact: ServerAction<AddProviderContact>,
    delete_contact: ServerAction<DeleteProviderContact>,
) -> impl IntoView {
    let error = action_error(add_contact);
    view! {
        <section class="card" aria-labelledby="contacts-title">
            <h2 id="contacts-title">"Contacts, in escalation order"</h2>
            {if p.contacts.is_empty() {
                view! {
                    <p class="empty">
                        "No contacts yet. Add whom to reach at the provider, first call first."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <caption class="visually-hidden">"Provider contacts"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Order"</th>
                                    <th scope="col">"Name"</th>
                                    <th scope="col">"Role"</th>
                                    <th scope="col">"Email"</th>
                                    <th scope="col">"Phone"</th>
                                    {can_build.then(|| view! { <th scope="col">"Remove"</th> })}
                                </tr>
                            </thead>
                            <tbody>
                                {p
                                    .contacts
                                    .into_iter()
                                    .map(|c| {
                                        view! {
                                            <tr>
                                                <td>{c.escalation_order}</td>
                                                <th scope="row">{c.name.clone()}</th>
                                                <td>{c.role.clone()}</td>
                                                <td>
                                                    {(!c.email.is_empty())
                                                        .then(|| {
                                                            view! {
                                                                <a href=format!("mailto:{}", c.email)>{c.email.clone()}</a>
                                                            }
                                                        })}
                                                </td>
                                                <td>{c.phone.clone()}</td>
                                                {can_build
                                                    .then(|| {
                                                        view! {
                                                            <td>
                                                                <Confirm summary="Remove…">
                                                                    <ActionForm action=delete_contact>
                                                                        <input type="hidden" name="id" value=c.id.to_string() />
                                                                        <button type="submit" class="danger">
                                                                            {format!("Remove {}", c.name)}
                                                                        </button>
                                                                    </ActionForm>
                                                                </Confirm>
                                                            </td>
                                                        }
                                                    })}
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
            {can_build
                .then(|| {
                    view! {
                        <h3>"Add a contact"</h3>
                        <ActionForm action=add_contact>
                            <input type="hidden" name="integration_id" value=integration_id />
                            <FormError error />
                            <Field
                                name="name"
                                scope="contact"
                                label="Name"
                                required=true
                                error=field_error(error, "name")
                            />
                            <Field
                                name="role"
                                scope="contact"
                                label="Role"
                                hint="Such as account manager or on-call support."
                                error=field_error(error, "role")
                            />
                            <Field
                                name="email"
                                scope="contact"
                                label="Email"
                                kind="email"
                                error=field_error(error, "email")
                            />
                            <Field
                                name="phone"
                                scope="contact"
                                label="Phone"
                                kind="tel"
                                error=field_error(error, "phone")
                            />
                            <Field
                                name="escalation_order"
                                scope="contact"
                                label="Escalation order"
                                hint="1 is called first; blank puts them last."
                                error=field_error(error, "escalation_order")
                            />
                            <div class="form-actions">
                                <button type="submit" class="primary">
                                    "Add contact"
                                </button>
                            </div>
                        </ActionForm>
                    }
                })}
        </section>
    }
}

#[component]
fn Tickets(
    tickets: Vec<Ticket>,
    incidents: Vec<(i32, String)>,
    integration_id: String,
    can_build: bool,
    add_ticket: ServerAction<AddSupportTicket>,
    update_ticket: ServerAction<UpdateSupportTicket>,
) -> impl IntoView {
    let error = action_error(add_ticket);
    let update_error = action_error(update_ticket);
    let incident_choices: Vec<(String, String)> = incidents
        .iter()
        .map(|(id, t)| (id.to_string(), t.clone()))
        .collect();
    view! {
        <section class="card" aria-labelledby="tickets-title">
            <h2 id="tickets-title">"Support tickets"</h2>
            <FormError error=update_error every_message=true />
            {if tickets.is_empty() {
                view! { <p class="empty">"No tickets with the provider."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <caption class="visually-hidden">"Support tickets"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Ticket"</th>
                                    <th scope="col">"Subject"</th>
                                    <th scope="col">"Opened"</th>
                                    <th scope="col">"Closed"</th>
                                    <th scope="col">"Incident"</th>
                                    <th scope="col">"Status"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {tickets
                                    .into_iter()
                                    .map(|t| {
                                        let select_id = format!("ticket-status-{}", t.id);
                                        let reference = if t.reference.starts_with("https://") {
                                            view! {
                                                <a href=t.reference.clone()>{t.reference.clone()}</a>
                                            }
                                                .into_any()
                                        } else {
                                            view! { <span>{t.reference.clone()}</span> }.into_any()
                                        };
                                        view! {
                                            <tr>
                                                <th scope="row">{reference}</th>
                                                <td>{t.subject.clone()}</td>
                                                <td>{t.opened_on.to_string()}</td>
                                                <td>
                                                    {t
                                                        .closed_on
                                                        .map(|d| d.to_string())
                                                        .unwrap_or_else(|| "—".into())}
                                                </td>
                                                <td>
                                                    {t
                                                        .incident
                                                        .clone()
                                                        .map(|(id, title)| {
                                                            view! { <a href=format!("/incidents/{id}")>{title}</a> }
                                                        })}
                                                </td>
                                                <td>
                                                    {t.status.label()}
                                                    {can_build
                                                        .then(|| {
                                                            view! {
                                                                <ActionForm action=update_ticket attr:class="inline-form">
                                                                    <input
                                                                        type="hidden"
                                                                        name="ticket_id"
                                                                        value=t.id.to_string()
                                                                    />
                                                                    <input
                                                                        type="hidden"
                                                                        name="reference"
                                                                        value=t.reference.clone()
                                                                    />
                                                                    <input
                                                                        type="hidden"
                                                                        name="subject"
                                                                        value=t.subject.clone()
                                                                    />
                                                                    <input
                                                                        type="hidden"
                                                                        name="opened_on"
                                                                        value=t.opened_on.to_string()
                                                                    />
                                                                    <input
                                                                        type="hidden"
                                                                        name="incident_id"
                                                                        value=t
                                                                            .incident
                                                                            .as_ref()
                                                                            .map(|i| i.0.to_string())
                                                                            .unwrap_or_default()
                                                                    />
                                                                    <InlineSelect
                                                                        id=select_id.clone()
                                                                        name="status"
                                                                        label=format!("Status of {}", t.reference)
                                                                        options=choices(
                                                                            TicketStatus::ALL,
                                                                            TicketStatus::as_str,
                                                                            TicketStatus::label,
                                                                        )
                                                                        selected=t.status.as_str()
                                                                    />
                                                                </ActionForm>
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
                }
                    .into_any()
            }}
            {can_build
                .then(|| {
                    view! {
                        <h3>"Record a ticket"</h3>
                        <ActionForm action=add_ticket>
                            <input type="hidden" name="integration_id" value=integration_id />
                            <FormError error />
                            <Field
                                name="reference"
                                scope="ticket"
                                label="Provider's ticket id or link"
                                required=true
                                error=field_error(error, "reference")
                            />
                            <Field
                                name="subject"
                                scope="ticket"
                                label="Subject"
                                required=true
                                error=field_error(error, "subject")
                            />
                            <SelectField
                                name="status"
                                scope="ticket"
                                label="Status"
                                options=choices(
                                    TicketStatus::ALL,
                                    TicketStatus::as_str,
                                    TicketStatus::label,
                                )
                                selected="open"
                                error=field_error(error, "status")
                            />
                            <Field
                                name="opened_on"
                                scope="ticket"
                                label="Opened on"
                                kind="date"
                                hint="Blank is today."
                                error=field_error(error, "opened_on")
                            />
                            <SelectField
                                name="incident_id"
                                scope="ticket"
                                label="Incident"
                                options=incident_choices
                                blank="None"
                                error=field_error(error, "incident_id")
                            />
                            <div class="form-actions">
                                <button type="submit" class="primary">
                                    "Record ticket"
                                </button>
                            </div>
                        </ActionForm>
                    }
                })}
        </section>
    }
}

fn mean(summary: &FeedbackSummary) -> String {
    summary.mean_rating_x100.map_or_else(
        || "no ratings yet".into(),
        |m| format!("{}.{:02} out of 5", m / 100, m % 100),
    )
}

#[component]
fn FeedbackSection(
    p: ProviderView,
    integration_id: String,
    can_build: bool,
    can_report: bool,
    add_feedback: ServerAction<AddFeedback>,
    set_status: ServerAction<SetFeedbackStatus>,
) -> impl IntoView {
    let error = action_error(add_feedback);
    let summary = p.summary.clone();
    view! {
        <section class="card" aria-labelledby="feedback-title">
            <h2 id="feedback-title">"User feedback"</h2>
            <p>
                {format!("{} piece(s) of feedback; mean rating {}.", summary.count, mean(&summary))}
            </p>
            {(summary.count > 0)
                .then(|| {
                    view! {
                        <div class="table-wrap">
                            <table>
                                <caption>"Ratings, sources and what became of them"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Rating"</th>
                                        <th scope="col">"Count"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {(1..=5)
                                        .rev()
                                        .map(|r| {
                                            view! {
                                                <tr>
                                                    <th scope="row">{format!("{r} of 5")}</th>
                                                    <td>{summary.by_rating[r - 1]}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                    {summary
                                        .by_source
                                        .iter()
                                        .map(|(s, n)| {
                                            view! {
                                                <tr>
                                                    <th scope="row">
                                                        {format!("From {}", s.label().to_lowercase())}
                                                    </th>
                                                    <td>{*n}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                    {summary
                                        .by_status
                                        .iter()
                                        .map(|(s, n)| {
                                            view! {
                                                <tr>
                                                    <th scope="row">{s.label()}</th>
                                                    <td>{*n}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                })}
            {if p.feedback.is_empty() {
                view! { <p class="empty">"No feedback yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="feedback" aria-label="Feedback">
                        {p
                            .feedback
                            .into_iter()
                            .map(|f| {
                                let select_id = format!("feedback-status-{}", f.id);
                                view! {
                                    <li>
                                        <p>
                                            <strong>{format!("{} of 5", f.rating)}</strong>
                                            {format!(
                                                " from {}, on {}",
                                                f.source.label().to_lowercase(),
                                                if f.feature_area.is_empty() {
                                                    "the integration".to_string()
                                                } else {
                                                    f.feature_area.clone()
                                                },
                                            )}
                                            {format!(
                                                " ({}; recorded by {} on {})",
                                                f.status.label(),
                                                f.by,
                                                f.at.format("%Y-%m-%d"),
                                            )}
                                        </p>
                                        <p class="prewrap">{f.comment.clone()}</p>
                                        {can_build
                                            .then(|| {
                                                view! {
                                                    <ActionForm action=set_status attr:class="inline-form">
                                                        <input type="hidden" name="id" value=f.id.to_string() />
                                                        <InlineSelect
                                                            id=select_id.clone()
                                                            name="status"
                                                            label="Status of this feedback"
                                                            options=choices(
                                                                FeedbackStatus::ALL,
                                                                FeedbackStatus::as_str,
                                                                FeedbackStatus::label,
                                                            )
                                                            selected=f.status.as_str()
                                                        />
                                                    </ActionForm>
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
            {can_report
                .then(|| {
                    view! {
                        <h3>"Record feedback"</h3>
                        <ActionForm action=add_feedback>
                            <input type="hidden" name="integration_id" value=integration_id />
                            <FormError error />
                            <SelectField
                                name="source"
                                scope="fb"
                                label="Source"
                                options=choices(
                                    FeedbackSource::ALL,
                                    FeedbackSource::as_str,
                                    FeedbackSource::label,
                                )
                                required=true
                                error=field_error(error, "source")
                            />
                            <SelectField
                                name="rating"
                                scope="fb"
                                label="Rating"
                                options=(1..=5)
                                    .rev()
                                    .map(|r| (r.to_string(), format!("{r} of 5")))
                                    .collect()
                                required=true
                                error=field_error(error, "rating")
                            />
                            <Field
                                name="feature_area"
                                scope="fb"
                                label="Feature area"
                                hint="Such as checkout or refunds."
                                error=field_error(error, "feature_area")
                            />
                            <TextArea
                                name="comment"
                                scope="fb"
                                label="Comment"
                                error=field_error(error, "comment")
                            />
                            <div class="form-actions">
                                <button type="submit" class="primary">
                                    "Record feedback"
                                </button>
                            </div>
                        </ActionForm>
                    }
                })}
        </section>
    }
}
