//! The engineering checklists (error handling and logging; security): wire types and the
//! templates by integration category.

use serde::{Deserialize, Serialize};

pub use crate::choices::implementation::{Checklist, ItemStatus};
use crate::integrations::model::Category;
use crate::integrations::model::IntegrationRef;
use crate::users::model::UserRef;

/// One checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChecklistItem {
    pub id: i32,
    pub integration: IntegrationRef,
    pub checklist: Checklist,
    /// The template item it came from; absent for items added by hand.
    pub template_key: Option<String>,
    pub title: String,
    pub status: ItemStatus,
    /// Why the item does not apply (only with not_applicable).
    pub na_reason: String,
    pub owner: Option<UserRef>,
    /// A note or a link showing it is done.
    pub evidence: String,
    pub position: i32,
}

impl ChecklistItem {
    /// The edit form filled with this item's values.
    pub fn form(&self) -> ChecklistItemForm {
        ChecklistItemForm {
            checklist: self.checklist.as_str().into(),
            title: self.title.clone(),
            status: self.status.as_str().into(),
            na_reason: self.na_reason.clone(),
            owner_id: self
                .owner
                .as_ref()
                .map(|o| o.id.to_string())
                .unwrap_or_default(),
            evidence: self.evidence.clone(),
        }
    }
}

/// The checklist item form, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ChecklistItemForm {
    pub checklist: String,
    pub title: String,
    /// Blank: open.
    pub status: String,
    pub na_reason: String,
    pub owner_id: String,
    pub evidence: String,
}

/// Both checklists of an integration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChecklistView {
    pub integration: IntegrationRef,
    pub category: Category,
    pub items: Vec<ChecklistItem>,
    /// Template items for this category not on the checklists yet.
    pub template_missing: usize,
    pub people: Vec<UserRef>,
}

impl ChecklistView {
    /// The items of one checklist, in order.
    pub fn of(&self, checklist: Checklist) -> Vec<ChecklistItem> {
        self.items
            .iter()
            .filter(|i| i.checklist == checklist)
            .cloned()
            .collect()
    }
}

/// What applying the template did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TemplateApplied {
    /// Items added; those already present are left as they are.
    pub added: usize,
}

/// One item of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateItem {
    pub key: &'static str,
    pub checklist: Checklist,
    pub title: &'static str,
}

const fn item(key: &'static str, checklist: Checklist, title: &'static str) -> TemplateItem {
    TemplateItem {
        key,
        checklist,
        title,
    }
}

/// Every integration gets these.
const COMMON: &[TemplateItem] = &[
    item(
        "timeouts",
        Checklist::ErrorHandling,
        "Timeouts set on every call to the provider",
    ),
    item(
        "retries",
        Checklist::ErrorHandling,
        "Retries with exponential backoff, only for errors that are safe to retry",
    ),
    item(
        "idempotency",
        Checklist::ErrorHandling,
        "Idempotency keys on every request that moves money or creates records",
    ),
    item(
        "error_logging",
        Checklist::ErrorHandling,
        "Structured error logging with the provider's request id, without personal data",
    ),
    item(
        "alerting",
        Checklist::ErrorHandling,
        "Alerting wired for error rates and timeouts",
    ),
    item(
        "auth_method",
        Checklist::Security,
        "Authentication method as the provider recommends, credentials in the secret manager",
    ),
    item(
        "tls_only",
        Checklist::Security,
        "TLS only, certificates verified",
    ),
    item(
        "token_validation",
        Checklist::Security,
        "Tokens validated (issuer, audience, expiry) before use",
    ),
    item(
        "webhook_signatures",
        Checklist::Security,
        "Webhook signatures verified, with a replay window",
    ),
    item(
        "least_privilege",
        Checklist::Security,
        "Least-privilege scopes on every credential",
    ),
    item(
        "personal_data",
        Checklist::Security,
        "Personal data handled as the privacy policy says, encrypted at rest and in transit",
    ),
];

const PAYMENTS: &[TemplateItem] = &[
    item(
        "pci_scope",
        Checklist::Security,
        "PCI DSS scope confirmed (SAQ A or A-EP) with the compliance owner",
    ),
    item(
        "card_data",
        Checklist::Security,
        "Card data never touches SayPro servers: hosted fields or redirect only",
    ),
];

const IDENTITY: &[TemplateItem] = &[item(
    "identity_retention",
    Checklist::Security,
    "Retention and deletion of identity documents agreed and automated",
)];

/// The template of a category: the common items, then the category's own.
pub fn template(category: Category) -> Vec<TemplateItem> {
    let extra: &[TemplateItem] = match category {
        Category::Payments => PAYMENTS,
        Category::IdentityVerification => IDENTITY,
        _ => &[],
    };
    COMMON.iter().chain(extra).copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_add_the_category_items_and_keys_are_unique() {
        let payments = template(Category::Payments);
        assert!(payments.iter().any(|i| i.key == "card_data"));
        assert!(payments.iter().any(|i| i.key == "idempotency"));
        let identity = template(Category::IdentityVerification);
        assert!(identity.iter().any(|i| i.key == "identity_retention"));
        assert!(!identity.iter().any(|i| i.key == "pci_scope"));
        assert_eq!(template(Category::Geolocation).len(), COMMON.len());
        let mut keys: Vec<_> = payments.iter().chain(&identity).map(|i| i.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), COMMON.len() + PAYMENTS.len() + IDENTITY.len());
        for c in Checklist::ALL {
            assert!(
                COMMON.iter().any(|i| i.checklist == *c),
                "{c:?} has common items"
            );
        }
    }
}
