//! The closed sets of values the implementation room stores.

crate::choice_enum! {
    /// How requests to the provider authenticate.
    AuthScheme {
        ApiKeyHeader => ("api_key_header", "API key in a header"),
        ApiKeyQuery => ("api_key_query", "API key in the query string"),
        Bearer => ("bearer", "Bearer token"),
        Basic => ("basic", "HTTP Basic"),
        OAuth2ClientCredentials => ("oauth2_client_credentials", "OAuth 2 client credentials"),
        HmacSignature => ("hmac_signature", "HMAC-signed requests"),
        Mtls => ("mtls", "Mutual TLS"),
        NoAuth => ("none", "None"),
    }
}

crate::choice_enum! {
    /// How the provider signs the webhooks it sends.
    WebhookSignature {
        Unsigned => ("none", "Not signed"),
        HmacSha256 => ("hmac_sha256", "HMAC-SHA256 of the body"),
        StripeSignature => ("stripe_signature", "Stripe-Signature header"),
        Jwt => ("jwt", "Signed JWT"),
        Mtls => ("mtls", "Mutual TLS"),
        BasicAuth => ("basic_auth", "HTTP Basic"),
    }
}

crate::choice_enum! {
    /// The health check's HTTP method.
    HealthMethod {
        Get => ("GET", "GET"),
        Head => ("HEAD", "HEAD"),
        Post => ("POST", "POST"),
    }
}

crate::choice_enum! {
    /// What an environment is for, apart from its name: the gates look for the sandbox and
    /// production environments by kind, so `prod-eu` counts as production.
    EnvironmentKind {
        Sandbox => ("sandbox", "Sandbox"),
        Staging => ("staging", "Staging"),
        Production => ("production", "Production"),
    }
}

crate::choice_enum! {
    /// What kind of secret a reference points to.
    CredentialKind {
        ApiKey => ("api_key", "API key"),
        OauthClient => ("oauth_client", "OAuth client"),
        WebhookSecret => ("webhook_secret", "Webhook secret"),
        Certificate => ("certificate", "Certificate"),
        Password => ("password", "Password"),
    }
}

crate::choice_enum! {
    /// Who a grant is for.
    GranteeKind {
        Person => ("person", "Person"),
        Team => ("team", "Team"),
        Service => ("service", "Service"),
    }
}

crate::choice_enum! {
    /// Which checklist an item belongs to.
    Checklist {
        ErrorHandling => ("error_handling", "Error handling and logging"),
        Security => ("security", "Security"),
    }
}

crate::choice_enum! {
    /// Where an item stands. Not applicable needs a reason.
    ItemStatus {
        Open => ("open", "Open"),
        Done => ("done", "Done"),
        NotApplicable => ("not_applicable", "Not applicable"),
    }
}

crate::choice_enum! {
    /// What happens to the provider's value on its way to the platform field.
    Transform {
        Unchanged => ("none", "No change"),
        CentsToDecimal => ("cents_to_decimal", "Cents to decimal (1999 → 19.99)"),
        DecimalToCents => ("decimal_to_cents", "Decimal to cents (19.99 → 1999)"),
        Iso8601ToTimestamp => ("iso8601_to_timestamp", "ISO 8601 to Unix timestamp"),
        UnixToIso8601 => ("unix_to_iso8601", "Unix timestamp to ISO 8601"),
        Lowercase => ("lowercase", "Lowercase"),
        Uppercase => ("uppercase", "Uppercase"),
        Trim => ("trim", "Trim spaces"),
        EnumMap => ("enum_map", "Map values (from=to, …)"),
        DefaultValue => ("default", "Default when missing"),
    }
}
