//! Comparing quotes with the protocol text: spacing, curly quotes and dashes are forgiven,
//! nothing else.

/// A typographic quote, prime, backtick or dash as its plain ASCII form; a no-break or thin
/// space as a space; any other character as it is.
fn fold(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '`' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
        '\u{00A0}' | '\u{2009}' | '\u{202F}' => ' ',
        c => c,
    }
}

/// Folds typographic quotes and dashes to plain ones and runs of white space to one space.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // A space is owed: white space was seen since the last character kept.
    let mut space = false;
    let bytes = s.as_bytes();
    let plain = |k: usize| bytes.get(k).is_some_and(|&b| PLAIN[usize::from(b)]);
    let mut i = 0;
    while i < bytes.len() {
        if plain(i) {
            // A run of ASCII kept as it is, single spaces between words included (most of
            // the text): copied in one go.
            let mut end = i + 1;
            loop {
                if plain(end) {
                    end += 1;
                } else if bytes.get(end) == Some(&b' ') && plain(end + 1) {
                    end += 2;
                } else {
                    break;
                }
            }
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push_str(&s[i..end]);
            i = end;
            continue;
        }
        // One character that is not: white space, a backtick or beyond ASCII.
        let c = s[i..].chars().next().unwrap_or(' ');
        i += c.len_utf8();
        let c = fold(c);
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

/// The bytes `normalise` keeps as they are: ASCII but for white space and the backtick.
const PLAIN: [bool; 256] = {
    let mut plain = [false; 256];
    let mut b = 0;
    while b < 128 {
        plain[b] = !is_ascii_space(b as u8) && b != b'`' as usize;
        b += 1;
    }
    plain
};

/// True when `needle` occurs in `haystack`: as `str::contains`, found by looking for its
/// first character (with `memchr`) and comparing there, with nothing to set up first (a quote
/// is looked for once, in a paragraph of a few hundred characters).
pub fn contains(haystack: &str, needle: &str) -> bool {
    let Some(first) = needle.chars().next() else {
        return true;
    };
    let mut from = 0;
    while let Some(at) = haystack[from..].find(first).map(|n| from + n) {
        if haystack[at..].starts_with(needle) {
            return true;
        }
        from = at + first.len_utf8();
    }
    false
}

/// The ASCII characters `char::is_whitespace` accepts: tab, line feed, vertical tab, form
/// feed, carriage return and space.
const fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// True when `quote` occurs in `text`, after both are normalised.
pub fn quote_in(quote: &str, text: &str) -> bool {
    let q = normalise(quote);
    !q.is_empty() && contains(&normalise(text), &q)
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

    /// The normalisation as first written, a character at a time.
    fn by_chars(s: &str) -> String {
        let mut out = String::new();
        let mut space = false;
        for c in s.chars() {
            let c = fold(c);
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

    #[test]
    fn contains_is_str_contains() {
        let texts = [
            "",
            "a",
            "aa",
            "aaa",
            "abab",
            "the child's room",
            "é€é",
            "xx€x",
            "ababa",
        ];
        for h in texts {
            for n in texts {
                for (hh, nn) in [
                    (h, n),
                    (h, &n[..n.chars().next().map_or(0, char::len_utf8)]),
                ] {
                    assert_eq!(contains(hh, nn), hh.contains(nn), "{hh:?} {nn:?}");
                }
            }
        }
        assert!(contains("held within 72 hours of return", "72 hours"));
        assert!(!contains("held within 72 hours of return", "72 days"));
    }

    /// What the loader relies on to skip normalising a paragraph: a normalised quote found in
    /// the paragraph as it stands is found in it normalised.
    #[test]
    fn a_quote_found_as_it_stands_is_found_normalised() {
        let pieces = [
            "a", " ", "  ", "\n", "’", "‘x’", "\u{A0}", "`", "b c", "—", "-", "é",
        ];
        let mut found = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for d in pieces {
                        let p = format!("{a}{b}{c}{d}");
                        let np = normalise(&p);
                        let chars: Vec<(usize, char)> = p.char_indices().collect();
                        for (i, (from, _)) in chars.iter().enumerate() {
                            for (to, _) in chars[i..].iter().skip(1).chain([&(p.len(), ' ')]) {
                                let q = normalise(&p[*from..*to]);
                                if !q.is_empty() && contains(&p, &q) {
                                    assert!(contains(&np, &q), "{p:?} {q:?}");
                                    found += 1;
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(found > 10_000, "{found}");
    }

    #[test]
    fn the_same_as_a_character_at_a_time() {
        let pieces = [
            "a",
            "Zz",
            "72",
            " ",
            "  ",
            "\t",
            "\n",
            "\r\n",
            "\u{0B}",
            "\u{0C}",
            "\u{1C}",
            "\u{85}",
            "\u{A0}",
            "\u{2009}",
            "\u{202F}",
            "\u{3000}",
            "\u{2028}",
            "`",
            "\u{2018}",
            "\u{2019}",
            "\u{201C}",
            "\u{201D}",
            "\u{2013}",
            "\u{2014}",
            "\u{2212}",
            "é",
            "child’s",
            "—",
            "😀",
            "'",
            "\"",
            "-",
        ];
        // Every string of up to three pieces.
        let mut checked = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for s in [a.to_string(), format!("{a}{b}"), format!("{a}{b}{c}")] {
                        assert_eq!(normalise(&s), by_chars(&s), "{s:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 90_000);
    }
}
