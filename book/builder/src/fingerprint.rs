//! Names every script, style sheet, image and WebAssembly file after its content, last of all
//! the build's steps, and rewrites every reference to it.
//!
//! A file whose name changes whenever its content does can be kept by browsers for a year
//! without asking the server again (`Cache-Control: immutable`): a carer who opens the checker a
//! second time, at night on a weak signal, downloads only the page. Before this step a few files
//! kept one name from one edition to the next (the checker's, the generated style sheet, and
//! mdBook's own files that the build rewrites after mdBook named them), so hosts had to make
//! browsers ask about every file on every visit.
//!
//! A file that refers to other files (a script that loads the WebAssembly, the search
//! catalogue that names its shards) is named after those references are rewritten, so a
//! change anywhere changes the names of everything that leads to it. Pages (`.html`) keep their
//! names: they are the addresses readers link to, and hosts send them with `no-cache`.

use anyhow::{Context, Result, bail};
use regex::Regex;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// The kinds of file that are named after their content.
const ASSETS: [&str; 12] = [
    "js", "css", "wasm", "bin", "png", "svg", "ico", "jpg", "gif", "webp", "woff2", "json",
];
/// Those that can refer to other files by name (and so are read and rewritten).
const TEXT: [&str; 4] = ["js", "css", "svg", "json"];

/// How many hex digits of the content's hash a name carries.
const DIGITS: usize = 16;

/// A name as the build gives it, or as it comes from mdBook or an earlier step: a stem, perhaps
/// already a hash, and the extension (with `.min` kept with it).
static NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.+?)(?:-[0-9a-f]{8,16})?((?:\.min)?\.[A-Za-z0-9]+)$")
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});
static NAMED_BY_CONTENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"-[0-9a-f]{{{DIGITS}}}(?:\.min)?\.[A-Za-z0-9]+$"))
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});

/// A short, stable name for some bytes (FNV-1a, 64 bits): the same content always gets the same
/// name, whatever the toolchain. Not a security measure: it only has to change when the
/// content does, among a few dozen files.
pub fn hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Whether a file's name (or a path ending in it) carries its content's hash, as this step
/// names files: such a file never changes, so it may be kept for a year.
pub fn is_named_by_content(path: &str) -> bool {
    NAMED_BY_CONTENT.is_match(path)
}

/// The name `file` gets for `content`: `chrome-1a2b….css` for `chrome.css` or `chrome-9f8e.css`.
pub fn content_name(file: &str, content: &[u8]) -> String {
    match NAME.captures(file) {
        Some(c) => format!("{}-{}{}", &c[1], hash(content), &c[2]),
        None => format!("{file}-{}", hash(content)),
    }
}

/// A file that is named after its content.
struct Asset {
    /// Its path from the site's root, with `/`.
    rel: String,
    /// Its file name, which is how other files refer to it.
    name: String,
    /// Its text, if it is of a kind that refers to other files.
    text: Option<String>,
}

fn ext(name: &str) -> &str {
    name.rsplit_once('.').map(|(_, e)| e).unwrap_or_default()
}

fn walk(dir: &Path, rel: &str, assets: &mut Vec<Asset>, pages: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("cannot read {}", dir.display()))?;
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        let child = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        if path.is_dir() {
            walk(&path, &child, assets, pages)?;
        } else if ext(&name) == "html" {
            pages.push(path);
        } else if ASSETS.contains(&ext(&name)) {
            let text = if TEXT.contains(&ext(&name)) {
                Some(
                    fs::read_to_string(&path)
                        .with_context(|| format!("cannot read {}", path.display()))?,
                )
            } else {
                None
            };
            assets.push(Asset {
                rel: child,
                name,
                text,
            });
        }
    }
    Ok(())
}

/// Finds references to the files in `names` in some text: a file name right after `/`, a
/// quote (`"`, `'` or the backtick a minified script writes), `(`, `=` or white space, and right
/// before a quote, `)`, `?`, `#`, `,`, `;`, white space or the end (so `mark.js` is not found in `bookmark.js` nor in `mark.json`).
struct References {
    pattern: Regex,
}

impl References {
    fn new<'a>(names: impl Iterator<Item = &'a str>) -> Result<References> {
        // Longest first, so that `a.json` is not taken for `a.js` and then dropped.
        let mut names: Vec<&str> = names.collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        let alternatives: Vec<String> = names.into_iter().map(regex::escape).collect();
        // The names alone (which the regex crate searches for as literals, quickly); what
        // comes before and after each is checked by `find`.
        let pattern = Regex::new(&alternatives.join("|"))
            .context("cannot make the pattern that finds file names")?;
        Ok(References { pattern })
    }

    /// Each reference: where its name starts and ends.
    fn find<'t>(&self, text: &'t str) -> impl Iterator<Item = (usize, usize, &'t str)> {
        self.pattern.find_iter(text).filter_map(move |m| {
            let starts_well = text[..m.start()]
                .chars()
                .next_back()
                .is_some_and(|before| "/\"'`(=".contains(before) || before.is_whitespace());
            let ends_well = text[m.end()..]
                .chars()
                .next()
                .is_none_or(|next| "\"'`)?#,;".contains(next) || next.is_whitespace());
            (starts_well && ends_well).then_some((m.start(), m.end(), m.as_str()))
        })
    }

    /// `text` with each reference to a file in `renamed` changed to its new name.
    fn rewrite(&self, text: &str, renamed: &BTreeMap<String, String>) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (start, end, name) in self.find(text) {
            if let Some(new) = renamed.get(name) {
                out.push_str(&text[last..start]);
                out.push_str(new);
                last = end;
            }
        }
        out.push_str(&text[last..]);
        out
    }
}

/// Renames every asset under `out` after its content and rewrites the references to it in the
/// pages and in other assets. Returns the old and new path of each file (from the site's root).
pub fn run(out: &Path) -> Result<BTreeMap<String, String>> {
    let mut assets = Vec::new();
    let mut pages = Vec::new();
    walk(out, "", &mut assets, &mut pages)?;
    // References are by file name, so no two assets may share one.
    let mut by_name: BTreeMap<&str, &str> = BTreeMap::new();
    for a in &assets {
        if let Some(other) = by_name.insert(&a.name, &a.rel) {
            bail!(
                "two files in the built site are called {}: {other} and {}; the build names files after their content and finds references to them by name, so each name must be used once (rename one in theme/ or book/src/)",
                a.name,
                a.rel
            );
        }
    }
    let references = References::new(assets.iter().map(|a| a.name.as_str()))?;
    // What each asset refers to.
    let needs: Vec<Vec<String>> = assets
        .iter()
        .map(|a| {
            let mut names: Vec<String> = a
                .text
                .as_deref()
                .map(|t| {
                    references
                        .find(t)
                        .map(|(_, _, n)| n.to_string())
                        .filter(|n| *n != a.name)
                        .collect()
                })
                .unwrap_or_default();
            names.sort();
            names.dedup();
            names
        })
        .collect();
    // Named in an order where every file comes after the files it refers to.
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    let mut paths: BTreeMap<String, String> = BTreeMap::new();
    let mut done = vec![false; assets.len()];
    while done.iter().any(|d| !d) {
        let mut progress = false;
        for (i, asset) in assets.iter().enumerate() {
            if done[i] || !needs[i].iter().all(|n| renamed.contains_key(n)) {
                continue;
            }
            let from = out.join(&asset.rel);
            let content = match &asset.text {
                Some(text) => references.rewrite(text, &renamed).into_bytes(),
                None => {
                    fs::read(&from).with_context(|| format!("cannot read {}", from.display()))?
                }
            };
            let name = content_name(&asset.name, &content);
            let rel = match asset.rel.rsplit_once('/') {
                Some((dir, _)) => format!("{dir}/{name}"),
                None => name.clone(),
            };
            let to = out.join(&rel);
            fs::write(&to, &content).with_context(|| format!("cannot write {}", to.display()))?;
            if to != from {
                fs::remove_file(&from)
                    .with_context(|| format!("cannot remove {}", from.display()))?;
            }
            renamed.insert(asset.name.clone(), name);
            paths.insert(asset.rel.clone(), rel);
            done[i] = true;
            progress = true;
        }
        if !progress {
            let stuck: Vec<String> = assets
                .iter()
                .zip(&needs)
                .zip(&done)
                .filter(|(_, d)| !**d)
                .map(|((a, n), _)| format!("{} (names {})", a.rel, n.join(", ")))
                .collect();
            bail!(
                "these files refer to each other in a circle, so none can be named after its content before the others: {}",
                stuck.join(", ")
            );
        }
    }
    for page in &pages {
        let html =
            fs::read_to_string(page).with_context(|| format!("cannot read {}", page.display()))?;
        let fixed = references.rewrite(&html, &renamed);
        if fixed != html {
            fs::write(page, fixed).with_context(|| format!("cannot write {}", page.display()))?;
        }
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "mcph-fingerprint-{}-{}",
            std::process::id(),
            hash(format!("{files:?}").as_bytes())
        ));
        let _ = fs::remove_dir_all(&dir);
        for (path, text) in files {
            let path = dir.join(path);
            fs::create_dir_all(path.parent().expect("a folder")).expect("create");
            fs::write(path, text).expect("write");
        }
        dir
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut assets = Vec::new();
        let mut pages = Vec::new();
        walk(dir, "", &mut assets, &mut pages).expect("walk");
        assets.into_iter().map(|a| a.rel).collect()
    }

    #[test]
    fn names_carry_the_hash_of_the_content_and_replace_an_earlier_one() {
        assert_eq!(
            content_name("checker_bg.wasm", b"x"),
            format!("checker_bg-{}.wasm", hash(b"x"))
        );
        assert_eq!(
            content_name("elasticlunr-ef4e11c1.min.js", b"x"),
            format!("elasticlunr-{}.min.js", hash(b"x"))
        );
        assert_eq!(
            content_name("checker-file.js", b"x"),
            format!("checker-file-{}.js", hash(b"x"))
        );
        assert!(is_named_by_content(&content_name("styles.css", b"x")));
        assert!(!is_named_by_content("styles.css"));
        assert!(
            !is_named_by_content("book-b6cd9d39.js"),
            "mdBook's 8 digits"
        );
        assert_ne!(hash(b"a"), hash(b"b"));
    }

    #[test]
    fn references_are_whole_file_names() {
        let refs = References::new(["mark.js", "b.css", "mark.json"].into_iter()).expect("pattern");
        let found = |t: &str| {
            refs.find(t)
                .map(|(_, _, n)| n.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(found(r#"<script src="../mark.js"></script>"#), ["mark.js"]);
        assert_eq!(found(r#"data-x="mark.js b.css""#), ["mark.js", "b.css"]);
        assert_eq!(found("url(b.css)"), ["b.css"]);
        assert_eq!(found(r#"new URL('mark.js', here)"#), ["mark.js"]);
        assert_eq!(found("x=`/b.css`"), ["b.css"], "a minified script's string");
        assert!(found(r#"src="bookmark.js""#).is_empty());
        assert_eq!(found(r#"src="/mark.json""#), ["mark.json"]);
        assert!(found(r#"src="/mark.jsx""#).is_empty());
        assert!(
            found("mark.js").is_empty(),
            "not a reference without a path or quote"
        );
    }

    /// A page, the script that starts the checker, and the two files that script loads.
    fn checker_site(wasm: &str) -> PathBuf {
        site(&[
            ("index.html", r#"<script src="checker/boot.js"></script>"#),
            (
                "checker/boot.js",
                r#"import(new URL("checker.js", here)); fetch("checker_bg.wasm")"#,
            ),
            ("checker/checker.js", "glue"),
            ("checker/checker_bg.wasm", wasm),
        ])
    }

    #[test]
    fn a_file_is_named_after_the_files_it_refers_to_are() {
        let dir = checker_site("\0asm");
        let paths = run(&dir).expect("named");
        let wasm = &paths["checker/checker_bg.wasm"];
        let glue = &paths["checker/checker.js"];
        let boot = &paths["checker/boot.js"];
        let mut expected = vec![boot.clone(), glue.clone(), wasm.clone()];
        expected.sort();
        assert_eq!(names_in(&dir), expected, "the old names are gone");
        let boot_text = fs::read_to_string(dir.join(boot)).expect("boot");
        let strip = |p: &str| p.trim_start_matches("checker/").to_string();
        assert!(
            boot_text.contains(&format!("new URL(\"{}\", here)", strip(glue))),
            "{boot_text}"
        );
        assert!(
            boot_text.contains(&format!("fetch(\"{}\")", strip(wasm))),
            "{boot_text}"
        );
        assert_eq!(
            *boot,
            format!("checker/{}", content_name("boot.js", boot_text.as_bytes()))
        );
        let page = fs::read_to_string(dir.join("index.html")).expect("page");
        assert_eq!(page, format!(r#"<script src="{boot}"></script>"#));

        // A change to the WebAssembly alone gives the script that loads it a new name too.
        let again = checker_site("\0asm, changed");
        let changed = run(&again).expect("named");
        assert_eq!(changed["checker/checker.js"], *glue);
        assert_ne!(changed["checker/checker_bg.wasm"], *wasm);
        assert_ne!(changed["checker/boot.js"], *boot);
        let _ = fs::remove_dir_all(&dir);
        let _ = fs::remove_dir_all(&again);
    }

    #[test]
    fn files_that_refer_to_each_other_in_a_circle_are_a_build_error() {
        let dir = site(&[("a.js", r#"load("b.js")"#), ("b.js", r#"load("a.js")"#)]);
        let err = run(&dir).expect_err("a circle").to_string();
        assert!(
            err.contains("a.js (names b.js), b.js (names a.js)") && err.contains("circle"),
            "{err}"
        );
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn two_files_with_one_name_are_a_build_error() {
        let dir = site(&[("a/x.js", ""), ("b/x.js", "")]);
        let err = run(&dir).expect_err("one name twice").to_string();
        assert!(err.contains("a/x.js and b/x.js"), "{err}");
        let _ = fs::remove_dir_all(&dir);
    }
}
