//! The generated views in a real headless Chromium: a flowchart page and a training case, at a
//! desktop and a phone width, checked with axe-core; the case opened in the checker.

mod support;

use handbook_engine::share::to_fragment;
use serde_json::json;
use std::time::Duration;
use support::*;

const READY: &str = "return document.documentElement.dataset.checker === 'ready'";

fn views_at(width: u32, height: u32) {
    let lib = library();
    let p = lib
        .protocols
        .iter()
        .find(|p| p.id == "staffordshire-stoke")
        .unwrap_or(&lib.protocols[0])
        .clone();
    // A case with an age, so the checker's age field can be checked.
    let (index, scenario) = p
        .scenarios
        .iter()
        .enumerate()
        .find(|(_, s)| s.case.age.is_some())
        .map(|(i, s)| (i, s.clone()))
        .expect("a worked case with an age");
    let age = scenario.case.age.map(|a| a.to_string()).unwrap_or_default();
    let axe = axe_source();
    browser_test("generated views", width, height, |c, base| async move {
        // A flowchart page: the drawing shown at this width has a title, a description and
        // its text equivalent beside it.
        goto(&c, &format!("{base}protocols/{}/flowcharts.html", p.id)).await;
        let shown = if width < 620 { "narrow" } else { "wide" };
        let svg = js(
            &c,
            &format!(
                "const s = [...document.querySelectorAll('svg.mcph-flow-svg')].find(s => s.getBoundingClientRect().width > 0);
                 if (!s) return null;
                 const f = s.closest('figure');
                 const ol = f.nextElementSibling;
                 return {{ size: s.classList.contains('mcph-flow-{shown}') ? '{shown}' : 'other',
                   title: s.querySelector('title').textContent,
                   desc: s.querySelector('desc').textContent,
                   labelled: s.getAttribute('aria-labelledby').split(' ').every(id => !!document.getElementById(id)),
                   nodes: s.querySelectorAll('a.mcph-flow-node').length,
                   words: ol && ol.matches('ol.mcph-flow-text') ? ol.querySelectorAll('li[data-rule]').length : 0,
                   fits: s.getBoundingClientRect().right <= window.innerWidth }};"
            ),
        )
        .await;
        assert_eq!(svg["size"], json!(shown), "{svg}");
        assert!(
            svg["title"]
                .as_str()
                .unwrap_or("")
                .contains(&p.meta.short_title),
            "{svg}"
        );
        assert!(!svg["desc"].as_str().unwrap_or("").is_empty(), "{svg}");
        assert_eq!(svg["labelled"], json!(true), "{svg}");
        assert!(svg["nodes"].as_u64().unwrap_or(0) > 0, "{svg}");
        assert_eq!(svg["nodes"], svg["words"], "every node in words: {svg}");
        assert_eq!(
            svg["fits"],
            json!(true),
            "the chart is wider than the screen: {svg}"
        );
        screenshot(&c, &format!("flowcharts-{width}.png")).await;
        // In the handbook's dark theme (mdBook's navy, offered as "Dark") the drawing takes the
        // page's light text colour.
        let dark = js(
            &c,
            "const h = document.documentElement; const before = h.className;
             h.classList.remove('light'); h.classList.add('navy');
             const s = [...document.querySelectorAll('svg.mcph-flow-svg')].find(s => s.getBoundingClientRect().width > 0);
             const r = { svg: getComputedStyle(s).color, page: getComputedStyle(document.querySelector('main')).color };
             h.className = before; return r;",
        )
        .await;
        assert_eq!(
            dark["svg"], dark["page"],
            "the chart's colour in the dark theme: {dark}"
        );
        assert_ne!(
            dark["svg"],
            json!("rgb(0, 0, 0)"),
            "black on a dark page: {dark}"
        );
        let v = accessibility_problems(&c, &axe).await;
        assert!(v.is_empty(), "flowcharts at {width}: {v:#?}");

        // A training case: the answer is hidden until asked for.
        goto(&c, &format!("{base}protocols/{}/training.html", p.id)).await;
        let case = format!("case-{}-{}", p.id, scenario.id);
        let open = js(
            &c,
            &format!("return document.querySelector('#{case} details').open"),
        )
        .await;
        assert_eq!(
            open,
            json!(false),
            "the answer shows before it is asked for"
        );
        click(&c, &format!("#{case} details summary")).await;
        let open = js(
            &c,
            &format!("return document.querySelector('#{case} details').open"),
        )
        .await;
        assert_eq!(open, json!(true));
        let v = accessibility_problems(&c, &axe).await;
        assert!(v.is_empty(), "training cases at {width}: {v:#?}");

        // The other generated pages, from the top.
        for page in [
            format!("protocols/{}/traceability.html", p.id),
            "views/comparison.html".to_string(),
            "views/training.html".to_string(),
            "views/glossary.html".to_string(),
            "views/amendments.html".to_string(),
            "protocols/wandsworth/37-appendix-5-protocol-flow-chart.html".to_string(),
            "protocols/east-sussex/07-appendix-1-missing-children-timeline.html".to_string(),
        ] {
            goto(&c, &format!("{base}{page}")).await;
            let v = accessibility_problems(&c, &axe).await;
            assert!(v.is_empty(), "{page} at {width}: {v:#?}");
        }
        goto(&c, &format!("{base}protocols/{}/training.html", p.id)).await;

        // Open the case in the checker: the link carries the case, the checker reads it.
        let href = js(
            &c,
            &format!(
                "return document.querySelector('#{case} a.mcph-open-case').getAttribute('href')"
            ),
        )
        .await;
        assert_eq!(
            href,
            json!(format!(
                "../../checker.html#{}",
                to_fragment(&p.id, &scenario.case)
            )),
            "case {index}"
        );
        click(&c, &format!("#{case} a.mcph-open-case")).await;
        wait_until(&c, "the checker starts", READY, Duration::from_secs(20)).await;
        let protocol = js(&c, "return document.getElementById('mcph-protocol').value").await;
        assert_eq!(protocol, json!(p.id), "the checker's protocol");
        wait_until(
            &c,
            "the checker's age is filled from the link",
            &format!("return document.getElementById('mcph-age').value === '{age}'"),
            Duration::from_secs(10),
        )
        .await;
        c
    });
}

#[test]
fn a_flowchart_and_a_training_case_on_a_desktop() {
    views_at(1280, 900);
}

#[test]
fn a_flowchart_and_a_training_case_on_a_phone() {
    views_at(390, 844);
}
