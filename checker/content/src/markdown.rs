//! The protocol text: Markdown chapters with `r[...]` paragraph ids.

use handbook_engine::Diagnostic;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;
use std::sync::LazyLock;

/// One paragraph (or list, or table) with its id.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub id: String,
    pub file: String,
    /// The chapter's file stem, e.g. `08-definitions`.
    pub chapter: String,
    /// Line of the `r[...]` marker.
    pub line: usize,
    /// Plain text, without Markdown syntax or editor's notes.
    pub text: String,
    /// Where in `text` a list item, table cell, paragraph or line break (`<br>`, a hard
    /// break) starts a new unit of the text: byte offsets, ascending. Sentences never run
    /// across them (see `trace`).
    pub breaks: Vec<usize>,
}

/// One Markdown file of a protocol.
#[derive(Debug, Clone, PartialEq)]
pub struct Chapter {
    pub file: String,
    pub stem: String,
    /// The level-1 heading.
    pub title: String,
    pub markdown: String,
    pub paragraphs: Vec<Paragraph>,
    /// The chapter's text without syntax or editor's notes, for the fidelity check.
    pub plain: String,
}

static MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^r\[([^\]]*)\]\s*$").expect("valid regex"));
static INDENTED_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\s+|[-*+]\s+|\d+[.)]\s+|>\s*)r\[[^\]]*\]").expect("valid regex")
});
static HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(#{1,6})\s+(.*?)\s*#*\s*$").expect("valid regex"));

/// True when `id` is a valid paragraph id.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

/// The paragraph marker on a line, if the line is one.
pub fn marker(line: &str) -> Option<&str> {
    MARKER
        .captures(line)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str())
}

/// True when a line starts an editor's note.
pub fn is_note_start(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('>')
        && t.trim_start_matches('>')
            .trim_start()
            .starts_with("**Editor's note")
}

/// Lines of `text` that are not editor's notes (a note is the whole block quote it starts).
fn without_notes(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut in_note = false;
    for line in lines {
        if is_note_start(line) {
            in_note = true;
        }
        if in_note && line.trim_start().starts_with('>') {
            out.push('\n');
            continue;
        }
        in_note = false;
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Markdown to plain text: the words only, blocks separated by spaces.
pub fn plain_text(markdown: &str) -> String {
    plain_text_with_breaks(markdown).0
}

/// Stands in `plain_text_with_breaks`'s working text where a unit of the text ends: kept by
/// `normalise` (it is neither white space nor typography), taken out before anything is
/// returned.
const BREAK: char = '\u{E000}';

/// Markdown to plain text, as `plain_text`, and the offsets in it where each list item, table
/// cell, block or line break starts a new unit.
pub fn plain_text_with_breaks(markdown: &str) -> (String, Vec<usize>) {
    let mut out = String::new();
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // Where a unit ends, a space (as ever, so that the words are as before) and a mark.
    let cut = |out: &mut String| {
        out.push(' ');
        out.push(BREAK);
        out.push(' ');
    };
    for event in Parser::new_ext(markdown, opts) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t.replace(BREAK, " ")),
            // A line of the Markdown wrapped inside a paragraph: not a break.
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => cut(&mut out),
            Event::Start(Tag::Item) => cut(&mut out),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock,
            ) => cut(&mut out),
            // A line break written as HTML (`<br>` in a table cell) separates words.
            Event::Html(h) | Event::InlineHtml(h) if h.trim_start().starts_with("<br") => {
                cut(&mut out)
            }
            Event::Html(_) | Event::InlineHtml(_) => {}
            _ => {}
        }
    }
    // Normalised with the marks in place (each has single spaces either side or an end of
    // the text), then the marks taken out: the words are those `normalise` gives with a
    // space in place of each mark.
    let mut text = String::new();
    let mut breaks = Vec::new();
    for piece in handbook_engine::text::normalise(&out).split(BREAK) {
        let piece = piece.trim();
        if piece.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push(' ');
            breaks.push(text.len());
        }
        text.push_str(piece);
    }
    (text, breaks)
}

/// Reads one chapter file, collecting every problem.
pub fn parse_chapter(file: &str, stem: &str, text: &str) -> Result<Chapter, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut title = None;
    let mut early_text = false;
    let mut in_fence = false;
    // (id, line index) of each marker, and the line index where each block ends.
    let mut starts: Vec<(String, usize)> = Vec::new();
    let mut ends: Vec<usize> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let n = i + 1;
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        if let Some(c) = HEADING.captures(line) {
            let level = c.get(1).map_or(0, |m| m.as_str().len());
            let words = c.get(2).map_or("", |m| m.as_str()).to_string();
            if title.is_none() {
                if level != 1 {
                    errors.push(Diagnostic::new(
                        file,
                        n,
                        "the file must start with a level-1 heading, like `# 8. Definitions`",
                    ));
                }
                title = Some(words);
            } else if level == 1 {
                errors.push(Diagnostic::new(
                    file,
                    n,
                    "a second level-1 heading: use `##` for a subsection, or start a new file",
                ));
            }
            ends.push(i);
            continue;
        }
        if title.is_none() && !early_text && !line.trim().is_empty() {
            errors.push(Diagnostic::new(
                file,
                n,
                "text before the file's level-1 heading: start the file with `# Title`",
            ));
            early_text = true;
        }
        if let Some(id) = marker(line) {
            if !valid_id(id) {
                errors.push(Diagnostic::new(
                    file,
                    n,
                    format!("paragraph id `r[{id}]` may hold only letters, digits, `.` and `-`, like r[8.1-p2]"),
                ));
            }
            ends.push(i);
            starts.push((id.to_string(), i));
        } else if INDENTED_MARKER.is_match(line) {
            errors.push(Diagnostic::new(
                file,
                n,
                "a paragraph id must stand alone at the start of its own line, before the paragraph or list",
            ));
        }
    }
    if title.is_none() {
        // Line 1: where the heading belongs.
        errors.push(Diagnostic::new(
            file,
            1,
            "the file has no heading: start it with `# Title`",
        ));
    }
    let mut paragraphs = Vec::new();
    for (id, start) in &starts {
        let end = ends
            .iter()
            .copied()
            .find(|e| e > start)
            .unwrap_or(lines.len());
        let body = without_notes(&lines[start + 1..end]);
        let (text, breaks) = plain_text_with_breaks(&body);
        if text.is_empty() {
            errors.push(Diagnostic::new(
                file,
                start + 1,
                format!("paragraph `r[{id}]` has no text before the next id or heading"),
            ));
        }
        paragraphs.push(Paragraph {
            id: id.clone(),
            file: file.to_string(),
            chapter: stem.to_string(),
            line: start + 1,
            text,
            breaks,
        });
    }
    let kept: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| marker(l).is_none())
        .collect();
    let plain = plain_text(&without_notes(&kept));
    if errors.is_empty() {
        Ok(Chapter {
            file: file.to_string(),
            stem: stem.to_string(),
            title: title.unwrap_or_default(),
            markdown: text.to_string(),
            paragraphs,
            plain,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHAPTER: &str = "# 8. Definitions\n\nr[8-p1]\n\nThere are a range of *definitions*.\n\n> **Editor's note:** A heading was lost here.\n\n## 8.1 Missing\n\nr[8.1-p1]\n\nThe police will:\n\n- Collect reports;\n- Carry out investigations.\n\n| a | b |\n|---|---|\n| c | d |\n";

    #[test]
    fn paragraphs_run_to_the_next_id_or_heading() {
        let c = parse_chapter("p/08.md", "08", CHAPTER).expect("valid");
        assert_eq!(c.title, "8. Definitions");
        assert_eq!(c.paragraphs.len(), 2);
        assert_eq!(c.paragraphs[0].text, "There are a range of definitions.");
        assert_eq!(c.paragraphs[0].line, 3);
        assert_eq!(
            c.paragraphs[1].text,
            "The police will: Collect reports; Carry out investigations. a b c d"
        );
        assert!(!c.plain.contains("Editor"));
        assert!(c.plain.contains("8.1 Missing The police will:"));
    }

    #[test]
    fn items_cells_and_blocks_start_new_units_without_changing_the_words() {
        let c = parse_chapter("p/08.md", "08", CHAPTER).expect("valid");
        let p = &c.paragraphs[1];
        let units: Vec<&str> = p
            .breaks
            .iter()
            .zip(p.breaks.iter().skip(1).chain([&p.text.len()]))
            .map(|(&a, &b)| p.text[a..b].trim())
            .collect();
        assert_eq!(p.text[..p.breaks[0]].trim(), "The police will:");
        assert_eq!(
            units,
            vec![
                "Collect reports;",
                "Carry out investigations.",
                "a",
                "b",
                "c",
                "d"
            ]
        );
        // A soft line break is not a break; a hard one and `<br>` are.
        let (text, breaks) = plain_text_with_breaks("one\ntwo  \nthree<br>four\n\n- five\n");
        assert_eq!(text, "one two three four five");
        let starts: Vec<&str> = breaks.iter().map(|&b| &text[b..]).collect();
        assert_eq!(starts, vec!["three four five", "four five", "five"]);
        assert_eq!(plain_text("x\u{E000}y"), "x y");
    }

    #[test]
    fn bad_markup_is_reported_with_its_line() {
        let bad = "Intro\n# Title\n\nr[8 1]\n\ntext\n\n- r[9-p1] item\n\nr[9-p2]\n\n## Next\n";
        let errors = parse_chapter("p/x.md", "x", bad).expect_err("invalid");
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![1, 4, 8, 10], "{errors:?}");
    }
}
