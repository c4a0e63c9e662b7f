//! The closed sets of values the auth room stores.

crate::choice_enum! {
    /// What a person may do. See PRODUCT.md for the responsibilities of each.
    Role {
        Admin => ("admin", "Admin"),
        Coordinator => ("coordinator", "Coordinator"),
        Engineer => ("engineer", "Engineer"),
        Qa => ("qa", "QA"),
        Stakeholder => ("stakeholder", "Stakeholder"),
    }
}
