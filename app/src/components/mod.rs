//! Cross-domain UI: the application shell and form fields.

pub mod forms;
pub mod layout;
