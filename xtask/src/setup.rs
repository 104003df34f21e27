//! Set-up the commands do for themselves: the wasm target, and Chromium for browser tests.

use std::path::Path;
use std::process::Command;

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Adds the wasm32 target with rustup when it is missing.
pub fn wasm_target() -> Result<(), String> {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output();
    match out {
        Ok(o)
            if String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == WASM_TARGET) =>
        {
            Ok(())
        }
        Ok(_) => {
            eprintln!("xtask: adding the {WASM_TARGET} target with rustup");
            crate::run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
        }
        Err(e) => Err(format!(
            "cannot run rustup ({e}): install the {WASM_TARGET} target for your Rust toolchain"
        )),
    }
}

/// Installs Debian's chromium and chromium-driver when they are missing.
pub fn chromium() -> Result<(), String> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    let has_apt = Path::new("/usr/bin/apt-get").exists();
    if !(is_root && has_apt) {
        return Err(format!(
            "the browser tests need Chromium and ChromeDriver at {CHROMIUM} and {CHROMEDRIVER}.\n\
             On Debian or Ubuntu install them with:\n    sudo apt-get update && sudo apt-get install -y chromium chromium-driver"
        ));
    }
    eprintln!("xtask: installing chromium and chromium-driver with apt-get");
    crate::run(
        Command::new("apt-get")
            .arg("update")
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    crate::run(
        Command::new("apt-get")
            .args([
                "install",
                "-y",
                "--no-install-recommends",
                "chromium",
                "chromium-driver",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// The accessibility engine the browser tests inject: axe-core, from the npm registry, pinned
/// to a version and checked against its published integrity hash.
pub const AXE_VERSION: &str = "4.14.1";
const AXE_INTEGRITY: &str = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==";

/// Makes sure `target/vendor/axe-core-<version>/axe.min.js` exists; returns its path.
pub fn axe(target: &Path) -> Result<std::path::PathBuf, String> {
    use base64::Engine as _;
    use sha2::Digest as _;
    let dir = target
        .join("vendor")
        .join(format!("axe-core-{AXE_VERSION}"));
    let script = dir.join("axe.min.js");
    if script.exists() {
        return Ok(script);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    eprintln!("xtask: fetching axe-core {AXE_VERSION} with npm pack");
    crate::run(
        Command::new("npm")
            .args(["pack", &format!("axe-core@{AXE_VERSION}"), "--silent"])
            .arg("--pack-destination")
            .arg(&dir),
    )
    .map_err(|e| format!("{e}\n(the accessibility tests need npm to fetch axe-core)"))?;
    let tarball = dir.join(format!("axe-core-{AXE_VERSION}.tgz"));
    let bytes =
        std::fs::read(&tarball).map_err(|e| format!("cannot read {}: {e}", tarball.display()))?;
    let digest = sha2::Sha512::digest(&bytes);
    let integrity = format!(
        "sha512-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    );
    if integrity != AXE_INTEGRITY {
        let _ = std::fs::remove_file(&tarball);
        return Err(format!(
            "axe-core {AXE_VERSION} from npm does not match its pinned integrity hash\n  expected {AXE_INTEGRITY}\n  got      {integrity}"
        ));
    }
    crate::run(
        Command::new("tar")
            .arg("-xzf")
            .arg(&tarball)
            .arg("-C")
            .arg(&dir)
            .args(["--strip-components=1", "package/axe.min.js"]),
    )?;
    if script.exists() {
        Ok(script)
    } else {
        Err(format!("{} is missing after unpacking", script.display()))
    }
}
