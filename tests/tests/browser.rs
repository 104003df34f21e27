//! The quick checker in a real headless Chromium, against the built site served on loopback.

mod support;

use fantoccini::{Client, Locator};
use handbook_book::postprocess::{UNUSED_CLASSES, UNUSED_ELEMENTS};
use handbook_content::ProtocolContent;
use handbook_engine::case::Case;
use handbook_engine::{Evaluation, Item, evaluate};
use handbook_web::form::{Asked, QUESTIONS};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::Duration;
use support::*;

const READY: &str = "return document.documentElement.dataset.checker === 'ready'";
const RESULT: &str = "mcph-result-heading";
const SUMMARY: &str = "mcph-error-summary";

async fn open_checker(c: &Client, base: &str) {
    goto(c, &format!("{base}checker.html")).await;
    wait_until(c, "the checker starts", READY, Duration::from_secs(20)).await;
}

async fn choose_protocol(c: &Client, protocol: &str) {
    let select = within(
        "finding the protocol list",
        c.find(Locator::Css("#mcph-protocol")),
    )
    .await;
    within("choosing the protocol", select.select_by_value(protocol)).await;
    wait_until(
        c,
        "the protocol's questions appear",
        "return !!document.getElementById('mcph-age')",
        Duration::from_secs(10),
    )
    .await;
}

async fn radio(c: &Client, name: &str, value: &str) {
    click(c, &format!("input[name={name}][value='{value}']")).await;
}

fn yes_no(v: Option<bool>) -> Option<&'static str> {
    v.map(|b| if b { "yes" } else { "no" })
}

async fn open_more(c: &Client) {
    if js(
        c,
        "const d = document.getElementById('mcph-more'); return !!d && !d.open",
    )
    .await
        == json!(true)
    {
        click(c, "#mcph-more > summary").await;
    }
}

/// Answers a radio question where it is: on the main form, or behind "More" (opened first).
async fn answer(c: &Client, name: &str, value: &str) {
    let hidden = format!(
        "const i = document.querySelector(\"input[name={name}]\"); const d = document.getElementById('mcph-more'); return !!d && !!i && d.contains(i) && !d.open"
    );
    if js(c, &hidden).await == json!(true) {
        open_more(c).await;
    }
    radio(c, name, value).await;
}

/// Types a case into the form, as a reader would: the protocol first, then each answer.
/// The case must use only questions the protocol asks, and give time as hours.
async fn fill_case(c: &Client, protocol: &str, case: &Case) {
    click(c, ".mcph-form .mcph-button--secondary").await;
    choose_protocol(c, protocol).await;
    if let Some(a) = case.age {
        type_into(c, "#mcph-age", &a.to_string()).await;
    }
    if let Some(v) = yes_no(case.returned) {
        radio(c, "returned", v).await;
    }
    if let Some(h) = case.hours_missing {
        radio(c, "time_mode", "hours").await;
        type_into(c, "#mcph-hours", &handbook_engine::condition::fmt_num(h)).await;
    }
    for (field, value, id) in [
        (
            "episodes_28_days",
            case.episodes_28_days,
            "#mcph-episodes-28",
        ),
        (
            "episodes_90_days",
            case.episodes_90_days,
            "#mcph-episodes-90",
        ),
        (
            "episodes_12_months",
            case.episodes_12_months,
            "#mcph-episodes-12m",
        ),
    ] {
        if let Some(n) = value {
            let _ = field;
            type_into(c, id, &n.to_string()).await;
        }
    }
    if let Some(r) = case.police_risk {
        answer(c, "police_risk", r.name()).await;
    }
    let json = case.to_json();
    for q in QUESTIONS {
        if let Some(v) = json.get(q.field).and_then(Value::as_bool) {
            answer(c, q.field, if v { "yes" } else { "no" }).await;
        }
    }
    if let Some(d) = case.days_since_looked_after {
        open_more(c).await;
        type_into(c, "#mcph-days-looked-after", &d.to_string()).await;
    }
}

/// Asks for the result, and waits (with a limit) for the element with `id` to appear.
async fn submit(c: &Client, id: &str) {
    click(c, ".mcph-form button[type=submit]").await;
    wait_until(
        c,
        &format!("#{id} appears"),
        &format!("return !!document.getElementById('{id}')"),
        Duration::from_secs(10),
    )
    .await;
}

/// The result as shown, for one protocol's block: section -> [[rule, text, link, due]].
const SHOWN: &str = r#"const block = arguments[0] ? document.querySelector(`.mcph-protocol-result[data-protocol="${arguments[0]}"]`) : document.querySelector('.mcph-protocol-result');
    const out = {};
    block.querySelectorAll('[data-section]').forEach(s => {
      if (s.dataset.section === 'contradictions') {
        out.contradictions = [...s.querySelectorAll('li[data-rules]')].map(li => li.dataset.rules.split(' '));
        return;
      }
      out[s.dataset.section] = [...s.querySelectorAll('li[data-rule]')].map(li => [
        li.dataset.rule,
        li.querySelector('.mcph-item__text').textContent,
        li.querySelector('details a').getAttribute('href'),
        li.dataset.due || null]);
    });
    return out;"#;

async fn shown(c: &Client, protocol: Option<&str>) -> Value {
    within(
        "reading the result",
        c.execute(SHOWN, vec![json!(protocol)]),
    )
    .await
}

fn expected(eval: &Evaluation) -> Value {
    let line = |i: &Item| json!([i.rule, i.text, i.link, i.due]);
    let list = |items: &[Item]| items.iter().map(line).collect::<Vec<_>>();
    let mut out = serde_json::Map::new();
    // The actions as the result lays them out (for no one in particular): what to do now,
    // then the rest by phase, each line standing for the duties it merges.
    for part in handbook_web::summary::layout(eval, "") {
        let lines: Vec<Value> = part.entries().map(|x| line(&x.item)).collect();
        out.insert(part.key.to_string(), Value::Array(lines));
    }
    // What depends is shown grouped by the question that settles it.
    let waiting: Vec<Item> = handbook_web::summary::waiting(eval, "")
        .into_iter()
        .flat_map(|g| g.items.into_iter().cloned())
        .collect();
    for (key, items) in [
        ("classification", &eval.classification),
        ("depends", &waiting),
        ("upcoming", &eval.upcoming),
        ("on-return", &eval.on_return),
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
            out.push_str(&format!("{k}:\n  page:   {g}\n  engine: {w}\n"));
        }
    }
    out
}

fn assert_same(got: &Value, want: &Value, what: &str) {
    assert!(
        got == want,
        "{what}: the page and the engine differ\n{}",
        difference(got, want)
    );
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

/// Worked cases a reader can type into the form for this protocol: time given as hours, and
/// every answer one the protocol's form asks. Spread over the file, at most `n`.
fn typeable(p: &ProtocolContent, n: usize) -> Vec<(String, Case)> {
    let asked = Asked::for_protocols([&p.protocol]);
    let all: Vec<(String, Case)> = p
        .scenarios
        .iter()
        .filter(|s| {
            let c = &s.case;
            c.missing_since.is_none()
                && c.returned_at.is_none()
                && c.now.is_none()
                && !(c.is_returned() == Some(true) && c.whereabouts_known.is_some())
                && c.to_json()
                    .as_object()
                    .is_some_and(|o| o.keys().all(|k| asked.asks(k)))
        })
        .map(|s| (s.id.clone(), s.case.clone()))
        .collect();
    let step = (all.len() / n.max(1)).max(1);
    all.into_iter().step_by(step).take(n).collect()
}

#[test]
fn worked_cases_typed_into_the_form_give_the_engines_answers() {
    let lib = library();
    assert!(!lib.protocols.is_empty(), "no protocols to check");
    browser_test("checker answers", 1280, 900, |c, base| async move {
        open_checker(&c, &base).await;
        let mut links = BTreeSet::new();
        for p in &lib.protocols {
            let cases = typeable(p, 4);
            assert!(
                cases.len() >= 3,
                "{}: only {} worked cases can be typed into the form",
                p.id,
                cases.len()
            );
            for (id, case) in &cases {
                fill_case(&c, &p.id, case).await;
                submit(&c, RESULT).await;
                let got = shown(&c, None).await;
                assert_same(
                    &got,
                    &expected(&evaluate(&p.protocol, case)),
                    &format!("{} worked case {id}", p.id),
                );
                for section in got.as_object().into_iter().flat_map(|o| o.values()) {
                    for item in section.as_array().into_iter().flatten() {
                        if let Some(l) = item.get(2).and_then(Value::as_str) {
                            links.insert(l.to_string());
                        }
                    }
                }
            }
            println!("{}: {} worked cases typed and matched", p.id, cases.len());
        }
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

async fn type_date(c: &Client, id: &str, d: [&str; 4]) {
    type_into(c, &format!("#{id}-day"), d[0]).await;
    type_into(c, &format!("#{id}-month"), d[1]).await;
    type_into(c, &format!("#{id}-year"), d[2]).await;
    type_into(c, &format!("#{id}-time"), d[3]).await;
}

#[test]
fn dates_and_times_give_uk_deadlines_across_the_clock_change() {
    let lib = library();
    browser_test("dates", 1280, 900, |c, base| async move {
        open_checker(&c, &base).await;
        // Missing from 10am on Friday 24 October 2025 (BST) until 11am on Saturday 25 October;
        // the clocks went back at 2am on Sunday 26 October.
        let case = Case::from_json_str(
            r#"{"age": 15, "looked_after": true, "returned": true,
                "missing_since": "2025-10-24T10:00:00+01:00", "returned_at": "2025-10-25T11:00:00+01:00"}"#,
        )
        .expect("case");
        let mut across = 0;
        for p in &lib.protocols {
            click(&c, ".mcph-form .mcph-button--secondary").await;
            choose_protocol(&c, &p.id).await;
            type_into(&c, "#mcph-age", "15").await;
            answer(&c, "looked_after", "yes").await;
            radio(&c, "returned", "yes").await;
            radio(&c, "time_mode", "dates").await;
            type_date(&c, "mcph-since", ["24", "10", "2025", "10am"]).await;
            type_date(&c, "mcph-back", ["25", "10", "2025", "11:00"]).await;
            submit(&c, RESULT).await;
            let got = shown(&c, None).await;
            let want = evaluate(&p.protocol, &case);
            assert_same(&got, &expected(&want), &format!("{} with dates", p.id));
            // Every 72-hour deadline from the return falls at 10am GMT, not 11am.
            for item in want.applying() {
                if let (Some(due), Some(t)) = (&item.due_words, &item.timescale)
                    && t.amount == 72
                    && t.unit == handbook_engine::Unit::Hours
                {
                    assert_eq!(due, "10am on Tuesday 28 October 2025", "{}", item.rule);
                    let text = js(
                        &c,
                        &format!(
                            "return document.querySelector('li[data-rule=\"{}\"]').textContent",
                            item.rule
                        ),
                    )
                    .await;
                    assert!(
                        text.as_str().unwrap_or_default().contains(due.as_str()),
                        "{}: the page does not say {due}",
                        item.rule
                    );
                    across += 1;
                }
            }
        }
        assert!(
            across > 0,
            "no protocol has a 72-hour timescale from the return"
        );
        println!("{across} deadlines of 72 hours checked across the clock change");
        c
    })
}

async fn summary_links(c: &Client) -> Value {
    js(c, "return [...document.querySelectorAll('.mcph-error-summary a')].map(a => [a.getAttribute('href'), a.textContent])").await
}

async fn submit_errors(c: &Client) {
    click(c, ".mcph-form button[type=submit]").await;
    wait_until(
        c,
        "the error summary appears",
        &format!("return !!document.getElementById('{SUMMARY}')"),
        Duration::from_secs(10),
    )
    .await;
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
        submit_errors(&c).await;
        assert_eq!(
            js(&c, "return document.activeElement.id").await,
            json!(SUMMARY),
            "focus moves to the summary"
        );
        assert_eq!(
            within("reading the title", c.title()).await,
            format!("Error: {title}")
        );
        assert_eq!(
            summary_links(&c).await,
            json!([["#mcph-protocol", "Select the protocol to check against"]])
        );
        assert_eq!(
            js(
                &c,
                "return document.querySelector('h2.mcph-error-summary__title').textContent"
            )
            .await,
            json!("There is a problem")
        );

        choose_protocol(&c, &first).await;
        submit_errors(&c).await;
        assert_eq!(
            summary_links(&c).await,
            json!([["#mcph-age", "Enter the child's age"]])
        );
        // The summary's link takes the reader to the field.
        click(&c, ".mcph-error-summary a[href='#mcph-age']").await;
        assert_eq!(
            js(&c, "return document.activeElement.id").await,
            json!("mcph-age")
        );

        for (age, message) in [
            ("fifteen", "Age must be a whole number, like 15"),
            ("26", "Age must be 25 or under"),
        ] {
            type_into(&c, "#mcph-age", age).await;
            submit_errors(&c).await;
            assert_eq!(summary_links(&c).await, json!([["#mcph-age", message]]));
            assert_eq!(
                js(
                    &c,
                    "return document.getElementById('mcph-age-error').textContent"
                )
                .await,
                json!(format!("Error: {message}")),
                "the field shows the same message"
            );
        }

        // Dates.
        type_into(&c, "#mcph-age", "15").await;
        radio(&c, "returned", "yes").await;
        radio(&c, "time_mode", "dates").await;
        type_date(&c, "mcph-since", ["31", "2", "2025", "9pm"]).await;
        submit_errors(&c).await;
        assert_eq!(
            summary_links(&c).await,
            json!([["#mcph-since-day", "Enter a real date"]])
        );
        let tomorrow = chrono::Utc::now().date_naive() + chrono::Duration::days(2);
        let (d, m, y) = (
            tomorrow.format("%-d").to_string(),
            tomorrow.format("%-m").to_string(),
            tomorrow.format("%Y").to_string(),
        );
        type_date(&c, "mcph-since", [&d, &m, &y, "9pm"]).await;
        submit_errors(&c).await;
        assert_eq!(
            summary_links(&c).await,
            json!([[
                "#mcph-since-day",
                "The date the child went missing must be today or in the past"
            ]])
        );
        type_date(&c, "mcph-since", ["24", "10", "2025", "9pm"]).await;
        type_date(&c, "mcph-back", ["23", "10", "2025", "9pm"]).await;
        submit_errors(&c).await;
        assert_eq!(
            summary_links(&c).await,
            json!([[
                "#mcph-back-day",
                "The date the child was found or came back must be the same as or after the date the child went missing"
            ]])
        );
        assert_eq!(
            js(
                &c,
                "return document.getElementById('mcph-back-date-error').textContent"
            )
            .await,
            json!(
                "Error: The date the child was found or came back must be the same as or after the date the child went missing"
            )
        );
        assert_eq!(
            js(&c, "return ['mcph-age', 'mcph-since-day', 'mcph-since-time', 'mcph-back-day', 'mcph-protocol'].map(id => document.getElementById(id).value)").await,
            json!(["15", "24", "9pm", "23", first]),
            "what was typed is kept"
        );
        assert_eq!(
            js(
                &c,
                "return document.querySelector('input[name=returned][value=yes]').checked"
            )
            .await,
            json!(true)
        );
        screenshot(&c, "checker-error-dates-1280.png").await;

        // Keys pressed in the form are the form's: mdBook's arrow-key chapter navigation and
        // its s, / and ? shortcuts must not fire.
        let radio_el = within(
            "finding a radio",
            c.find(Locator::Css("input[name=returned][value='yes']")),
        )
        .await;
        within("pressing the right arrow", radio_el.send_keys("\u{E014}")).await;
        let button = within(
            "finding a button",
            c.find(Locator::Css(".mcph-form button[type=submit]")),
        )
        .await;
        within(
            "pressing the left arrow on a button",
            button.send_keys("\u{E012}"),
        )
        .await;
        type_into(&c, "#mcph-age", "s/?").await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let url = within("reading the address", c.current_url()).await;
        assert!(
            url.path().ends_with("/checker.html"),
            "an arrow key left the page: {url}"
        );
        assert_eq!(
            js(&c, "const s = document.getElementById('mdbook-search-wrapper'); return [document.getElementById('mcph-age').value, document.getElementById('mcph-since-day').value, !!s && !s.classList.contains('hidden')]").await,
            json!(["s/?", "24", false]),
            "the half-filled form is still there and search did not open"
        );

        // 18 or over is not an error: the result says what the protocol covers.
        type_into(&c, "#mcph-age", "19").await;
        radio(&c, "time_mode", "unsure").await;
        submit(&c, RESULT).await;
        let notice = js(
            &c,
            "return document.querySelector('.mcph-protocol-result .mcph-notice').textContent",
        )
        .await;
        assert!(
            notice
                .as_str()
                .unwrap_or_default()
                .contains("applies to children under 18"),
            "{notice}"
        );
        c
    })
}

/// Resource URLs the page has fetched so far. The browser's own request for the site's icon
/// comes whenever the browser likes after the page has loaded, so it is left out.
const RESOURCES: &str = r#"return performance.getEntriesByType('resource').map(e => e.name)
    .filter(n => !/\/favicon-[0-9a-f]+\.(png|svg)$/.test(n))
    .concat([location.href.split('#')[0]])"#;

/// Everything the browser may keep for the site: cookies, storage, databases, caches.
const STORED: &str = r#"const done = arguments[arguments.length - 1];
    (async () => {
      const dbs = indexedDB.databases ? (await indexedDB.databases()).map(d => d.name) : [];
      const caches_ = self.caches ? await caches.keys() : [];
      const ls = Object.keys(localStorage).map(k => k + '=' + localStorage.getItem(k));
      const ss = Object.keys(sessionStorage).map(k => k + '=' + sessionStorage.getItem(k));
      return { cookie: document.cookie, local: ls, session: ss, indexeddb: dbs, caches: caches_ };
    })().then(done, e => done({ error: String(e) }));"#;

#[test]
fn compare_copy_share_and_nothing_kept_or_sent() {
    let lib = library();
    let protocols: Vec<_> = lib.protocols.iter().map(|p| p.protocol.clone()).collect();
    let Some(first) = lib.protocols.iter().find(|p| typeable(p, 1).len() == 1) else {
        panic!("no protocol has a typeable worked case");
    };
    let (_, case) = typeable(first, 1).remove(0);
    let first_id = first.id.clone();
    browser_test("compare and share", 1280, 900, |c, base| async move {
        open_checker(&c, &base).await;
        let timing = js(&c, "const n = performance.getEntriesByType('navigation')[0]; const r = performance.getEntriesByName('mcph-checker-ready')[0]; const bytes = performance.getEntriesByType('resource').reduce((s, e) => s + e.transferSize, n.transferSize); return [r ? r.startTime : null, bytes]").await;
        println!(
            "checker ready {} ms after navigation start; {} bytes transferred for the first load",
            timing[0], timing[1]
        );
        assert!(timing[0].is_number(), "the checker marks when it is ready");
        let loaded = js(&c, RESOURCES).await;

        fill_case(&c, &first_id, &case).await;
        submit(&c, RESULT).await;
        click(&c, ".mcph-tools button:nth-child(4)").await;
        wait_until(
            &c,
            "the comparison appears",
            &format!(
                "return document.querySelectorAll('.mcph-compare__column').length === {}",
                protocols.len()
            ),
            Duration::from_secs(10),
        )
        .await;
        assert_eq!(
            js(&c, "return document.getElementById('mcph-protocol').value").await,
            json!("all")
        );
        for p in &protocols {
            let got = shown(&c, Some(&p.id)).await;
            assert_same(
                &got,
                &expected(&evaluate(p, &case)),
                &format!("{} in the comparison", p.id),
            );
        }
        let columns = js(&c, "return [...document.querySelectorAll('.mcph-compare__column')].map(e => Math.round(e.getBoundingClientRect().top))").await;
        let tops: BTreeSet<i64> = columns
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_i64)
            .collect();
        assert!(
            tops.len() < protocols.len(),
            "the columns sit side by side on a wide screen: {columns}"
        );
        screenshot(&c, "checker-compare-1280.png").await;

        // Copy as text.
        click(&c, ".mcph-tools button:nth-child(1)").await;
        wait_until(
            &c,
            "the text summary appears",
            "return !!document.getElementById('mcph-text')",
            Duration::from_secs(10),
        )
        .await;
        let text = js(&c, "return document.getElementById('mcph-text').value").await;
        let text = text.as_str().unwrap_or_default().to_string();
        assert!(text.contains("Answers given"), "{text}");
        assert!(
            text.contains(&format!("- Age: {}", case.age.unwrap_or_default())),
            "{text}"
        );
        assert!(text.contains("Produced "), "{text}");
        for p in &protocols {
            let e = evaluate(p, &case);
            assert!(text.contains(&*e.protocol_title), "{} missing", p.id);
            for item in e.actions.iter().chain(&e.classification) {
                assert!(
                    text.contains(&format!("{} ", item.text))
                        || text.contains(&format!("{}\n", item.text)),
                    "{}: {} is not in the text",
                    p.id,
                    item.rule
                );
                assert!(text.contains(&format!("(Paragraph {})", item.paragraph)));
            }
        }

        // Share this case: the link reopens the same answers and result.
        click(&c, ".mcph-tools button:nth-child(3)").await;
        wait_until(
            &c,
            "the link appears",
            "return !!document.getElementById('mcph-share')",
            Duration::from_secs(10),
        )
        .await;
        let link = js(&c, "return document.getElementById('mcph-share').value").await;
        let link = link.as_str().unwrap_or_default().to_string();
        assert!(link.contains("#protocol=all&"), "{link}");
        let before: Vec<Value> = {
            let mut v = Vec::new();
            for p in &protocols {
                v.push(shown(&c, Some(&p.id)).await);
            }
            v
        };
        let stored = within("reading storage", c.execute_async(STORED, vec![])).await;
        assert_eq!(
            stored,
            json!({"cookie": "", "local": [], "session": [], "indexeddb": [], "caches": []}),
            "nothing is kept in the browser"
        );
        let after = js(&c, RESOURCES).await;
        assert_eq!(after, loaded, "no request was made after the page loaded");

        goto(&c, "about:blank").await;
        goto(&c, &link).await;
        wait_until(&c, "the checker starts", READY, Duration::from_secs(20)).await;
        wait_until(
            &c,
            "the shared result appears",
            &format!("return !!document.getElementById('{RESULT}')"),
            Duration::from_secs(10),
        )
        .await;
        for (p, want) in protocols.iter().zip(&before) {
            let got = shown(&c, Some(&p.id)).await;
            assert_same(&got, want, &format!("{} from the shared link", p.id));
        }
        assert_eq!(
            js(&c, "return document.getElementById('mcph-age').value").await,
            json!(case.age.map(|a| a.to_string()).unwrap_or_default())
        );
        c
    })
}

#[test]
fn the_checker_keeps_working_when_the_server_goes_away() {
    let lib = library();
    let Some((p, case)) = lib
        .protocols
        .iter()
        .find_map(|p| typeable(p, 1).pop().map(|(_, c)| (p, c)))
    else {
        panic!("no typeable worked case");
    };
    browser_test("offline after load", 1280, 900, |c, _| async move {
        let own = handbook_book::serve::start(site(), 0).expect("a second server");
        open_checker(&c, &format!("http://127.0.0.1:{}/", own.port)).await;
        drop(own);
        fill_case(&c, &p.id, &case).await;
        submit(&c, RESULT).await;
        assert_same(
            &shown(&c, None).await,
            &expected(&evaluate(&p.protocol, &case)),
            "with the server gone",
        );
        c
    })
}

/// The checker's four states, checked with axe-core and photographed.
fn accessible_at(width: u32, height: u32, dark: bool) {
    let lib = library();
    let Some((p, case)) = lib
        .protocols
        .iter()
        .find_map(|p| typeable(p, 1).pop().map(|(_, c)| (p.id.clone(), c)))
    else {
        panic!("no typeable worked case");
    };
    let axe = axe_source();
    let scheme = if dark { "dark" } else { "light" };
    let extra: &[&str] = if dark { &[DARK] } else { &[] };
    browser_test_with(
        "accessibility",
        width,
        height,
        extra,
        |c, base| async move {
            open_checker(&c, &base).await;
            assert_eq!(
                js(
                    &c,
                    "return matchMedia('(prefers-color-scheme: dark)').matches"
                )
                .await,
                json!(dark),
                "the browser's colour scheme"
            );
            assert_eq!(
                js(
                    &c,
                    "return document.documentElement.classList.contains('navy')"
                )
                .await,
                json!(dark),
                "a reader in dark mode gets the dark theme"
            );
            let mut report = Vec::new();
            // What the build took mdBook's style rules out for: nothing the checker draws
            // may use it, or it would be drawn unstyled.
            let unstyled = UNUSED_CLASSES
                .iter()
                .map(|c| format!(".{c}"))
                .chain(UNUSED_ELEMENTS.iter().map(|e| e.to_string()))
                .collect::<Vec<_>>()
                .join(",");
            let mut check = async |state: &str| {
                screenshot(&c, &format!("checker-{state}-{width}-{scheme}.png")).await;
                assert_eq!(
                    js(&c, &format!("return [...document.querySelectorAll('{unstyled}')].map(e => e.outerHTML.slice(0, 80))")).await,
                    json!([]),
                    "{state}: drawn with what has no style rules"
                );
                let v = accessibility_problems(&c, &axe).await;
                report.push(format!("{state}: {} problems", v.len()));
                assert!(
                    v.is_empty(),
                    "{state} at {width}x{height} ({scheme}): {v:#?}"
                );
            };
            check("empty").await;
            click(&c, ".mcph-form button[type=submit]").await;
            wait_until(
                &c,
                "errors",
                &format!("return !!document.getElementById('{SUMMARY}')"),
                Duration::from_secs(10),
            )
            .await;
            choose_protocol(&c, &p).await;
            type_into(&c, "#mcph-age", "twelve").await;
            radio(&c, "time_mode", "dates").await;
            click(&c, ".mcph-form button[type=submit]").await;
            wait_until(
                &c,
                "errors",
                "return document.querySelectorAll('.mcph-error-summary a').length >= 2",
                Duration::from_secs(10),
            )
            .await;
            check("error").await;
            fill_case(&c, &p, &case).await;
            submit(&c, RESULT).await;
            js(&c, "document.querySelectorAll('.mcph-result details').forEach(d => d.open = true); return true").await;
            check("result").await;
            // The carer's case: what you do now, and the questions still open with their
            // answer buttons, one of them focused.
            carers_case(&c, &p).await;
            submit(&c, RESULT).await;
            js(&c, "document.querySelectorAll('.mcph-result details').forEach(d => d.open = true); return true").await;
            check("depends").await;
            js(&c, "const b = document.querySelector('.mcph-answer button'); if (b) b.focus(); return !!b").await;
            check("depends-focused-button").await;
            click(&c, ".mcph-tools button:nth-child(4)").await;
            wait_until(
                &c,
                "the comparison",
                "return !!document.querySelector('.mcph-compare__column')",
                Duration::from_secs(10),
            )
            .await;
            check("compare").await;
            println!("axe-core {width}x{height} {scheme}: {}", report.join("; "));
            c
        },
    )
}

#[test]
fn the_checker_is_accessible_on_a_phone() {
    accessible_at(390, 844, false);
}

#[test]
fn the_checker_is_accessible_on_a_small_phone() {
    accessible_at(320, 640, false);
}

#[test]
fn the_checker_is_accessible_on_a_small_phone_in_dark_mode() {
    accessible_at(320, 640, true);
}

#[test]
fn the_checker_is_accessible_on_a_phone_in_dark_mode() {
    accessible_at(390, 844, true);
}

#[test]
fn the_checker_is_accessible_on_a_desktop() {
    accessible_at(1280, 800, false);
}

#[test]
fn the_checker_is_accessible_on_a_desktop_in_dark_mode() {
    accessible_at(1280, 800, true);
}

const UNAVAILABLE: &str =
    "return document.getElementById('mcph-checker-mount').dataset.checker === 'unavailable'";

/// The checker's message where it cannot run, and the link it offers.
async fn fallback(c: &Client) -> (String, String) {
    let v = js(c, "const m = document.getElementById('mcph-checker-mount'); const a = m.querySelector('a'); return [m.textContent, a ? a.getAttribute('href') : '']").await;
    (
        v[0].as_str().unwrap_or_default().to_string(),
        v[1].as_str().unwrap_or_default().to_string(),
    )
}

/// A carer on a weak phone signal: while the checker downloads, the page says it is loading
/// (not that it "has not started", which is for browsers that run no script), and the
/// questions then take its place.
#[test]
fn on_a_weak_connection_the_checker_says_it_is_loading() {
    browser_test("weak connection", 390, 844, |c, base| async move {
        cdp(&c, "Network.enable", json!({})).await;
        // About 40 KB a second: the checker's 230 KB take several seconds.
        cdp(
            &c,
            "Network.emulateNetworkConditions",
            json!({ "offline": false, "latency": 150, "downloadThroughput": 40_000, "uploadThroughput": 20_000 }),
        )
        .await;
        goto(&c, &format!("{base}checker.html")).await;
        let (text, _) = fallback(&c).await;
        let status = js(
            &c,
            "const s = document.querySelector('#mcph-checker-mount [role=status]'); return s ? s.textContent : null",
        )
        .await;
        assert!(
            text.contains("Loading the quick checker") && !text.contains("has not started"),
            "while the checker downloads, the page says: {text}"
        );
        assert!(
            status.as_str().is_some_and(|s| s.contains("Loading")),
            "the loading message is not announced (role=status): {status}"
        );
        screenshot(&c, "checker-loading-390.png").await;
        wait_until(
            &c,
            "the first question, once the checker has downloaded",
            "return !!document.getElementById('mcph-protocol')",
            Duration::from_secs(40),
        )
        .await;
        let (text, _) = fallback(&c).await;
        assert!(
            !text.contains("Loading the quick checker"),
            "the loading message stays after the checker started"
        );
        c
    })
}

/// Opens the checker's page, which cannot start, and returns what it says instead: a message
/// in the status box where "Loading…" was (so screen readers announce it), a link to the
/// protocols, and no form.
async fn checker_does_not_start(c: &Client, base: &str, why: &str) -> String {
    goto(c, &format!("{base}checker.html")).await;
    wait_until(
        c,
        &format!("a message that the checker could not start ({why})"),
        "return document.getElementById('mcph-checker-mount').textContent.includes('could not start')",
        Duration::from_secs(20),
    )
    .await;
    let (text, link) = fallback(c).await;
    assert_eq!(link, "introduction.html", "{why}: {text}");
    assert_eq!(
        js(c, "return !!document.getElementById('mcph-protocol')").await,
        json!(false),
        "{why}: a form is shown"
    );
    let announced = js(
        c,
        "const s = document.querySelector('#mcph-checker-mount [role=status]'); return s ? s.textContent : null",
    )
    .await;
    assert!(
        announced
            .as_str()
            .is_some_and(|s| s.contains("could not start")),
        "{why}: the message is not announced where the wait was (role=status): {announced}"
    );
    assert_eq!(
        js(c, "return window.mcphUnhandled || null").await,
        json!([]),
        "{why}: a failed promise was left unhandled, which the console shows as an error"
    );
    text
}

/// The connection drops while the checker downloads its code or its rule data (or the
/// handbook was updated while the page was open, so the files it names are gone), or the rule
/// data arrives damaged (a host that rewrote it, a copy cut short): the page says the checker
/// could not start, why, what to do, and links to the protocols. It never shows a
/// half-started form, and damaged rule data is never read as rules.
#[test]
fn when_the_checker_cannot_get_its_files_the_page_says_what_to_do() {
    browser_test("checker download fails", 390, 844, |c, base| async move {
        cdp(&c, "Network.enable", json!({})).await;
        // A failure the page handles is not an error in the browser's console: every promise
        // that fails is handled (checker_does_not_start looks).
        cdp(
            &c,
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "window.mcphUnhandled = []; window.addEventListener('unhandledrejection', function (e) { window.mcphUnhandled.push(String(e.reason && e.reason.message || e.reason)); });" }),
        )
        .await;
        for (file, blocked) in [
            ("without its WebAssembly", "*checker_bg-*"),
            ("without its rule data", "*rules-*.bin"),
        ] {
            cdp(&c, "Network.setBlockedURLs", json!({ "urls": [blocked] })).await;
            let text = checker_does_not_start(&c, &base, file).await;
            assert!(
                text.contains("could not start (part of it did not download)")
                    && text.contains("Check the connection, then reload the page"),
                "{file}, the message says what happened and what to do: {text}"
            );
        }
        screenshot(&c, "checker-download-failed-390.png").await;
        cdp(&c, "Network.setBlockedURLs", json!({ "urls": [] })).await;
        // Last: this stays in force for every page the browser opens from now on.
        cdp(
            &c,
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "const real = window.fetch; window.fetch = function (url) { return String(url).includes('/rules-') ? Promise.resolve(new Response(new Uint8Array([5, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]))) : real.apply(this, arguments); };" }),
        )
        .await;
        let text = checker_does_not_start(&c, &base, "with damaged rule data").await;
        // In plain words: the decoder's own ("Found a varint…") go to the console.
        assert!(
            text.contains("could not start (its rule data could not be read). Check the connection, then reload the page."),
            "{text}"
        );
        c
    })
}

#[test]
fn without_webassembly_the_checker_says_so_and_links_to_the_protocols() {
    browser_test_with("no WebAssembly", 390, 844, &[], |c, base| async move {
        // A browser without WebAssembly, as some locked-down council desktops are.
        cdp(
            &c,
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "delete window.WebAssembly;" }),
        )
        .await;
        goto(&c, &format!("{base}checker.html")).await;
        wait_until(
            &c,
            "the checker gives up",
            UNAVAILABLE,
            Duration::from_secs(20),
        )
        .await;
        let (text, link) = fallback(&c).await;
        assert!(text.contains("does not support WebAssembly"), "{text}");
        assert!(
            site().join(&link).exists(),
            "the fallback links to {link}, which is not in the site"
        );
        screenshot(&c, "checker-no-wasm-390.png").await;
        // The print view of the whole handbook says where the checker is instead.
        goto(&c, &format!("{base}print.html")).await;
        wait_until(
            &c,
            "the print view's message",
            UNAVAILABLE,
            Duration::from_secs(20),
        )
        .await;
        let (text, _) = fallback(&c).await;
        assert!(text.contains("works on its own page"), "{text}");
        c
    })
}

#[test]
fn the_handbook_and_the_checker_work_opened_from_disk() {
    let lib = library();
    let Some((p, case)) = lib
        .protocols
        .iter()
        .find_map(|p| typeable(p, 1).pop().map(|(_, c)| (p, c)))
    else {
        panic!("no typeable worked case");
    };
    let chapter = p
        .chapters
        .first()
        .map(|c| format!("protocols/{}/{}.html", p.id, c.stem))
        .expect("a chapter");
    browser_test("from disk", 1280, 900, |c, _| async move {
        let disk = format!(
            "file://{}/",
            site().canonicalize().expect("the site folder").display()
        );
        // A protocol page, with its paragraph anchors.
        goto(&c, &format!("{disk}{chapter}")).await;
        assert_eq!(
            js(
                &c,
                "return document.querySelectorAll('.para-id[id]').length > 0"
            )
            .await,
            json!(true),
            "{chapter} from disk has paragraph anchors"
        );
        // The checker starts from disk and gives the engine's answer.
        goto(&c, &format!("{disk}checker.html")).await;
        wait_until(
            &c,
            "the checker starts from disk",
            READY,
            Duration::from_secs(30),
        )
        .await;
        fill_case(&c, &p.id, &case).await;
        submit(&c, RESULT).await;
        assert_same(
            &shown(&c, None).await,
            &expected(&evaluate(&p.protocol, &case)),
            "opened from disk",
        );
        c
    })
}

/// Time from pressing a button until what it changes is on screen (the next frame after the
/// page changed), in milliseconds: `css` is clicked, `done` is a condition to wait for.
async fn time_to_screen(c: &Client, css: &str, done: &str) -> f64 {
    let script = format!(
        r#"const finish = arguments[arguments.length - 1];
        const t0 = performance.now();
        const ready = () => {{ {done} }};
        const check = () => ready() ? requestAnimationFrame(() => finish(performance.now() - t0)) : setTimeout(check, 1);
        document.querySelector({css:?}).click();
        check();"#
    );
    let v = within(
        &format!("pressing {css} and waiting for {done}"),
        c.execute_async(&script, vec![]),
    )
    .await;
    v.as_f64().unwrap_or(f64::NAN)
}

/// The carer's case: Wandsworth, 14, looked after, still missing after 5 hours, nothing else
/// answered. Reporting to the police depends on whether the child's whereabouts are known: it
/// is shown, with that question, without opening "More"; answering it there moves the duty to
/// "What to do now" in place, every other answer kept.
#[test]
fn a_blank_answer_never_hides_reporting_to_the_police() {
    browser_test("depends", 390, 844, |c, base| async move {
        open_checker(&c, &base).await;
        choose_protocol(&c, "wandsworth").await;
        say_a_foster_carer_asks(&c).await;
        type_into(&c, "#mcph-age", "14").await;
        radio(&c, "social_care", "looked_after").await;
        radio(&c, "returned", "no").await;
        radio(&c, "time_mode", "hours").await;
        type_into(&c, "#mcph-hours", "5").await;
        let ms = time_to_screen(
            &c,
            ".mcph-form button[type=submit]",
            "return !!document.getElementById('mcph-result-heading')",
        )
        .await;
        println!("the carer's case: result on screen {ms:.0} ms after pressing the button");
        screenshot(&c, "depends-carer-390.png").await;
        js(
            &c,
            "document.querySelector('[data-section=depends]').scrollIntoView(); return true",
        )
        .await;
        screenshot(&c, "depends-section-390.png").await;
        let report = "li[data-rules~='report-missing-to-police']";
        assert_eq!(
            js(&c, &format!(r#"const li = document.querySelector("[data-section=yours] {report}");
                const more = document.getElementById('mcph-more');
                return [!!li && li.offsetParent !== null, !!li && li.querySelector('.mcph-tag').textContent,
                        !!document.querySelector('[data-section=depends] [data-question=whereabouts_known] button[data-answer=no]'),
                        !more || !more.open]"#)).await,
            json!([true, "Now, if whereabouts unknown", true, true]),
            "reporting to the police is the carer's first duty, with the answer it waits on; the question is asked below; More is closed"
        );
        // Answer it where it is asked, and mark the page to prove it is not reloaded.
        js(&c, "window.mcphNotReloaded = true; return true").await;
        let group = "[data-section=depends] [data-question=whereabouts_known]";
        let ms = time_to_screen(
            &c,
            &format!("{group} button[data-answer=no]"),
            &format!(r#"const li = document.querySelector("[data-section=yours] {report}"); return !!li && li.querySelector('.mcph-tag').textContent === 'Now'"#),
        )
        .await;
        println!("answering from the result: on screen {ms:.0} ms after pressing the button");
        let after = js(
            &c,
            r#"return [window.mcphNotReloaded === true,
                document.getElementById('mcph-age').value,
                document.getElementById('mcph-hours').value,
                document.querySelector('input[name=social_care]:checked').value,
                !!document.querySelector('[data-question=whereabouts_known]'),
                document.activeElement.id]"#,
        )
        .await;
        assert_eq!(
            after,
            json!([
                true,
                "14",
                "5",
                "looked_after",
                false,
                "mcph-depends-wandsworth"
            ]),
            "answered in place: no reload, every answer kept, the question gone, focus on the questions still open"
        );
        let said = js(
            &c,
            "return document.querySelector('.mcph-result [role=status]').textContent",
        )
        .await;
        assert!(
            said.as_str().is_some_and(|t| t.starts_with("Answered \u{201c}Do you know where the child is?\u{201d}: No. The result has been updated:")),
            "the change is announced to screen readers: {said}"
        );
        // The whereabouts answer is now the form's own.
        open_more(&c).await;
        assert_eq!(
            js(
                &c,
                "return document.querySelector('input[name=whereabouts_known]:checked').value"
            )
            .await,
            json!("no")
        );
        screenshot(&c, "depends-answered-390.png").await;
        c
    })
}

/// Answers "Who are you?": a foster carer or residential staff.
async fn say_a_foster_carer_asks(c: &Client) {
    let who = within(
        "finding the who question",
        c.find(Locator::Css("#mcph-who")),
    )
    .await;
    // Until the reader says, the question shows its own blank answer, and has only one.
    assert_eq!(
        js(
            c,
            "const s = document.getElementById('mcph-who'); return [s.selectedOptions[0].textContent, s.querySelectorAll('option[value=\"\"]').length]"
        )
        .await,
        json!(["Not saying, or just looking", 1])
    );
    within(
        "saying who is asking",
        who.select_by_value("foster-carer-or-residential-staff"),
    )
    .await;
}

/// Fills the carer's case: a foster carer, a looked-after 14-year-old still missing after 5
/// hours, nothing else answered.
async fn carers_case(c: &Client, protocol: &str) {
    click(c, ".mcph-form .mcph-button--secondary").await;
    choose_protocol(c, protocol).await;
    say_a_foster_carer_asks(c).await;
    type_into(c, "#mcph-age", "14").await;
    if js(
        c,
        "return !!document.querySelector('input[name=social_care]')",
    )
    .await
        == json!(true)
    {
        radio(c, "social_care", "looked_after").await;
    } else {
        answer(c, "looked_after", "yes").await;
    }
    radio(c, "returned", "no").await;
    radio(c, "time_mode", "hours").await;
    type_into(c, "#mcph-hours", "5").await;
}

/// The result as a person on a phone meets it: "What you do now" and its first line on the
/// first screen after pressing the button, nothing ongoing labelled "Now", and the whole result
/// in at most 6 screens before anything is opened (printed for each protocol).
fn the_result_opens_with_what_you_do_at(width: u32, height: u32) {
    let lib = library();
    browser_test("what you do now", width, height, |c, base| async move {
        open_checker(&c, &base).await;
        for p in &lib.protocols {
            carers_case(&c, &p.id).await;
            submit(&c, RESULT).await;
            js(
                &c,
                "document.getElementById('mcph-result-heading').scrollIntoView(); return true",
            )
            .await;
            let got = js(&c, &format!(r#"const top = document.getElementById('mcph-result-heading').getBoundingClientRect().top;
                const first = document.querySelector('.mcph-protocol-result [data-section]');
                const li = first && first.querySelector('li');
                const ongoingNow = [...document.querySelectorAll('[data-section=ongoing] .mcph-tag')].filter(t => t.textContent.startsWith('Now')).length;
                const screens = (document.documentElement.scrollHeight - (top + window.scrollY)) / {height};
                return [first && first.dataset.section, first && first.querySelector('h3').textContent,
                        !!li && li.getBoundingClientRect().bottom - top <= {height}, ongoingNow, screens]"#)).await;
            let screens = got[4].as_f64().unwrap_or(f64::NAN);
            let parts = js(&c, "return [...document.querySelectorAll('.mcph-protocol-result > [data-section], .mcph-protocol-result > p, .mcph-result > .mcph-buttons, .mcph-result > details')].map(s => (s.dataset.section || s.className) + ' ' + Math.round(s.getBoundingClientRect().height)).join(', ')").await;
            println!(
                "{} at {width} px: the result is {screens:.1} screens of {height} px ({})",
                p.id,
                parts.as_str().unwrap_or_default()
            );
            screenshot(&c, &format!("what-you-do-{}-{width}.png", p.id)).await;
            assert_eq!(
                got.as_array()
                    .and_then(|a| a.get(0..4))
                    .map(<[Value]>::to_vec),
                Some(vec![
                    json!("yours"),
                    json!("What you do now"),
                    json!(true),
                    json!(0)
                ]),
                "{}: the result opens with what the carer does, on the first screen, and nothing ongoing is 'Now'",
                p.id
            );
            assert!(
                screens <= 6.0,
                "{}: the result is {screens:.1} screens at {width} px",
                p.id
            );
        }
        c
    })
}

#[test]
fn the_result_opens_with_what_you_do_on_a_phone() {
    the_result_opens_with_what_you_do_at(390, 844);
}

#[test]
fn the_result_opens_with_what_you_do_on_a_desktop() {
    the_result_opens_with_what_you_do_at(1280, 800);
}

/// In date mode, a deadline already passed at the time of checking is marked so, under every
/// protocol, on a phone and on a desktop.
fn a_passed_deadline_is_marked_passed_at(width: u32, height: u32) {
    let lib = library();
    browser_test("passed deadline", width, height, |c, base| async move {
        open_checker(&c, &base).await;
        for p in &lib.protocols {
            click(&c, ".mcph-form .mcph-button--secondary").await;
            choose_protocol(&c, &p.id).await;
            type_into(&c, "#mcph-age", "15").await;
            if js(
                &c,
                "return !!document.querySelector('input[name=social_care]')",
            )
            .await
                == json!(true)
            {
                radio(&c, "social_care", "looked_after").await;
            } else {
                answer(&c, "looked_after", "yes").await;
            }
            radio(&c, "returned", "no").await;
            answer(&c, "whereabouts_known", "no").await;
            radio(&c, "time_mode", "dates").await;
            // Three days ago, in UK time.
            let then = handbook_engine::deadline::to_london(
                (chrono::Utc::now() - chrono::Duration::days(3)).fixed_offset(),
            );
            let (d, m, y) = (
                then.format("%-d").to_string(),
                then.format("%-m").to_string(),
                then.format("%Y").to_string(),
            );
            type_date(&c, "mcph-since", [&d, &m, &y, "9am"]).await;
            submit(&c, RESULT).await;
            let passed = js(&c, "return [...document.querySelectorAll('.mcph-when--passed')].map(e => e.textContent)").await;
            println!("{} at {width} px: deadlines marked passed: {passed}", p.id);
            let list = passed.as_array().cloned().unwrap_or_default();
            assert!(
                !list.is_empty(),
                "{}: no deadline is marked passed three days on",
                p.id
            );
            assert!(
                list.iter().all(|t| t
                    .as_str()
                    .is_some_and(|t| t.contains("passed") && t.contains("ago"))),
                "{}: {passed}",
                p.id
            );
        }
        c
    })
}

#[test]
fn a_passed_deadline_is_marked_passed_on_a_phone() {
    a_passed_deadline_is_marked_passed_at(390, 844);
}

#[test]
fn a_passed_deadline_is_marked_passed_on_a_desktop() {
    a_passed_deadline_is_marked_passed_at(1280, 800);
}

/// The carer's case printed on A4: at most 3 pages, with paragraph references as text.
#[test]
fn a_printed_result_is_at_most_three_pages() {
    browser_test("print", 1280, 800, |c, base| async move {
        open_checker(&c, &base).await;
        carers_case(&c, "wandsworth").await;
        submit(&c, RESULT).await;
        let pdf = within(
            "printing the result",
            c.print(fantoccini::wd::PrintConfiguration::default()),
        )
        .await;
        let pages = pdf
            .windows(11)
            .enumerate()
            .filter(|(i, w)| *w == b"/Type /Page" && pdf.get(i + 11) != Some(&b's'))
            .count();
        println!(
            "the carer's case prints on {pages} A4 pages ({} bytes of PDF)",
            pdf.len()
        );
        std::fs::write(output_dir().join("carers-case.pdf"), &pdf).ok();
        assert!((1..=3).contains(&pages), "{pages} pages");
        c
    })
}
