//! The checker's rule data as one file (`checker/rules.bin` in the built site), in postcard's
//! compact binary form: smaller than JSON, and read without a JSON parser in the WebAssembly.
//!
//! The rule data is a file of its own, not part of the WebAssembly, so that an edit to a
//! protocol's rules does not rebuild the checker's code, and a reader who comes back after such
//! an edit downloads only the new rules (the site names each file after its content).

use crate::Protocol;

/// The file's name in the checker's folder of the built site (before the build names it after
/// its content).
pub const FILE: &str = "rules.bin";

/// The protocols, as the checker reads them back with [`decode`].
pub fn encode(protocols: &[Protocol]) -> Result<Vec<u8>, String> {
    postcard::to_allocvec(protocols).map_err(|e| format!("cannot encode the rule data: {e}"))
}

/// Reads the file back, each rule given its vocabulary names (the file carries them once, in
/// each protocol's `vocabulary`).
pub fn decode(bytes: &[u8]) -> Result<Vec<Protocol>, String> {
    let mut list: Vec<Protocol> = postcard::from_bytes(bytes).map_err(|e| e.to_string())?;
    for p in &mut list {
        p.name_tags();
    }
    Ok(list)
}
