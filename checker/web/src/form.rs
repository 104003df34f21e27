//! What the reader typed, and how it becomes a case. Nothing is checked until the reader asks
//! for the result; then every problem is listed, each naming its field, and nothing typed is
//! lost.

use handbook_engine::case::{Case, MAX_AGE, MAX_HOURS, PoliceRisk};

/// The ids of the form's fields: error links point at them.
pub mod ids {
    pub const PROTOCOL: &str = "mcph-protocol";
    pub const AGE: &str = "mcph-age";
    pub const LOOKED_AFTER: &str = "mcph-looked-after";
    pub const RETURNED: &str = "mcph-returned";
    pub const WHEREABOUTS: &str = "mcph-whereabouts";
    pub const HOURS: &str = "mcph-hours";
    pub const EPISODES: &str = "mcph-episodes";
    pub const RISK: &str = "mcph-risk";
}

/// Everything typed or chosen, as text, exactly as the reader left it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Form {
    pub protocol: String,
    pub age: String,
    /// "yes", "no" or "" (not sure).
    pub looked_after: String,
    /// "yes" (found or returned), "no" (still missing) or "" (not sure).
    pub returned: String,
    /// "yes" (whereabouts known), "no" or "" (not sure).
    pub whereabouts: String,
    pub hours: String,
    pub episodes_28: String,
    /// A police risk name, or "" (not known).
    pub risk: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The id of the field's input (the first radio for a radio group).
    pub field: &'static str,
    pub message: String,
}

fn err(field: &'static str, message: &str) -> FieldError {
    FieldError {
        field,
        message: message.to_string(),
    }
}

fn yes_no(s: &str) -> Option<bool> {
    match s {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// A whole number typed by a person: digits only, spaces around allowed.
fn whole(s: &str) -> Option<u64> {
    let t = s.trim();
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) || t.len() > 9 {
        return None;
    }
    t.parse().ok()
}

impl Form {
    /// The case the form describes, or every problem with it.
    pub fn to_case(&self) -> Result<Case, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut case = Case::default();
        if self.protocol.trim().is_empty() {
            errors.push(err(ids::PROTOCOL, "Select the protocol to check against"));
        }
        let age = self.age.trim();
        if age.is_empty() {
            errors.push(err(ids::AGE, "Enter the child's age"));
        } else {
            match whole(age) {
                None => errors.push(err(ids::AGE, "Age must be a whole number, like 15")),
                Some(a) if a > u64::from(MAX_AGE) => {
                    errors.push(err(ids::AGE, "Age must be 25 or under"))
                }
                Some(a) => case.age = u32::try_from(a).ok(),
            }
        }
        case.looked_after = yes_no(&self.looked_after);
        case.returned = yes_no(&self.returned);
        // The question is asked only while the child is missing.
        if case.returned != Some(true) {
            case.whereabouts_known = yes_no(&self.whereabouts);
        }
        let hours = self.hours.trim();
        if !hours.is_empty() {
            let valid = hours.chars().all(|c| c.is_ascii_digit() || c == '.')
                && hours.chars().filter(|c| *c == '.').count() <= 1
                && hours.chars().any(|c| c.is_ascii_digit());
            match hours.parse::<f64>() {
                Ok(h) if valid && h <= MAX_HOURS => case.hours_missing = Some(h),
                Ok(_) if valid => {
                    errors.push(err(ids::HOURS, "Hours missing must be 100000 or fewer"))
                }
                _ if hours.starts_with('-') => {
                    errors.push(err(ids::HOURS, "Hours missing must be 0 or more"))
                }
                _ => errors.push(err(
                    ids::HOURS,
                    "Hours missing must be a number, like 26 or 2.5",
                )),
            }
        }
        let episodes = self.episodes_28.trim();
        if !episodes.is_empty() {
            match whole(episodes) {
                None => errors.push(err(
                    ids::EPISODES,
                    "Number of times must be a whole number, like 2",
                )),
                Some(0) => errors.push(err(
                    ids::EPISODES,
                    "Number of times must be 1 or more: count this time too",
                )),
                Some(n) if n > 1000 => {
                    errors.push(err(ids::EPISODES, "Number of times must be 1000 or fewer"))
                }
                Some(n) => case.episodes_28_days = u32::try_from(n).ok(),
            }
        }
        if !self.risk.is_empty() {
            match PoliceRisk::parse(&self.risk) {
                Some(r) => case.police_risk = Some(r),
                None => errors.push(err(
                    ids::RISK,
                    "Select the police risk level, or 'Not known'",
                )),
            }
        }
        // The engine's own checks, in case the form and the engine ever disagree.
        for e in case.check() {
            errors.push(FieldError {
                field: ids::AGE,
                message: e.message,
            });
        }
        if errors.is_empty() {
            Ok(case)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> Form {
        Form {
            protocol: "wandsworth".into(),
            age: "15".into(),
            ..Form::default()
        }
    }

    fn messages(f: &Form) -> Vec<(&'static str, String)> {
        f.to_case()
            .expect_err("should be refused")
            .into_iter()
            .map(|e| (e.field, e.message))
            .collect()
    }

    #[test]
    fn a_filled_form_gives_the_case() {
        let f = Form {
            looked_after: "yes".into(),
            returned: "no".into(),
            hours: " 26.5 ".into(),
            episodes_28: "3".into(),
            risk: "high".into(),
            ..form()
        };
        let case = f.to_case().expect("valid");
        assert_eq!(case.age, Some(15));
        assert_eq!(case.looked_after, Some(true));
        assert_eq!(case.returned, Some(false));
        assert_eq!(case.hours_missing, Some(26.5));
        assert_eq!(case.episodes_28_days, Some(3));
        assert_eq!(case.police_risk, Some(PoliceRisk::High));
    }

    #[test]
    fn not_sure_is_unknown() {
        let case = form().to_case().expect("valid");
        assert_eq!(case.looked_after, None);
        assert_eq!(case.returned, None);
        assert_eq!(case.hours_missing, None);
    }

    #[test]
    fn the_age_messages() {
        let m = |age: &str| {
            messages(&Form {
                age: age.into(),
                ..form()
            })
        };
        assert_eq!(m(""), vec![(ids::AGE, "Enter the child's age".to_string())]);
        assert_eq!(
            m("fifteen"),
            vec![(ids::AGE, "Age must be a whole number, like 15".to_string())]
        );
        assert_eq!(
            m("15.5"),
            vec![(ids::AGE, "Age must be a whole number, like 15".to_string())]
        );
        assert_eq!(
            m("-3"),
            vec![(ids::AGE, "Age must be a whole number, like 15".to_string())]
        );
        assert_eq!(
            m("26"),
            vec![(ids::AGE, "Age must be 25 or under".to_string())]
        );
        assert!(
            Form {
                age: "18".into(),
                ..form()
            }
            .to_case()
            .is_ok(),
            "18 is not an error"
        );
    }

    #[test]
    fn every_field_in_error_is_named_and_nothing_panics() {
        let f = Form {
            protocol: String::new(),
            age: "\u{1F600}".into(),
            hours: "1e9".into(),
            episodes_28: "0".into(),
            risk: "severe".into(),
            ..Form::default()
        };
        let fields: Vec<&str> = messages(&f).iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            vec![
                ids::PROTOCOL,
                ids::AGE,
                ids::HOURS,
                ids::EPISODES,
                ids::RISK
            ]
        );
    }
}
