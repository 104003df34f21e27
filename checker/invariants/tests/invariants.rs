//! Properties of the engine over the whole case space, for every protocol.
//!
//! Cases are generated with every field free (each may be unknown), hours given either as a
//! number or as times between 2018 and 2031 (so deadlines cross clock changes and the real bank
//! holidays), episode counts consistent across the windows. Set `PROPTEST_CASES` for a longer
//! run; failures found are kept in `proptest-regressions/` and replayed first.

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use handbook_content::Library;
use handbook_engine::condition::BoolField;
use handbook_engine::deadline;
use handbook_engine::eval::Evaluation;
use handbook_engine::model::{Event, Timescale, Unit};
use handbook_engine::{Case, Kind, PoliceRisk, evaluate};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use std::collections::BTreeSet;

/// The protocols, loaded once per test thread (the engine's rule data is not `Send`: its text
/// is shared with `Rc`).
fn lib() -> &'static Library {
    thread_local! {
        static LIB: &'static Library = Box::leak(Box::new(
            handbook_invariants::library().expect("the protocols load"),
        ));
    }
    LIB.with(|lib| *lib)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        // PROPTEST_CASES overrides the number of cases.
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1024),
        // Relative to this crate (where cargo runs its tests): committed, replayed first.
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/invariants.txt",
        ))),
        ..ProptestConfig::default()
    }
}

/// A moment between 2018 and 2031, written with the UK offset of the day (as the checker does)
/// or in UTC.
fn moment() -> impl Strategy<Value = DateTime<FixedOffset>> {
    let start = Utc
        .with_ymd_and_hms(2018, 1, 1, 0, 0, 0)
        .single()
        .expect("a date");
    (0i64..14 * 365 * 24 * 60, any::<bool>()).prop_map(move |(minutes, london)| {
        let t = (start + Duration::minutes(minutes)).fixed_offset();
        if london { deadline::to_london(t) } else { t }
    })
}

/// Hours missing: often one of the protocols' thresholds (± a little), otherwise anything.
fn hours() -> impl Strategy<Value = f64> {
    prop_oneof![
        prop::sample::select(vec![
            0.0, 1.0, 12.0, 24.0, 48.0, 72.0, 120.0, 168.0, 336.0, 672.0
        ])
        .prop_flat_map(|t| prop::sample::select(vec![
            t,
            t + 1.0 / 60.0,
            (t - 1.0f64).max(0.0),
            t + 1.0
        ])),
        0.0..2500.0f64,
    ]
}

/// The police's levels, lowest first.
const LEVELS: [PoliceRisk; 4] = [
    PoliceRisk::NoApparentRisk,
    PoliceRisk::Low,
    PoliceRisk::Medium,
    PoliceRisk::High,
];

fn risk() -> impl Strategy<Value = PoliceRisk> {
    prop::sample::select(LEVELS.to_vec())
}

/// The time fields: hours as a number (and perhaps "now"), or times.
#[derive(Debug, Clone)]
struct Times {
    hours_missing: Option<f64>,
    missing_since: Option<DateTime<FixedOffset>>,
    returned_at: Option<DateTime<FixedOffset>>,
    now: Option<DateTime<FixedOffset>>,
}

fn times() -> impl Strategy<Value = Times> {
    let by_number =
        (prop::option::of(hours()), prop::option::of(moment())).prop_map(|(h, now)| Times {
            hours_missing: h,
            missing_since: None,
            returned_at: None,
            now,
        });
    let by_times = (
        moment(),
        0i64..2500 * 60,
        prop::option::of(0i64..2500 * 60),
        any::<bool>(),
    )
        .prop_map(|(since, back_after, now_after, with_now)| {
            let back = since + Duration::minutes(back_after);
            let returned_at = now_after.map(|_| back);
            let now = match (now_after, with_now) {
                (Some(extra), true) => Some(back + Duration::minutes(extra)),
                (None, true) => Some(back),
                _ => None,
            };
            Times {
                hours_missing: None,
                missing_since: Some(since),
                returned_at,
                now,
            }
        });
    prop_oneof![by_number, by_times]
}

prop_compose! {
    fn case()(
        age in prop::option::of(0u32..=25),
        bools in prop::collection::vec(prop::option::of(any::<bool>()), 10),
        days_since_looked_after in prop::option::of(prop_oneof![0u32..30, 0u32..5000]),
        police_risk in prop::option::of(risk()),
        t in times(),
        e28 in 1u32..=12, e90 in 0u32..=12, e12 in 0u32..=40,
        windows in prop::collection::vec(any::<bool>(), 3),
    ) -> Case {
        let mut case = Case {
            age,
            looked_after: bools[0],
            care_leaver: bools[1],
            child_protection_plan: bools[2],
            child_in_need: bools[3],
            uasc: bools[4],
            placed_by_other_authority: bools[5],
            whereabouts_known: bools[6],
            returned: bools[7],
            exploitation_concern: bools[8],
            sen_or_disability: bools[9],
            days_since_looked_after,
            police_risk,
            hours_missing: t.hours_missing,
            missing_since: t.missing_since,
            returned_at: t.returned_at,
            now: t.now,
            episodes_28_days: windows[0].then_some(e28),
            episodes_90_days: windows[1].then_some(e28 + e90),
            episodes_12_months: windows[2].then_some(e28 + e90 + e12),
        };
        if case.returned_at.is_some() && case.returned == Some(false) {
            case.returned = Some(true);
        }
        case
    }
}

fn evaluations(case: &Case) -> Vec<Evaluation> {
    lib()
        .protocols
        .iter()
        .map(|p| evaluate(&p.protocol, case))
        .collect()
}

fn applying(e: &Evaluation) -> BTreeSet<String> {
    e.applying().map(|i| i.rule.to_string()).collect()
}

fn time(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("the engine writes RFC 3339")
}

/// The case with one of its unanswered questions answered (`which` picks the question, `pick`
/// the answer): the field's name and the new case, or None when `which` is answered already
/// or the answer would make the case invalid.
fn answered(case: &Case, which: usize, pick: u32) -> Option<(&'static str, Case)> {
    let mut c = case.clone();
    let field = match which {
        0..=9 => {
            let (name, field) = BoolField::ALL[which];
            if field.value(case).is_some() {
                return None;
            }
            field.set(&mut c, pick.is_multiple_of(2));
            name
        }
        10 => {
            if case.police_risk.is_some() {
                return None;
            }
            c.police_risk = Some(LEVELS[pick as usize % LEVELS.len()]);
            "police_risk"
        }
        11 => {
            if case.age.is_some() {
                return None;
            }
            c.age = Some(pick % 26);
            "age"
        }
        12 => {
            if case.hours().is_some() || case.missing_since.is_some() {
                return None;
            }
            let choices = [0.5, 1.0, 12.0, 24.0, 24.5, 48.0, 72.0, 73.0, 100.0, 400.0];
            c.hours_missing = Some(choices[pick as usize % choices.len()]);
            "hours_missing"
        }
        13 => {
            if case.days_since_looked_after.is_some() {
                return None;
            }
            c.days_since_looked_after = Some(pick % 40);
            "days_since_looked_after"
        }
        _ => {
            if case.episodes_28_days.is_some() {
                return None;
            }
            c.episodes_28_days = Some(1 + pick % 6);
            "episodes_28_days"
        }
    };
    c.check().is_empty().then_some((field, c))
}

proptest! {
    #![proptest_config(config())]

    /// Nothing is ever hidden by leaving a question blank: whatever applies once one more
    /// question is answered was, before, applying already or listed as depending on that
    /// question, with an answer that this one meets.
    #[test]
    fn answering_a_question_never_reveals_a_duty_that_was_hidden(
        case in case(), which in 0usize..15, pick in any::<u32>(),
    ) {
        let Some((field, after)) = answered(&case, which, pick) else { return Ok(()) };
        for p in &lib().protocols {
            let before = evaluate(&p.protocol, &case);
            let now = evaluate(&p.protocol, &after);
            for item in now.applying() {
                let was_applying = before.applying().any(|i| i.rule == item.rule);
                let was_waiting = before.depends.iter().filter(|i| i.rule == item.rule).any(|i| {
                    i.if_answered.iter().any(|alt| {
                        alt.iter().all(|a| a.need.field() == field && a.need.met_by(&after) == Some(true))
                    })
                });
                prop_assert!(
                    was_applying || was_waiting,
                    "{}: `{}` applies once {} is answered ({:?}), but before it was neither applying nor waiting on that answer (depends: {:?})",
                    p.id, item.rule, field, after, before.depends.iter().find(|i| i.rule == item.rule).map(|i| &i.if_answered)
                );
            }
        }
    }

    #[test]
    fn generated_cases_are_valid(case in case()) {
        prop_assert_eq!(case.check(), Vec::new());
        prop_assert_eq!(Case::from_json(&case.to_json()), Ok(case));
    }

    #[test]
    fn evaluation_never_panics_and_is_deterministic(case in case()) {
        let first = evaluations(&case);
        let again = evaluations(&case.clone());
        prop_assert_eq!(&first, &again);
        // The same case read back from its JSON gives the same answer.
        let read = Case::from_json(&case.to_json()).expect("valid");
        prop_assert_eq!(&first, &evaluations(&read));
    }

    #[test]
    fn every_deadline_is_at_or_after_its_event(case in case()) {
        for e in evaluations(&case) {
            let lists = [&e.classification, &e.actions, &e.considerations, &e.upcoming, &e.on_return];
            for item in lists.into_iter().flatten() {
                let Some(due) = item.due.as_deref().map(time) else { continue };
                let t = item.timescale.expect("a deadline comes from a timescale");
                let start = match t.from {
                    Event::Missing => case.missing_start(),
                    Event::Returned => case.returned_at,
                    _ => None,
                };
                let start = start.unwrap_or_else(|| panic!("{}: `{}` is due {due} but the time of its event is not known", e.protocol, item.rule));
                prop_assert!(due >= start, "{}: `{}` is due {} before its event {}", e.protocol, item.rule, due, start);
                if let Some(starts) = item.starts.as_ref().and_then(|s| s.time.as_deref()).map(time) {
                    let since = case.missing_start().expect("upcoming times need the start");
                    prop_assert!(starts >= since, "{}: `{}` starts {} before {}", e.protocol, item.rule, starts, since);
                }
            }
        }
    }

    #[test]
    fn no_working_day_deadline_is_a_weekend_or_bank_holiday(case in case()) {
        for e in evaluations(&case) {
            let lists = [&e.classification, &e.actions, &e.considerations, &e.upcoming];
            for item in lists.into_iter().flatten() {
                let (Some(due), Some(t)) = (item.due.as_deref().map(time), item.timescale) else { continue };
                if t.unit == Unit::WorkingDays {
                    prop_assert!(lib().holidays.is_working_day(due.date_naive()), "{}: `{}` is due on {}", e.protocol, item.rule, due);
                }
            }
        }
    }

    #[test]
    fn working_days_land_on_working_days(start in moment(), amount in 1u32..=30) {
        let t = Timescale { amount, unit: Unit::WorkingDays, from: Event::Missing };
        let due = deadline::add(start, &t, &lib().holidays).expect("in range");
        prop_assert!(due > start);
        prop_assert!(lib().holidays.is_working_day(due.date_naive()), "{start} + {amount} working days = {due}");
        // Exactly `amount` working days are passed over, counting the last.
        let mut d = deadline::to_london(start).date_naive();
        let mut counted = 0;
        while d < due.date_naive() {
            d = d.succ_opt().expect("a date");
            if lib().holidays.is_working_day(d) { counted += 1; }
        }
        prop_assert_eq!(counted, amount);
    }
}

/// Rules that stop applying when the police risk level goes up, by protocol: (protocol, rule,
/// why). Read from each rule's `when` in rules.toml: each names the lower levels it is for, and
/// the protocol has a rule for the higher level. The last test below checks that each one's
/// condition does name a police risk level.
const RISK_ALLOW: &[(&str, &str, &str)] = &[
    // Classifications that restate the police's level: at another level another applies.
    (
        "bexley",
        "risk-medium",
        "names the medium level; risk-high applies at high",
    ),
    (
        "staffordshire-stoke",
        "risk-low",
        "names the low level; the medium and high classifications take over",
    ),
    (
        "staffordshire-stoke",
        "risk-medium",
        "names the medium level; risk-high takes over",
    ),
    (
        "staffordshire-stoke",
        "risk-no-apparent-absent",
        "names no apparent risk; the low, medium and high classifications take over",
    ),
    // The same duty with a shorter timescale at high risk.
    (
        "bexley",
        "safe-well-other-3h",
        "`not = { police_risk = \"high\" }`: at high risk safe-well-high-1h (1 hour, not 3) applies",
    ),
    (
        "east-sussex",
        "strategy-discussion-lac-72h-low-medium",
        "`police_risk = [\"low\", \"medium\"]`: at high risk strategy-discussion-lac-24h-high (24 hours, not 72) applies",
    ),
    // An exception for low risk, which stops applying when the risk is higher: more is due.
    (
        "east-sussex",
        "rhi-exception-low-risk",
        "an exception (no RHI needed) for low risk and need only: above it the RHI duty stands",
    ),
    (
        "staffordshire-stoke",
        "basic-checks-before-reporting",
        "8.2: basic checks come first only where there is no apparent risk; at any other level the child is reported first (report-first-then-search).",
    ),
    (
        "staffordshire-stoke",
        "carer-record-no-apparent-risk",
        "8.8: the carer records an episode with no apparent risk; at a higher level the child is reported.",
    ),
    (
        "sutton",
        "absent-aged-13-or-over",
        "5-p4 and 5-p6: absent only at low or no apparent risk; at medium or high risk the child is missing (5-p5).",
    ),
    (
        "sutton",
        "absent-recategorise-within-24h",
        "As absent-aged-13-or-over: recategorising an absence only arises for an absent child.",
    ),
];

/// Rules that stop applying when there are more episodes: none. (No rule caps an episode count;
/// a rule that did would have to be listed here with its reason.)
const EPISODES_ALLOW: &[(&str, &str, &str)] = &[
    (
        "staffordshire-stoke",
        "escalation-meeting-3-in-90-days",
        "13.13-13.18: the meeting levels escalate; at 5 and at 9 episodes the next level's meeting applies instead.",
    ),
    (
        "staffordshire-stoke",
        "escalation-meeting-5-in-90-days",
        "As escalation-meeting-3-in-90-days: at 9 episodes the level 3 meeting applies instead.",
    ),
];

/// Duties that a child not looked after gets and the same child looked after does not. Each
/// rule's `when` says `looked_after = false`: it is the protocol's route for children missing
/// from home (reported by parents, referred through the MASH / front door, return interviews
/// through early help or youth services), and the protocol gives looked-after children their
/// own route (the placement reports, the social worker and IRO act, the care return interview).
const LOOKED_AFTER_ALLOW: &[(&str, &str, &str)] = &[
    (
        "bexley",
        "home-report-to-police",
        "missing from home: parents report; for a looked-after child care-missing-report-police-and-sw applies",
    ),
    (
        "bexley",
        "mash-contact-record",
        "the front door opens a contact for a child not known; a looked-after child is already open to CSC",
    ),
    (
        "bexley",
        "unsafe-home-strategy-24h",
        "unsafe to return home; a looked-after child has care-strategy-meeting-24h",
    ),
    (
        "bexley",
        "unsafe-home-s47",
        "follows unsafe-home-strategy-24h for a child living at home",
    ),
    (
        "bexley",
        "immediate-risk-interim-care",
        "interim care on return home: a looked-after child is already in care",
    ),
    (
        "bexley",
        "rhi-12-and-under-fws",
        "return interview route for under-13s missing from home; looked-after children are referred to NYAS (care-nyas-referral-24h)",
    ),
    (
        "bexley",
        "rhi-13-plus-tys-criteria",
        "return interview route for 13+ missing from home; looked-after children: NYAS",
    ),
    (
        "bexley",
        "rhi-13-plus-repeat-or-risk",
        "as rhi-13-plus-tys-criteria",
    ),
    (
        "bexley",
        "rhi-significant-harm-refer",
        "referral to CSC after a home return interview; a looked-after child is already open to CSC",
    ),
    (
        "bexley",
        "rhi-record-template",
        "the template is for interviews of children missing from home (paragraph 23)",
    ),
    (
        "east-sussex",
        "rhi-by-mash-not-open",
        "MASH does the RHI for children not open to children's social care; a looked-after child's is arranged by their social worker",
    ),
    (
        "wandsworth",
        "parents-report-missing",
        "missing from home: parents report; looked-after children have their own rules (sections 12 and 19)",
    ),
    (
        "wandsworth",
        "professional-supports-parent-to-report",
        "as parents-report-missing",
    ),
    (
        "wandsworth",
        "cin-cp-parent-notifies-police",
        "section 11 is for children in need and on plans living at home",
    ),
    (
        "wandsworth",
        "mash-manager-considers-report",
        "section 11.2: children not known to CSC",
    ),
    (
        "wandsworth",
        "s47-missing-strategy-meeting-3-days",
        "section 11.2: children not known to CSC",
    ),
    (
        "wandsworth",
        "strategy-discussion-over-24h",
        "section 11.2: children not known to CSC; looked-after children have section 19's strategy meetings",
    ),
    (
        "wandsworth",
        "cfa-two-or-more-in-28-days",
        "section 11.2: a Child and Family Assessment for a child not known to CSC",
    ),
    (
        "wandsworth",
        "police-referral-returned-within-24h",
        "section 11.2: a police referral for a child not known to CSC",
    ),
    (
        "bexley",
        "cse-refer-to-mash",
        "51: for a child not open to children's social care; a looked-after child is open, so 52 (cse-open-case-assessment) applies.",
    ),
    ("bexley", "cse-mash-referral-24h", "As cse-refer-to-mash."),
    (
        "sutton",
        "mash-risk-assessment-new-case",
        "9-p24: a new case gets a MASH risk assessment; an open case (a looked-after child's) gets a police triage instead.",
    ),
    (
        "wandsworth",
        "home-absence-discussed-by-social-worker",
        "22.1-p4: the discussion for a child living at home; a looked-after child's absence is discussed under lac-unauthorised-absence-discussed.",
    ),
    (
        "wandsworth",
        "safe-and-well-check-child-protection-issues",
        "23-p4: for a child returning home; a looked-after child returns to the placement.",
    ),
    (
        "wandsworth",
        "rhc-ask-child-who-good-practice",
        "24-p5: for a child missing from home.",
    ),
    (
        "wandsworth",
        "rhc-shared-with-trusted-professional",
        "24-p5: for a child missing from home.",
    ),
    (
        "wandsworth",
        "mash-checks-previous-reports",
        "11.2-p4: the MASH checks for a child not known to children's social care.",
    ),
];

fn allowed(list: &[(&str, &str, &str)], protocol: &str, rule: &str) -> bool {
    list.iter().any(|(p, r, _)| *p == protocol && *r == rule)
}

fn duties(e: &Evaluation) -> BTreeSet<String> {
    e.actions
        .iter()
        .chain(&e.upcoming)
        .chain(&e.on_return)
        .filter(|i| i.kind == Kind::Duty)
        .map(|i| i.rule.to_string())
        .collect()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_higher_risk_never_removes_an_escalation(case in case(), pair in prop::sample::subsequence(LEVELS.to_vec(), 2)) {
        // Two different levels, lower first.
        let (lower, higher) = (pair[0], pair[1]);
        let lo = Case { police_risk: Some(lower), ..case.clone() };
        let hi = Case { police_risk: Some(higher), ..case };
        for (a, b) in evaluations(&lo).iter().zip(&evaluations(&hi)) {
            for rule in applying(a).difference(&applying(b)) {
                prop_assert!(allowed(RISK_ALLOW, &a.protocol, rule), "{}: `{}` applies at {} risk but not at {}", a.protocol, rule, lower.name(), higher.name());
            }
        }
    }

    #[test]
    fn more_episodes_never_remove_an_escalation(case in case(), more in 1u32..=20) {
        let add = |n: Option<u32>| n.map(|n| n + more);
        let hi = Case {
            episodes_28_days: add(case.episodes_28_days),
            episodes_90_days: add(case.episodes_90_days),
            episodes_12_months: add(case.episodes_12_months),
            ..case.clone()
        };
        for (a, b) in evaluations(&case).iter().zip(&evaluations(&hi)) {
            for rule in applying(a).difference(&applying(b)) {
                prop_assert!(allowed(EPISODES_ALLOW, &a.protocol, rule), "{}: `{}` applies with fewer episodes but not with {} more", a.protocol, rule, more);
            }
        }
    }

    #[test]
    fn a_looked_after_child_never_gets_fewer_duties(case in case()) {
        let no = Case { looked_after: Some(false), ..case.clone() };
        let yes = Case { looked_after: Some(true), ..case };
        for (a, b) in evaluations(&no).iter().zip(&evaluations(&yes)) {
            for rule in duties(a).difference(&duties(b)) {
                prop_assert!(allowed(LOOKED_AFTER_ALLOW, &a.protocol, rule), "{}: `{}` is a duty for a child not looked after but not for the same child looked after", a.protocol, rule);
            }
        }
    }
}

/// Each allow-listed rule exists, and its own condition reads the field it is listed for.
#[test]
fn the_allow_lists_name_real_rules_that_read_the_field() {
    for (list, field) in [
        (RISK_ALLOW, "police risk"),
        (EPISODES_ALLOW, "missing episodes"),
        (LOOKED_AFTER_ALLOW, "not looked after"),
    ] {
        for (protocol, rule, reason) in list {
            assert!(!reason.is_empty());
            let p = lib()
                .get(protocol)
                .unwrap_or_else(|| panic!("no protocol {protocol}"));
            let r = p
                .protocol
                .rule(rule)
                .unwrap_or_else(|| panic!("{protocol} has no rule {rule}"));
            let words = r.when.words();
            assert!(
                words.contains(field),
                "{protocol}: `{rule}` ({words}) does not say `{field}`, so it is not allowed for it"
            );
        }
    }
}
