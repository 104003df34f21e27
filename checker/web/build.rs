//! Bundles the protocols' rule data into the checker, checked, in postcard's compact binary
//! form (no JSON parser in the WebAssembly; see `src/lib.rs`).

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    // The site builder may point the checker at another protocols folder (test fixtures).
    println!("cargo:rerun-if-env-changed=MCPH_PROTOCOLS");
    let protocols = match std::env::var("MCPH_PROTOCOLS") {
        Ok(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => manifest.join("../../protocols"),
    };
    println!("cargo:rerun-if-changed={}", protocols.display());
    if let Ok(entries) = std::fs::read_dir(&protocols) {
        for e in entries.flatten() {
            println!("cargo:rerun-if-changed={}", e.path().display());
        }
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("protocols.bin");
    let data = match handbook_content::load(&protocols, None) {
        Ok(lib) => {
            // Only what the checker shows: the chapters of the paragraphs that rules cite (not
            // of every paragraph), and no editors' notes (the traceability pages show them).
            let list: Vec<_> = lib
                .protocols
                .iter()
                .map(|p| {
                    let mut protocol = p.protocol.clone();
                    let cited: std::collections::BTreeSet<String> = protocol
                        .rules
                        .iter()
                        .map(|r| r.paragraph.to_string())
                        .collect();
                    protocol.paragraphs.retain(|(para, _)| cited.contains(para));
                    // (A contradiction's note says what the two passages disagree on: kept.)
                    let contradicting: std::collections::BTreeSet<String> = protocol
                        .rules
                        .iter()
                        .filter_map(|r| r.contradicts.as_ref().map(|c| c.to_string()))
                        .collect();
                    for rule in &mut protocol.rules {
                        if rule.contradicts.is_none() && !contradicting.contains(&*rule.id) {
                            rule.note = None;
                        }
                    }
                    // The vocabulary's names, not its descriptions (they are for editors). The
                    // rules' names for their tags are not serialised: `protocols()` gives them
                    // back from these.
                    let vocabulary = &mut protocol.vocabulary;
                    for entry in vocabulary
                        .actions
                        .iter_mut()
                        .chain(&mut vocabulary.actors)
                        .chain(&mut vocabulary.phases)
                    {
                        entry.description = "".into();
                    }
                    protocol
                })
                .collect();
            match postcard::to_allocvec(&list) {
                Ok(bytes) => bytes,
                Err(e) => {
                    eprintln!("error: cannot encode the rule data: {e}");
                    std::process::exit(1);
                }
            }
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            eprintln!("error: the protocols folder has problems; run `cargo xtask validate`");
            std::process::exit(1);
        }
    };
    if let Err(e) = std::fs::write(&out, data) {
        eprintln!("error: cannot write {}: {e}", out.display());
        std::process::exit(1);
    }
}
