//! (ssr) The integrations registry: validation, queries and audited writes.

use crate::auth::access::Action;
use chrono::Utc;
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    Order, PaginatorTrait, QueryFilter, QueryOrder, TransactionSession, TransactionTrait,
    TryIntoModel,
};
use serde_json::json;

use super::model::{
    Category, Integration, IntegrationDetail, IntegrationForm, IntegrationList, IntegrationQuery,
    PER_PAGE, Priority, Stage,
};
use crate::activity::service::{self as activity, NewActivity};
use crate::auth::model::CurrentUser;
use crate::entities::{integrations, users, vendor_criteria};
use crate::error::{AppError, FieldErrors, Result};
use crate::users::model::UserRef;
use crate::validate::required;

/// The trail's name for this kind of record.
pub const ENTITY_KIND: &str = activity::INTEGRATION_KIND;

/// A form that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidForm {
    pub name: String,
    pub slug: String,
    pub provider: String,
    pub category: Category,
    pub owner_id: i32,
    pub business_objective: String,
    pub priority: Priority,
    pub tags: Vec<String>,
}

/// Turns a name into a slug: lowercase ASCII letters, digits and single hyphens.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-')
        .chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

fn valid_slug(s: &str) -> bool {
    (2..=60).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// Parses a comma-separated tag list: trimmed, lowercased, deduplicated.
fn parse_tags(s: &str, errors: &mut FieldErrors) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for raw in s.split(',') {
        let tag = raw.trim().to_lowercase();
        if tag.is_empty() || tags.contains(&tag) {
            continue;
        }
        if tag.chars().count() > 30
            || !tag
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == ' ')
        {
            errors.add(
                "tags",
                format!(
                    "\"{tag}\" is not a valid tag: use up to 30 letters, digits, spaces, - or _."
                ),
            );
            return tags;
        }
        tags.push(tag);
    }
    if tags.len() > 10 {
        errors.add("tags", "Use at most 10 tags.");
    }
    tags
}

/// Checks every field of the form, naming each bad one. Does not touch the database.
///
/// # Errors
/// `Validation` with a message per bad field.
pub fn validate(form: &IntegrationForm) -> Result<ValidForm> {
    let mut errors = FieldErrors::default();
    let name = required(&mut errors, "name", &form.name, "a name", 120);
    let slug = if form.slug.trim().is_empty() {
        slugify(&name)
    } else {
        form.slug.trim().to_string()
    };
    if !name.is_empty() && !valid_slug(&slug) {
        errors.add(
            "slug",
            "Use 2 to 60 lowercase letters, digits and single hyphens, like stripe-payments.",
        );
    }
    let provider = required(&mut errors, "provider", &form.provider, "the provider", 80);
    let category = Category::parse(&form.category);
    if category.is_none() {
        errors.add(
            "category",
            format!("Choose a category: {}.", Category::names()),
        );
    }
    let owner_id = form.owner_id.trim().parse::<i32>().ok();
    if owner_id.is_none() {
        errors.add("owner_id", "Choose an owner.");
    }
    let business_objective = required(
        &mut errors,
        "business_objective",
        &form.business_objective,
        "the business objective",
        2000,
    );
    let priority = Priority::parse(&form.priority);
    if priority.is_none() {
        errors.add(
            "priority",
            format!("Choose a priority: {}.", Priority::names()),
        );
    }
    let tags = parse_tags(&form.tags, &mut errors);
    errors.into_result()?;
    Ok(ValidForm {
        name,
        slug,
        provider,
        category: category.unwrap_or(Category::Other),
        owner_id: owner_id.unwrap_or_default(),
        business_objective,
        priority: priority.unwrap_or(Priority::Medium),
        tags,
    })
}

fn snapshot(m: &integrations::Model) -> serde_json::Value {
    json!({
        "name": m.name,
        "slug": m.slug,
        "provider": m.provider,
        "category": m.category,
        "owner_id": m.owner_id,
        "business_objective": m.business_objective,
        "priority": m.priority,
        "stage": m.stage,
        "tags": m.tags_list().join(", "),
    })
}

impl integrations::Model {
    fn tags_list(&self) -> Vec<String> {
        serde_json::from_str(&self.tags).unwrap_or_default()
    }
}

fn to_integration(m: integrations::Model, owner: Option<&users::Model>) -> Result<Integration> {
    Ok(Integration {
        id: m.id,
        owner: UserRef {
            id: m.owner_id,
            name: owner.map_or_else(|| "Unknown".to_string(), |o| o.name.clone()),
        },
        category: m.category,
        priority: m.priority,
        stage: m.stage,
        tags: m.tags_list(),
        name: m.name,
        slug: m.slug,
        provider: m.provider,
        business_objective: m.business_objective,
        created_at: m.created_at,
        updated_at: m.updated_at,
        gate_overridden: m.gate_overridden,
    })
}

async fn check_owner(db: &impl ConnectionTrait, owner_id: i32) -> Result<()> {
    match users::Entity::find_by_id(owner_id).one(db).await? {
        Some(u) if u.active => Ok(()),
        _ => Err(AppError::field(
            "owner_id",
            "Choose an active user as owner.",
        )),
    }
}

/// The vendor criteria every new integration's comparison starts with, and their weights.
pub const DEFAULT_CRITERIA: &[(&str, i32)] = &[
    ("Reliability", 30),
    ("Security", 30),
    ("Ease of use", 20),
    ("Cost", 20),
];

/// Inserts the default criteria (reliability, security, ease of use, cost) for a new
/// integration. Called inside the transaction that creates it.
///
/// # Errors
/// Database failures.
async fn insert_default_criteria(txn: &impl ConnectionTrait, integration_id: i32) -> Result<()> {
    for (position, (name, weight)) in DEFAULT_CRITERIA.iter().enumerate() {
        vendor_criteria::ActiveModel {
            integration_id: Set(integration_id),
            name: Set((*name).to_string()),
            weight: Set(*weight),
            position: Set(position as i32),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

const SLUG_TAKEN: &str = "Another integration already uses this slug; choose another.";

/// Creates an integration in the `planning` stage.
///
/// # Errors
/// `Validation` naming bad fields, a taken slug or an unknown owner.
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    form: &IntegrationForm,
) -> Result<Integration> {
    actor.may(Action::EditIntegrations)?;
    let valid = validate(form)?;
    let txn = activity::begin(db).await?;
    check_owner(&txn, valid.owner_id).await?;
    let now = Utc::now();
    let inserted = integrations::ActiveModel {
        name: Set(valid.name),
        slug: Set(valid.slug),
        provider: Set(valid.provider),
        category: Set(valid.category),
        owner_id: Set(valid.owner_id),
        business_objective: Set(valid.business_objective),
        priority: Set(valid.priority),
        stage: Set(Stage::Planning),
        tags: Set(serde_json::to_string(&valid.tags).unwrap_or_else(|_| "[]".into())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let model = match inserted {
        Ok(m) => m,
        Err(e) if crate::error::is_unique_violation(&e) => {
            return Err(AppError::field("slug", SLUG_TAKEN));
        }
        Err(e) => return Err(e.into()),
    };
    insert_default_criteria(&txn, model.id).await?;
    activity::record(
        &txn,
        NewActivity {
            actor_id: Some(actor.id),
            action: "create",
            entity_kind: ENTITY_KIND,
            entity_id: model.id.to_string(),
            before: None,
            after: Some(snapshot(&model)),
        },
    )
    .await?;
    let owner = users::Entity::find_by_id(model.owner_id).one(&txn).await?;
    txn.commit().await?;
    to_integration(model, owner.as_ref())
}

/// Updates an integration's basic facts. The stage is not edited here.
///
/// # Errors
/// `NotFound`; `Validation` as for [`create`].
pub async fn update(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
    form: &IntegrationForm,
) -> Result<Integration> {
    actor.may(Action::EditIntegrations)?;
    let valid = validate(form)?;
    let txn = activity::begin(db).await?;
    let before = integrations::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if valid.owner_id != before.owner_id {
        check_owner(&txn, valid.owner_id).await?;
    }
    let mut active: integrations::ActiveModel = before.clone().into();
    active.name = Set(valid.name);
    active.slug = Set(valid.slug);
    active.provider = Set(valid.provider);
    active.category = Set(valid.category);
    active.owner_id = Set(valid.owner_id);
    active.business_objective = Set(valid.business_objective);
    active.priority = Set(valid.priority);
    active.tags = Set(serde_json::to_string(&valid.tags).unwrap_or_else(|_| "[]".into()));
    // Saving what is there already writes nothing (not even the time it was updated): every
    // write leaves a trail row (what is kept is kept while the trail stands still).
    let unchanged = activity::diff(
        &snapshot(&before),
        &snapshot(&active.clone().try_into_model()?),
    )
    .is_none();
    if unchanged {
        let owner = users::Entity::find_by_id(before.owner_id).one(&txn).await?;
        txn.commit().await?;
        return to_integration(before, owner.as_ref());
    }
    active.updated_at = Set(Utc::now());
    let after = match active.update(&txn).await {
        Ok(m) => m,
        Err(e) if crate::error::is_unique_violation(&e) => {
            return Err(AppError::field("slug", SLUG_TAKEN));
        }
        Err(e) => return Err(e.into()),
    };
    if let Some((b, a)) = activity::diff(&snapshot(&before), &snapshot(&after)) {
        activity::record(
            &txn,
            NewActivity {
                actor_id: Some(actor.id),
                action: "update",
                entity_kind: ENTITY_KIND,
                entity_id: id.to_string(),
                before: Some(b),
                after: Some(a),
            },
        )
        .await?;
    }
    let owner = users::Entity::find_by_id(after.owner_id).one(&txn).await?;
    txn.commit().await?;
    to_integration(after, owner.as_ref())
}

/// Deletes an integration; its trail rows stay.
///
/// # Errors
/// `NotFound`.
pub async fn delete(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    id: i32,
) -> Result<()> {
    actor.may(Action::EditIntegrations)?;
    let txn = activity::begin(db).await?;
    let before = integrations::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    integrations::Entity::delete_by_id(id).exec(&txn).await?;
    activity::record(
        &txn,
        NewActivity {
            actor_id: Some(actor.id),
            action: "delete",
            entity_kind: ENTITY_KIND,
            entity_id: id.to_string(),
            before: Some(snapshot(&before)),
            after: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// One integration by slug, with its newest history entries and how many there are.
///
/// # Errors
/// `NotFound`.
pub async fn get_by_slug(db: &impl ConnectionTrait, slug: &str) -> Result<IntegrationDetail> {
    if crate::validate::has_control(slug) {
        return Err(AppError::NotFound);
    }
    let model = integrations::Entity::find()
        .filter(integrations::Column::Slug.eq(slug))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let owner = users::Entity::find_by_id(model.owner_id).one(db).await?;
    let history = activity::history(db, model.id, activity::HISTORY_SHOWN).await?;
    let history_total = activity::history_count(db, model.id).await?;
    Ok(IntegrationDetail {
        integration: to_integration(model, owner.as_ref())?,
        history,
        history_total,
    })
}

fn lower_like(col: integrations::Column, needle: &str) -> Expr {
    let escaped = needle
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    Expr::expr(Func::lower(Expr::col((integrations::Entity, col))))
        .like(LikeExpr::new(format!("%{escaped}%")).escape('\\'))
}

/// Searches, filters, sorts and pages the registry. Unknown filter values match nothing rather
/// than being ignored, so a mistyped URL never shows a misleading full list.
///
/// # Errors
/// Database failures.
pub async fn list(db: &impl ConnectionTrait, query: &IntegrationQuery) -> Result<IntegrationList> {
    use integrations::Column as C;
    let query = &query.without_control();
    let mut select = integrations::Entity::find();
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let q = q.to_lowercase();
        select = select.filter(
            Condition::any()
                .add(lower_like(C::Name, &q))
                .add(lower_like(C::Provider, &q))
                .add(lower_like(C::Slug, &q))
                .add(lower_like(C::Tags, &q))
                .add(lower_like(C::BusinessObjective, &q)),
        );
    }
    if let Some(stage) = query.stage.as_deref().filter(|s| !s.is_empty()) {
        select = select.filter(C::Stage.eq(stage));
    }
    if let Some(category) = query.category.as_deref().filter(|s| !s.is_empty()) {
        select = select.filter(C::Category.eq(category));
    }
    if let Some(owner) = query.owner.as_deref().filter(|s| !s.is_empty()) {
        select = select.filter(C::OwnerId.eq(owner.parse::<i32>().unwrap_or(-1)));
    }
    let order = if query.descending() {
        Order::Desc
    } else {
        Order::Asc
    };
    select = match query.sort.as_deref().unwrap_or("updated") {
        "name" => select.order_by(C::Name, order),
        "provider" => select.order_by(C::Provider, order),
        "category" => select.order_by(C::Category, order),
        "stage" => select.order_by(C::Stage, order),
        "priority" => {
            let rank =
                Priority::ALL
                    .iter()
                    .enumerate()
                    .fold(CaseStatement::new(), |case, (i, p)| {
                        case.case(
                            Expr::col((integrations::Entity, C::Priority)).eq(p.as_str()),
                            i as i32,
                        )
                    });
            select.order_by(Expr::Case(Box::new(rank.finally(-1))), order)
        }
        // The default: most recently changed first unless asked otherwise.
        _ => select.order_by(
            C::UpdatedAt,
            if query.sort.is_none() && query.dir.is_none() {
                Order::Desc
            } else {
                order
            },
        ),
    };
    let select = select.order_by(C::Id, Order::Asc);
    let paginator = select.paginate(db, PER_PAGE);
    let total = paginator.num_items().await?;
    let pages = std::cmp::max(total.div_ceil(PER_PAGE), 1);
    let page = std::cmp::min(query.page_number(), pages);
    let rows = paginator.fetch_page(page - 1).await?;
    let owner_ids: Vec<i32> = rows.iter().map(|r| r.owner_id).collect();
    let owners = users::Entity::find()
        .filter(users::Column::Id.is_in(owner_ids))
        .all(db)
        .await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let owner = owners.iter().find(|o| o.id == r.owner_id);
            to_integration(r, owner)
        })
        .collect::<Result<_>>()?;
    let owner_choices = crate::users::service::user_choices(db).await?;
    Ok(IntegrationList {
        items,
        owners: owner_choices,
        total,
        page,
        pages,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> IntegrationForm {
        IntegrationForm {
            name: "Stripe Payments".into(),
            slug: String::new(),
            provider: "Stripe".into(),
            category: "payments".into(),
            owner_id: "1".into(),
            business_objective: "Take card payments for featured listings.".into(),
            priority: "high".into(),
            tags: "cards, Checkout, cards".into(),
        }
    }

    #[test]
    fn slugify_makes_lowercase_hyphenated_slugs() {
        assert_eq!(
            slugify("  Google Maps — Geocoding API! "),
            "google-maps-geocoding-api"
        );
    }

    #[test]
    fn a_blank_slug_is_derived_from_the_name_and_tags_are_normalised() {
        let valid = validate(&form()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(valid.slug, "stripe-payments");
        assert_eq!(
            valid.tags,
            vec!["cards".to_string(), "checkout".to_string()]
        );
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = IntegrationForm {
            slug: "Bad Slug".into(),
            category: "banking".into(),
            priority: "urgent".into(),
            owner_id: "x".into(),
            provider: " ".into(),
            ..form()
        };
        let Err(AppError::Validation(errors)) = validate(&bad) else {
            panic!("expected errors")
        };
        for field in ["slug", "provider", "category", "owner_id", "priority"] {
            assert!(errors.get(field).is_some(), "no message for {field}");
        }
        assert!(errors.get("name").is_none());
    }
}
