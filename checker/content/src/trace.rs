//! Traceability: every phrase of the text that states a timescale or a threshold must be
//! quoted by a rule, or listed under `[[not_modelled]]` with a reason.

use crate::ProtocolContent;
use handbook_engine::text::normalise;
use regex::Regex;
use std::sync::LazyLock;

const NUM: &str = r"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[- ]four)?|thirty|forty[- ]eight|seventy[- ]two|ninety)";

/// The patterns that mark a timescale or threshold in the text.
static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // 72 hours, 3 working days, 28-day, 12 months, 10 school days
        format!(r"(?i)\b{NUM}\s*-?\s*(?:working\s+|school\s+|calendar\s+|consecutive\s+|clear\s+)?(?:hours?|hrs?|days?|weeks?|months?|years?)\b"),
        // aged 12, under 18, age of 16
        format!(r"(?i)\b(?:aged|age of|ages? of|under|over|below|above|younger than|older than)\s+(?:the\s+age\s+of\s+)?{NUM}\b"),
        // 12 or under, 13 and over, 2 or more
        format!(r"(?i)\b{NUM}\s+(?:or|and)\s+(?:under|below|over|above|younger|older|more|less|fewer)\b"),
        // three times, twice, more than once
        format!(r"(?i)\b(?:{NUM}\s+times|twice|more than once)\b"),
    ]
    .iter()
    .filter_map(|p| Regex::new(p).ok())
    .collect()
});

/// A timescale or threshold phrase that no rule and no `not_modelled` entry quotes.
#[derive(Debug, Clone, PartialEq)]
pub struct Untraced {
    pub paragraph: String,
    pub file: String,
    pub line: usize,
    pub phrase: String,
    pub sentence: String,
}

/// A timescale phrase and who accounts for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Traced {
    pub paragraph: String,
    pub phrase: String,
    /// Rule ids quoting it.
    pub rules: Vec<String>,
    /// Reasons given for not modelling it.
    pub reasons: Vec<String>,
}

fn spans(text: &str, quote: &str) -> Vec<(usize, usize)> {
    let q = normalise(quote);
    if q.is_empty() {
        return Vec::new();
    }
    text.match_indices(&q)
        .map(|(i, m)| (i, i + m.len()))
        .collect()
}

/// The sentence around a phrase: from the last stop followed by a space (so "4.19" is not a
/// sentence break) to the next.
fn sentence_around(text: &str, start: usize, end: usize) -> String {
    let stops = [". ", "; ", "? ", "! "];
    let before = stops
        .iter()
        .filter_map(|s| text[..start].rfind(s).map(|i| i + 2))
        .max()
        .unwrap_or(0);
    let after = stops
        .iter()
        .filter_map(|s| text[end..].find(s).map(|i| end + i + 1))
        .min()
        .unwrap_or(text.len());
    text[before..after].trim().to_string()
}

/// Every timescale phrase of the protocol, with the rules or reasons that account for it.
pub fn phrases(p: &ProtocolContent) -> (Vec<Traced>, Vec<Untraced>) {
    let mut traced = Vec::new();
    let mut untraced = Vec::new();
    for (pid, para) in &p.paragraphs {
        let text = normalise(&para.text);
        let rule_spans: Vec<(&str, (usize, usize))> = p
            .rules
            .rules
            .iter()
            .filter(|r| *r.paragraph == **pid)
            .flat_map(|r| spans(&text, &r.quote).into_iter().map(move |s| (&*r.id, s)))
            .collect();
        let reason_spans: Vec<(&str, (usize, usize))> = p
            .rules
            .not_modelled
            .iter()
            .filter(|n| &n.paragraph == pid)
            .flat_map(|n| {
                spans(&text, &n.quote)
                    .into_iter()
                    .map(move |s| (n.reason.as_str(), s))
            })
            .collect();
        let mut seen: Vec<(usize, usize)> = Vec::new();
        for re in PATTERNS.iter() {
            for m in re.find_iter(&text) {
                let (s, e) = (m.start(), m.end());
                if seen.iter().any(|&(a, b)| s < b && a < e) {
                    continue;
                }
                seen.push((s, e));
                let covers = |&(_, (a, b)): &(&str, (usize, usize))| a <= s && e <= b;
                let rules: Vec<String> = rule_spans
                    .iter()
                    .filter(|x| covers(x))
                    .map(|(id, _)| id.to_string())
                    .collect();
                let reasons: Vec<String> = reason_spans
                    .iter()
                    .filter(|x| covers(x))
                    .map(|(r, _)| r.to_string())
                    .collect();
                if rules.is_empty() && reasons.is_empty() {
                    untraced.push(Untraced {
                        paragraph: pid.clone(),
                        file: para.file.clone(),
                        line: para.line,
                        phrase: m.as_str().to_string(),
                        sentence: sentence_around(&text, s, e),
                    });
                } else {
                    traced.push(Traced {
                        paragraph: pid.clone(),
                        phrase: m.as_str().to_string(),
                        rules,
                        reasons,
                    });
                }
            }
        }
    }
    (traced, untraced)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for re in PATTERNS.iter() {
            out.extend(re.find_iter(text).map(|m| m.as_str().to_string()));
        }
        out
    }

    #[test]
    fn sentences_do_not_break_inside_paragraph_numbers() {
        let text = "Intro. 4.19 The children missing for 24 hours+ are listed; more.";
        let at = text.find("24 hours").unwrap_or(0);
        assert_eq!(
            sentence_around(text, at, at + 8),
            "4.19 The children missing for 24 hours+ are listed;"
        );
    }

    #[test]
    fn the_patterns_find_timescales_and_thresholds() {
        assert_eq!(found("within 72 hours of return"), vec!["72 hours"]);
        assert_eq!(found("within 3 working days"), vec!["3 working days"]);
        assert_eq!(found("aged 12 or below"), vec!["aged 12", "12 or below"]);
        assert_eq!(
            found("three times in 28 days"),
            vec!["28 days", "three times"]
        );
        assert_eq!(found("more than once in a month"), vec!["more than once"]);
        assert_eq!(found("2 or more times"), vec!["2 or more"]);
        assert!(found("the Children Act 1989 and section 47").is_empty());
    }
}
