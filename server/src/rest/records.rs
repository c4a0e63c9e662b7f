//! The shape shared by records that belong to an integration (objectives, milestones, vendor
//! candidates, meetings, environments): one macro writes their five handlers, so each kind
//! states only its paths, types and service functions. The invoking module imports what the
//! handlers use (`use super::*` inside the generated module).

/// The five handlers of a record that belongs to an integration: list and create under
/// `/integrations/{slug}/...`, read, merge-patch (with `If-Match`) and delete at `/.../{id}`.
/// `shown`, when given, completes a record for its caller before it is answered (and
/// before its `ETag` is compared).
/// Who may call each is the route's action (see [`super::Api::routes`]).
macro_rules! child_resource {
    (@list $list:path, $collection:literal, $tag:literal, $what:literal, $page:ty) => {
        #[doc = concat!("The ", $what, "s of an integration.")]
        #[utoipa::path(get, path = $collection, tag = $tag, params(Slug),
            responses((status = 200, description = "The list.", body = $page)))]
        pub async fn list(_: Caller, State(state): State<AppState>, ApiPath(Slug { slug }): ApiPath<Slug>) -> ApiResult {
            let page = $list(&state.db, &slug).await?;
            Ok(tagged(StatusCode::OK, &page, &page))
        }
    };
    (@list $list:path, $collection:literal, $tag:literal, $what:literal, $page:ty, $query:ty) => {
        #[doc = concat!("One page of the ", $what, "s of an integration.")]
        #[utoipa::path(get, path = $collection, tag = $tag, params(Slug, $query),
            responses((status = 200, description = "The page.", body = $page)))]
        pub async fn list(_: Caller, State(state): State<AppState>, ApiPath(Slug { slug }): ApiPath<Slug>, $crate::rest::ApiQuery(query): $crate::rest::ApiQuery<$query>) -> ApiResult {
            let page = $list(&state.db, &slug, &query).await?;
            Ok(tagged(StatusCode::OK, &page, &page))
        }
    };
    (@shown $state:ident, $caller:ident, $record:expr) => {{
        let _ = &$caller;
        $record
    }};
    (@shown $state:ident, $caller:ident, $record:expr, $shown:path) => {
        $shown(&$state, &$caller.user, $record).await?
    };
    (
        $module:ident, tag = $tag:literal, collection = $collection:literal, item = $item:literal,
        page = $page:ty, record = $record:ty, form = $form:ty,
        list = $list:path $(, list_query = $list_query:ty)?, create = $create:path, created_id = $created_id:expr,
        get = $get:path $(, shown = $shown:path)?, update = $update:path, delete = $delete:path,
        what = $what:literal, editors = $editors:literal
    ) => {
        pub mod $module {
            use super::*;

            $crate::rest::records::child_resource!(@list $list, $collection, $tag, $what, $page $(, $list_query)?);

            #[doc = concat!("Adds a ", $what, " (", $editors, ").")]
            #[utoipa::path(post, path = $collection, tag = $tag, params(Slug), request_body = $form,
                responses((status = 201, description = "Created.", body = $record, headers(("etag" = String)))))]
            pub async fn create(c: Caller, State(state): State<AppState>, ApiPath(Slug { slug }): ApiPath<Slug>, ApiJson(body): ApiJson<Value>) -> ApiResult {
                let form = merge_form(&<$form>::default(), body)?;
                let integration = app::integrations::lookup::integration(&state.db, &slug).await?;
                let created = $create(&state.db, &c.user, integration.id, &form).await?;
                let record = $get(&state.db, ($created_id)(created)).await?;
                let record = $crate::rest::records::child_resource!(@shown state, c, record $(, $shown)?);
                Ok(tagged(StatusCode::CREATED, &record, &record))
            }

            #[doc = concat!("One ", $what, ".")]
            #[utoipa::path(get, path = $item, tag = $tag, params(Id),
                responses((status = 200, description = "The record.", body = $record, headers(("etag" = String)))))]
            pub async fn get(c: Caller, State(state): State<AppState>, ApiPath(Id { id }): ApiPath<Id>) -> ApiResult {
                let record = $get(&state.db, id).await?;
                let record = $crate::rest::records::child_resource!(@shown state, c, record $(, $shown)?);
                Ok(tagged(StatusCode::OK, &record, &record))
            }

            #[doc = concat!("Changes the fields sent of a ", $what, " (JSON Merge Patch; ", $editors, "); send `If-Match` with the `ETag` you read.")]
            #[utoipa::path(patch, path = $item, tag = $tag, params(Id), request_body = $form,
                responses((status = 200, description = "Updated.", body = $record, headers(("etag" = String)))))]
            pub async fn update(c: Caller, State(state): State<AppState>, headers: HeaderMap, ApiPath(Id { id }): ApiPath<Id>, ApiJson(body): ApiJson<Value>) -> ApiResult {
                let current = $get(&state.db, id).await?;
                let current = $crate::rest::records::child_resource!(@shown state, c, current $(, $shown)?);
                check_if_match(&headers, &current)?;
                let form = merge_form(&current.form(), body)?;
                $update(&state.db, &c.user, id, &form).await?;
                let record = $get(&state.db, id).await?;
                let record = $crate::rest::records::child_resource!(@shown state, c, record $(, $shown)?);
                Ok(tagged(StatusCode::OK, &record, &record))
            }

            #[doc = concat!("Deletes a ", $what, " (", $editors, ").")]
            #[utoipa::path(delete, path = $item, tag = $tag, params(Id),
                responses((status = 204, description = "Deleted.")))]
            pub async fn delete(c: Caller, State(state): State<AppState>, headers: HeaderMap, ApiPath(Id { id }): ApiPath<Id>) -> ApiResult {
                let current = $get(&state.db, id).await?;
                let current = $crate::rest::records::child_resource!(@shown state, c, current $(, $shown)?);
                check_if_match(&headers, &current)?;
                $delete(&state.db, &c.user, id).await?;
                Ok(no_content())
            }
        }
    };
}

pub(crate) use child_resource;

/// `created_id` for services whose create returns the new id itself.
pub fn same<T>(id: T) -> T {
    id
}
