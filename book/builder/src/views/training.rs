//! Training cases: the worked cases of `scenarios.toml` as short stories in plain words, with
//! what the protocol says behind a disclosure and a link that opens the case in the checker.

use super::{esc, para_href};
use handbook_content::{Library, ProtocolContent};
use handbook_engine::case::Case;
use handbook_engine::load::{Scenario, THEMES};
use handbook_engine::model::{Kind, Rule};
use handbook_engine::share::to_fragment;
use std::fmt::Write as _;

/// The anchor of a case on its protocol's training page.
pub fn anchor(protocol: &str, scenario: &str) -> String {
    format!("case-{protocol}-{scenario}")
}

pub fn theme_words(theme: &str) -> &'static str {
    match theme {
        "looked-after" => "Looked after",
        "repeat-episodes" => "Repeat episodes",
        "young-children" => "Young children",
        "returned" => "Found or returned",
        "risk" => "Risk",
        "care-leaver" => "Care leavers",
        "uasc" => "Unaccompanied asylum-seeking children",
        "other-authority" => "Placed by another authority",
        _ => "Other",
    }
}

fn yes_no(v: Option<bool>, yes: &str, no: &str, out: &mut Vec<String>) {
    match v {
        Some(true) => out.push(yes.to_string()),
        Some(false) => out.push(no.to_string()),
        None => {}
    }
}

fn hours_words(h: f64) -> String {
    if h >= 48.0 && (h / 24.0).fract() == 0.0 {
        format!("{} days", h / 24.0)
    } else if h.fract() == 0.0 {
        format!("{h} hour{}", if h == 1.0 { "" } else { "s" })
    } else {
        format!("{h:.1} hours")
    }
}

/// The case as a short story in plain words, made only from its fields.
pub fn story(c: &Case) -> String {
    let mut s = Vec::new();
    // "An 8-year-old", "An 18-year-old", "A 15-year-old".
    let a_n = |a: u32| {
        if a == 8 || a == 11 || a == 18 || (80..90).contains(&a) {
            format!("An {a}")
        } else {
            format!("A {a}")
        }
    };
    let who = match (c.age, c.care_leaver, c.uasc) {
        (Some(a), Some(true), _) => format!("{}-year-old care leaver", a_n(a)),
        (Some(a), _, Some(true)) => {
            format!("{}-year-old unaccompanied asylum-seeking child", a_n(a))
        }
        (Some(a), _, _) => format!("{}-year-old", a_n(a)),
        (None, Some(true), _) => "A care leaver (age not given)".to_string(),
        (None, _, _) => "A child (age not given)".to_string(),
    };
    let missing = match (c.is_returned(), c.hours()) {
        (Some(true), Some(h)) => format!(
            "went missing and has now been found or come back, after {}",
            hours_words(h)
        ),
        (Some(true), None) => "went missing and has now been found or come back".to_string(),
        (_, Some(h)) => format!("has been missing for {}", hours_words(h)),
        (_, None) => "has gone missing".to_string(),
    };
    s.push(format!("{who} {missing}."));
    let mut facts = Vec::new();
    if c.care_leaver.is_none() || c.age.is_none() {
        yes_no(
            c.uasc,
            "is an unaccompanied asylum-seeking child",
            "is not an unaccompanied asylum-seeking child",
            &mut facts,
        );
    }
    yes_no(
        c.looked_after,
        "is looked after by the local authority",
        "is not looked after",
        &mut facts,
    );
    if let Some(d) = c.days_since_looked_after {
        facts.push(format!(
            "became looked after {d} day{} ago",
            if d == 1 { "" } else { "s" }
        ));
    }
    yes_no(
        c.placed_by_other_authority,
        "was placed here by another local authority",
        "was not placed by another authority",
        &mut facts,
    );
    yes_no(
        c.child_protection_plan,
        "is subject to a child protection plan",
        "is not on a child protection plan",
        &mut facts,
    );
    yes_no(
        c.child_in_need,
        "is a child in need",
        "is not known as a child in need",
        &mut facts,
    );
    yes_no(
        c.exploitation_concern,
        "is thought to be at risk of exploitation",
        "shows no sign of exploitation",
        &mut facts,
    );
    yes_no(
        c.sen_or_disability,
        "has special educational needs or a disability",
        "has no special educational needs or disability",
        &mut facts,
    );
    if !facts.is_empty() {
        let last = facts.pop().unwrap_or_default();
        let list = if facts.is_empty() {
            last
        } else {
            format!("{} and {last}", facts.join(", "))
        };
        let subject = if c.age.is_some_and(|a| a >= 18) {
            "The young person"
        } else {
            "The child"
        };
        s.push(format!("{subject} {list}."));
    }
    match c.whereabouts_known {
        Some(true) => s.push("Where they are is known.".to_string()),
        Some(false) => s.push("Nobody knows where they are.".to_string()),
        None => {}
    }
    if let Some(r) = c.police_risk {
        s.push(format!("The police have graded the risk as {}.", r.words()));
    }
    let counts: Vec<String> = [
        (c.episodes_28_days, "28 days"),
        (c.episodes_90_days, "90 days"),
        (c.episodes_12_months, "12 months"),
    ]
    .into_iter()
    .filter_map(|(n, window)| {
        let times = match n? {
            1 => "once".to_string(),
            2 => "twice".to_string(),
            n => format!("{n} times"),
        };
        Some(format!("{times} in the last {window}"))
    })
    .collect();
    if let Some((last, rest)) = counts.split_last() {
        let list = if rest.is_empty() {
            last.clone()
        } else {
            format!("{} and {last}", rest.join(", "))
        };
        s.push(format!(
            "Counting this time, they have gone missing {list}."
        ));
    }
    if let Some(t) = c.missing_since {
        s.push(format!(
            "They were reported missing at {}.",
            t.format("%H:%M on %-d %B %Y")
        ));
    }
    if let Some(t) = c.returned_at {
        s.push(format!(
            "They came back at {}.",
            t.format("%H:%M on %-d %B %Y")
        ));
    }
    if let Some(t) = c.now {
        s.push(format!("It is now {}.", t.format("%H:%M on %-d %B %Y")));
    }
    s.join(" ")
}

fn kind_words(k: Kind) -> &'static str {
    match k {
        Kind::Classification => "Classification",
        Kind::Duty => "Action",
        Kind::Consideration => "To consider",
    }
}

fn rule_item(p: &ProtocolContent, r: &Rule, root: &str) -> String {
    let mut s = format!(
        "<li><strong>{}:</strong> {}",
        kind_words(r.kind),
        esc(&r.text)
    );
    if let Some(w) = &r.who {
        let _ = write!(s, " <em>Who:</em> {}.", esc(w));
    }
    if let Some(t) = r.timescale {
        let _ = write!(s, " <em>When:</em> {}.", esc(&t.words()));
    }
    let _ = write!(
        s,
        "<blockquote>“{}” <a href=\"{}\">Paragraph {}</a></blockquote></li>",
        esc(&r.quote),
        esc(&para_href(p, root, &r.paragraph)),
        esc(&r.paragraph)
    );
    s
}

fn case_html(p: &ProtocolContent, sc: &Scenario, root: &str) -> String {
    let a = anchor(&p.id, &sc.id);
    let mut s = format!(
        "<section class=\"mcph-case\" id=\"{a}\" data-themes=\"{}\">\n\n## {}\n\n",
        esc(&sc.themes.join(" ")),
        sc.title.replace(['[', ']', '<', '>'], "")
    );
    if !sc.themes.is_empty() {
        let names: Vec<&str> = sc.themes.iter().map(|t| theme_words(t)).collect();
        let _ = writeln!(
            s,
            "<p class=\"mcph-themes\">Themes: {}</p>\n",
            names.join(", ")
        );
    }
    let _ = writeln!(s, "<p class=\"mcph-story\">{}</p>\n", esc(&story(&sc.case)));
    let _ = writeln!(
        s,
        "<p><a class=\"mcph-open-case\" href=\"{root}checker.html#{}\">Open this case in the checker</a></p>\n",
        esc(&to_fragment(&p.id, &sc.case))
    );
    s.push_str("<details class=\"mcph-answer\"><summary>Show what the protocol says</summary>");
    let lists: [(&str, &Vec<String>); 3] = [
        ("What applies now", &sc.present),
        (
            "What will apply if the child is still missing later",
            &sc.upcoming,
        ),
        ("What does not apply in this case", &sc.absent),
    ];
    for (label, ids) in lists {
        if ids.is_empty() {
            continue;
        }
        let _ = write!(s, "<p><strong>{label}</strong></p><ul>");
        for id in ids {
            if let Some(r) = p.protocol.rule(id) {
                s.push_str(&rule_item(p, r, root));
            }
        }
        s.push_str("</ul>");
    }
    s.push_str("</details>\n\n</section>\n\n");
    s
}

/// A protocol's training cases page.
pub fn page(p: &ProtocolContent, root: &str) -> String {
    let mut s = format!("# {}: training cases\n\n", p.meta.short_title);
    let _ = writeln!(
        s,
        "Each case is a worked example made from the handbook's test cases for this protocol: the story is written from the case's facts, and what the protocol says is the checker's answer, tested on every build. Try the case yourself first, then open \"Show what the protocol says\". [All training cases by theme]({root}views/training.md).\n"
    );
    for sc in &p.scenarios {
        s.push_str(&case_html(p, sc, root));
    }
    s
}

/// The index of training cases by theme, across the protocols.
pub fn index(lib: &Library, root: &str) -> String {
    let mut s = String::from(
        "# Training cases by theme\n\nTrainers can pick worked cases by theme or by protocol. Each case opens on its protocol's training page, where it can also be opened in the quick checker.\n\n## By protocol\n\n",
    );
    for p in &lib.protocols {
        let _ = writeln!(
            s,
            "- [{}]({root}protocols/{}/training.md): {} cases",
            p.meta.short_title,
            p.id,
            p.scenarios.len()
        );
    }
    s.push('\n');
    for theme in THEMES {
        let _ = writeln!(s, "## {}\n", theme_words(theme));
        let mut any = false;
        for p in &lib.protocols {
            for sc in p
                .scenarios
                .iter()
                .filter(|sc| sc.themes.iter().any(|t| t == theme))
            {
                any = true;
                let _ = writeln!(
                    s,
                    "- {}: <a href=\"{root}protocols/{}/training.html#{}\">{}</a>",
                    p.meta.short_title,
                    p.id,
                    anchor(&p.id, &sc.id),
                    esc(&sc.title)
                );
            }
        }
        if !any {
            s.push_str("No case has this theme yet.\n");
        }
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_story_is_made_from_the_case_alone() {
        let c = Case::from_json_str(
            r#"{"age": 18, "care_leaver": true, "returned": false, "hours_missing": 50, "whereabouts_known": false, "episodes_28_days": 2, "episodes_90_days": 3}"#,
        )
        .expect("a case");
        assert_eq!(
            story(&c),
            "An 18-year-old care leaver has been missing for 50 hours. Nobody knows where they are. Counting this time, they have gone missing twice in the last 28 days and 3 times in the last 90 days."
        );
    }
}
