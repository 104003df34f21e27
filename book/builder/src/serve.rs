//! A small static file server for the built site, on loopback. It sends the handbook's
//! Content-Security-Policy and the right types for JavaScript and WebAssembly, and compresses
//! text and WebAssembly with gzip as a real web server would, so the bytes the browser tests
//! see transferred are what a reader would download.

use std::collections::HashMap;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, SystemTime};
use tiny_http::{Header, Response, Server};

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
    stop: Arc<AtomicBool>,
    handle: Option<thread::JoinHandle<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

/// Whether a file of this type is worth compressing (images and fonts already are).
fn compressible(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || matches!(
            content_type,
            "application/wasm" | "application/json" | "image/svg+xml"
        )
}

/// True when the request says the browser reads gzip.
fn accepts_gzip(request: &tiny_http::Request) -> bool {
    request.headers().iter().any(|h| {
        h.field.equiv("Accept-Encoding")
            && h.value
                .as_str()
                .split(',')
                .any(|e| e.split(';').next().is_some_and(|e| e.trim() == "gzip"))
    })
}

fn gzip(bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).ok()?;
    enc.finish().ok()
}

/// Serves `dir` on 127.0.0.1:`port` (0 picks a free port) in a background thread.
pub fn start(dir: PathBuf, port: u16) -> std::io::Result<Running> {
    let server = Server::http(("127.0.0.1", port)).map_err(std::io::Error::other)?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .unwrap_or(port);
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let handle = thread::spawn(move || {
        // Compressed bodies, kept while the file is unchanged (as a web server's cache would).
        let mut zipped_cache: HashMap<PathBuf, (Option<SystemTime>, Vec<u8>)> = HashMap::new();
        while !flag.load(Ordering::SeqCst) {
            let Ok(Some(request)) = server.recv_timeout(Duration::from_millis(200)) else {
                continue;
            };
            let file = resolve(&dir, request.url());
            let body = file.as_ref().and_then(|f| fs::read(f).ok());
            let mut response = match (&file, body) {
                (Some(f), Some(bytes)) => {
                    let kind = content_type(f);
                    let zipped = if compressible(kind) && accepts_gzip(&request) {
                        let modified = fs::metadata(f).and_then(|m| m.modified()).ok();
                        match zipped_cache.get(f) {
                            Some((when, body)) if when.is_some() && *when == modified => {
                                Some(body.clone())
                            }
                            _ => gzip(&bytes).inspect(|body| {
                                zipped_cache.insert(f.clone(), (modified, body.clone()));
                            }),
                        }
                    } else {
                        None
                    };
                    let mut r = Response::from_data(zipped.as_deref().unwrap_or(&bytes));
                    if let Some(h) = header("Content-Type", kind) {
                        r.add_header(h);
                    }
                    if zipped.is_some()
                        && let Some(h) = header("Content-Encoding", "gzip")
                    {
                        r.add_header(h);
                    }
                    if let Some(h) = header("Vary", "Accept-Encoding") {
                        r.add_header(h);
                    }
                    r
                }
                _ => {
                    let page =
                        fs::read(dir.join("404.html")).unwrap_or_else(|_| b"Not found".to_vec());
                    let mut r = Response::from_data(page).with_status_code(404);
                    if let Some(h) = header("Content-Type", "text/html; charset=utf-8") {
                        r.add_header(h);
                    }
                    r
                }
            };
            for (name, value) in [
                ("Content-Security-Policy", CSP),
                ("X-Content-Type-Options", "nosniff"),
                ("Referrer-Policy", "no-referrer"),
                ("Cache-Control", "no-cache"),
            ] {
                if let Some(h) = header(name, value) {
                    response.add_header(h);
                }
            }
            let _ = request.respond(response);
        }
    });
    Ok(Running {
        port,
        stop,
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
        s.set_read_timeout(Some(Duration::from_secs(10)))
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
    fn text_and_webassembly_go_compressed_to_browsers_that_read_gzip() {
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

        let (head, body) = get(server.port, "/a.js", "identity");
        assert!(!head.contains("content-encoding"), "{head}");
        assert_eq!(body, script.as_bytes());

        let (head, body) = get(server.port, "/a.png", "gzip");
        assert!(!head.contains("content-encoding"), "{head}");
        assert_eq!(body, [0x89, b'P', b'N', b'G']);
        drop(server);
        let _ = fs::remove_dir_all(&dir);
    }
}
