//! The leak guard against a corpus: made-up secrets in real formats must be refused, and
//! legitimate references and prose must pass. None of these secrets is real.

use app::leak_guard::check;

const SECRETS: &[&str] = &[
    // Stripe
    "sk_live_51HxQmZKx9aB7cD3eF5gH7iJ9kL1mN3oP5qR7sT9uV1wX3yZ5",
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "rk_live_51Hq2w3E4r5T6y7U8i9O0pAsDfGhJkL",
    "whsec_5f8a2c9e1b7d3f6a4c8e2b9d1f7a3c5e",
    "the key is sk_live_9fK2mQ7xR4tW1zB8nC5vL3pJ6hD0sG in the old config",
    // AWS
    "AKIAIOSFODNN7EXAMPLE",
    "ASIAJ4Q2M7XRW3PLZ5KD",
    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ9m3Kd8Lp",
    "AWS key AKIA2OGYBAH6STMMNXNN for the uploader",
    // GitHub
    "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",
    "gho_16C7e42F292c6912E7710c838347Ae178B4a",
    "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV",
    "ghs_kP3x9mW2qL7vN4tR8yB1cF6hJ0dS5gA2eZ7u",
    // Slack
    "xoxb-2048571934-4829103847561-aB3dE5fG7hJ9kL1mN3pQ5rS7",
    "xoxp-1234567890-0987654321-1357924680-9f8e7d6c5b4a39281706f5e4d3c2b1a0",
    "xapp-1-A0123BCDEFG-1234567890123-abcdef0123456789abcdef0123456789abcdef0123456789",
    // Google
    "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
    "maps key: AIzaSyB4kT2mX9qL7vN3wR8pC5fH1jD6sG0aE2z",
    // Twilio
    "SK2f9c4e7a1b8d3f6c0e5a9b2d7f4c1e8a",
    "auth token 9f8e7d6c5b4a39281706f5e4d3c2b1a0",
    "e3b9c6a1f4d8e2b7c5a9f1d3e6b8c2a4",
    // Adyen and PayPal
    "AQEyhmfxK4PJahZCw0m/n3Q5qf3VaY9UCJ1+XWZe9W27jmlZigwiFtGq5XT/XnArC0NsqTDXy3sXbJ9L2J3Rw",
    "test_K7QX3MZ9R2LW8TNV5PJB1CYD6HFG4S0A",
    "A21AAKx8Wqz3vT9mN2pL7rB4cF6hJ1dS5gA0eZ8yU3iO6kM9nQ2wE5rT7yU1iO4pA",
    "access_token$production$9xk2m7q4r1t8w3z6$0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    "EBWKjlELKMYqRNQ6sYvFo64FtaRLRR5BdHEESmha49TM9vR8kQ2mP7xL3nB6cV1zD4fG8hJ0",
    // JWT
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "Authorization: Bearer eyJraWQiOiJrMSIsImFsZyI6IlJTMjU2In0.eyJpc3MiOiJodHRwczovL2lkcCJ9.c2lnbmF0dXJlLWdvZXMtaGVyZQ",
    // PEM
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7bq9\n-----END RSA PRIVATE KEY-----",
    "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----",
    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----",
    "-----BEGIN EC PRIVATE KEY-----",
    // Others and generic high entropy
    "npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
    "glpat-x9K2mQ7vR4tW1zB8nC5v",
    "SG.aB3dE5fG7hJ9kL1mN3pQ5r.sT7uV9wX1yZ3aB5cD7eF9gH1iJ3kL5mN7pQ9rS1tU3",
    "postgres://payments:Xk9m2Qr7vT4w@db.internal:5432/payments",
    "client_secret=Zq8Xv2Lm7Rt4Wn9Kp3Bs6Cd1Fh5Gj0Ay",
    "token: 7Hq2Xm9Kv4Rt1Wz8Bn5Cp3Ld6Fs0Gj2Ya8",
    "api key Q2xpZW50U2VjcmV0S2V5MTIzNDU2Nzg5MGFiY2RlZg==",
    "mK9#not-url x8Fq2Lz7Vn4Rt1Wb9Cs6Dp3Hj5Ga0Ke2Uy",
    "secret=hG4kP9mZ2xQ7vL3nR8tW1yB6cF5dJ0sA",
];

const ALLOWED: &[&str] = &[
    // Secret-manager references
    "vault://kv/payments/stripe#secret_key",
    "vault://secret/data/identity/onfido#api_token",
    "env://STRIPE_SECRET_KEY",
    "env://TWILIO_AUTH_TOKEN",
    "STRIPE_SECRET_KEY",
    "aws-sm://arn:aws:secretsmanager:eu-west-1:123456789012:secret:payments/stripe-AbCdEf",
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/adyen/api-key-3xYz9Q",
    "arn:aws:iam::123456789012:role/tollgate-probe",
    "gcp-sm://projects/saypro-prod/secrets/google-maps-key/versions/latest",
    "azure-kv://saypro-vault/auth0-client-secret",
    "1Password: Payments / Stripe live",
    "Bitwarden: Engineering > Twilio Verify (production)",
    "k8s://payments/stripe-credentials#secret-key",
    // Identifiers that are not secrets
    "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
    "550E8400-E29B-41D4-A716-446655440000",
    "pk_live_51HxQmZKx9aB7cD3eF5gH7iJ9kL1mN3",
    "acct_1032D82eZvKYlo2C",
    "cus_NffrFeUfNV2Hib",
    "2026-11-29T09:30:00Z",
    "/data/object/amount",
    "payment.amount_in_cents",
    "https://api.stripe.com/v1/payment_intents",
    "https://docs.adyen.com/api-explorer/Checkout/71/post/payments",
    "https://hooks.saypro.example/webhooks/stripe?source=tollgate",
    "/etc/tollgate/certs/stripe-client.pem",
    "./config/payments/stripe-production.toml",
    "payments/stripe/live/secret-key-rotation-2026",
    "sha256 of the evidence file",
    // Ordinary prose
    "Reduce failed payouts by moving card payments to Stripe.",
    "Checkout completion rate should rise from 61% to 75% within three months.",
    "The webhook secret lives in Vault; rotate it every 90 days and record the rotation here.",
    "Risks: provider outage during peak listings week; fees above 2.9% + 30c; PCI scope creep.",
    "Dependencies: legal review of the DPA, the platform team's idempotency middleware.",
    "Decided to use the API key header scheme (X-Api-Key) with the key stored in AWS Secrets Manager.",
    "Meeting notes: Amina and Jonas agreed the sandbox goes first; see JIRA PAY-1234.",
    "Use the AuthenticationFailedException handler and retry with exponential backoff.",
    "internationalization-and-localization-considerations",
    "The quick brown fox jumps over the lazy dog 1234567890 times.",
    "Version v2024-06-20 of the API; build 8f3c2a1 deployed on staging.",
    "Stripe Radar rules: block if :card_country: != :ip_country: and amount > 50000",
    "Call POST /v1/refunds with an Idempotency-Key header per attempt.",
    "Owner: payments-platform@saypro.example, escalation via PagerDuty service P1ABC23.",
    "Twilio Verify service VA followed by its id is configured in the console.",
    "Latency target p95 under 300 ms, p99 under 800 ms, measured at the gateway.",
];

#[test]
fn every_realistic_secret_is_refused_with_a_message_that_does_not_repeat_it() {
    assert!(SECRETS.len() >= 40, "corpus: {}", SECRETS.len());
    let missed: Vec<&&str> = SECRETS.iter().filter(|s| check(s).is_none()).collect();
    assert!(missed.is_empty(), "not refused: {missed:#?}");
    for secret in SECRETS {
        let message = check(secret).map(|f| f.message()).unwrap_or_default();
        assert!(message.contains("secret manager"), "{message}");
        for word in secret.split_whitespace().filter(|w| w.len() >= 12) {
            assert!(
                !message.contains(word),
                "the message repeats the secret: {message}"
            );
        }
    }
}

#[test]
fn references_identifiers_and_prose_pass() {
    assert!(ALLOWED.len() >= 40, "corpus: {}", ALLOWED.len());
    let refused: Vec<(&&str, &'static str)> = ALLOWED
        .iter()
        .filter_map(|s| check(s).map(|f| (s, f.what)))
        .collect();
    assert!(refused.is_empty(), "wrongly refused: {refused:#?}");
}

#[test]
fn named_formats_are_named_in_the_message() {
    let what = |s: &str| check(s).map(|f| f.what).unwrap_or_default();
    assert_eq!(
        what("sk_live_51HxQmZKx9aB7cD3eF5gH7iJ9kL1"),
        "a Stripe secret key"
    );
    assert_eq!(what("AKIAIOSFODNN7EXAMPLE"), "an AWS access key id");
    assert_eq!(what("-----BEGIN PRIVATE KEY-----"), "a private key (PEM)");
}
