//! Fixes to the HTML mdBook writes, made after it has written it: the handbook's own changes
//! to mdBook's page furniture, kept small and each tested.
//!
//! - The sidebar toggle becomes a keyboard-reachable button (see [`TOGGLE`]).
//! - Every inline `<script>` moves into a file, and every `style="..."` attribute becomes a
//!   class in a generated style sheet, so the site works under a strict Content-Security-Policy
//!   with no `unsafe-inline` and no per-page hashes (see [`crate::serve::CSP`]).
//! - The 404 page's `<base>` (which that policy's `base-uri 'none'` ignores) is written into
//!   its links instead.
//! - mdBook's furniture for code and webfonts goes: the handbook has no code to highlight or
//!   copy and uses the reader's system fonts, so highlight.js, clipboard.js, their three style
//!   sheets and the fonts' style sheet are neither referenced nor shipped (see [`UNUSED`]);
//!   `theme/book.js` is mdBook's script without the code that used them.
//! - mdBook's search scripts are not loaded with the page: `theme/handbook.js` loads them when
//!   the reader first asks for search (see [`SEARCH_SCRIPT`]); nor are the sidebar's contents:
//!   `theme/book.js` loads them when the sidebar is first shown (see [`CONTENTS_SCRIPT`]).
//! - The stock themes that fail WCAG AA contrast leave the theme menu and the style sheets (see
//!   [`UNOFFERED_THEME`]).

use anyhow::{Context, Result};
use regex::Regex;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::LazyLock;

/// mdBook's sidebar toggle is a `<label>` with button semantics (`aria-controls`, and
/// `aria-expanded` set by its script) that a label may not carry, and it cannot be reached
/// with the keyboard. As `role="button"` with `tabindex="0"` both are right; the theme's
/// script (`theme/handbook.js`) makes Enter and Space press it.
const TOGGLE: &str = r#"<label id="mdbook-sidebar-toggle" class="icon-button""#;
const TOGGLE_FIXED: &str =
    r#"<label id="mdbook-sidebar-toggle" role="button" tabindex="0" class="icon-button""#;

/// mdBook's style sheets and scripts the handbook does not use: highlight.js and its three
/// themes' style sheets (there is no code to highlight), clipboard.js (no code to copy), and
/// the webfonts' style sheet (the theme's empty `fonts/fonts.css` stops mdBook writing the
/// fonts; `theme/handbook.css` names system fonts). A page referring to them would download
/// about 200 KB for nothing; they are taken out of every page and deleted from the site.
static UNUSED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\s*(?:<!-- (?:Fonts|Highlight\.js Stylesheets) -->)?\s*(?:<link rel="stylesheet"(?: id="mdbook-[a-z-]+-css")? href="(?:[^"]*/)?(?:fonts/fonts|highlight|tomorrow-night|ayu-highlight)(?:-[0-9a-f]+)?\.css">|<script src="(?:[^"]*/)?(?:highlight|clipboard)(?:-[0-9a-f]+)?(?:\.min)?\.js"></script>)"#)
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});
/// The files of [`UNUSED`], by name at the site root.
static UNUSED_FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(?:(?:highlight|tomorrow-night|ayu-highlight)(?:-[0-9a-f]+)?\.css|(?:highlight|clipboard)(?:-[0-9a-f]+)?(?:\.min)?\.js)$"#)
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});

/// The icons mdBook's script puts on code blocks (show or hide lines, copy, run in the
/// playground, undo an edit), as templates in every page: the handbook has no code, and its
/// `theme/book.js` has no code-block handling. 1.2 KB of a 5.8 KB page, gzipped.
static CODE_ICONS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\s*<template id=fa-(?:eye|eye-slash|copy|play|clock-rotate-left)>.*?</template>"#)
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});

/// mdBook's search scripts (elasticlunr, mark.js and the searcher, which `theme/search.js`
/// replaces): about 19 KB gzipped on every page, for a feature most readers never open. They
/// stay in the site but leave the page; their addresses, as the page wrote them (so right from
/// any depth, from `file://`, and on the 404 page once [`unbase`] has run), in the page's
/// order, go on the search button as `data-mcph-search`, and `theme/handbook.js` loads them
/// the first time the reader asks for search.
static SEARCH_SCRIPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\s*<script src="((?:[^"]*/)?(?:elasticlunr|mark|searcher)(?:-[0-9a-f]+)?(?:\.min)?\.js)"></script>"#)
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});
const SEARCH_TOGGLE: &str = r#"<button id="mdbook-search-toggle""#;

/// See [`SEARCH_SCRIPT`]. A page without the search button keeps its scripts: nothing there
/// could load them.
fn defer_search(html: &str) -> String {
    let scripts: Vec<&str> = SEARCH_SCRIPT
        .captures_iter(html)
        .filter_map(|c| c.get(1).map(|m| m.as_str()))
        .collect();
    if scripts.is_empty() || !html.contains(SEARCH_TOGGLE) {
        return html.to_string();
    }
    let list = scripts.join(" ");
    SEARCH_SCRIPT.replace_all(html, "").replacen(
        SEARCH_TOGGLE,
        &format!(r#"{SEARCH_TOGGLE} data-mcph-search="{list}""#),
        1,
    )
}

/// mdBook's contents script (`toc.js`: every chapter's title and link, 7 KB gzipped) is loaded
/// in every page's head, before anything is shown. On a phone the sidebar starts hidden and
/// most readers never open it, so the script leaves the page; its address, as the page wrote
/// it, goes on the sidebar as `data-mcph-contents`, and `theme/book.js` loads it when the
/// sidebar is first shown (at once where the sidebar starts open, as on a wide screen).
static CONTENTS_SCRIPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\s*(?:<!-- Start loading toc\.js asap -->)?\s*<script src="((?:[^"]*/)?toc(?:-[0-9a-f]+)?\.js)"></script>"#)
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});
const SIDEBAR: &str = r#"<nav id="mdbook-sidebar""#;

/// See [`CONTENTS_SCRIPT`]. A page without the sidebar keeps its script.
fn defer_contents(html: &str) -> String {
    let Some(script) = CONTENTS_SCRIPT.captures(html).and_then(|c| c.get(1)) else {
        return html.to_string();
    };
    if !html.contains(SIDEBAR) {
        return html.to_string();
    }
    let src = script.as_str().to_string();
    CONTENTS_SCRIPT.replace(html, "").replacen(
        SIDEBAR,
        &format!(r#"{SIDEBAR} data-mcph-contents="{src}""#),
        1,
    )
}

/// The contents script also lists the page's own headings in the sidebar, once the page has
/// been read (`DOMContentLoaded`). Loaded when the sidebar is first shown, it usually comes
/// after that moment; this makes it list them at once when it does.
const CONTENTS_ON_READ: &str = "document.addEventListener('DOMContentLoaded', function() {";
const CONTENTS_ON_READ_FIXED: &str = "(document.readyState === 'loading' ? (f) => document.addEventListener('DOMContentLoaded', f) : (f) => f())(function() {";

/// On a page with the checker (not the printable whole book, where it does not start), the
/// head asks for the checker's module, WebAssembly and rule data at once, so they download
/// while the page parses; `checker/web/js/boot.js` then uses the same requests (a `fetch` in `cors` mode with
/// same-origin credentials, as `crossorigin` asks for).
const CHECKER_MOUNT: &str = r#"id="mcph-checker-mount""#;
const PRINT_PAGE: &str = r#"<meta name="robots" content="noindex">"#;

fn checker_preload(root: &str) -> String {
    format!(
        r#"<link rel="modulepreload" href="{root}checker/checker.js"><link rel="preload" href="{root}checker/checker_bg.wasm" as="fetch" type="application/wasm" crossorigin><link rel="preload" href="{root}checker/{}" as="fetch" crossorigin>"#,
        handbook_engine::bundle::FILE
    )
}

/// Where the moved scripts and styles go, under the site root.
pub const INLINE_DIR: &str = "theme/inline";
/// The generated style sheet for what were `style` attributes.
pub const STYLES: &str = "styles.css";

static SCRIPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?s)<script(?:\s+type="text/javascript")?>(.*?)</script>"#)
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});
static STYLED_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<([a-zA-Z][a-zA-Z0-9-]*)(\s[^>]*?)?\sstyle="([^"]*)"([^>]*)>"#)
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});
static CLASS_ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\sclass="([^"]*)""#).unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});
static TABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?s)<div class="table-wrapper">(\s*<table>.*?</table>)"#)
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});
static FIRST_CELL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?s)<t[hd][^>]*>(.*?)</t[hd]>"#)
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});
static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<[^>]*>"#).unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});
/// The stock themes the handbook does not offer (they fail WCAG AA contrast); navy, made to
/// pass in `theme/handbook.css`, is offered as "Dark".
static UNOFFERED_THEME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\s*<li role="none"><button role="menuitem" class="theme" id="mdbook-theme-(rust|coal|ayu)">[^<]*</button></li>"#)
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});
/// What the handbook does not have, by the class names mdBook's style sheets give it: their
/// rules leave `css/*.css`, which every page downloads (1.6 KB of a page, gzipped).
/// - The themes the handbook does not offer ([`UNOFFERED_THEME`]): a reader's saved choice of
///   one of them falls back to the default theme, as `theme/book.js` does for any theme not on
///   the menu.
/// - Code blocks and their buttons (copy, run, show hidden lines), highlighting and the
///   playground's editor and results: the protocols have no code (the element `pre` is in
///   [`UNUSED_ELEMENTS`]). Inline `code` is used and keeps its rules.
/// - GitHub-style notes (`> [!NOTE]`), mdBook's old `warning` box and the contents' spacers:
///   no page uses them.
///
/// The site test `no_page_uses_what_its_style_rules_were_taken_out_for` checks that no page or
/// script names one of these.
pub const UNUSED_CLASSES: [&str; 21] = [
    "rust",
    "coal",
    "ayu",
    "hljs",
    "ace_editor",
    "buttons",
    "clip-button",
    "boring",
    "hide-boring",
    "result",
    "result-no-output",
    "tooltipped",
    "tooltiptext",
    "blockquote-tag",
    "blockquote-tag-title",
    "blockquote-tag-note",
    "blockquote-tag-tip",
    "blockquote-tag-important",
    "blockquote-tag-warning",
    "blockquote-tag-caution",
    "warning",
];
/// The elements of [`UNUSED_CLASSES`]' code blocks.
pub const UNUSED_ELEMENTS: [&str; 1] = ["pre"];

/// `css` (the style sheet `name`) without the rules that apply only to what the handbook does
/// not have ([`UNUSED_CLASSES`], [`UNUSED_ELEMENTS`]): a rule goes when each of its selectors
/// names one of them; `.light, .ayu` stays, for `.light`.
fn without_unused_rules(name: &str, css: &str) -> Result<String> {
    use lightningcss::rules::{CssRule, CssRuleList};
    use lightningcss::selector::Component;

    fn unused(selector: &lightningcss::selector::Selector) -> bool {
        selector.iter_raw_match_order().any(|part| match part {
            Component::Class(class) => UNUSED_CLASSES.contains(&class.as_ref()),
            Component::LocalName(element) => UNUSED_ELEMENTS.contains(&element.name.as_ref()),
            _ => false,
        })
    }
    fn keep_used(rules: &mut CssRuleList) {
        rules.0.retain_mut(|rule| match rule {
            CssRule::Style(style) => !style.selectors.0.iter().all(unused),
            CssRule::Media(media) => {
                keep_used(&mut media.rules);
                !media.rules.0.is_empty()
            }
            _ => true,
        });
    }

    let mut sheet = crate::minify::parse_style(name, css)?;
    keep_used(&mut sheet.rules);
    crate::minify::print_style(name, &sheet, false)
}

/// The book's title in the menu bar is mdBook's `h1` on every page, beside the page's own:
/// it becomes a paragraph, so each page has one `h1`, its own.
const MENU_TITLE: &str = r#"<h1 class="menu-title">"#;
const MENU_TITLE_FIXED: &str = r#"<p class="menu-title">"#;
static MENU_TITLE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(<p class="menu-title">[^<]*)</h1>"#)
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});
/// The first thing a keyboard reaches on every page.
const SKIP_LINK: &str = r##"<body>
    <a class="mcph-skip-link" href="#mcph-main">Skip to main content</a>"##;
/// The protocols quote a few web addresses as links. The handbook is read on intranets and
/// offline and refers readers to no other site: the address stays, word for word, as text.
static EXTERNAL_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<a href="(?:https?:)?//[^"]*"[^>]*>([^<]*)</a>"#)
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});
/// mdBook's script carries the address of the Rust playground, used only for runnable Rust
/// examples, which the handbook has none of (and turns off): it is blanked.
const PLAYGROUND: &str = "https://play.rust-lang.org";
const NAVY: &str = r#"id="mdbook-theme-navy">Navy</button>"#;
const NAVY_AS_DARK: &str = r#"id="mdbook-theme-navy">Dark</button>"#;
static BASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\s*<base href="([^"]*)">"#)
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});
static URL_ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\s(href|src)="([^"]*)""#).unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});

/// What the pages' inline scripts and styles became: file name -> script, class -> CSS.
#[derive(Debug, Default)]
pub struct Moved {
    pub scripts: BTreeMap<String, String>,
    pub styles: BTreeMap<String, String>,
}

/// A wide table scrolls inside its wrapper; keyboard users must be able to reach and scroll
/// it, and screen readers need its name: the wrapper becomes a focusable, named region.
fn name_tables(html: &str) -> String {
    TABLE
        .replace_all(html, |c: &regex::Captures| {
            let first = FIRST_CELL
                .captures(&c[1])
                .map(|f| TAG.replace_all(&f[1], "").trim().to_string())
                .unwrap_or_default();
            let name = if first.is_empty() {
                "Table".to_string()
            } else {
                let short: String = first.chars().take(60).collect();
                format!("Table: {}", short.replace('"', "&quot;"))
            };
            format!(
                r#"<div class="table-wrapper" role="region" tabindex="0" aria-label="{name}">{}"#,
                &c[1]
            )
        })
        .into_owned()
}

/// The changes made to one page; `root` is the relative path from the page to the site root.
pub fn fix_page(html: &str, root: &str, moved: &mut Moved) -> String {
    let html = html.replace(TOGGLE, TOGGLE_FIXED);
    let html = UNUSED.replace_all(&html, "").into_owned();
    let html = CODE_ICONS.replace_all(&html, "").into_owned();
    let html = defer_search(&html);
    let html = defer_contents(&html);
    // mdBook's contents frame (toc.html, for readers without JavaScript) has no title.
    let html = if html.contains("<title>") {
        html
    } else {
        html.replacen("<head>", "<head>\n        <title>Contents</title>", 1)
    };
    let html = name_tables(&html);
    let html = EXTERNAL_LINK
        .replace_all(&html, r#"<span class="mcph-external">$1</span>"#)
        .into_owned();
    let html = html.replace(MENU_TITLE, MENU_TITLE_FIXED);
    let html = MENU_TITLE_END.replace(&html, "$1</p>").into_owned();
    let html = if html.contains("mcph-skip-link") || !html.contains("<main>") {
        html
    } else {
        html.replacen("<body>", SKIP_LINK, 1).replacen(
            "<main>",
            r#"<main id="mcph-main" tabindex="-1">"#,
            1,
        )
    };
    let html = UNOFFERED_THEME
        .replace_all(&html, "")
        .replace(NAVY, NAVY_AS_DARK);
    let html = SCRIPT.replace_all(&html, |c: &regex::Captures| {
        let body = &c[1];
        let name = format!("inline-{}.js", crate::fingerprint::hash(body.as_bytes()));
        moved.scripts.insert(name.clone(), body.to_string());
        format!(r#"<script src="{root}{INLINE_DIR}/{name}"></script>"#)
    });
    let html = STYLED_TAG.replace_all(&html, |c: &regex::Captures| {
        let declarations = c[3].trim().to_string();
        let class = format!(
            "mcph-s-{}",
            &crate::fingerprint::hash(declarations.as_bytes())[..10]
        );
        moved.styles.insert(class.clone(), declarations);
        let attrs = format!("{}{}", c.get(2).map_or("", |m| m.as_str()), &c[4]);
        let attrs = if CLASS_ATTR.is_match(&attrs) {
            CLASS_ATTR
                .replace(&attrs, |k: &regex::Captures| {
                    format!(r#" class="{} {class}""#, &k[1])
                })
                .into_owned()
        } else {
            format!(r#" class="{class}"{attrs}"#)
        };
        format!("<{}{attrs}>", &c[1])
    });
    let preload = checker_preload(root);
    let html =
        if html.contains(CHECKER_MOUNT) && !html.contains(PRINT_PAGE) && !html.contains(&preload) {
            html.replacen("</head>", &format!("{preload}</head>"), 1)
        } else {
            html.into_owned()
        };
    let sheet = format!(r#"<link rel="stylesheet" href="{root}{INLINE_DIR}/{STYLES}">"#);
    let html = if html.contains(&sheet) {
        html
    } else {
        html.replacen("</head>", &format!("{sheet}</head>"), 1)
    };
    trimmed(&html)
}

/// mdBook's notes to whoever reads the page's source (`<!-- Custom HTML head -->`); not the
/// icons' licence notices, which start `<!--!`.
static NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?s)<!--[^!].*?-->"#).unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});
/// The indentation and blank lines before a tag, which show nothing: one line break is white
/// space enough.
static INDENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\n\s+<"#).unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});

/// The page without mdBook's notes and indentation (about 0.4 KB of a page, gzipped). A page
/// with preformatted text keeps its indentation, which there is shown.
fn trimmed(html: &str) -> String {
    let html = NOTE.replace_all(html, "");
    if html.contains("<pre") || html.contains("<textarea") {
        return html.into_owned();
    }
    INDENT.replace_all(&html, "\n<").into_owned()
}

/// The 404 page is served at whatever address was not found, so mdBook gives it a `<base>`.
/// A strict policy ignores `<base>`; the base is written into each relative link instead.
pub fn unbase(html: &str) -> (String, String) {
    let Some(c) = BASE.captures(html) else {
        return (html.to_string(), String::new());
    };
    let base = c[1].to_string();
    let without = BASE.replace(html, "");
    let fixed = URL_ATTR.replace_all(&without, |u: &regex::Captures| {
        let url = &u[2];
        let absolute =
            url.starts_with('/') || url.starts_with('#') || url.contains(':') || url.is_empty();
        if absolute {
            u[0].to_string()
        } else {
            format!(r#" {}="{base}{url}""#, &u[1])
        }
    });
    // The page's scripts find the rest of the site (search's index, the contents' links) from
    // `path_to_root`, as its links did from the base: at any depth of a missing address.
    let fixed = fixed
        .replace(
            r#"const path_to_root = "";"#,
            &format!(r#"const path_to_root = "{base}";"#),
        )
        .replace(
            r#"window.path_to_searchindex_js = ""#,
            &format!(r#"window.path_to_searchindex_js = "{base}"#),
        );
    (fixed, base)
}

fn pages(dir: &Path, rel: &Path, out: &mut Vec<(std::path::PathBuf, usize)>) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            let name = path.file_name().map(|n| n.to_owned()).unwrap_or_default();
            pages(&path, &rel.join(name), out)?;
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push((path, rel.components().count()));
        }
    }
    Ok(())
}

/// Applies [`fix_page`] to some pages (path, depth below the site root); returns what they
/// moved and how many changed.
fn fix_pages(list: &[(std::path::PathBuf, usize)]) -> Result<(Moved, usize)> {
    let mut moved = Moved::default();
    let mut count = 0;
    for (path, depth) in list {
        let html =
            fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let (unbased, base) = unbase(&html);
        let root = if base.is_empty() {
            "../".repeat(*depth)
        } else {
            base
        };
        let fixed = fix_page(&unbased, &root, &mut moved);
        if fixed != html {
            fs::write(path, fixed).with_context(|| format!("cannot write {}", path.display()))?;
            count += 1;
        }
    }
    Ok((moved, count))
}

/// Applies [`fix_page`] to every HTML file under `out`, then writes the moved scripts and
/// styles. Returns how many pages it changed.
pub fn run(out: &Path) -> Result<usize> {
    let mut list = Vec::new();
    pages(out, Path::new(""), &mut list)?;
    // The pages are independent: they are fixed on every core (each keeping what it moved),
    // which is most of this step's time on a book of this size.
    let threads = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .clamp(1, 8);
    // Shared out by size, largest first, each to the least loaded (print.html is the largest).
    list.sort_by_key(|(p, _)| std::cmp::Reverse(fs::metadata(p).map(|m| m.len()).unwrap_or(0)));
    let mut parts: Vec<(u64, Vec<(std::path::PathBuf, usize)>)> = vec![(0, Vec::new()); threads];
    for page in list {
        let size = fs::metadata(&page.0).map(|m| m.len()).unwrap_or(0);
        if let Some(least) = parts.iter_mut().min_by_key(|(load, _)| *load) {
            least.0 += size;
            least.1.push(page);
        }
    }
    let results: Vec<Result<(Moved, usize)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = parts
            .iter()
            .map(|(_, part)| scope.spawn(move || fix_pages(part)))
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("fixing the pages failed")))
            })
            .collect()
    });
    let mut moved = Moved::default();
    let mut count = 0;
    for result in results {
        let (m, n) = result?;
        moved.scripts.extend(m.scripts);
        moved.styles.extend(m.styles);
        count += n;
    }
    for entry in fs::read_dir(out).with_context(|| format!("cannot read {}", out.display()))? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if UNUSED_FILE.is_match(name) {
            fs::remove_file(&path).with_context(|| format!("cannot delete {}", path.display()))?;
            continue;
        }
        if name.starts_with("book") && name.ends_with(".js") {
            let js = fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            if js.contains(PLAYGROUND) {
                fs::write(&path, js.replace(PLAYGROUND, ""))
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
        }
        if name.starts_with("toc") && name.ends_with(".js") {
            let js = fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            if js.contains(CONTENTS_ON_READ) {
                fs::write(&path, js.replace(CONTENTS_ON_READ, CONTENTS_ON_READ_FIXED))
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
        }
    }
    let css = out.join("css");
    for entry in fs::read_dir(&css).with_context(|| format!("cannot read {}", css.display()))? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.ends_with(".css") {
            let text = fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let fewer = without_unused_rules(&path.display().to_string(), &text)?;
            fs::write(&path, fewer).with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    let dir = out.join(INLINE_DIR);
    fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for (name, body) in &moved.scripts {
        let path = dir.join(name);
        fs::write(&path, body).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let mut css = String::from(
        "/* Generated by the handbook's build from mdBook's style attributes, so that pages\n   need no inline styles. */\n",
    );
    for (class, declarations) in &moved.styles {
        css.push_str(&format!(".{class} {{ {declarations} }}\n"));
    }
    let path = dir.join(STYLES);
    fs::write(&path, css).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sidebar_toggle_becomes_a_keyboard_button() {
        let page = r#"<div><label id="mdbook-sidebar-toggle" class="icon-button" for="x" aria-controls="mdbook-sidebar"></label></div>"#;
        let fixed = fix_page(page, "", &mut Moved::default());
        assert!(fixed.contains(r#"role="button" tabindex="0""#), "{fixed}");
        assert_eq!(
            fix_page(&fixed, "", &mut Moved::default()),
            fixed,
            "fixing twice changes nothing more"
        );
    }

    #[test]
    fn inline_scripts_and_styles_move_out_of_the_page() {
        let page = r#"<html><head><script>const a = 1;</script></head><body>
<div style="clear: both"></div><p class="x" style="break-before: page;">t</p>
<script>const a = 1;</script><script src="keep.js"></script><script type="module" src="m.js"></script>
</body></html>"#;
        let mut moved = Moved::default();
        let fixed = fix_page(page, "../", &mut moved);
        assert!(!fixed.contains("<script>"), "{fixed}");
        assert!(!fixed.contains("style="), "{fixed}");
        assert_eq!(moved.scripts.len(), 1, "the same script is one file");
        let (name, body) = moved.scripts.iter().next().expect("a script");
        assert_eq!(body, "const a = 1;");
        assert_eq!(
            fixed
                .matches(&format!(
                    r#"<script src="../theme/inline/{name}"></script>"#
                ))
                .count(),
            2
        );
        assert!(fixed.contains(r#"<script src="keep.js"></script>"#));
        assert!(fixed.contains(r#"<script type="module" src="m.js"></script>"#));
        assert_eq!(moved.styles.len(), 2);
        for (class, declarations) in &moved.styles {
            assert!(fixed.contains(class.as_str()), "{class} not used");
            assert!(!declarations.is_empty());
        }
        assert!(fixed.contains(r#"<p class="x mcph-s-"#), "{fixed}");
        assert!(
            fixed.contains(r#"<link rel="stylesheet" href="../theme/inline/styles.css"></head>"#)
        );
    }

    #[test]
    fn tables_are_named_focusable_regions_and_pages_have_titles() {
        let page = "<html><head></head><body><div class=\"table-wrapper\">\n<table><thead><tr><th><strong>Risk</strong> level</th></tr></thead></table>\n</div></body></html>";
        let fixed = fix_page(page, "", &mut Moved::default());
        assert!(
            fixed.contains(r#"<div class="table-wrapper" role="region" tabindex="0" aria-label="Table: Risk level">"#),
            "{fixed}"
        );
        assert!(fixed.contains("<title>Contents</title>"), "{fixed}");
    }

    #[test]
    fn one_h1_per_page_and_a_skip_link_first() {
        let page = r#"<html><head></head><body>
<div><h1 class="menu-title">Handbook</h1></div><main><h1>Page</h1></main></body></html>"#;
        let fixed = fix_page(page, "", &mut Moved::default());
        assert_eq!(fixed.matches("<h1").count(), 1, "{fixed}");
        assert!(
            fixed.contains(r#"<p class="menu-title">Handbook</p>"#),
            "{fixed}"
        );
        let body = fixed.find("<body>").unwrap_or(0);
        let first_link = fixed[body..].find("<a ").map(|i| &fixed[body + i..]);
        assert!(
            first_link.is_some_and(|a| a.starts_with(r##"<a class="mcph-skip-link" href="#mcph-main">"##)),
            "{fixed}"
        );
        assert!(fixed.contains(r#"<main id="mcph-main" tabindex="-1">"#));
        assert_eq!(fix_page(&fixed, "", &mut Moved::default()), fixed);
    }

    #[test]
    fn addresses_of_other_sites_stay_as_text_not_links() {
        let page = r#"<p>See <a href="http://www.example.invalid/">http://www.example.invalid/</a> and <a href="09-x.html">here</a>.</p>"#;
        let fixed = fix_page(page, "", &mut Moved::default());
        assert!(
            fixed.contains(r#"See <span class="mcph-external">http://www.example.invalid/</span> and <a href="09-x.html">here</a>."#),
            "{fixed}"
        );
    }

    #[test]
    fn only_the_themes_that_pass_are_offered() {
        let list = r#"<ul id="mdbook-theme-list">
<li role="none"><button role="menuitem" class="theme" id="mdbook-theme-light">Light</button></li>
<li role="none"><button role="menuitem" class="theme" id="mdbook-theme-rust">Rust</button></li>
<li role="none"><button role="menuitem" class="theme" id="mdbook-theme-coal">Coal</button></li>
<li role="none"><button role="menuitem" class="theme" id="mdbook-theme-navy">Navy</button></li>
<li role="none"><button role="menuitem" class="theme" id="mdbook-theme-ayu">Ayu</button></li>
</ul>"#;
        let fixed = fix_page(list, "", &mut Moved::default());
        for gone in ["rust", "coal", "ayu"] {
            assert!(!fixed.contains(&format!("mdbook-theme-{gone}")), "{fixed}");
        }
        assert!(fixed.contains("mdbook-theme-light"));
        assert!(
            fixed.contains(r#"id="mdbook-theme-navy">Dark</button>"#),
            "{fixed}"
        );
    }

    #[test]
    fn the_themes_not_offered_leave_the_style_sheet() {
        let css = ":root { --sidebar-width: 300px; }\n.ayu { --bg: #0f1419; }\n.coal { --bg: #1d1f21; }\n.light, html:not(.js) { --bg: #fff; }\n.navy { --bg: #161923; }\n.rust { --bg: #e1e1db; }\n@media (prefers-color-scheme: dark) { html:not(.js) { --bg: #161923; } }\n";
        let fewer = without_unused_rules("variables.css", css).expect("parses");
        for gone in [".ayu", ".coal", ".rust", "#0f1419", "#1d1f21", "#e1e1db"] {
            assert!(!fewer.contains(gone), "{gone} is still there: {fewer}");
        }
        for kept in [
            ":root",
            ".light",
            ".navy",
            "prefers-color-scheme",
            "--sidebar-width",
        ] {
            assert!(fewer.contains(kept), "{kept} went: {fewer}");
        }
    }

    #[test]
    fn the_rules_for_code_blocks_and_notes_leave_and_inline_code_keeps_its_own() {
        let css = "pre { padding: 16px; }\npre > .buttons button.clip-button { border: 0; }\n:not(pre) > .hljs { padding: 0; }\n.blockquote-tag-note { color: blue; }\ncode { font-size: 0.9em; }\n:not(pre) > code { padding: 0.1em; }\n.sidebar code, pre code { color: red; }\n@media print { pre > .buttons { display: none; } }\n@media print { .result, .mcph-answer { display: block; } }\n";
        let fewer = without_unused_rules("chrome.css", css).expect("parses");
        for gone in [
            "16px",
            "clip-button",
            "hljs",
            "blockquote",
            "display:none",
            "display: none",
        ] {
            assert!(!fewer.contains(gone), "{gone} is still there: {fewer}");
        }
        // Inline code's rules stay, even where they name `pre` inside `:not()` or share a rule
        // with a code block's selector; so does a rule with one selector in use.
        for kept in [".9em", ".1em", "color: red", ".mcph-answer"] {
            assert!(fewer.contains(kept), "{kept} went: {fewer}");
        }
    }

    #[test]
    fn the_checker_page_asks_for_the_checker_early() {
        let page = r#"<html><head><title>x</title></head><body><div id="mcph-checker-mount" data-root="../"></div></body></html>"#;
        let fixed = fix_page(page, "../", &mut Moved::default());
        let head = &fixed[..fixed.find("</head>").unwrap_or(0)];
        assert!(
            head.contains(r#"<link rel="modulepreload" href="../checker/checker.js">"#),
            "{fixed}"
        );
        assert!(head.contains(r#"<link rel="preload" href="../checker/checker_bg.wasm" as="fetch" type="application/wasm" crossorigin>"#), "{fixed}");
        assert!(
            head.contains(
                r#"<link rel="preload" href="../checker/rules.bin" as="fetch" crossorigin>"#
            ),
            "{fixed}"
        );
        assert_eq!(fix_page(&fixed, "../", &mut Moved::default()), fixed);
        let print = page.replace(
            "<title>",
            r#"<meta name="robots" content="noindex"><title>"#,
        );
        assert!(!fix_page(&print, "", &mut Moved::default()).contains("preload"));
        let other = "<html><head></head><body><p>x</p></body></html>";
        assert!(!fix_page(other, "", &mut Moved::default()).contains("preload"));
    }

    #[test]
    fn notes_and_indentation_leave_the_page_and_what_shows_stays() {
        let page = "<head>\n        <!-- Custom HTML head -->\n        <title>A</title>\n</head><body>\n    <nav>\n        <!-- populated by js -->\n    </nav>\n    <p>Report to the\n        police <em>within</em> 1 hour.</p>\n    <svg><!--! Font Awesome Free 6.2.0, CC BY 4.0 --><path d=\"M1\"/></svg>\n</body>";
        let fixed = fix_page(page, "", &mut Moved::default());
        assert!(
            !fixed.contains("Custom HTML head") && !fixed.contains("populated"),
            "{fixed}"
        );
        assert!(
            !fixed.contains("\n    <") && !fixed.contains("\n\n"),
            "indentation or a blank line before a tag is left: {fixed}"
        );
        // Text keeps its words and the space between them; the licence notice stays.
        assert!(
            fixed.contains("<p>Report to the\n        police <em>within</em> 1 hour.</p>"),
            "{fixed}"
        );
        assert!(
            fixed.contains("<!--! Font Awesome Free 6.2.0, CC BY 4.0 -->"),
            "{fixed}"
        );
        let pre = "<body>\n<pre>\n    indented\n    <b>code</b>\n</pre>\n</body>";
        assert!(fix_page(pre, "", &mut Moved::default()).contains("\n    <b>code</b>"));
    }

    #[test]
    fn unused_furniture_is_not_referenced() {
        let page = r#"<head>
        <link rel="stylesheet" href="../css/general-e96d0476.css">
        <!-- Fonts -->
        <link rel="stylesheet" href="../fonts/fonts.css">
        <!-- Highlight.js Stylesheets -->
        <link rel="stylesheet" id="mdbook-highlight-css" href="../highlight-493f70e1.css">
        <link rel="stylesheet" id="mdbook-tomorrow-night-css" href="../tomorrow-night-4c0ae647.css">
        <link rel="stylesheet" id="mdbook-ayu-highlight-css" href="../ayu-highlight-3fdfc3ac.css">
        <link rel="stylesheet" href="../theme/handbook-fbd25c5a.css">
</head><body>
        <script src="../clipboard-1626706a.min.js"></script>
        <script src="../highlight-abc7f01d.js"></script>
        <script src="../book-609e4cb8.js"></script>
        <template id=fa-eye><span class=fa-svg><svg viewBox="0 0 576 512"><path d="M1"/></svg></span></template>
        <template id=fa-eye-slash><span class=fa-svg><svg><path d="M2"/></svg></span></template>
        <template id=fa-copy><span class=fa-svg><svg><path d="M3"/></svg></span></template>
        <template id=fa-play><span class=fa-svg><svg><path d="M4"/></svg></span></template>
        <template id=fa-clock-rotate-left><span class=fa-svg><svg><path d="M5"/></svg></span></template>
        <div class="spinner-wrapper"><span class=fa-svg id="fa-spin"><svg><path d="M6"/></svg></span></div>
</body>"#;
        let fixed = fix_page(page, "../", &mut Moved::default());
        for gone in [
            "fonts",
            "highlight",
            "tomorrow",
            "ayu",
            "clipboard",
            "<template",
            "M1",
            "M5",
        ] {
            assert!(!fixed.contains(gone), "{gone} is still there: {fixed}");
        }
        // Other icons stay (the search box's spinner).
        for kept in ["general-", "handbook-", "book-", "fa-spin", "M6"] {
            assert!(fixed.contains(kept), "{kept} was taken out: {fixed}");
        }
        for name in [
            "highlight-493f70e1.css",
            "tomorrow-night-4c0ae647.css",
            "ayu-highlight-3fdfc3ac.css",
            "highlight-abc7f01d.js",
            "clipboard-1626706a.min.js",
        ] {
            assert!(UNUSED_FILE.is_match(name), "{name}");
        }
        // The search scripts leave the pages (see the next test) but not the site.
        for name in [
            "book-609e4cb8.js",
            "elasticlunr-ef4e11c1.min.js",
            "mark-09e88c2c.min.js",
            "searcher-09f2665d.js",
            "index.html",
        ] {
            assert!(!UNUSED_FILE.is_match(name), "{name}");
        }
    }

    /// mdBook's end of a page two folders down, with the search button in its menu bar.
    const SEARCH_PAGE: &str = r#"<html><head></head><body>
        <div class="right-buttons"><button id="mdbook-search-toggle" class="icon-button" type="button" aria-expanded="false"></button></div>
        <script src="../../elasticlunr-ef4e11c1.min.js"></script>
        <script src="../../mark-09e88c2c.min.js"></script>
        <script src="../../searcher-09f2665d.js"></script>
        <script src="../../book-d35a1433.js"></script>
        <script src="../../theme/handbook-dee5b250.js"></script>
</body></html>"#;

    #[test]
    fn search_scripts_are_left_for_the_search_button_to_load() {
        let fixed = fix_page(SEARCH_PAGE, "../../", &mut Moved::default());
        for gone in ["elasticlunr", "mark-", "searcher"] {
            assert!(
                !fixed.contains(&format!(r#"<script src="../../{gone}"#)),
                "the page still loads {gone}: {fixed}"
            );
        }
        // In the order they must run: the searcher needs the other two.
        assert!(
            fixed.contains(r#"<button id="mdbook-search-toggle" data-mcph-search="../../elasticlunr-ef4e11c1.min.js ../../mark-09e88c2c.min.js ../../searcher-09f2665d.js" class="icon-button""#),
            "{fixed}"
        );
        for kept in [
            r#"<script src="../../book-d35a1433.js"></script>"#,
            r#"<script src="../../theme/handbook-dee5b250.js"></script>"#,
        ] {
            assert!(fixed.contains(kept), "{kept} was taken out: {fixed}");
        }
        assert_eq!(
            fix_page(&fixed, "../../", &mut Moved::default()),
            fixed,
            "fixing twice changes nothing more"
        );

        // The 404 page, served at any address: its base goes into the addresses first.
        let lost = SEARCH_PAGE
            .replace("<head>", r#"<head><base href="/">"#)
            .replace("../../", "");
        let (unbased, base) = unbase(&lost);
        let fixed = fix_page(&unbased, &base, &mut Moved::default());
        assert!(
            fixed.contains(r#"data-mcph-search="/elasticlunr-ef4e11c1.min.js /mark-09e88c2c.min.js /searcher-09f2665d.js""#),
            "{fixed}"
        );
        assert!(!fixed.contains(r#"<script src="/searcher"#), "{fixed}");

        // With no button to press, a page keeps its scripts.
        let buttonless = SEARCH_PAGE.replace(r#"<button id="mdbook-search-toggle""#, "<button");
        let fixed = fix_page(&buttonless, "../../", &mut Moved::default());
        assert!(fixed.contains(r#"<script src="../../searcher-09f2665d.js"></script>"#));
        assert!(!fixed.contains("data-mcph-search"));
    }

    #[test]
    fn the_contents_script_is_left_for_the_sidebar_to_load() {
        let page = r#"<html><head>
        <!-- Start loading toc.js asap -->
        <script src="../toc-5b1e2a0c.js"></script>
    </head><body>
        <nav id="mdbook-sidebar" class="sidebar" aria-label="Table of contents">
            <mdbook-sidebar-scrollbox class="sidebar-scrollbox"></mdbook-sidebar-scrollbox>
        </nav>
</body></html>"#;
        let fixed = fix_page(page, "../", &mut Moved::default());
        assert!(!fixed.contains("<script"), "{fixed}");
        assert!(
            fixed.contains(r#"<nav id="mdbook-sidebar" data-mcph-contents="../toc-5b1e2a0c.js" class="sidebar""#),
            "{fixed}"
        );
        assert_eq!(
            fix_page(&fixed, "../", &mut Moved::default()),
            fixed,
            "fixing twice changes nothing more"
        );
        // With no sidebar to show it, a page keeps its script.
        let sidebarless = page.replace(r#"<nav id="mdbook-sidebar""#, "<nav");
        let fixed = fix_page(&sidebarless, "../", &mut Moved::default());
        assert!(fixed.contains(r#"<script src="../toc-5b1e2a0c.js"></script>"#));
        assert!(!fixed.contains("data-mcph-contents"));
    }

    #[test]
    fn the_404_page_carries_its_base_in_its_links() {
        let page = r##"<head><base href="/"><link href="css/a.css"><script>
            const path_to_root = "";
            window.path_to_searchindex_js = "searchindex-1.js";
        </script></head><a href="index.html">x</a><a href="https://example.invalid/">y</a><a href="#top">z</a>"##;
        let (fixed, base) = unbase(page);
        assert_eq!(base, "/");
        assert!(fixed.contains(r#"const path_to_root = "/";"#), "{fixed}");
        assert!(
            fixed.contains(r#"window.path_to_searchindex_js = "/searchindex-1.js";"#),
            "{fixed}"
        );
        assert!(!fixed.contains("<base"));
        assert!(fixed.contains(r#"href="/css/a.css""#));
        assert!(fixed.contains(r#"href="/index.html""#));
        assert!(fixed.contains(r##"href="#top""##));
        assert!(fixed.contains(r#"href="https://example.invalid/""#));
    }
}
