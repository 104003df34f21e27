//! The glossary (`book/glossary.toml`, in the handbook's own words), where each term is used,
//! and the `<abbr>` markup of a term's first use on each protocol page.

use super::{esc, para_href};
use handbook_content::Library;
use regex::Regex;
use serde::Deserialize;
use std::fmt::Write as _;
use std::path::Path;
use toml::Spanned;

pub const FILE: &str = "book/glossary.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    term: Vec<Spanned<RawTerm>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    abbr: String,
    expansion: String,
    definition: String,
}

#[derive(Debug, Clone)]
pub struct Term {
    pub abbr: String,
    pub expansion: String,
    pub definition: String,
    pub line: usize,
    re: Regex,
}

#[derive(Debug, Clone, Default)]
pub struct Glossary {
    pub terms: Vec<Term>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |t| t.matches('\n').count() + 1)
}

impl Glossary {
    /// Reads and checks the glossary; problems are `file:line: message`.
    pub fn load(root: &Path) -> Result<Glossary, String> {
        let path = root.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(_) => return Ok(Glossary::default()),
        };
        Glossary::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Glossary, String> {
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| line_of(text, s.start));
            format!("{FILE}:{line}: {}", e.message().trim())
        })?;
        let mut terms: Vec<Term> = Vec::new();
        let mut errors = Vec::new();
        for t in raw.term {
            let line = line_of(text, t.span().start);
            let t = t.into_inner();
            let abbr = t.abbr.trim().to_string();
            if abbr.is_empty() || !abbr.chars().all(|c| c.is_ascii_alphanumeric()) {
                errors.push(format!(
                    "{FILE}:{line}: `abbr` must be letters and digits, like RHI"
                ));
                continue;
            }
            if t.expansion.trim().is_empty() || t.definition.trim().is_empty() {
                errors.push(format!(
                    "{FILE}:{line}: term {abbr} needs an `expansion` and a `definition`"
                ));
            }
            if let Some(first) = terms.iter().find(|x| x.abbr == abbr) {
                errors.push(format!(
                    "{FILE}:{line}: term {abbr} is already defined on line {}",
                    first.line
                ));
            }
            let re =
                Regex::new(&format!(r"\b{abbr}s?\b")).map_err(|e| format!("{FILE}:{line}: {e}"))?;
            terms.push(Term {
                abbr,
                expansion: t.expansion.trim().to_string(),
                definition: t.definition.trim().to_string(),
                line,
                re,
            });
        }
        if errors.is_empty() {
            terms.sort_by_key(|t| t.abbr.to_lowercase());
            Ok(Glossary { terms })
        } else {
            Err(errors.join("\n"))
        }
    }

    /// The glossary page. Fails when a term is used in no protocol.
    pub fn page(&self, lib: &Library, root: &str) -> Result<String, String> {
        let mut s = String::from(
            "# Glossary\n\nThe abbreviations and terms the protocols use, explained in the handbook's own words. Each entry links to where each protocol first uses it. In the protocols' pages, the first use of a term on a page is marked, and its expansion shows when you point at it.\n\n<dl class=\"mcph-glossary\">\n",
        );
        let mut unused = Vec::new();
        for t in &self.terms {
            let mut uses = Vec::new();
            for p in &lib.protocols {
                // Paragraphs in the document's order.
                let first = p
                    .chapters
                    .iter()
                    .flat_map(|c| &c.paragraphs)
                    .find(|para| t.re.is_match(&para.text));
                if let Some(para) = first {
                    uses.push(format!(
                        "<a href=\"{}\">{} ¶&#160;{}</a>",
                        esc(&para_href(p, root, &para.id)),
                        esc(&p.meta.short_title),
                        esc(&para.id)
                    ));
                }
            }
            if uses.is_empty() {
                unused.push(format!(
                    "{FILE}:{}: {} is not used in any protocol's text: remove it",
                    t.line, t.abbr
                ));
                continue;
            }
            let _ = writeln!(
                s,
                "<dt id=\"term-{}\"><abbr title=\"{}\">{}</abbr>: {}</dt><dd>{} <span class=\"mcph-uses\">First used in: {}.</span></dd>",
                esc(&t.abbr.to_lowercase()),
                esc(&t.expansion),
                esc(&t.abbr),
                esc(&t.expansion),
                esc(&t.definition),
                uses.join(", ")
            );
        }
        s.push_str("</dl>\n");
        if unused.is_empty() {
            Ok(s)
        } else {
            Err(unused.join("\n"))
        }
    }

    /// Marks the first use of each term on a page with `<abbr>`. Only ordinary text lines are
    /// touched: not headings, paragraph markers, HTML, code, or lines with links.
    pub fn mark(&self, markdown: &str) -> String {
        let mut done = vec![false; self.terms.len()];
        let mut out = String::with_capacity(markdown.len() + 512);
        let mut in_fence = false;
        for line in markdown.lines() {
            let t = line.trim_start();
            if t.starts_with("```") {
                in_fence = !in_fence;
            }
            let plain = !in_fence
                && !t.starts_with('#')
                && !t.starts_with('<')
                && !t.starts_with("r[")
                && !line.contains("](")
                && !line.contains("http")
                && !line.contains('`')
                && !line.contains('<');
            if !plain {
                out.push_str(line);
                out.push('\n');
                continue;
            }
            let mut line = line.to_string();
            for (i, term) in self.terms.iter().enumerate() {
                if done[i] {
                    continue;
                }
                if let Some(m) = term.re.find(&line) {
                    let (a, b) = (m.start(), m.end());
                    let word = line[a..b].to_string();
                    line.replace_range(
                        a..b,
                        &format!("<abbr title=\"{}\">{word}</abbr>", esc(&term.expansion)),
                    );
                    done[i] = true;
                }
            }
            out.push_str(&line);
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const G: &str = "[[term]]\nabbr = \"RHI\"\nexpansion = \"Return home interview\"\ndefinition = \"A talk.\"\n\n[[term]]\nabbr = \"CSE\"\nexpansion = \"Child sexual exploitation\"\ndefinition = \"Abuse.\"\n";

    #[test]
    fn only_the_first_use_on_a_page_is_marked() {
        let g = Glossary::parse(G).expect("valid");
        let out = g.mark("r[1]\n\nAn RHI and another RHI.\n\n# RHI heading\n\nRHIs and CSE.\n");
        assert_eq!(
            out,
            "r[1]\n\nAn <abbr title=\"Return home interview\">RHI</abbr> and another RHI.\n\n# RHI heading\n\nRHIs and <abbr title=\"Child sexual exploitation\">CSE</abbr>.\n"
        );
    }

    #[test]
    fn problems_name_the_line() {
        let bad = G.replace("abbr = \"CSE\"", "abbr = \"C S E\"");
        let e = Glossary::parse(&bad).expect_err("invalid");
        assert!(e.starts_with("book/glossary.toml:6:"), "{e}");
    }
}
