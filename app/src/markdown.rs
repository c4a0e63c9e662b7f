//! Markdown as the reports write it. A leaf: the integration report, the portfolio report and
//! the spec change report each write their tables with it.

/// A Markdown table cell: pipes escaped, line breaks folded.
pub fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_cell_escapes_pipes_and_folds_line_breaks() {
        assert_eq!(super::cell("a|b\r\nc"), "a\\|b  c");
    }
}
