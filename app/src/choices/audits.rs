//! The closed sets of values the audits room stores.

crate::choice_enum! {
    /// How much a finding matters.
    FindingSeverity {
        Low => ("low", "Low"),
        Medium => ("medium", "Medium"),
        High => ("high", "High"),
    }
}
