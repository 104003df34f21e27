//! A case written into a link, and read back from one.
//!
//! The checker's "Share this case" link and the training cases' "Open this case in the checker"
//! links carry the answers in the address's fragment (after `#`), which browsers never send to
//! a server: `#protocol=wandsworth&age=15&looked_after=yes&hours_missing=26`. Field names are
//! those of [`Case`]; yes/no answers are `yes` and `no`; times are RFC 3339 with their offset.

use crate::case::{Case, CaseError, Given, field_names};
use crate::condition::{fmt_num, parse_num};

/// A protocol and a case, as a link carries them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shared {
    pub protocol: Option<String>,
    pub case: Case,
}

fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// The fragment (without `#`) that carries a protocol and a case.
pub fn to_fragment(protocol: &str, case: &Case) -> String {
    let mut parts = vec![format!("protocol={}", encode(protocol))];
    for (name, v) in case.given() {
        let text = match v {
            Given::Bool(true) => "yes".into(),
            Given::Bool(false) => "no".into(),
            Given::Whole(n) => n.to_string().into(),
            Given::Number(x) => fmt_num(x).into(),
            Given::Text(s) => s,
            Given::Nothing | Given::Other => continue,
        };
        parts.push(format!("{name}={}", encode(&text)));
    }
    parts.join("&")
}

/// Reads a fragment (with or without its `#`). Anything it cannot read is an error naming the
/// field; nothing in a link can make it panic.
pub fn from_fragment(fragment: &str) -> Result<Shared, Vec<CaseError>> {
    let mut protocol = None;
    let mut answers: Vec<(&str, String)> = Vec::new();
    let mut errors = Vec::new();
    for part in fragment.trim_start_matches('#').split('&') {
        if part.is_empty() {
            continue;
        }
        let (key, raw) = part.split_once('=').unwrap_or((part, ""));
        let Some(value) = decode(raw) else {
            errors.push(CaseError {
                field: key.to_string(),
                message: format!("the link's value for {key} is not readable"),
            });
            continue;
        };
        if key == "protocol" {
            protocol = Some(value);
            continue;
        }
        if !field_names().any(|f| f == key) {
            errors.push(CaseError {
                field: key.to_string(),
                message: format!("the link has an answer the checker does not know: {key}"),
            });
            continue;
        }
        answers.push((key, value));
    }
    // "yes" and "no" are the yes/no answers; digits are numbers; anything else is text.
    let given = answers.iter().map(|(key, value)| {
        let v = match value.as_str() {
            "yes" => Given::Bool(true),
            "no" => Given::Bool(false),
            s => match (s.parse::<u64>(), parse_num(s)) {
                (Ok(n), _) => Given::Whole(n),
                (Err(_), Some(x)) => Given::Number(x),
                (Err(_), None) => Given::Text(s.into()),
            },
        };
        (*key, v)
    });
    match Case::from_given(given) {
        Ok(case) if errors.is_empty() => Ok(Shared { protocol, case }),
        Ok(_) => Err(errors),
        Err(more) => {
            errors.extend(more);
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_goes_into_a_link_and_comes_back() {
        let case = Case::from_json_str(
            r#"{"age": 15, "looked_after": true, "returned": false, "hours_missing": 26.5,
                "police_risk": "no-apparent-risk", "episodes_90_days": 3,
                "missing_since": null, "now": "2025-10-26T01:30:00+01:00"}"#,
        )
        .expect("valid");
        let fragment = to_fragment("staffordshire-stoke", &case);
        assert_eq!(
            fragment,
            "protocol=staffordshire-stoke&looked_after=yes&returned=no&age=15&episodes_90_days=3&now=2025-10-26T01:30:00%2B01:00&police_risk=no-apparent-risk&hours_missing=26.5"
        );
        let back = from_fragment(&format!("#{fragment}")).expect("readable");
        assert_eq!(back.protocol.as_deref(), Some("staffordshire-stoke"));
        assert_eq!(back.case, case);
    }

    #[test]
    fn a_bad_link_names_what_is_wrong() {
        let e = from_fragment("protocol=bexley&age=old&colour=red&hours_missing=%ZZ")
            .expect_err("bad link");
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"age"), "{e:?}");
        assert!(fields.contains(&"colour"), "{e:?}");
        assert!(fields.contains(&"hours_missing"), "{e:?}");
        assert_eq!(
            from_fragment("").expect("empty is no answers"),
            Shared::default()
        );
    }
}
