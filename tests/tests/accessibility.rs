//! Every page of the built site, checked with axe-core (WCAG 2.0, 2.1 and 2.2, A and AA) in a
//! real headless Chromium, on a small phone and on a desktop. The test lists the pages it
//! visited, so none can be skipped silently.

mod support;

use serde_json::json;
use std::path::Path;
use std::time::Duration;
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

/// The sidebar's links, once its contents have been drawn.
const CONTENTS_DRAWN: &str = "return document.querySelectorAll('#mdbook-sidebar a').length > 50";
/// Whether the page has asked for the contents script.
const CONTENTS_FETCHED: &str = "return performance.getEntriesByType('resource').some(e => /\\/toc-[0-9a-f]+\\.js$/.test(e.name))";
/// The sidebar marks the page's own chapter and lists the page's headings under it.
const CONTENTS_MARK_THE_PAGE: &str = "const a = document.querySelector('#mdbook-sidebar a.active'); \
     return !!a && a.href === location.href.split('#')[0] \
     && document.querySelectorAll('#mdbook-sidebar a.header-in-summary').length > 0";
const RECORD_ERRORS: &str = "window.__errors = []; \
     window.addEventListener('error', e => window.__errors.push(e.message || String(e.target && e.target.src)), true);";

/// Waits until the sidebar's contents are drawn, mark the page's chapter and list its
/// headings (`when` says in which case, for the failure message).
async fn contents_drawn(c: &fantoccini::Client, when: &str) {
    wait_until(
        c,
        &format!("the contents are drawn{when}"),
        CONTENTS_DRAWN,
        Duration::from_secs(20),
    )
    .await;
    wait_until(
        c,
        &format!("the contents mark the page and list its headings{when}"),
        CONTENTS_MARK_THE_PAGE,
        Duration::from_secs(5),
    )
    .await;
}

/// Nothing on the page is moving (the sidebar slides in and out).
const STILL: &str = "return document.getAnimations().length === 0";

/// Presses the menu button once nothing is moving: on a phone the open sidebar slides in over
/// where the button was, and the button moves aside.
async fn toggle_menu(c: &fantoccini::Client) {
    wait_until(c, "the sidebar is still", STILL, Duration::from_secs(5)).await;
    // (If the button were still covered once nothing moves, a reader could not tap it
    // either, and the click fails the test.)
    click(c, "#mdbook-sidebar-toggle").await;
}

/// The protocol chapter with the most headings (the sidebar lists them under it), and the
/// anchor of its last paragraph.
fn chapter_with_headings() -> (String, String) {
    let root = site();
    let heading = regex::Regex::new(r#"<h2 id="[^"]+""#).expect("regex");
    let paragraph =
        regex::Regex::new(r#"<div class="para-id" id="([a-z-]+-[0-9.]+-p[0-9]+)""#).expect("regex");
    let mut best: Option<(usize, String, String)> = None;
    for p in library().protocols {
        for ch in &p.chapters {
            let page = format!("protocols/{}/{}.html", p.id, ch.stem);
            let Ok(html) = std::fs::read_to_string(root.join(&page)) else {
                continue;
            };
            let count = heading.find_iter(&html).count();
            let last = paragraph
                .captures_iter(&html)
                .last()
                .map(|c| c[1].to_string());
            if let Some(last) = last
                && best.as_ref().is_none_or(|b| count > b.0)
            {
                best = Some((count, page, last));
            }
        }
    }
    let (count, page, last) = best.expect("a chapter with paragraphs");
    assert!(count > 0, "no chapter has headings");
    (page, last)
}

/// The sidebar's contents (every chapter's title and link) load when the sidebar is first
/// shown: a phone, where it starts hidden, does not download them for nothing; opened, the
/// sidebar lists every chapter, marks the page's own and lists its headings; if they cannot
/// load, it says so, and opening it again tries again.
#[test]
fn on_a_phone_the_contents_load_when_the_menu_is_first_opened() {
    let (chapter, _) = chapter_with_headings();
    let axe = axe_source();
    browser_test("contents: phone", 390, 844, |c, base| async move {
        cdp(
            &c,
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": RECORD_ERRORS }),
        )
        .await;
        cdp(&c, "Network.enable", json!({})).await;
        let page = format!("{base}{chapter}");
        goto(&c, &page).await;
        loaded(&c, &chapter).await;
        // What the page loads with it has had time to arrive.
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(
            js(&c, CONTENTS_FETCHED).await,
            json!(false),
            "{chapter} fetched the contents with the sidebar closed"
        );
        toggle_menu(&c).await;
        contents_drawn(&c, "").await;
        assert_eq!(
            js(&c, "return getComputedStyle(document.getElementById('mdbook-sidebar')).display !== 'none' \
                    && document.querySelector('#mdbook-sidebar a').tabIndex === 0").await,
            json!(true),
            "the open sidebar's links can be reached with Tab"
        );
        wait_until(&c, "the sidebar is still", STILL, Duration::from_secs(5)).await;
        screenshot(&c, "contents-open-on-a-phone.png").await;
        let problems = accessibility_problems(&c, &axe).await;
        assert!(problems.is_empty(), "the open sidebar: {problems:#?}");

        // Cannot load: the sidebar says so; back online, opening it again tries again.
        cdp(&c, "Network.setBlockedURLs", json!({ "urls": ["*toc-*"] })).await;
        goto(&c, &page).await;
        loaded(&c, &chapter).await;
        toggle_menu(&c).await;
        wait_until(
            &c,
            "a message that the contents could not load",
            "const s = document.querySelector('#mdbook-sidebar [role=status]'); \
             return !!s && s.textContent.includes('could not be loaded')",
            Duration::from_secs(20),
        )
        .await;
        wait_until(&c, "the sidebar is still", STILL, Duration::from_secs(5)).await;
        screenshot(&c, "contents-not-loaded-on-a-phone.png").await;
        let problems = accessibility_problems(&c, &axe).await;
        assert!(problems.is_empty(), "the sidebar's message: {problems:#?}");
        assert_eq!(
            js(&c, "return window.__errors.filter(e => !/toc-/.test(e))").await,
            json!([]),
            "the page threw"
        );
        cdp(&c, "Network.setBlockedURLs", json!({ "urls": [] })).await;
        toggle_menu(&c).await;
        toggle_menu(&c).await;
        wait_until(
            &c,
            "the contents are drawn on a second try",
            CONTENTS_DRAWN,
            Duration::from_secs(20),
        )
        .await;

        // Slow: the sidebar says it is loading, then shows the contents.
        cdp(&c, "Network.clearBrowserCache", json!({})).await;
        goto(&c, &page).await;
        loaded(&c, &chapter).await;
        cdp(
            &c,
            "Network.emulateNetworkConditions",
            json!({ "offline": false, "latency": 1500, "downloadThroughput": -1, "uploadThroughput": -1 }),
        )
        .await;
        toggle_menu(&c).await;
        wait_until(
            &c,
            "a message that the contents are loading",
            "const s = document.querySelector('#mdbook-sidebar [role=status]'); \
             return !!s && s.textContent === 'Loading the contents\u{2026}'",
            Duration::from_secs(5),
        )
        .await;
        wait_until(
            &c,
            "the contents are drawn on a slow connection",
            CONTENTS_DRAWN,
            Duration::from_secs(20),
        )
        .await;
        c
    });
}

/// On a wide screen the sidebar starts open, so its contents load at once; a link to a
/// paragraph still shows that paragraph when they arrive (drawing them scrolls the sidebar
/// to the page's own chapter, and must not scroll the page). From disk too.
#[test]
fn on_a_desktop_the_contents_load_at_once_and_a_paragraph_link_stays_put() {
    let (chapter, paragraph) = chapter_with_headings();
    browser_test("contents: desktop", 1280, 800, |c, base| async move {
        goto(&c, &format!("{base}{chapter}#{paragraph}")).await;
        loaded(&c, &chapter).await;
        contents_drawn(&c, "").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let shown = js(
            &c,
            &format!(
                "const r = document.getElementById('{paragraph}').getBoundingClientRect(); \
                 return window.scrollY > 0 && r.top >= 0 && r.top < innerHeight"
            ),
        )
        .await;
        assert_eq!(
            shown,
            json!(true),
            "{chapter}#{paragraph} is not on the screen"
        );

        // Opened from disk (file://), the contents load too.
        let on_disk = format!("file://{}", site().join(&chapter).display());
        goto(&c, &on_disk).await;
        loaded(&c, &chapter).await;
        contents_drawn(&c, " from disk").await;
        c
    });
}
