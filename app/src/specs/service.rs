//! (ssr) Storing specifications: importing a document as a new version of an integration's
//! spec (the original kept gzip-compressed with its SHA-256; an identical document adds no
//! version), its operations indexed, and versions read back and compared.

use crate::auth::access::Action;
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionSession, TransactionTrait,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::changes;
use super::diff::Change;
use super::document::{Dialect, Document, parse};
use super::index::{operations, template};
use super::model::{CatalogueEntry, Refetch, SpecSummary, UsedOperation, VersionSummary};
use super::stored::{self, off_the_workers};
use super::usage::{self, Reaction};
use crate::activity::service as activity;
use crate::auth::model::CurrentUser;
use crate::entities::{api_specs, spec_operations, spec_versions};
use crate::error::{AppError, FieldErrors, Result};
use crate::integrations::lookup::integration_by_id;
use crate::planning::service::{people, person};
use crate::records;
use crate::validate::required;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Imported {
    pub spec_id: i32,
    pub version_id: i32,
    /// The version's number within its spec: 1, 2, 3...
    pub number: i32,
    /// `false` when the identical document was already a version of this spec.
    pub created: bool,
    pub operations: usize,
    /// Schema references the operations reach that resolve to nothing.
    pub dangling: Vec<String>,
    /// Breaking changes from the previous version on operations the integration uses.
    pub breaking_on_used: usize,
    /// Test cases those changes marked "needs retest".
    pub needs_retest: usize,
}

impl Imported {
    /// The query the specs page reads to say what this import did.
    pub fn notice_query(&self) -> String {
        format!(
            "imported={}&created={}&operations={}&breaking={}&retest={}",
            self.number,
            u8::from(self.created),
            self.operations,
            self.breaking_on_used,
            self.needs_retest
        )
    }
}

fn dialect_name(d: Dialect) -> &'static str {
    match d {
        Dialect::Swagger2 => "swagger-2.0",
        Dialect::OpenApi30 => "openapi-3.0",
        Dialect::OpenApi31 => "openapi-3.1",
    }
}

crate::integration_record!(api_specs, "spec", |m| {
    json!({"name": m.name, "source_url": m.source_url, "refetch": m.refetch})
});

/// Imports `bytes` as the next version of integration `integration_id`'s spec `name` (made
/// on first import). Parsing and checking happen before anything is written; the version and
/// its operations are written in one transaction.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` on `name` or `file` (see [`parse`]).
pub async fn import(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &CurrentUser,
    integration_id: i32,
    name: &str,
    bytes: &[u8],
) -> Result<Imported> {
    actor.may(Action::EditSpecs)?;
    let mut e = FieldErrors::default();
    let name = required(
        &mut e,
        "name",
        name,
        "the API's name, such as Stripe API",
        120,
    );
    e.into_result()?;
    // Parsing, indexing and comparing with the newest version happen on the blocking pool
    // before the trail's lock is taken.
    let owned = bytes.to_vec();
    let (doc, rows, sha256) = off_the_workers(move || {
        let doc = parse(&owned)?;
        let rows = operation_rows(&doc);
        Ok((doc, rows, hex::encode(Sha256::digest(&owned))))
    })
    .await?;
    let today = Utc::now().date_naive();
    let (mut compared, mut doc) = match newest(db, integration_id, &name).await? {
        Some((id, packed, sha)) if sha != sha256 => {
            let (changes, doc) = changes::against_kept(packed, doc, today).await?;
            (Some((id, changes)), doc)
        }
        _ => (None, doc),
    };
    let txn = activity::begin(db).await?;
    integration_by_id(&txn, integration_id).await?;
    let spec = match api_specs::Entity::find()
        .filter(api_specs::Column::IntegrationId.eq(integration_id))
        .filter(api_specs::Column::Name.eq(name.as_str()))
        .one(&txn)
        .await?
    {
        Some(s) => s,
        None => {
            let s = api_specs::ActiveModel {
                integration_id: Set(integration_id),
                name: Set(name.clone()),
                source_url: Set(String::new()),
                created_by: Set(actor.id),
                created_at: Set(Utc::now()),
                refetch: Set(Refetch::Never),
                next_fetch_at: Set(None),
                last_fetched_at: Set(None),
                last_fetch_error: Set(String::new()),
                ..Default::default()
            };
            records::insert::<api_specs::Entity>(&txn, actor, s).await?
        }
    };
    let versions: Vec<(i32, i32, String)> = spec_versions::Entity::find()
        .select_only()
        .columns([
            spec_versions::Column::Id,
            spec_versions::Column::Number,
            spec_versions::Column::Sha256,
        ])
        .filter(spec_versions::Column::SpecId.eq(spec.id))
        .order_by_desc(spec_versions::Column::Number)
        .into_tuple()
        .all(&txn)
        .await?;
    if let Some(&(version_id, number, _)) = versions.iter().find(|v| v.2 == sha256) {
        return Ok(Imported {
            spec_id: spec.id,
            version_id,
            number,
            created: false,
            operations: rows.len(),
            dangling: doc.dangling.clone(),
            breaking_on_used: 0,
            needs_retest: 0,
        });
    }
    let previous = versions.first().map(|v| v.0);
    if compared.as_ref().map(|c| c.0) != previous {
        // Another import landed in between: compare with that version instead.
        compared = None;
        if let Some(id) = previous {
            let packed = spec_versions::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?
                .document;
            let (changes, again) = changes::against_kept(packed, doc, today).await?;
            doc = again;
            compared = Some((id, changes));
        }
    }
    let number = versions.first().map_or(1, |v| v.1 + 1);
    let info_version = doc
        .root
        .pointer("/info/version")
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
        .unwrap_or_default();
    let show = |v: &spec_versions::Model| json!({"spec": spec.name, "number": v.number, "sha256": v.sha256, "info_version": v.info_version, "operations": v.operation_count});
    let filing = crate::records::shown("spec_version", integration_id, |v| v.id, show);
    #[allow(clippy::cast_possible_wrap, clippy::cast_possible_truncation)]
    let version = spec_versions::ActiveModel {
        spec_id: Set(spec.id),
        number: Set(number),
        sha256: Set(sha256.clone()),
        dialect: Set(dialect_name(doc.dialect).into()),
        declared: Set(doc.declared.clone()),
        info_version: Set(info_version.clone()),
        document: Set(stored::pack(bytes)?),
        bytes: Set(bytes.len() as i64),
        operation_count: Set(rows.len() as i32),
        dangling: Set(doc.dangling.join("\n")),
        imported_by: Set(actor.id),
        imported_at: Set(Utc::now()),
        ..Default::default()
    };
    let version = crate::records::insert_filed(&txn, actor, "import", filing, version).await?;
    let operations = rows.len();
    let rows: Vec<spec_operations::ActiveModel> = rows
        .into_iter()
        .map(|mut row| {
            row.version_id = Set(version.id);
            row
        })
        .collect();
    // Batches keep each statement under both backends' limits on bound parameters.
    for chunk in rows.chunks(500) {
        spec_operations::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    let reaction = match compared {
        Some((previous, changes)) => {
            changes::keep(&txn, previous, version.id, &changes).await?;
            usage::react(&txn, actor, &spec, (previous, version.id, number), &changes).await?
        }
        None => Reaction::default(),
    };
    txn.commit().await?;
    Ok(Imported {
        spec_id: spec.id,
        version_id: version.id,
        number,
        created: true,
        operations,
        dangling: doc.dangling,
        breaking_on_used: reaction.breaking_on_used,
        needs_retest: reaction.needs_retest,
    })
}

/// The operations of `doc` as rows to insert (their version set when it exists).
fn operation_rows(doc: &Document) -> Vec<spec_operations::ActiveModel> {
    operations(doc)
        .iter()
        .map(|o| spec_operations::ActiveModel {
            method: Set(o.method.clone()),
            path: Set(o.path.clone()),
            template: Set(template(&o.path)),
            operation_id: Set(o.operation_id.clone()),
            summary: Set(o.summary.clone().unwrap_or_default()),
            tags: Set(o.tags.join(",")),
            deprecated: Set(o.deprecated),
            ..Default::default()
        })
        .collect()
}

/// The newest version of integration `integration_id`'s spec `name`, if any: its id, kept
/// document and SHA-256.
async fn newest(
    db: &impl ConnectionTrait,
    integration_id: i32,
    name: &str,
) -> Result<Option<(i32, Vec<u8>, String)>> {
    let Some(spec) = api_specs::Entity::find()
        .filter(api_specs::Column::IntegrationId.eq(integration_id))
        .filter(api_specs::Column::Name.eq(name))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(spec_versions::Entity::find()
        .filter(spec_versions::Column::SpecId.eq(spec.id))
        .order_by_desc(spec_versions::Column::Number)
        .one(db)
        .await?
        .map(|v| (v.id, v.document, v.sha256)))
}

/// The changes from version `base` to version `revision` (of the same spec), computed once
/// (see [`changes`]).
///
/// # Errors
/// `NotFound`; `Validation` when the two belong to different specs.
pub async fn compare(db: &impl ConnectionTrait, base: i32, revision: i32) -> Result<Vec<Change>> {
    let spec_of = |id| async move {
        spec_versions::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|v| v.spec_id)
            .ok_or(AppError::NotFound)
    };
    if spec_of(base).await? != spec_of(revision).await? {
        return Err(AppError::field(
            "revision",
            "Compare two versions of the same specification.",
        ));
    }
    changes::of_pair(db, base, revision).await
}

/// The specs of integration `integration_id`, by name, each with its versions newest first
/// (the stored documents are not read) and how many of its operations are used.
///
/// # Errors
/// Database failures.
pub async fn list(db: &impl ConnectionTrait, integration_id: i32) -> Result<Vec<SpecSummary>> {
    let specs = api_specs::Entity::find()
        .filter(api_specs::Column::IntegrationId.eq(integration_id))
        .order_by_asc(api_specs::Column::Name)
        .all(db)
        .await?;
    let versions = versions_of(db, specs.iter().map(|s| s.id).collect()).await?;
    let used = usage::used(db, integration_id).await?;
    specs
        .into_iter()
        .map(|s| {
            Ok(SpecSummary {
                versions: versions
                    .iter()
                    .filter(|(spec, _)| *spec == s.id)
                    .map(|(_, v)| v.clone())
                    .collect(),
                used: used.iter().filter(|u| u.spec_id == s.id).count(),
                refetch: s.refetch,
                next_fetch_at: s.next_fetch_at,
                last_fetched_at: s.last_fetched_at,
                last_fetch_error: s.last_fetch_error,
                source_url: s.source_url,
                id: s.id,
                name: s.name,
            })
        })
        .collect()
}

/// The versions of `spec_ids`, newest first, each with its spec's id.
async fn versions_of(
    db: &impl ConnectionTrait,
    spec_ids: Vec<i32>,
) -> Result<Vec<(i32, VersionSummary)>> {
    type Row = (
        i32,
        i32,
        i32,
        String,
        String,
        String,
        i32,
        i64,
        i32,
        chrono::DateTime<Utc>,
    );
    let rows: Vec<Row> = spec_versions::Entity::find()
        .select_only()
        .columns([
            spec_versions::Column::Id,
            spec_versions::Column::SpecId,
            spec_versions::Column::Number,
            spec_versions::Column::Sha256,
            spec_versions::Column::Dialect,
            spec_versions::Column::InfoVersion,
            spec_versions::Column::OperationCount,
            spec_versions::Column::Bytes,
            spec_versions::Column::ImportedBy,
            spec_versions::Column::ImportedAt,
        ])
        .filter(spec_versions::Column::SpecId.is_in(spec_ids))
        .order_by_desc(spec_versions::Column::Number)
        .into_tuple()
        .all(db)
        .await?;
    let who = people(db, rows.iter().map(|v| v.8).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|v| {
            (
                v.1,
                VersionSummary {
                    id: v.0,
                    number: v.2,
                    sha256: v.3,
                    dialect: v.4,
                    info_version: v.5,
                    operation_count: v.6,
                    bytes: v.7,
                    imported_by: person(&who, v.8),
                    imported_at: v.9,
                },
            )
        })
        .collect())
}

/// The versions of spec `spec_id`, newest first.
///
/// # Errors
/// Database failures.
pub async fn versions(db: &impl ConnectionTrait, spec_id: i32) -> Result<Vec<VersionSummary>> {
    Ok(versions_of(db, vec![spec_id])
        .await?
        .into_iter()
        .map(|(_, v)| v)
        .collect())
}

/// The spec a version belongs to.
///
/// # Errors
/// `NotFound`.
pub async fn spec_of_version(db: &impl ConnectionTrait, id: i32) -> Result<api_specs::Model> {
    let spec_id = spec_versions::Entity::find_by_id(id)
        .select_only()
        .column(spec_versions::Column::SpecId)
        .into_tuple::<i32>()
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    usage::spec(db, spec_id).await
}

/// The operations of version `id` whose method, path, operationId, summary or tags contain
/// `q` (any case), all of them when `q` is blank; only the used ones when `used_only`.
///
/// # Errors
/// `NotFound`.
pub async fn catalogue(
    db: &impl ConnectionTrait,
    id: i32,
    q: &str,
    used_only: bool,
) -> Result<Vec<CatalogueEntry>> {
    let spec = spec_of_version(db, id).await?;
    let used: Vec<UsedOperation> = usage::used(db, spec.integration_id)
        .await?
        .into_iter()
        .filter(|u| u.spec_id == spec.id)
        .collect();
    let q = q.trim().to_lowercase();
    Ok(spec_operations::Entity::find()
        .filter(spec_operations::Column::VersionId.eq(id))
        .order_by_asc(spec_operations::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|o| {
            q.is_empty()
                || [
                    o.method.as_str(),
                    o.path.as_str(),
                    o.operation_id.as_deref().unwrap_or(""),
                    o.summary.as_str(),
                    o.tags.as_str(),
                ]
                .iter()
                .any(|f| f.to_lowercase().contains(&q))
        })
        .map(|o| CatalogueEntry {
            used: used
                .iter()
                .find(|u| u.method == o.method && template(&u.path) == o.template)
                .cloned(),
            tags: o
                .tags
                .split(',')
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
            method: o.method,
            path: o.path,
            operation_id: o.operation_id,
            summary: o.summary,
            deprecated: o.deprecated,
        })
        .filter(|e| !used_only || e.used.is_some())
        .collect())
}
