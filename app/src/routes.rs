//! The route table, and nothing else. Every page renders completely on the server before the
//! response starts (`SsrMode::Async`), so redirects and error statuses are real HTTP statuses.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::auth::views::{AccountPage, LoginPage, SetupPage};
use crate::error::{AppError, ErrorTemplate};
use crate::integrations::views::{
    EditIntegrationPage, IntegrationDetailPage, IntegrationListPage, NewIntegrationPage,
};
use crate::planning::views::{
    MeetingsPage, MilestonesPage, MyActionItemsPage, NeedsPage, ObjectivesPage, PlanComparePage,
    PlanPage, PortfolioTimelinePage, VendorsPage,
};
use crate::users::views::UsersPage;

/// All pages.
#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
        <Router>
            <Routes fallback=|| view! { <main id="main"><ErrorTemplate error=AppError::NotFound/></main> }>
                <Route path=path!("/") view=crate::dashboard::views::DashboardPage ssr=SsrMode::Async/>
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/setup") view=SetupPage ssr=SsrMode::Async/>
                <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/users") view=UsersPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations") view=IntegrationListPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/new") view=NewIntegrationPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug") view=IntegrationDetailPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/edit") view=EditIntegrationPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/report") view=crate::overview::views::StatusReportPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/review") view=crate::overview::views::ReviewPageView ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/planning") view=NeedsPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/planning/needs") view=NeedsPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/planning/objectives") view=ObjectivesPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/planning/vendors") view=VendorsPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/planning/plan") view=PlanPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/planning/plan/compare") view=PlanComparePage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/planning/milestones") view=MilestonesPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/planning/meetings") view=MeetingsPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/environments") view=crate::implementation::views::EnvironmentsPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/credentials") view=crate::implementation::credential_views::CredentialsPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/mapping") view=crate::implementation::mapping_views::DataMappingPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/checklists") view=crate::implementation::checklist_views::ChecklistsPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/testing") view=crate::testing::plan_views::TestingPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/runs/:id") view=crate::testing::run_views::TestRunPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/runs/:id/report") view=crate::testing::report_views::RunReportPage ssr=SsrMode::Async/>
                <Route path=path!("/timeline") view=PortfolioTimelinePage ssr=SsrMode::Async/>
                <Route path=path!("/my/actions") view=MyActionItemsPage ssr=SsrMode::Async/>
                <Route path=path!("/notifications") view=crate::notifications::views::NotificationsPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/errors") view=crate::events::views::ErrorsPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/health") view=crate::monitoring::views::HealthPage ssr=SsrMode::Async/>
                <Route path=path!("/incidents/:id") view=crate::monitoring::views::IncidentPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/provider") view=crate::provider::views::ProviderPageView ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/audits") view=crate::audits::views::AuditsPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/specs") view=crate::specs::views::SpecsPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/specs/:spec") view=crate::specs::views::CatalogueView ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/specs/:spec/changes") view=crate::specs::change_views::ChangesView ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}
