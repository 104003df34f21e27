//! Writes every script and style sheet of the built site without its comments and spaces,
//! before the files are named after their content.
//!
//! mdBook's own files, the handbook's theme and the checker's loader are written to be read:
//! comments, indentation, long names. A reader's browser needs none of it, and on a first
//! visit it was about a quarter of what a chapter downloads. The files in the repository stay
//! as they are; only the copies in the built site are minified.
//!
//! Each file is parsed and printed again, by oxc (scripts) and lightningcss (style sheets),
//! so what it does cannot change. Style sheets lose only white space and comments. Scripts
//! also go through oxc's minifier: names local to a function become short ones, and
//! expressions are written in fewer characters (`!0` for `true`, one `const` for several).
//! Names a page or another script can see (each classic script's top-level names, which are
//! the page's globals, and a module's exports) keep theirs. A file that does not parse stops
//! the build with its name, line and the parser's message.
//!
//! Files larger than [`DATA`] are data the build wrote itself, compactly already (the search
//! index's shards, the checker as one script for file://): they are left as they are.

use anyhow::{Context, Result, bail};
use lightningcss::stylesheet::{ParserOptions, PrinterOptions, StyleSheet};
use std::fs;
use std::path::{Path, PathBuf};

/// The newest JavaScript the minifier may write: what the scripts already need (`??`, from
/// mdBook's `book.js`), so that minifying never asks more of a reader's browser than the
/// scripts as written do (oxc would otherwise write `a ||= b` for `a = a || b`).
const SYNTAX: &str = "es2020";

/// Scripts and style sheets larger than this are data the build wrote, not code to minify.
const DATA: u64 = 256 * 1024;

/// What minifying the site did.
#[derive(Debug, Default)]
pub struct Minified {
    pub files: usize,
    pub before: usize,
    pub after: usize,
}

/// Minifies every `.js` (not already `.min.js`) and `.css` file under `out`.
pub fn run(out: &Path) -> Result<Minified> {
    let mut files = Vec::new();
    collect(out, &mut files)?;
    let mut done = Minified::default();
    for path in files {
        let text =
            fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let name = path.display().to_string();
        let small = if name.ends_with(".css") {
            style(&name, &text)?
        } else {
            script(&name, &text)?
        };
        fs::write(&path, &small).with_context(|| format!("cannot write {}", path.display()))?;
        done.files += 1;
        done.before += text.len();
        done.after += small.len();
    }
    Ok(done)
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        let path = entry.path();
        let meta = entry
            .metadata()
            .with_context(|| format!("cannot read {}", path.display()))?;
        let name = entry.file_name().to_string_lossy().to_string();
        if meta.is_dir() {
            collect(&path, files)?;
        } else if meta.len() <= DATA
            && (name.ends_with(".css") || (name.ends_with(".js") && !name.ends_with(".min.js")))
        {
            files.push(path);
        }
    }
    Ok(())
}

/// The 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// A script minified: without its comments and spaces, its local names shortened. Modules
/// (`import`, `export`) and classic scripts are both read as what they are.
pub fn script(name: &str, text: &str) -> Result<String> {
    use oxc_allocator::Allocator;
    use oxc_codegen::{Codegen, CodegenOptions};
    use oxc_minifier::{CompressOptions, MangleOptions, Minifier, MinifierOptions};
    use oxc_parser::Parser;
    use oxc_span::SourceType;

    let allocator = Allocator::default();
    let mut parsed = Parser::new(&allocator, text, SourceType::unambiguous()).parse();
    if let Some(error) = parsed.diagnostics.first() {
        let offset = error
            .labels
            .as_ref()
            .first()
            .map(|label| label.offset() as usize)
            .unwrap_or_default();
        bail!(
            "{name}:{}: this script does not parse: {}",
            line_of(text, offset),
            error.message
        );
    }
    if parsed.panicked {
        bail!("{name}: this script does not parse");
    }
    let minified = Minifier::new(MinifierOptions {
        // A classic script's top-level names are the page's globals, which other scripts use.
        mangle: Some(MangleOptions {
            top_level: Some(false),
            ..MangleOptions::default()
        }),
        mangle_properties: None,
        compress: Some(CompressOptions {
            target: oxc_compat::EngineTargets::from_target(SYNTAX)
                .map_err(|e| anyhow::anyhow!("{name}: cannot minify for {SYNTAX}: {e}"))?,
            ..CompressOptions::default()
        }),
    })
    .minify(&allocator, &mut parsed.program);
    Ok(Codegen::new()
        .with_options(CodegenOptions::minify())
        .with_scoping(minified.scoping)
        .build(&parsed.program)
        .code)
}

/// A style sheet without its comments and spaces.
pub fn style(name: &str, text: &str) -> Result<String> {
    print_style(name, &parse_style(name, text)?, true)
}

/// The style sheet `name`, read; or what is wrong with it, and on which line.
pub fn parse_style<'i>(name: &str, text: &'i str) -> Result<StyleSheet<'i>> {
    StyleSheet::parse(text, ParserOptions::default()).map_err(|e| {
        let line = e.loc.as_ref().map_or(0, |l| l.line + 1);
        anyhow::anyhow!("{name}:{line}: this style sheet does not parse: {}", e.kind)
    })
}

/// A style sheet written out again, without its comments and spaces if `minify`.
pub fn print_style(name: &str, sheet: &StyleSheet, minify: bool) -> Result<String> {
    let printed = sheet
        .to_css(PrinterOptions {
            minify,
            ..PrinterOptions::default()
        })
        .map_err(|e| anyhow::anyhow!("{name}: this style sheet cannot be written: {}", e.kind))?;
    Ok(printed.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_loses_its_comments_and_spaces_and_keeps_its_strings() {
        let text = "// Opens the menu.\nfunction open(menu) {\n    /* a note */\n    menu.title = 'Menu  //  not a comment';\n    return menu;\n}\n";
        let small = script("menu.js", text).expect("parses");
        assert!(!small.contains("Opens the menu") && !small.contains("a note"));
        assert!(small.contains("Menu  //  not a comment"), "{small}");
        assert!(
            !small.contains('\n') && small.len() < text.len() - 40,
            "{small}"
        );
    }

    #[test]
    fn a_script_asks_no_newer_javascript_of_the_browser() {
        let text = "let cache = null;\nfunction f(x) { cache = cache || x; return cache; }\n";
        let small = script("old.js", text).expect("parses");
        assert!(!small.contains("||="), "{small}");
        assert!(small.len() < text.len(), "{small}");
    }

    #[test]
    fn local_names_are_shortened_and_the_pages_globals_kept() {
        let text = "function openTheMenu(menuElement) {\n    const visibleClassName = 'open';\n    menuElement.classList.add(visibleClassName);\n    return menuElement;\n}\nvar pathToRoot = '../';\n";
        let small = script("menu.js", text).expect("parses");
        assert!(!small.contains("menuElement"), "{small}");
        // Top-level names of a classic script are the page's globals, which other scripts use.
        assert!(
            small.contains("openTheMenu") && small.contains("pathToRoot"),
            "{small}"
        );
    }

    #[test]
    fn a_module_stays_a_module() {
        let text = "import init from './checker.js';\nexport function start() {\n    return init({ module_or_path: new URL('a.wasm', import.meta.url) });\n}\n";
        let small = script("boot.js", text).expect("parses");
        assert!(
            small.contains("import") && small.contains("export"),
            "{small}"
        );
        assert!(small.contains("import.meta.url"), "{small}");
    }

    #[test]
    fn lines_that_depend_on_automatic_semicolons_keep_their_meaning() {
        // Without the parser, joining these lines would return undefined from `f`.
        let text = "function f() {\n    return\n    42\n}\nlet a = 1\nlet b = a\n++b\n";
        let small = script("asi.js", text).expect("parses");
        assert!(!small.contains("return 42"), "{small}");
        assert!(small.contains("++b"), "{small}");
    }

    #[test]
    fn a_script_that_does_not_parse_stops_the_build_with_its_line() {
        let text = "let ok = 1;\nlet broken = ;\n";
        let error = script("theme/broken.js", text).expect_err("does not parse");
        let message = error.to_string();
        assert!(message.starts_with("theme/broken.js:2: "), "{message}");
    }

    #[test]
    fn a_style_sheet_loses_its_comments_and_spaces_and_keeps_its_rules() {
        let text = "/* The checker's answer. */\n.mcph-answer {\n    color: #0b0c0c;\n    background: url(\"../images/a.png\");\n}\n\n@media print {\n    .mcph-no-print { display: none; }\n}\n";
        let small = style("handbook.css", text).expect("parses");
        assert!(!small.contains("checker's answer"), "{small}");
        assert!(small.contains(".mcph-answer{"), "{small}");
        assert!(small.contains("a.png"), "{small}");
        assert!(
            small.contains("@media print{.mcph-no-print{display:none}}"),
            "{small}"
        );
    }

    #[test]
    fn a_style_sheet_that_does_not_parse_stops_the_build_with_its_line() {
        let text = ".a { color: red; }\n\n.b { color: red; }}\n.c { color: blue; }\n\n\n";
        match style("theme/broken.css", text) {
            Err(e) => assert!(e.to_string().starts_with("theme/broken.css:3: "), "{e}"),
            // lightningcss recovers from some mistakes as browsers do; a stray brace must not
            // be one of them silently turned into something else.
            Ok(small) => panic!("parsed: {small}"),
        }
    }
}
