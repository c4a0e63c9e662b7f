//! (ssr) The needs assessment: the problem, who is affected, scope in and out, platform areas.

use crate::auth::access::Action;
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionSession,
    TransactionTrait,
};
use serde_json::json;

use super::{name_of, people};
use crate::activity::service as activity;
use crate::auth::model::CurrentUser;
use crate::entities::needs_assessments;
use crate::error::{FieldErrors, Result};
use crate::integrations::lookup::integration;
use crate::planning::model::{NeedsAssessment, NeedsView};
use crate::validate::{optional, required};

/// The trail's name for this kind of record.
pub const ENTITY_KIND: &str = "needs_assessment";

crate::integration_record!(needs_assessments, ENTITY_KIND, |m| {
    json!({
        "problem": m.problem,
        "affected": m.affected,
        "scope_in": m.scope_in,
        "scope_out": m.scope_out,
        "platform_areas": m.platform_areas,
    })
});

/// The needs assessment of the integration `slug`; empty when none was saved.
///
/// # Errors
/// `NotFound`.
pub async fn get(db: &impl ConnectionTrait, slug: &str) -> Result<NeedsView> {
    let i = integration(db, slug).await?;
    let found = needs_assessments::Entity::find()
        .filter(needs_assessments::Column::IntegrationId.eq(i.id))
        .one(db)
        .await?;
    let needs = match found {
        Some(m) => loaded(db, m).await?,
        None => NeedsAssessment::default(),
    };
    Ok(NeedsView {
        integration: crate::integrations::lookup::reference(&i),
        needs,
    })
}

async fn loaded(db: &impl ConnectionTrait, m: needs_assessments::Model) -> Result<NeedsAssessment> {
    let who = people(db, m.updated_by.into_iter().collect()).await?;
    Ok(NeedsAssessment {
        updated_by: name_of(&who, m.updated_by),
        updated_at: Some(m.updated_at),
        problem: m.problem,
        affected: m.affected,
        scope_in: m.scope_in,
        scope_out: m.scope_out,
        platform_areas: m.platform_areas,
    })
}

/// Saves the needs assessment of integration `integration_id`, creating it on first save.
///
/// # Errors
/// `Forbidden` for non-planners; `NotFound`; `Validation` naming bad fields.
pub async fn save(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    form: &NeedsAssessment,
) -> Result<()> {
    actor.may(Action::Plan)?;
    let mut errors = FieldErrors::default();
    let problem = required(&mut errors, "problem", &form.problem, "the problem", 5000);
    let affected = required(
        &mut errors,
        "affected",
        &form.affected,
        "who is affected",
        2000,
    );
    let scope_in = optional(&mut errors, "scope_in", &form.scope_in, 5000);
    let scope_out = optional(&mut errors, "scope_out", &form.scope_out, 5000);
    let platform_areas = optional(&mut errors, "platform_areas", &form.platform_areas, 1000);
    errors.into_result()?;
    let txn = activity::begin(db).await?;
    crate::integrations::lookup::integration_by_id(&txn, integration_id).await?;
    let existing = needs_assessments::Entity::find()
        .filter(needs_assessments::Column::IntegrationId.eq(integration_id))
        .one(&txn)
        .await?;
    let mut active = match existing.clone() {
        Some(m) => m.into(),
        None => needs_assessments::ActiveModel {
            integration_id: Set(integration_id),
            ..Default::default()
        },
    };
    active.problem = Set(problem);
    active.affected = Set(affected);
    active.scope_in = Set(scope_in);
    active.scope_out = Set(scope_out);
    active.platform_areas = Set(platform_areas);
    active.updated_by = Set(Some(actor.id));
    active.updated_at = Set(Utc::now());
    crate::records::upsert::<needs_assessments::Entity>(&txn, actor, existing.as_ref(), active)
        .await?;
    txn.commit().await?;
    Ok(())
}
