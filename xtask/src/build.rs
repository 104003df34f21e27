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
            .env("CARGO_ENCODED_RUSTFLAGS", wasm_rustflags()),
    )?;
    let wasm = compiled_wasm(&target);
    let out = target.join("checker-assets");
    // wasm-bindgen (twice: the module and the file:// script) is most of a rebuild's time, and
    // its output depends only on the wasm and on how this program calls it: when the wasm is
    // the one last processed, by this build of xtask (its file's time stands for its code and
    // wasm-bindgen's version), the files are kept (boot.js is copied every time).
    let input = fs::read(&wasm).map_err(|e| format!("cannot read {}: {e}", wasm.display()))?;
    let stamp = target.join("checker-assets.sha256");
    let xtask_built = std::env::current_exe()
        .and_then(fs::metadata)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let digest = {
        use sha2::Digest as _;
        format!("{:x} {xtask_built}", sha2::Sha256::digest(&input))
    };
    let fresh = fs::read_to_string(&stamp).is_ok_and(|s| s == digest)
        && [FROM_DISK, "checker.js", "checker_bg.wasm"]
            .iter()
            .all(|f| out.join(f).is_file());
    if !fresh {
        bindgen(&wasm, &target, &out)?;
        fs::write(&stamp, &digest).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    }
    fs::copy(
        args.root.join("checker/web/js/boot.js"),
        out.join("boot.js"),
    )
    .map_err(|e| format!("cannot copy boot.js: {e}"))?;
    Ok(out)
}

/// The compiler flags for the checker's WebAssembly (in Cargo's encoded form, one flag
/// after another, so that a folder with a space in its name stays one flag): any the caller
/// set, and the crates' source folder under Cargo's home written as `registry`. Panic messages
/// carry the file names of the crates' sources; without this they would carry this machine's
/// folders (its user's home), and the same source built on two machines would give two files
/// with two names (the site names files after their content), so every reader would download
/// the checker again.
fn wasm_rustflags() -> String {
    let mut flags: Vec<String> = match std::env::var("CARGO_ENCODED_RUSTFLAGS") {
        Ok(encoded) if !encoded.is_empty() => encoded.split('\x1f').map(String::from).collect(),
        _ => std::env::var("RUSTFLAGS")
            .unwrap_or_default()
            .split_whitespace()
            .map(String::from)
            .collect(),
    };
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    if let Some(home) = home {
        flags.push(format!(
            "--remap-path-prefix={}=registry",
            home.join("registry").join("src").display()
        ));
    }
    // The standard library's files are named `/rustc/<commit>/library/…` in the compiler's
    // own build, but a toolchain with rustup's `rust-src` (which rust-analyzer installs) names
    // them in its folder under the user's home. Written back as the compiler's own names,
    // the file is the same with or without it.
    if let Some((sysroot, commit)) = rust_source() {
        flags.push(format!(
            "--remap-path-prefix={}=/rustc/{commit}",
            sysroot.join("lib/rustlib/src/rust").display()
        ));
    }
    flags.join("\x1f")
}

/// The compiler's folder and its commit, from the rustc that cargo runs.
fn rust_source() -> Option<(PathBuf, String)> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let out = |args: &[&str]| {
        Command::new(&rustc)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
    };
    let sysroot = PathBuf::from(out(&["--print", "sysroot"])?.trim());
    let commit = out(&["-vV"])?
        .lines()
        .find_map(|l| l.strip_prefix("commit-hash: "))?
        .trim()
        .to_string();
    Some((sysroot, commit))
}

/// The compiler's WebAssembly, before wasm-bindgen.
pub fn compiled_wasm(target: &std::path::Path) -> PathBuf {
    target
        .join(setup::WASM_TARGET)
        .join(WASM_PROFILE)
        .join("handbook_web.wasm")
}

/// The module (`checker.js`, `checker_bg.wasm`) and the file:// script, from the wasm.
fn bindgen(
    wasm: &std::path::Path,
    target: &std::path::Path,
    out: &std::path::Path,
) -> Result<(), String> {
    module(wasm, out, false)?;
    from_disk(wasm, target, out)
}

/// The module (`checker.js`, `checker_bg.wasm`) from the wasm, into a cleared `out`; with
/// `keep_names`, its functions keep their names (for `size --where` only: readers would
/// download them for nothing).
pub fn module(
    wasm: &std::path::Path,
    out: &std::path::Path,
    keep_names: bool,
) -> Result<(), String> {
    if out.exists() {
        fs::remove_dir_all(out).map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(wasm)
        .web(true)
        .map_err(|e| format!("wasm-bindgen: {e}"))?
        .out_name("checker")
        .omit_default_module_path(false)
        .remove_name_section(!keep_names)
        .remove_producers_section(true)
        .typescript(false)
        .generate(out)
        .map_err(|e| format!("wasm-bindgen could not process {}: {e}", wasm.display()))
}

/// The name of the checker's file for pages opened straight from disk (`file://`).
pub const FROM_DISK: &str = "checker-file.js";

/// Writes `checker-file.js`: the checker as one classic script, its WebAssembly inlined and
/// instantiated synchronously (`boot.js` then gives it the rule data from `rules-file.js`,
/// which the site's build writes). Browsers refuse ES modules and `fetch` on `file://` pages,
/// so the usual files cannot start there; this one can. Only pages opened from disk load it.
fn from_disk(
    wasm: &std::path::Path,
    target: &std::path::Path,
    out: &std::path::Path,
) -> Result<(), String> {
    use base64::Engine as _;
    let scratch = target.join("checker-nomodules");
    if scratch.exists() {
        fs::remove_dir_all(&scratch)
            .map_err(|e| format!("cannot clear {}: {e}", scratch.display()))?;
    }
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(wasm)
        .no_modules(true)
        .map_err(|e| format!("wasm-bindgen: {e}"))?
        .no_modules_global("mcphChecker")
        .map_err(|e| format!("wasm-bindgen: {e}"))?
        .out_name("checker")
        .remove_name_section(true)
        .remove_producers_section(true)
        .typescript(false)
        .generate(&scratch)
        .map_err(|e| {
            format!(
                "wasm-bindgen (no modules) could not process {}: {e}",
                wasm.display()
            )
        })?;
    let glue = fs::read_to_string(scratch.join("checker.js"))
        .map_err(|e| format!("cannot read the no-modules glue: {e}"))?;
    let bytes = fs::read(scratch.join("checker_bg.wasm"))
        .map_err(|e| format!("cannot read the no-modules wasm: {e}"))?;
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    let script = format!(
        "// The quick checker for pages opened from disk: generated by `cargo xtask build`.\n{glue}\n(function () {{\n  const text = atob(\"{encoded}\");\n  const bytes = new Uint8Array(text.length);\n  for (let i = 0; i < text.length; i++) {{ bytes[i] = text.charCodeAt(i); }}\n  mcphChecker.initSync({{ module: bytes }});\n}})();\n"
    );
    fs::write(out.join(FROM_DISK), script).map_err(|e| format!("cannot write {FROM_DISK}: {e}"))
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
    let loaded = started.elapsed();
    let assets = checker(args)?;
    eprintln!(
        "xtask: content loaded and checked in {:.2} s, the checker built in {:.2} s",
        loaded.as_secs_f64(),
        (started.elapsed() - loaded).as_secs_f64()
    );
    let opts = handbook_book::Options {
        root: args.root.clone(),
        protocols: args.protocols.clone(),
        out: args.out.clone(),
        stage: target_dir(&args.root).join("handbook-src"),
        checker: Some(assets),
        today: build_day(),
    };
    handbook_book::build_loaded(&opts, &lib).map_err(|e| format!("{e:#}"))?;
    eprintln!(
        "xtask: built the handbook into {} in {:.1} s",
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(args.out.clone())
}
