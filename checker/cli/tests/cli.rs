//! The `check` command, run as a user runs it.

use std::io::Write;
use std::process::{Command, Stdio};

fn check(args: &[&str], input: &str) -> (i32, serde_json::Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_check"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the check command runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("writing the case");
    let out = child.wait_with_output().expect("its output");
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code().unwrap_or(-1), json)
}

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/protocols"
);

#[test]
fn a_case_gets_the_protocols_answer_with_deadlines() {
    let (code, out) = check(
        &["--protocol", "example", "--protocols", FIXTURES],
        r#"{"age": 15, "looked_after": true, "returned": false, "missing_since": "2025-10-24T10:00:00+01:00", "now": "2025-10-25T11:00:00+01:00"}"#,
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(out["protocol"], "example");
    let action = &out["actions"][0];
    assert_eq!(action["rule"], "strategy-meeting");
    assert_eq!(
        action["due"], "2025-10-29T10:00:00+00:00",
        "3 working days from Friday"
    );
    assert_eq!(action["timescale"]["unit"], "working_days");
    assert_eq!(
        action["link"],
        "protocols/example/02-meetings.html#example-2-p1"
    );
    assert!(
        action["quote"]
            .as_str()
            .unwrap_or("")
            .contains("within 3 working days")
    );
    assert!(action["because"].as_array().is_some_and(|b| !b.is_empty()));
    // The vocabulary's tags and names, and the merged list citing its paragraphs.
    assert_eq!(action["action"], "strategy-discussion");
    assert_eq!(action["action_name"], "Strategy meeting or discussion");
    assert_eq!(action["actors"][0], "childrens-social-care");
    assert_eq!(action["actor_names"][0], "Children's social care");
    assert_eq!(action["phase"], "timed");
    let merged = &out["merged"][0];
    assert_eq!(merged["rule"], "strategy-meeting");
    assert_eq!(merged["due"], action["due"]);
    assert_eq!(merged["citations"][0]["paragraph"], "2-p1");
    assert_eq!(merged["citations"][0]["link"], action["link"]);
    assert_eq!(
        out["merged_on_return"][0]["citations"][0]["rule"],
        "return-interview"
    );
}

#[test]
fn still_missing_gives_what_comes_next() {
    let (code, out) = check(
        &["--protocol", "example", "--protocols", FIXTURES],
        r#"{"age": 15, "looked_after": true, "returned": false, "hours_missing": 24}"#,
    );
    assert_eq!(code, 0);
    assert_eq!(out["actions"], serde_json::json!([]));
    assert_eq!(out["upcoming"][0]["rule"], "strategy-meeting");
    assert_eq!(out["upcoming"][0]["starts_at_hours"], 24.0);
    assert_eq!(out["upcoming"][0]["starts_when"], "after");
}

#[test]
fn all_runs_every_protocol() {
    let (code, out) = check(
        &["--protocol", "all", "--protocols", FIXTURES],
        r#"{"age": 9}"#,
    );
    assert_eq!(code, 0);
    assert_eq!(out.as_array().map(Vec::len), Some(1));
}

#[test]
fn bad_input_exits_2_naming_the_field() {
    let (code, out) = check(
        &["--protocol", "example", "--protocols", FIXTURES],
        r#"{"age": 40, "colour": "red"}"#,
    );
    assert_eq!(code, 2);
    let fields: Vec<&str> = out["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert!(
        fields.contains(&"age") && fields.contains(&"colour"),
        "{out}"
    );
    let (code, out) = check(&["--protocol", "nowhere", "--protocols", FIXTURES], "{}");
    assert_eq!(code, 2);
    assert_eq!(out["errors"][0]["field"], "protocol");
    let (code, _) = check(
        &["--protocol", "example", "--protocols", FIXTURES],
        "not json",
    );
    assert_eq!(code, 2);
}
