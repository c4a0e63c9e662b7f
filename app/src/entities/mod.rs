//! (ssr) SeaORM entities, one file per table. They never cross the wire: services map them to
//! the types in each domain's `model.rs`.

pub mod action_items;
pub mod activity;
pub mod api_specs;
pub mod api_tokens;
pub mod checklist_items;
pub mod credential_grants;
pub mod credential_refs;
pub mod defects;
pub mod environments;
pub mod integrations;
pub mod login_failures;
pub mod maintenance_items;
pub mod mapping_reviews;
pub mod mapping_rows;
pub mod meetings;
pub mod milestones;
pub mod needs_assessments;
pub mod notifications;
pub mod objectives;
pub mod plans;
pub mod sessions;
pub mod signoffs;
pub mod spec_operation_uses;
pub mod spec_operations;
pub mod spec_versions;
pub mod stage_transitions;
pub mod test_cases;
pub mod test_executions;
pub mod test_plans;
pub mod test_runs;
pub mod users;
pub mod vendor_candidates;
pub mod vendor_criteria;
pub mod vendor_scores;
pub mod vendor_selections;
