//! The closed sets of values the outbox and the webhooks store.

crate::choice_enum! {
    /// What happened: the catalogue of events Tollgate sends (README, "Events"; the OpenAPI
    /// document's `webhooks`). The label says what the event means.
    EventType {
        IncidentOpened => ("incident.opened", "An incident was opened"),
        IncidentResolved => ("incident.resolved", "An incident was resolved"),
        ProbeDown => ("probe.down", "An environment's health check went down"),
        ProbeRecovered => ("probe.recovered", "An environment's health check came back up"),
        StageChanged => ("stage.changed", "An integration moved to another stage"),
        GateOverridden => ("gate.overridden", "An admin moved an integration past a closed gate"),
        PlanSubmitted => ("plan.submitted", "A plan was submitted for review"),
        PlanApproved => ("plan.approved", "A plan was approved"),
        SignoffRecorded => ("signoff.recorded", "QA signed off a test plan"),
        SignoffSuperseded => ("signoff.superseded", "A sign-off no longer holds: the plan or its results changed"),
        SpecBreakingChange => ("spec.breaking_change", "A provider's API change breaks an operation the integration uses"),
        CredentialRotationDue => ("credential.rotation_due", "A credential is due for rotation"),
        CertificateExpiring => ("certificate.expiring", "A provider's TLS certificate expires soon"),
        MilestoneOverdue => ("milestone.overdue", "A milestone passed its due day unfinished"),
        AuditFindingOpened => ("audit.finding_opened", "An audit found something to fix"),
        DigestWeekly => ("digest.weekly", "The weekly progress digest"),
        Test => ("test", "A test event, sent by hand to check an endpoint"),
    }
}

crate::choice_enum! {
    /// Where one event's delivery to one endpoint stands.
    DeliveryState {
        Pending => ("pending", "Waiting for its next attempt"),
        Delivered => ("delivered", "Delivered"),
        Failed => ("failed", "Failed after its last attempt"),
    }
}

crate::choice_enum! {
    /// What an endpoint speaks.
    EndpointFormat {
        Standard => ("standard", "Standard Webhooks: signed JSON for your own receiver"),
        Slack => ("slack", "Slack-compatible: a readable message for Slack, Mattermost, Rocket.Chat or Discord's /slack address"),
    }
}
