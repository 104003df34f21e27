//! `cargo xtask <command>`: the project's two commands and their helpers. Orchestration
//! only: it invokes cargo, wasm-bindgen, the book builder and the tests.

mod bench;
mod build;
mod review;
mod serve;
mod setup;
mod size;
mod test;
mod validate;
mod weigh;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command> [options]

commands:
  serve [--port N]        build everything and serve the handbook on http://127.0.0.1:3000,
                          rebuilding when a protocol, rule, page, theme or checker file changes
  build [--out DIR]       build the static site (default: target/site)
  test                    run every test: formatting, lints, unit and content tests, the built
                          site and the browser tests (installs Chromium when missing)
  validate [PROTOCOL]     check the protocols' text, rules and scenarios; print every problem
  review [PROTOCOL [RULE... | --all]]
                          list the rules to re-read against their paragraph text; with rule
                          ids (or --all), record that they were re-read today
  size [--where]          report the checker's download size (raw and gzipped) against its budget;
                          --where: the WebAssembly's code and data, and the code by area
  bench-build             time the full site build against stock mdBook on the same Markdown

options:
  --protocols DIR         use another protocols folder (e.g. tests/fixtures/protocols)";

/// Options shared by the commands.
#[derive(Debug, Clone)]
pub struct Args {
    pub root: PathBuf,
    pub protocols: PathBuf,
    pub out: PathBuf,
    pub port: u16,
    pub rest: Vec<String>,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let root = root();
    let mut a = Args {
        protocols: root.join("protocols"),
        out: target_dir(&root).join("site"),
        port: 3000,
        rest: Vec::new(),
        root,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--protocols" => a.protocols = PathBuf::from(value("--protocols")?),
            "--out" => a.out = PathBuf::from(value("--out")?),
            "--port" => {
                a.port = value("--port")?
                    .parse()
                    .map_err(|_| "--port needs a number".to_string())?
            }
            other => a.rest.push(other.to_string()),
        }
    }
    if a.protocols.is_relative() {
        a.protocols = a.root.join(&a.protocols);
    }
    if a.out.is_relative() {
        a.out = a.root.join(&a.out);
    }
    Ok(a)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let parsed = match parse(&args[1..]) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match cmd.as_str() {
        "validate" => validate::run(&parsed),
        "review" => review::run(&parsed),
        "build" => build::site(&parsed).map(|_| ()),
        "serve" => serve::run(&parsed),
        "test" => test::run(&parsed),
        "size" => size::run(&parsed),
        "bench-build" => bench::run(&parsed),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Cargo's target folder, honouring CARGO_TARGET_DIR.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => {
            let d = PathBuf::from(d);
            if d.is_relative() { root.join(d) } else { d }
        }
        _ => root.join("target"),
    }
}

/// The cargo that runs this xtask.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

/// Runs a command in the workspace root, failing with its name if it fails.
pub fn run(cmd: &mut std::process::Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    let status = cmd
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}
