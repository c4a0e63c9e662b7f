//! (ssr) The operations an integration uses, and what a breaking change on one of them sets
//! off: linked test cases flagged "needs retest", live sign-offs superseded, a maintenance
//! item opened, and the owner and QA notified. Used operations are matched across versions
//! by method and path template, as the comparison matches operations.

use crate::auth::access::Action;
use std::collections::BTreeSet;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionSession, TransactionTrait,
};
use serde_json::json;

use super::diff::{Change, Level};
use super::index::template;
use super::maintenance::{self, NewItem};
use super::model::{ChangeRow, PointerSuggestion, UsedOperation};
use crate::activity::service as activity;
use crate::auth::model::{CurrentUser, Role};
use crate::entities::{
    api_specs, spec_operation_uses, spec_operations, spec_versions, test_cases, users,
};
use crate::error::{AppError, FieldErrors, Result};
use crate::integrations::lookup::integration_by_id;
use crate::notifications::model::Message;
use crate::notifications::service::notify;
use crate::planning::service::{people, person};
use crate::records::{self, Filing};
use crate::validate::{ids_of, optional};

const KIND: &str = "spec_operation_use";

/// A used operation is filed under its spec's integration and shows the spec's name.
fn filing(
    s: &api_specs::Model,
) -> Filing<
    impl Fn(&spec_operation_uses::Model) -> String,
    impl Fn(&spec_operation_uses::Model) -> serde_json::Value,
> {
    records::shown(
        KIND,
        s.integration_id,
        |u: &spec_operation_uses::Model| u.id,
        move |u| json!({"spec": s.name, "operation": format!("{} {}", u.method, u.path), "note": u.note}),
    )
}

/// The spec `id`.
///
/// # Errors
/// `NotFound`.
pub async fn spec(db: &impl ConnectionTrait, id: i32) -> Result<api_specs::Model> {
    api_specs::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Marks operation `method path` of spec `spec_id` as used by its integration, with `note`
/// (marking it again edits the note). The operation must be in the spec's latest version.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` on `operation` or `note`.
pub async fn mark(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    spec_id: i32,
    method: &str,
    path: &str,
    note: &str,
) -> Result<i32> {
    if !actor.role.can(Action::EditSpecs) {
        return Err(AppError::Forbidden);
    }
    let mut e = FieldErrors::default();
    let note = optional(&mut e, "note", note, 500);
    e.into_result()?;
    let method = method.trim().to_ascii_uppercase();
    let txn = activity::begin(db).await?;
    let s = spec(&txn, spec_id).await?;
    let latest = spec_versions::Entity::find()
        .filter(spec_versions::Column::SpecId.eq(spec_id))
        .order_by_desc(spec_versions::Column::Number)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let known = spec_operations::Entity::find()
        .filter(spec_operations::Column::VersionId.eq(latest.id))
        .filter(spec_operations::Column::Method.eq(method.as_str()))
        .filter(spec_operations::Column::Path.eq(path))
        .one(&txn)
        .await?;
    if known.is_none() {
        return Err(AppError::field(
            "operation",
            format!(
                "{method} {path} is not an operation of {} version {}.",
                s.name, latest.number
            ),
        ));
    }
    let key = template(path);
    let existing = spec_operation_uses::Entity::find()
        .filter(spec_operation_uses::Column::SpecId.eq(spec_id))
        .filter(spec_operation_uses::Column::Method.eq(method.as_str()))
        .filter(spec_operation_uses::Column::Template.eq(key.as_str()))
        .one(&txn)
        .await?;
    let id = match existing {
        Some(u) => {
            let mut active: spec_operation_uses::ActiveModel = u.clone().into();
            active.note = Set(note);
            active.path = Set(path.to_string());
            records::save_filed(&txn, actor, "update", filing(&s), &u, active)
                .await?
                .id
        }
        None => {
            let u = spec_operation_uses::ActiveModel {
                spec_id: Set(spec_id),
                method: Set(method.clone()),
                template: Set(key),
                path: Set(path.to_string()),
                note: Set(note),
                marked_by: Set(actor.id),
                marked_at: Set(Utc::now()),
                ..Default::default()
            };
            records::insert_filed(&txn, actor, "create", filing(&s), u)
                .await?
                .id
        }
    };
    txn.commit().await?;
    Ok(id)
}

/// Unmarks used operation `id`; test cases linked to it lose the link.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn unmark(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
) -> Result<()> {
    if !actor.role.can(Action::EditSpecs) {
        return Err(AppError::Forbidden);
    }
    let txn = activity::begin(db).await?;
    let u = spec_operation_uses::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let s = spec(&txn, u.spec_id).await?;
    for c in linked_cases(&txn, s.integration_id, &[id]).await? {
        let kept: Vec<String> = ids_of(&c.operation_ids)
            .filter(|o| *o != id)
            .map(|o| o.to_string())
            .collect();
        let mut active: test_cases::ActiveModel = c.into();
        active.operation_ids = Set(kept.join(","));
        active.update(&txn).await?;
    }
    records::remove_filed(&txn, actor, filing(&s), u).await?;
    txn.commit().await?;
    Ok(())
}

/// The cases of integration `integration_id`'s plan linked to any of `use_ids`.
async fn linked_cases(
    db: &impl ConnectionTrait,
    integration_id: i32,
    use_ids: &[i32],
) -> Result<Vec<test_cases::Model>> {
    let Some(plan) = crate::testing::plans::plan_of(db, integration_id).await? else {
        return Ok(Vec::new());
    };
    Ok(crate::testing::plans::cases_of(db, plan.id)
        .await?
        .into_iter()
        .filter(|c| ids_of(&c.operation_ids).any(|o| use_ids.contains(&o)))
        .collect())
}

/// The operations integration `integration_id` uses, by spec and path, with the keys of the
/// test cases linked to each.
///
/// # Errors
/// Database failures.
pub async fn used(db: &impl ConnectionTrait, integration_id: i32) -> Result<Vec<UsedOperation>> {
    let specs = api_specs::Entity::find()
        .filter(api_specs::Column::IntegrationId.eq(integration_id))
        .all(db)
        .await?;
    let uses = spec_operation_uses::Entity::find()
        .filter(spec_operation_uses::Column::SpecId.is_in(specs.iter().map(|s| s.id)))
        .all(db)
        .await?;
    let ids: Vec<i32> = uses.iter().map(|u| u.id).collect();
    let cases = linked_cases(db, integration_id, &ids).await?;
    let who = people(db, uses.iter().map(|u| u.marked_by).collect()).await?;
    let mut out: Vec<UsedOperation> = uses
        .into_iter()
        .map(|u| UsedOperation {
            spec_name: specs
                .iter()
                .find(|s| s.id == u.spec_id)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            linked_cases: cases
                .iter()
                .filter(|c| ids_of(&c.operation_ids).any(|o| o == u.id))
                .map(|c| c.key.clone())
                .collect(),
            marked_by: person(&who, u.marked_by),
            id: u.id,
            spec_id: u.spec_id,
            method: u.method,
            path: u.path,
            note: u.note,
            marked_at: u.marked_at,
        })
        .collect();
    out.sort_by(|a, b| (&a.spec_name, &a.path, &a.method).cmp(&(&b.spec_name, &b.path, &b.method)));
    Ok(out)
}

/// The (method, template) pairs of the operations `c` touches: its own, and every one whose
/// request or response reaches it.
fn keys_of(c: &Change) -> impl Iterator<Item = (String, String)> + '_ {
    c.operation
        .iter()
        .map(|o| (o.method.as_str(), o.path.as_str()))
        .chain(
            c.reached_by
                .iter()
                .map(|r| (r.method.as_str(), r.path.as_str())),
        )
        .map(|(method, path)| (method.to_string(), template(path)))
}

/// `changes` for a page: each marked when it touches a used operation (`uses` are
/// (method, template) pairs), those first, then the most serious first.
pub fn rows(changes: Vec<Change>, uses: &[(String, String)]) -> Vec<ChangeRow> {
    let mut rows: Vec<ChangeRow> = changes
        .into_iter()
        .map(|c| {
            let used = keys_of(&c).any(|k| uses.contains(&k));
            ChangeRow {
                used,
                id: c.id,
                level: c.level,
                operation: c.operation,
                message: c.message,
                location: c.location,
                reached_by: c.reached_by,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.used.cmp(&a.used).then(b.level.cmp(&a.level)));
    rows
}

/// The (method, template) pairs of spec `spec_id`'s used operations.
///
/// # Errors
/// Database failures.
pub async fn keys(db: &impl ConnectionTrait, spec_id: i32) -> Result<Vec<(String, String)>> {
    Ok(spec_operation_uses::Entity::find()
        .filter(spec_operation_uses::Column::SpecId.eq(spec_id))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.method, u.template))
        .collect())
}

/// What a new version set off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reaction {
    /// Breaking changes on used operations.
    pub breaking_on_used: usize,
    /// Test cases now marked "needs retest".
    pub needs_retest: usize,
    pub maintenance_item: Option<i32>,
}

/// Reacts to version `revision` (number `number`) of spec `s`, whose `changes` from version
/// `base` are given, inside the import's transaction: when a breaking change touches a used
/// operation, flags the linked cases, supersedes live sign-offs, opens a maintenance item and
/// notifies the integration's owner and QA.
///
/// # Errors
/// Database failures.
pub async fn react(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    s: &api_specs::Model,
    (base, revision, number): (i32, i32, i32),
    changes: &[Change],
) -> Result<Reaction> {
    let uses = spec_operation_uses::Entity::find()
        .filter(spec_operation_uses::Column::SpecId.eq(s.id))
        .all(txn)
        .await?;
    // The used operations broken, and the breaking changes that touch one, each once.
    let mut hits: BTreeSet<i32> = BTreeSet::new();
    let mut breaking: Vec<&Change> = Vec::new();
    for c in changes.iter().filter(|c| c.level == Level::Err) {
        let touched: Vec<i32> = keys_of(c)
            .filter_map(|(method, key)| {
                uses.iter()
                    .find(|u| u.method == method && u.template == key)
                    .map(|u| u.id)
            })
            .collect();
        if !touched.is_empty() {
            hits.extend(touched);
            breaking.push(c);
        }
    }
    if hits.is_empty() {
        return Ok(Reaction::default());
    }
    let i = integration_by_id(txn, s.integration_id).await?;
    let link = format!(
        "/integrations/{}/specs/{}/changes?base={base}&revision={revision}",
        i.slug, s.id
    );
    let title = format!(
        "{} version {number} breaks {} used operation{}",
        s.name,
        hits.len(),
        if hits.len() == 1 { "" } else { "s" }
    );
    let reason = format!("{title}.");
    let cases = linked_cases(txn, i.id, &hits.iter().copied().collect::<Vec<_>>()).await?;
    crate::testing::retest::flag(txn, actor, i.id, &cases, &reason).await?;
    if let Some(plan) = crate::testing::plans::plan_of(txn, i.id).await? {
        crate::testing::signoffs::supersede_plan(txn, actor, plan.id, &reason).await?;
    }
    let detail = breaking
        .iter()
        .map(|c| {
            let op = super::model::where_label(c.operation.as_ref(), &c.reached_by)
                .map(|w| format!("{w}: "))
                .unwrap_or_default();
            format!("{} {}{} ({})", c.level.as_str(), op, c.message, c.id)
        })
        .collect::<Vec<_>>()
        .join("\n");
    let item = maintenance::open(
        txn,
        actor,
        i.id,
        &NewItem {
            title: &title,
            detail: &detail,
            link: &link,
            source: "spec",
        },
    )
    .await?;
    crate::outbox::service::emit(
        txn,
        crate::outbox::service::Event::new(
            crate::outbox::EventType::SpecBreakingChange,
            Some(&i),
            format!("{}: {title}", i.name),
            &link,
            serde_json::json!({
                "spec": s.name,
                "version": number,
                "breaking_changes": breaking.len(),
                "used_operations": hits.len(),
            }),
        ),
    )
    .await?;
    let qa: Vec<i32> = users::Entity::find()
        .filter(users::Column::Role.eq(Role::Qa))
        .filter(users::Column::Active.eq(true))
        .all(txn)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let body = format!(
        "{} breaking change{} on operations {} uses; {} linked test case{} need{} a retest.",
        breaking.len(),
        if breaking.len() == 1 { "" } else { "s" },
        i.name,
        cases.len(),
        if cases.len() == 1 { "" } else { "s" },
        if cases.len() == 1 { "s" } else { "" },
    );
    notify(
        txn,
        [vec![i.owner_id], qa].concat(),
        &Message {
            kind: crate::notifications::model::Kind::SpecBreaking,
            integration_id: Some(i.id),
            title: &format!("{}: {title}", i.name),
            body: &body,
            link: &link,
        },
    )
    .await?;
    Ok(Reaction {
        breaking_on_used: breaking.len(),
        needs_retest: cases.len(),
        maintenance_item: Some(item),
    })
}

/// The fields of the success responses of the operations integration `integration_id` uses,
/// as JSON pointers, read from each spec's latest version (each document is read once).
///
/// # Errors
/// Database failures.
pub async fn response_pointers(
    db: &impl ConnectionTrait,
    integration_id: i32,
) -> Result<Vec<PointerSuggestion>> {
    let used = used(db, integration_id).await?;
    let mut out: Vec<PointerSuggestion> = Vec::new();
    let mut spec_ids: Vec<i32> = used.iter().map(|u| u.spec_id).collect();
    spec_ids.dedup();
    for spec_id in spec_ids {
        let Some(latest) = spec_versions::Entity::find()
            .filter(spec_versions::Column::SpecId.eq(spec_id))
            .order_by_desc(spec_versions::Column::Number)
            .one(db)
            .await?
        else {
            continue;
        };
        let doc = super::stored::of_version(db, latest.id).await?;
        let ops = super::index::operations(&doc);
        for u in used.iter().filter(|u| u.spec_id == spec_id) {
            let Some(op) = ops
                .iter()
                .find(|o| o.key() == (u.method.clone(), u.template()))
            else {
                continue;
            };
            for pointer in super::pointers::response_pointers(&doc.root, op) {
                if !out.iter().any(|p| p.pointer == pointer) {
                    out.push(PointerSuggestion {
                        pointer,
                        operation: u.label(),
                    });
                }
            }
        }
    }
    Ok(out)
}
