//! The quick checker, a Yew widget mounted into a handbook page.
//!
//! `form` turns what the reader typed into a case (pure, tested on the host); `app` renders
//! the form and the result and only emits callbacks. The rule data is a file of the site
//! (`checker/rules.bin`, see `handbook_engine::bundle`), which the page's script downloads
//! beside the WebAssembly and hands to [`mount`]. Nothing the reader types leaves the page.

pub mod form;
pub mod summary;

#[cfg(target_arch = "wasm32")]
mod app;

// Starts the checker in the page's mount point, with the rule data's bytes: the page's script
// (`checker/web/js/boot.js`) calls it once the WebAssembly and the rule data are both here.
// Rule data that cannot be read is thrown to that script as a message, which it shows. (Not a
// doc comment: wasm-bindgen copies those into the JavaScript it writes, and the site's build
// would read the file name in it as a reference.)
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn mount(rules: &[u8]) -> Result<(), String> {
    app::mount(rules)
}
