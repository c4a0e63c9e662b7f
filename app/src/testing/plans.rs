//! (ssr) The stored test plan and its cases, as read: the one place that finds an
//! integration's plan and a plan's cases, for the plan's own service, runs, JUnit imports,
//! gates and the specs that say which cases cover an operation; and the operations a case may
//! be linked to.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::model::operation_label;

use super::model::{Browser, CaseCategory, Device, TestPlan};
use crate::entities::{api_specs, spec_operation_uses, test_cases, test_plans};
use crate::error::{FieldErrors, Result};

/// Parses a comma-separated list of stored names, naming the field on an unknown one.
pub fn names<T: Copy>(
    e: &mut FieldErrors,
    field: &str,
    value: &str,
    parse: fn(&str) -> Option<T>,
    all: &str,
) -> Vec<T> {
    let mut out = Vec::new();
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match parse(part) {
            Some(v) => out.push(v),
            None => {
                e.add(field, format!("Unknown \"{part}\". Choose from: {all}."));
                return Vec::new();
            }
        }
    }
    out
}

/// The wire form of a stored plan.
pub fn plan_wire(m: &test_plans::Model) -> TestPlan {
    let mut e = FieldErrors::default();
    TestPlan {
        id: m.id,
        browsers: names(&mut e, "", &m.browsers, Browser::parse, ""),
        devices: names(&mut e, "", &m.devices, Device::parse, ""),
        required_categories: names(&mut e, "", &m.required_categories, CaseCategory::parse, ""),
    }
}

/// The plan of integration `integration_id`, if one was saved.
///
/// # Errors
/// Database failures.
pub async fn plan_of(
    db: &impl ConnectionTrait,
    integration_id: i32,
) -> Result<Option<test_plans::Model>> {
    Ok(test_plans::Entity::find()
        .filter(test_plans::Column::IntegrationId.eq(integration_id))
        .one(db)
        .await?)
}

/// The cases of plan `plan_id`, in order.
///
/// # Errors
/// Database failures.
pub async fn cases_of(db: &impl ConnectionTrait, plan_id: i32) -> Result<Vec<test_cases::Model>> {
    Ok(test_cases::Entity::find()
        .filter(test_cases::Column::PlanId.eq(plan_id))
        .order_by_asc(test_cases::Column::Position)
        .order_by_asc(test_cases::Column::Id)
        .all(db)
        .await?)
}

/// The operations integration `integration_id` marked as used, as (id, label): what its test
/// cases may be linked to.
///
/// # Errors
/// Database failures.
pub async fn operations_used(
    db: &impl ConnectionTrait,
    integration_id: i32,
) -> Result<Vec<(i32, String)>> {
    let specs = api_specs::Entity::find()
        .filter(api_specs::Column::IntegrationId.eq(integration_id))
        .all(db)
        .await?;
    let mut uses = spec_operation_uses::Entity::find()
        .filter(spec_operation_uses::Column::SpecId.is_in(specs.iter().map(|s| s.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| {
            let spec = specs
                .iter()
                .find(|s| s.id == u.spec_id)
                .map_or("", |s| s.name.as_str());
            (
                (spec.to_string(), u.path.clone(), u.method.clone()),
                u.id,
                operation_label(&u.method, &u.path, spec),
            )
        })
        .collect::<Vec<_>>();
    uses.sort();
    Ok(uses.into_iter().map(|(_, id, label)| (id, label)).collect())
}
