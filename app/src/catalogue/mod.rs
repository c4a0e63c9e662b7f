//! The integrations catalogue as pages: the list with its saved views, an integration's page,
//! which gathers the panels of the rooms below it (state, stage and gate, overview, newest
//! history), its paginated history, and the create and edit forms. The records and their rules
//! are `integrations`'s.

pub mod form_views;
pub mod history_views;
pub mod views;
