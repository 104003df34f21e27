//! Search in a real headless Chromium: the protocols' own words first, their different words
//! for one thing found together, the bytes a first query costs, and axe-core on the search UI.

mod support;

use flate2::Compression;
use flate2::write::GzEncoder;
use regex::Regex;
use serde_json::json;
use std::fs;
use std::io::Write;
use std::time::Duration;
use support::*;

/// Opens search on the current page and types `query`; waits until the results are drawn and
/// no shard is still loading.
async fn search(c: &fantoccini::Client, query: &str) {
    loaded(c, "the page").await;
    let open = js(
        c,
        "return !document.getElementById('mdbook-search-wrapper').classList.contains('hidden')",
    )
    .await;
    if open != json!(true) {
        click(c, "#mdbook-search-toggle").await;
        // The first press loads search's scripts; the bar opens once they have run.
        wait_until(
            c,
            "the search bar opens",
            "return !document.getElementById('mdbook-search-wrapper').classList.contains('hidden')",
            Duration::from_secs(20),
        )
        .await;
    }
    type_into(c, "#mdbook-searchbar", query).await;
    wait_until(
        c,
        &format!("results for {query}"),
        "return document.querySelectorAll('#mdbook-searchresults li').length > 0 \
         && !document.getElementById('mdbook-searchbar-outer').classList.contains('searching')",
        Duration::from_secs(20),
    )
    .await;
}

/// The results shown, in order: (address relative to the site, without `?highlight`; kind).
async fn results(c: &fantoccini::Client, base: &str) -> Vec<(String, String)> {
    let v = js(
        c,
        "return [...document.querySelectorAll('#mdbook-searchresults li')].map(li => { \
           const u = new URL(li.querySelector('a').href); \
           return [u.origin + u.pathname + u.hash, li.dataset.kind || '']; })",
    )
    .await;
    v.as_array()
        .expect("a list")
        .iter()
        .map(|r| {
            (
                r[0].as_str()
                    .unwrap_or_default()
                    .trim_start_matches(base)
                    .to_string(),
                r[1].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The section (the nearest `<h1>` or `<h2>` above it, which is what search indexes) that holds
/// a paragraph, as `page#heading`.
fn section_of(page: &str, paragraph_anchor: &str) -> String {
    let html = fs::read_to_string(site().join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
    let at = html
        .find(&format!("id=\"{paragraph_anchor}\""))
        .unwrap_or_else(|| panic!("{page} has no anchor {paragraph_anchor}"));
    let heading = Regex::new(r#"<h[12] id="([^"]+)""#).expect("a regex");
    let id = heading
        .captures_iter(&html[..at])
        .last()
        .map(|c| c[1].to_string())
        .unwrap_or_else(|| panic!("{page}: no heading above {paragraph_anchor}"));
    format!("{page}#{id}")
}

#[test]
fn return_home_interview_finds_wandsworths_return_home_conversation_from_any_page() {
    let lib = library();
    let wandsworth = lib
        .protocols
        .iter()
        .find(|p| p.id == "wandsworth")
        .expect("Wandsworth's protocol");
    let chapter = wandsworth
        .chapters
        .iter()
        .find(|c| c.title.to_lowercase().contains("return home conversation"))
        .expect("Wandsworth's return home conversation chapter");
    let target = format!("protocols/wandsworth/{}.html", chapter.stem);
    let mut pages = vec!["index.html".to_string(), target.clone()];
    for p in &lib.protocols {
        if let Some(c) = p.chapters.first() {
            pages.push(format!("protocols/{}/{}.html", p.id, c.stem));
        }
    }
    pages.push("views/comparison.html".into());
    pages.push("checker.html".into());
    browser_test(
        "search: return home interview",
        1280,
        900,
        |c, base| async move {
            for page in &pages {
                goto(&c, &format!("{base}{page}")).await;
                search(&c, "return home interview").await;
                let found = results(&c, &base).await;
                let rank = found.iter().position(|(u, _)| u.starts_with(&target));
                println!(
                    "from {page}: {target} is result {}",
                    rank.map_or("not found".to_string(), |r| (r + 1).to_string())
                );
                assert!(
                    rank.is_some_and(|r| r < 3),
                    "from {page}, 'return home interview' does not give {target} in the top 3: {:?}",
                    &found[..found.len().min(5)]
                );
            }
            // The other words for one thing find each other too.
            for (query, expect) in [
                ("RHC", "return home"),
                ("prevention interview", "safe and well"),
                ("strategy meeting", "strategy discussion"),
            ] {
                goto(&c, &format!("{base}index.html")).await;
                search(&c, query).await;
                let text = js(
                &c,
                "return document.getElementById('mdbook-searchresults').innerText.toLowerCase()",
            )
            .await;
                assert!(
                    text.as_str().unwrap_or_default().contains(expect),
                    "'{query}' finds nothing that says '{expect}'"
                );
            }
            c
        },
    )
}

#[test]
fn seventy_two_hours_gives_every_protocol_section_that_says_it_before_any_training_case() {
    let lib = library();
    let says = Regex::new(r"(?i)\b72[\s-]+hours?\b").expect("a regex");
    let mut sections = Vec::new();
    for p in &lib.protocols {
        for ch in &p.chapters {
            for para in &ch.paragraphs {
                if says.is_match(&para.text) {
                    let page = format!("protocols/{}/{}.html", p.id, ch.stem);
                    let anchor = handbook_engine::model::anchor(&p.id, &para.id);
                    let s = section_of(&page, &anchor);
                    if !sections.contains(&s) {
                        sections.push(s);
                    }
                }
            }
        }
    }
    assert!(!sections.is_empty(), "no protocol says 72 hours");
    browser_test("search: 72 hours", 1280, 900, |c, base| async move {
        goto(&c, &format!("{base}index.html")).await;
        search(&c, "72 hours").await;
        let found = results(&c, &base).await;
        let first_training = found
            .iter()
            .position(|(_, k)| k == "training")
            .unwrap_or(found.len());
        for s in &sections {
            let at = found.iter().position(|(u, _)| u == s);
            println!(
                "72 hours: {s} is result {}",
                at.map_or("not found".into(), |r| (r + 1).to_string())
            );
            assert!(
                at.is_some_and(|r| r < first_training),
                "'72 hours' does not give {s} before the first training case (result {}): {found:?}",
                first_training + 1
            );
        }
        // The kind filter brings the training cases, whose shard a first query did not need.
        js(
            &c,
            "const k = document.getElementById('mcph-search-kind'); k.value = 'training'; \
             k.dispatchEvent(new Event('change')); return true",
        )
        .await;
        wait_until(
            &c,
            "training cases for 72 hours",
            "const li = [...document.querySelectorAll('#mdbook-searchresults li')]; \
             return li.length > 0 && li.every(l => l.dataset.kind === 'training')",
            Duration::from_secs(20),
        )
        .await;
        println!(
            "72 hours: {} results, {} protocol sections that say it, first training case at {}",
            found.len(),
            sections.len(),
            if first_training < found.len() {
                (first_training + 1).to_string()
            } else {
                "none shown".into()
            }
        );
        c
    })
}

fn gzipped(bytes: &[u8]) -> usize {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(bytes).expect("gzip");
    e.finish().expect("gzip").len()
}

#[test]
fn a_first_query_downloads_the_protocols_text_only() {
    // What the index costs, as files and gzipped.
    let root = site();
    let mut whole = (0, 0);
    let mut names = Vec::new();
    for dir in [root.clone(), root.join("search")] {
        for e in fs::read_dir(&dir).expect("the site").flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if name.starts_with("searchindex") || dir.ends_with("search") {
                let bytes = fs::read(e.path()).expect("reading the index");
                println!(
                    "search file {name}: {} bytes, {} gzipped",
                    bytes.len(),
                    gzipped(&bytes)
                );
                whole.0 += bytes.len();
                whole.1 += gzipped(&bytes);
                names.push(name);
            }
        }
    }
    println!(
        "the whole index: {} bytes, {} gzipped, in {} files",
        whole.0,
        whole.1,
        names.len()
    );
    let lib = library();
    let p = lib.protocols.first().expect("a protocol");
    let chapter = format!(
        "protocols/{}/{}.html",
        p.id,
        p.chapters.first().expect("a chapter").stem
    );
    browser_test(
        "search: first query bytes",
        390,
        844,
        |c, base| async move {
            goto(&c, &format!("{base}{chapter}")).await;
            loaded(&c, "the page").await;
            js(&c, "performance.clearResourceTimings(); return true").await;
            search(&c, "return home interview").await;
            let got = js(
            &c,
            "return performance.getEntriesByType('resource').map(e => [e.name, e.transferSize, e.encodedBodySize])",
        )
        .await;
            let (mut total, mut index) = (0, 0);
            for e in got.as_array().expect("a list") {
                let bytes = e[1].as_u64().unwrap_or(0);
                total += bytes;
                let name = e[0].as_str().unwrap_or_default();
                if name.contains("searchindex") || name.contains("/search/") {
                    index += bytes;
                }
                println!(
                    "first query fetched {} ({} bytes transferred, {} body)",
                    e[0].as_str().unwrap_or_default().trim_start_matches(&base),
                    bytes,
                    e[2]
                );
                assert!(
                    !e[0].as_str().unwrap_or_default().contains("/training-"),
                    "a first query for protocol words loaded the training cases' index"
                );
            }
            println!(
                "bytes transferred for a first query: {index} for the index ({total} in all, with the favicon that each change of address fetches again)"
            );
            c
        },
    )
}

fn axe_on_search(width: u32, height: u32, dark: bool) {
    let axe = axe_source();
    let extra: &[&str] = if dark { &[DARK] } else { &[] };
    let name = format!(
        "search UI at {width} ({})",
        if dark { "dark" } else { "light" }
    );
    let chapter = {
        let lib = library();
        let p = lib.protocols.first().expect("a protocol");
        format!(
            "protocols/{}/{}.html",
            p.id,
            p.chapters.first().expect("a chapter").stem
        )
    };
    browser_test_with(&name.clone(), width, height, extra, |c, base| async move {
        goto(&c, &format!("{base}{chapter}")).await;
        search(&c, "72 hours").await;
        let problems = axe_violations(&c, &axe).await;
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
        println!("{name}: axe-core found no violations");
        c
    })
}

#[test]
fn the_search_ui_with_results_is_accessible() {
    for width in [320, 1280] {
        for dark in [false, true] {
            axe_on_search(width, 900, dark);
        }
    }
}

#[test]
fn search_works_opened_from_disk() {
    let index = site().join("index.html");
    let url = format!("file://{}", index.display());
    browser_test("search: from disk", 1280, 900, |c, _base| async move {
        goto(&c, &url).await;
        search(&c, "strategy meeting").await;
        let found = js(
            &c,
            "return document.querySelectorAll('#mdbook-searchresults li').length",
        )
        .await;
        println!("from disk: 'strategy meeting' gives {found} results");
        c
    })
}

/// The addresses of mdBook's search scripts the page has fetched (elasticlunr, mark.js, the
/// searcher), and of the index.
const SEARCH_FETCHED: &str = "return performance.getEntriesByType('resource').map(e => e.name) \
     .filter(n => /\\/(elasticlunr|mark|searcher|searchindex)-[0-9a-f]+/.test(n))";

/// The searcher has run (it defines `window.mcphSearch` for its index to call).
const SEARCHER_RAN: &str = "return typeof window.mcphSearch === 'object'";

/// The search bar is open and has the focus.
const BAR_OPEN_AND_FOCUSED: &str = "return !document.getElementById('mdbook-search-wrapper').classList.contains('hidden') \
     && document.activeElement === document.getElementById('mdbook-searchbar') \
     && document.getElementById('mdbook-search-toggle').getAttribute('aria-expanded') === 'true'";

/// The typical chapter (as `tests/site.rs` weighs it), and a word of its title.
fn chapter_and_a_word() -> (String, String) {
    let (page, title) = typical_chapter();
    let word = title
        .split_whitespace()
        .find(|w| w.len() > 3 && w.chars().all(char::is_alphabetic))
        .expect("a word in the chapter's title")
        .to_string();
    (page, word)
}

/// Presses a key with the focus on the page's content, as a reader who is reading it.
async fn press_on_the_page(c: &fantoccini::Client, key: &str) {
    js(
        c,
        "document.getElementById('mcph-main').focus(); return true",
    )
    .await;
    let main = within(
        "finding the content",
        c.find(fantoccini::Locator::Css("#mcph-main")),
    )
    .await;
    within(&format!("pressing {key}"), main.send_keys(key)).await;
}

#[test]
fn search_is_loaded_only_when_the_reader_asks_for_it() {
    let (chapter, word) = chapter_and_a_word();
    browser_test(
        "search: loaded when asked for",
        390,
        844,
        |c, base| async move {
            let page = format!("{base}{chapter}");
            // A fresh chapter fetches none of search.
            goto(&c, &page).await;
            loaded(&c, &chapter).await;
            // What the page loads with it has had time to arrive.
            tokio::time::sleep(Duration::from_millis(500)).await;
            assert_eq!(
                js(&c, SEARCH_FETCHED).await,
                json!([]),
                "{chapter} fetched search before it was asked for"
            );
            assert_eq!(js(&c, SEARCHER_RAN).await, json!(false));

            // One press of the search button: the bar opens with the focus, once the searcher
            // has run (no second press), and a query finds the protocols' paragraphs.
            click(&c, "#mdbook-search-toggle").await;
            wait_until(
                &c,
                "the searcher runs after one press",
                SEARCHER_RAN,
                Duration::from_secs(20),
            )
            .await;
            wait_until(
                &c,
                "the bar is open and focused",
                BAR_OPEN_AND_FOCUSED,
                Duration::from_secs(5),
            )
            .await;
            // The searcher asks for its index as it opens the bar.
            wait_until(
                &c,
                "the index is fetched",
                "return performance.getEntriesByType('resource').some(e => /\\/searchindex-/.test(e.name))",
                Duration::from_secs(20),
            )
            .await;
            let fetched = js(&c, SEARCH_FETCHED).await;
            println!("after pressing the search button the page fetched {fetched}");
            for name in ["elasticlunr", "mark", "searcher", "searchindex"] {
                assert!(
                    fetched.as_array().is_some_and(|a| a.iter().any(|n| n
                        .as_str()
                        .unwrap_or_default()
                        .contains(&format!("/{name}-")))),
                    "{name} was not fetched: {fetched}"
                );
            }
            // The button still opens and closes the bar, now as the searcher's.
            click(&c, "#mdbook-search-toggle").await;
            assert_eq!(
                js(&c, "return document.getElementById('mdbook-search-wrapper').classList.contains('hidden')").await,
                json!(true),
                "a second press closes the bar"
            );
            search(&c, "72 hours").await;
            let found = results(&c, &base).await;
            println!(
                "72 hours, after search was loaded on demand: {} results, the first {:?}",
                found.len(),
                found.first()
            );
            assert!(
                found
                    .first()
                    .is_some_and(|(u, k)| k == "text" && u.starts_with("protocols/")),
                "'72 hours' does not give the protocols' text first: {:?}",
                &found[..found.len().min(5)]
            );

            // An address with ?search= shows its results with no press; ?highlight= marks the
            // words.
            goto(&c, &format!("{page}?search=72%20hours")).await;
            wait_until(
                &c,
                "results for ?search=72 hours",
                "return document.querySelectorAll('#mdbook-searchresults li').length > 0",
                Duration::from_secs(20),
            )
            .await;
            assert_eq!(
                js(&c, "return [document.getElementById('mdbook-searchbar').value, document.getElementById('mdbook-search-wrapper').classList.contains('hidden')]").await,
                json!(["72 hours", false]),
                "?search= opens the bar with its words"
            );
            goto(&c, &format!("{page}?highlight={word}")).await;
            wait_until(
                &c,
                &format!("{word} highlighted"),
                "return document.querySelectorAll('#mdbook-content mark').length > 0",
                Duration::from_secs(20),
            )
            .await;

            // The keys the searcher answers to open it from a fresh page, and are not typed
            // into the bar.
            for key in ["s", "/"] {
                goto(&c, &page).await;
                loaded(&c, &chapter).await;
                assert_eq!(js(&c, SEARCHER_RAN).await, json!(false));
                press_on_the_page(&c, key).await;
                wait_until(
                    &c,
                    &format!("the searcher runs after pressing {key}"),
                    SEARCHER_RAN,
                    Duration::from_secs(20),
                )
                .await;
                wait_until(
                    &c,
                    &format!("{key} opens the bar with the focus"),
                    BAR_OPEN_AND_FOCUSED,
                    Duration::from_secs(5),
                )
                .await;
                assert_eq!(
                    js(
                        &c,
                        "return document.getElementById('mdbook-searchbar').value"
                    )
                    .await,
                    json!(""),
                    "{key} was typed into the bar"
                );
            }

            // The printable book and the 404 page (which has its own addresses, at any depth
            // of a missing address) search too, and their results lead to the site's pages.
            for other in ["print.html", "no-such-page.html", "a/b/no-such-page.html"] {
                goto(&c, &format!("{base}{other}")).await;
                loaded(&c, other).await;
                assert_eq!(js(&c, SEARCHER_RAN).await, json!(false), "{other}");
                search(&c, "strategy meeting").await;
                wait_until(
                    &c,
                    &format!("{other}: the bar is open and focused"),
                    BAR_OPEN_AND_FOCUSED,
                    Duration::from_secs(5),
                )
                .await;
                let found = results(&c, &base).await;
                let (first, _) = found.first().expect("a result");
                let file = first.split('#').next().unwrap_or_default();
                assert!(
                    site().join(file).is_file(),
                    "{other}: the first result leads to {first}, not a page of the site"
                );
            }
            c
        },
    )
}

/// Records the page's uncaught errors from its first moment.
const ERRORS: &str = "window.__errors = []; \
     window.addEventListener('error', e => window.__errors.push(e.message || String(e.target && e.target.src)), true);";

#[test]
fn search_on_a_slow_or_broken_connection() {
    let (chapter, _) = chapter_and_a_word();
    browser_test(
        "search: slow or broken connection",
        390,
        844,
        |c, base| async move {
            let page = format!("{base}{chapter}");
            cdp(
                &c,
                "Page.addScriptToEvaluateOnNewDocument",
                json!({ "source": ERRORS }),
            )
            .await;
            cdp(&c, "Network.enable", json!({})).await;

            // Offline for the searcher: the bar opens, says so, and the page goes on working.
            cdp(
                &c,
                "Network.setBlockedURLs",
                json!({ "urls": ["*searcher-*"] }),
            )
            .await;
            goto(&c, &page).await;
            loaded(&c, &chapter).await;
            click(&c, "#mdbook-search-toggle").await;
            wait_until(
                &c,
                "a message that search could not load",
                "return document.getElementById('mdbook-searchresults-header').textContent.includes('could not be loaded') \
                 && !document.getElementById('mdbook-searchresults-outer').classList.contains('hidden')",
                Duration::from_secs(20),
            )
            .await;
            assert_eq!(
                js(
                    &c,
                    "return window.__errors.filter(e => !/searcher-/.test(e))"
                )
                .await,
                json!([]),
                "the page threw"
            );
            assert_eq!(
                js(&c, "return document.getElementById('mdbook-searchbar-outer').classList.contains('searching')").await,
                json!(false),
                "the spinner still turns"
            );
            // The button still closes the bar; back online, opening it again tries again.
            click(&c, "#mdbook-search-toggle").await;
            assert_eq!(
                js(&c, "return document.getElementById('mdbook-search-wrapper').classList.contains('hidden')").await,
                json!(true),
                "the button no longer closes the bar"
            );
            cdp(&c, "Network.setBlockedURLs", json!({ "urls": [] })).await;
            click(&c, "#mdbook-search-toggle").await;
            search(&c, "strategy meeting").await;
            assert_eq!(
                js(&c, "return document.getElementById('mdbook-searchresults-header').textContent.includes('could not be loaded')").await,
                json!(false)
            );

            // Slow: what the reader types before the searcher arrives is searched for when it
            // does, with no second press.
            cdp(&c, "Network.clearBrowserCache", json!({})).await;
            cdp(
                &c,
                "Network.emulateNetworkConditions",
                json!({ "offline": false, "latency": 800, "downloadThroughput": -1, "uploadThroughput": -1 }),
            )
            .await;
            goto(&c, &page).await;
            loaded(&c, &chapter).await;
            click(&c, "#mdbook-search-toggle").await;
            let early = js(&c, SEARCHER_RAN).await;
            let el = within(
                "finding the search bar",
                c.find(fantoccini::Locator::Css("#mdbook-searchbar")),
            )
            .await;
            within("typing a query", el.send_keys("72 hours")).await;
            println!(
                "typed before the searcher had run: {}",
                early == json!(false) && js(&c, SEARCHER_RAN).await == json!(false)
            );
            wait_until(
                &c,
                "results for what was typed while search loaded",
                "return document.querySelectorAll('#mdbook-searchresults li').length > 0",
                Duration::from_secs(30),
            )
            .await;
            assert_eq!(
                js(&c, "const b = document.getElementById('mdbook-searchbar'); return [b.value, document.activeElement === b]").await,
                json!(["72 hours", true]),
                "the query or the focus was lost"
            );
            assert_eq!(
                js(&c, "return window.__errors").await,
                json!([]),
                "the page threw"
            );
            c
        },
    )
}
