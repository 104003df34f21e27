//! `cargo xtask review`: after an editor has re-read rules against their paragraphs, record the
//! paragraph's checksum and the date in `rules.toml`, so a later change to the text is noticed.

use crate::Args;
use handbook_content::review::{self, Why};
use std::fs;

pub fn run(args: &Args) -> Result<(), String> {
    let only = args.rest.first().map(String::as_str);
    let lib = handbook_content::load(&args.protocols, only).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        format!(
            "{}\nfix the problems above first (`cargo xtask validate`)",
            lines.join("\n")
        )
    })?;
    let names: Vec<&String> = args.rest.iter().skip(1).collect();
    if names.is_empty() {
        // List what needs review, with what to read.
        let mut count = 0;
        for p in &lib.protocols {
            for r in review::needs_review(p) {
                count += 1;
                println!("{}/rules.toml:{}: {}", p.id, r.line, r.words());
                if let (Why::TextChanged { .. }, Some(rule)) = (&r.why, p.protocol.rule(&r.rule)) {
                    println!("    the rule quotes: \"{}\"", rule.quote);
                    if let Some(para) = p.paragraphs.get(&r.paragraph) {
                        println!("    the paragraph now reads: \"{}\"", para.text);
                    }
                }
            }
        }
        println!(
            "{count} rule{} to review. After re-reading a rule against its paragraph (and correcting it if needed), record it with\n    cargo xtask review PROTOCOL RULE-ID [RULE-ID...]\nor every rule listed for a protocol with\n    cargo xtask review PROTOCOL --all",
            if count == 1 { "" } else { "s" }
        );
        return Ok(());
    }
    let Some(p) = lib.protocols.first() else {
        return Err("name a protocol, like `cargo xtask review wandsworth --all`".into());
    };
    let pending = review::needs_review(p);
    let chosen: Vec<(String, String)> = if names.iter().any(|n| n.as_str() == "--all") {
        pending
            .iter()
            .map(|r| (r.rule.clone(), r.current.clone()))
            .collect()
    } else {
        let mut out = Vec::new();
        for n in names {
            let rule = p
                .protocol
                .rule(n)
                .ok_or_else(|| format!("{} has no rule `{n}`", p.id))?;
            let text = p
                .paragraphs
                .get(&*rule.paragraph)
                .map(|x| x.text.as_str())
                .unwrap_or_default();
            out.push((n.clone(), review::checksum(text)));
        }
        out
    };
    if chosen.is_empty() {
        println!("{}: no rule needs review", p.id);
        return Ok(());
    }
    let path = p.dir.join("rules.toml");
    let text =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let today = crate::build::build_day().to_string();
    let (new, missing) = review::record(&text, &chosen, &today);
    if !missing.is_empty() {
        return Err(format!(
            "{}: could not find the [[rule]] block of {}",
            path.display(),
            missing.join(", ")
        ));
    }
    fs::write(&path, new).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    for (r, c) in &chosen {
        println!("{}: recorded rule `{r}` as reviewed on {today} ({c})", p.id);
    }
    // Check the file still loads.
    handbook_content::load(&args.protocols, Some(&p.id)).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        lines.join("\n")
    })?;
    Ok(())
}
