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

/// Every generated page. `root` is the workspace root (for the glossary and git history).
pub fn pages(lib: &Library, root: &Path) -> Result<Vec<Page>, String> {
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
        markdown: amendments::page(lib, root, r),
    });
    Ok(out)
}
