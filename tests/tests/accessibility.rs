//! Every page of the built site, checked with axe-core (WCAG 2.0, 2.1 and 2.2, A and AA) in a
//! real headless Chromium, on a small phone and on a desktop. The test lists the pages it
//! visited, so none can be skipped silently.

mod support;

use serde_json::json;
use std::path::Path;
use support::*;

/// Every HTML page of the built site, as paths relative to its root.
fn pages() -> Vec<String> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
        let entries =
            std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "html") {
                let rel = path.strip_prefix(root).unwrap_or(&path);
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let root = site();
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out.sort();
    out
}

fn every_page_at(width: u32, height: u32, dark: bool) {
    let list = pages();
    assert!(list.len() > 20, "only {} pages in the site", list.len());
    for required in ["index.html", "checker.html", "print.html", "404.html"] {
        assert!(list.iter().any(|p| p == required), "{required} is missing");
    }
    let axe = axe_source();
    let extra: &[&str] = if dark { &[DARK] } else { &[] };
    let theme = if dark { "navy" } else { "light" };
    browser_test_with("every page", width, height, extra, |c, base| async move {
        let mut failures = Vec::new();
        let mut visited = 0;
        for page in &list {
            goto(&c, &format!("{base}{page}")).await;
            loaded(&c, page).await;
            // toc.html is the contents frame for readers without JavaScript: it has no theme
            // script, so it is always light (and checked as such).
            let themed = page != "toc.html";
            assert_eq!(
                themed
                    && js(
                        &c,
                        &format!("return document.documentElement.classList.contains('{theme}')")
                    )
                    .await
                        == json!(true),
                themed,
                "{page}: the theme a reader in this colour scheme gets"
            );
            for problem in accessibility_problems(&c, &axe).await {
                failures.push(format!("{page}: {problem}"));
            }
            visited += 1;
        }
        println!(
            "axe-core at {width}x{height} in the {theme} theme: {visited} pages visited: {}",
            list.join(", ")
        );
        assert!(
            failures.is_empty(),
            "{} problems at {width}x{height}:\n{}",
            failures.len(),
            failures.join("\n")
        );
        c
    })
}

#[test]
fn every_page_is_accessible_on_a_small_phone() {
    every_page_at(320, 640, false);
}

#[test]
fn every_page_is_accessible_on_a_small_phone_in_dark_mode() {
    every_page_at(320, 640, true);
}

#[test]
fn every_page_is_accessible_on_a_desktop() {
    every_page_at(1280, 800, false);
}

#[test]
fn the_keyboard_reaches_the_content_and_the_menu() {
    browser_test("keyboard", 1280, 800, |c, base| async move {
        goto(&c, &format!("{base}introduction.html")).await;
        loaded(&c, "the page").await;
        let body = within("finding the page", c.find(fantoccini::Locator::Css("body"))).await;
        within("pressing Tab", body.send_keys("\u{E004}")).await;
        assert_eq!(
            js(
                &c,
                "return document.activeElement.className + '|' + document.activeElement.textContent"
            )
            .await,
            json!("mcph-skip-link|Skip to main content"),
            "the first tab stop"
        );
        let skip = within("the skip link", c.active_element()).await;
        within("pressing Enter", skip.send_keys("\u{E007}")).await;
        assert_eq!(
            js(&c, "return document.activeElement.id").await,
            json!("mcph-main"),
            "the skip link moves focus to the content"
        );
        assert_eq!(
            js(&c, "return document.querySelectorAll('h1').length").await,
            json!(1),
            "one h1 on the page"
        );
        // The menu toggle is reachable and works from the keyboard.
        let toggle = within(
            "the menu toggle",
            c.find(fantoccini::Locator::Css("#mdbook-sidebar-toggle")),
        )
        .await;
        let before = js(
            &c,
            "return document.getElementById('mdbook-sidebar-toggle-anchor').checked",
        )
        .await;
        js(
            &c,
            "document.getElementById('mdbook-sidebar-toggle').focus(); return true",
        )
        .await;
        assert_eq!(
            js(&c, "return document.activeElement.id").await,
            json!("mdbook-sidebar-toggle"),
            "the menu toggle takes focus"
        );
        within(
            "pressing Enter on the menu toggle",
            toggle.send_keys("\u{E007}"),
        )
        .await;
        let after = js(
            &c,
            "return document.getElementById('mdbook-sidebar-toggle-anchor').checked",
        )
        .await;
        assert_ne!(before, after, "Enter opens or closes the menu");
        c
    })
}
