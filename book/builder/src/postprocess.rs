//! Fixes to the HTML mdBook writes, made after it has written it: the handbook's own changes
//! to mdBook's page furniture, kept small and each tested.

use anyhow::{Context, Result};
use std::fs;
use std::path::Path;

/// mdBook's sidebar toggle is a `<label>` with button semantics (`aria-controls`, and
/// `aria-expanded` set by its script) that a label may not carry, and it cannot be reached
/// with the keyboard. As `role="button"` with `tabindex="0"` both are right; the theme's
/// script (`theme/handbook.js`) makes Enter and Space press it.
const TOGGLE: &str = r#"<label id="mdbook-sidebar-toggle" class="icon-button""#;
const TOGGLE_FIXED: &str =
    r#"<label id="mdbook-sidebar-toggle" role="button" tabindex="0" class="icon-button""#;

/// The changes made to one page.
pub fn fix_page(html: &str) -> String {
    html.replace(TOGGLE, TOGGLE_FIXED)
}

/// Applies [`fix_page`] to every HTML file under `out`.
pub fn run(out: &Path) -> Result<usize> {
    let mut count = 0;
    for entry in fs::read_dir(out).with_context(|| format!("cannot read {}", out.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            count += run(&path)?;
        } else if path.extension().is_some_and(|e| e == "html") {
            let html = fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let fixed = fix_page(&html);
            if fixed != html {
                fs::write(&path, fixed)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                count += 1;
            }
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sidebar_toggle_becomes_a_keyboard_button() {
        let page = r#"<div><label id="mdbook-sidebar-toggle" class="icon-button" for="x" aria-controls="mdbook-sidebar"></label></div>"#;
        let fixed = fix_page(page);
        assert!(fixed.contains(r#"role="button" tabindex="0""#), "{fixed}");
        assert_eq!(fix_page(&fixed), fixed, "fixing twice changes nothing more");
    }
}
