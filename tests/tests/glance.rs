//! Two pages read at a glance, in a real headless Chromium: the comparison of the protocols
//! (all five columns on a 1280 px screen, its heading row and first column kept in view, a
//! sideways-scrolling table on a phone) and the home page's first screen on a 390 × 844 phone
//! (999 and 101 to call, the quick checker, the protocols). axe-core on both, light and dark.

mod support;

use serde_json::json;
use support::*;

/// Opens a page in a viewport of exactly this size: Chromium's window has a minimum width
/// (about 500 px) and its own frame, so a phone's screen is emulated.
async fn open(c: &fantoccini::Client, url: &str, width: u32, height: u32) {
    cdp(
        c,
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 800 }),
    )
    .await;
    goto(c, url).await;
    loaded(c, url).await;
}

async fn accessible(c: &fantoccini::Client, what: &str) {
    let problems = accessibility_problems(c, &axe_source()).await;
    assert!(
        problems.is_empty(),
        "{what}: {} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn comparison_at(width: u32, height: u32, dark: bool) {
    let protocols = library().protocols.len();
    let extra: &[&str] = if dark { &[DARK] } else { &[] };
    let theme = if dark { "dark" } else { "light" };
    browser_test_with("comparison", width, height, extra, |c, base| async move {
        open(&c, &format!("{base}views/comparison.html"), width, height).await;
        let m = js(
            &c,
            "const tables = [...document.querySelectorAll('table.mcph-glance')];
             const heads = [...tables[0].querySelectorAll('thead th')].slice(1);
             return { tables: tables.length,
               columns: heads.length,
               inside: heads.filter(h => { const r = h.getBoundingClientRect();
                 return r.left >= 0 && r.right <= window.innerWidth; }).length,
               height: document.scrollingElement.scrollHeight,
               wide: Math.max(...tables.map(t => t.getBoundingClientRect().right)) };",
        )
        .await;
        assert_eq!(m["columns"], json!(protocols), "{m}");
        println!(
            "comparison at {width}x{height} ({theme}): {} tables, page height {} px, {} of {protocols} protocol columns inside the window",
            m["tables"], m["height"], m["inside"]
        );
        if width >= 1280 {
            assert_eq!(m["inside"], json!(protocols), "columns off the screen: {m}");
            // Scrolled into the second table, its heading row stays under the menu bar.
            let sticky = js(
                &c,
                "const t = document.querySelectorAll('table.mcph-glance')[1];
                 const rows = t.querySelectorAll('tbody tr');
                 window.scrollTo(0, window.scrollY + rows[rows.length - 1].getBoundingClientRect().top - 200);
                 const head = t.querySelector('thead th:nth-child(2)').getBoundingClientRect();
                 const bar = document.getElementById('mdbook-menu-bar').getBoundingClientRect();
                 return { head: head.top, bar: bar.bottom, table: t.getBoundingClientRect().top };",
            )
            .await;
            let (head, bar, table) = (
                sticky["head"].as_f64().unwrap_or(-1.0),
                sticky["bar"].as_f64().unwrap_or(-1.0),
                sticky["table"].as_f64().unwrap_or(0.0),
            );
            assert!(table < 0.0, "the table was not scrolled past: {sticky}");
            assert!(
                head >= bar.max(0.0) - 1.0 && head <= bar.max(0.0) + 2.0,
                "the heading row is not kept under the menu bar: {sticky}"
            );
            screenshot(&c, &format!("comparison-{width}-{theme}-scrolled.png")).await;
            js(&c, "window.scrollTo(0, 0); return true").await;
        } else {
            screenshot(&c, &format!("comparison-{width}-{theme}.png")).await;
            // On a phone: each table scrolls sideways in a labelled, focusable region, and
            // its first column stays at the region's left edge while the others pass under it.
            let phone = js(
                &c,
                "const w = document.querySelector('.mcph-glance-wrap');
                 const first = w.querySelector('tbody th[scope=row]');
                 const cell = first.nextElementSibling;
                 const edge = w.getBoundingClientRect().left + w.clientLeft;
                 const was = cell.getBoundingClientRect().left;
                 w.scrollLeft = 400;
                 const after = first.getBoundingClientRect().left;
                 const r = { scrolls: w.scrollWidth > w.clientWidth, moved: w.scrollLeft,
                   kept: Math.abs(after - edge) < 1 && cell.getBoundingClientRect().left < was - 100,
                   edge, after,
                   region: w.clientWidth, table: w.scrollWidth,
                   label: w.getAttribute('aria-label'), role: w.getAttribute('role'),
                   tab: w.tabIndex };
                 w.scrollLeft = 0; return r;",
            )
            .await;
            assert_eq!(phone["scrolls"], json!(true), "{phone}");
            assert!(phone["moved"].as_f64().unwrap_or(0.0) > 0.0, "{phone}");
            assert_eq!(
                phone["kept"],
                json!(true),
                "the first column scrolls away: {phone}"
            );
            assert_eq!(phone["role"], json!("region"), "{phone}");
            assert_eq!(phone["tab"], json!(0), "{phone}");
            assert!(!phone["label"].as_str().unwrap_or("").is_empty(), "{phone}");
        }
        screenshot(&c, &format!("comparison-{width}-{theme}.png")).await;
        accessible(&c, &format!("comparison at {width} ({theme})")).await;
        c
    });
}

#[test]
fn the_comparison_shows_all_five_protocols_on_a_desktop() {
    comparison_at(1280, 800, false);
}

#[test]
fn the_comparison_is_accessible_on_a_desktop_in_dark_mode() {
    comparison_at(1280, 800, true);
}

#[test]
fn the_comparison_scrolls_sideways_on_a_small_phone() {
    comparison_at(320, 640, false);
}

#[test]
fn the_comparison_is_accessible_on_a_small_phone_in_dark_mode() {
    comparison_at(320, 640, true);
}

fn home_at(dark: bool) {
    let (width, height) = (390, 844);
    let ids: Vec<String> = library().protocols.iter().map(|p| p.id.clone()).collect();
    let extra: &[&str] = if dark { &[DARK] } else { &[] };
    let theme = if dark { "dark" } else { "light" };
    browser_test_with("home page", width, height, extra, |c, base| async move {
        open(&c, &base, width, height).await;
        let script = format!(
            "const ids = {ids};
             const bottom = sel => {{ const e = document.querySelector(sel);
               if (!e) return null; const r = e.getBoundingClientRect();
               return r.width > 0 && r.height > 0 ? r.bottom : null; }};
             return {{ inner: window.innerHeight,
               call999: bottom('main a[href=\"tel:999\"]'),
               call101: bottom('main a[href=\"tel:101\"]'),
               checker: bottom('main a.mcph-start[href$=\"checker.html\"]'),
               checkerHeight: document.querySelector('main a.mcph-start').getBoundingClientRect().height,
               words: document.querySelector('main').textContent.includes('999') && document.querySelector('main').textContent.includes('101'),
               protocols: ids.map(id => bottom('main a[href$=\"protocols/' + id + '/index.html\"]')) }};",
            ids = json!(ids)
        );
        let m = js(&c, &script).await;
        println!("home page at {width}x{height} ({theme}): {m}");
        screenshot(&c, &format!("home-{width}-{theme}.png")).await;
        let inner = m["inner"].as_f64().unwrap_or(0.0);
        assert_eq!(inner, f64::from(height), "the emulated screen: {m}");
        let first_screen = |v: &serde_json::Value| v.as_f64().is_some_and(|b| b <= inner);
        for key in ["call999", "call101", "checker"] {
            assert!(
                first_screen(&m[key]),
                "{key} is not on the first screen: {m}"
            );
        }
        assert!(
            m["checkerHeight"].as_f64().unwrap_or(0.0) >= 44.0,
            "the checker's link is not large: {m}"
        );
        assert_eq!(m["words"], json!(true), "{m}");
        for (id, b) in ids
            .iter()
            .zip(m["protocols"].as_array().into_iter().flatten())
        {
            assert!(first_screen(b), "{id} is not on the first screen: {m}");
        }
        accessible(&c, &format!("home page at {width} ({theme})")).await;
        c
    });
}

#[test]
fn the_home_page_first_screen_on_a_phone_has_999_101_the_checker_and_the_protocols() {
    home_at(false);
}

#[test]
fn the_home_page_first_screen_on_a_phone_in_dark_mode() {
    home_at(true);
}
