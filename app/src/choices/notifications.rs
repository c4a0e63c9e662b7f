//! The closed sets of values the notifications room stores.

crate::choice_enum! {
    /// What a notification is about; each user chooses which kinds they get.
    Kind {
        EnvironmentDown => ("environment_down", "An environment went down"),
        EnvironmentUp => ("environment_up", "An environment came back up"),
        IncidentOpened => ("incident_opened", "An incident was opened"),
        IncidentResolved => ("incident_resolved", "An incident was resolved"),
        CertificateExpiring => ("certificate_expiring", "A provider's TLS certificate expires soon"),
        ErrorRegression => ("error_regression", "A resolved error came back"),
        SpecBreaking => ("spec_breaking", "A provider's API change breaks a used operation"),
        WebhookDisabled => ("webhook_disabled", "A webhook endpoint you added was disabled after failing for days"),
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
