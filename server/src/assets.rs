//! Static files (`/pkg` and `public/`, both under the site root) with cache headers and
//! precompressed variants, and the fallback that renders the application's 404 page.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use http::header::{CACHE_CONTROL, HeaderValue};
use http::{Method, StatusCode};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use app::state::AppState;

/// Names that change whenever their content does (cargo-leptos file hashing) are cached for a
/// year; everything else is revalidated so a deploy is seen at once.
fn cache_control(path: &str, hashed: bool) -> &'static str {
    if hashed && path.starts_with("/pkg/") {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=0, must-revalidate"
    }
}

/// Serves a file from the site root, preferring a `.br` or `.gz` sibling when the client
/// accepts it; otherwise renders the application, whose router answers 404.
pub async fn fallback(State(state): State<AppState>, req: Request) -> Response {
    let options = state.leptos_options.clone();
    if matches!(*req.method(), Method::GET | Method::HEAD) && req.uri().path() != "/" {
        let mut file_req = Request::builder()
            .method(req.method())
            .uri(req.uri().clone());
        for (name, value) in req.headers() {
            file_req = file_req.header(name, value);
        }
        if let Ok(file_req) = file_req.body(Body::empty()) {
            let served = ServeDir::new(options.site_root.as_ref())
                .precompressed_br()
                .precompressed_gzip()
                .oneshot(file_req)
                .await;
            let Ok(res) = served;
            {
                if res.status() != StatusCode::NOT_FOUND {
                    let path = req.uri().path().to_string();
                    let mut res = res.into_response();
                    res.headers_mut().insert(
                        CACHE_CONTROL,
                        HeaderValue::from_static(cache_control(&path, options.hash_files)),
                    );
                    return res;
                }
            }
        }
    }
    let context_state = state.clone();
    let handler = leptos_axum::render_app_to_stream_with_context(
        move || leptos::context::provide_context(context_state.clone()),
        move || app::shell(options.clone()),
    );
    handler(req).await.into_response()
}

#[cfg(test)]
mod tests {
    use super::cache_control;

    #[test]
    fn only_hashed_package_files_are_cached_for_a_year() {
        assert!(cache_control("/pkg/tollgate.abc.wasm", true).contains("immutable"));
        assert!(!cache_control("/pkg/tollgate.wasm", false).contains("immutable"));
        assert!(!cache_control("/favicon.svg", true).contains("immutable"));
    }
}
