//! The closed sets of values the testing room stores.

crate::choice_enum! {
    /// What a case tests. Compatibility cases run once per chosen configuration.
    CaseCategory {
        Functional => ("functional", "Functional"),
        Performance => ("performance", "Performance"),
        Security => ("security", "Security"),
        Compatibility => ("compatibility", "Compatibility"),
    }
}

crate::choice_enum! {
    /// The result of one execution.
    ExecutionStatus {
        Untested => ("untested", "Untested"),
        Passed => ("passed", "Passed"),
        Failed => ("failed", "Failed"),
        Blocked => ("blocked", "Blocked"),
        Skipped => ("skipped", "Skipped"),
    }
}

crate::choice_enum! {
    /// How bad a defect is.
    Severity {
        Critical => ("critical", "Critical"),
        Major => ("major", "Major"),
        Minor => ("minor", "Minor"),
        Trivial => ("trivial", "Trivial"),
    }
}

crate::choice_enum! {
    /// Where a defect stands. A fixed defect is verified by re-running its execution.
    DefectStatus {
        Open => ("open", "Open"),
        InProgress => ("in_progress", "In progress"),
        Fixed => ("fixed", "Fixed"),
        Verified => ("verified", "Verified"),
        Closed => ("closed", "Closed"),
    }
}
