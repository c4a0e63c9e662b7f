//! The route table, and nothing else. Every page renders completely on the server before the
//! response starts (`SsrMode::Async`), so redirects and error statuses are real HTTP statuses.
//!
//! Every page is a lazy route: built with `cargo leptos build --split`, its code is a WebAssembly
//! chunk of its own, fetched when the page is first shown, so a first visit downloads the shell
//! and the one page it opens rather than every page (the size budget of issue 9).

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, SsrMode, lazy_route, path};

use crate::error::{AppError, ErrorTemplate};

/// Sets `window.__tollgate_hydrated` once a page's code has loaded and hydrated: the browser tests
/// and the first-visit benchmark wait for it.
fn announce_hydrated() {
    #[cfg(feature = "hydrate")]
    {
        let window: wasm_bindgen::JsValue = window().into();
        let _ = js_sys::Reflect::set(&window, &"__tollgate_hydrated".into(), &true.into());
    }
}

/// One lazy route per page: a unit struct whose view renders the page.
macro_rules! lazy_pages {
    ($($route:ident => $page:path),* $(,)?) => {
        $(
            #[doc = concat!("The page `", stringify!($page), "`, loaded lazily.")]
            pub struct $route;

            #[lazy_route]
            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                fn view(this: Self) -> AnyView {
                    let _ = this;
                    Effect::new(announce_hydrated);
                    $page().into_any()
                }
            }
        )*
    };
}

lazy_pages! {
    DashboardRoute => crate::dashboard::views::DashboardPage,
    LoginRoute => crate::auth::views::LoginPage,
    SetupRoute => crate::auth::views::SetupPage,
    AccountRoute => crate::auth::views::AccountPage,
    UsersRoute => crate::users::views::UsersPage,
    IntegrationListRoute => crate::integrations::views::IntegrationListPage,
    NewIntegrationRoute => crate::integrations::views::NewIntegrationPage,
    IntegrationDetailRoute => crate::integrations::views::IntegrationDetailPage,
    EditIntegrationRoute => crate::integrations::views::EditIntegrationPage,
    StatusReportRoute => crate::overview::views::StatusReportPage,
    ReviewRoute => crate::overview::views::ReviewPageView,
    NeedsRoute => crate::planning::views::NeedsPage,
    ObjectivesRoute => crate::planning::views::ObjectivesPage,
    VendorsRoute => crate::planning::views::VendorsPage,
    PlanRoute => crate::planning::views::PlanPage,
    PlanCompareRoute => crate::planning::views::PlanComparePage,
    MilestonesRoute => crate::planning::views::MilestonesPage,
    MeetingsRoute => crate::planning::views::MeetingsPage,
    EnvironmentsRoute => crate::implementation::views::EnvironmentsPage,
    CredentialsRoute => crate::implementation::credential_views::CredentialsPage,
    DataMappingRoute => crate::implementation::mapping_views::DataMappingPage,
    ChecklistsRoute => crate::implementation::checklist_views::ChecklistsPage,
    TestingRoute => crate::testing::plan_views::TestingPage,
    TestRunRoute => crate::testing::run_views::TestRunPage,
    RunReportRoute => crate::testing::report_views::RunReportPage,
    PortfolioTimelineRoute => crate::planning::views::PortfolioTimelinePage,
    MyActionItemsRoute => crate::planning::views::MyActionItemsPage,
    NotificationsRoute => crate::notifications::views::NotificationsPage,
    ErrorsRoute => crate::events::views::ErrorsPage,
    HealthRoute => crate::monitoring::views::HealthPage,
    IncidentRoute => crate::monitoring::views::IncidentPage,
    ProviderRoute => crate::provider::views::ProviderPageView,
    AuditsRoute => crate::audits::views::AuditsPage,
    SpecsRoute => crate::specs::views::SpecsPage,
    CatalogueRoute => crate::specs::views::CatalogueView,
    ChangesRoute => crate::specs::change_views::ChangesView,
}

/// All pages.
#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
        <Router>
            <Routes fallback=|| view! { <main id="main"><ErrorTemplate error=AppError::NotFound/></main> }>
                <Route path=path!("/") view={Lazy::<DashboardRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/setup") view={Lazy::<SetupRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/admin/users") view={Lazy::<UsersRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations") view={Lazy::<IntegrationListRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/new") view={Lazy::<NewIntegrationRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug") view={Lazy::<IntegrationDetailRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/edit") view={Lazy::<EditIntegrationRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/report") view={Lazy::<StatusReportRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/review") view={Lazy::<ReviewRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/planning") view={Lazy::<NeedsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/planning/needs") view={Lazy::<NeedsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/planning/objectives") view={Lazy::<ObjectivesRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/planning/vendors") view={Lazy::<VendorsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/planning/plan") view={Lazy::<PlanRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/planning/plan/compare") view={Lazy::<PlanCompareRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/planning/milestones") view={Lazy::<MilestonesRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/planning/meetings") view={Lazy::<MeetingsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/environments") view={Lazy::<EnvironmentsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/credentials") view={Lazy::<CredentialsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/mapping") view={Lazy::<DataMappingRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/checklists") view={Lazy::<ChecklistsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/testing") view={Lazy::<TestingRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/runs/:id") view={Lazy::<TestRunRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/runs/:id/report") view={Lazy::<RunReportRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/timeline") view={Lazy::<PortfolioTimelineRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/my/actions") view={Lazy::<MyActionItemsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/notifications") view={Lazy::<NotificationsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/errors") view={Lazy::<ErrorsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/health") view={Lazy::<HealthRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/incidents/:id") view={Lazy::<IncidentRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/provider") view={Lazy::<ProviderRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/audits") view={Lazy::<AuditsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/specs") view={Lazy::<SpecsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/specs/:spec") view={Lazy::<CatalogueRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/specs/:spec/changes") view={Lazy::<ChangesRoute>::new()} ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}
