//! Webhook endpoints over REST (admins and coordinators): add one (its secret in the answer
//! only), read, change, remove, rotate its secret, send a test event, read its delivery
//! attempts, and send a delivery again. Every handler calls the service the pages call,
//! which checks the role.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use serde_json::Value;

use app::state::AppState;
use app::webhooks::model::{Attempt, Endpoint, EndpointForm, NewSecret, RotationForm};
use app::webhooks::service as webhooks;

use super::auth::Caller;
use super::problem::ApiJson;
use super::reply::{ApiResult, check_if_match, json, merge_form, no_content, paged, tagged};
use super::{ApiPath, ApiQuery, Id, PageQuery};

/// A delivery queued.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Queued {
    pub queued: bool,
}

/// Every webhook endpoint, oldest first (at most 50).
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "Webhooks",
    responses((status = 200, description = "The endpoints.", body = Vec<Endpoint>)))]
pub async fn list(c: Caller, State(state): State<AppState>) -> ApiResult {
    let list = webhooks::list(&state.db, &c.user).await?;
    Ok(tagged(StatusCode::OK, &list.endpoints, &list.endpoints))
}

/// Adds an endpoint. The answer holds its signing secret (`whsec_...`), shown this once
/// (null for a Slack-compatible endpoint, `format: "slack"`, which is not signed; its URL is
/// a credential, never shown back in full).
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "Webhooks", request_body = EndpointForm,
    responses((status = 201, description = "Added; the endpoint and its secret.", body = NewSecret)))]
pub async fn create(
    c: Caller,
    State(state): State<AppState>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let blank = EndpointForm {
        enabled: true,
        ..Default::default()
    };
    let form = merge_form(&blank, body)?;
    let made = webhooks::create(&state.db, &c.user, &state.outbound, &form).await?;
    Ok(json(StatusCode::CREATED, &made))
}

/// One endpoint (never its secret).
#[utoipa::path(get, path = "/api/v1/webhooks/{id}", tag = "Webhooks", params(Id),
    responses((status = 200, description = "The endpoint.", body = Endpoint, headers(("etag" = String)))))]
pub async fn get(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult {
    let e = webhooks::get(&state.db, &c.user, id).await?;
    Ok(tagged(StatusCode::OK, &e, &e))
}

/// Changes the fields sent (JSON Merge Patch); send `If-Match` with the `ETag` you read.
/// `enabled: true` re-enables an endpoint Tollgate disabled.
#[utoipa::path(patch, path = "/api/v1/webhooks/{id}", tag = "Webhooks", params(Id),
    request_body = EndpointForm,
    responses((status = 200, description = "Updated.", body = Endpoint, headers(("etag" = String)))))]
pub async fn update(
    c: Caller,
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let current = webhooks::get(&state.db, &c.user, id).await?;
    check_if_match(&headers, &current)?;
    let form = merge_form(&current.form(), body)?;
    webhooks::update(&state.db, &c.user, &state.outbound, id, &form).await?;
    let e = webhooks::get(&state.db, &c.user, id).await?;
    Ok(tagged(StatusCode::OK, &e, &e))
}

/// Removes an endpoint, with its deliveries and their log.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "Webhooks", params(Id),
    responses((status = 204, description = "Removed.")))]
pub async fn delete(
    c: Caller,
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult {
    let current = webhooks::get(&state.db, &c.user, id).await?;
    check_if_match(&headers, &current)?;
    webhooks::delete(&state.db, &c.user, id).await?;
    Ok(no_content())
}

/// Gives the endpoint a new secret, in this answer only; the old one keeps signing beside it
/// for `overlap_hours` (24 unless sent), so receivers switch without missing a delivery.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/rotate-secret", tag = "Webhooks", params(Id),
    request_body = RotationForm,
    responses((status = 200, description = "Rotated; the endpoint and its new secret.", body = NewSecret)))]
pub async fn rotate(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let form = merge_form(&RotationForm::default(), body)?;
    let made = webhooks::rotate(&state.db, &c.user, id, &form.overlap_hours).await?;
    Ok(json(StatusCode::OK, &made))
}

/// Sends a `test` event to the endpoint now; its attempt appears in the deliveries.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/test", tag = "Webhooks", params(Id),
    responses((status = 202, description = "Queued for delivery.", body = Queued)))]
pub async fn test(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult {
    webhooks::send_test(&state.db, &c.user, id).await?;
    Ok(json(StatusCode::ACCEPTED, &Queued { queued: true }))
}

/// One page of the endpoint's delivery attempts (25 a page), newest first.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", tag = "Webhooks", params(Id, PageQuery),
    responses((status = 200, description = "One page of attempts.", body = Vec<Attempt>,
        headers(("link" = String, description = "first, prev, next and last pages"),
                ("x-total-count" = u64, description = "attempts in all")))))]
pub async fn deliveries(
    c: Caller,
    State(state): State<AppState>,
    uri: Uri,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult {
    let view = webhooks::view(&state.db, &c.user, id, query.page.as_deref().unwrap_or("")).await?;
    let found = view.attempts;
    Ok(paged(
        &found.items,
        &uri.to_string(),
        found.page,
        found.pages,
        found.total,
    ))
}

/// Sends a delivery again now (409 while an attempt at it is under way).
#[utoipa::path(post, path = "/api/v1/deliveries/{id}/retry", tag = "Webhooks", params(Id),
    responses((status = 202, description = "Queued for delivery.", body = Queued)))]
pub async fn retry(
    c: Caller,
    State(state): State<AppState>,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult {
    webhooks::retry(&state.db, &c.user, id).await?;
    Ok(json(StatusCode::ACCEPTED, &Queued { queued: true }))
}

/// The OpenAPI document's `webhooks`: one operation per event type of the catalogue, the
/// POST Tollgate sends, its body the event's envelope with its own `data`.
pub fn catalogue() -> utoipa::openapi::Paths {
    use app::outbox::EventType;
    use app::outbox::catalogue::Kind;
    use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem};
    use utoipa::openapi::request_body::RequestBodyBuilder;
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, SchemaType, Type};
    use utoipa::openapi::{ContentBuilder, PathsBuilder, Required, ResponseBuilder};

    let text = |d: &str| {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(d))
    };
    let time = |d: &str| text(d).format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)));
    let mut paths = PathsBuilder::new();
    for t in EventType::ALL {
        let mut data = ObjectBuilder::new().schema_type(Type::Object);
        for f in t.fields() {
            let field = match f.kind {
                Kind::Text => text(f.description),
                Kind::MaybeText => text(f.description)
                    .schema_type(SchemaType::from_iter([Type::String, Type::Null])),
                Kind::Integer => ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .description(Some(f.description)),
                Kind::Time => time(f.description),
                Kind::Day => {
                    text(f.description).format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
                }
            };
            data = data.property(f.name, field).required(f.name);
        }
        let integration = ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::Object, Type::Null]))
            .description(Some("The integration it is about, if any."))
            .property("id", ObjectBuilder::new().schema_type(Type::Integer))
            .property("slug", ObjectBuilder::new().schema_type(Type::String))
            .property("name", ObjectBuilder::new().schema_type(Type::String));
        let envelope = ObjectBuilder::new()
            .schema_type(Type::Object)
            .property(
                "type",
                text("The event type.").enum_values(Some([t.as_str()])),
            )
            .property(
                "version",
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .enum_values(Some([t.version()]))
                    .description(Some(
                        "The payload's version; raised by a change that could break a receiver.",
                    )),
            )
            .property(
                "id",
                text("The event's id, also sent as `webhook-id`: the same on every attempt."),
            )
            .property(
                "timestamp",
                time("When this attempt was signed (`webhook-timestamp`)."),
            )
            .property("occurred_at", time("When it happened."))
            .property("integration", integration)
            .property("title", text("One line a person reads."))
            .property("link", text("Where in Tollgate to act on it."))
            .property("data", data);
        let envelope = [
            "type",
            "version",
            "id",
            "timestamp",
            "occurred_at",
            "integration",
            "title",
            "link",
            "data",
        ]
        .into_iter()
        .fold(envelope, ObjectBuilder::required);
        let operation = OperationBuilder::new()
            .summary(Some(t.label()))
            .operation_id(Some(t.as_str()))
            .tag("Webhooks")
            .description(Some(
                "Sent as a POST with `webhook-id`, `webhook-timestamp` and `webhook-signature` (Standard Webhooks: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body` with the endpoint's secret; two signatures during a rotation). Answer 2xx within 10 seconds; anything else is retried (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, with jitter; `Retry-After` on 429 and 503 is honoured).",
            ))
            .request_body(Some(
                RequestBodyBuilder::new()
                    .required(Some(Required::True))
                    .content(
                        "application/json",
                        ContentBuilder::new().schema(Some(envelope)).build(),
                    )
                    .build(),
            ))
            .response(
                "200",
                ResponseBuilder::new()
                    .description("Any 2xx: received.")
                    .build(),
            );
        paths = paths.path(t.as_str(), PathItem::new(HttpMethod::Post, operation));
    }
    paths.build()
}
