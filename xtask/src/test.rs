//! `cargo xtask test`: every test, in the order that fails fastest.

use crate::{Args, build, cargo, setup};
use std::process::Command;
use std::time::Instant;

pub fn run(args: &Args) -> Result<(), String> {
    let started = Instant::now();
    setup::wasm_target()?;
    setup::chromium()?;
    let axe = setup::axe(&crate::target_dir(&args.root))?;
    let step = |name: &str| {
        eprintln!(
            "\nxtask test: {name} ({:.0} s)",
            started.elapsed().as_secs_f64()
        )
    };

    step("formatting");
    crate::run(Command::new(cargo()).args(["fmt", "--all", "--", "--check"]))?;

    step("lints (host)");
    crate::run(Command::new(cargo()).args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    step("lints (the checker, for wasm32)");
    crate::run(Command::new(cargo()).args([
        "clippy",
        "--package",
        "handbook-web",
        "--target",
        setup::WASM_TARGET,
        "--",
        "-D",
        "warnings",
    ]))?;

    step("the engine builds for wasm32 (it must stay pure)");
    crate::run(Command::new(cargo()).args([
        "build",
        "--package",
        "handbook-engine",
        "--target",
        setup::WASM_TARGET,
    ]))?;

    step("building the site");
    let site = build::site(args)?;

    step("the checker's download size against its budget");
    let checker = site.join("checker");
    crate::size::check(&checker, &crate::size::site_rules(&checker)?)?;

    step("unit, content, site and browser tests");
    // --show-output: the tests' own reports (pages visited by axe, the checker's start-up time
    // and bytes transferred, worked cases typed) belong in the log even when they pass.
    crate::run(
        Command::new(cargo())
            .args([
                "test",
                "--workspace",
                "--no-fail-fast",
                "--",
                "--show-output",
            ])
            .env("MCPH_SITE", &site)
            .env("MCPH_PROTOCOLS", &args.protocols)
            .env("MCPH_CHROMEDRIVER", setup::CHROMEDRIVER)
            .env("MCPH_CHROMIUM", setup::CHROMIUM)
            .env("MCPH_AXE", &axe),
    )?;
    eprintln!(
        "\nxtask test: all passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
