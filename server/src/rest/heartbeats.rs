//! Heartbeat monitors over REST: listed and added under their integration, read, changed and
//! deleted at `/api/v1/heartbeat-monitors/{id}` (with the ping URL for those who build). The
//! pings themselves are `heartbeat_pings`, outside the token-authenticated API.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;

use app::heartbeats::model::{Heartbeat, HeartbeatForm, HeartbeatsView};
use app::heartbeats::service as heartbeats;
use app::state::AppState;

use super::auth::Caller;
use super::problem::ApiJson;
use super::records::{child_resource, same};
use super::reply::{ApiResult, check_if_match, merge_form, no_content, tagged};
use super::{ApiPath, Id, Slug};

/// A monitor as the caller sees it: with its ping URL for those who build.
async fn with_ping_url(
    state: &AppState,
    caller: &app::auth::model::CurrentUser,
    hb: Heartbeat,
) -> app::error::Result<Heartbeat> {
    heartbeats::get_for(&state.db, caller, hb, &state.public_url).await
}

child_resource!(
    heartbeat,
    tag = "Heartbeats",
    collection = "/api/v1/integrations/{slug}/heartbeats",
    item = "/api/v1/heartbeat-monitors/{id}",
    page = HeartbeatsView,
    record = Heartbeat,
    form = HeartbeatForm,
    list = heartbeats::page,
    create = heartbeats::create,
    created_id = same,
    get = heartbeats::get,
    shown = with_ping_url,
    update = heartbeats::update,
    delete = heartbeats::delete,
    what = "heartbeat monitor",
    editors = "engineers, coordinators and admins"
);
