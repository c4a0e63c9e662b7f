//! The closed sets of values the monitoring room stores.

crate::choice_enum! {
    /// Why a check failed.
    ErrorClass {
        Dns => ("dns", "Name not resolved"),
        Blocked => ("blocked", "Refused by the outbound guard"),
        Connect => ("connect", "Could not connect"),
        Timeout => ("timeout", "Timed out"),
        Tls => ("tls", "TLS failure"),
        Status => ("status", "Unexpected status"),
        Assertion => ("assertion", "Body assertion failed"),
        RateLimited => ("rate_limited", "Held back by the rate limit"),
    }
}

crate::choice_enum! {
    /// Where an incident stands.
    IncidentStatus {
        Open => ("open", "Open"),
        Investigating => ("investigating", "Investigating"),
        Identified => ("identified", "Identified"),
        Monitoring => ("monitoring", "Monitoring"),
        Resolved => ("resolved", "Resolved"),
    }
}

crate::choice_enum! {
    /// How bad an incident is.
    IncidentSeverity {
        Critical => ("critical", "Critical"),
        Major => ("major", "Major"),
        Minor => ("minor", "Minor"),
    }
}

crate::choice_enum! {
    /// What the monitor last concluded about an environment.
    MonitorState {
        Unknown => ("unknown", "Not checked yet"),
        Up => ("up", "Up"),
        Down => ("down", "Down"),
    }
}
