//! (ssr) Meetings and action items, and each person's open items across integrations.

use crate::auth::access::Action;
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, TransactionSession, TransactionTrait,
};
use serde_json::json;

use super::{check_active_user, people, require_planner_or_assigned_engineer};
use crate::activity::service::{self as activity};
use crate::auth::model::CurrentUser;
use crate::entities::{action_items, integrations, meetings, users};
use crate::error::{AppError, FieldErrors, Result};
use crate::integrations::lookup::{integration, reference};
use crate::planning::model::{
    ActionItem, ActionItemForm, MEETINGS_PER_PAGE, Meeting, MeetingForm, MeetingsQuery,
    MeetingsView,
};
use crate::users::model::UserRef;
use crate::validate::{optional, optional_date, optional_id, required};

/// The trail's names for these kinds of record.
pub const MEETING: &str = "meeting";
pub const ACTION_ITEM: &str = "action_item";

struct ValidMeeting {
    starts_at: chrono::DateTime<Utc>,
    title: String,
    attendee_ids: Vec<i32>,
    outside_attendees: String,
    agenda: String,
    notes: String,
    decisions: String,
}

fn validate_meeting(form: &MeetingForm) -> Result<ValidMeeting> {
    let mut e = FieldErrors::default();
    let starts_at = crate::validate::datetime(&mut e, "starts_at", &form.starts_at);
    let title = required(&mut e, "title", &form.title, "a title", 160);
    let mut attendee_ids = Vec::new();
    for raw in &form.attendee_ids {
        match raw.trim().parse::<i32>() {
            Ok(id) if !attendee_ids.contains(&id) => attendee_ids.push(id),
            Ok(_) => {}
            Err(_) => e.add("attendee_ids", "Choose attendees from the list."),
        }
    }
    let outside_attendees = optional(&mut e, "outside_attendees", &form.outside_attendees, 1000);
    let agenda = optional(&mut e, "agenda", &form.agenda, 10_000);
    let notes = optional(&mut e, "notes", &form.notes, 20_000);
    let decisions = optional(&mut e, "decisions", &form.decisions, 10_000);
    e.into_result()?;
    Ok(ValidMeeting {
        starts_at: starts_at.unwrap_or_else(Utc::now),
        title,
        attendee_ids,
        outside_attendees,
        agenda,
        notes,
        decisions,
    })
}

crate::integration_record!(meetings, MEETING, |m| {
    json!({
        "starts_at": m.starts_at.to_rfc3339(),
        "title": m.title,
        "attendee_ids": m.attendee_ids,
        "outside_attendees": m.outside_attendees,
        "agenda": m.agenda,
        "notes": m.notes,
        "decisions": m.decisions,
    })
});

crate::integration_record!(action_items, ACTION_ITEM, |m| {
    json!({
        "text": m.text,
        "assignee_id": m.assignee_id,
        "due_date": m.due_date.map(|d| d.to_string()),
        "done": m.done,
    })
});

fn to_item(
    m: action_items::Model,
    integrations: &[integrations::Model],
    people: &[UserRef],
) -> Option<ActionItem> {
    let integration = integrations.iter().find(|i| i.id == m.integration_id)?;
    let today = crate::calendar::today();
    Some(ActionItem {
        id: m.id,
        integration: reference(integration),
        meeting_id: m.meeting_id,
        assignee: m
            .assignee_id
            .and_then(|id| people.iter().find(|p| p.id == id).cloned()),
        overdue: !m.done && m.due_date.is_some_and(|d| d < today),
        text: m.text,
        due_date: m.due_date,
        done: m.done,
    })
}

/// The meetings page of integration `slug`: page `query.page`, or the page holding meeting
/// `query.meeting`, [`MEETINGS_PER_PAGE`] meetings a page, newest first.
///
/// # Errors
/// `NotFound`; `Validation` on `page` (not a page number) or `meeting` (not one of the
/// integration's meetings).
pub async fn page(
    db: &impl ConnectionTrait,
    slug: &str,
    query: &MeetingsQuery,
) -> Result<MeetingsView> {
    let page = crate::paging::page_number(query.page.as_deref())?;
    let i = integration(db, slug).await?;
    let of_i = meetings::Entity::find().filter(meetings::Column::IntegrationId.eq(i.id));
    let page = match query
        .meeting
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        None => page,
        Some(raw) => {
            let no_such =
                || AppError::field("meeting", "Choose one of this integration's meetings.");
            let id: i32 = raw.parse().map_err(|_| no_such())?;
            let m = of_i
                .clone()
                .filter(meetings::Column::Id.eq(id))
                .one(db)
                .await?
                .ok_or_else(no_such)?;
            // Newest first, the later id first at the same time: how many come before it.
            let before = of_i
                .clone()
                .filter(
                    Condition::any()
                        .add(meetings::Column::StartsAt.gt(m.starts_at))
                        .add(
                            Condition::all()
                                .add(meetings::Column::StartsAt.eq(m.starts_at))
                                .add(meetings::Column::Id.gt(m.id)),
                        ),
                )
                .count(db)
                .await?;
            before / MEETINGS_PER_PAGE + 1
        }
    };
    let rows = crate::paging::fetch(
        db,
        of_i.order_by_desc(meetings::Column::StartsAt)
            .order_by_desc(meetings::Column::Id),
        MEETINGS_PER_PAGE,
        page,
    )
    .await?;
    let meetings = assemble(db, &i, rows.items).await?;
    Ok(MeetingsView {
        integration: reference(&i),
        meetings,
        total: rows.total,
        page: rows.page,
        pages: rows.pages,
        people: crate::users::service::user_choices(db).await?,
    })
}

/// `rows` (meetings of integration `i`) with their attendees and action items, in their
/// order: two queries however many.
async fn assemble(
    db: &impl ConnectionTrait,
    i: &integrations::Model,
    rows: Vec<meetings::Model>,
) -> Result<Vec<Meeting>> {
    let items = action_items::Entity::find()
        .filter(action_items::Column::MeetingId.is_in(rows.iter().map(|m| m.id)))
        .order_by_asc(action_items::Column::Id)
        .all(db)
        .await?;
    let mut ids: Vec<i32> = items.iter().filter_map(|a| a.assignee_id).collect();
    for m in &rows {
        ids.extend(serde_json::from_str::<Vec<i32>>(&m.attendee_ids).unwrap_or_default());
    }
    // Deactivated people still show by name on past meetings.
    let named = people(db, ids).await?;
    let integrations = [i.clone()];
    Ok(rows
        .into_iter()
        .map(|m| Meeting {
            id: m.id,
            starts_at: m.starts_at,
            attendees: serde_json::from_str::<Vec<i32>>(&m.attendee_ids)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|id| named.iter().find(|p| p.id == id).cloned())
                .collect(),
            action_items: items
                .iter()
                .filter(|a| a.meeting_id == Some(m.id))
                .filter_map(|a| to_item(a.clone(), &integrations, &named))
                .collect(),
            title: m.title,
            outside_attendees: m.outside_attendees,
            agenda: m.agenda,
            notes: m.notes,
            decisions: m.decisions,
        })
        .collect())
}

/// One meeting with its action items.
///
/// # Errors
/// `NotFound`.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<Meeting> {
    let row = meetings::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let i = crate::integrations::lookup::integration_by_id(db, row.integration_id).await?;
    assemble(db, &i, vec![row])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// One action item (of a meeting).
///
/// # Errors
/// `NotFound`.
pub async fn item(db: &impl ConnectionTrait, id: i32) -> Result<ActionItem> {
    let row = action_items::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let meeting = get(db, row.meeting_id.ok_or(AppError::NotFound)?).await?;
    meeting
        .action_items
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(AppError::NotFound)
}

/// Records a meeting.
///
/// # Errors
/// `Forbidden` for non-planners; `NotFound`; `Validation`.
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    form: &MeetingForm,
) -> Result<i32> {
    actor.may(Action::Plan)?;
    let v = validate_meeting(form)?;
    let txn = activity::begin(db).await?;
    crate::integrations::lookup::integration_by_id(&txn, integration_id).await?;
    check_attendees(&txn, &v.attendee_ids).await?;
    let m = crate::records::insert::<meetings::Entity>(
        &txn,
        actor,
        meetings::ActiveModel {
            integration_id: Set(integration_id),
            starts_at: Set(v.starts_at),
            title: Set(v.title),
            attendee_ids: Set(json!(v.attendee_ids).to_string()),
            outside_attendees: Set(v.outside_attendees),
            agenda: Set(v.agenda),
            notes: Set(v.notes),
            decisions: Set(v.decisions),
            created_by: Set(Some(actor.id)),
            created_at: Set(Utc::now()),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m.id)
}

/// Edits a meeting: notes and decisions are usually filled in afterwards.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation`.
pub async fn update(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
    form: &MeetingForm,
) -> Result<()> {
    actor.may(Action::Plan)?;
    let v = validate_meeting(form)?;
    let txn = activity::begin(db).await?;
    let before = meetings::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    check_attendees(&txn, &v.attendee_ids).await?;
    let mut active: meetings::ActiveModel = before.clone().into();
    active.starts_at = Set(v.starts_at);
    active.title = Set(v.title);
    active.attendee_ids = Set(json!(v.attendee_ids).to_string());
    active.outside_attendees = Set(v.outside_attendees);
    active.agenda = Set(v.agenda);
    active.notes = Set(v.notes);
    active.decisions = Set(v.decisions);
    crate::records::save::<meetings::Entity>(&txn, actor, "update", &before, active).await?;
    txn.commit().await?;
    Ok(())
}

async fn check_attendees(txn: &impl ConnectionTrait, ids: &[i32]) -> Result<()> {
    let known = users::Entity::find()
        .filter(users::Column::Id.is_in(ids.to_vec()))
        .all(txn)
        .await?;
    if known.len() == ids.len() {
        Ok(())
    } else {
        Err(AppError::field(
            "attendee_ids",
            "Choose attendees from the list.",
        ))
    }
}

/// Deletes a meeting and its action items.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn delete(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
) -> Result<()> {
    crate::records::delete::<meetings::Entity>(db, actor, Action::Plan, id).await
}

/// Adds an action item to a meeting.
///
/// # Errors
/// `Forbidden` for non-planners; `NotFound`; `Validation`.
pub async fn add_item(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    meeting_id: i32,
    form: &ActionItemForm,
) -> Result<i32> {
    actor.may(Action::Plan)?;
    let mut e = FieldErrors::default();
    let text = required(&mut e, "text", &form.text, "what needs doing", 1000);
    let assignee_id = optional_id(&mut e, "assignee_id", &form.assignee_id);
    let due_date = optional_date(&mut e, "due_date", &form.due_date);
    e.into_result()?;
    let txn = activity::begin(db).await?;
    let meeting = meetings::Entity::find_by_id(meeting_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    check_active_user(&txn, "assignee_id", assignee_id).await?;
    let m = action_items::ActiveModel {
        integration_id: Set(meeting.integration_id),
        meeting_id: Set(Some(meeting_id)),
        text: Set(text),
        assignee_id: Set(assignee_id),
        due_date: Set(due_date),
        done: Set(false),
        done_at: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    let m = crate::records::insert::<action_items::Entity>(&txn, actor, m).await?;
    txn.commit().await?;
    Ok(m.id)
}

/// Marks an action item done or open again. Planners, or the engineer it is assigned to.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn set_done(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
    done: bool,
) -> Result<()> {
    let txn = activity::begin(db).await?;
    let before = action_items::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    require_planner_or_assigned_engineer(actor, before.assignee_id)?;
    let mut active: action_items::ActiveModel = before.clone().into();
    active.done = Set(done);
    active.done_at = Set(done.then(Utc::now));
    crate::records::save::<action_items::Entity>(&txn, actor, "update", &before, active).await?;
    txn.commit().await?;
    Ok(())
}

/// The open action items assigned to `user_id` across all integrations: overdue first, then
/// by due date (undated last).
///
/// # Errors
/// Database failures.
pub async fn open_items_for(db: &impl ConnectionTrait, user_id: i32) -> Result<Vec<ActionItem>> {
    let rows = action_items::Entity::find()
        .filter(action_items::Column::AssigneeId.eq(user_id))
        .filter(action_items::Column::Done.eq(false))
        .all(db)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|r| r.integration_id).collect();
    let integrations = integrations::Entity::find()
        .filter(integrations::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let me = people(db, vec![user_id]).await?;
    let mut items: Vec<ActionItem> = rows
        .into_iter()
        .filter_map(|r| to_item(r, &integrations, &me))
        .collect();
    items.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then_with(|| match (a.due_date, b.due_date) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then(a.id.cmp(&b.id))
    });
    Ok(items)
}
