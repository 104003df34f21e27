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

#[test]
fn nothing_is_loaded_from_another_site() {
    let re = regex::Regex::new(r#"(?:src|href)\s*=\s*["'](?:https?:)?//"#).expect("regex");
    let mut checked = 0;
    for name in ["index.html", "checker.html", "print.html"] {
        let html = page(name);
        for tag in html
            .split('<')
            .filter(|t| t.starts_with("script") || t.starts_with("link"))
        {
            assert!(!re.is_match(tag), "{name} loads from another site: <{tag}");
        }
        checked += 1;
    }
    assert_eq!(checked, 3);
    assert!(site().join("checker/checker_bg.wasm").exists());
    assert!(site().join("checker/checker.js").exists());
}
