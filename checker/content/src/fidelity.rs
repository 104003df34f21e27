//! The fidelity check: how much of the source document's text the handbook reproduces
//! word for word.

use crate::ProtocolContent;
use handbook_engine::text::normalise;
use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq)]
pub struct Fidelity {
    /// Sentences of the source (after page furniture and omitted lines are removed).
    pub sentences: usize,
    /// Of those, how many occur word for word in the Markdown.
    pub found: usize,
    pub missing: Vec<String>,
}

impl Fidelity {
    pub fn percent(&self) -> f64 {
        if self.sentences == 0 {
            return 0.0;
        }
        100.0 * self.found as f64 / self.sentences as f64
    }
}

/// The share of source sentences the Markdown must reproduce.
pub const REQUIRED_PERCENT: f64 = 98.0;

static BULLET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[•▪◦●○■□➢➤✓✔\u{F0B7}\u{F0A7}\u{F0D8}\u{F076}·–-]|o\s)\s*")
        .expect("valid regex")
});
static HYPHEN_BREAK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([A-Za-z])-[ \t]*\n[ \t]*").expect("valid regex"));
static MD_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\([^)]*\)").expect("valid regex"));
static BOUNDARY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[.?!;:]\s").expect("valid regex"));
static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[A-Za-z0-9]+").expect("valid regex"));

/// The source text with page furniture, omitted lines, bullets and emphasis marks removed.
pub fn clean_source(p: &ProtocolContent) -> String {
    let mut out = String::new();
    for (i, line) in p.source.lines().enumerate() {
        let n = i + 1;
        if p.meta.omit.iter().any(|o| n >= o.from && n <= o.to) {
            continue;
        }
        let mut line = line.to_string();
        for f in &p.meta.furniture {
            line = f.replace_all(&line, "").to_string();
        }
        let line = BULLET.replace(&line, "");
        let line = MD_LINK.replace_all(&line, "$1");
        let line = line.replace("**", "").replace("__", "");
        out.push_str(&line);
        out.push('\n');
    }
    // A word split at a hyphen across two lines ("case-" / "holding") is one word.
    let joined = HYPHEN_BREAK.replace_all(&out, "$1-");
    normalise(&joined)
}

/// Splits normalised text into sentences (at . ? ! ; : followed by a space).
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    for m in BOUNDARY.find_iter(text) {
        let end = m.start() + 1;
        out.push(text[start..end].trim().to_string());
        start = m.end();
    }
    out.push(text[start..].trim().to_string());
    out.into_iter()
        .filter(|s| WORD.find_iter(s).count() >= 3)
        .collect()
}

pub fn check(p: &ProtocolContent) -> Fidelity {
    let markdown: String = p
        .chapters
        .iter()
        .map(|c| c.plain.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let markdown = normalise(&markdown.replace("**", ""));
    let all = sentences(&clean_source(p));
    let mut missing = Vec::new();
    for s in &all {
        if !markdown.contains(s.as_str()) {
            missing.push(s.clone());
        }
    }
    Fidelity {
        sentences: all.len(),
        found: all.len() - missing.len(),
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_stops_and_drop_fragments() {
        let s = sentences("The police will: collect all reports; carry on. Page 4 of 9 ok. A b");
        assert_eq!(
            s,
            vec![
                "The police will:",
                "collect all reports;",
                "Page 4 of 9 ok."
            ]
        );
    }
}
