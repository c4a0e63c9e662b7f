//! (ssr) Milestones and the three-month template. A milestone is overdue when its due date has
//! passed and it is not done; a done milestone always has a completion date.

use crate::auth::access::Action;
use crate::calendar::today;
use chrono::{Days, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionSession, TransactionTrait,
};
use serde_json::json;

use super::{check_active_user, people, require_planner_or_assigned_engineer};
use crate::activity::service::{self as activity};
use crate::auth::model::CurrentUser;
use crate::entities::{integrations, milestones};
use crate::error::{AppError, FieldErrors, Result};
use crate::integrations::lookup::{integration, reference};
use crate::integrations::model::Stage;
use crate::planning::model::{Milestone, MilestoneForm, MilestoneStatus, MilestonesView, TEMPLATE};
use crate::validate::{date, optional, optional_date, optional_id, required};

/// The trail's name for this kind of record.
pub const ENTITY_KIND: &str = "milestone";

struct Valid {
    title: String,
    description: String,
    stage: Stage,
    owner_id: Option<i32>,
    due_date: NaiveDate,
    status: MilestoneStatus,
    completed_on: Option<NaiveDate>,
}

fn validate(form: &MilestoneForm) -> Result<Valid> {
    let mut e = FieldErrors::default();
    let title = required(&mut e, "title", &form.title, "a title", 160);
    let description = optional(&mut e, "description", &form.description, 5000);
    let stage = Stage::parse(&form.stage);
    if stage.is_none() {
        e.add("stage", format!("Choose a stage: {}.", Stage::names()));
    }
    let owner_id = optional_id(&mut e, "owner_id", &form.owner_id);
    let due_date = date(&mut e, "due_date", &form.due_date, "the due date");
    let status = if form.status.trim().is_empty() {
        Some(MilestoneStatus::NotStarted)
    } else {
        MilestoneStatus::parse(&form.status)
    };
    if status.is_none() {
        e.add(
            "status",
            format!("Choose a status: {}.", MilestoneStatus::names()),
        );
    }
    let mut completed_on = optional_date(&mut e, "completed_on", &form.completed_on);
    match status {
        // Done without a date means done today; a date on an unfinished milestone is dropped.
        Some(MilestoneStatus::Done) if completed_on.is_none() => completed_on = Some(today()),
        Some(MilestoneStatus::Done) => {}
        _ => completed_on = None,
    }
    e.into_result()?;
    Ok(Valid {
        title,
        description,
        stage: stage.unwrap_or(Stage::Planning),
        owner_id,
        due_date: due_date.unwrap_or_else(today),
        status: status.unwrap_or(MilestoneStatus::NotStarted),
        completed_on,
    })
}

crate::integration_record!(milestones, ENTITY_KIND, |m| {
    json!({
        "title": m.title,
        "description": m.description,
        "stage": m.stage,
        "owner_id": m.owner_id,
        "due_date": m.due_date.to_string(),
        "status": m.status,
        "completed_on": m.completed_on.map(|d| d.to_string()),
    })
});

fn to_milestones(
    rows: Vec<milestones::Model>,
    integrations: &[integrations::Model],
    people: &[crate::users::model::UserRef],
) -> Result<Vec<Milestone>> {
    let today = today();
    let mut out = Vec::with_capacity(rows.len());
    for m in rows {
        let Some(integration) = integrations.iter().find(|i| i.id == m.integration_id) else {
            continue;
        };
        let status = m.status;
        out.push(Milestone {
            id: m.id,
            integration: reference(integration),
            owner: m
                .owner_id
                .and_then(|id| people.iter().find(|p| p.id == id).cloned()),
            stage: m.stage,
            overdue: status != MilestoneStatus::Done && m.due_date < today,
            title: m.title,
            description: m.description,
            due_date: m.due_date,
            status,
            completed_on: m.completed_on,
        });
    }
    Ok(out)
}

async fn load(
    db: &impl ConnectionTrait,
    rows: Vec<milestones::Model>,
    integrations: &[integrations::Model],
) -> Result<Vec<Milestone>> {
    let people = people(db, rows.iter().filter_map(|m| m.owner_id).collect()).await?;
    to_milestones(rows, integrations, &people)
}

/// The milestones of one integration, by due date.
///
/// # Errors
/// Database failures.
pub async fn for_integration(
    db: &impl ConnectionTrait,
    i: &integrations::Model,
) -> Result<Vec<Milestone>> {
    let rows = milestones::Entity::find()
        .filter(milestones::Column::IntegrationId.eq(i.id))
        .order_by_asc(milestones::Column::DueDate)
        .order_by_asc(milestones::Column::Id)
        .all(db)
        .await?;
    load(db, rows, std::slice::from_ref(i)).await
}

/// The milestones page of integration `slug`.
///
/// # Errors
/// `NotFound`.
pub async fn page(db: &impl ConnectionTrait, slug: &str) -> Result<MilestonesView> {
    let i = integration(db, slug).await?;
    Ok(MilestonesView {
        milestones: for_integration(db, &i).await?,
        integration: Some(reference(&i)),
        people: crate::users::service::user_choices(db).await?,
        today: today(),
    })
}

/// Every milestone of every integration, by integration then due date: the portfolio
/// timeline. Retired integrations are left out.
///
/// # Errors
/// Database failures.
pub async fn portfolio(db: &impl ConnectionTrait) -> Result<MilestonesView> {
    let integrations = integrations::Entity::find()
        .filter(integrations::Column::Stage.ne(Stage::Retired))
        .order_by_asc(integrations::Column::Name)
        .all(db)
        .await?;
    let ids: Vec<i32> = integrations.iter().map(|i| i.id).collect();
    let rows = milestones::Entity::find()
        .filter(milestones::Column::IntegrationId.is_in(ids))
        .order_by_asc(milestones::Column::DueDate)
        .order_by_asc(milestones::Column::Id)
        .all(db)
        .await?;
    let mut all = load(db, rows, &integrations).await?;
    all.sort_by(|a, b| {
        a.integration
            .name
            .cmp(&b.integration.name)
            .then(a.due_date.cmp(&b.due_date))
    });
    Ok(MilestonesView {
        integration: None,
        milestones: all,
        people: Vec::new(),
        today: today(),
    })
}

/// Adds a milestone.
///
/// # Errors
/// `Forbidden` for non-planners; `NotFound`; `Validation`.
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    form: &MilestoneForm,
) -> Result<i32> {
    actor.may(Action::Plan)?;
    let v = validate(form)?;
    let txn = activity::begin(db).await?;
    crate::integrations::lookup::integration_by_id(&txn, integration_id).await?;
    check_active_user(&txn, "owner_id", v.owner_id).await?;
    let id = insert(&txn, actor, integration_id, v).await?;
    txn.commit().await?;
    Ok(id)
}

/// One milestone.
///
/// # Errors
/// `NotFound`.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<Milestone> {
    let row = milestones::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let i = crate::integrations::lookup::integration_by_id(db, row.integration_id).await?;
    load(db, vec![row], &[i])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

async fn insert(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    integration_id: i32,
    v: Valid,
) -> Result<i32> {
    let m = crate::records::insert::<milestones::Entity>(
        txn,
        actor,
        milestones::ActiveModel {
            integration_id: Set(integration_id),
            title: Set(v.title),
            description: Set(v.description),
            stage: Set(v.stage),
            owner_id: Set(v.owner_id),
            due_date: Set(v.due_date),
            status: Set(v.status),
            completed_on: Set(v.completed_on),
            created_at: Set(Utc::now()),
            ..Default::default()
        },
    )
    .await?;
    Ok(m.id)
}

/// Edits a milestone. Planners edit any; an engineer edits those assigned to them.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation`.
pub async fn update(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
    form: &MilestoneForm,
) -> Result<()> {
    let txn = activity::begin(db).await?;
    let before = milestones::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    require_planner_or_assigned_engineer(actor, before.owner_id)?;
    let v = validate(form)?;
    if v.owner_id != before.owner_id {
        check_active_user(&txn, "owner_id", v.owner_id).await?;
    }
    let mut active: milestones::ActiveModel = before.clone().into();
    active.title = Set(v.title);
    active.description = Set(v.description);
    active.stage = Set(v.stage);
    active.owner_id = Set(v.owner_id);
    active.due_date = Set(v.due_date);
    active.status = Set(v.status);
    active.completed_on = Set(v.completed_on);
    crate::records::save::<milestones::Entity>(&txn, actor, "update", &before, active).await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes a milestone.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn delete(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
) -> Result<()> {
    crate::records::delete::<milestones::Entity>(db, actor, Action::Plan, id).await
}

/// The template's milestones from `start`: three per month, due on days 10, 20 and 30 of
/// each 30-day month.
pub fn template_dates(start: NaiveDate) -> Vec<(&'static str, Stage, NaiveDate)> {
    TEMPLATE
        .iter()
        .enumerate()
        .map(|(i, (_, title, stage))| {
            let offset = 10 * (i as u64 + 1);
            (
                *title,
                *stage,
                start.checked_add_days(Days::new(offset)).unwrap_or(start),
            )
        })
        .collect()
}

/// Applies the three-month template from `start`: month 1 define goals, select APIs, share
/// the plan; month 2 implement, first functional and performance tests, fix what they find;
/// month 3 complete testing, security and cross-browser/device testing, monitoring and final
/// adjustments. The dates are ordinary milestone dates, editable afterwards.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` for a bad start date.
pub async fn apply_template(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    start: &str,
) -> Result<usize> {
    actor.may(Action::Plan)?;
    let mut e = FieldErrors::default();
    let start = date(&mut e, "start", start, "the start date");
    e.into_result()?;
    let start = start.unwrap_or_else(today);
    let txn = activity::begin(db).await?;
    let i = crate::integrations::lookup::integration_by_id(&txn, integration_id).await?;
    let owner = Some(i.owner_id);
    let planned = template_dates(start);
    let count = planned.len();
    for (title, stage, due_date) in planned {
        let v = Valid {
            title: title.to_string(),
            description: String::new(),
            stage,
            owner_id: owner,
            due_date,
            status: MilestoneStatus::NotStarted,
            completed_on: None,
        };
        insert(&txn, actor, integration_id, v).await?;
    }
    txn.commit().await?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_spans_three_months_from_the_start() {
        let start = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default();
        let planned = template_dates(start);
        assert_eq!(planned.len(), 9);
        assert_eq!(planned[0].0, "Define goals");
        assert_eq!(planned[0].2.to_string(), "2027-01-11");
        assert_eq!(planned[3].1, Stage::Implementation);
        assert_eq!(planned[8].2.to_string(), "2027-04-01");
    }

    #[test]
    fn done_without_a_date_is_done_today_and_open_drops_the_date() {
        let form = MilestoneForm {
            title: "Go live".into(),
            stage: "live".into(),
            due_date: "2027-01-01".into(),
            status: "done".into(),
            ..Default::default()
        };
        let v = validate(&form).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.completed_on, Some(today()));
        let open = MilestoneForm {
            status: "in_progress".into(),
            completed_on: "2027-01-02".into(),
            ..form
        };
        assert_eq!(validate(&open).map(|v| v.completed_on).ok(), Some(None));
    }
}
