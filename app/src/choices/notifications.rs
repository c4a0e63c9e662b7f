//! The closed sets of values the notifications room stores.

crate::choice_enum! {
    /// What a notification is about; each user chooses which kinds they get, on which
    /// channel. Every event type of the catalogue that tells people something is a kind (see
    /// [`Kind::of_event`]), in the order the preferences table lists them.
    Kind {
        EnvironmentDown => ("environment_down", "An environment went down"),
        EnvironmentUp => ("environment_up", "An environment came back up"),
        IncidentOpened => ("incident_opened", "An incident was opened"),
        IncidentResolved => ("incident_resolved", "An incident was resolved"),
        CertificateExpiring => ("certificate_expiring", "A provider's TLS certificate expires soon"),
        ErrorRegression => ("error_regression", "A resolved error came back"),
        StageChanged => ("stage_changed", "An integration moved to another stage"),
        GateOverridden => ("gate_overridden", "An admin moved an integration past a closed gate"),
        PlanSubmitted => ("plan_submitted", "A plan was submitted for review"),
        PlanApproved => ("plan_approved", "A plan was approved"),
        MilestoneOverdue => ("milestone_overdue", "A milestone passed its due day unfinished"),
        WeeklyDigest => ("weekly_digest", "The weekly digest of the integrations you follow"),
        SignoffRecorded => ("signoff_recorded", "QA signed off a test plan"),
        SignoffSuperseded => ("signoff_superseded", "A sign-off no longer holds"),
        SpecBreaking => ("spec_breaking", "A provider's API change breaks a used operation"),
        CredentialRotationDue => ("credential_rotation_due", "A credential is due for rotation"),
        AuditFindingOpened => ("audit_finding_opened", "An audit found something to fix"),
        WebhookDisabled => ("webhook_disabled", "A webhook endpoint you added was disabled after failing for days"),
    }
}

impl Kind {
    /// The kind that tells people of events of `event_type`; none for the test event.
    pub fn of_event(event_type: crate::choices::webhooks::EventType) -> Option<Kind> {
        use crate::choices::webhooks::EventType as E;
        Some(match event_type {
            E::IncidentOpened => Kind::IncidentOpened,
            E::IncidentResolved => Kind::IncidentResolved,
            E::ProbeDown => Kind::EnvironmentDown,
            E::ProbeRecovered => Kind::EnvironmentUp,
            E::StageChanged => Kind::StageChanged,
            E::GateOverridden => Kind::GateOverridden,
            E::PlanSubmitted => Kind::PlanSubmitted,
            E::PlanApproved => Kind::PlanApproved,
            E::SignoffRecorded => Kind::SignoffRecorded,
            E::SignoffSuperseded => Kind::SignoffSuperseded,
            E::SpecBreakingChange => Kind::SpecBreaking,
            E::CredentialRotationDue => Kind::CredentialRotationDue,
            E::CertificateExpiring => Kind::CertificateExpiring,
            E::MilestoneOverdue => Kind::MilestoneOverdue,
            E::AuditFindingOpened => Kind::AuditFindingOpened,
            E::DigestWeekly => Kind::WeeklyDigest,
            E::Test => return None,
        })
    }

    /// Whether people hear of this kind's events from the outbox (told to the integration's
    /// owner and followers as the event is handed on), rather than from the room that
    /// notices it (outages, incidents, certificates and breaking changes are told to
    /// everyone at once, with more to say; the weekly digest is written per reader).
    pub fn told_from_outbox(self) -> bool {
        matches!(
            self,
            Kind::StageChanged
                | Kind::GateOverridden
                | Kind::PlanSubmitted
                | Kind::PlanApproved
                | Kind::MilestoneOverdue
                | Kind::SignoffRecorded
                | Kind::SignoffSuperseded
                | Kind::CredentialRotationDue
                | Kind::AuditFindingOpened
        )
    }

    /// The heading it is listed under in the preferences table.
    pub fn group(self) -> &'static str {
        match self {
            Kind::EnvironmentDown
            | Kind::EnvironmentUp
            | Kind::IncidentOpened
            | Kind::IncidentResolved
            | Kind::CertificateExpiring
            | Kind::ErrorRegression => "Outages and incidents",
            Kind::StageChanged
            | Kind::GateOverridden
            | Kind::PlanSubmitted
            | Kind::PlanApproved
            | Kind::MilestoneOverdue
            | Kind::WeeklyDigest => "Progress",
            Kind::SignoffRecorded | Kind::SignoffSuperseded => "Testing",
            Kind::SpecBreaking
            | Kind::CredentialRotationDue
            | Kind::AuditFindingOpened
            | Kind::WebhookDisabled => "Maintenance",
        }
    }
}

crate::choice_enum! {
    /// Where notifications are delivered. Each channel is one module of
    /// `notifications::channels`.
    Channel {
        InApp => ("in_app", "In Tollgate"),
        Email => ("email", "By email"),
    }
}

crate::choice_enum! {
    /// Where one queued email stands.
    MailState {
        Pending => ("pending", "Waiting to be sent"),
        Held => ("held", "Held for the daily digest"),
        Sent => ("sent", "Sent"),
        Failed => ("failed", "Failed after its last attempt"),
    }
}
