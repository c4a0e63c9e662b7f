//! `/api/v1/search`: what the caller finds across every record their role may read.

use axum::extract::State;
use axum::http::StatusCode;

use app::search::model::{Results, SearchQuery};
use app::state::AppState;

use super::ApiQuery;
use super::auth::Caller;
use super::reply::{ApiResult, json};

/// Records matching `q` (every word; a word of three letters or more also matches the words it
/// begins), grouped by kind, best first: across every kind, the best 50 with each kind's
/// count; with `kind`, page `page` of that kind's matches, 25 a page. A title that is the
/// query comes first. Credential references are left out for stakeholders.
#[utoipa::path(get, path = "/api/v1/search", tag = "Search", params(SearchQuery),
    responses((status = 200, description = "What was found.", body = Results)))]
pub async fn search(
    c: Caller,
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> ApiResult {
    let found = app::search::service::search(&state.db, &c.user, &query).await?;
    Ok(json(StatusCode::OK, &found))
}
