//! The route table, and nothing else. Every page renders completely on the server before the
//! response starts (`SsrMode::Async`), so redirects and error statuses are real HTTP statuses.

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::auth::views::{AccountPage, LoginPage, SetupPage};
use crate::error::{AppError, ErrorTemplate};
use crate::integrations::views::{
    EditIntegrationPage, IntegrationDetailPage, IntegrationListPage, NewIntegrationPage,
};
use crate::users::views::UsersPage;

/// All pages.
#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
        <Router>
            <Routes fallback=|| view! { <main id="main"><ErrorTemplate error=AppError::NotFound/></main> }>
                <Route path=path!("/") view=|| view! { <Redirect path="/integrations"/> } ssr=SsrMode::Async/>
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/setup") view=SetupPage ssr=SsrMode::Async/>
                <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/users") view=UsersPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations") view=IntegrationListPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/new") view=NewIntegrationPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug") view=IntegrationDetailPage ssr=SsrMode::Async/>
                <Route path=path!("/integrations/:slug/edit") view=EditIntegrationPage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}
