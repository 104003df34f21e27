//! The views generated from the rule data: flowcharts, comparison, traceability, training
//! cases, glossary and amendments log, as rules and as pages of the built site.

mod support;

use handbook_book::views::flowchart::{self, Chart};
use handbook_content::review::{Why, needs_review};
use handbook_engine::condition::{BoolField, Condition};
use regex::Regex;
use std::fs;
use std::path::{Path, PathBuf};
use support::{library, site};

fn page(path: &str) -> String {
    fs::read_to_string(site().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every generated page of the built site, relative to the site root.
fn generated_pages() -> Vec<String> {
    let lib = library();
    let mut pages: Vec<String> = lib
        .protocols
        .iter()
        .flat_map(|p| {
            handbook_book::views::PROTOCOL_PAGES
                .iter()
                .map(move |(stem, _)| format!("protocols/{}/{stem}.html", p.id))
        })
        .collect();
    for v in ["comparison", "training", "glossary", "amendments"] {
        pages.push(format!("views/{v}.html"));
    }
    pages
}

#[test]
fn every_rule_with_a_timescale_or_threshold_is_in_a_flowchart_of_its_protocol() {
    let lib = library();
    let mut checked = 0;
    for p in &lib.protocols {
        let drawn: Vec<_> = Chart::ALL
            .iter()
            .flat_map(|c| flowchart::drawn(p, *c))
            .map(|r| r.id.clone())
            .collect();
        for r in p
            .rules
            .rules
            .iter()
            .filter(|r| flowchart::has_timescale_or_threshold(r))
        {
            assert!(
                drawn.contains(&r.id),
                "{}/rules.toml:{}: rule `{}` has a timescale or threshold but is in no flowchart",
                p.id,
                r.line,
                r.id
            );
            checked += 1;
        }
    }
    println!("{checked} rules with a timescale or threshold, all drawn");
    assert!(checked > 50, "only {checked} rules with timescales?");
}

#[test]
fn a_flowchart_node_without_a_rule_fails_the_build() {
    let lib = library();
    let mut p = lib.protocols[0].clone();
    let gone = flowchart::drawn(&p, Chart::Missing)[0].id.clone();
    // The text's rules still have it; the engine's (what the checker uses) do not.
    p.protocol.rules.retain(|r| r.id != gone);
    let err = flowchart::render(&p, Chart::Missing, "../../", "test").expect_err("must fail");
    assert!(err.contains(&*gone), "{err}");
    assert!(flowchart::render(&lib.protocols[0], Chart::Missing, "../../", "test").is_ok());
}

#[test]
fn no_edge_of_a_decision_chart_joins_conditions_that_cannot_both_hold() {
    let lib = library();
    let mut edges = 0;
    for p in &lib.protocols {
        let d = flowchart::decision(p);
        assert!(!d.rows.is_empty(), "{}: an empty decision chart", p.id);
        for e in &d.edges {
            let (a, b) = (&d.rows[e.from], &d.rows[e.to]);
            let both = Condition::All(vec![a.cond.clone(), b.cond.clone()]);
            assert!(
                flowchart::satisfiable(&both),
                "{}: the edge from row {} ({:?}) to row {} ({:?}) joins `{}` and `{}`, which cannot both hold",
                p.id,
                e.from,
                a.kind,
                e.to,
                b.kind,
                a.cond.words(),
                b.cond.words()
            );
            // A "Yes" or "No" leads where the answer holds.
            if let (flowchart::RowKind::Question { yes, .. }, Some(label)) = (&a.kind, e.label) {
                let answer = match label {
                    "Yes" => yes.clone(),
                    "No" => Condition::Not(Box::new(yes.clone())),
                    _ => Condition::always(),
                };
                assert!(
                    flowchart::implies(&b.cond, &answer),
                    "{}: the `{label}` of `{}` leads to a row where it need not hold",
                    p.id,
                    a.cond.words()
                );
            }
            edges += 1;
        }
        // Each classification shown holds for every case that reaches its box.
        for row in &d.rows {
            if let flowchart::RowKind::Outcome(r) = &row.kind {
                assert!(
                    flowchart::implies(&row.cond, &r.when),
                    "{}: `{}` is drawn where `{}` holds, which does not make it apply",
                    p.id,
                    r.id,
                    row.cond.words()
                );
            }
        }
        // A timeline box stands alone (no arrows join boxes), at a time its rule can apply.
        for (chart, returned) in [(Chart::Missing, false), (Chart::Returned, true)] {
            for r in flowchart::drawn(p, chart) {
                let at = Condition::All(vec![
                    r.when.clone(),
                    Condition::Bool(BoolField::Returned, returned),
                ]);
                assert!(
                    flowchart::satisfiable(&at),
                    "{}: `{}` is drawn in `{}` but cannot apply there",
                    p.id,
                    r.id,
                    chart.slug()
                );
            }
        }
    }
    println!("{edges} edges of decision charts, each joining conditions that can both hold");
    assert!(edges > 20);
}

#[test]
fn every_decision_has_at_least_two_labelled_branches() {
    let lib = library();
    let mut questions = 0;
    for p in &lib.protocols {
        let d = flowchart::decision(p);
        for (i, row) in d.rows.iter().enumerate() {
            if let flowchart::RowKind::Question { text, .. } = &row.kind {
                let labels: Vec<&str> = d
                    .edges
                    .iter()
                    .filter(|e| e.from == i)
                    .filter_map(|e| e.label)
                    .filter(|l| !l.is_empty())
                    .collect();
                assert!(
                    labels.contains(&"Yes") && labels.contains(&"No"),
                    "{}: the question `{text}` has the branches {labels:?}",
                    p.id
                );
                questions += 1;
            }
        }
        let html = page(&format!("protocols/{}/flowcharts.html", p.id));
        let drawn = html.matches("class=\"mcph-flow-decision\"").count();
        let asked = d
            .rows
            .iter()
            .filter(|r| matches!(r.kind, flowchart::RowKind::Question { .. }))
            .count();
        assert_eq!(
            drawn,
            2 * asked,
            "{}: every question drawn, wide and narrow",
            p.id
        );
    }
    println!("{questions} questions, each with a yes and a no branch");
    assert!(questions > 10);
}

#[test]
fn a_changed_paragraph_puts_the_rules_citing_it_up_for_review() {
    let lib = library();
    for p in &lib.protocols {
        assert!(
            needs_review(p).is_empty(),
            "{}: rules need review: {:?}",
            p.id,
            needs_review(p)
        );
    }
    let mut p = lib.protocols[0].clone();
    let rule = p.rules.rules[0].clone();
    if let Some(para) = p.paragraphs.get_mut(&*rule.paragraph) {
        para.text.push_str(" A sentence added later.");
    }
    let review = needs_review(&p);
    let citing = p
        .rules
        .rules
        .iter()
        .filter(|r| r.paragraph == rule.paragraph)
        .count();
    assert_eq!(review.len(), citing, "{review:?}");
    assert!(
        review
            .iter()
            .all(|r| matches!(r.why, Why::TextChanged { .. }) && *r.paragraph == *rule.paragraph)
    );
}

#[test]
fn the_generated_pages_exist_for_every_protocol_in_contents_and_search() {
    let index = fs::read_dir(site())
        .expect("the site")
        .filter_map(Result::ok)
        .find(|e| {
            let n = e.file_name().to_string_lossy().to_string();
            n.starts_with("searchindex") && n.ends_with(".js")
        })
        .map(|e| fs::read_to_string(e.path()).unwrap_or_default())
        .expect("a search index");
    let contents = page("index.html")
        + &fs::read_dir(site())
            .expect("the site")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with("toc"))
            .map(|e| fs::read_to_string(e.path()).unwrap_or_default())
            .collect::<String>();
    let pages = generated_pages();
    for path in &pages {
        let html = page(path);
        assert!(html.contains("<h1"), "{path} has no heading");
        assert!(
            index.contains(path.as_str()),
            "{path} is not in the search index"
        );
        assert!(
            contents.contains(path.as_str()),
            "{path} is not in the contents"
        );
    }
    println!("{} generated pages", pages.len());
    assert_eq!(pages.len(), library().protocols.len() * 3 + 4);
}

fn resolve(from: &str, href: &str) -> PathBuf {
    let dir = Path::new(from).parent().unwrap_or(Path::new(""));
    let mut out = PathBuf::new();
    for part in dir.join(href).components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::Normal(p) => out.push(p),
            _ => {}
        }
    }
    out
}

#[test]
fn links_on_the_generated_pages_resolve() {
    let href = Regex::new(r#"href="([^"]+)""#).expect("regex");
    let mut checked = 0;
    let mut pages = generated_pages();
    pages.extend(
        [
            "protocols/east-sussex/07-appendix-1-missing-children-timeline.html",
            "protocols/wandsworth/37-appendix-5-protocol-flow-chart.html",
        ]
        .map(String::from),
    );
    for path in &pages {
        let html = page(path);
        let body = html.split("<main").nth(1).unwrap_or(&html);
        for cap in href.captures_iter(body) {
            let link = cap[1].replace("&amp;", "&");
            if link.starts_with("http") || link.starts_with("mailto:") || link.starts_with('#') {
                continue;
            }
            let (file, anchor) = link.split_once('#').unwrap_or((&link, ""));
            let target = resolve(path, file);
            let bytes = fs::read(site().join(&target))
                .unwrap_or_else(|e| panic!("{path}: link {link}: {}: {e}", target.display()));
            let target_html = String::from_utf8_lossy(&bytes);
            // The checker's fragment is a case, not an element id.
            if !anchor.is_empty() && !file.ends_with("checker.html") {
                assert!(
                    target_html.contains(&format!("id=\"{anchor}\"")),
                    "{path}: link {link}: no id {anchor} in {}",
                    target.display()
                );
            }
            checked += 1;
        }
    }
    println!("{checked} links on generated pages resolve");
    assert!(checked > 1000);
}

#[test]
fn flowcharts_have_titles_descriptions_text_equivalents_and_only_rules_as_nodes() {
    let lib = library();
    let node = Regex::new(r#"class="mcph-flow-node" data-rule="([^"]+)""#).expect("regex");
    for p in &lib.protocols {
        let html = page(&format!("protocols/{}/flowcharts.html", p.id));
        let svgs = html.matches("<svg class=\"mcph-flow-svg").count();
        assert!(svgs >= 2, "{}: {svgs} charts", p.id);
        assert_eq!(
            svgs,
            html.matches("<title id=").count(),
            "{}: a chart without a title",
            p.id
        );
        assert_eq!(
            svgs,
            html.matches("<desc id=").count(),
            "{}: a chart without a description",
            p.id
        );
        assert_eq!(
            svgs,
            2 * html.matches("<ol class=\"mcph-flow-text\"").count(),
            "{}: a chart without its text",
            p.id
        );
        let nodes: Vec<String> = node
            .captures_iter(&html)
            .map(|c| c[1].to_string())
            .collect();
        for id in &nodes {
            assert!(
                p.protocol.rule(id).is_some(),
                "{}: node {id} is no rule",
                p.id
            );
            assert!(
                html.contains(&format!("<li data-rule=\"{id}\">")),
                "{}: {id} not in words",
                p.id
            );
        }
        for r in p
            .rules
            .rules
            .iter()
            .filter(|r| flowchart::has_timescale_or_threshold(r))
        {
            assert!(
                nodes.iter().any(|n| **n == *r.id),
                "{}: {} is not drawn",
                p.id,
                r.id
            );
        }
        println!("{}: {} charts, {} nodes", p.id, svgs / 2, nodes.len() / 2);
    }
}

#[test]
fn generated_charts_take_the_place_of_those_lost_in_extraction() {
    for path in [
        "protocols/east-sussex/07-appendix-1-missing-children-timeline.html",
        "protocols/east-sussex/08-appendix-2-police-reporting-procedure.html",
        "protocols/sutton/13-appendix-1-referral-and-assessment-pathway.html",
        "protocols/wandsworth/37-appendix-5-protocol-flow-chart.html",
    ] {
        let html = page(path);
        assert!(
            html.contains("Generated from the rules."),
            "{path}: not marked as generated"
        );
        assert!(html.contains("mcph-flow-node"), "{path}: no chart");
    }
}

#[test]
fn the_first_use_of_a_term_on_a_protocol_page_is_an_abbreviation() {
    let html = page("protocols/bexley/02-missing-from-home-and-care.html");
    let marked = html
        .matches("<abbr title=\"Return home interview\">RHI")
        .count();
    assert_eq!(marked, 1, "RHI should be marked once, at its first use");
    assert!(html.matches("RHI").count() > 2);
    let glossary = page("views/glossary.html");
    for t in ["LAC", "RHI", "MASH", "UASC", "NYAS", "CAWN", "S47"] {
        assert!(
            glossary.contains(&format!(">{t}</abbr>")),
            "{t} not in the glossary"
        );
    }
}

#[test]
fn traceability_pages_give_coverage_and_name_rules_without_cases() {
    let lib = library();
    for p in &lib.protocols {
        let html = page(&format!("protocols/{}/traceability.html", p.id));
        let (covered, total) = handbook_book::views::trace::rule_coverage(p);
        assert!(
            html.contains(&format!("<strong>{covered} of {total}</strong>")),
            "{}: coverage figure",
            p.id
        );
        assert_eq!(
            html.matches("<strong>No worked case</strong>").count(),
            total - covered,
            "{}",
            p.id
        );
        for r in &p.rules.rules {
            assert!(
                html.contains(&format!("id=\"rule-{}\"", r.id)),
                "{}: {}",
                p.id,
                r.id
            );
        }
        for n in &p.rules.not_modelled {
            // As text on the page: mdBook writes quotation marks in text as they are.
            let q = n
                .quote
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            assert!(
                html.contains(&q),
                "{}: not-modelled quote {}",
                p.id,
                n.quote
            );
        }
        println!("{}: {covered} of {total} rules have a worked case", p.id);
    }
}

#[test]
fn training_cases_tell_a_story_hide_the_answer_and_open_in_the_checker() {
    let lib = library();
    for p in &lib.protocols {
        let html = page(&format!("protocols/{}/training.html", p.id));
        for s in &p.scenarios {
            let id = handbook_book::views::training::anchor(&p.id, &s.id);
            assert!(html.contains(&format!("id=\"{id}\"")), "{}: {}", p.id, s.id);
            let fragment =
                handbook_engine::share::to_fragment(&p.id, &s.case).replace('&', "&amp;");
            assert!(
                html.contains(&format!("checker.html#{fragment}\"")),
                "{}: {} link",
                p.id,
                s.id
            );
        }
        assert_eq!(
            html.matches("<summary>Show what the protocol says</summary>")
                .count(),
            p.scenarios.len()
        );
    }
    let index = page("views/training.html");
    for theme in [
        "Looked after",
        "Repeat episodes",
        "Young children",
        "Found or returned",
    ] {
        assert!(
            index.contains(&format!(">{theme}</a></h2>")),
            "no heading {theme}"
        );
    }
}

/// The text a reader sees in a piece of HTML: tags dropped, entities read.
fn text_of(html: &str) -> String {
    let tag = Regex::new(r"<[^>]*>").expect("regex");
    tag.replace_all(html, "")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#160;", "\u{a0}")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[test]
fn the_comparison_is_one_table_per_topic_with_a_row_for_each_action() {
    use handbook_book::views::compare;
    let lib = library();
    let html = page("views/comparison.html");
    let tables = compare::tables(&lib);
    assert_eq!(
        html.matches("<table class=\"mcph-glance\"").count(),
        tables.len()
    );
    assert!(
        tables.iter().all(|(t, _)| *t != compare::OTHER),
        "actions no topic names: {:?}",
        tables.iter().find(|(t, _)| *t == compare::OTHER)
    );
    // Every action a duty is tagged with is a row, once.
    for p in &lib.protocols {
        for r in p.rules.rules.iter().filter(|r| r.action.is_some()) {
            let a = r.action.as_deref().unwrap_or_default();
            assert_eq!(
                html.matches(&format!("<tr id=\"glance-{a}\">")).count(),
                1,
                "{}: rule {}: action {a} is not one row of the comparison",
                p.id,
                r.id
            );
        }
    }
    let rows: usize = tables.iter().map(|(_, r)| r.len()).sum();
    assert_eq!(html.matches("<th scope=\"row\">").count(), rows);
    for (title, _) in &tables {
        assert!(
            html.contains(&format!("aria-label=\"{title}: table\"")),
            "{title}: no labelled region"
        );
    }
    println!("comparison: {} topics, {rows} actions", tables.len());
}

#[test]
fn every_comparison_cell_is_one_short_line_linked_to_its_paragraph_or_not_stated() {
    use handbook_book::views::compare::CELL_MAX;
    let lib = library();
    let html = page("views/comparison.html");
    let td = Regex::new(r"(?s)<td[^>]*>(.*?)</td>").expect("regex");
    let para = Regex::new(r##"^<a href="\.\./protocols/[^"#]+\.html#[^"]+">"##).expect("regex");
    let (mut cells, mut stated, mut longest) = (0, 0, String::new());
    for cap in td.captures_iter(&html) {
        let inner = &cap[1];
        let text = text_of(inner);
        assert!(
            text.chars().count() <= CELL_MAX,
            "a cell of {} characters: {text}",
            text.chars().count()
        );
        assert!(!text.contains('\n'), "a cell on two lines: {text}");
        if text.chars().count() > longest.chars().count() {
            longest = text.clone();
        }
        if text != "Not stated" {
            assert!(
                para.is_match(inner),
                "a cell not linked to a paragraph: {inner}"
            );
            stated += 1;
        }
        cells += 1;
    }
    let rows = html.matches("<th scope=\"row\">").count();
    assert_eq!(cells, rows * lib.protocols.len());
    println!(
        "comparison: {cells} cells, {stated} stated, the longest {} characters: {longest}",
        longest.chars().count()
    );
    assert!(stated > cells / 3, "only {stated} of {cells} cells stated");
}

#[test]
fn the_amendments_log_comes_from_the_history() {
    let html = page("views/amendments.html");
    let in_git = support::workspace().join(".git").exists();
    if in_git {
        assert!(
            html.contains("Paragraphs added") && html.contains("Rules added"),
            "no changes listed"
        );
    } else {
        assert!(html.contains("No history available"));
    }
}

/// The smallest chart text on a flowchart page as drawn, in CSS px, and each panel's height.
const MEASURE: &str = "const out = { min: 1e9, smallest: '', panels: [], column: 0, widest: 0 };
    out.column = document.querySelector('main').getBoundingClientRect().width;
    for (const s of document.querySelectorAll('svg.mcph-flow-svg')) {
      const r = s.getBoundingClientRect();
      if (r.width === 0) continue;
      out.panels.push(Math.round(r.height));
      out.widest = Math.max(out.widest, r.width);
      const k = r.width / s.viewBox.baseVal.width;
      for (const t of s.querySelectorAll('text')) {
        const px = parseFloat(getComputedStyle(t).fontSize) * k;
        if (px < out.min) { out.min = px; out.smallest = t.textContent; }
      }
    }
    return out;";

/// Every protocol's flowcharts at 1024×768, a projector's size: chart text at least 16 px,
/// the charts the content column's width, each panel about one screen high. Screenshots of
/// the first panels of each chart go to test-output/.
#[test]
fn flowcharts_are_readable_on_a_1024_by_768_projector() {
    let lib = library();
    let ids: Vec<String> = lib.protocols.iter().map(|p| p.id.clone()).collect();
    support::browser_test("flowcharts at 1024x768", 1024, 768, |c, base| async move {
        for id in &ids {
            support::goto(&c, &format!("{base}protocols/{id}/flowcharts.html")).await;
            support::loaded(&c, "the flowcharts page").await;
            let m = support::js(&c, MEASURE).await;
            let min = m["min"].as_f64().unwrap_or(0.0);
            let column = m["column"].as_f64().unwrap_or(0.0);
            let widest = m["widest"].as_f64().unwrap_or(0.0);
            let panels: Vec<f64> = m["panels"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(serde_json::Value::as_f64)
                .collect();
            let tallest = panels.iter().copied().fold(0.0, f64::max);
            println!(
                "{id} at 1024x768: {} panels, smallest text {min:.1} px ({}), tallest panel {tallest} px, total {} px, charts {widest:.0} px wide in a {column:.0} px column",
                panels.len(),
                m["smallest"],
                panels.iter().sum::<f64>()
            );
            assert!(min >= 16.0, "{id}: chart text of {min:.1} px: {m}");
            assert!(
                widest >= column - 40.0,
                "{id}: charts {widest} px wide in a {column} px column"
            );
            assert!(
                tallest <= 768.0,
                "{id}: a panel {tallest} px high does not fit one screen"
            );
            for (k, chart) in ["classification", "missing", "returned"].iter().enumerate() {
                let shown = support::js(
                    &c,
                    &format!(
                        "const f = document.getElementById('mcph-flow-charts-{id}-{chart}');
                         if (!f) return false; f.scrollIntoView(); window.scrollBy(0, -60); return true;"
                    ),
                )
                .await;
                if shown == serde_json::json!(true) {
                    support::screenshot(&c, &format!("flowchart-1024-{id}-{k}-{chart}.png")).await;
                }
            }
        }
        c
    });
}

fn flowchart_page_accessible(width: u32, height: u32, dark: bool) {
    let axe = support::axe_source();
    let extra: &[&str] = if dark { &[support::DARK] } else { &[] };
    support::browser_test_with(
        "a flowchart page",
        width,
        height,
        extra,
        |c, base| async move {
            support::goto(&c, &format!("{base}protocols/wandsworth/flowcharts.html")).await;
            support::loaded(&c, "the flowcharts page").await;
            let problems = support::accessibility_problems(&c, &axe).await;
            assert!(
                problems.is_empty(),
                "flowcharts at {width} (dark {dark}): {problems:#?}"
            );
            support::js(
            &c,
            "const f = document.getElementById('mcph-flow-charts-wandsworth-missing'); f.scrollIntoView(); return true;",
        )
        .await;
            support::screenshot(
                &c,
                &format!("flowchart-{width}{}.png", if dark { "-dark" } else { "" }),
            )
            .await;
            c
        },
    );
}

#[test]
fn a_flowchart_page_is_accessible_on_a_small_phone() {
    flowchart_page_accessible(320, 640, false);
}

#[test]
fn a_flowchart_page_is_accessible_on_a_small_phone_in_dark_mode() {
    flowchart_page_accessible(320, 640, true);
}

#[test]
fn a_flowchart_page_is_accessible_on_a_desktop() {
    flowchart_page_accessible(1280, 800, false);
}

#[test]
fn a_flowchart_page_is_accessible_on_a_desktop_in_dark_mode() {
    flowchart_page_accessible(1280, 800, true);
}

#[test]
fn a_flowchart_on_a_390_px_phone() {
    support::browser_test("flowcharts at 390", 390, 844, |c, base| async move {
        support::goto(&c, &format!("{base}protocols/wandsworth/flowcharts.html")).await;
        let m = support::js(&c, MEASURE).await;
        println!("wandsworth at 390x844: {m}");
        for chart in ["classification", "missing"] {
            support::js(
                &c,
                &format!(
                    "document.getElementById('mcph-flow-charts-wandsworth-{chart}').scrollIntoView(); window.scrollBy(0, -60); return true;"
                ),
            )
            .await;
            support::screenshot(&c, &format!("flowchart-390-wandsworth-{chart}.png")).await;
        }
        c
    });
}
