//! (ssr) What an email says and how it is put together: a plain-text part and an HTML part
//! with the same words, a link to act on, why the reader gets it, and a one-click
//! unsubscribe (RFC 8058: `List-Unsubscribe` with `List-Unsubscribe-Post`).

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};

/// The words of one email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub subject: String,
    /// The first line: what happened.
    pub heading: String,
    /// Paragraphs, separated by blank lines.
    pub body: String,
    /// Where to act on it (absolute).
    pub link: String,
    /// Why the reader gets it, and what the unsubscribe link stops.
    pub why: String,
}

/// The plain-text part, ending with the unsubscribe link.
pub fn plain(l: &Letter, unsubscribe: &str) -> String {
    format!(
        "{}\n\n{}\n\nOpen in Tollgate: {}\n\n--\n{}\nStop these emails: {}\n",
        l.heading,
        l.body.trim(),
        l.link,
        l.why,
        unsubscribe
    )
}

/// The HTML part: the same words, escaped.
pub fn html(l: &Letter, unsubscribe: &str) -> String {
    let paragraphs: String = l
        .body
        .trim()
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{}</p>", text(p.trim()).replace('\n', "<br>")))
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{subject}</title></head>\
         <body style=\"font-family: sans-serif; color: #1a1a1a; line-height: 1.5\">\
         <h1 style=\"font-size: 1.2em\">{heading}</h1>{paragraphs}\
         <p><a href=\"{link}\" style=\"color: #0b57d0\">Open in Tollgate</a></p>\
         <hr><p style=\"font-size: 0.9em; color: #4a4a4a\">{why} \
         <a href=\"{unsubscribe}\" style=\"color: #0b57d0\">Stop these emails</a>.</p>\
         </body></html>\n",
        subject = text(&l.subject),
        heading = text(&l.heading),
        link = attr(&l.link),
        why = text(&l.why),
        unsubscribe = attr(unsubscribe),
    )
}

/// The message to send: from `from` to `to`, both parts, the unsubscribe headers, and a
/// `Message-ID` that stays the same if it is sent again.
///
/// # Errors
/// An address that does not parse, in words.
pub fn message(
    from: &str,
    to: &str,
    subject: &str,
    (plain, html): (String, String),
    unsubscribe: &str,
    message_id: String,
) -> Result<lettre::Message, String> {
    let from: Mailbox = from
        .parse()
        .map_err(|_| format!("the sender address {from:?} does not parse"))?;
    let to: Mailbox = to
        .parse()
        .map_err(|_| "the recipient's address does not parse".to_string())?;
    lettre::Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .message_id(Some(message_id))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe"),
            format!("<{unsubscribe}>"),
        ))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click".into(),
        ))
        .multipart(MultiPart::alternative_plain_html(plain, html))
        .map_err(|e| format!("the email could not be built: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter() -> Letter {
        Letter {
            subject: "Stripe: an incident was opened".into(),
            heading: "Refunds <stuck>".into(),
            body: "Since 09:00.\n\nSeverity: major".into(),
            link: "https://tollgate.example.com/incidents/1".into(),
            why: "You chose email for incidents.".into(),
        }
    }

    #[test]
    fn both_parts_say_the_same_and_the_html_is_escaped() {
        let l = letter();
        let u = "https://tollgate.example.com/unsubscribe/abc";
        let p = plain(&l, u);
        assert!(p.contains("Refunds <stuck>") && p.contains("Stop these emails: https://"));
        let h = html(&l, u);
        assert!(h.contains("Refunds &lt;stuck&gt;") && !h.contains("<stuck>"));
        assert!(h.contains("<p>Severity: major</p>") && h.contains(&format!("href=\"{u}\"")));
        let m = message(
            "Tollgate <tollgate@example.com>",
            "sam@example.com",
            &l.subject,
            (p, h),
            u,
            "<1.abc@tollgate>".into(),
        )
        .unwrap();
        let raw = String::from_utf8(m.formatted()).unwrap();
        assert!(raw.contains("List-Unsubscribe: <https://tollgate.example.com/unsubscribe/abc>"));
        assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        assert!(raw.contains("multipart/alternative"));
        assert!(
            message(
                "not an address",
                "sam@example.com",
                "s",
                (String::new(), String::new()),
                u,
                "<x@y>".into()
            )
            .is_err()
        );
    }
}
