//! Saved views as pages receive them.

use serde::{Deserialize, Serialize};

/// The pages a view can be saved for: (name, path).
pub const PAGES: &[(&str, &str)] = &[("dashboard", "/"), ("integrations", "/integrations")];

/// The path of page `name`.
pub fn path_of(page: &str) -> Option<&'static str> {
    PAGES.iter().find(|(n, _)| *n == page).map(|(_, p)| *p)
}

/// A saved view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedView {
    pub id: i32,
    pub page: String,
    pub name: String,
    /// The URL query, without the `?`.
    pub query: String,
}

impl SavedView {
    /// The link that reproduces the view.
    pub fn href(&self) -> String {
        let path = path_of(&self.page).unwrap_or("/");
        if self.query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", self.query)
        }
    }
}

/// The form that saves the current view, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedViewForm {
    pub page: String,
    pub name: String,
    pub query: String,
}
