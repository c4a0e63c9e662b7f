//! The closed sets of values the specs room stores.

crate::choice_enum! {
    /// How often a spec imported from a URL is fetched again.
    Refetch {
        Never => ("never", "Never"),
        Daily => ("daily", "Daily"),
        Weekly => ("weekly", "Weekly"),
    }
}
