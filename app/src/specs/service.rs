//! (ssr) Storing specifications: importing a document as a new version of an integration's
//! spec (the original kept gzip-compressed with its SHA-256; an identical document adds no
//! version), its operations indexed, and versions read back and compared.

use std::io::{Read, Write};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionSession, TransactionTrait,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::diff::{Change, diff};
use super::document::{Dialect, Document, parse};
use super::index::{operations, template};
use crate::activity::service::{self as activity, child_id, record_change};
use crate::auth::model::{CurrentUser, Role};
use crate::entities::{api_specs, spec_operations, spec_versions};
use crate::error::{AppError, FieldErrors, Result};
use crate::planning::service::integration_by_id;
use crate::validate::required;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
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
}

/// Who imports specifications: admins, coordinators, engineers and QA.
///
/// # Errors
/// `Forbidden`.
pub fn require_importer(actor: &CurrentUser) -> Result<()> {
    if matches!(
        actor.role,
        Role::Admin | Role::Coordinator | Role::Engineer | Role::Qa
    ) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn dialect_name(d: Dialect) -> &'static str {
    match d {
        Dialect::Swagger2 => "swagger-2.0",
        Dialect::OpenApi30 => "openapi-3.0",
        Dialect::OpenApi31 => "openapi-3.1",
    }
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes)
        .and_then(|()| e.finish())
        .map_err(|err| AppError::internal("gzip", err))
}

fn gunzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|err| AppError::internal("gunzip", err))?;
    Ok(out)
}

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
    require_importer(actor)?;
    let mut e = FieldErrors::default();
    let name = required(
        &mut e,
        "name",
        name,
        "the API's name, such as Stripe API",
        120,
    );
    e.into_result()?;
    let doc = parse(bytes)?;
    let ops = operations(&doc);
    let sha256 = hex::encode(Sha256::digest(bytes));
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
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            record_change(
                &txn,
                actor,
                "create",
                "spec",
                child_id(integration_id, s.id),
                None,
                Some(json!({"name": s.name})),
            )
            .await?;
            s
        }
    };
    let versions = spec_versions::Entity::find()
        .filter(spec_versions::Column::SpecId.eq(spec.id))
        .order_by_desc(spec_versions::Column::Number)
        .all(&txn)
        .await?;
    if let Some(same) = versions.iter().find(|v| v.sha256 == sha256) {
        return Ok(Imported {
            spec_id: spec.id,
            version_id: same.id,
            number: same.number,
            created: false,
            operations: ops.len(),
            dangling: doc.dangling.clone(),
        });
    }
    let number = versions.first().map_or(1, |v| v.number + 1);
    let info_version = doc
        .root
        .pointer("/info/version")
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
        .unwrap_or_default();
    #[allow(clippy::cast_possible_wrap, clippy::cast_possible_truncation)]
    let version = spec_versions::ActiveModel {
        spec_id: Set(spec.id),
        number: Set(number),
        sha256: Set(sha256.clone()),
        dialect: Set(dialect_name(doc.dialect).into()),
        declared: Set(doc.declared.clone()),
        info_version: Set(info_version.clone()),
        document: Set(gzip(bytes)?),
        bytes: Set(bytes.len() as i64),
        operation_count: Set(ops.len() as i32),
        dangling: Set(doc.dangling.join("\n")),
        imported_by: Set(actor.id),
        imported_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let rows: Vec<spec_operations::ActiveModel> = ops
        .iter()
        .map(|o| spec_operations::ActiveModel {
            version_id: Set(version.id),
            method: Set(o.method.clone()),
            path: Set(o.path.clone()),
            template: Set(template(&o.path)),
            operation_id: Set(o.operation_id.clone()),
            summary: Set(o.summary.clone().unwrap_or_default()),
            tags: Set(o.tags.join(",")),
            deprecated: Set(o.deprecated),
            ..Default::default()
        })
        .collect();
    // Batches keep each statement under both backends' limits on bound parameters.
    for chunk in rows.chunks(500) {
        spec_operations::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    record_change(
        &txn,
        actor,
        "import",
        "spec_version",
        child_id(integration_id, version.id),
        None,
        Some(json!({"spec": spec.name, "number": number, "sha256": sha256, "info_version": info_version, "operations": ops.len()})),
    )
    .await?;
    txn.commit().await?;
    Ok(Imported {
        spec_id: spec.id,
        version_id: version.id,
        number,
        created: true,
        operations: ops.len(),
        dangling: doc.dangling,
    })
}

/// The document of version `id`, decompressed and parsed again.
///
/// # Errors
/// `NotFound`; `Internal` if the stored document no longer reads.
pub async fn document(db: &impl ConnectionTrait, id: i32) -> Result<Document> {
    let v = spec_versions::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    parse(&gunzip(&v.document)?).map_err(|e| AppError::internal("stored spec", format!("{e:?}")))
}

/// The changes from version `base` to version `revision` (of the same spec).
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
    let (b, r) = (document(db, base).await?, document(db, revision).await?);
    Ok(diff(&b, &r, Utc::now().date_naive()))
}
