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
