//! (ssr) How specification documents and change sets are kept: gzip-compressed, and read
//! back on the blocking pool, since a document may be megabytes.

use std::io::{Read, Write};

use super::document::{Document, parse};
use crate::error::{AppError, Result};

/// `bytes`, gzip-compressed.
///
/// # Errors
/// `Internal` if compression fails.
pub fn pack(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes)
        .and_then(|()| e.finish())
        .map_err(|err| AppError::internal("gzip", err))
}

/// What [`pack`] compressed.
///
/// # Errors
/// `Internal` if it is not gzip.
pub fn unpack(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|err| AppError::internal("gunzip", err))?;
    Ok(out)
}

/// A kept document, decompressed and parsed again (call it on the blocking pool).
///
/// # Errors
/// `Internal` if the kept document no longer reads.
pub fn document(packed: &[u8]) -> Result<Document> {
    parse(&unpack(packed)?).map_err(|e| AppError::internal("stored spec", format!("{e:?}")))
}

/// Runs `work` on the blocking pool.
///
/// # Errors
/// `work`'s own, or `Internal` if the task panicked.
pub async fn off_the_workers<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::internal("blocking task", e))?
}

/// The document of version `id`, decompressed and parsed again.
///
/// # Errors
/// `NotFound`; `Internal` if the stored document no longer reads.
pub async fn of_version(db: &impl sea_orm::ConnectionTrait, id: i32) -> Result<Document> {
    use sea_orm::EntityTrait;
    let v = crate::entities::spec_versions::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    off_the_workers(move || document(&v.document)).await
}
