//! The gate every server function passes before its arguments are read: the action each one
//! needs ([`SERVER_FNS`]), checked against the permission table
//! ([`app::auth::access`]). A server function missing from the list is refused, so a new one
//! cannot be reached until it is given an action (and the authorisation matrix test names it).

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use app::auth::access::Action;
use app::error::AppError;
use app::state::AppState;

/// Where server functions are served.
pub const SERVER_FN_PREFIX: &str = "/api/";

/// Every server function's endpoint and the action it needs.
pub const SERVER_FNS: &[(&str, Action)] = &[
    // Signing in and the account
    ("current_user", Action::Public),
    ("needs_setup", Action::Public),
    ("setup", Action::Public),
    ("login", Action::Public),
    ("logout", Action::Public),
    ("my_sessions", Action::Account),
    ("end_other_sessions", Action::Account),
    ("change_password", Action::Account),
    ("list_tokens", Action::Account),
    ("create_token", Action::Account),
    ("revoke_token", Action::Account),
    ("unread_notifications", Action::Account),
    ("get_notifications", Action::Account),
    ("mark_notifications_read", Action::Account),
    ("get_notification_preferences", Action::Account),
    ("save_notification_preferences", Action::Account),
    ("get_weekly_digest", Action::Account),
    ("get_follow", Action::Account),
    ("set_following", Action::Account),
    ("get_saved_views", Action::Account),
    ("save_view", Action::Account),
    ("delete_view", Action::Account),
    // People
    ("list_users", Action::Administer),
    ("create_user", Action::Administer),
    ("change_role", Action::Administer),
    ("end_user_sessions", Action::Administer),
    ("set_user_active", Action::Administer),
    ("user_choices", Action::Read),
    // Integrations, the dashboard and the lifecycle
    ("get_dashboard", Action::Read),
    ("list_integrations", Action::Read),
    ("get_integration", Action::Read),
    ("create_integration", Action::EditIntegrations),
    ("update_integration", Action::EditIntegrations),
    ("delete_integration", Action::EditIntegrations),
    ("get_overview", Action::Read),
    ("get_needs_me", Action::Read),
    ("needs_count", Action::Read),
    ("search_records", Action::Read),
    ("list_history", Action::Read),
    ("get_review", Action::Read),
    ("save_review", Action::EditIntegrations),
    ("get_lifecycle", Action::Read),
    ("move_stage", Action::MoveStage),
    // Planning
    ("get_needs", Action::Read),
    ("save_needs", Action::Plan),
    ("get_objectives", Action::Read),
    ("create_objective", Action::Plan),
    ("update_objective", Action::Plan),
    ("delete_objective", Action::Plan),
    ("get_vendors", Action::Read),
    ("add_candidate", Action::Plan),
    ("update_candidate", Action::Plan),
    ("delete_candidate", Action::Plan),
    ("add_criterion", Action::Plan),
    ("set_weights", Action::Plan),
    ("score_candidate", Action::Plan),
    ("select_vendor", Action::Plan),
    ("get_plan", Action::Read),
    ("save_plan", Action::Plan),
    ("submit_plan", Action::Plan),
    ("review_plan", Action::ReviewPlan),
    ("compare_plan", Action::Read),
    ("get_milestones", Action::Read),
    ("get_timeline", Action::Read),
    ("create_milestone", Action::Plan),
    ("update_milestone", Action::WorkAssigned),
    ("delete_milestone", Action::Plan),
    ("apply_template", Action::Plan),
    ("get_meetings", Action::Read),
    ("create_meeting", Action::Plan),
    ("update_meeting", Action::Plan),
    ("delete_meeting", Action::Plan),
    ("add_action_item", Action::Plan),
    ("set_action_item_done", Action::WorkAssigned),
    ("my_action_items", Action::Read),
    ("get_audit_page", Action::Read),
    ("create_audit", Action::Plan),
    ("update_audit", Action::Plan),
    ("delete_audit", Action::Plan),
    ("record_audit_run", Action::Audit),
    ("add_audit_finding", Action::Audit),
    ("resolve_audit_finding", Action::Audit),
    // Building
    ("get_environments", Action::Read),
    ("create_environment", Action::Build),
    ("update_environment", Action::Build),
    ("delete_environment", Action::Build),
    ("get_credentials", Action::ReadCredentials),
    ("create_credential", Action::Build),
    ("update_credential", Action::Build),
    ("rotate_credential", Action::Build),
    ("delete_credential", Action::Build),
    ("grant_access", Action::Grant),
    ("revoke_access", Action::Grant),
    ("get_mapping", Action::Read),
    ("create_mapping_row", Action::Build),
    ("update_mapping_row", Action::Build),
    ("delete_mapping_row", Action::Build),
    ("review_mapping", Action::Build),
    ("get_checklists", Action::Read),
    ("create_checklist_item", Action::Build),
    ("update_checklist_item", Action::Build),
    ("delete_checklist_item", Action::Build),
    ("apply_checklist_template", Action::Build),
    ("get_provider_page", Action::Read),
    ("add_provider_contact", Action::Build),
    ("delete_provider_contact", Action::Build),
    ("add_support_ticket", Action::Build),
    ("update_support_ticket", Action::Build),
    ("add_feedback", Action::Report),
    ("set_feedback_status", Action::Build),
    ("get_specs", Action::Read),
    ("get_spec_catalogue", Action::Read),
    ("get_spec_changes", Action::Read),
    ("get_response_pointers", Action::Read),
    ("mark_operation_used", Action::EditSpecs),
    ("unmark_operation", Action::EditSpecs),
    ("import_spec_url", Action::EditSpecs),
    ("close_maintenance_item", Action::EditSpecs),
    // Testing
    ("get_testing", Action::Read),
    ("save_test_plan", Action::WriteTests),
    ("apply_test_template", Action::WriteTests),
    ("save_test_case", Action::WriteTests),
    ("delete_test_case", Action::WriteTests),
    ("create_test_run", Action::WriteTests),
    ("get_test_run", Action::Read),
    ("record_test_result", Action::RecordResults),
    ("sign_off_test_run", Action::WriteTests),
    ("file_defect", Action::WriteTests),
    ("update_defect", Action::RecordResults),
    ("delete_defect", Action::WriteTests),
    // Running
    ("get_health", Action::Read),
    ("get_incident", Action::Read),
    ("create_incident", Action::Build),
    ("update_incident", Action::Build),
    ("schedule_maintenance", Action::Build),
    ("cancel_maintenance", Action::Build),
    ("set_slo", Action::Build),
    ("get_heartbeats", Action::Read),
    ("create_heartbeat", Action::Build),
    ("delete_heartbeat", Action::Build),
    ("get_observed_operations", Action::Read),
    ("get_error_groups", Action::Read),
    ("get_error_group", Action::Read),
    ("set_error_group_status", Action::Build),
    // Webhooks
    ("get_webhooks", Action::ManageWebhooks),
    ("get_webhook", Action::ManageWebhooks),
    ("update_webhook", Action::ManageWebhooks),
    ("delete_webhook", Action::ManageWebhooks),
    ("send_test_webhook", Action::ManageWebhooks),
    ("retry_delivery", Action::ManageWebhooks),
];

/// The action the server function at `path` needs; `None` for a path that is no server
/// function's and for one missing from [`SERVER_FNS`] (told apart by the registry).
pub fn server_fn_action(path: &str) -> Option<Action> {
    static BY_PATH: LazyLock<HashMap<String, Action>> = LazyLock::new(|| {
        SERVER_FNS
            .iter()
            .map(|(name, action)| (format!("{SERVER_FN_PREFIX}{name}"), *action))
            .collect()
    });
    BY_PATH.get(path).copied()
}

/// Whether `path` is a registered server function's.
fn is_server_fn(path: &str) -> bool {
    static PATHS: LazyLock<std::collections::HashSet<&'static str>> = LazyLock::new(|| {
        leptos::server_fn::axum::server_fn_paths()
            .map(|(p, _)| p)
            .collect()
    });
    PATHS.contains(path)
}

/// Checks a server function call against the table before its arguments are read.
pub async fn server_fns(
    State(state): State<AppState>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    if !path.starts_with(SERVER_FN_PREFIX) || path.starts_with("/api/v1/") {
        return next.run(req).await;
    }
    let action = match server_fn_action(path) {
        Some(action) => action,
        None if is_server_fn(path) => {
            tracing::error!(
                path,
                "a server function has no action in access::SERVER_FNS"
            );
            return refuse(&req, AppError::Forbidden);
        }
        None => return next.run(req).await,
    };
    if action == Action::Public {
        return next.run(req).await;
    }
    let user = match app::auth::session::user_of(&state.db, &session).await {
        Ok(user) => user,
        Err(err) => return refuse(&req, err),
    };
    match user {
        None => refuse(
            &req,
            AppError::Unauthorized("Please sign in first.".to_string()),
        ),
        Some(user) if !user.can(action) => refuse(&req, AppError::Forbidden),
        Some(user) => {
            // The function reads the user from here instead of loading it again.
            req.extensions_mut()
                .insert(app::auth::session::CheckedUser(user));
            next.run(req).await
        }
    }
}

/// The answer a server function gives for `err`: for a plain form post, back to the page
/// with the error in the address (as the function itself would); otherwise the error as
/// JSON with its status.
fn refuse(req: &Request, err: AppError) -> Response {
    let path = req.uri().path().to_string();
    let accepts_html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let referer = req
        .headers()
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok());
    if accepts_html
        && let Some(referer) = referer
        && let Ok(url) =
            leptos::server_fn::error::ServerFnUrlError::new(&path, err.clone()).to_url(referer)
        && let Ok(location) = HeaderValue::from_str(url.as_str())
    {
        return (StatusCode::FOUND, [(header::LOCATION, location)]).into_response();
    }
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::FORBIDDEN);
    let body = serde_json::to_vec(&err).unwrap_or_default();
    let mut res = Response::new(Body::from(body));
    *res.status_mut() = status;
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(value) = HeaderValue::from_str(&path) {
        res.headers_mut().insert("serverfnerror", value);
    }
    res
}
