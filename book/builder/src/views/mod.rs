//! Views generated from the rule data at build time: flowcharts, the comparison across
//! protocols, traceability, training cases, the glossary and the amendments log. Each is a
//! Markdown page (with HTML where Markdown cannot say it) staged beside the protocols' text, so
//! mdBook puts it in the contents and the search index like any other page.

pub mod amendments;
pub mod compare;
pub mod flowchart;
pub mod glossary;
pub mod trace;
pub mod training;

use handbook_content::{Library, ProtocolContent};
use std::path::Path;

/// A generated page: where it goes in the staged source, its title in the contents, its text.
#[derive(Debug, Clone)]
pub struct Page {
    pub path: String,
    pub title: String,
    pub markdown: String,
}

/// The line of `book/src/SUMMARY.md` replaced by the pages across protocols.
pub const VIEWS_MARKER: &str = "<!-- views -->";

pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A generated page's body is marked so that the whole-handbook print page (`print.html`) can
/// leave it out: five sets of flowcharts, training cases and traceability tables would make it
/// several megabytes. Each page prints well on its own.
pub const PRINT_OMIT_START: &str = "<!-- mcph-print-omit -->";
pub const PRINT_OMIT_END: &str = "<!-- /mcph-print-omit -->";

/// Wraps everything after the page's level-1 heading in the print-omit markers.
fn mark_for_print(markdown: String) -> String {
    match markdown.split_once("\n\n") {
        Some((h1, rest)) => {
            format!("{h1}\n\n{PRINT_OMIT_START}\n\n{rest}\n\n{PRINT_OMIT_END}\n")
        }
        None => markdown,
    }
}

/// Replaces each marked body in the print page with a note saying where to read it.
pub fn omit_from_print(html: &str) -> String {
    let note = "<p class=\"mcph-print-note\"><em>This page is generated from the rules and is left out of the print of the whole handbook. Open it on its own to read or print it.</em></p>";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(PRINT_OMIT_START) {
        out.push_str(&rest[..start]);
        match rest[start..].find(PRINT_OMIT_END) {
            Some(end) => {
                out.push_str(note);
                rest = &rest[start + end + PRINT_OMIT_END.len()..];
            }
            None => {
                rest = &rest[start..];
                break;
            }
        }
    }
    out.push_str(rest);
    // The phone drawing of a chart is never shown in print.
    let narrow = "<svg class=\"mcph-flow-svg mcph-flow-narrow\"";
    let mut kept = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(start) = rest.find(narrow) {
        kept.push_str(&rest[..start]);
        match rest[start..].find("</svg>") {
            Some(end) => rest = &rest[start + end + "</svg>".len()..],
            None => {
                rest = &rest[start..];
                break;
            }
        }
    }
    kept.push_str(rest);
    kept
}

/// The link from a page at `root` to a paragraph of a protocol.
pub fn para_href(p: &ProtocolContent, root: &str, paragraph: &str) -> String {
    format!("{root}{}", p.protocol.link(paragraph))
}

/// The per-protocol pages, after its chapters in the contents: (file stem, title).
pub const PROTOCOL_PAGES: [(&str, &str); 3] = [
    ("flowcharts", "Flowcharts"),
    ("training", "Training cases"),
    ("traceability", "Traceability"),
];

/// Every generated page. `root` is the workspace root (for the glossary and git history);
/// `cache` the file where the amendments log keeps what it learnt from the history.
pub fn pages(lib: &Library, root: &Path, cache: Option<&Path>) -> Result<Vec<Page>, String> {
    let glossary = glossary::Glossary::load(root)?;
    let mut out = Vec::new();
    for p in &lib.protocols {
        let r = "../../";
        out.push(Page {
            path: format!("protocols/{}/flowcharts.md", p.id),
            title: "Flowcharts".into(),
            markdown: flowchart::page(p, r)?,
        });
        out.push(Page {
            path: format!("protocols/{}/training.md", p.id),
            title: "Training cases".into(),
            markdown: training::page(p, r),
        });
        out.push(Page {
            path: format!("protocols/{}/traceability.md", p.id),
            title: "Traceability".into(),
            markdown: trace::page(p, r),
        });
    }
    let r = "../";
    out.push(Page {
        path: "views/comparison.md".into(),
        title: "Comparing the protocols".into(),
        markdown: compare::page(lib, r),
    });
    out.push(Page {
        path: "views/training.md".into(),
        title: "Training cases by theme".into(),
        markdown: training::index(lib, r),
    });
    out.push(Page {
        path: "views/glossary.md".into(),
        title: "Glossary".into(),
        markdown: glossary.page(lib, r)?,
    });
    out.push(Page {
        path: "views/amendments.md".into(),
        title: "Amendments log".into(),
        markdown: amendments::page(lib, root, r, cache),
    });
    Ok(out
        .into_iter()
        .map(|p| Page {
            markdown: mark_for_print(p.markdown),
            ..p
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_bodies_are_left_out_of_the_print_page_only() {
        let md = mark_for_print("# Title\n\nBody one.\n\nBody two.\n".to_string());
        assert!(md.starts_with("# Title\n\n<!-- mcph-print-omit -->\n\nBody one."));
        let html = format!(
            "<h1>A</h1>{PRINT_OMIT_START}<p>big</p>{PRINT_OMIT_END}<h1>B</h1><p>kept</p>{PRINT_OMIT_START}<p>big</p>{PRINT_OMIT_END}"
        );
        let out = omit_from_print(&html);
        assert!(!out.contains("big"), "{out}");
        assert!(out.contains("<h1>B</h1><p>kept</p>"), "{out}");
        assert_eq!(out.matches("mcph-print-note").count(), 2);
        let chart = "<figure><svg class=\"mcph-flow-svg mcph-flow-wide\"><a/></svg><svg class=\"mcph-flow-svg mcph-flow-narrow\"><a/></svg></figure>";
        assert_eq!(
            omit_from_print(chart),
            "<figure><svg class=\"mcph-flow-svg mcph-flow-wide\"><a/></svg></figure>"
        );
    }
}
