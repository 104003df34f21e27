//! A small static file server for the built site, on loopback. It sends the handbook's
//! Content-Security-Policy and the right types for JavaScript and WebAssembly, and compresses
//! text and WebAssembly with gzip as a real web server would, so the bytes the browser tests
//! see transferred are what a reader would download.

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue};
use hyper::{Request, Response, StatusCode};
use std::collections::HashMap;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::SystemTime;

/// The policy the handbook is built to work under.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// How long a browser may keep a file: a year, without asking again, for a file named after
/// its content (`crate::fingerprint`), which never changes; for pages and anything else, keep
/// it but ask the server each time whether it is still current.
pub fn cache_control(status: StatusCode, path: &str) -> &'static str {
    if status == StatusCode::OK && crate::fingerprint::is_named_by_content(path) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// The file a request path names, inside `dir`; None for anything that would leave it.
pub fn resolve(dir: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    let mut out = dir.to_path_buf();
    for c in Path::new(decoded.trim_start_matches('/')).components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if out.is_dir() {
        out.push("index.html");
    }
    Some(out)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A running server. Dropping it stops it.
pub struct Running {
    pub port: u16,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    handle: Option<thread::JoinHandle<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// Whether a file of this type is worth compressing (images and fonts already are). The site's
/// one `application/octet-stream` file is the checker's rule data (`checker/rules.bin`), mostly
/// words: a quarter of its size gzipped.
fn compressible(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || matches!(
            content_type,
            "application/wasm" | "application/json" | "image/svg+xml" | "application/octet-stream"
        )
}

/// True when the request says the browser reads gzip.
fn accepts_gzip(request: &Request<Incoming>) -> bool {
    request
        .headers()
        .get_all(hyper::header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|e| e.split(';').next().is_some_and(|e| e.trim() == "gzip"))
}

fn gzip(bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).ok()?;
    enc.finish().ok()
}

/// The site's folder, and compressed bodies kept while their file is unchanged (as a web
/// server's cache would).
struct Site {
    dir: PathBuf,
    zipped: Mutex<HashMap<PathBuf, (SystemTime, Vec<u8>)>>,
}

impl Site {
    fn zipped(&self, file: &Path, bytes: &[u8]) -> Option<Vec<u8>> {
        let modified = fs::metadata(file).and_then(|m| m.modified()).ok();
        let cache = || self.zipped.lock().unwrap_or_else(|e| e.into_inner());
        if let (Some(when), Some((cached_when, body))) = (modified, cache().get(file))
            && when == *cached_when
        {
            return Some(body.clone());
        }
        // Compressed without holding the cache, so other requests are not kept waiting.
        let body = gzip(bytes)?;
        if let Some(when) = modified {
            cache().insert(file.to_path_buf(), (when, body.clone()));
        }
        Some(body)
    }

    /// The answer to one request: the file, or the site's 404 page, with the handbook's
    /// security headers.
    fn respond(&self, request: &Request<Incoming>) -> Response<Full<Bytes>> {
        let file = resolve(&self.dir, request.uri().path());
        let body = file.as_ref().and_then(|f| fs::read(f).ok());
        let (status, kind, body, zipped) = match (&file, body) {
            (Some(f), Some(bytes)) => {
                let kind = content_type(f);
                let gzip_wanted = compressible(kind) && accepts_gzip(request);
                match gzip_wanted.then(|| self.zipped(f, &bytes)).flatten() {
                    Some(z) => (StatusCode::OK, kind, z, true),
                    None => (StatusCode::OK, kind, bytes, false),
                }
            }
            _ => {
                let page =
                    fs::read(self.dir.join("404.html")).unwrap_or_else(|_| b"Not found".to_vec());
                (
                    StatusCode::NOT_FOUND,
                    "text/html; charset=utf-8",
                    page,
                    false,
                )
            }
        };
        let mut response = Response::new(Full::new(Bytes::from(body)));
        *response.status_mut() = status;
        let headers = response.headers_mut();
        let mut set = |name: &'static str, value: &'static str| {
            headers.insert(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        };
        set("content-type", kind);
        if zipped {
            set("content-encoding", "gzip");
        }
        set("vary", "Accept-Encoding");
        set("content-security-policy", CSP);
        set("x-content-type-options", "nosniff");
        set("referrer-policy", "no-referrer");
        set("cache-control", cache_control(status, request.uri().path()));
        response
    }
}

/// Serves `dir` on 127.0.0.1:`port` (0 picks a free port) in a background thread.
///
/// Each connection is a task of its own (hyper on tokio), so however many connections a
/// browser keeps open and idle between requests, a new one is answered at once. (The server
/// this replaced gave each connection a thread from a small pool; a page's last requests
/// could wait in its queue until an idle connection closed, and the page never finished
/// loading.)
pub fn start(dir: PathBuf, port: u16) -> std::io::Result<Running> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
    listener.set_nonblocking(true)?;
    let port = listener.local_addr()?.port();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let site = Arc::new(Site {
        dir,
        zipped: Mutex::new(HashMap::new()),
    });
    let handle = thread::spawn(move || {
        runtime.block_on(async move {
            let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                return;
            };
            let accept = async {
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        // (Out of file handles, say: wait for some to close, without spinning.)
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        continue;
                    };
                    let site = site.clone();
                    tokio::spawn(async move {
                        let service = hyper::service::service_fn(move |request| {
                            let response = site.respond(&request);
                            async move { Ok::<_, std::convert::Infallible>(response) }
                        });
                        let _ = hyper::server::conn::http1::Builder::new()
                            .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                            .await;
                    });
                }
            };
            tokio::select! {
                _ = stopped => {}
                _ = accept => {}
            }
        });
        // Dropping the runtime here ends every connection's task.
    });
    Ok(Running {
        port,
        stop: Some(stop),
        handle: Some(handle),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_cannot_leave_the_site() {
        let dir = Path::new("/site");
        assert_eq!(
            resolve(dir, "/checker/x.js?v=1"),
            Some(PathBuf::from("/site/checker/x.js"))
        );
        assert_eq!(
            resolve(dir, "/a%20b.html"),
            Some(PathBuf::from("/site/a b.html"))
        );
        assert_eq!(resolve(dir, "/../etc/passwd"), None);
        assert_eq!(resolve(dir, "/%2e%2e/etc/passwd"), None);
        assert_eq!(content_type(Path::new("a.wasm")), "application/wasm");
        assert_eq!(
            content_type(Path::new("a.js")),
            "text/javascript; charset=utf-8"
        );
    }

    /// One request over HTTP/1.0 (so the server closes the connection after answering).
    fn get(port: u16, path: &str, accept: &str) -> (String, Vec<u8>) {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connects");
        s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .expect("timeout");
        write!(
            s,
            "GET {path} HTTP/1.0\r\nAccept-Encoding: {accept}\r\n\r\n"
        )
        .expect("sends");
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("reads");
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("headers end");
        let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
        (head, raw[split + 4..].to_vec())
    }

    #[test]
    fn text_webassembly_and_rule_data_go_compressed_to_browsers_that_read_gzip() {
        use std::io::Read;
        let dir = std::env::temp_dir().join(format!("mcph-serve-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("temp dir");
        let script = "const answer = 'the same line, again and again';\n".repeat(200);
        fs::write(dir.join("a.js"), &script).expect("writes");
        fs::write(dir.join("a.png"), [0x89, b'P', b'N', b'G']).expect("writes");
        let server = start(dir.clone(), 0).expect("starts");

        let (head, body) = get(server.port, "/a.js", "deflate, gzip;q=0.9");
        assert!(head.contains("content-encoding: gzip"), "{head}");
        assert!(head.contains("content-security-policy"), "{head}");
        assert!(body.len() < script.len() / 10, "{} bytes", body.len());
        let mut text = String::new();
        flate2::read::GzDecoder::new(&body[..])
            .read_to_string(&mut text)
            .expect("gzip");
        assert_eq!(text, script);

        assert!(head.contains("cache-control: no-cache"), "{head}");

        let (head, body) = get(server.port, "/a.js", "identity");
        assert!(!head.contains("content-encoding"), "{head}");
        assert_eq!(body, script.as_bytes());

        let (head, body) = get(server.port, "/a.png", "gzip");
        assert!(!head.contains("content-encoding"), "{head}");
        assert_eq!(body, [0x89, b'P', b'N', b'G']);

        // The checker's rule data is binary, and mostly words.
        let rules = script.as_bytes();
        fs::write(dir.join("rules.bin"), rules).expect("writes");
        let (head, body) = get(server.port, "/rules.bin", "gzip");
        assert!(head.contains("content-encoding: gzip"), "{head}");
        assert!(body.len() < rules.len() / 10, "{} bytes", body.len());

        // A file named after its content is kept for a year; a missing one is not.
        let named = crate::fingerprint::content_name("a.js", script.as_bytes());
        fs::write(dir.join(&named), &script).expect("writes");
        let (head, _) = get(server.port, &format!("/{named}"), "gzip");
        assert!(
            head.contains("cache-control: public, max-age=31536000, immutable"),
            "{head}"
        );
        let gone = crate::fingerprint::content_name("b.js", b"never written");
        let (head, _) = get(server.port, &format!("/{gone}"), "gzip");
        assert!(head.contains(" 404 "), "{head}");
        assert!(head.contains("cache-control: no-cache"), "{head}");
        drop(server);
        let _ = fs::remove_dir_all(&dir);
    }

    /// A browser keeps several connections open between requests (keep-alive) and opens new
    /// ones in bursts. A connection opened while others sit idle must still be answered at
    /// once: a page whose last style sheet waits for an idle connection to close never
    /// finishes loading.
    #[test]
    fn idle_connections_never_hold_up_a_new_one() {
        use std::io::{Read, Write};
        let dir = std::env::temp_dir().join(format!("mcph-serve-idle-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("temp dir");
        fs::write(dir.join("a.css"), "p { color: black }").expect("writes");
        let server = start(dir.clone(), 0).expect("starts");
        let ask = |s: &mut std::net::TcpStream| {
            s.set_read_timeout(Some(std::time::Duration::from_secs(3)))
                .expect("timeout");
            write!(s, "GET /a.css HTTP/1.1\r\nHost: x\r\n\r\n").expect("sends");
            let mut got = Vec::new();
            let mut buf = [0u8; 4096];
            while !got.ends_with(b"p { color: black }") {
                match s.read(&mut buf) {
                    Ok(0) | Err(_) => return false,
                    Ok(n) => got.extend_from_slice(&buf[..n]),
                }
            }
            true
        };
        // Bursts of connections, opened together; each asks once and is then kept open,
        // idle, as a browser keeps them: 160 in the end.
        let mut idle = Vec::new();
        for round in 0..20 {
            let mut burst: Vec<std::net::TcpStream> = (0..8)
                .map(|_| {
                    std::net::TcpStream::connect(("127.0.0.1", server.port)).expect("connects")
                })
                .collect();
            for (i, s) in burst.iter_mut().enumerate() {
                assert!(
                    ask(s),
                    "round {round}: connection {i} of a burst of 8 got no answer within 3 s, with {} others idle",
                    idle.len()
                );
            }
            idle.extend(burst);
        }
        // The first connection still answers a second request.
        assert!(
            ask(&mut idle[0]),
            "a kept-open connection got no second answer"
        );
        drop(server);
        let _ = fs::remove_dir_all(&dir);
    }
}
