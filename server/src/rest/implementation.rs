//! The implementation records over REST: environments.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;

use app::implementation::model::{Environment, EnvironmentForm, EnvironmentPage};
use app::implementation::service as environments;
use app::planning::service as planning;
use app::state::AppState;

use super::auth::Caller;
use super::problem::ApiJson;
use super::records::{child_resource, same};
use super::reply::{ApiResult, check_if_match, merge_form, no_content, tagged};
use super::{ApiPath, Id, Slug};

child_resource!(
    environment,
    tag = "Environments",
    collection = "/api/v1/integrations/{slug}/environments",
    item = "/api/v1/environments/{id}",
    page = EnvironmentPage,
    record = Environment,
    form = EnvironmentForm,
    list = environments::page,
    create = environments::create,
    created_id = same,
    get = environments::get,
    update = environments::update,
    delete = environments::delete,
    what = "environment",
    editors = "engineers, coordinators and admins"
);
