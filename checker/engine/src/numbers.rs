//! Finding a number in a quote, written in digits or in words.

use crate::text::normalise;

const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// The ways a whole number may be written: "72", "seventy-two", "seventy two"; 1 and 2 also
/// "once" and "twice".
pub fn spellings(n: u64) -> Vec<String> {
    let mut out = vec![n.to_string()];
    if n < 20 {
        out.push(ONES[n as usize].to_string());
    } else if n < 100 {
        let tens = TENS[(n / 10) as usize];
        match n % 10 {
            0 => out.push(tens.to_string()),
            r => {
                out.push(format!("{tens}-{}", ONES[r as usize]));
                out.push(format!("{tens} {}", ONES[r as usize]));
            }
        }
    }
    // Ordinals, as in "by their 18th birthday".
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    out.push(format!("{n}{suffix}"));
    match n {
        1 => out.push("once".to_string()),
        2 => out.push("twice".to_string()),
        3 => out.push("thrice".to_string()),
        _ => {}
    }
    out
}

/// True when `n` is written in `quote` as a whole word, in digits or words.
pub fn number_in(n: f64, quote: &str) -> bool {
    let normalised = normalise(quote);
    number_in_normalised(n, &normalised, &normalised.to_lowercase())
}

/// [`number_in`] for a quote already normalised, and lower-cased.
pub fn number_in_normalised(n: f64, normalised: &str, lower: &str) -> bool {
    if n.fract() != 0.0 || n < 0.0 {
        return normalised.contains(&n.to_string());
    }
    spellings(n as u64)
        .iter()
        .any(|word| contains_word(lower, word))
}

/// True when `phrase` occurs in `text` with no letter or digit right before or after it.
pub fn contains_word(text: &str, phrase: &str) -> bool {
    let mut start = 0;
    while let Some(pos) = text[start..].find(phrase) {
        let at = start + pos;
        let end = at + phrase.len();
        let before = text[..at].chars().next_back();
        let after = text[end..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        if boundary(before) && boundary(after) {
            return true;
        }
        start = at + phrase.chars().next().map_or(1, char::len_utf8);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_digits_or_words() {
        assert!(number_in(72.0, "within 72 hours of their return"));
        assert!(number_in(3.0, "three times in 28 days"));
        assert!(number_in(28.0, "three times in 28 days"));
        assert!(number_in(2.0, "missing twice"));
        assert!(number_in(1.0, "more than once in a month"));
        assert!(number_in(48.0, "Forty-eight hours"));
        assert!(!number_in(48.0, "within 24 hours"));
        assert!(!number_in(2.0, "within 24 hours"), "2 is not a word of 24");
        assert!(!number_in(4.0, "fourteen days"));
        assert!(number_in(18.0, "not found by their 18th birthday"));
        assert!(number_in(21.0, "until their 21st birthday"));
        assert!(!number_in(1.0, "their 11th birthday"));
    }
}
