//! The quick checker in a real headless Chromium, against the built site served on loopback.

mod support;

use fantoccini::{Client, Locator};
use handbook_engine::case::{Case, PoliceRisk};
use handbook_engine::evaluate;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::Duration;
use support::*;

/// What a reader answers on the form. "" means "Not sure" / "Not known" / left blank.
#[derive(Clone, Copy, Debug)]
struct Answers {
    age: &'static str,
    looked_after: &'static str,
    returned: &'static str,
    whereabouts: &'static str,
    hours: &'static str,
    episodes: &'static str,
    risk: &'static str,
}

const CASES: [Answers; 7] = [
    Answers {
        age: "12",
        looked_after: "",
        returned: "no",
        whereabouts: "no",
        hours: "2",
        episodes: "",
        risk: "medium",
    },
    Answers {
        age: "15",
        looked_after: "yes",
        returned: "no",
        whereabouts: "no",
        hours: "25",
        episodes: "1",
        risk: "high",
    },
    Answers {
        age: "15",
        looked_after: "no",
        returned: "no",
        whereabouts: "",
        hours: "49",
        episodes: "3",
        risk: "medium",
    },
    Answers {
        age: "16",
        looked_after: "no",
        returned: "yes",
        whereabouts: "",
        hours: "10",
        episodes: "2",
        risk: "low",
    },
    Answers {
        age: "13",
        looked_after: "yes",
        returned: "yes",
        whereabouts: "",
        hours: "73",
        episodes: "3",
        risk: "high",
    },
    Answers {
        age: "17",
        looked_after: "no",
        returned: "no",
        whereabouts: "yes",
        hours: "24",
        episodes: "1",
        risk: "no-apparent-risk",
    },
    Answers {
        age: "18",
        looked_after: "yes",
        returned: "no",
        whereabouts: "no",
        hours: "30",
        episodes: "",
        risk: "",
    },
];

impl Answers {
    /// The case the engine gets for these answers.
    fn case(&self) -> Case {
        let yes_no = |s: &str| match s {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        };
        Case {
            age: self.age.parse().ok(),
            looked_after: yes_no(self.looked_after),
            returned: yes_no(self.returned),
            whereabouts_known: if self.returned == "yes" {
                None
            } else {
                yes_no(self.whereabouts)
            },
            hours_missing: self.hours.parse().ok(),
            episodes_28_days: self.episodes.parse().ok(),
            police_risk: PoliceRisk::parse(self.risk),
            ..Case::default()
        }
    }
}

const READY: &str = "return document.documentElement.dataset.checker === 'ready'";

async fn open_checker(c: &Client, base: &str) {
    goto(c, &format!("{base}checker.html")).await;
    wait_until(c, "the checker starts", READY, Duration::from_secs(20)).await;
}

async fn fill(c: &Client, protocol: &str, a: &Answers) {
    let select = within(
        "finding the protocol list",
        c.find(Locator::Css("#mcph-protocol")),
    )
    .await;
    within("choosing the protocol", select.select_by_value(protocol)).await;
    type_into(c, "#mcph-age", a.age).await;
    click(
        c,
        &format!("input[name=looked_after][value='{}']", a.looked_after),
    )
    .await;
    click(c, &format!("input[name=returned][value='{}']", a.returned)).await;
    if a.returned != "yes" {
        click(
            c,
            &format!("input[name=whereabouts_known][value='{}']", a.whereabouts),
        )
        .await;
    }
    type_into(c, "#mcph-hours", a.hours).await;
    type_into(c, "#mcph-episodes", a.episodes).await;
    click(c, &format!("input[name=police_risk][value='{}']", a.risk)).await;
}

/// Asks for the result, and waits (with a limit) for the element with `id` to appear.
async fn submit(c: &Client, id: &str) {
    click(c, ".mcph-buttons button[type=submit]").await;
    wait_until(
        c,
        &format!("#{id} appears"),
        &format!("return !!document.getElementById('{id}')"),
        Duration::from_secs(10),
    )
    .await;
}

/// The result as shown: section -> [(rule, text, link)].
async fn shown(c: &Client) -> Value {
    js(
        c,
        r#"const out = {};
        document.querySelectorAll('.mcph-result [data-section]').forEach(s => {
          if (s.dataset.section === 'contradictions') {
            out.contradictions = [...s.querySelectorAll('li[data-rules]')].map(li => li.dataset.rules.split(' '));
            return;
          }
          out[s.dataset.section] = [...s.querySelectorAll('li[data-rule]')].map(li => [
            li.dataset.rule,
            li.querySelector('.mcph-item__text').textContent,
            li.querySelector('details a').getAttribute('href')]);
        });
        return out;"#,
    )
    .await
}

fn expected(eval: &handbook_engine::Evaluation) -> Value {
    let list = |items: &[handbook_engine::Item]| {
        items
            .iter()
            .map(|i| json!([i.rule, i.text, i.link]))
            .collect::<Vec<_>>()
    };
    let mut out = serde_json::Map::new();
    for (key, items) in [
        ("classification", &eval.classification),
        ("actions", &eval.actions),
        ("upcoming", &eval.upcoming),
        ("considerations", &eval.considerations),
    ] {
        if !items.is_empty() {
            out.insert(key.to_string(), Value::Array(list(items)));
        }
    }
    if !eval.contradictions.is_empty() {
        let pairs: Vec<Value> = eval.contradictions.iter().map(|c| json!(c.rules)).collect();
        out.insert("contradictions".to_string(), Value::Array(pairs));
    }
    Value::Object(out)
}

/// Where two results differ, section by section, for a readable failure.
fn difference(got: &Value, want: &Value) -> String {
    let mut out = String::new();
    let keys: BTreeSet<&String> = got
        .as_object()
        .into_iter()
        .chain(want.as_object())
        .flat_map(|o| o.keys())
        .collect();
    for k in keys {
        let g = got.get(k).cloned().unwrap_or(json!([]));
        let w = want.get(k).cloned().unwrap_or(json!([]));
        if g != w {
            let ids = |v: &Value| -> Vec<String> {
                v.as_array()
                    .into_iter()
                    .flatten()
                    .map(|i| i[0].to_string())
                    .collect()
            };
            out.push_str(&format!(
                "{k}:\n  page:   {:?}\n  engine: {:?}\n",
                ids(&g),
                ids(&w)
            ));
            for (a, b) in g
                .as_array()
                .into_iter()
                .flatten()
                .zip(w.as_array().into_iter().flatten())
            {
                if a != b {
                    out.push_str(&format!(
                        "  first difference:\n    page:   {a}\n    engine: {b}\n"
                    ));
                    break;
                }
            }
        }
    }
    out
}

/// True when the built page a link points at has the anchor it names.
fn anchor_exists(link: &str) -> bool {
    let Some((page, anchor)) = link.split_once('#') else {
        return false;
    };
    std::fs::read_to_string(site().join(page))
        .map(|html| html.contains(&format!("id=\"{anchor}\"")))
        .unwrap_or(false)
}

#[test]
fn the_checker_gives_the_engines_answers_for_every_protocol() {
    let lib = library();
    assert!(!lib.protocols.is_empty(), "no protocols to check");
    browser_test("checker answers", 1280, 900, |c, base| async move {
        open_checker(&c, &base).await;
        let mut links = BTreeSet::new();
        let mut compared = 0;
        for p in &lib.protocols {
            for a in &CASES {
                fill(&c, &p.id, a).await;
                submit(&c, "mcph-result-heading").await;
                let got = shown(&c).await;
                let want = expected(&evaluate(&p.protocol, &a.case()));
                assert!(
                    got == want,
                    "{} with {a:?}: the page and the engine differ\n{}",
                    p.id,
                    difference(&got, &want)
                );
                for section in got.as_object().into_iter().flat_map(|o| o.values()) {
                    for item in section.as_array().into_iter().flatten() {
                        if let Some(l) = item.get(2).and_then(Value::as_str) {
                            links.insert(l.to_string());
                        }
                    }
                }
                compared += 1;
            }
        }
        assert!(compared >= 5, "only {compared} cases compared");
        println!(
            "{compared} cases compared with the engine; {} distinct paragraph links",
            links.len()
        );
        let broken: Vec<&String> = links.iter().filter(|l| !anchor_exists(l)).collect();
        assert!(
            broken.is_empty(),
            "links to paragraphs that do not exist: {broken:?}"
        );
        // Follow one link as a reader would, and land on the paragraph.
        if let Some(link) = links.iter().next() {
            goto(&c, &format!("{base}{link}")).await;
            assert_eq!(
                js(
                    &c,
                    "return !!document.getElementById(decodeURIComponent(location.hash.slice(1)))"
                )
                .await,
                json!(true),
                "{link}"
            );
        }
        c
    })
}

#[test]
fn mistakes_get_an_error_summary_and_nothing_is_lost() {
    let lib = library();
    let first = lib
        .protocols
        .first()
        .map(|p| p.id.clone())
        .unwrap_or_default();
    browser_test("errors", 1280, 900, |c, base| async move {
        open_checker(&c, &base).await;
        let title = within("reading the title", c.title()).await;
        submit(&c, "mcph-error-summary").await;
        assert_eq!(
            js(&c, "return document.activeElement.id").await,
            json!("mcph-error-summary"),
            "focus moves to the summary"
        );
        assert_eq!(
            within("reading the title", c.title()).await,
            format!("Error: {title}")
        );
        let summary = js(&c, "return [...document.querySelectorAll('.mcph-error-summary a')].map(a => [a.getAttribute('href'), a.textContent])").await;
        assert_eq!(
            summary,
            json!([
                ["#mcph-protocol", "Select the protocol to check against"],
                ["#mcph-age", "Enter the child's age"]
            ])
        );
        assert_eq!(
            js(
                &c,
                "return document.querySelector('h2.mcph-error-summary__title').textContent"
            )
            .await,
            json!("There is a problem")
        );
        // The summary's link takes the reader to the field.
        click(&c, ".mcph-error-summary a[href='#mcph-age']").await;
        assert_eq!(
            js(&c, "return document.activeElement.id").await,
            json!("mcph-age")
        );

        let select = within(
            "finding the protocol list",
            c.find(Locator::Css("#mcph-protocol")),
        )
        .await;
        within("choosing the protocol", select.select_by_value(&first)).await;
        type_into(&c, "#mcph-age", "fifteen").await;
        type_into(&c, "#mcph-hours", "a day").await;
        click(&c, ".mcph-buttons button[type=submit]").await;
        wait_until(
            &c,
            "the new errors",
            "return document.querySelectorAll('.mcph-error-summary a').length === 2",
            Duration::from_secs(10),
        )
        .await;
        let inline = js(&c, "return [document.getElementById('mcph-age-error').textContent, document.getElementById('mcph-hours-error').textContent]").await;
        assert_eq!(
            inline,
            json!([
                "Error: Age must be a whole number, like 15",
                "Error: Hours missing must be a number, like 26 or 2.5"
            ])
        );
        assert_eq!(js(&c, "return [document.getElementById('mcph-age').value, document.getElementById('mcph-hours').value, document.getElementById('mcph-protocol').value]").await, json!(["fifteen", "a day", first]), "what was typed is kept");
        screenshot(&c, "checker-error-1280.png").await;

        // Arrow keys in the form belong to the form, not to mdBook's chapter navigation.
        click(&c, "input[name=looked_after][value='yes']").await;
        let radio = within(
            "finding a radio",
            c.find(Locator::Css("input[name=looked_after][value='yes']")),
        )
        .await;
        within("pressing the right arrow", radio.send_keys("\u{E014}")).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let url = within("reading the address", c.current_url()).await;
        assert!(
            url.path().ends_with("/checker.html"),
            "an arrow key left the page: {url}"
        );
        assert_eq!(
            js(&c, "return document.getElementById('mcph-age').value").await,
            json!("fifteen")
        );
        c
    })
}

#[test]
fn the_checker_on_a_phone() {
    let lib = library();
    let first = lib
        .protocols
        .first()
        .map(|p| p.id.clone())
        .unwrap_or_default();
    browser_test("phone", 390, 844, |c, base| async move {
        open_checker(&c, &base).await;
        let overflow = js(
            &c,
            "return document.documentElement.scrollWidth > window.innerWidth",
        )
        .await;
        assert_eq!(
            overflow,
            json!(false),
            "the page scrolls sideways at 390 px"
        );
        screenshot(&c, "checker-empty-390.png").await;
        fill(&c, &first, &CASES[1]).await;
        submit(&c, "mcph-result-heading").await;
        assert_eq!(
            js(&c, "return document.activeElement.id").await,
            json!("mcph-result-heading"),
            "focus moves to the result"
        );
        screenshot(&c, "checker-result-390.png").await;
        c
    })
}
