//! The closed sets of values the tokens room stores.

crate::choice_enum! {
    /// What a token may do: read, or read and write. It never exceeds its owner's role.
    TokenScope {
        Read => ("read", "Read only"),
        ReadWrite => ("read-write", "Read and write"),
    }
}
