//! Staging: one mdBook source folder made from `book/src`, `theme/`, the protocols' Markdown
//! and the checker's built files.

use crate::Options;
use anyhow::{Context, Result};
use handbook_content::Library;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// The line of `book/src/SUMMARY.md` replaced by the protocols' contents.
pub const PROTOCOLS_MARKER: &str = "<!-- protocols -->";

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let entry = entry?;
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            fs::copy(&path, &target).with_context(|| {
                format!("cannot copy {} to {}", path.display(), target.display())
            })?;
        }
    }
    Ok(())
}

/// The contents entries for every protocol, in SUMMARY.md syntax.
pub fn summary_entries(lib: &Library) -> String {
    let mut s = String::new();
    for p in &lib.protocols {
        let _ = writeln!(s, "- [{}](protocols/{}/index.md)", p.meta.short_title, p.id);
        for c in &p.chapters {
            let _ = writeln!(
                s,
                "  - [{}](protocols/{}/{}.md)",
                c.title.replace(['[', ']'], ""),
                p.id,
                c.stem
            );
        }
        for (stem, title) in crate::views::PROTOCOL_PAGES {
            let _ = writeln!(s, "  - [{title}](protocols/{}/{stem}.md)", p.id);
        }
    }
    s
}

/// The contents entries for the pages across protocols.
pub fn views_entries(pages: &[crate::views::Page]) -> String {
    let mut s = String::new();
    for p in pages.iter().filter(|p| p.path.starts_with("views/")) {
        let _ = writeln!(s, "- [{}]({})", p.title, p.path);
    }
    s
}

pub fn stage(opts: &Options, lib: &Library) -> Result<()> {
    if opts.stage.exists() {
        fs::remove_dir_all(&opts.stage)
            .with_context(|| format!("cannot clear {}", opts.stage.display()))?;
    }
    let src = opts.stage.join("src");
    copy_dir(&opts.root.join("book/src"), &src)?;
    let theme = opts.root.join("theme");
    if theme.exists() {
        copy_dir(&theme, &opts.stage.join("theme"))?;
    }
    let summary_path = src.join("SUMMARY.md");
    let summary = fs::read_to_string(&summary_path)
        .with_context(|| format!("cannot read {}", summary_path.display()))?;
    if !summary.contains(PROTOCOLS_MARKER) {
        anyhow::bail!(
            "book/src/SUMMARY.md: the line {PROTOCOLS_MARKER} is missing: it marks where the protocols go in the contents"
        );
    }
    let cache = opts.stage.with_extension("amendments.json");
    let pages =
        crate::views::pages(lib, &opts.root, Some(&cache)).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut summary = summary.replace(PROTOCOLS_MARKER, summary_entries(lib).trim_end());
    let views = views_entries(&pages);
    if summary.contains(crate::views::VIEWS_MARKER) {
        summary = summary.replace(crate::views::VIEWS_MARKER, views.trim_end());
    } else {
        summary.push_str("\n# Across the protocols\n\n");
        summary.push_str(&views);
    }
    fs::write(&summary_path, summary)?;
    for page in &pages {
        let path = src.join(&page.path);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&path, &page.markdown)?;
    }
    for p in &lib.protocols {
        let dir = src.join("protocols").join(&p.id);
        fs::create_dir_all(&dir)?;
        fs::write(
            dir.join("index.md"),
            crate::preprocess::index_page(p, opts.today),
        )?;
        for c in &p.chapters {
            fs::write(dir.join(format!("{}.md", c.stem)), &c.markdown)?;
        }
    }
    if let Some(checker) = &opts.checker {
        copy_dir(checker, &src.join("checker"))?;
    }
    Ok(())
}
