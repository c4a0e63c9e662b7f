//! (ssr) The changes between two versions of a spec, computed once and read after: at import
//! for the new version and the one before it (in the import's transaction), on first request
//! for any other pair. The comparison runs on the blocking pool, never on the async workers
//! and never inside the trail's lock. A pair is compared as of the revision's import date,
//! the day the provider's change reached us, so a removal stays "before its sunset" after
//! that day has passed.

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::diff::{Change, diff};
use super::document::Document;
use super::stored::{self, off_the_workers};
use crate::entities::{spec_changes, spec_versions};
use crate::error::{AppError, Result};

/// Compares a kept (packed) document with `revision` on the blocking pool; `revision` comes
/// back for further use.
///
/// # Errors
/// `Internal` when the kept document no longer reads.
pub async fn against_kept(
    packed: Vec<u8>,
    revision: Document,
    today: NaiveDate,
) -> Result<(Vec<Change>, Document)> {
    off_the_workers(move || {
        let base = stored::document(&packed)?;
        Ok((diff(&base, &revision, today), revision))
    })
    .await
}

/// Keeps `changes` as the pair's; a pair kept already stays as it was.
///
/// # Errors
/// Database failures.
pub async fn keep(
    db: &impl ConnectionTrait,
    base_id: i32,
    revision_id: i32,
    changes: &[Change],
) -> Result<()> {
    let json = serde_json::to_vec(changes).map_err(|e| AppError::internal("spec changes", e))?;
    #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
    let row = spec_changes::ActiveModel {
        base_id: Set(base_id),
        revision_id: Set(revision_id),
        changes: Set(stored::pack(&json)?),
        change_count: Set(changes.len() as i32),
        computed_at: Set(Utc::now()),
        ..Default::default()
    };
    spec_changes::Entity::insert(row)
        .on_conflict_do_nothing()
        .exec(db)
        .await?;
    Ok(())
}

/// The changes from version `base` to version `revision`: the kept ones, or computed now and
/// kept.
///
/// # Errors
/// `NotFound`; `Internal` when a kept document or change set no longer reads.
pub async fn of_pair(db: &impl ConnectionTrait, base: i32, revision: i32) -> Result<Vec<Change>> {
    let kept = spec_changes::Entity::find()
        .filter(spec_changes::Column::BaseId.eq(base))
        .filter(spec_changes::Column::RevisionId.eq(revision))
        .one(db)
        .await?;
    if let Some(kept) = kept {
        return off_the_workers(move || {
            serde_json::from_slice(&stored::unpack(&kept.changes)?)
                .map_err(|e| AppError::internal("kept spec changes", e))
        })
        .await;
    }
    let version = |id| async move {
        spec_versions::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)
    };
    let (b, r) = (version(base).await?, version(revision).await?);
    let today = r.imported_at.date_naive();
    let packed = r.document;
    let revision_doc = off_the_workers(move || stored::document(&packed)).await?;
    let (changes, _) = against_kept(b.document, revision_doc, today).await?;
    keep(db, base, revision, &changes).await?;
    Ok(changes)
}
