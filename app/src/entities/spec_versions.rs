//! One imported version of a specification: the original document, gzip-compressed, with
//! its SHA-256 (unique per spec, so an identical re-import adds nothing).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "spec_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub spec_id: i32,
    /// 1, 2, 3... per spec.
    pub number: i32,
    /// SHA-256 of the original bytes, hex.
    pub sha256: String,
    /// `swagger-2.0`, `openapi-3.0` or `openapi-3.1`.
    pub dialect: String,
    /// The version the document declares it is written in (`3.0.3`).
    pub declared: String,
    /// The API's own version (`info.version`).
    pub info_version: String,
    /// The original document, gzip-compressed.
    pub document: Vec<u8>,
    /// The original document's size.
    pub bytes: i64,
    pub operation_count: i32,
    /// Newline-separated schema references that resolve to nothing.
    pub dangling: String,
    pub imported_by: i32,
    pub imported_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
