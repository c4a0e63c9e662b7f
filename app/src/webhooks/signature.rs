//! (ssr) Standard Webhooks signatures (standardwebhooks.com): a secret is `whsec_` and the
//! base64 of its key; a delivery is signed `v1,` and the base64 HMAC-SHA256 of
//! `{webhook-id}.{webhook-timestamp}.{body}`, one signature per secret in force, separated by
//! spaces, so a receiver holding either secret of a rotation verifies it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Every secret starts with this.
pub const SECRET_PREFIX: &str = "whsec_";

/// A new secret: 32 random bytes from the OS.
pub fn new_secret() -> String {
    use rand::RngCore;
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    format!("{SECRET_PREFIX}{}", STANDARD.encode(key))
}

/// The key of `secret`, or `None` when it is not a `whsec_` secret.
fn key(secret: &str) -> Option<Vec<u8>> {
    STANDARD
        .decode(secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret))
        .ok()
        .filter(|k| !k.is_empty())
}

/// The `webhook-signature` header for `body` sent as message `id` at unix time `timestamp`,
/// signed with each of `secrets` (a malformed secret signs nothing).
pub fn header(secrets: &[&str], id: &str, timestamp: i64, body: &[u8]) -> String {
    secrets
        .iter()
        .filter_map(|s| key(s))
        // HMAC takes a key of any length: none is refused.
        .filter_map(|k| Hmac::<Sha256>::new_from_slice(&k).ok())
        .map(|mut mac| {
            mac.update(id.as_bytes());
            mac.update(b".");
            mac.update(timestamp.to_string().as_bytes());
            mac.update(b".");
            mac.update(body);
            format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_the_specifications_example() {
        // The example of the Standard Webhooks libraries' own tests.
        let sig = header(
            &["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn signs_once_per_secret_and_skips_malformed_ones() {
        let a = new_secret();
        let b = new_secret();
        assert!(a.starts_with(SECRET_PREFIX) && a != b);
        let both = header(&[&a, &b], "msg_1", 1, b"{}");
        let parts: Vec<&str> = both.split(' ').collect();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], header(&[&a], "msg_1", 1, b"{}"));
        assert_eq!(header(&["whsec_!!"], "msg_1", 1, b"{}"), "");
        assert_ne!(header(&[&a], "msg_1", 2, b"{}"), parts[0]);
    }
}
