//! Comparing quotes with the protocol text: spacing, curly quotes and dashes are forgiven,
//! nothing else.

/// Folds typographic quotes and dashes to plain ones and runs of white space to one space.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '`' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' => '"',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            '\u{00A0}' | '\u{2009}' | '\u{202F}' => ' ',
            c => c,
        };
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// True when `quote` occurs in `text`, after both are normalised.
pub fn quote_in(quote: &str, text: &str) -> bool {
    let q = normalise(quote);
    !q.is_empty() && normalise(text).contains(&q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_and_typography_are_forgiven_but_words_are_not() {
        assert_eq!(normalise("  a \n\t b’s – c "), "a b's - c");
        assert!(quote_in(
            "within 72\nhours",
            "held within 72 hours of return"
        ));
        assert!(quote_in("child’s", "the child's room"));
        assert!(!quote_in(
            "within 48 hours",
            "held within 72 hours of return"
        ));
        assert!(!quote_in("", "anything"));
    }
}
