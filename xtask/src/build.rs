//! `cargo xtask build`: the checker (Rust -> wasm -> JS glue) and the handbook (mdBook).

use crate::{Args, cargo, setup, target_dir};
use std::fs;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

/// The cargo profile the checker's wasm is built with (see the workspace Cargo.toml).
pub const WASM_PROFILE: &str = "wasm-release";

/// Builds the checker's files (`checker.js`, `checker_bg.wasm`, `boot.js`) into a folder.
pub fn checker(args: &Args) -> Result<PathBuf, String> {
    setup::wasm_target()?;
    let target = target_dir(&args.root);
    crate::run(
        Command::new(cargo())
            .args([
                "build",
                "--package",
                "handbook-web",
                "--lib",
                "--target",
                setup::WASM_TARGET,
                "--profile",
                WASM_PROFILE,
            ])
            .env("MCPH_PROTOCOLS", &args.protocols),
    )?;
    let wasm = target
        .join(setup::WASM_TARGET)
        .join(WASM_PROFILE)
        .join("handbook_web.wasm");
    let out = target.join("checker-assets");
    if out.exists() {
        fs::remove_dir_all(&out).map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .web(true)
        .map_err(|e| format!("wasm-bindgen: {e}"))?
        .out_name("checker")
        .omit_default_module_path(false)
        .remove_name_section(true)
        .remove_producers_section(true)
        .typescript(false)
        .generate(&out)
        .map_err(|e| format!("wasm-bindgen could not process {}: {e}", wasm.display()))?;
    fs::copy(
        args.root.join("checker/web/js/boot.js"),
        out.join("boot.js"),
    )
    .map_err(|e| format!("cannot copy boot.js: {e}"))?;
    Ok(out)
}

/// The day the site is built: SOURCE_DATE_EPOCH when set (reproducible builds), else today.
pub fn build_day() -> chrono::NaiveDate {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map(|t| t.date_naive())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// Warns when the bank holidays do not reach more than 12 months beyond the build date.
pub fn holidays_warning(lib: &handbook_content::Library) {
    let file = format!("protocols/{}", handbook_content::HOLIDAYS_FILE);
    if let Some(w) = lib.holidays.coverage_warning(&file, build_day()) {
        eprintln!("warning: {w}");
    }
}

/// Builds the whole site into `args.out`.
pub fn site(args: &Args) -> Result<PathBuf, String> {
    let started = Instant::now();
    // Check the content first: its problems are the ones an editor can fix.
    let lib = handbook_book::load_content(&args.protocols).map_err(|e| format!("{e}"))?;
    holidays_warning(&lib);
    let assets = checker(args)?;
    let opts = handbook_book::Options {
        root: args.root.clone(),
        protocols: args.protocols.clone(),
        out: args.out.clone(),
        stage: target_dir(&args.root).join("handbook-src"),
        checker: Some(assets),
        today: build_day(),
    };
    handbook_book::build(&opts).map_err(|e| format!("{e:#}"))?;
    eprintln!(
        "xtask: built the handbook into {} in {:.1} s",
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(args.out.clone())
}
