//! The built site: every paragraph has its anchor, the protocol pages show their dates, search
//! covers the protocols, and nothing is loaded from another site.

mod support;

use std::fs;
use support::{library, site};

fn page(path: &str) -> String {
    fs::read_to_string(site().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_paragraph_has_its_anchor_on_its_page() {
    let lib = library();
    let mut count = 0;
    for p in &lib.protocols {
        for (id, para) in &p.paragraphs {
            let html = page(&handbook_content::chapter_page(&p.id, &para.chapter));
            let anchor = handbook_engine::model::anchor(&p.id, id);
            assert!(
                html.contains(&format!("id=\"{anchor}\"")),
                "{}: no anchor {anchor}",
                para.file
            );
            count += 1;
        }
    }
    println!("{count} paragraph anchors found");
    assert!(count > 0);
}

#[test]
fn protocol_pages_show_their_dates_and_review_status() {
    let lib = library();
    for p in &lib.protocols {
        let html = page(&handbook_content::index_page(&p.id));
        // The authority's name, up to any character HTML escapes.
        let name: String = p
            .meta
            .authority
            .chars()
            .take_while(|c| !"&'\"<".contains(*c))
            .collect();
        assert!(html.contains(&name), "{}: no {name}", p.id);
        if let Some(due) = p.meta.review_due {
            // Every protocol's review date in this handbook has passed (the newest is 2024).
            assert!(
                html.contains(&format!("Review overdue since {}", due.words())),
                "{} does not say its review is overdue",
                p.id
            );
        }
        assert!(
            html.contains(&format!("checker.html#protocol={}", p.id)),
            "{}",
            p.id
        );
    }
}

#[test]
fn search_covers_the_protocol_text() {
    let lib = library();
    let index = fs::read_dir(site())
        .expect("the site")
        .filter_map(Result::ok)
        .find(|e| {
            e.file_name().to_string_lossy().starts_with("searchindex")
                && e.file_name().to_string_lossy().ends_with(".js")
        })
        .map(|e| fs::read_to_string(e.path()).unwrap_or_default())
        .expect("a search index");
    for p in &lib.protocols {
        let chapter = p.chapters.last().expect("a chapter");
        assert!(
            index.contains(&format!("protocols/{}/{}.html", p.id, chapter.stem)),
            "{} is not in the search index",
            p.id
        );
    }
}

/// Every file of the built site, relative to its root, with its text.
fn site_files(ext: &[&str]) -> Vec<(String, String)> {
    fn walk(
        dir: &std::path::Path,
        root: &std::path::Path,
        ext: &[&str],
        out: &mut Vec<(String, String)>,
    ) {
        for entry in std::fs::read_dir(dir).expect("reading the site").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, root, ext, out);
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ext.contains(&e))
            {
                let rel = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .to_string();
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                out.push((rel, text));
            }
        }
    }
    let root = site();
    let mut out = Vec::new();
    walk(&root, &root, ext, &mut out);
    out
}

#[test]
fn no_file_of_the_site_refers_to_another_site() {
    // Addresses a page could load or go to: attributes, CSS url() and @import, and JavaScript
    // strings. XML namespace names (xmlns) are names, not addresses, and comments are not read.
    let comment = regex::Regex::new(r"(?s)<!--.*?-->").expect("regex");
    let attr = regex::Regex::new(
        r#"\s(?:src|href|action|formaction|srcset|poster|data|cite|background)\s*=\s*["']?\s*(?:https?:)?//"#,
    )
    .expect("regex");
    let css = regex::Regex::new(r#"(?i)(?:url\(\s*["']?|@import\s+["'])\s*(?:https?:)?//"#)
        .expect("regex");
    let js_string = regex::Regex::new(r#"["'`](?:https?:)?//[a-zA-Z0-9]"#).expect("regex");
    let mut problems = Vec::new();
    let mut counts = [0usize; 3];
    for (name, text) in site_files(&["html", "css", "js"]) {
        let line = |offset: usize| text[..offset].lines().count().max(1);
        if name.ends_with(".html") {
            counts[0] += 1;
            let text = comment.replace_all(&text, "");
            for m in attr.find_iter(&text) {
                problems.push(format!(
                    "{name}: {}",
                    &text[m.start()..(m.end() + 60).min(text.len())]
                ));
            }
            for m in css.find_iter(&text) {
                problems.push(format!("{name}: {}", m.as_str()));
            }
        } else if name.ends_with(".css") {
            counts[1] += 1;
            for m in css.find_iter(&text) {
                problems.push(format!("{name}:{}: {}", line(m.start()), m.as_str()));
            }
        } else {
            counts[2] += 1;
            // The search index holds the protocols' words, which quote some addresses as text.
            if name.starts_with("searchindex") {
                continue;
            }
            for m in js_string.find_iter(&text) {
                problems.push(format!(
                    "{name}:{}: {}",
                    line(m.start()),
                    &text[m.start()..(m.end() + 40).min(text.len())]
                ));
            }
        }
    }
    println!(
        "scanned {} HTML, {} CSS and {} JavaScript files",
        counts[0], counts[1], counts[2]
    );
    assert!(
        counts[0] > 20 && counts[1] > 3 && counts[2] > 5,
        "too few files scanned: {counts:?}"
    );
    assert!(
        problems.is_empty(),
        "references to other sites:\n{}",
        problems.join("\n")
    );
    assert!(site().join("checker/checker_bg.wasm").exists());
    assert!(site().join("checker/checker.js").exists());
}
