//! `cargo xtask serve`: build, serve on loopback, rebuild when a source file changes.

use crate::{Args, build};
use std::fs;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, SystemTime};

/// The folders whose files the site is made from.
fn watched(args: &Args) -> Vec<PathBuf> {
    vec![
        args.protocols.clone(),
        args.root.join("book/src"),
        args.root.join("book/book.toml"),
        args.root.join("theme"),
        args.root.join("checker/web/src"),
        args.root.join("checker/web/js"),
        args.root.join("checker/engine/src"),
    ]
}

/// The newest modification time of any file under the paths.
fn newest(paths: &[PathBuf]) -> Option<SystemTime> {
    fn walk(p: &Path, best: &mut Option<SystemTime>) {
        let Ok(meta) = fs::metadata(p) else { return };
        if meta.is_dir() {
            if let Ok(entries) = fs::read_dir(p) {
                for e in entries.flatten() {
                    walk(&e.path(), best);
                }
            }
        } else if let Ok(m) = meta.modified() {
            *best = (*best).max(Some(m));
        }
    }
    let mut best = None;
    for p in paths {
        walk(p, &mut best);
    }
    best
}

pub fn run(args: &Args) -> Result<(), String> {
    build::site(args)?;
    let server = handbook_book::serve::start(args.out.clone(), args.port)
        .map_err(|e| format!("cannot serve on 127.0.0.1:{}: {e}", args.port))?;
    println!(
        "Serving the handbook on http://127.0.0.1:{}/ (Ctrl-C to stop). Edits to protocols, pages, theme or checker rebuild it.",
        server.port
    );
    let paths = watched(args);
    let mut last = newest(&paths);
    loop {
        thread::sleep(Duration::from_millis(700));
        let now = newest(&paths);
        if now != last {
            last = now;
            println!("A file changed: rebuilding...");
            match build::site(args) {
                Ok(_) => println!("Rebuilt. Reload the page to see the change."),
                Err(e) => eprintln!("{e}\nThe site still shows the last good build."),
            }
        }
    }
}
