//! Fuzzing the content loaders with malformed TOML, Markdown, JSON and links: the real files,
//! mutated (bytes deleted, lines duplicated, swapped or replaced, syntax and odd Unicode
//! inserted, the text cut short). Nothing may panic, and every problem in a content file names
//! the file and a line that exists in it.
//!
//! `PROPTEST_CASES` sets the number of cases per loader (default 64; the long run is
//! `PROPTEST_CASES=20000 cargo test --release -p handbook-invariants --test loaders`).

use handbook_content::{markdown, meta};
use handbook_engine::deadline::BankHolidays;
use handbook_engine::load::{self, Paragraphs};
use handbook_engine::{Case, Diagnostic, share};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::FileFailurePersistence;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(64),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/loaders.txt",
        ))),
        ..ProptestConfig::default()
    }
}

/// The real content, read once.
struct Corpus {
    rules: Vec<(String, Paragraphs)>,
    scenarios: Vec<String>,
    markdown: Vec<String>,
    meta: Vec<String>,
    holidays: String,
    /// A small protocols folder (the test fixture) to copy and damage.
    fixture: PathBuf,
}

static CORPUS: LazyLock<Corpus> = LazyLock::new(|| {
    let lib = handbook_invariants::library().expect("the protocols load");
    let read = |p: &Path| std::fs::read_to_string(p).expect("readable");
    let mut corpus = Corpus {
        rules: Vec::new(),
        scenarios: Vec::new(),
        markdown: Vec::new(),
        meta: Vec::new(),
        holidays: read(&lib.root.join(handbook_content::HOLIDAYS_FILE)),
        fixture: handbook_invariants::workspace().join("tests/fixtures/protocols"),
    };
    for p in &lib.protocols {
        let paragraphs = p
            .paragraphs
            .iter()
            .map(|(k, v)| (k.clone(), v.text.clone()))
            .collect();
        corpus
            .rules
            .push((read(&p.dir.join("rules.toml")), paragraphs));
        corpus.scenarios.push(read(&p.dir.join("scenarios.toml")));
        corpus.meta.push(read(&p.dir.join("protocol.toml")));
        corpus
            .markdown
            .extend(p.chapters.iter().take(4).map(|c| c.markdown.clone()));
    }
    corpus
});

/// Pieces of syntax and awkward text to insert.
const SNIPPETS: &[&str] = &[
    "[[rule]]\n",
    "[[scenario]]\n",
    "[[holiday]]\n",
    "[[not_modelled]]\n",
    "[[omit]]\n",
    "[rule]\n",
    "=",
    "\"",
    "'''",
    "\"\"\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    "\n",
    "\r\n",
    "\t",
    "\\",
    "#",
    "# ",
    "## ",
    "r[",
    "r[8.1-p2]\n",
    "r[]\n",
    "r[a b]\n",
    "  r[x]\n",
    "> **Editor's note:** ",
    "```\n",
    "| a | b |\n|---|---|\n",
    "- ",
    "id = \"x\"\n",
    "id = \"X Y\"\n",
    "kind = \"duty\"\n",
    "kind = \"rule\"\n",
    "when = { age = { at_most = -1 } }\n",
    "when = { hours_missing = { more_than = 1e400 } }\n",
    "when = { any = [] }\n",
    "when = { not = { not = { looked_after = true } } }\n",
    "when = { police_risk = [\"high\", 3] }\n",
    "timescale = { amount = 0, unit = \"days\", from = \"missing\" }\n",
    "timescale = { amount = 99999999999, unit = \"working_days\", from = \"returned\" }\n",
    "contradicts = \"nope\"\n",
    "case = { age = 99, now = \"yesterday\" }\n",
    "case = { missing_since = 2025-10-24T10:00:00+01:00, returned_at = 2020-01-01T00:00:00Z }\n",
    "due = { x = 3 }\n",
    "date = 2025-02-30\n",
    "date = 2025-12-27\n",
    "date = 2025-12-25T10:00:00\n",
    "published = \"2022-13\"\n",
    "lines = \"9-1\"\n",
    "lines = \"x\"\n",
    "furniture = ['(']\n",
    "source = \"../../../etc/passwd\"\n",
    "\u{feff}",
    "\u{0}",
    "\u{200b}",
    "\u{2028}",
    "é",
    "ﬁ",
    "🙂",
    "\u{301}",
    "’",
    "—",
];

#[derive(Debug, Clone)]
enum Mutation {
    Delete(Index, usize),
    Insert(Index, String),
    ReplaceLine(Index, String),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    DeleteLine(Index),
    Truncate(Index),
}

fn snippet() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(SNIPPETS).prop_map(str::to_string),
        1 => "\\PC{0,12}",
        1 => any::<String>(),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), 1usize..40).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<Index>(), snippet()).prop_map(|(i, s)| Mutation::Insert(i, s)),
        (any::<Index>(), snippet()).prop_map(|(i, s)| Mutation::ReplaceLine(i, s)),
        any::<Index>().prop_map(Mutation::DuplicateLine),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<Index>().prop_map(Mutation::DeleteLine),
        any::<Index>().prop_map(Mutation::Truncate),
    ]
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..6)
}

/// `text` with the mutations applied, always at character boundaries.
fn apply(text: &str, mutations: &[Mutation]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for m in mutations {
        let text: String = chars.iter().collect();
        let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
        match m {
            Mutation::Delete(i, n) if !chars.is_empty() => {
                let at = i.index(chars.len());
                let end = (at + n).min(chars.len());
                chars.drain(at..end);
            }
            Mutation::Insert(i, s) => {
                let at = i.index(chars.len() + 1);
                chars.splice(at..at, s.chars());
            }
            Mutation::Truncate(i) => chars.truncate(i.index(chars.len() + 1)),
            Mutation::ReplaceLine(i, s) if !lines.is_empty() => {
                let at = i.index(lines.len());
                lines[at] = format!("{s}\n");
                chars = lines.concat().chars().collect();
            }
            Mutation::DuplicateLine(i) if !lines.is_empty() => {
                let at = i.index(lines.len());
                let line = lines[at].clone();
                lines.insert(at, line);
                chars = lines.concat().chars().collect();
            }
            Mutation::SwapLines(a, b) if !lines.is_empty() => {
                let (a, b) = (a.index(lines.len()), b.index(lines.len()));
                lines.swap(a, b);
                chars = lines.concat().chars().collect();
            }
            Mutation::DeleteLine(i) if !lines.is_empty() => {
                lines.remove(i.index(lines.len()));
                chars = lines.concat().chars().collect();
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

/// The number of lines a diagnostic may point at: the file's lines, and the end of the file.
fn last_line(text: &str) -> usize {
    text.bytes().filter(|b| *b == b'\n').count() + 1
}

/// Every problem names the file and a line of it.
fn located(errors: &[Diagnostic], file: &str, text: &str) -> Result<(), TestCaseError> {
    prop_assert!(!errors.is_empty(), "an error without any problem");
    for e in errors {
        prop_assert_eq!(&e.file, file);
        prop_assert!(
            (1..=last_line(text)).contains(&e.line),
            "line {} of a file of {} lines: {}",
            e.line,
            last_line(text),
            e
        );
        prop_assert!(!e.message.trim().is_empty(), "{}", e);
    }
    Ok(())
}

static RUNS: AtomicUsize = AtomicUsize::new(0);

proptest! {
    #![proptest_config(config())]

    #[test]
    fn rules_files(which in any::<Index>(), m in mutations()) {
        let (text, paragraphs) = &CORPUS.rules[which.index(CORPUS.rules.len())];
        let bad = apply(text, &m);
        if let Err(errors) = load::rules("rules.toml", &bad, paragraphs) {
            located(&errors, "rules.toml", &bad)?;
        }
    }

    #[test]
    fn scenario_files(which in any::<Index>(), m in mutations()) {
        let i = which.index(CORPUS.scenarios.len());
        let (rules_text, paragraphs) = &CORPUS.rules[i];
        let rules = load::rules("rules.toml", rules_text, paragraphs).expect("real rules").rules;
        let bad = apply(&CORPUS.scenarios[i], &m);
        if let Err(errors) = load::scenarios("scenarios.toml", &bad, &rules) {
            located(&errors, "scenarios.toml", &bad)?;
        }
    }

    #[test]
    fn bank_holiday_files(m in mutations()) {
        let bad = apply(&CORPUS.holidays, &m);
        if let Err(errors) = BankHolidays::parse("bank-holidays.toml", &bad) {
            located(&errors, "bank-holidays.toml", &bad)?;
        }
    }

    #[test]
    fn protocol_files(which in any::<Index>(), m in mutations()) {
        let bad = apply(&CORPUS.meta[which.index(CORPUS.meta.len())], &m);
        if let Err(errors) = meta::parse("protocol.toml", &bad) {
            located(&errors, "protocol.toml", &bad)?;
        }
    }

    #[test]
    fn markdown_chapters(which in any::<Index>(), m in mutations()) {
        let bad = apply(&CORPUS.markdown[which.index(CORPUS.markdown.len())], &m);
        if let Err(errors) = markdown::parse_chapter("01-x.md", "01-x", &bad) {
            located(&errors, "01-x.md", &bad)?;
        }
    }

    /// The whole loader, from disk: a copy of the fixture folder with one file damaged.
    #[test]
    fn a_damaged_protocols_folder(file in any::<Index>(), m in mutations()) {
        let n = RUNS.fetch_add(1, Ordering::Relaxed);
        let root = handbook_invariants::target_dir()
            .join("fuzz-loaders")
            .join(format!("{}-{n}", std::process::id()))
            .join("protocols");
        let _cleanup = RemoveOnDrop(root.parent().map(Path::to_path_buf).unwrap_or_default());
        copy_dir(&CORPUS.fixture, &root).expect("a copy of the fixture");
        let mut files: Vec<PathBuf> = walk(&root).into_iter().filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "md")).collect();
        files.sort();
        let target = &files[file.index(files.len())];
        let original = std::fs::read_to_string(target).expect("readable");
        std::fs::write(target, apply(&original, &m)).expect("writable");
        let result = handbook_content::load(&root, None);
        if let Err(errors) = &result {
            prop_assert!(!errors.is_empty());
            for e in errors {
                // The file is named as `protocols/...`, relative to the folder's parent.
                let path = root.parent().map(|p| p.join(&e.file)).unwrap_or_default();
                prop_assert!(path.exists(), "{} names no file", e);
                if path.is_file() {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    prop_assert!(
                        (1..=last_line(&text)).contains(&e.line),
                        "{}: line {} of a file of {} lines", e, e.line, last_line(&text)
                    );
                }
            }
        }
    }

    #[test]
    fn cases_as_json(text in prop_oneof![
        any::<String>(),
        "\\{\"[a-z_]{1,24}\": (true|false|null|-?[0-9]{1,25}(\\.[0-9]{1,5})?(e[0-9]{1,3})?|\"[^\"]{0,30}\")(, \"[a-z_]{1,24}\": (true|[0-9]{1,4}|\"2025-10-2[0-9]T[0-9]{2}:00:00\\+0[01]:00\"))?\\}",
    ]) {
        if let Err(errors) = Case::from_json_str(&text) {
            prop_assert!(!errors.is_empty());
            for e in &errors {
                prop_assert!(!e.message.is_empty());
                // A field is named, except when the text is not a JSON object at all.
                prop_assert!(!e.field.is_empty() || e.message.contains("JSON"), "{:?}", e);
            }
        }
    }

    #[test]
    fn share_links(text in prop_oneof![
        any::<String>(),
        "#?(protocol=[a-z-]{0,12}&)?([a-z_0-9]{0,24}=[a-zA-Z0-9%+.:-]{0,30}&?){0,6}",
    ]) {
        if let Err(errors) = share::from_fragment(&text) {
            prop_assert!(!errors.is_empty());
            for e in &errors {
                prop_assert!(!e.message.is_empty());
            }
        }
    }
}

/// Removes a folder when dropped, even when the test fails.
struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), target)?;
        }
    }
    Ok(())
}
