//! Review against the text: each rule stores a checksum of its cited paragraph's text from
//! when an editor last re-read it (`cargo xtask review`). When the paragraph's wording changes
//! the checksum no longer matches, and the rule is listed as needing review.

use crate::ProtocolContent;
use handbook_engine::text::normalise;
use sha2::{Digest, Sha256};

/// The checksum of a paragraph's text, as stored in `rules.toml`: `sha256:` and the first 16
/// hex digits of the SHA-256 of the normalised text (so spacing and curly quotes do not count).
pub fn checksum(text: &str) -> String {
    let digest = Sha256::digest(normalise(text).as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// Why a rule needs an editor to re-read it against its paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// No checksum recorded yet.
    NeverReviewed,
    /// The paragraph's text has changed since the date given.
    TextChanged { reviewed: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedsReview {
    pub rule: String,
    pub paragraph: String,
    /// Line of the rule in rules.toml.
    pub line: usize,
    pub why: Why,
    /// The paragraph's checksum now.
    pub current: String,
}

impl NeedsReview {
    pub fn words(&self) -> String {
        match &self.why {
            Why::NeverReviewed => format!(
                "rule `{}` has never been reviewed against paragraph {}",
                self.rule, self.paragraph
            ),
            Why::TextChanged { reviewed } => format!(
                "the text of paragraph {} has changed since rule `{}` was reviewed on {reviewed}",
                self.paragraph, self.rule
            ),
        }
    }
}

/// The rules of a protocol whose paragraph text is not the text they were reviewed against.
pub fn needs_review(p: &ProtocolContent) -> Vec<NeedsReview> {
    p.rules
        .rules
        .iter()
        .filter_map(|r| {
            let text = p.paragraphs.get(&*r.paragraph).map(|x| x.text.as_str())?;
            let current = checksum(text);
            let why = match (&r.checksum, &r.reviewed) {
                (Some(c), Some(d)) if *c != current => Why::TextChanged {
                    reviewed: d.clone(),
                },
                (Some(_), Some(_)) => return None,
                _ => Why::NeverReviewed,
            };
            Some(NeedsReview {
                rule: r.id.to_string(),
                paragraph: r.paragraph.to_string(),
                line: r.line,
                why,
                current,
            })
        })
        .collect()
}

/// Writes `checksum` and `reviewed` into the rules file's text for the rules named, keeping
/// everything else as it was. Returns the new text and the rule ids that were not found.
pub fn record(text: &str, updates: &[(String, String)], date: &str) -> (String, Vec<String>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len() + updates.len() * 2);
    let mut found = vec![false; updates.len()];
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        out.push(line.to_string());
        i += 1;
        if line.trim() != "[[rule]]" {
            continue;
        }
        // The rule's own lines, up to the next table header.
        let start = i;
        while i < lines.len() && !lines[i].trim_start().starts_with('[') {
            i += 1;
        }
        let body = &lines[start..i];
        let id = body.iter().find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == "id").then(|| v.trim().trim_matches('"').to_string())
        });
        let update = id
            .as_deref()
            .and_then(|id| updates.iter().position(|(r, _)| r == id));
        let is_review_key = |l: &str| {
            l.split_once('=')
                .is_some_and(|(k, _)| matches!(k.trim(), "checksum" | "reviewed"))
        };
        match update {
            Some(n) => {
                found[n] = true;
                // The new keys go after the rule's last key, before trailing blank lines and
                // comments (which belong to what follows).
                let keep = body
                    .iter()
                    .rposition(|l| {
                        let t = l.trim();
                        !t.is_empty() && !t.starts_with('#')
                    })
                    .map_or(0, |x| x + 1);
                for l in &body[..keep] {
                    if !is_review_key(l) {
                        out.push((*l).to_string());
                    }
                }
                out.push(format!("checksum = \"{}\"", updates[n].1));
                out.push(format!("reviewed = {date}"));
                out.extend(body[keep..].iter().map(|l| (*l).to_string()));
            }
            None => out.extend(body.iter().map(|l| (*l).to_string())),
        }
    }
    let missing = updates
        .iter()
        .zip(found)
        .filter(|(_, f)| !f)
        .map(|((r, _), _)| r.clone())
        .collect();
    let mut s = out.join("\n");
    if text.ends_with('\n') {
        s.push('\n');
    }
    (s, missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checksum_ignores_spacing_but_not_words() {
        let a = checksum("Within 72 hours of   their return.");
        assert_eq!(a, checksum("Within 72 hours of their return."));
        assert_ne!(a, checksum("Within 48 hours of their return."));
        assert!(a.starts_with("sha256:") && a.len() == 23, "{a}");
    }

    #[test]
    fn recording_a_review_touches_only_the_named_rule() {
        let text = "[[rule]]\nid = \"a\"\nkind = \"duty\"\nchecksum = \"sha256:0000000000000000\"\nreviewed = 2020-01-01\n\n# next\n[[rule]]\nid = \"b\"\nkind = \"duty\"\n\n[[not_modelled]]\nparagraph = \"1\"\n";
        let (out, missing) = record(
            text,
            &[
                ("a".into(), "sha256:1111111111111111".into()),
                ("zz".into(), "x".into()),
            ],
            "2026-11-23",
        );
        assert_eq!(missing, vec!["zz".to_string()]);
        assert_eq!(
            out,
            "[[rule]]\nid = \"a\"\nkind = \"duty\"\nchecksum = \"sha256:1111111111111111\"\nreviewed = 2026-11-23\n\n# next\n[[rule]]\nid = \"b\"\nkind = \"duty\"\n\n[[not_modelled]]\nparagraph = \"1\"\n"
        );
    }
}
