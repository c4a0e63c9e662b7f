//! What every successful REST response carries: JSON, an `ETag` on single resources (checked
//! against `If-Match` before an update), and on lists a `Link` header with `X-Total-Count`.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::problem::{ApiError, convert};

/// A handler's result.
pub type ApiResult = Result<Response, ApiError>;

/// The entity tag of a representation: a hash of its JSON, so any change to what a client
/// sees changes the tag.
pub fn etag<T: Serialize>(value: &T) -> String {
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    let digest = Sha256::digest(&bytes);
    format!("\"{}\"", hex::encode(&digest[..12]))
}

/// `status` with `value` as JSON.
pub fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    (status, axum::Json(value)).into_response()
}

/// `body` with the `ETag` of `version`: the resource itself (which a body may wrap with
/// related records, such as an integration's history).
pub fn tagged<B: Serialize, V: Serialize>(status: StatusCode, body: &B, version: &V) -> Response {
    let mut res = json(status, body);
    if let Ok(tag) = HeaderValue::from_str(&etag(version)) {
        res.headers_mut().insert(header::ETAG, tag);
    }
    res
}

/// 204 No Content.
pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// Refuses an update when the client's `If-Match` names another version of the resource
/// (412), so two people never overwrite each other silently. Without `If-Match` the update
/// goes ahead; `*` matches any current version.
///
/// # Errors
/// 412 Precondition Failed.
pub fn check_if_match<T: Serialize>(headers: &HeaderMap, current: &T) -> Result<(), ApiError> {
    let Some(wanted) = headers.get(header::IF_MATCH) else {
        return Ok(());
    };
    let wanted = wanted.to_str().unwrap_or_default();
    let tag = etag(current);
    let matches = wanted
        .split(',')
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t == tag);
    if matches {
        Ok(())
    } else {
        Err(ApiError::http(
            StatusCode::PRECONDITION_FAILED,
            "This record changed since you read it (its ETag no longer matches If-Match). \
             Read it again, reapply your change and retry.",
        ))
    }
}

/// A list page: `Link` (first, prev, next, last) and `X-Total-Count` headers.
pub fn paged<T: Serialize>(
    value: &T,
    path_and_query: &str,
    page: u64,
    pages: u64,
    total: u64,
) -> Response {
    let mut res = json(StatusCode::OK, value);
    let link = |p: u64, rel: &str| format!("<{}>; rel=\"{rel}\"", with_page(path_and_query, p));
    let mut links = vec![link(1, "first")];
    if page > 1 {
        links.push(link(page - 1, "prev"));
    }
    if page < pages {
        links.push(link(page + 1, "next"));
    }
    links.push(link(pages.max(1), "last"));
    let headers = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&links.join(", ")) {
        headers.insert(header::LINK, v);
    }
    headers.insert("x-total-count", HeaderValue::from(total));
    res
}

/// `path_and_query` with its `page` parameter set to `page`.
fn with_page(path_and_query: &str, page: u64) -> String {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("page="))
        .map(str::to_string)
        .collect();
    pairs.push(format!("page={page}"));
    format!("{path}?{}", pairs.join("&"))
}

/// A form built from a JSON object: `base` (an empty form to create, the current record's
/// form to update) with the body's fields laid over it (JSON Merge Patch, RFC 7396, one
/// level deep). An unknown field or a value of the wrong type is a 422 naming the field, so
/// nothing sent is silently dropped.
///
/// # Errors
/// 422 naming the field.
pub fn merge_form<F: Serialize + DeserializeOwned>(base: &F, body: Value) -> Result<F, ApiError> {
    let Value::Object(patch) = body else {
        return Err(ApiError::field("body", "Send a JSON object of fields."));
    };
    let mut form = serde_json::to_value(base)
        .map_err(|e| ApiError::App(app::error::AppError::internal("form", e)))?;
    let Some(fields) = form.as_object_mut() else {
        return Err(ApiError::field("body", "This resource takes no fields."));
    };
    for (key, value) in patch {
        let Some(slot) = fields.get_mut(&key) else {
            let known: Vec<&str> = fields.keys().map(String::as_str).collect();
            return Err(ApiError::field(
                &key,
                format!("Unknown field. Known fields: {}.", known.join(", ")),
            ));
        };
        *slot = value;
    }
    convert(form)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Default, PartialEq, Serialize, serde::Deserialize)]
    struct Form {
        name: String,
        note: String,
    }

    #[test]
    fn a_patch_keeps_unsent_fields_and_refuses_unknown_ones() {
        let base = Form {
            name: "A".into(),
            note: "kept".into(),
        };
        let merged = merge_form(&base, json!({"name": "B"})).unwrap_or_default();
        assert_eq!(
            merged,
            Form {
                name: "B".into(),
                note: "kept".into()
            }
        );
        assert!(merge_form(&base, json!({"nme": "B"})).is_err());
        assert!(merge_form(&base, json!({"name": 5})).is_err());
        assert!(merge_form(&base, json!(["name"])).is_err());
    }

    #[test]
    fn links_replace_the_page_parameter() {
        assert_eq!(with_page("/a?stage=live&page=3", 4), "/a?stage=live&page=4");
        assert_eq!(with_page("/a", 2), "/a?page=2");
    }

    #[test]
    fn if_match_compares_tags() {
        let v = json!({"a": 1});
        let mut h = HeaderMap::new();
        assert!(check_if_match(&h, &v).is_ok());
        h.insert(
            header::IF_MATCH,
            HeaderValue::from_str(&etag(&v)).unwrap_or(HeaderValue::from_static("x")),
        );
        assert!(check_if_match(&h, &v).is_ok());
        assert!(check_if_match(&h, &json!({"a": 2})).is_err());
        h.insert(header::IF_MATCH, HeaderValue::from_static("*"));
        assert!(check_if_match(&h, &json!({"a": 2})).is_ok());
    }
}
