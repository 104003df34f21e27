//! The handbook's in-process mdBook preprocessor: paragraph anchors, the checker's mount
//! point, and tables made from the protocols' metadata.

use crate::views::flowchart::{Chart, render};
use crate::views::glossary::Glossary;
use chrono::NaiveDate;
use handbook_content::markdown::marker;
use handbook_content::{Library, ProtocolContent};
use handbook_engine::model::anchor;
use mdbook_driver::book::Book;
use mdbook_preprocessor::errors::Result;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use std::fmt::Write as _;
use std::path::Path;

/// The line a page writes where the checker goes.
pub const CHECKER_MARKER: &str = "<!-- checker -->";
/// The line a page writes where the table of protocols goes.
pub const TABLE_MARKER: &str = "<!-- protocol-table -->";
/// The id of the checker's mount element: no heading can produce it.
pub const MOUNT_ID: &str = "mcph-checker-mount";

/// A line a protocol chapter writes where generated flowcharts take the place of one lost in
/// extraction: `<!-- flowchart: missing returned -->` (charts: classification, missing,
/// returned, repeat).
pub const FLOWCHART_MARKER: &str = "<!-- flowchart:";

pub struct Handbook {
    lib: Library,
    glossary: Glossary,
}

impl Handbook {
    pub fn new(lib: Library) -> Self {
        Handbook {
            lib,
            glossary: Glossary::default(),
        }
    }

    /// Marks the first use of each glossary term on each protocol page.
    pub fn with_glossary(mut self, glossary: Glossary) -> Self {
        self.glossary = glossary;
        self
    }
}

/// The charts a flowchart marker names, drawn for the protocol, marked as generated.
pub fn flowchart_html(p: &ProtocolContent, line: &str, root: &str, place: &str) -> Result<String> {
    let names = line
        .trim()
        .trim_start_matches(FLOWCHART_MARKER)
        .trim_end_matches("-->")
        .split_whitespace();
    let mut s = String::from(
        "<div class=\"mcph-generated\" role=\"note\"><p><strong>Generated from the rules.</strong> This chart is not the original's: the handbook draws it from the rules of this protocol, each step linked to its paragraph. See all of this protocol's <a href=\"flowcharts.html\">flowcharts</a>.</p></div>\n\n",
    );
    for name in names {
        let chart = Chart::from_slug(name).ok_or_else(|| {
            anyhow::anyhow!(
                "{}: flowchart marker names `{name}`; the charts are classification, missing, returned, repeat",
                p.id
            )
        })?;
        s.push_str(&format!("<p><strong>{}</strong></p>\n\n", chart.title()));
        s.push_str(&render(p, chart, root, place).map_err(|e| anyhow::anyhow!(e))?);
        s.push('\n');
    }
    Ok(s)
}

/// "../../" for `protocols/x/y.md`, "" for `checker.md`.
pub fn path_to_root(path: &Path) -> String {
    let depth = path.components().count().saturating_sub(1);
    "../".repeat(depth)
}

/// The protocol a chapter belongs to, from its path `protocols/<id>/...`.
fn protocol_of(path: &Path) -> Option<String> {
    let mut parts = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string());
    (parts.next()? == "protocols")
        .then(|| parts.next())
        .flatten()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The HTML that replaces an `r[id]` line: an anchor with a visible, linkable paragraph mark.
pub fn anchor_html(protocol: &str, id: &str) -> String {
    let a = escape(&anchor(protocol, id));
    format!(
        "<div class=\"para-id\" id=\"{a}\"><a href=\"#{a}\" title=\"Link to paragraph {id}\">¶&#160;{id}</a></div>",
        id = escape(id)
    )
}

/// The checker's mount point, with what shows when it cannot run.
pub fn mount_html(root: &str, protocol: Option<&str>, lib: &Library) -> String {
    let first = lib
        .protocols
        .first()
        .map(|p| format!("{root}protocols/{}/index.html", p.id))
        .unwrap_or_default();
    format!(
        "<div id=\"{MOUNT_ID}\" class=\"mcph-checker\" data-root=\"{root}\" data-protocol=\"{}\"><div class=\"mcph-fallback\"><p><strong>The quick checker has not started.</strong> It needs JavaScript and WebAssembly. You can still read <a href=\"{first}\">the protocols</a> in full.</p></div></div>\n<script src=\"{root}checker/boot.js\"></script>\n",
        escape(protocol.unwrap_or(""))
    )
}

fn table_rows(lib: &Library, root: &str) -> String {
    let mut s = String::new();
    for p in &lib.protocols {
        let _ = writeln!(
            s,
            "| [{}]({root}protocols/{}/index.md): {} | {} |",
            p.meta.short_title, p.id, p.meta.title, p.meta.authority
        );
    }
    s
}

/// The Markdown of a protocol's first page, made from `protocol.toml`.
pub fn index_page(p: &ProtocolContent, today: NaiveDate) -> String {
    let m = &p.meta;
    let mut s = format!("# {}: {}\n\n", m.short_title, m.title);
    if let Some(status) = m.review_status(today) {
        let _ = writeln!(
            s,
            "<div class=\"mcph-warning\" role=\"note\"><p><strong>{status}.</strong> This is the version published on the date below. Check with {} that it is still current.</p></div>\n",
            escape(&m.authority)
        );
    }
    let _ = writeln!(s, "| | |\n|---|---|\n| Published by | {} |", m.authority);
    for (label, value) in m.dates() {
        let _ = writeln!(s, "| {label} | {value} |");
    }
    if let Some(u) = &m.undated {
        let _ = writeln!(s, "| Date | Undated: {u} |");
    }
    let _ = writeln!(
        s,
        "| Source | The published document, as extracted to text; kept in the handbook's repository as `protocols/{}/{}` |\n",
        p.id, m.source
    );
    let _ = writeln!(
        s,
        "[Use the quick checker with this protocol](../../checker.md#protocol={})\n",
        p.id
    );
    let _ = writeln!(s, "## Contents\n");
    for c in &p.chapters {
        let _ = writeln!(s, "- [{}]({}.md)", c.title.replace(['[', ']'], ""), c.stem);
    }
    s.push_str(
        "\nThe text is the protocol's own, word for word. Each paragraph has a mark (¶) with its number: select it for a link to that paragraph. Notes headed **Editor's note** are the handbook's, not the protocol's.\n",
    );
    s
}

/// True for a chapter of a protocol's text (not its generated pages).
fn is_text_chapter(path: &Path) -> bool {
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_string());
    protocol_of(path).is_some()
        && stem.is_some_and(|s| s.chars().next().is_some_and(|c| c.is_ascii_digit()))
}

fn transform(content: &str, path: &Path, lib: &Library, glossary: &Glossary) -> Result<String> {
    let root = path_to_root(path);
    let protocol = protocol_of(path);
    let marked;
    let content = if is_text_chapter(path) {
        marked = glossary.mark(content);
        marked.as_str()
    } else {
        content
    };
    let mut out = String::with_capacity(content.len() + 1024);
    let mut in_fence = false;
    for line in content.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if in_fence {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        match (line.trim(), &protocol, marker(line)) {
            (_, Some(p), Some(id)) => {
                out.push_str(&anchor_html(p, id));
                out.push_str("\n\n");
            }
            (CHECKER_MARKER, _, _) => {
                out.push_str(&mount_html(&root, protocol.as_deref(), lib));
                out.push('\n');
            }
            (TABLE_MARKER, _, _) => out.push_str(&table_rows(lib, &root)),
            (t, Some(p), _) if t.starts_with(FLOWCHART_MARKER) => {
                let p = lib
                    .get(p)
                    .ok_or_else(|| anyhow::anyhow!("no protocol `{p}` for a flowchart marker"))?;
                let place = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().to_string())
                    .unwrap_or_default();
                out.push_str(&flowchart_html(p, t, &root, &place)?);
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    Ok(out)
}

impl Preprocessor for Handbook {
    fn name(&self) -> &str {
        "handbook"
    }

    fn run(&self, _ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        let mut errors = Vec::new();
        book.for_each_chapter_mut(|ch| {
            if let Some(path) = ch.path.clone() {
                match transform(&ch.content, &path, &self.lib, &self.glossary) {
                    Ok(c) => ch.content = c,
                    Err(e) => errors.push(format!("{}: {e:#}", path.display())),
                }
            }
        });
        if errors.is_empty() {
            Ok(book)
        } else {
            Err(anyhow::anyhow!(errors.join("\n")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_and_protocols_come_from_the_path() {
        assert_eq!(path_to_root(Path::new("checker.md")), "");
        assert_eq!(
            path_to_root(Path::new("protocols/wandsworth/01-scope.md")),
            "../../"
        );
        assert_eq!(
            protocol_of(Path::new("protocols/wandsworth/01-scope.md")).as_deref(),
            Some("wandsworth")
        );
        assert_eq!(protocol_of(Path::new("checker.md")), None);
    }

    #[test]
    fn anchors_are_linkable_and_escaped() {
        assert_eq!(
            anchor_html("wandsworth", "8.1-p2"),
            "<div class=\"para-id\" id=\"wandsworth-8.1-p2\"><a href=\"#wandsworth-8.1-p2\" title=\"Link to paragraph 8.1-p2\">¶&#160;8.1-p2</a></div>"
        );
    }
}
