//! Shared by the workspace-level tests: where the built site and the protocols are, and a
//! real headless Chromium driven over WebDriver, with a time limit on every call.

#![allow(dead_code)]

use fantoccini::{Client, ClientBuilder, Locator};
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use serde_json::json;
use std::future::Future;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The longest any single WebDriver call may take.
pub const CALL_LIMIT: Duration = Duration::from_secs(60);
/// The longest a whole browser test may take.
pub const RUN_LIMIT: Duration = Duration::from_secs(300);

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The built site. `cargo xtask test` builds it first and says where.
pub fn site() -> PathBuf {
    match std::env::var_os("MCPH_SITE") {
        Some(p) => PathBuf::from(p),
        None => panic!(
            "MCPH_SITE is not set: these tests check the built site; run them with `cargo xtask test`, which builds the site first"
        ),
    }
}

/// The protocols folder the site was built from.
pub fn protocols_dir() -> PathBuf {
    std::env::var_os("MCPH_PROTOCOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("protocols"))
}

pub fn library() -> handbook_content::Library {
    match handbook_content::load(&protocols_dir(), None) {
        Ok(lib) => lib,
        Err(errors) => {
            let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
            panic!("the protocols folder has problems:\n{}", lines.join("\n"))
        }
    }
}

/// Where tests leave screenshots and reports.
pub fn output_dir() -> PathBuf {
    let dir = workspace().join("test-output");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Awaits a WebDriver call, failing the test if it takes longer than CALL_LIMIT.
pub async fn within<T, E: std::fmt::Debug>(
    what: &str,
    fut: impl Future<Output = Result<T, E>>,
) -> T {
    match tokio::time::timeout(CALL_LIMIT, fut).await {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => panic!("{what}: {e:?}"),
        Err(_) => panic!("{what}: no answer within {CALL_LIMIT:?} (hung browser?)"),
    }
}

/// ChromeDriver in its own process group, killed with its browsers when dropped.
pub struct Driver {
    child: Child,
    pub port: u16,
    profile: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The whole group: chromedriver and every Chromium process it started.
        let pgid = Pid::from_raw(self.child.id() as i32);
        let _ = killpg(pgid, Signal::SIGKILL);
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Driver {
    pub fn start() -> Driver {
        let exe =
            std::env::var("MCPH_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let port = free_port();
        let profile =
            std::env::temp_dir().join(format!("mcph-chromium-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&profile);
        let mut cmd = Command::new(&exe);
        cmd.arg(format!("--port={port}"));
        if let Some(log) = std::env::var_os("MCPH_DRIVER_LOG") {
            cmd.arg("--verbose")
                .arg(format!("--log-path={}-{port}.log", log.to_string_lossy()));
        }
        let child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {exe}: {e}; `cargo xtask test` installs it"));
        let driver = Driver {
            child,
            port,
            profile,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not start listening within 20 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }

    /// A new browser session at the given window size.
    pub async fn session(&self, width: u32, height: u32) -> Client {
        self.session_with(width, height, &[]).await
    }

    /// A new browser session with extra Chromium switches (e.g. a dark colour scheme).
    pub async fn session_with(&self, width: u32, height: u32, extra: &[&str]) -> Client {
        let chromium =
            std::env::var("MCPH_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let mut caps = serde_json::Map::new();
        // Navigation returns once the document is parsed; each test then waits, with a limit,
        // for what it needs (the checker says when it is ready).
        caps.insert("pageLoadStrategy".into(), json!("eager"));
        let mut args: Vec<String> = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--hide-scrollbars",
            "--disable-renderer-backgrounding",
            "--disable-background-timer-throttling",
            "--disable-backgrounding-occluded-windows",
            "--no-default-browser-check",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.push(format!("--user-data-dir={}", self.profile.display()));
        args.push(format!("--window-size={width},{height}"));
        args.extend(extra.iter().map(|s| s.to_string()));
        // Open a blank page, not the browser's start page: Debian's Chromium starts on a
        // search engine's page, and with no network that stalls navigation.
        args.push("about:blank".to_string());
        caps.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": chromium, "args": args }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let url = format!("http://127.0.0.1:{}", self.port);
        let client = within(
            "starting a browser session",
            ClientBuilder::new(connector)
                .capabilities(caps)
                .connect(&url),
        )
        .await;
        within(
            "setting WebDriver timeouts",
            client.update_timeouts(timeouts()),
        )
        .await;
        // Chromium will not make a window narrower than about 500 px, so a test that asks for
        // a small phone (320 or 390 px) would quietly get a wider page: there, the viewport is
        // emulated at the size asked for.
        let inner = js(&client, "return window.innerWidth").await;
        if inner.as_u64() != Some(u64::from(width)) {
            cdp(
                &client,
                "Emulation.setDeviceMetricsOverride",
                json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
            )
            .await;
            let inner = js(&client, "return window.innerWidth").await;
            assert_eq!(
                inner.as_u64(),
                Some(u64::from(width)),
                "the page is not {width} px wide"
            );
        }
        client
    }
}

/// Runs a browser test against the built site served on loopback, within RUN_LIMIT.
pub fn browser_test<F, Fut>(name: &str, width: u32, height: u32, test: F)
where
    F: FnOnce(Client, String) -> Fut,
    Fut: Future<Output = Client>,
{
    browser_test_with(name, width, height, &[], test)
}

/// The Chromium switch that makes pages see `prefers-color-scheme: dark`, as a phone in dark
/// mode does.
pub const DARK: &str = "--blink-settings=preferredColorScheme=0";

/// [`browser_test`] with extra Chromium switches.
pub fn browser_test_with<F, Fut>(name: &str, width: u32, height: u32, extra: &[&str], test: F)
where
    F: FnOnce(Client, String) -> Fut,
    Fut: Future<Output = Client>,
{
    // One browser at a time: this machine has two cores, and Chromium starves when shared.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let server = handbook_book::serve::start(site(), 0).expect("serving the site on loopback");
    let base = format!("http://127.0.0.1:{}/", server.port);
    let driver = Driver::start();
    rt.block_on(async {
        let run = async {
            let client = driver.session_with(width, height, extra).await;
            let client = test(client, base).await;
            let _ = tokio::time::timeout(CALL_LIMIT, client.close()).await;
        };
        if tokio::time::timeout(RUN_LIMIT, run).await.is_err() {
            panic!("{name}: the browser test did not finish within {RUN_LIMIT:?}");
        }
    });
    drop(driver);
    drop(server);
}

/// How long a navigation may take before ChromeDriver gives up on it: a page of the site is
/// parsed in well under a second.
const PAGE_LOAD: Duration = Duration::from_secs(15);

/// The session's WebDriver timeouts: scripts 20 s, navigations `PAGE_LOAD`, no implicit wait.
fn timeouts() -> fantoccini::wd::TimeoutConfiguration {
    fantoccini::wd::TimeoutConfiguration::new(
        Some(Duration::from_secs(20)),
        Some(PAGE_LOAD),
        Some(Duration::from_secs(0)),
    )
}

/// Opens a page, failing the test if it does not load within PAGE_LOAD. (Navigations used to
/// stall now and then, about 20 in a full run, and were retried: the site's server left some
/// of a page's requests unanswered while other connections sat idle. The server now answers
/// every connection at once, and a stall is a failure again.)
pub async fn goto(c: &Client, url: &str) {
    match tokio::time::timeout(CALL_LIMIT, c.goto(url)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("opening {url}: {e:?}"),
        Err(_) => panic!("opening {url}: no answer within {CALL_LIMIT:?} (hung browser?)"),
    }
}

pub async fn js(c: &Client, script: &str) -> serde_json::Value {
    within(&format!("running {script}"), c.execute(script, vec![])).await
}

/// The page of a typical chapter, and its title: Wandsworth's return home conversation, or
/// with other protocols (the test fixtures), the first protocol's first chapter.
pub fn typical_chapter() -> (String, String) {
    let lib = library();
    let (p, ch) = lib
        .protocols
        .iter()
        .find(|p| p.id == "wandsworth")
        .and_then(|p| {
            p.chapters
                .iter()
                .find(|c| c.stem.ends_with("return-home-conversation"))
                .map(|c| (p, c))
        })
        .or_else(|| {
            let p = lib.protocols.first()?;
            Some((p, p.chapters.first()?))
        })
        .expect("a protocol with a chapter");
    (
        format!("protocols/{}/{}.html", p.id, ch.stem),
        ch.title.clone(),
    )
}

/// Waits, with a limit, until the page opened has loaded everything it refers to.
pub async fn loaded(c: &Client, page: &str) {
    wait_until(
        c,
        &format!("{page} loads"),
        "return document.readyState === 'complete'",
        Duration::from_secs(30),
    )
    .await;
}

/// Waits until `script` returns true, failing after `limit`.
pub async fn wait_until(c: &Client, what: &str, script: &str, limit: Duration) {
    let deadline = Instant::now() + limit;
    loop {
        if js(c, script).await == json!(true) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: not true within {limit:?}: {script}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Clicks an element as a person would, after scrolling it to the middle of the window so
/// that mdBook's sticky menu bar is not over it.
pub async fn click(c: &Client, css: &str) {
    let el = within(&format!("finding {css}"), c.find(Locator::Css(css))).await;
    let arg = serde_json::to_value(&el).expect("an element reference");
    within(
        &format!("scrolling to {css}"),
        c.execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg]),
    )
    .await;
    within(&format!("clicking {css}"), el.click()).await;
}

/// Replaces what a text field holds, as a person would: select all, then type.
pub async fn type_into(c: &Client, css: &str, text: &str) {
    let el = within(&format!("finding {css}"), c.find(Locator::Css(css))).await;
    within(&format!("clearing {css}"), el.clear()).await;
    // Clearing fires no input event; typing does, so the checker sees the new value.
    let keys = if text.is_empty() {
        "\u{E003}".to_string()
    } else {
        text.to_string()
    };
    within(&format!("typing into {css}"), el.send_keys(&keys)).await;
}

pub async fn screenshot(c: &Client, name: &str) {
    let png = within("taking a screenshot", c.screenshot()).await;
    let path = output_dir().join(name);
    std::fs::write(&path, png).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    println!("screenshot: {}", path.display());
}

/// The WCAG tags every accessibility check runs.
pub const WCAG_TAGS: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// axe-core's source, fetched and checked by `cargo xtask test` (MCPH_AXE).
pub fn axe_source() -> String {
    let path = std::env::var("MCPH_AXE").expect(
        "MCPH_AXE is not set: run the tests with `cargo xtask test`, which fetches axe-core",
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read axe-core at {path}: {e}"))
}

/// Runs axe-core on the page as it is now; returns one line per violation (rule, impact,
/// the first few offending elements).
pub async fn axe_violations(c: &Client, axe: &str) -> Vec<String> {
    let injected = within(
        "injecting axe-core",
        c.execute(&format!("{axe};\nreturn typeof axe === 'object';"), vec![]),
    )
    .await;
    assert_eq!(injected, json!(true), "axe-core did not load");
    let script = format!(
        r#"const done = arguments[arguments.length - 1];
        axe.run(document, {{ runOnly: {{ type: 'tag', values: {tags} }}, resultTypes: ['violations'] }})
          .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' +
              v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' [' + (n.failureSummary || '').replace(/\\s+/g, ' ') + ']').join(', '))))
          .catch(e => done(['axe failed: ' + e]));"#,
        tags = json!(WCAG_TAGS)
    );
    let out = within("running axe-core", c.execute_async(&script, vec![])).await;
    out.as_array()
        .into_iter()
        .flatten()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect()
}

/// What a reader of the page as it stands would meet that WCAG 2.2 AA forbids: sideways
/// scrolling at this window's width, and axe-core's violations. axe runs from the top of the
/// page: where the page happens to be scrolled decides what sits under mdBook's sticky menu
/// bar, which axe would count as "obscured" (focus is kept clear of the bar by the theme's
/// scroll-margin-top).
pub async fn accessibility_problems(c: &Client, axe: &str) -> Vec<String> {
    let mut out = Vec::new();
    let sideways = js(
        c,
        "return document.documentElement.scrollWidth > window.innerWidth ? window.innerWidth : 0",
    )
    .await;
    if sideways.as_u64().unwrap_or(0) > 0 {
        out.push(format!("scrolls sideways at {sideways} px"));
    }
    js(c, "window.scrollTo(0, 0); return true").await;
    out.extend(axe_violations(c, axe).await);
    out
}

/// A Chrome DevTools Protocol command, sent through ChromeDriver's `goog/cdp/execute`.
#[derive(Debug)]
pub struct Cdp {
    pub cmd: &'static str,
    pub params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Sends a DevTools command, within CALL_LIMIT.
pub async fn cdp(c: &Client, cmd: &'static str, params: serde_json::Value) {
    within(&format!("sending {cmd}"), c.issue_cmd(Cdp { cmd, params })).await;
}
