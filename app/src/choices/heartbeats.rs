//! The closed sets of values the heartbeats room stores.

crate::choice_enum! {
    /// What a heartbeat monitor last concluded about its job.
    HeartbeatState {
        New => ("new", "Waiting for the first run"),
        Up => ("up", "Up"),
        Running => ("running", "Running"),
        Down => ("down", "Down"),
    }
}

crate::choice_enum! {
    /// What a job's run reported: started, finished well, or failed.
    Ping {
        Start => ("start", "Started"),
        Ok => ("ok", "Finished"),
        Fail => ("fail", "Failed"),
    }
}
