//! (ssr) The event catalogue: for each event type, its version and the fields of its `data`,
//! from which the OpenAPI document's `webhooks` and the README's table are made. Every payload
//! is the same envelope:
//!
//! ```json
//! {"type": "probe.down", "version": 1, "id": "msg_…", "timestamp": "2026-12-07T10:00:00Z",
//!  "integration": {"id": 3, "slug": "stripe-payments", "name": "Stripe payments"},
//!  "title": "Stripe payments: production is down", "link": "https://tollgate…/…",
//!  "data": {…}}
//! ```

use super::EventType;

/// The JSON type of a field of `data`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Integer,
    Time,
    Day,
    /// A text that may be null.
    MaybeText,
}

/// One field of an event's `data`.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub description: &'static str,
}

const fn f(name: &'static str, kind: Kind, description: &'static str) -> Field {
    Field {
        name,
        kind,
        description,
    }
}

const ENVIRONMENT: Field = f("environment", Kind::Text, "The environment's name.");
const INCIDENT: &[Field] = &[
    f("incident_id", Kind::Integer, "The incident's id."),
    f(
        "environment",
        Kind::MaybeText,
        "The environment's name, if the incident is on one.",
    ),
    f("summary", Kind::Text, "What happened, in a sentence."),
];
const PROBE: &[Field] = &[
    ENVIRONMENT,
    f("reason", Kind::Text, "What the last check saw."),
];
const PLAN: &[Field] = &[
    f("version", Kind::Integer, "The plan's version."),
    f("by", Kind::Text, "Who submitted or approved it."),
];
const SIGNED: &[Field] = &[
    f("run_id", Kind::Integer, "The test run's id."),
    f("run", Kind::Text, "The test run's name."),
    f("statement", Kind::Text, "What was signed off."),
    f("by", Kind::Text, "Who signed off."),
];
const SUPERSEDED: &[Field] = &[
    f("run_id", Kind::Integer, "The test run's id."),
    f("run", Kind::Text, "The test run's name."),
    f(
        "reason",
        Kind::Text,
        "What changed: a result, a required case, the provider's API.",
    ),
];

const STAGE: &[Field] = &[
    f("from", Kind::Text, "The stage it left."),
    f("to", Kind::Text, "The stage it is in now."),
    f("by", Kind::Text, "Who moved it."),
    f(
        "reason",
        Kind::MaybeText,
        "Why, when the move asks for a reason (a hold, a step back).",
    ),
];
const OVERRIDE: &[Field] = &[
    f("from", Kind::Text, "The stage it left."),
    f("to", Kind::Text, "The stage it is in now."),
    f("by", Kind::Text, "The admin who overrode the gate."),
    f("justification", Kind::Text, "Why, in their words."),
];
const SPEC: &[Field] = &[
    f("spec", Kind::Text, "The specification's name."),
    f(
        "version",
        Kind::Integer,
        "The number of the specification's version that brought the change.",
    ),
    f(
        "breaking_changes",
        Kind::Integer,
        "How many breaking changes touch operations the integration uses.",
    ),
    f(
        "used_operations",
        Kind::Integer,
        "How many of the operations it uses they break.",
    ),
];
const ROTATION: &[Field] = &[
    f("credential", Kind::Text, "The credential reference's name."),
    f("due_on", Kind::Day, "The day rotation is due."),
];
const CERTIFICATE: &[Field] = &[
    ENVIRONMENT,
    f("expires_at", Kind::Time, "When the certificate expires."),
    f(
        "days",
        Kind::Integer,
        "The warning's threshold in days (21, 14 or 7).",
    ),
];
const MILESTONE: &[Field] = &[
    f("milestone", Kind::Text, "The milestone's title."),
    f("due_on", Kind::Day, "The day it was due."),
];
const FINDING: &[Field] = &[
    f("audit", Kind::Text, "The audit's title."),
    f("summary", Kind::Text, "What was found."),
    f("severity", Kind::Text, "How serious it is."),
    f(
        "due_on",
        Kind::MaybeText,
        "When it should be fixed, if set.",
    ),
];
const DIGEST: &[Field] = &[
    f("week_of", Kind::Day, "The Monday the digest's week began."),
    f("summary", Kind::Text, "The digest as plain text."),
];
const TEST: &[Field] = &[f("by", Kind::Text, "Who sent it.")];

impl EventType {
    /// The version of this type's payload; a change that could break a receiver raises it.
    pub fn version(self) -> u32 {
        1
    }

    /// The fields of this type's `data`.
    pub fn fields(self) -> &'static [Field] {
        use EventType as E;
        match self {
            E::IncidentOpened | E::IncidentResolved => INCIDENT,
            E::ProbeDown | E::ProbeRecovered => PROBE,
            E::StageChanged => STAGE,
            E::GateOverridden => OVERRIDE,
            E::PlanSubmitted | E::PlanApproved => PLAN,
            E::SignoffRecorded => SIGNED,
            E::SignoffSuperseded => SUPERSEDED,
            E::SpecBreakingChange => SPEC,
            E::CredentialRotationDue => ROTATION,
            E::CertificateExpiring => CERTIFICATE,
            E::MilestoneOverdue => MILESTONE,
            E::AuditFindingOpened => FINDING,
            E::DigestWeekly => DIGEST,
            E::Test => TEST,
        }
    }
}

/// The catalogue as Markdown: `docs/events.md`, which a test keeps equal to this.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Events\n\nEvery event Tollgate sends, generated from `app/src/outbox/catalogue.rs` \
         (a test keeps this file equal to it). Each is POSTed as the envelope below, with the \
         type's own `data`; the OpenAPI document lists the same under `webhooks`.\n\n\
         ```json\n{\"type\": \"probe.down\", \"version\": 1, \"id\": \"msg_…\", \
         \"timestamp\": \"2026-12-07T10:00:00Z\", \"occurred_at\": \"2026-12-07T09:59:59.512Z\",\n \
         \"integration\": {\"id\": 3, \"slug\": \"stripe-payments\", \"name\": \"Stripe payments\"},\n \
         \"title\": \"Stripe payments: production is down\", \"link\": \"https://tollgate.example.com/…\",\n \
         \"data\": {\"environment\": \"production\", \"reason\": \"HTTP 503\"}}\n```\n\n\
         `id` is also the `webhook-id` header, the same on every attempt: deduplicate on it. \
         `version` rises when a change could break a receiver.\n",
    );
    for t in EventType::ALL {
        out.push_str(&format!(
            "\n## `{}` (version {})\n\n{}.\n\n| field of `data` | type | meaning |\n| --- | --- | --- |\n",
            t.as_str(),
            t.version(),
            t.label()
        ));
        for f in t.fields() {
            let kind = match f.kind {
                Kind::Text => "string",
                Kind::MaybeText => "string or null",
                Kind::Integer => "integer",
                Kind::Time => "RFC 3339 time",
                Kind::Day => "date (YYYY-MM-DD)",
            };
            out.push_str(&format!("| `{}` | {kind} | {} |\n", f.name, f.description));
        }
    }
    out
}

/// Whether `data` has exactly the fields of `event`'s catalogue entry, of their types.
pub fn conforms(event: EventType, data: &serde_json::Map<String, serde_json::Value>) -> bool {
    use serde_json::Value as V;
    let fields = event.fields();
    data.len() == fields.len()
        && fields.iter().all(|f| {
            matches!(
                (f.kind, data.get(f.name)),
                (Kind::Integer, Some(V::Number(_)))
                    | (Kind::Text | Kind::Time | Kind::Day, Some(V::String(_)))
                    | (Kind::MaybeText, Some(V::String(_) | V::Null))
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_has_fields_with_descriptions_and_names_once() {
        for t in EventType::ALL {
            let fields = t.fields();
            assert!(!fields.is_empty(), "{t:?}");
            for (i, f) in fields.iter().enumerate() {
                assert!(!f.description.is_empty());
                assert!(fields[i + 1..].iter().all(|g| g.name != f.name), "{t:?}");
            }
        }
    }

    #[test]
    fn data_conforms_only_with_exactly_its_fields() {
        let ok = serde_json::json!({"environment": "prod", "reason": "503"});
        assert!(conforms(EventType::ProbeDown, ok.as_object().unwrap()));
        let missing = serde_json::json!({"environment": "prod"});
        assert!(!conforms(
            EventType::ProbeDown,
            missing.as_object().unwrap()
        ));
        let extra = serde_json::json!({"environment": "prod", "reason": "x", "more": 1});
        assert!(!conforms(EventType::ProbeDown, extra.as_object().unwrap()));
        let wrong = serde_json::json!({"environment": "prod", "reason": 3});
        assert!(!conforms(EventType::ProbeDown, wrong.as_object().unwrap()));
    }
}
