//! What the ingest shows of an environment.

use serde::{Deserialize, Serialize};

/// An environment's DSN for the Sentry-compatible ingest, and where its SDKs post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Dsn {
    pub environment_id: i32,
    /// `http://<public key>@<host>/<project id>`: all an SDK needs.
    pub dsn: String,
    /// Where the SDKs post envelopes (they work it out from the DSN).
    pub envelope_url: String,
}
