//! The kinds of record search finds, stored by name in `search_docs.kind` (kept by the
//! triggers of migration `m20261214_000001_search`).

crate::choice_enum! {
    /// A kind of searchable record; the label heads its group of results.
    RecordKind {
        Integration => ("integration", "Integrations"),
        Objective => ("objective", "Objectives"),
        Vendor => ("vendor", "Vendor candidates"),
        Plan => ("plan", "Plans"),
        Milestone => ("milestone", "Milestones"),
        Meeting => ("meeting", "Meetings"),
        Action => ("action", "Action items"),
        Environment => ("environment", "Environments"),
        Credential => ("credential", "Credential references"),
        TestCase => ("test_case", "Test cases"),
        Defect => ("defect", "Defects"),
        Incident => ("incident", "Incidents"),
        ErrorGroup => ("error_group", "Error groups"),
        Ticket => ("ticket", "Support tickets"),
        Feedback => ("feedback", "Feedback"),
        Operation => ("operation", "API operations"),
        Finding => ("finding", "Audit findings"),
    }
}
