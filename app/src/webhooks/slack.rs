//! (ssr) The message a Slack-compatible endpoint gets: Slack's incoming-webhook JSON (`text`
//! in its mrkdwn), which Mattermost, Rocket.Chat and Discord's `/slack` address also take.
//! One line says which integration and what happened, the next the event's title, the last a
//! link back to where to act on it.

use serde_json::{Value, json};

use crate::entities::outbox_events;
use crate::error::{AppError, Result};

/// `text` with the three characters Slack's mrkdwn gives a meaning escaped (as HTML does).
pub fn escape(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

/// The JSON body for `event`, linking under `public_url`.
///
/// # Errors
/// `Internal` when the stored event is not the JSON the outbox wrote.
pub fn message(event: &outbox_events::Model, public_url: &str) -> Result<String> {
    let stored: Value =
        serde_json::from_str(&event.data).map_err(|e| AppError::internal("outbox event", e))?;
    let what = event.event_type.label();
    let head = match stored["integration"]["name"].as_str() {
        Some(name) => format!("*{}*: {}", escape(name), escape(what)),
        None => format!("*Tollgate*: {}", escape(what)),
    };
    let title = escape(stored["title"].as_str().unwrap_or_default());
    let link = format!(
        "{}{}",
        public_url.trim_end_matches('/'),
        stored["path"].as_str().unwrap_or("/")
    );
    // A link's address needs only `>` and `|` kept out; the path is Tollgate's own.
    let link = link.replace(['>', '|'], "");
    Ok(json!({
        "text": format!("{head}\n{title}\n<{link}|Open in Tollgate>"),
    })
    .to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_mrkdwn_reads() {
        assert_eq!(escape("a <b> & c"), "a &lt;b&gt; &amp; c");
    }
}
