//! The protocols' rules against their text, for every protocol in the protocols folder:
//! quotes word for word in the cited paragraph, numbers in the quotes (both enforced by the
//! loader, which this test requires to succeed), fidelity to the source, every duty sentence
//! and time phrase traced or given a reason, and every worked case giving what it expects.

mod support;

use handbook_content::report::{ProtocolReport, Report};
use handbook_engine::text::quote_in;
use support::library;

#[test]
fn every_protocol_loads_with_quotes_that_match_their_paragraphs() {
    let lib = library();
    assert!(!lib.protocols.is_empty(), "no protocols found");
    for p in &lib.protocols {
        for r in &p.rules.rules {
            let para = p
                .paragraphs
                .get(&*r.paragraph)
                .unwrap_or_else(|| panic!("{}: rule `{}` cites a missing paragraph", p.id, r.id));
            assert!(quote_in(&r.quote, &para.text), "{}: rule `{}`", p.id, r.id);
        }
        println!("{}: {} rules, quotes verified", p.id, p.rules.rules.len());
    }
}

#[test]
fn every_protocol_passes_fidelity_traceability_and_its_worked_cases() {
    let lib = library();
    let report = Report::of(&lib);
    print!("{}", report.text());
    let failing: Vec<&ProtocolReport> = report.protocols.iter().filter(|p| !p.ok()).collect();
    assert!(
        failing.is_empty(),
        "failing: {:?} (details above)",
        failing.iter().map(|p| &p.id).collect::<Vec<_>>()
    );
}

#[test]
fn every_duty_sentence_and_time_phrase_is_modelled_or_reasoned() {
    let lib = library();
    let mut untraced = Vec::new();
    for p in &Report::of(&lib).protocols {
        untraced.extend(p.untraced().map(|u| u.message()));
    }
    assert!(
        untraced.is_empty(),
        "{} duty sentences and time phrases are neither modelled by a rule nor listed under [[not_modelled]] with a reason:\n{}",
        untraced.len(),
        untraced.join("\n")
    );
}

#[test]
fn every_protocol_has_enough_worked_cases() {
    for p in &library().protocols {
        let needed = if p.id == "wandsworth" { 25 } else { 20 };
        assert!(
            p.scenarios.len() >= needed,
            "{} has {} worked cases; at least {needed} are needed",
            p.id,
            p.scenarios.len()
        );
    }
}

#[test]
fn a_changed_timescale_is_caught() {
    // Take a real rule with a timescale, change its amount, and check the loader refuses it.
    let lib = library();
    let p = lib
        .protocols
        .iter()
        .find(|p| p.rules.rules.iter().any(|r| r.timescale.is_some()))
        .expect("a protocol with a timescale");
    let text = std::fs::read_to_string(p.dir.join("rules.toml")).expect("rules.toml");
    let rule = p
        .rules
        .rules
        .iter()
        .find(|r| r.timescale.is_some())
        .expect("a rule");
    let amount = rule.timescale.map(|t| t.amount).unwrap_or(0);
    let needle = format!("amount = {amount},");
    let pos = text.find(&needle).expect("the timescale in the file");
    let changed = format!(
        "{}amount = {},{}",
        &text[..pos],
        amount + 1000,
        &text[pos + needle.len()..]
    );
    let paragraphs = p
        .paragraphs
        .iter()
        .map(|(k, v)| (k.clone(), v.text.clone()))
        .collect();
    let errors = handbook_engine::load::rules("rules.toml", &changed, &paragraphs)
        .expect_err("a timescale not in its quote must be refused");
    assert!(
        errors.iter().any(|e| e
            .message
            .contains(&format!("{} (timescale)", amount + 1000))),
        "{errors:?}"
    );
}

#[test]
fn every_duty_names_a_known_action_actors_and_phase_and_no_vocabulary_entry_is_unused() {
    use handbook_engine::{Kind, Phase};
    let lib = library();
    let v = &lib.vocabulary;
    let mut duties = 0;
    for p in &lib.protocols {
        for r in p.protocol.rules.iter().filter(|r| r.kind == Kind::Duty) {
            duties += 1;
            let at = format!("{}: rule `{}` (line {})", p.id, r.id, r.line);
            let action = r
                .action
                .as_deref()
                .unwrap_or_else(|| panic!("{at}: no action"));
            let entry = v
                .action(action)
                .unwrap_or_else(|| panic!("{at}: unknown action"));
            assert_eq!(r.action_name.as_deref(), Some(&*entry.name), "{at}");
            assert!(!r.actors.is_empty(), "{at}: no actors");
            assert_eq!(r.actors.len(), r.actor_names.len(), "{at}");
            for (id, name) in r.actors.iter().zip(r.actor_names.iter()) {
                let entry = v
                    .actor(id)
                    .unwrap_or_else(|| panic!("{at}: unknown actor {id}"));
                assert_eq!(*entry.name, **name, "{at}");
            }
            let phase = r.phase.unwrap_or_else(|| panic!("{at}: no phase"));
            assert_eq!(
                phase == Phase::Timed,
                r.timescale.is_some(),
                "{at}: a duty is `timed` exactly when it has a timescale"
            );
        }
    }
    assert!(duties > 200, "{duties} duties");
    let unused: Vec<String> = lib
        .unused_vocabulary()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        unused.is_empty(),
        "vocabulary entries that no protocol uses:\n{}",
        unused.join("\n")
    );
    println!(
        "{duties} duties tagged from {} actions, {} actors and {} phases",
        v.actions.len(),
        v.actors.len(),
        v.phases.len()
    );
}

#[test]
fn a_mistyped_action_is_caught_with_the_nearest_name() {
    // Take a real duty, misspell its action, and check the loader refuses it and suggests it.
    let lib = library();
    let p = lib.get("wandsworth").expect("wandsworth");
    let text = std::fs::read_to_string(p.dir.join("rules.toml")).expect("rules.toml");
    let changed = text.replacen(
        "action = \"report-to-police\"",
        "action = \"report-police\"",
        1,
    );
    assert_ne!(changed, text, "a duty reporting to the police");
    let paragraphs = p
        .paragraphs
        .iter()
        .map(|(k, v)| (k.clone(), v.text.clone()))
        .collect();
    let errors = handbook_engine::load::rules_with(
        "rules.toml",
        &changed,
        &paragraphs,
        Some(&lib.vocabulary),
    )
    .expect_err("an unknown action must be refused");
    let line = text[..text.find("action = \"report-to-police\"").unwrap_or(0)]
        .lines()
        .count()
        + 1;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, line, "{errors:?}");
    assert!(
        errors[0]
            .message
            .ends_with("unknown action `report-police`; did you mean `report-to-police`?"),
        "{errors:?}"
    );
}

#[test]
fn bank_holidays_cover_2018_to_2030_with_the_moved_and_one_off_days() {
    let lib = library();
    let h = &lib.holidays;
    let first = h.first().expect("holidays");
    let last = h.last().expect("holidays");
    assert!(
        first <= "2018-01-01".parse().expect("date"),
        "starts {first}"
    );
    assert!(last >= "2030-12-25".parse().expect("date"), "ends {last}");
    for d in [
        "2020-05-08",
        "2022-06-02",
        "2022-06-03",
        "2022-09-19",
        "2023-05-08",
    ] {
        assert!(h.contains(d.parse().expect("date")), "{d} is missing");
    }
    for d in ["2020-05-04", "2022-05-30"] {
        assert!(
            !h.contains(d.parse().expect("date")),
            "{d} was moved and is not a holiday"
        );
    }
}

#[test]
fn working_days_skip_the_real_bank_holidays() {
    use handbook_engine::deadline::add;
    use handbook_engine::model::{Event, Timescale, Unit};
    let lib = library();
    let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).expect("time");
    let days = |n| Timescale {
        amount: n,
        unit: Unit::WorkingDays,
        from: Event::Missing,
    };
    // Wednesday 1 June 2022 + 1 working day: not Thursday 2 or Friday 3 June (moved spring
    // bank holiday, Platinum Jubilee), nor the weekend, so Monday 6 June.
    assert_eq!(
        add(t("2022-06-01T10:00:00+01:00"), &days(1), &lib.holidays),
        Some(t("2022-06-06T10:00:00+01:00"))
    );
    // Friday 16 September 2022 + 1: Monday 19 September was the State Funeral.
    assert_eq!(
        add(t("2022-09-16T09:00:00+01:00"), &days(1), &lib.holidays),
        Some(t("2022-09-20T09:00:00+01:00"))
    );
    // Thursday 7 May 2020 + 1: Friday 8 May was VE Day; Monday 4 May was a working day.
    assert_eq!(
        add(t("2020-05-07T09:00:00+01:00"), &days(1), &lib.holidays),
        Some(t("2020-05-11T09:00:00+01:00"))
    );
}

/// Every worked case with a "no" answer, run again with each "no" left blank, as a person who
/// answers only what is true would: every rule the case expects is still shown, as applying or
/// as depending on a question, and what depends waits on a question that was left blank.
#[test]
fn a_blank_answer_never_hides_what_a_worked_case_expects() {
    use handbook_engine::condition::BoolField;
    let mut problems = Vec::new();
    for p in &library().protocols {
        let (mut cases, mut expected, mut applying, mut depending) = (0, 0, 0, 0);
        for s in &p.scenarios {
            let blanked: Vec<BoolField> = BoolField::ALL
                .iter()
                .map(|(_, f)| *f)
                .filter(|f| {
                    f.value(&s.case) == Some(false)
                        && !(*f == BoolField::Returned && s.case.returned_at.is_some())
                })
                .collect();
            if blanked.is_empty() {
                continue;
            }
            cases += 1;
            let mut case = s.case.clone();
            for f in &blanked {
                f.clear(&mut case);
            }
            let e = handbook_engine::evaluate(&p.protocol, &case);
            for rule in &s.present {
                expected += 1;
                if e.applying().any(|i| *i.rule == **rule) {
                    applying += 1;
                    continue;
                }
                match e.depends.iter().find(|i| *i.rule == **rule) {
                    Some(i) if i.questions().iter().any(|q| blanked.iter().any(|f| f.name() == *q)) => depending += 1,
                    Some(i) => problems.push(format!(
                        "{}/scenarios.toml:{}: `{}` with {:?} left blank: `{rule}` depends only on {:?}",
                        p.id, s.line, s.id, blanked.iter().map(|f| f.name()).collect::<Vec<_>>(), i.questions()
                    )),
                    None => problems.push(format!(
                        "{}/scenarios.toml:{}: `{}` with {:?} left blank: `{rule}` is hidden",
                        p.id, s.line, s.id, blanked.iter().map(|f| f.name()).collect::<Vec<_>>()
                    )),
                }
            }
        }
        println!(
            "{}: {cases} worked cases with a \"no\" left blank: {expected} expected rules, {applying} applying, {depending} depending on a blank question, {} hidden",
            p.id,
            expected - applying - depending
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
