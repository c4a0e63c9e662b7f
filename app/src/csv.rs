//! CSV as the downloads write it: RFC 4180 quoting and CRLF line ends (the `csv` crate's
//! writer), and text that a spreadsheet would run as a formula defused, because these files
//! are opened in spreadsheets and their text comes from users and from imported files.

/// `value` defused: a leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'`, so a
/// spreadsheet does not read it as a formula.
fn defused(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

/// One line of `fields`, defused, quoted where RFC 4180 needs it, with its CRLF.
pub fn line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory fails only on a bug; the line is then empty rather than a panic.
    let written = writer
        .write_record(fields.iter().map(|v| defused(v.as_ref()).into_owned()))
        .ok()
        .and_then(|()| writer.into_inner().ok());
    written
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// One field, as [`line`] writes it.
pub fn field(value: &str) -> String {
    line(&[value]).trim_end_matches("\r\n").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-1"), "'-1");
        assert_eq!(field("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(line(&["a", "b,c"]), "a,\"b,c\"\r\n");
        assert_eq!(line(&["", "x", ""]), ",x,\r\n");
    }
}
