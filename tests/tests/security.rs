//! The site under its strict Content-Security-Policy, in a real headless Chromium.

mod support;

use handbook_book::serve::CSP;
use serde_json::json;
use std::io::{Read, Write};
use std::time::Duration;
use support::*;

/// Records every policy violation from the first moment of each page.
const LISTEN: &str = r#"window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' in ' + e.sourceFile + ':' + e.lineNumber));"#;

async fn violations(c: &fantoccini::Client) -> serde_json::Value {
    js(c, "return window.__csp || ['the listener did not run']").await
}

/// The headers the server sends for a path.
fn headers(port: u16, path: &str) -> String {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connecting");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a read timeout");
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").expect("sending");
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out);
    text.split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn the_site_works_under_its_content_security_policy() {
    let lib = library();
    let chapter = lib
        .protocols
        .first()
        .and_then(|p| {
            p.chapters
                .first()
                .map(|c| format!("protocols/{}/{}.html", p.id, c.stem))
        })
        .expect("a protocol chapter");
    browser_test("content security policy", 1280, 900, |c, base| async move {
        let port: u16 = base
            .trim_end_matches('/')
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("the server's port");
        let sent = headers(port, "/checker.html");
        // (Header names are case-insensitive in HTTP.)
        assert!(
            sent.to_lowercase()
                .contains(&format!("content-security-policy: {CSP}").to_lowercase()),
            "the server does not send the policy:\n{sent}"
        );
        cdp(
            &c,
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": LISTEN }),
        )
        .await;

        let mut visited = Vec::new();
        for page in [
            "index.html",
            chapter.as_str(),
            "print.html",
            "no-such-page.html",
        ] {
            goto(&c, &format!("{base}{page}")).await;
            loaded(&c, page).await;
            // The sidebar's contents are drawn by a script: their presence shows scripts ran.
            wait_until(
                &c,
                &format!("{page}: the contents are drawn"),
                "return document.querySelectorAll('#mdbook-sidebar a').length > 5",
                Duration::from_secs(10),
            )
            .await;
            assert_eq!(violations(&c).await, json!([]), "{page}");
            visited.push(page.to_string());
        }

        // Search works.
        goto(&c, &format!("{base}index.html")).await;
        click(&c, "#mdbook-search-toggle").await;
        type_into(&c, "#mdbook-searchbar", "strategy meeting").await;
        wait_until(
            &c,
            "search results",
            "return document.querySelectorAll('#mdbook-searchresults li').length > 0",
            Duration::from_secs(20),
        )
        .await;
        assert_eq!(violations(&c).await, json!([]), "search");

        // The checker works.
        goto(&c, &format!("{base}checker.html")).await;
        wait_until(
            &c,
            "the checker starts",
            "return document.documentElement.dataset.checker === 'ready'",
            Duration::from_secs(20),
        )
        .await;
        let select = within(
            "finding the protocol list",
            c.find(fantoccini::Locator::Css("#mcph-protocol")),
        )
        .await;
        within("choosing", select.select_by_index(1)).await;
        type_into(&c, "#mcph-age", "14").await;
        click(&c, ".mcph-form button[type=submit]").await;
        wait_until(
            &c,
            "a result",
            "return !!document.getElementById('mcph-result-heading')",
            Duration::from_secs(10),
        )
        .await;
        assert_eq!(violations(&c).await, json!([]), "the checker");
        visited.push("search".into());
        visited.push("checker.html".into());
        println!("no policy violations on: {}", visited.join(", "));
        c
    })
}

/// Everything the browser keeps for the site, and every address it asked for, as one text.
const EVERYTHING_KEPT_OR_ASKED: &str = r#"const done = arguments[arguments.length - 1];
(async () => {
  const parts = [document.cookie, location.href];
  for (const s of [localStorage, sessionStorage]) {
    for (const k of Object.keys(s)) { parts.push(k, s.getItem(k)); }
  }
  if (indexedDB.databases) {
    for (const d of await indexedDB.databases()) { parts.push('indexeddb:' + d.name); }
  }
  if (self.caches) {
    for (const k of await caches.keys()) {
      parts.push('cache:' + k);
      for (const r of await (await caches.open(k)).keys()) { parts.push(r.url); }
    }
  }
  for (const e of performance.getEntries()) { parts.push(e.name); }
  return parts.join('\n');
})().then(done, e => done('failed: ' + e));"#;

#[test]
fn what_a_reader_types_is_kept_nowhere_and_sent_nowhere() {
    let lib = library();
    let protocol = lib
        .protocols
        .first()
        .map(|p| p.id.clone())
        .expect("a protocol");
    browser_test("sentinel", 390, 844, |c, base| async move {
        goto(&c, &format!("{base}checker.html")).await;
        wait_until(
            &c,
            "the checker starts",
            "return document.documentElement.dataset.checker === 'ready'",
            Duration::from_secs(20),
        )
        .await;
        let select = within(
            "finding the protocol list",
            c.find(fantoccini::Locator::Css("#mcph-protocol")),
        )
        .await;
        within("choosing", select.select_by_value(&protocol)).await;
        // Distinctive values, first as mistakes (kept on the page), then as answers.
        type_into(&c, "#mcph-age", "Zebra7319Quill").await;
        click(&c, "input[name=time_mode][value=hours]").await;
        type_into(&c, "#mcph-hours", "Xylo4826Vane").await;
        click(&c, ".mcph-form button[type=submit]").await;
        wait_until(
            &c,
            "the error summary",
            "return !!document.getElementById('mcph-error-summary')",
            Duration::from_secs(10),
        )
        .await;
        type_into(&c, "#mcph-age", "17").await;
        type_into(&c, "#mcph-hours", "4826.7319").await;
        click(&c, ".mcph-form button[type=submit]").await;
        wait_until(
            &c,
            "a result",
            "return !!document.getElementById('mcph-result-heading')",
            Duration::from_secs(10),
        )
        .await;
        click(&c, ".mcph-tools button:nth-child(1)").await;
        wait_until(
            &c,
            "the text summary",
            "return !!document.getElementById('mcph-text')",
            Duration::from_secs(10),
        )
        .await;
        let kept = within(
            "reading what the browser keeps",
            c.execute_async(EVERYTHING_KEPT_OR_ASKED, vec![]),
        )
        .await;
        let kept = kept.as_str().unwrap_or("not readable").to_string();
        assert!(!kept.starts_with("failed"), "{kept}");
        for sentinel in ["Zebra7319Quill", "Xylo4826Vane", "4826.7319"] {
            assert!(
                !kept.contains(sentinel),
                "{sentinel} was kept or sent:\n{kept}"
            );
        }
        // The values are on the page, where the reader put them, and nowhere else.
        assert_eq!(
            js(&c, "return document.getElementById('mcph-hours').value").await,
            json!("4826.7319")
        );
        c
    })
}
