//! `cargo xtask size --where`: where the WebAssembly's bytes are. The code and the data (the
//! checker's words, messages and tables), each gzipped on its own; then the code by area, from
//! the function sizes of a build that keeps its function names (for this listing only: the
//! published file has none), and the largest functions.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use wasmparser::{KnownCustom, Name, Parser, Payload, TypeRef};

fn gzip_len(bytes: &[u8]) -> usize {
    // Compressing in memory does not fail.
    crate::size::gzip_len(bytes).unwrap_or(0)
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

/// The code and data sections' bytes.
fn sections(wasm: &[u8]) -> Result<(Vec<u8>, Vec<u8>), String> {
    let (mut code, mut data) = (Vec::new(), Vec::new());
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| format!("cannot read the WebAssembly: {e}"))? {
            Payload::CodeSectionStart { range, .. } => code.extend_from_slice(&wasm[range]),
            Payload::DataSection(reader) => data.extend_from_slice(&wasm[reader.range()]),
            _ => {}
        }
    }
    Ok((code, data))
}

/// Each defined function's name (demangled, without its hash) and size in bytes.
fn functions(wasm: &[u8]) -> Result<Vec<(String, usize)>, String> {
    let mut imported = 0u32;
    let mut sizes = Vec::new();
    let mut names: BTreeMap<u32, String> = BTreeMap::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| format!("cannot read the WebAssembly: {e}"))? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports().flatten() {
                    if matches!(import.ty, TypeRef::Func(_)) {
                        imported += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => sizes.push(body.range().len()),
            Payload::CustomSection(section) => {
                if let KnownCustom::Name(reader) = section.as_known() {
                    for name in reader.flatten() {
                        if let Name::Function(map) = name {
                            for naming in map.into_iter().flatten() {
                                let demangled = rustc_demangle::demangle(naming.name);
                                names.insert(naming.index, tidy(&format!("{demangled:#}")));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(sizes
        .into_iter()
        .enumerate()
        .map(|(i, size)| {
            let index = imported + u32::try_from(i).unwrap_or(u32::MAX);
            let name = names.remove(&index).unwrap_or_else(|| format!("#{index}"));
            (name, size)
        })
        .collect())
}

/// A function's name without the hashes that tell apart its copies and its crate's builds
/// (`::h0123…` at the end, `[0123…]` after a crate's name).
fn tidy(name: &str) -> String {
    let hex16 = |s: &str| s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit());
    let name = match name.rsplit_once("::h") {
        Some((head, hash)) if hex16(hash) => head,
        _ => name,
    };
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        match rest[open + 1..].split_once(']') {
            Some((inside, after)) if hex16(inside) => rest = after,
            _ => {
                out.push('[');
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The part of the checker a function belongs to, by the first of these its name mentions.
fn area(name: &str) -> &'static str {
    const AREAS: [(&str, &str); 12] = [
        ("handbook_web", "the checker's view and form (checker/web)"),
        ("handbook_engine", "the engine (checker/engine)"),
        ("yew", "Yew"),
        ("implicit_clone", "Yew"),
        ("chrono", "dates (chrono)"),
        ("serde", "reading the rule data (serde, postcard)"),
        ("postcard", "reading the rule data (serde, postcard)"),
        ("hashbrown", "hash maps (hashbrown)"),
        ("dlmalloc", "the allocator"),
        (
            "wasm_bindgen",
            "calls to the browser (wasm-bindgen, js-sys, web-sys)",
        ),
        (
            "js_sys",
            "calls to the browser (wasm-bindgen, js-sys, web-sys)",
        ),
        (
            "web_sys",
            "calls to the browser (wasm-bindgen, js-sys, web-sys)",
        ),
    ];
    AREAS
        .iter()
        .find(|(key, _)| name.contains(key))
        .map(|(_, area)| *area)
        .unwrap_or(
            "the standard library (generic code compiled for the checker's types: iterator loops, vectors, strings, formatting)",
        )
}

/// Prints where the bytes of the checker built into `dir` are. `wasm` is the compiler's
/// output, which wasm-bindgen processes again here, keeping the function names.
pub fn report(wasm: &Path, dir: &Path, published: &[u8]) -> Result<(), String> {
    let (code, data) = sections(published)?;
    println!();
    println!("where the WebAssembly's bytes are (each part gzipped on its own):");
    println!(
        "  code             {:>9}  ({} raw)",
        kb(gzip_len(&code)),
        kb(code.len())
    );
    println!(
        "  data             {:>9}  ({} raw: the checker's words, messages and tables)",
        kb(gzip_len(&data)),
        kb(data.len())
    );
    println!("  (the rule data is a file of its own, `rules.bin`: see above)");

    let named_dir = dir.with_file_name("checker-named");
    crate::build::module(wasm, &named_dir, true)?;
    let named = fs::read(named_dir.join("checker_bg.wasm"))
        .map_err(|e| format!("cannot read the WebAssembly with names: {e}"))?;
    let mut functions = functions(&named)?;
    let total: usize = functions.iter().map(|f| f.1).sum();
    let mut by_area: BTreeMap<&str, usize> = BTreeMap::new();
    for (name, size) in &functions {
        *by_area.entry(area(name)).or_default() += size;
    }
    let mut by_area: Vec<(&str, usize)> = by_area.into_iter().collect();
    by_area.sort_by_key(|(_, size)| std::cmp::Reverse(*size));
    println!();
    println!(
        "the code by area: {} functions, {} before gzip",
        functions.len(),
        kb(total)
    );
    for (area, size) in by_area {
        println!(
            "  {:>9}  {:>3.0}%  {area}",
            kb(size),
            100.0 * size as f64 / total.max(1) as f64
        );
    }
    functions.sort_by_key(|(_, size)| std::cmp::Reverse(*size));
    println!();
    println!("the largest functions (before gzip):");
    for (name, size) in functions.iter().take(15) {
        let short: String = name.chars().take(110).collect();
        println!("  {:>9}  {short}", kb(*size));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_their_hashes() {
        assert_eq!(
            tidy(
                "<dlmalloc[e24a27700634d609]::dlmalloc::Dlmalloc<dlmalloc[e24a27700634d609]::sys::System>>::malloc"
            ),
            "<dlmalloc::dlmalloc::Dlmalloc<dlmalloc::sys::System>>::malloc"
        );
        assert_eq!(
            tidy("handbook_engine::eval::evaluate::hcf552733c4f95b86"),
            "handbook_engine::eval::evaluate"
        );
        assert_eq!(tidy("x::<[u8; 4]>::h12"), "x::<[u8; 4]>::h12");
    }

    #[test]
    fn functions_fall_in_the_area_their_name_mentions_first() {
        assert_eq!(
            area("<handbook_web::app::Checker as yew::functional::FunctionProvider>::run"),
            "the checker's view and form (checker/web)"
        );
        assert_eq!(
            area("handbook_engine::eval::evaluate"),
            "the engine (checker/engine)"
        );
        assert_eq!(area("yew::dom_bundle::blist::reconcile"), "Yew");
        assert!(
            area("<core::iter::adapters::map::Map<I,F> as Iterator>::fold")
                .starts_with("the standard library")
        );
    }
}
