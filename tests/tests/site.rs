//! The built site: every paragraph has its anchor, the protocol pages show their dates, search
//! covers the protocols, nothing is loaded from another site, and a chapter and the checker's
//! page stay within what they may weigh.

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
            // The search index (the catalogue and its shards under search/) holds the
            // protocols' words, which quote some addresses as text.
            if name.starts_with("searchindex") || name.starts_with("search/") {
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
}

/// Every script, style sheet, image and WebAssembly file is named after its content (the last
/// step of the build), so hosts can let browsers keep them for a year: a name that no longer
/// matches its file would leave readers with a stale checker or search. And every page or file
/// that refers to one uses the name it has now.
#[test]
fn every_file_a_page_loads_is_named_after_its_content() {
    let root = site();
    let mut assets = Vec::new();
    let mut pages = Vec::new();
    let mut todo = vec![root.clone()];
    while let Some(dir) = todo.pop() {
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("entry").path();
            let rel = path
                .strip_prefix(&root)
                .expect("inside the site")
                .to_string_lossy()
                .to_string();
            if path.is_dir() {
                todo.push(path);
            } else if rel.ends_with(".html") {
                pages.push(path);
            } else if !rel.ends_with(".nojekyll") {
                assets.push((rel, path));
            }
        }
    }
    let mut problems = Vec::new();
    let mut names = Vec::new();
    for (rel, path) in &assets {
        let bytes = fs::read(path).expect("reads");
        let name = rel.rsplit('/').next().unwrap_or(rel);
        // The name the build gives this content; and the pattern hosts are told to match
        // (README, Hosting) recognises it.
        let named = handbook_book::fingerprint::content_name(name, &bytes);
        if named == name && handbook_book::fingerprint::is_named_by_content(name) {
            names.push(name.to_string());
        } else {
            problems.push(format!(
                "{rel} is not named after its content (it would be {named})"
            ));
        }
    }
    // Every reference in a page to a script, style sheet or image is to a file that exists.
    let reference =
        regex::Regex::new(r##"(?:href|src)="([^"#?:]+\.(?:js|css|wasm|bin|svg|png))""##)
            .expect("regex");
    for page in &pages {
        let html = fs::read_to_string(page).expect("reads");
        let dir = page.parent().expect("a folder");
        for c in reference.captures_iter(&html) {
            let target = if c[1].starts_with('/') {
                root.join(c[1].trim_start_matches('/'))
            } else {
                dir.join(&c[1])
            };
            if !target.exists() {
                problems.push(format!(
                    "{} refers to {}, which is not there",
                    page.display(),
                    &c[1]
                ));
            }
        }
    }
    // Every name of that form in a page, script or style sheet (a script names the files it
    // loads: the search index, the checker's WebAssembly) is one of those files: none is
    // left with the name it had before the build named it after its content.
    let hashed = regex::Regex::new(
        r"[A-Za-z0-9_.-]+-[0-9a-f]{8,16}(?:\.min)?\.(?:js|css|wasm|bin|svg|png|json)\b",
    )
    .expect("regex");
    for path in pages.iter().chain(assets.iter().map(|(_, p)| p)) {
        let Ok(text) = fs::read_to_string(path) else {
            continue; // not text: the WebAssembly and images
        };
        for m in hashed.find_iter(&text) {
            if !names.iter().any(|n| n == m.as_str()) {
                problems.push(format!(
                    "{} names {}, which is not there",
                    path.display(),
                    m.as_str()
                ));
            }
        }
    }
    println!("{} files named after their content", names.len());
    for wanted in [
        "checker_bg.wasm",
        "checker.js",
        "checker-file.js",
        "rules.bin",
        "rules-file.js",
        "boot.js",
        "styles.css",
        "searcher.js",
    ] {
        let (stem, ext) = wanted.split_once('.').expect("an extension");
        let pattern =
            regex::Regex::new(&format!(r"^{stem}-[0-9a-f]{{16}}\.{ext}$")).expect("regex");
        assert!(
            names.iter().any(|n| pattern.is_match(n)),
            "no {wanted}, named after its content, among {names:?}"
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checker's WebAssembly names no folder of the machine that built it (its panic messages
/// name the crates' and the standard library's source files): the same source, built with the
/// same Rust, then gives the same file, and the same name, wherever it is built, so readers do
/// not download it again for nothing, and the builder's home folder is not published.
#[test]
fn the_checker_names_no_folder_of_the_machine_that_built_it() {
    let dir = site().join("checker");
    let wasm = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "wasm"))
        .expect("the checker's WebAssembly");
    let bytes = fs::read(&wasm).expect("reads");
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cargo")))
        .expect("CARGO_HOME or HOME");
    let folder = cargo_home.join("registry").to_string_lossy().to_string();
    assert!(
        !bytes.windows(folder.len()).any(|w| w == folder.as_bytes()),
        "{} names {folder}",
        wasm.display()
    );
    assert!(
        bytes.windows(9).any(|w| w == b"registry/"),
        "the crates' source files are named from `registry/`"
    );
    // Nor the toolchain's folder, where rustup's `rust-src` puts the standard library's source:
    // its files keep the compiler's own names, `/rustc/<commit>/library/…`.
    let rust_src = b"lib/rustlib/src/rust";
    assert!(
        !bytes.windows(rust_src.len()).any(|w| w == rust_src),
        "{} names the toolchain's folder",
        wasm.display()
    );
    assert!(
        bytes.windows(7).any(|w| w == b"/rustc/"),
        "the standard library's files are named from `/rustc/`"
    );
}

/// The build takes out mdBook's style rules for what the handbook does not have
/// (`postprocess::UNUSED_CLASSES`, `UNUSED_ELEMENTS`). If a page or a script starts using one
/// of them, it would be drawn unstyled: this says which, so the name can come off the list.
/// (The checker draws its own HTML, all of it `mcph-` classes; a browser test looks at it.)
#[test]
fn no_page_uses_what_its_style_rules_were_taken_out_for() {
    use handbook_book::postprocess::{UNUSED_CLASSES, UNUSED_ELEMENTS};
    let mut problems = Vec::new();
    let class = regex::Regex::new(r#"\bclass="([^"]*)""#).expect("regex");
    for (name, html) in site_files(&["html"]) {
        for c in class.captures_iter(&html) {
            for used in c[1].split_whitespace() {
                if UNUSED_CLASSES.contains(&used) {
                    problems.push(format!("{name}: class {used}"));
                }
            }
        }
        for element in UNUSED_ELEMENTS {
            if html.contains(&format!("<{element}>")) || html.contains(&format!("<{element} ")) {
                problems.push(format!("{name}: <{element}>"));
            }
        }
    }
    // The handbook's scripts, as written (the built copies are minified): a class a script
    // adds ('result') or looks for ('.result') is a string of its own or in a selector.
    let literal = regex::Regex::new(r#"'([^'\\\n]*)'|"([^"\\\n]*)"|`([^`\\]*)`"#).expect("regex");
    let selector_class = regex::Regex::new(r"\.([A-Za-z_][\w-]*)").expect("regex");
    let root = support::workspace();
    for script in [
        "theme/book.js",
        "theme/handbook.js",
        "theme/search.js",
        "checker/web/js/boot.js",
    ] {
        let text = fs::read_to_string(root.join(script)).expect("the script");
        for l in literal.captures_iter(&text) {
            let s = l.iter().skip(1).flatten().next().map_or("", |m| m.as_str());
            let named = selector_class
                .captures_iter(s)
                .filter_map(|c| c.get(1).map(|m| m.as_str()))
                .chain(Some(s).filter(|s| {
                    !s.is_empty()
                        && s.chars()
                            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
                }));
            for used in named {
                if UNUSED_CLASSES.contains(&used) {
                    problems.push(format!("{script}: {s:?}"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "these use what the build takes mdBook's style rules out for (take the name off postprocess::UNUSED_CLASSES or UNUSED_ELEMENTS): {problems:#?}"
    );
}

/// What a chapter may weigh, gzipped, as a reader on a phone downloads it (the sidebar closed):
/// the page and every style sheet, script and font it refers to; what was measured when it was
/// set, and 5 KB (the aim of issue 16 was 60 KB, and the budget was that until search loaded on
/// demand). Move it only down.
const CHAPTER_BUDGET: usize = CHAPTER_MEASURED + 5 * 1024;
/// Measured on 2026-12-06 (Wandsworth 24, return home conversation), once scripts were
/// minified with short local names, pages lost mdBook's notes and indentation, and style
/// sheets lost the rules for what the handbook does not have: 18,184 bytes gzipped in 14
/// files. (20,481 earlier that day, once mdBook's code-block icons left the pages; 21,689
/// before that, once the site's scripts and style sheets were minified, the sidebar's contents
/// (toc.js) loaded when it is first shown, and the unoffered themes' colours left the style
/// sheets; 38,988 in 15 files on 2026-12-05, after search's scripts left the page to load when
/// the reader asks for search; 56,141 in 18 files before that.) A reader whose sidebar is
/// open, as on a wide screen, also downloads the contents: about 6.0 KB more.
const CHAPTER_MEASURED: usize = 18_184;

/// What the checker's page may weigh in all, gzipped, with the checker's module, WebAssembly
/// and rule data, on a phone (the sidebar closed) and on a wide screen (the sidebar open, so
/// its contents load too): the aim of issue 16, 250 KB. Move it only down.
const CHECKER_PAGE_BUDGET: usize = 250_000;
/// Measured on 2026-12-06 with all five protocols, once scripts were minified with short local
/// names, pages lost mdBook's notes and indentation, style sheets lost the rules for what the
/// handbook does not have (code blocks, GitHub-style notes), and the rule data carried bank
/// holidays as gaps and no lines: 242,884 bytes gzipped in 18 files on a phone, 248,839 on a
/// wide screen. (247,453 on a phone and about 254,100 wide earlier that day, once the rule
/// data was a file of its own beside the WebAssembly and mdBook's code-block icons left the
/// pages;
/// 248,305 in 17 files before that, once the site's scripts and style sheets were minified,
/// the sidebar's contents loaded when it is first shown, the unoffered themes' colours left
/// the style sheets and the rule data carried chapters instead of addresses; 268,221 in 18
/// files on 2026-12-05, after the WebAssembly's code was cut: one sort, no JSON values, fewer
/// map types, fewer components; 294,754 earlier that day, once numbers were read and written
/// without core's float machinery; 317,689 before that, after search's scripts left the page
/// to load when the reader asks; 334,844 in 21 files before that.)
const CHECKER_PAGE_MEASURED: usize = 242_884;
const CHECKER_PAGE_WIDE_MEASURED: usize = 248_839;

fn gzipped_len(bytes: &[u8]) -> usize {
    use std::io::Write as _;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("gzip in memory");
    enc.finish().expect("gzip in memory").len()
}

/// The files a page makes the browser download before it is read: the page, its style sheets
/// (and the fonts and images they refer to), its scripts, and what it preloads; `extra` are
/// files (from the site root) that its scripts fetch. Each with its size, raw and gzipped.
fn transfer(page: &str, extra: &[&str]) -> Vec<(String, usize, usize)> {
    let root = site();
    let refs = regex::Regex::new(
        r##"<(?:link\b[^>]*\brel="(?:stylesheet|preload|modulepreload)"[^>]*\bhref|script\b[^>]*\bsrc)="([^"#?]+)"##,
    )
    .expect("regex");
    let css_url = regex::Regex::new(r##"url\(\s*["']?([^"')#?]+)"##).expect("regex");
    let mut out: Vec<(String, usize, usize)> = Vec::new();
    let mut todo: Vec<std::path::PathBuf> = vec![root.join(page)];
    todo.extend(extra.iter().map(|e| root.join(e)));
    while let Some(path) = todo.pop() {
        let path = normalise(&path);
        let rel = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .to_string_lossy()
            .to_string();
        if out.iter().any(|(r, _, _)| *r == rel) {
            continue;
        }
        let bytes = fs::read(&path).unwrap_or_else(|e| panic!("{page} refers to {rel}: {e}"));
        let dir = path
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        if rel.ends_with(".html") {
            todo.extend(refs.captures_iter(&text).map(|c| dir.join(&c[1])));
        } else if rel.ends_with(".css") {
            todo.extend(
                css_url
                    .captures_iter(&text)
                    .filter(|c| !c[1].starts_with("data:"))
                    .map(|c| dir.join(&c[1])),
            );
        }
        out.push((rel, bytes.len(), gzipped_len(&bytes)));
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.2));
    out
}

/// `a/b/../c` as `a/c`, without touching the disk.
fn normalise(path: &std::path::Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Prints a page's transfer and returns its gzipped total.
fn report(what: &str, files: &[(String, usize, usize)]) -> usize {
    let raw: usize = files.iter().map(|f| f.1).sum();
    let gz: usize = files.iter().map(|f| f.2).sum();
    println!(
        "{what}: {} files, {raw} bytes, {gz} bytes gzipped",
        files.len()
    );
    for (name, raw, gz) in files {
        println!("  {gz:>8} {raw:>9}  {name}");
    }
    gz
}

#[test]
fn a_chapter_downloads_within_its_budget() {
    let (page, _) = support::typical_chapter();
    let files = transfer(&page, &[]);
    let total = report(&page, &files);
    for (name, _, _) in &files {
        assert!(
            !name.contains("fonts/") && !name.contains("highlight") && !name.contains("clipboard"),
            "{page} downloads {name}, which the handbook does not use"
        );
        // theme/handbook.js loads these when the reader asks for search.
        assert!(
            !["elasticlunr-", "mark-", "searcher-", "searchindex-"]
                .iter()
                .any(|s| name.starts_with(s)),
            "{page} downloads {name} before the reader asks for search"
        );
        // theme/book.js loads the sidebar's contents when the sidebar is first shown.
        assert!(
            !name.starts_with("toc-"),
            "{page} downloads {name} before the sidebar is shown"
        );
    }
    println!(
        "budget {CHAPTER_BUDGET} bytes gzipped ({:.0}% used)",
        100.0 * total as f64 / CHAPTER_BUDGET as f64
    );
    assert!(
        total <= CHAPTER_BUDGET,
        "{page} downloads {total} bytes gzipped, over its budget of {CHAPTER_BUDGET}"
    );
}

#[test]
fn the_checker_page_downloads_within_its_budget() {
    // boot.js fetches the module, its WebAssembly and the rule data; the page preloads all
    // three, so they are found from it.
    let files = transfer("checker.html", &[]);
    let total = report("checker.html, on a phone", &files);
    for wanted in [
        r"boot-\w+\.js",
        r"checker-\w+\.js",
        r"checker_bg-\w+\.wasm",
        r"rules-\w+\.bin",
    ] {
        let pattern = regex::Regex::new(&format!("^checker/{wanted}$")).expect("regex");
        assert!(
            files.iter().any(|f| pattern.is_match(&f.0)),
            "the checker page loads checker/{wanted}"
        );
    }
    // On a wide screen the sidebar starts open, and theme/book.js loads its contents, the
    // script the sidebar names.
    let page = fs::read_to_string(site().join("checker.html")).expect("the checker's page");
    let contents = regex::Regex::new(r#"data-mcph-contents="([^"]+)""#)
        .expect("regex")
        .captures(&page)
        .map(|c| c[1].to_string())
        .expect("the sidebar names its contents");
    let wide = transfer("checker.html", &[&contents]);
    let wide_total = report("checker.html, on a wide screen", &wide);
    assert_eq!(
        wide.len(),
        files.len() + 1,
        "the contents are one file more"
    );
    println!(
        "budget {CHECKER_PAGE_BUDGET} bytes gzipped ({:.0}% used on a phone, {:.0}% on a wide screen; {CHECKER_PAGE_MEASURED} and {CHECKER_PAGE_WIDE_MEASURED} when it was set)",
        100.0 * total as f64 / CHECKER_PAGE_BUDGET as f64,
        100.0 * wide_total as f64 / CHECKER_PAGE_BUDGET as f64
    );
    assert!(
        total <= CHECKER_PAGE_BUDGET,
        "checker.html downloads {total} bytes gzipped on a phone, over its budget of {CHECKER_PAGE_BUDGET}"
    );
    assert!(
        wide_total <= CHECKER_PAGE_BUDGET,
        "checker.html downloads {wide_total} bytes gzipped on a wide screen, over its budget of {CHECKER_PAGE_BUDGET}"
    );
}

/// Waits until `boot.js` marks the checker ready (its first question is on the page).
async fn checker_ready(c: &fantoccini::Client) {
    support::wait_until(
        c,
        "the checker marks that it is ready",
        "return performance.getEntriesByName('mcph-checker-ready').length > 0",
        std::time::Duration::from_secs(20),
    )
    .await;
}

/// How soon the checker can be used on a first visit (nothing cached), in this browser on this
/// machine: the time from navigation to the moment the first question (the choice of
/// protocol) is on the page, as `boot.js` marks it. Printed, not asserted: a shared machine's
/// times vary (the aim is 150 ms when the machine is idle; see the README).
#[test]
fn the_checker_is_ready_soon_after_navigation() {
    use serde_json::json;
    use support::{browser_test, cdp, goto, js};
    browser_test("time to ready", 390, 844, |c, base| async move {
        // The browser's own start-up is not the page's: one page first, as a reader's browser
        // has open already.
        goto(&c, &format!("{base}introduction.html")).await;
        let mut ready = Vec::new();
        for _ in 0..5 {
            cdp(&c, "Network.clearBrowserCache", json!({})).await;
            goto(&c, &format!("{base}checker.html")).await;
            checker_ready(&c).await;
            let t = js(
                &c,
                r#"const ready = performance.getEntriesByName('mcph-checker-ready')[0].startTime;
                const n = performance.getEntriesByType('navigation')[0];
                const wasm = performance.getEntriesByType('resource').find(e => /checker_bg-[0-9a-f]+[.]wasm$/.test(e.name));
                const paint = performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint');
                const select = document.getElementById('mcph-protocol');
                return { ready, parsed: n.domInteractive, wasm: wasm ? wasm.responseEnd : null,
                         paint: paint ? paint.startTime : null,
                         answerable: !!select && !select.disabled };"#,
            )
            .await;
            assert_eq!(
                t["answerable"],
                json!(true),
                "the first question can be answered: {t}"
            );
            println!(
                "checker ready {:.0} ms after navigation (page parsed {:.0} ms, wasm downloaded {:.0} ms, first paint {:.0} ms)",
                t["ready"].as_f64().unwrap_or(f64::NAN),
                t["parsed"].as_f64().unwrap_or(f64::NAN),
                t["wasm"].as_f64().unwrap_or(f64::NAN),
                t["paint"].as_f64().unwrap_or(f64::NAN)
            );
            ready.push(t["ready"].as_f64().unwrap_or(f64::NAN));
        }
        ready.sort_by(f64::total_cmp);
        println!(
            "checker ready after navigation, first visits: median {:.0} ms, best {:.0} ms, of {:?}",
            ready[ready.len() / 2],
            ready[0],
            ready.iter().map(|t| t.round()).collect::<Vec<_>>()
        );
        c
    });
}

/// A carer who opens the checker again, at night on a weak signal, should wait for nothing but
/// the page: every script, style sheet, the WebAssembly and the rule data come from the
/// browser's cache, without asking the server (which `Cache-Control: immutable` allows, as the
/// files are named after their content). Prints how soon the checker is ready on that second visit.
#[test]
fn a_second_visit_takes_the_checker_from_the_browsers_cache() {
    use serde_json::json;
    use support::{browser_test, cdp, goto, js};
    browser_test("second visit", 390, 844, |c, base| async move {
        goto(&c, &format!("{base}introduction.html")).await;
        cdp(&c, "Network.clearBrowserCache", json!({})).await;
        goto(&c, &format!("{base}checker.html")).await;
        checker_ready(&c).await;
        goto(&c, &format!("{base}introduction.html")).await;
        goto(&c, &format!("{base}checker.html")).await;
        checker_ready(&c).await;
        let t = js(
            &c,
            r#"const files = performance.getEntriesByType('resource')
                .filter(e => /[.](js|css|wasm|bin|svg|png)$/.test(new URL(e.name).pathname))
                .map(e => ({ file: new URL(e.name).pathname, sent: e.transferSize }));
            return { files,
                     ready: performance.getEntriesByName('mcph-checker-ready')[0].startTime,
                     answerable: !!document.getElementById('mcph-protocol') };"#,
        )
        .await;
        assert_eq!(t["answerable"], json!(true), "{t}");
        let files = t["files"].as_array().cloned().unwrap_or_default();
        let asked: Vec<String> = files
            .iter()
            .filter(|f| f["sent"].as_f64() != Some(0.0))
            .map(|f| format!("{} ({} bytes)", f["file"], f["sent"]))
            .collect();
        for (what, ext) in [("the WebAssembly", ".wasm"), ("the rule data", ".bin")] {
            assert!(
                files
                    .iter()
                    .any(|f| f["file"].as_str().is_some_and(|n| n.ends_with(ext))),
                "{what} is among the files the page used: {files:?}"
            );
        }
        assert!(
            files.len() >= 8,
            "the page used its scripts and style sheets: {files:?}"
        );
        assert!(
            asked.is_empty(),
            "on a second visit these went to the server again: {asked:?}"
        );
        println!(
            "second visit: {} files from the browser's cache, checker ready {:.0} ms after navigation",
            files.len(),
            t["ready"].as_f64().unwrap_or(f64::NAN)
        );
        c
    });
}
