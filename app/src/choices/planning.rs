//! The closed sets of values the planning room stores.

crate::choice_enum! {
    /// Where a plan version is in review.
    PlanState {
        Draft => ("draft", "Draft"),
        InReview => ("in_review", "In review"),
        Approved => ("approved", "Approved"),
        ChangesRequested => ("changes_requested", "Changes requested"),
    }
}

crate::choice_enum! {
    /// A milestone's progress.
    MilestoneStatus {
        NotStarted => ("not_started", "Not started"),
        InProgress => ("in_progress", "In progress"),
        Done => ("done", "Done"),
        Blocked => ("blocked", "Blocked"),
    }
}
