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

/// The protocols' rule data, bundled at build time.
pub const DATA: &str = include_str!(concat!(env!("OUT_DIR"), "/protocols.json"));

/// Reads the bundled rule data.
pub fn protocols() -> Result<Vec<Protocol>, String> {
    serde_json::from_str(DATA).map_err(|e| e.to_string())
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    app::mount();
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bundled_data_reads() {
        let list = super::protocols().expect("bundled data");
        for p in &list {
            assert!(!p.rules.is_empty(), "{} has no rules", p.id);
        }
    }
}
