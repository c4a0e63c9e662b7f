//! The closed sets of values the events room stores.

crate::choice_enum! {
    /// How serious an event is, least first.
    EventLevel {
        Info => ("info", "Info"),
        Warning => ("warning", "Warning"),
        Error => ("error", "Error"),
    }
}

crate::choice_enum! {
    /// Where a group stands in triage.
    GroupStatus {
        Unresolved => ("unresolved", "Unresolved"),
        Resolved => ("resolved", "Resolved"),
        Ignored => ("ignored", "Ignored"),
    }
}
