//! Test case templates by integration category, which QA applies and then edits.

use super::model::CaseCategory;
use crate::integrations::model::Category;

/// One template case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateCase {
    pub key: &'static str,
    pub title: &'static str,
    pub category: CaseCategory,
    pub expected: &'static str,
}

const fn case(
    key: &'static str,
    title: &'static str,
    category: CaseCategory,
    expected: &'static str,
) -> TemplateCase {
    TemplateCase {
        key,
        title,
        category,
        expected,
    }
}

const PAYMENTS: &[TemplateCase] = &[
    case(
        "payments.successful_charge",
        "Successful charge",
        CaseCategory::Functional,
        "The charge succeeds and the order is marked paid once.",
    ),
    case(
        "payments.declined_card",
        "Declined card",
        CaseCategory::Functional,
        "The buyer sees a clear decline message; nothing is charged.",
    ),
    case(
        "payments.3ds_challenge",
        "3-D Secure challenge",
        CaseCategory::Compatibility,
        "The challenge opens, completes and returns to the order.",
    ),
    case(
        "payments.refund",
        "Refund",
        CaseCategory::Functional,
        "The refund is accepted and the order shows it.",
    ),
    case(
        "payments.webhook_replay",
        "Webhook replay",
        CaseCategory::Security,
        "A replayed webhook is recognised and changes nothing.",
    ),
    case(
        "payments.idempotent_retry",
        "Idempotent retry",
        CaseCategory::Functional,
        "A retried request with the same key charges once.",
    ),
    case(
        "payments.provider_timeout",
        "Provider timeout",
        CaseCategory::Performance,
        "The call times out as configured and the buyer can retry safely.",
    ),
];

const IDENTITY: &[TemplateCase] = &[
    case(
        "identity.document_accepted",
        "Document accepted",
        CaseCategory::Functional,
        "A valid document verifies the user.",
    ),
    case(
        "identity.document_rejected",
        "Document rejected",
        CaseCategory::Functional,
        "An invalid document is rejected with a reason the user understands.",
    ),
    case(
        "identity.liveness_failure",
        "Liveness failure",
        CaseCategory::Compatibility,
        "A failed liveness check asks the user to try again.",
    ),
    case(
        "identity.data_retention",
        "Data retention",
        CaseCategory::Security,
        "Identity documents are deleted after the agreed period.",
    ),
];

const GEOLOCATION: &[TemplateCase] = &[
    case(
        "geo.address_lookup",
        "Address lookup",
        CaseCategory::Functional,
        "A known address resolves to its coordinates.",
    ),
    case(
        "geo.no_result",
        "No result",
        CaseCategory::Functional,
        "An unknown address says so and lets the user type it.",
    ),
    case(
        "geo.rate_limit",
        "Rate limit reached",
        CaseCategory::Performance,
        "Over the limit, lookups back off and the page stays usable.",
    ),
];

/// The template of a category (empty for categories without one).
pub fn template(category: Category) -> &'static [TemplateCase] {
    match category {
        Category::Payments => PAYMENTS,
        Category::IdentityVerification => IDENTITY,
        Category::Geolocation => GEOLOCATION,
        _ => &[],
    }
}
