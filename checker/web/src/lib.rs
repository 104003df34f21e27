//! The quick checker, a Yew widget mounted into a handbook page.
//!
//! `form` turns what the reader typed into a case (pure, tested on the host); `app` renders
//! the form and the result and only emits callbacks. The rule data is bundled at build time,
//! so nothing is fetched and nothing the reader types leaves the page.

pub mod form;
pub mod summary;

#[cfg(target_arch = "wasm32")]
mod app;

use handbook_engine::Protocol;

/// The protocols' rule data, checked and bundled at build time (`build.rs`), in postcard's
/// binary form: smaller than JSON and read without a JSON parser in the WebAssembly.
pub const DATA: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/protocols.bin"));

/// Reads the bundled rule data, each rule given its vocabulary names back (the bundle carries
/// them once, in each protocol's `vocabulary`).
pub fn protocols() -> Result<Vec<Protocol>, String> {
    let mut list: Vec<Protocol> = postcard::from_bytes(DATA).map_err(|e| e.to_string())?;
    for p in &mut list {
        p.name_tags();
    }
    Ok(list)
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    app::mount();
}

#[cfg(test)]
mod tests {
    /// The checker answers from exactly the rules the build checked: every rule, with its
    /// bounds and timescales, and every bank holiday, survive the binary form unchanged.
    #[test]
    fn the_bundle_is_the_checked_rule_data() {
        let bundled = super::protocols().expect("bundled data");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../protocols");
        let library = handbook_content::load(&root, None).expect("the protocols load");
        assert_eq!(bundled.len(), library.protocols.len());
        for (b, loaded) in bundled.iter().zip(&library.protocols) {
            let p = &loaded.protocol;
            assert_eq!((&b.id, &b.title, &b.version), (&p.id, &p.title, &p.version));
            assert!(!b.rules.is_empty(), "{} has no rules", b.id);
            // Review records and editors' notes (but a contradiction's) are not for the checker.
            let contradicting: Vec<&str> = p
                .rules
                .iter()
                .filter_map(|r| r.contradicts.as_deref())
                .collect();
            let rules: Vec<_> = p
                .rules
                .iter()
                .cloned()
                .map(|mut r| {
                    r.checksum = None;
                    r.reviewed = None;
                    if r.contradicts.is_none() && !contradicting.contains(&&*r.id) {
                        r.note = None;
                    }
                    r
                })
                .collect();
            // The rules' vocabulary names (given back from the bundled vocabulary) included.
            assert_eq!(b.rules, rules, "{}", b.id);
            let names = |v: &handbook_engine::Vocabulary| -> Vec<(String, String)> {
                v.actions
                    .iter()
                    .chain(&v.actors)
                    .chain(&v.phases)
                    .map(|e| (e.id.to_string(), e.name.to_string()))
                    .collect()
            };
            assert_eq!(names(&b.vocabulary), names(&p.vocabulary), "{}", b.id);
            assert!(!b.vocabulary.actors.is_empty(), "{}", b.id);
            assert_eq!(b.holidays, p.holidays, "{}", b.id);
            assert!(!b.holidays.dates.is_empty());
            for rule in &b.rules {
                assert_eq!(b.link(&rule.paragraph), p.link(&rule.paragraph));
                assert!(!b.link(&rule.paragraph).is_empty(), "{}", rule.id);
            }
        }
    }
}
