//! The route table, and nothing else. Every page renders completely on the server before the
//! response starts (`SsrMode::Async`), so redirects and error statuses are real HTTP statuses.
//!
//! The application runs in islands mode: pages render on the server only, and the browser
//! hydrates just the islands (`#[island]`), the few parts that react to typing or keys. Every
//! other form posts; `components::enhance` sends those posts with `fetch` when the WebAssembly
//! has loaded, so a refused one shows its messages without losing what was typed.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::error::{AppError, ErrorTemplate};

/// The cards the rooms above monitoring add to the health page.
const HEALTH_CARDS: &[crate::monitoring::views::HealthCard] =
    &[crate::heartbeats::views::card, crate::observed::views::card];

/// All pages.
#[component]
pub fn AppRoutes() -> impl IntoView {
    provide_context(crate::components::layout::NeedsCounter(|| {
        Box::pin(async { crate::needs::api::needs_count().await.unwrap_or(0) })
    }));
    view! {
        <Router>
            <Routes fallback=|| {
                view! {
                    <main id="main">
                        <ErrorTemplate error=AppError::NotFound />
                    </main>
                }
            }>
                <Route
                    path=path!("/")
                    view=crate::dashboard::views::DashboardPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/login")
                    view=crate::account::views::LoginPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/setup")
                    view=crate::account::views::SetupPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/account")
                    view=crate::account::views::AccountPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/settings/webhooks")
                    view=crate::webhooks::views::WebhooksPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/settings/webhooks/:id")
                    view=crate::webhooks::views::WebhookPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/admin/users")
                    view=crate::users::views::UsersPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations")
                    view=crate::catalogue::views::IntegrationListPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/new")
                    view=crate::catalogue::form_views::NewIntegrationPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug")
                    view=crate::catalogue::views::IntegrationDetailPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/history")
                    view=crate::catalogue::history_views::IntegrationHistoryPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/edit")
                    view=crate::catalogue::form_views::EditIntegrationPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/report")
                    view=crate::overview::views::StatusReportPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/review")
                    view=crate::overview::views::ReviewPageView
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/planning")
                    view=crate::planning::views::NeedsPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/planning/needs")
                    view=crate::planning::views::NeedsPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/planning/objectives")
                    view=crate::planning::views::ObjectivesPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/planning/vendors")
                    view=crate::planning::views::VendorsPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/planning/plan")
                    view=crate::planning::views::PlanPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/planning/plan/compare")
                    view=crate::planning::views::PlanComparePage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/planning/milestones")
                    view=crate::planning::views::MilestonesPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/planning/meetings")
                    view=crate::planning::views::MeetingsPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/environments")
                    view=crate::implementation::views::EnvironmentsPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/credentials")
                    view=crate::implementation::credential_views::CredentialsPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/mapping")
                    view=crate::implementation::mapping_views::DataMappingPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/checklists")
                    view=crate::implementation::checklist_views::ChecklistsPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/testing")
                    view=crate::testing::plan_views::TestingPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/runs/:id")
                    view=crate::testing::run_views::TestRunPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/runs/:id/report")
                    view=crate::testing::report_views::RunReportPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/timeline")
                    view=crate::planning::views::PortfolioTimelinePage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/my/actions")
                    view=crate::planning::views::MyActionItemsPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/needs")
                    view=crate::account::needs::NeedsMePage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/search")
                    view=crate::search::views::SearchPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/notifications")
                    view=crate::account::notifications::NotificationsPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/digest")
                    view=crate::weekly::views::DigestPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/errors")
                    view=crate::events::views::ErrorsPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/errors/:id")
                    view=crate::events::views::ErrorGroupPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/health")
                    view=|| {
                        view! { <crate::monitoring::views::HealthPage more=HEALTH_CARDS /> }
                    }
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/incidents/:id")
                    view=crate::monitoring::views::IncidentPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/provider")
                    view=crate::provider::views::ProviderPageView
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/audits")
                    view=crate::audits::views::AuditsPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/specs")
                    view=crate::specs::views::SpecsPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/specs/:spec")
                    view=crate::specs::catalogue_views::CatalogueView
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/integrations/:slug/specs/:spec/changes")
                    view=crate::specs::change_views::ChangesView
                    ssr=SsrMode::Async
                />
            </Routes>
        </Router>
    }
}
