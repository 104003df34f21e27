//! Builds the handbook: stages the mdBook source (the handbook's own pages, the protocols'
//! text and the checker's files), then runs mdBook 0.5 as a library with the handbook's
//! in-process preprocessor. Only this crate knows mdBook.

pub mod fingerprint;
pub mod minify;
pub mod postprocess;
pub mod preprocess;
pub mod search;
pub mod serve;
pub mod stage;
pub mod views;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use handbook_content::Library;
use mdbook_driver::MDBook;
use mdbook_driver::config::Config;
use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Where things are and what to build.
#[derive(Debug, Clone)]
pub struct Options {
    /// The workspace root (holding `book/` and `theme/`).
    pub root: PathBuf,
    /// The protocols folder (normally `<root>/protocols`).
    pub protocols: PathBuf,
    /// Where the finished site goes.
    pub out: PathBuf,
    /// A scratch folder for the staged mdBook source.
    pub stage: PathBuf,
    /// The checker's built files (`checker.js`, `checker_bg.wasm`), copied to `checker/`.
    pub checker: Option<PathBuf>,
    /// The day the site is built, for "review overdue" notices.
    pub today: NaiveDate,
}

/// Loads and checks the protocols; every problem is in the error, one per line.
pub fn load_content(protocols: &Path) -> Result<Library> {
    handbook_content::load(protocols, None).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        anyhow::anyhow!(
            "{}\n{} problem{} in the protocols folder: the site was not built",
            lines.join("\n"),
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        )
    })
}

/// The rules to re-read because their paragraph's text changed since they were reviewed (or
/// that were never reviewed), one line each, `file:line: ...`. The build reports them; it does
/// not stop for them.
pub fn review_report(lib: &Library) -> Vec<String> {
    let mut out = Vec::new();
    for p in &lib.protocols {
        for r in handbook_content::review::needs_review(p) {
            out.push(format!(
                "{}/rules.toml:{}: needs review: {} (re-read it, then `cargo xtask review {} {}`)",
                p.id,
                r.line,
                r.words(),
                p.id,
                r.rule
            ));
        }
    }
    out
}

/// Builds the site into `opts.out`.
pub fn build(opts: &Options) -> Result<Library> {
    let lib = load_content(&opts.protocols)?;
    build_loaded(opts, &lib)?;
    Ok(lib)
}

/// Builds the site into `opts.out` from protocols already loaded (and checked) by
/// [`load_content`] from `opts.protocols`.
pub fn build_loaded(opts: &Options, lib: &Library) -> Result<()> {
    for line in review_report(lib) {
        eprintln!("{line}");
    }
    let started = std::time::Instant::now();
    stage::stage(opts, lib)?;
    let staged = started.elapsed();
    let book_toml = opts.root.join("book/book.toml");
    let text = fs::read_to_string(&book_toml)
        .with_context(|| format!("cannot read {}", book_toml.display()))?;
    let mut config =
        Config::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", book_toml.display()))?;
    config.build.build_dir = opts.out.clone();
    config.build.use_default_preprocessors = false;
    let mut book = MDBook::load_with_config(&opts.stage, config)
        .map_err(|e| anyhow::anyhow!("mdBook could not load the staged book: {e:#}"))?;
    let glossary =
        views::glossary::Glossary::load(&opts.root).map_err(|e| anyhow::anyhow!("{e}"))?;
    book.with_preprocessor(preprocess::Handbook::new(lib.clone()).with_glossary(glossary));
    if opts.out.exists() {
        fs::remove_dir_all(&opts.out)
            .with_context(|| format!("cannot clear {}", opts.out.display()))?;
    }
    let loaded = started.elapsed();
    book.build()
        .map_err(|e| anyhow::anyhow!("mdBook could not build the handbook: {e:#}"))?;
    let built = started.elapsed();
    if !opts.out.join("index.html").exists() {
        bail!("the build wrote no index.html into {}", opts.out.display());
    }
    let print = opts.out.join("print.html");
    if let Ok(html) = fs::read_to_string(&print) {
        fs::write(&print, views::omit_from_print(&html))
            .with_context(|| format!("cannot write {}", print.display()))?;
    }
    postprocess::run(&opts.out)?;
    let script_path = opts.root.join("theme/search.js");
    let script = fs::read_to_string(&script_path)
        .with_context(|| format!("cannot read {}", script_path.display()))?;
    let split = search::run(
        &opts.out,
        &script,
        &lib.protocols
            .iter()
            .map(|p| (p.id.clone(), p.meta.short_title.clone()))
            .collect::<Vec<_>>(),
    )?;
    let minifying = std::time::Instant::now();
    let minified = minify::run(&opts.out)?;
    eprintln!(
        "handbook: {} scripts and style sheets minified from {} KB to {} KB in {:.2} s",
        minified.files,
        minified.before / 1024,
        minified.after / 1024,
        minifying.elapsed().as_secs_f64()
    );
    let naming = std::time::Instant::now();
    let named = fingerprint::run(&opts.out)?;
    eprintln!(
        "handbook: {} scripts, style sheets and other files named after their content in {:.2} s",
        named.len(),
        naming.elapsed().as_secs_f64()
    );
    eprintln!(
        "handbook: search index of {} KB split into a catalogue of {} KB and shards {}",
        split.before / 1024,
        split.catalogue / 1024,
        split
            .shards
            .iter()
            .map(|(k, _, n)| format!("{k} {} KB", n / 1024))
            .collect::<Vec<_>>()
            .join(", ")
    );
    eprintln!(
        "handbook: staged (with the generated pages) in {:.2} s, mdBook loaded it in {:.2} s, built it (with the preprocessor) in {:.2} s, fixes after it {:.2} s",
        staged.as_secs_f64(),
        (loaded - staged).as_secs_f64(),
        (built - loaded).as_secs_f64(),
        (started.elapsed() - built).as_secs_f64()
    );
    Ok(())
}

/// Builds the staged Markdown (after [`build`] has staged it) with mdBook as it comes: its
/// default configuration, no preprocessors, no post-processing. For comparing build times.
pub fn stock_build(stage: &Path, out: &Path) -> Result<()> {
    let mut config = Config::default();
    config.build.build_dir = out.to_path_buf();
    config.build.use_default_preprocessors = false;
    let book = MDBook::load_with_config(stage, config)
        .map_err(|e| anyhow::anyhow!("mdBook could not load {}: {e:#}", stage.display()))?;
    if out.exists() {
        fs::remove_dir_all(out).with_context(|| format!("cannot clear {}", out.display()))?;
    }
    book.build()
        .map_err(|e| anyhow::anyhow!("mdBook could not build {}: {e:#}", stage.display()))
}
