//! (ssr) Anchoring the trail outside the database. The hash chain shows a row altered or
//! removed from the middle, but not a tail cut off, nor a chain rewritten from some row on with
//! the same unkeyed SHA-256. So, every N appends and at shutdown, the server writes a
//! checkpoint: the head's sequence number (row id) and hash, signed with HMAC-SHA256 under a
//! key that does not live in the database (`TOLLGATE_TRAIL_KEY`, or a key file created on
//! first start beside the database), into the database and appended to a checkpoint file
//! outside it. [`verify`] then checks the chain and every checkpoint against it.
//!
//! Rules kept here and nowhere else:
//! - a checkpoint's signature covers its row id, head hash and time, in that order;
//! - a checkpoint whose row is gone, or whose row's hash differs, fails verification;
//! - rows appended after the newest checkpoint are covered by the chain only.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{SecondsFormat, Utc};
use hmac::{Hmac, Mac};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, EntityTrait, QueryOrder, QuerySelect, prelude::*,
};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::service::{ChainStatus, verify as verify_chain};
use crate::entities::{activity, trail_checkpoints};
use crate::error::{AppError, Result};

/// The shortest key accepted from `TOLLGATE_TRAIL_KEY`: 32 characters.
pub const MIN_KEY_LEN: usize = 32;

/// The key and the checkpoint file.
#[derive(Clone)]
pub struct Anchor {
    key: Vec<u8>,
    file: PathBuf,
}

impl std::fmt::Debug for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Anchor")
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

/// One checkpoint, as stored and as written to the file (a JSON line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub row_id: i32,
    pub head_hash: String,
    pub at: String,
    pub mac: String,
}

/// What went wrong first, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The first bad sequence number (row id), when one can be named.
    pub row_id: Option<i32>,
    pub reason: String,
}

/// The outcome of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// Rows in the chain that checked out before the first problem, or all of them.
    pub rows: u64,
    /// Checkpoints checked: in the database, and in the checkpoint file.
    pub checkpoints_in_database: usize,
    pub checkpoints_in_file: usize,
    /// The newest row a valid checkpoint covers.
    pub anchored_to: Option<i32>,
    pub problem: Option<Problem>,
}

impl Verdict {
    /// Whether the trail verified.
    pub fn intact(&self) -> bool {
        self.problem.is_none()
    }
}

fn io_error(what: &str, path: &Path, e: &std::io::Error) -> AppError {
    AppError::internal("trail anchor", format!("{what} {}: {e}", path.display()))
}

impl Anchor {
    /// The anchor with `key` (from `TOLLGATE_TRAIL_KEY`) when given, else the key in
    /// `key_file`; with `create`, a missing key file is made with 32 random bytes, readable by
    /// its owner only. `None` when there is no key and `create` is false.
    ///
    /// # Errors
    /// `Validation` on `TOLLGATE_TRAIL_KEY` for a short key; `Internal` when the key file
    /// cannot be read or made.
    pub fn open(
        key: Option<&str>,
        key_file: &Path,
        checkpoint_file: PathBuf,
        create: bool,
    ) -> Result<Option<Self>> {
        if let Some(key) = key.map(str::trim).filter(|k| !k.is_empty()) {
            if key.len() < MIN_KEY_LEN {
                return Err(AppError::field(
                    "TOLLGATE_TRAIL_KEY",
                    format!("The trail key must be at least {MIN_KEY_LEN} characters."),
                ));
            }
            return Ok(Some(Anchor {
                key: key.as_bytes().to_vec(),
                file: checkpoint_file,
            }));
        }
        match std::fs::read_to_string(key_file) {
            Ok(text) => {
                let key = hex::decode(text.trim()).map_err(|_| {
                    AppError::internal(
                        "trail anchor",
                        format!("{} does not hold a hex key", key_file.display()),
                    )
                })?;
                return Ok(Some(Anchor {
                    key,
                    file: checkpoint_file,
                }));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error("could not read", key_file, &e)),
        }
        if let Some(dir) = key_file.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| io_error("could not create", dir, &e))?;
        }
        let mut key = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut key);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(key_file) {
            Ok(mut f) => {
                f.write_all(hex::encode(key).as_bytes())
                    .and_then(|()| f.sync_all())
                    .map_err(|e| io_error("could not write", key_file, &e))?;
                Ok(Some(Anchor {
                    key: key.to_vec(),
                    file: checkpoint_file,
                }))
            }
            // Another process (a replica starting at the same time) made it first.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Self::open(None, key_file, checkpoint_file, false)
            }
            Err(e) => Err(io_error("could not create", key_file, &e)),
        }
    }

    /// The signature of a checkpoint of row `row_id` with hash `head_hash` at `at`.
    fn mac(&self, row_id: i32, head_hash: &str, at: &str) -> String {
        // HMAC accepts a key of any length; new_from_slice cannot fail for it.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.key) else {
            return String::new();
        };
        mac.update(format!("tollgate-trail-checkpoint\n{row_id}\n{head_hash}\n{at}").as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    fn signed(&self, c: &Checkpoint) -> bool {
        let want = self.mac(c.row_id, &c.head_hash, &c.at);
        // Compared whole; both are hex of the same length, and timing reveals nothing the
        // reader of the file does not already have.
        !want.is_empty() && want == c.mac
    }

    /// Writes a checkpoint of the trail's head unless the newest one already covers it; the
    /// checkpoint written, if any.
    ///
    /// # Errors
    /// Database failures; `Internal` when the checkpoint file cannot be appended to.
    pub async fn checkpoint(&self, db: &impl ConnectionTrait) -> Result<Option<Checkpoint>> {
        self.checkpoint_if_due(db, 1).await
    }

    /// Writes a checkpoint when at least `every` rows were appended since the newest one.
    ///
    /// # Errors
    /// As [`Anchor::checkpoint`].
    pub async fn checkpoint_if_due(
        &self,
        db: &impl ConnectionTrait,
        every: i32,
    ) -> Result<Option<Checkpoint>> {
        let Some(head) = activity::Entity::find()
            .order_by_desc(activity::Column::Id)
            .limit(1)
            .one(db)
            .await?
        else {
            return Ok(None);
        };
        let newest = trail_checkpoints::Entity::find()
            .order_by_desc(trail_checkpoints::Column::RowId)
            .limit(1)
            .one(db)
            .await?
            .map_or(0, |c| c.row_id);
        if head.id - newest < every.max(1) {
            return Ok(None);
        }
        let at = Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true);
        let c = Checkpoint {
            row_id: head.id,
            mac: self.mac(head.id, &head.hash, &at),
            head_hash: head.hash,
            at,
        };
        self.append_to_file(&c)?;
        trail_checkpoints::ActiveModel {
            row_id: Set(c.row_id),
            head_hash: Set(c.head_hash.clone()),
            at: Set(c.at.clone()),
            mac: Set(c.mac.clone()),
            ..Default::default()
        }
        .insert(db)
        .await?;
        Ok(Some(c))
    }

    fn append_to_file(&self, c: &Checkpoint) -> Result<()> {
        if let Some(dir) = self.file.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| io_error("could not create", dir, &e))?;
        }
        let line = serde_json::to_string(c)
            .map_err(|e| AppError::internal("trail anchor", e.to_string()))?;
        std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&self.file)
            .and_then(|mut f| {
                f.write_all(format!("{line}\n").as_bytes())?;
                f.sync_all()
            })
            .map_err(|e| io_error("could not append to", &self.file, &e))
    }

    /// The checkpoints in the file: each line's checkpoint, or the line number of one that
    /// is not a checkpoint. An absent file holds none.
    fn read_file(&self) -> Result<(Vec<Checkpoint>, Option<usize>)> {
        let text = match std::fs::read_to_string(&self.file) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), None)),
            Err(e) => return Err(io_error("could not read", &self.file, &e)),
        };
        let mut out = Vec::new();
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            match serde_json::from_str::<Checkpoint>(line) {
                Ok(c) => out.push(c),
                Err(_) => return Ok((out, Some(n + 1))),
            }
        }
        Ok((out, None))
    }
}

/// Checks the chain, then every checkpoint (in the database and in the file) against it: each
/// must be signed with the key, and its row must still be there with the hash it had. Without
/// an anchor (no key), only the chain is checked, and checkpoints in the database are a problem.
///
/// # Errors
/// Database failures; `Internal` when the checkpoint file cannot be read.
pub async fn verify(db: &impl ConnectionTrait, anchor: Option<&Anchor>) -> Result<Verdict> {
    let mut problems: Vec<Problem> = Vec::new();
    let rows = match verify_chain(db).await? {
        ChainStatus::Intact { rows } => rows,
        ChainStatus::Broken { row_id, reason } => {
            problems.push(Problem {
                row_id: Some(row_id),
                reason,
            });
            u64::try_from(row_id.saturating_sub(1)).unwrap_or(0)
        }
    };
    let stored: Vec<Checkpoint> = trail_checkpoints::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| Checkpoint {
            row_id: c.row_id,
            head_hash: c.head_hash,
            at: c.at,
            mac: c.mac,
        })
        .collect();
    let mut verdict = Verdict {
        rows,
        checkpoints_in_database: stored.len(),
        checkpoints_in_file: 0,
        anchored_to: None,
        problem: None,
    };
    let Some(anchor) = anchor else {
        if !stored.is_empty() {
            problems.push(Problem {
                row_id: None,
                reason: "the trail key is missing, so its checkpoints cannot be checked: set TOLLGATE_TRAIL_KEY or restore the key file".into(),
            });
        }
        verdict.problem = first(problems);
        return Ok(verdict);
    };
    let (in_file, bad_line) = anchor.read_file()?;
    verdict.checkpoints_in_file = in_file.len();
    if let Some(n) = bad_line {
        problems.push(Problem {
            row_id: None,
            reason: format!(
                "line {n} of the checkpoint file {} is not a checkpoint",
                anchor.file.display()
            ),
        });
    }
    let mut valid: Vec<(&Checkpoint, &str)> = Vec::new();
    for (c, source) in stored
        .iter()
        .map(|c| (c, "the database"))
        .chain(in_file.iter().map(|c| (c, "the checkpoint file")))
    {
        if anchor.signed(c) {
            valid.push((c, source));
        } else {
            problems.push(Problem {
                row_id: Some(c.row_id),
                reason: format!(
                    "the checkpoint of row {} in {source} is not signed with the trail key: it was forged, or made with another key",
                    c.row_id
                ),
            });
        }
    }
    valid.sort_by_key(|(c, _)| c.row_id);
    valid.dedup_by_key(|(c, _)| (c.row_id, c.head_hash.clone()));
    let max_id = activity::Entity::find()
        .select_only()
        .column_as(activity::Column::Id.max(), "max")
        .into_tuple::<Option<i32>>()
        .one(db)
        .await?
        .flatten()
        .unwrap_or(0);
    // The checkpointed rows' hashes, read in batches (not one query a checkpoint).
    let ids: Vec<i32> = valid.iter().map(|(c, _)| c.row_id).collect();
    let mut hashes: std::collections::HashMap<i32, String> = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let found: Vec<(i32, String)> = activity::Entity::find()
            .select_only()
            .columns([activity::Column::Id, activity::Column::Hash])
            .filter(activity::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        hashes.extend(found);
    }
    let mut holds_to = 0;
    for (c, source) in &valid {
        match hashes.get(&c.row_id) {
            Some(hash) if *hash == c.head_hash => holds_to = c.row_id,
            Some(_) => problems.push(Problem {
                row_id: Some(c.row_id),
                reason: format!(
                    "row {}'s hash differs from the one checkpointed at {} (in {source}): the chain was rewritten at or before row {} and after row {holds_to}",
                    c.row_id, c.at, c.row_id
                ),
            }),
            None if c.row_id > max_id => problems.push(Problem {
                row_id: Some(max_id + 1),
                reason: format!(
                    "the trail ends at row {max_id}, but a checkpoint of {} (in {source}) shows it reached row {}: rows {} to {} were cut off",
                    c.at,
                    c.row_id,
                    max_id + 1,
                    c.row_id
                ),
            }),
            None => problems.push(Problem {
                row_id: Some(c.row_id),
                reason: format!(
                    "row {}, which a checkpoint of {} (in {source}) names, is missing",
                    c.row_id, c.at
                ),
            }),
        }
    }
    verdict.anchored_to = (holds_to > 0).then_some(holds_to);
    verdict.problem = first(problems);
    Ok(verdict)
}

/// The problem with the lowest row (one without a row first: the file or the key).
fn first(mut problems: Vec<Problem>) -> Option<Problem> {
    problems.sort_by_key(|p| p.row_id.unwrap_or(i32::MIN));
    problems.into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_and_covers_every_field() {
        // RFC 4231 test case 2: key "Jefe", "what do ya want for nothing?".
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").expect("key");
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let anchor = Anchor {
            key: b"0123456789abcdef0123456789abcdef".to_vec(),
            file: PathBuf::new(),
        };
        let c = Checkpoint {
            row_id: 7,
            head_hash: "ab".repeat(32),
            at: "2026-12-04T10:00:00.000000Z".into(),
            mac: anchor.mac(7, &"ab".repeat(32), "2026-12-04T10:00:00.000000Z"),
        };
        assert!(anchor.signed(&c));
        for forged in [
            Checkpoint {
                row_id: 8,
                ..c.clone()
            },
            Checkpoint {
                head_hash: "cd".repeat(32),
                ..c.clone()
            },
            Checkpoint {
                at: "2026-12-05T10:00:00.000000Z".into(),
                ..c.clone()
            },
        ] {
            assert!(!anchor.signed(&forged), "{forged:?}");
        }
        let other = Anchor {
            key: b"another key of thirty-two bytes!".to_vec(),
            file: PathBuf::new(),
        };
        assert!(!other.signed(&c), "another key");
    }
}
