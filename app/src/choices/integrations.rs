//! The closed sets of values the integrations room stores.

crate::choice_enum! {
    /// What kind of API an integration is.
    Category {
        Payments => ("payments", "Payments"),
        IdentityVerification => ("identity_verification", "Identity verification"),
        Geolocation => ("geolocation", "Geolocation"),
        Authentication => ("authentication", "Authentication"),
        DataEnrichment => ("data_enrichment", "Data enrichment"),
        Messaging => ("messaging", "Messaging"),
        Other => ("other", "Other"),
    }
}

crate::choice_enum! {
    /// How much the business needs it.
    Priority {
        Low => ("low", "Low"),
        Medium => ("medium", "Medium"),
        High => ("high", "High"),
        Critical => ("critical", "Critical"),
    }
}

crate::choice_enum! {
    /// Where an integration is in its lifecycle.
    Stage {
        Planning => ("planning", "Planning"),
        Implementation => ("implementation", "Implementation"),
        Testing => ("testing", "Testing"),
        Live => ("live", "Live"),
        Retired => ("retired", "Retired"),
        OnHold => ("on_hold", "On hold"),
    }
}
