//! Traceability: every sentence of the text that states a duty, and every phrase that states a
//! timescale, a frequency or a threshold, must be modelled by a rule or listed under
//! `[[not_modelled]]` with a reason.
//!
//! - A **duty sentence** (one with "must", "will", "should", "shall", "is required", "are
//!   expected to", "needs to be", "it is the responsibility of"...) is accounted for by a rule's
//!   `quote`, or a `[[not_modelled]]` entry's `quote`, of the same paragraph that overlaps it
//!   (shares at least one character with it).
//! - A **time phrase** ("within 72 hours", "aged 12", "three times", "18th birthday",
//!   "weekly", "every 4 weeks", "day 1", "same working day", "immediately"...) is accounted for
//!   by such a quote that contains it whole.
//! - A `[[not_modelled]]` entry with no `quote` accounts for every duty sentence and time phrase
//!   of its paragraph (background paragraphs: legislation, descriptions of services).
//!
//! Quotes and paragraphs are compared after `handbook_engine::text::normalise`.

use crate::{Paragraph, ProtocolContent};
use handbook_engine::text::normalise;
use regex::Regex;
use std::sync::LazyLock;

const NUM: &str = r"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[- ]four)?|twenty[- ]one|twenty[- ]five|thirty|forty[- ]eight|seventy[- ]two|ninety)";

const ORDINAL: &str = r"(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty[- ]first|twenty[- ]fifth)";

/// The patterns that mark a timescale, frequency or threshold in the text. Where two matches
/// overlap, the one of the earlier pattern is the phrase (so the longer forms come first:
/// "every 4 weeks" before "4 weeks", "same working day" before "same day").
static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // by their 18th birthday, 18th birthday, eighteenth birthday
        format!(r"(?i)\b(?:(?:by|before|after|on|until|from)\s+(?:their|his|her|the\s+child's|the\s+young\s+person's)\s+)?{ORDINAL}\s+birthday\b"),
        // every 4 weeks, every six weeks, every week, every 2 working days
        format!(r"(?i)\bevery\s+(?:{NUM}\s+)?(?:working\s+|school\s+|calendar\s+)?(?:hours?|days?|weeks?|months?|years?)\b"),
        // on day 1, day one, Day 5
        format!(r"(?i)\b(?:on\s+)?day\s+{NUM}\b"),
        // the same working day, same day
        r"(?i)\bsame\s+(?:working\s+|school\s+|calendar\s+)?day\b".to_string(),
        // immediately, without delay, as soon as possible / (reasonably) practicable, promptly
        r"(?i)\b(?:immediately|without\s+(?:any\s+)?(?:undue\s+)?delay|as\s+soon\s+as\s+(?:is\s+)?(?:reasonably\s+)?(?:possible|practicable|practical)|promptly)\b".to_string(),
        // weekly, monthly, quarterly, annually, fortnightly, daily
        r"(?i)\b(?:weekly|monthly|quarterly|annually|fortnightly|daily|yearly)\b".to_string(),
        // 72 hours, 3 working days, 28-day, 12 months, 10 school days
        format!(r"(?i)\b{NUM}\s*-?\s*(?:working\s+|school\s+|calendar\s+|consecutive\s+|clear\s+)?(?:hours?|hrs?|days?|weeks?|months?|years?)\b"),
        // aged 12, under 18, age of 16
        format!(r"(?i)\b(?:aged|age of|ages? of|under|over|below|above|younger than|older than)\s+(?:the\s+age\s+of\s+)?{NUM}\b"),
        // 12 or under, 13 and over, 2 or more
        format!(r"(?i)\b{NUM}\s+(?:or|and)\s+(?:under|below|over|above|younger|older|more|less|fewer)\b"),
        // three times, twice, more than once; the third episode
        format!(r"(?i)\b(?:{NUM}\s+times|twice|more than once)\b"),
        format!(r"(?i)\b{ORDINAL}\s+(?:missing\s+)?(?:episode|occasion|incident)\b"),
    ]
    .iter()
    .filter_map(|p| Regex::new(p).ok())
    .collect()
});

/// The words that make a sentence a duty: a modal of obligation or a named duty.
static DUTY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:must|will|should|shall|is\s+required|are\s+required|are\s+expected\s+to|is\s+expected\s+to|needs\s+to\s+be|need\s+to\s+be|it\s+is\s+the\s+responsibility\s+of)\b").ok()
});

/// What was found: a sentence stating a duty, or a phrase stating a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Duty,
    Time,
}

impl What {
    /// Both kinds, in the order they are reported.
    pub const ALL: [What; 2] = [What::Duty, What::Time];

    /// "duty sentences", "time phrases".
    pub fn plural(self) -> &'static str {
        match self {
            What::Duty => "duty sentences",
            What::Time => "time phrases",
        }
    }

    /// "duty sentence", "time phrase".
    pub fn singular(self) -> &'static str {
        match self {
            What::Duty => "duty sentence",
            What::Time => "time phrase",
        }
    }
}

/// A duty sentence or time phrase of the text, and what accounts for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub what: What,
    pub paragraph: String,
    pub file: String,
    /// Line of the paragraph's `r[...]` marker.
    pub line: usize,
    /// The duty sentence, or the time phrase, as the (normalised) text has it.
    pub words: String,
    /// The sentence it is in (for a duty sentence, the same as `words`).
    pub sentence: String,
    /// Rule ids whose quote accounts for it.
    pub rules: Vec<String>,
    /// Reasons of the `[[not_modelled]]` entries that account for it.
    pub reasons: Vec<String>,
}

impl Found {
    pub fn modelled(&self) -> bool {
        !self.rules.is_empty()
    }

    /// Given a reason instead of a rule.
    pub fn reasoned(&self) -> bool {
        self.rules.is_empty() && !self.reasons.is_empty()
    }

    pub fn untraced(&self) -> bool {
        self.rules.is_empty() && self.reasons.is_empty()
    }

    /// `file:line: r[id] ...` for editors, naming what to do.
    pub fn message(&self) -> String {
        match self.what {
            What::Duty => format!(
                "{}:{}: r[{}] duty sentence neither quoted by a rule nor listed under [[not_modelled]]: \"{}\"",
                self.file, self.line, self.paragraph, self.words
            ),
            What::Time => format!(
                "{}:{}: r[{}] time phrase \"{}\" neither quoted by a rule nor listed under [[not_modelled]], in: \"{}\"",
                self.file, self.line, self.paragraph, self.words, self.sentence
            ),
        }
    }
}

/// How many of one kind were found, and what accounts for them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub found: usize,
    /// Quoted by at least one rule.
    pub modelled: usize,
    /// Not quoted by a rule, but listed under `[[not_modelled]]`.
    pub reasoned: usize,
    pub untraced: usize,
}

impl Counts {
    pub fn of(found: &[Found], what: What) -> Counts {
        let mut c = Counts::default();
        for f in found.iter().filter(|f| f.what == what) {
            c.found += 1;
            if f.modelled() {
                c.modelled += 1;
            } else if f.reasoned() {
                c.reasoned += 1;
            } else {
                c.untraced += 1;
            }
        }
        c
    }
}

/// Where a normalised quote occurs in the text, as byte spans.
fn spans(text: &str, quote: &str) -> Vec<(usize, usize)> {
    let q = normalise(quote);
    if q.is_empty() {
        return Vec::new();
    }
    text.match_indices(&q)
        .map(|(i, m)| (i, i + m.len()))
        .collect()
}

/// The sentences of a paragraph's text, as byte spans: a sentence ends at ". ", "; ", "? " or
/// "! " (so "4.19" is not a break; nor is "e.g. " or "i.e. "), and at each of `breaks` (where
/// a list item, table cell, block or line break starts). Spans are trimmed; none is empty.
pub fn sentences(text: &str, breaks: &[usize]) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    // Offsets where a new sentence starts.
    let mut cuts: Vec<usize> = breaks
        .iter()
        .copied()
        .filter(|&b| b < text.len() && text.is_char_boundary(b))
        .collect();
    for (i, w) in bytes.windows(2).enumerate() {
        if matches!(w[0], b'.' | b';' | b'?' | b'!') && w[1] == b' ' {
            let abbreviation = i >= 3
                && (bytes[i - 3..i].eq_ignore_ascii_case(b"e.g")
                    || bytes[i - 3..i].eq_ignore_ascii_case(b"i.e"));
            if w[0] == b'.' && abbreviation {
                continue;
            }
            cuts.push(i + 2);
        }
    }
    cuts.push(0);
    cuts.push(text.len());
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .filter_map(|w| {
            let piece = &text[w[0]..w[1]];
            let start = w[0] + (piece.len() - piece.trim_start().len());
            let end = w[0] + piece.trim_end().len();
            (start < end).then_some((start, end))
        })
        .collect()
}

/// The sentence around a phrase at `start..end`, from the sentences of `sentences`.
fn sentence_around(text: &str, sentences: &[(usize, usize)], start: usize, end: usize) -> String {
    let from = sentences
        .iter()
        .rev()
        .find(|&&(s, _)| s <= start)
        .map_or(0, |&(s, _)| s);
    let to = sentences
        .iter()
        .find(|&&(_, e)| e >= end)
        .map_or(text.len(), |&(_, e)| e);
    text.get(from..to.max(from)).unwrap_or(text).to_string()
}

/// The time phrases of a text, as byte spans, overlapping matches given to the earlier pattern.
pub fn time_phrases(text: &str) -> Vec<(usize, usize)> {
    let mut seen: Vec<(usize, usize)> = Vec::new();
    for re in PATTERNS.iter() {
        for m in re.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            if !seen.iter().any(|&(a, b)| s < b && a < e) {
                seen.push((s, e));
            }
        }
    }
    seen.sort_unstable();
    seen
}

/// The duty sentences of a text, as byte spans.
pub fn duty_sentences(text: &str, breaks: &[usize]) -> Vec<(usize, usize)> {
    let Some(duty) = DUTY.as_ref() else {
        return Vec::new();
    };
    sentences(text, breaks)
        .into_iter()
        .filter(|&(s, e)| duty.is_match(&text[s..e]))
        .collect()
}

/// Every duty sentence and time phrase of one paragraph, with what accounts for it.
fn paragraph(p: &ProtocolContent, para: &Paragraph, out: &mut Vec<Found>) {
    let pid = &para.id;
    let text = normalise(&para.text);
    // The offsets of the breaks are those of the text as read, already normalised.
    let breaks: &[usize] = if text == para.text { &para.breaks } else { &[] };
    let rule_spans: Vec<(&str, (usize, usize))> = p
        .rules
        .rules
        .iter()
        .filter(|r| *r.paragraph == **pid)
        .flat_map(|r| spans(&text, &r.quote).into_iter().map(move |s| (&*r.id, s)))
        .collect();
    let nm: Vec<_> = p
        .rules
        .not_modelled
        .iter()
        .filter(|n| &n.paragraph == pid)
        .collect();
    // A `[[not_modelled]]` entry with no quote: the whole paragraph.
    let whole: Vec<&str> = nm
        .iter()
        .filter(|n| n.quote.trim().is_empty())
        .map(|n| n.reason.as_str())
        .collect();
    let reason_spans: Vec<(&str, (usize, usize))> = nm
        .iter()
        .flat_map(|n| {
            spans(&text, &n.quote)
                .into_iter()
                .map(move |s| (n.reason.as_str(), s))
        })
        .collect();
    let found = |what: What, (s, e): (usize, usize), sentence: String| {
        let accounts = |&&(_, (a, b)): &&(&str, (usize, usize))| match what {
            What::Duty => a < e && s < b,
            What::Time => a <= s && e <= b,
        };
        let mut rules: Vec<String> = rule_spans
            .iter()
            .filter(accounts)
            .map(|(id, _)| id.to_string())
            .collect();
        rules.dedup();
        let mut reasons: Vec<String> = reason_spans
            .iter()
            .filter(accounts)
            .map(|(r, _)| r.to_string())
            .chain(whole.iter().map(|r| r.to_string()))
            .collect();
        reasons.dedup();
        Found {
            what,
            paragraph: pid.clone(),
            file: para.file.clone(),
            line: para.line,
            words: text[s..e].to_string(),
            sentence,
            rules,
            reasons,
        }
    };
    for span in duty_sentences(&text, breaks) {
        let sentence = text[span.0..span.1].to_string();
        out.push(found(What::Duty, span, sentence));
    }
    let all = sentences(&text, breaks);
    for span in time_phrases(&text) {
        let sentence = sentence_around(&text, &all, span.0, span.1);
        out.push(found(What::Time, span, sentence));
    }
}

/// Every duty sentence and time phrase of the protocol, in the order of the text (duty
/// sentences before time phrases within a paragraph), with the rules or reasons that account
/// for each.
pub fn find(p: &ProtocolContent) -> Vec<Found> {
    let mut out = Vec::new();
    for chapter in &p.chapters {
        for para in &chapter.paragraphs {
            paragraph(p, para, &mut out);
        }
    }
    out
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

    /// The phrases as the check takes them: overlaps given to the earlier pattern.
    fn phrases(text: &str) -> Vec<&str> {
        time_phrases(text)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    fn duties<'a>(text: &'a str, breaks: &[usize]) -> Vec<&'a str> {
        duty_sentences(text, breaks)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn sentences_do_not_break_inside_paragraph_numbers() {
        let text = "Intro. 4.19 The children missing for 24 hours+ are listed; more.";
        let all = sentences(text, &[]);
        let at = text.find("24 hours").unwrap_or(0);
        assert_eq!(
            sentence_around(text, &all, at, at + 8),
            "4.19 The children missing for 24 hours+ are listed;"
        );
        assert_eq!(
            all.iter().map(|&(s, e)| &text[s..e]).collect::<Vec<_>>(),
            vec![
                "Intro.",
                "4.19 The children missing for 24 hours+ are listed;",
                "more."
            ]
        );
    }

    #[test]
    fn sentences_break_at_items_and_questions_but_not_at_e_g() {
        // "The police will:" then two list items (breaks where each item starts).
        let text = "The police will: Collect reports Carry out checks, e.g. calls. Why? Now!";
        let breaks = [17, 33];
        let all: Vec<&str> = sentences(text, &breaks)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect();
        assert_eq!(
            all,
            vec![
                "The police will:",
                "Collect reports",
                "Carry out checks, e.g. calls.",
                "Why?",
                "Now!"
            ]
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
        assert_eq!(phrases("aged 12 or below"), vec!["aged 12"]);
    }

    #[test]
    fn ordinals_and_birthdays_are_time_phrases() {
        assert_eq!(
            phrases("if not found by their 18th birthday a meeting is held"),
            vec!["by their 18th birthday"]
        );
        assert_eq!(phrases("up to the 18th birthday"), vec!["18th birthday"]);
        assert_eq!(
            phrases("until their twenty-first birthday"),
            vec!["until their twenty-first birthday"]
        );
        assert_eq!(
            phrases("on the third missing episode"),
            vec!["third missing episode"]
        );
        assert!(phrases("the 18th of the series, first of all").is_empty());
    }

    #[test]
    fn frequencies_are_time_phrases() {
        assert_eq!(
            phrases("weekly, monthly, quarterly, annually, fortnightly and daily"),
            vec![
                "weekly",
                "monthly",
                "quarterly",
                "annually",
                "fortnightly",
                "daily"
            ]
        );
        assert_eq!(phrases("reviewed every 4 weeks"), vec!["every 4 weeks"]);
        assert_eq!(phrases("at least every six weeks"), vec!["every six weeks"]);
        assert_eq!(phrases("visited every week"), vec!["every week"]);
        assert!(phrases("every child, weekday").is_empty());
    }

    #[test]
    fn days_of_an_episode_are_time_phrases() {
        assert_eq!(phrases("Day 1 of the missing episode"), vec!["Day 1"]);
        assert_eq!(phrases("to be done on day one"), vec!["on day one"]);
        assert_eq!(phrases("by day 5"), vec!["day 5"]);
        assert!(phrases("day to day, today").is_empty());
    }

    #[test]
    fn same_day_is_a_time_phrase() {
        assert_eq!(
            phrases("the same working day, or the same day"),
            vec!["same working day", "same day"]
        );
        assert!(phrases("the same way, some day").is_empty());
    }

    #[test]
    fn words_of_urgency_are_time_phrases() {
        assert_eq!(
            phrases("immediately; without delay; as soon as possible; as soon as practicable"),
            vec![
                "immediately",
                "without delay",
                "as soon as possible",
                "as soon as practicable"
            ]
        );
        assert_eq!(
            phrases("promptly, and as soon as reasonably practicable, without undue delay"),
            vec![
                "promptly",
                "as soon as reasonably practicable",
                "without undue delay"
            ]
        );
        assert!(phrases("immediate safety, prompt, soon").is_empty());
    }

    #[test]
    fn sentences_with_a_modal_or_a_named_duty_are_duties() {
        let text = "The police must attend. Carers should call. It will be done. \
            Staff shall record. A plan is required. Reviews are required. \
            Schools are expected to report; the worker is expected to visit. \
            A meeting needs to be held. Notes need to be kept. \
            It is the responsibility of the manager to check. \
            Children may be absent. The Mustang willow is a shallow matter.";
        assert_eq!(
            duties(text, &[]),
            vec![
                "The police must attend.",
                "Carers should call.",
                "It will be done.",
                "Staff shall record.",
                "A plan is required.",
                "Reviews are required.",
                "Schools are expected to report;",
                "the worker is expected to visit.",
                "A meeting needs to be held.",
                "Notes need to be kept.",
                "It is the responsibility of the manager to check."
            ]
        );
        assert_eq!(duties("WHO MUST ACT", &[]), vec!["WHO MUST ACT"]);
        // A list item is a sentence of its own: the lead-in alone holds the modal.
        let text = "The police will: Collect reports";
        assert_eq!(duties(text, &[17]), vec!["The police will:"]);
    }
}
