//! `check --protocol <id|all>`: reads one case as JSON on stdin and prints what the protocol
//! says, as JSON. Invalid input exits with status 2 and `{"errors":[{"field","message"}]}`.

use handbook_engine::case::{Case, CaseError};
use handbook_engine::eval::{Evaluation, merged};
use handbook_engine::evaluate;
use serde_json::json;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: check --protocol <id|all> [--protocols DIR] < case.json";

fn fail(errors: &[CaseError]) -> ExitCode {
    println!("{}", json!({ "errors": errors }));
    ExitCode::from(2)
}

fn usage_error(message: &str) -> ExitCode {
    fail(&[CaseError {
        field: String::new(),
        message: message.to_string(),
    }])
}

fn default_protocols_dir() -> PathBuf {
    // The protocols folder of this checkout (the binary is run from the workspace).
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../protocols")
        .components()
        .collect()
}

/// An evaluation as JSON, with the duties that say the same thing merged: `merged` for
/// `actions`, `merged_on_return` for `on_return` (see `handbook_engine::eval::merged`).
fn with_merged(e: &Evaluation) -> serde_json::Result<serde_json::Value> {
    let mut v = serde_json::to_value(e)?;
    if let Some(object) = v.as_object_mut() {
        object.insert("merged".into(), serde_json::to_value(merged(&e.actions))?);
        object.insert(
            "merged_on_return".into(),
            serde_json::to_value(merged(&e.on_return))?,
        );
    }
    Ok(v)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut protocol = None;
    let mut dir = default_protocols_dir();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--protocol" => protocol = it.next().cloned(),
            "--protocols" => match it.next() {
                Some(d) => dir = PathBuf::from(d),
                None => return usage_error(USAGE),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => return usage_error(&format!("unknown argument `{other}`; {USAGE}")),
        }
    }
    let Some(protocol) = protocol else {
        return usage_error(USAGE);
    };
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        return usage_error(&format!("cannot read the case from standard input: {e}"));
    }
    let case = match Case::from_json_str(&input) {
        Ok(c) => c,
        Err(errors) => return fail(&errors),
    };
    let only = (protocol != "all").then_some(protocol.as_str());
    let lib = match handbook_content::load(&dir, None) {
        Ok(lib) => lib,
        Err(diagnostics) => {
            for d in &diagnostics {
                eprintln!("{d}");
            }
            eprintln!(
                "error: the protocols folder {} has problems; run `cargo xtask validate`",
                dir.display()
            );
            return ExitCode::FAILURE;
        }
    };
    if let Some(id) = only
        && lib.get(id).is_none()
    {
        return fail(&[CaseError {
            field: "protocol".to_string(),
            message: format!(
                "no protocol `{id}`; choose one of: all, {}",
                lib.ids().join(", ")
            ),
        }]);
    }
    let evaluations: Vec<_> = lib
        .protocols
        .iter()
        .filter(|p| only.is_none_or(|id| id == p.id))
        .map(|p| evaluate(&p.protocol, &case))
        .collect();
    let out = if only.is_some() {
        evaluations
            .first()
            .map_or(Ok(serde_json::Value::Null), with_merged)
    } else {
        evaluations
            .iter()
            .map(with_merged)
            .collect::<serde_json::Result<Vec<_>>>()
            .map(serde_json::Value::Array)
    };
    match out.and_then(|v| serde_json::to_string_pretty(&v)) {
        Ok(s) => {
            println!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
