//! The closed sets of values the provider room stores.

crate::choice_enum! {
    /// Where a support ticket stands.
    TicketStatus {
        Open => ("open", "Open"),
        WaitingOnProvider => ("waiting_on_provider", "Waiting on the provider"),
        WaitingOnUs => ("waiting_on_us", "Waiting on us"),
        Closed => ("closed", "Closed"),
    }
}

crate::choice_enum! {
    /// Where feedback came from.
    FeedbackSource {
        Support => ("support", "Support"),
        Survey => ("survey", "Survey"),
        AppReview => ("app_review", "App review"),
    }
}

crate::choice_enum! {
    /// What became of feedback.
    FeedbackStatus {
        New => ("new", "New"),
        Triaged => ("triaged", "Triaged"),
        Planned => ("planned", "Planned"),
        Done => ("done", "Done"),
        Declined => ("declined", "Declined"),
    }
}
