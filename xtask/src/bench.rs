//! `cargo xtask bench-build`: the handbook's full site build against a stock mdBook build of
//! the same Markdown, in one run, as a ratio.

use crate::{Args, build, target_dir};
use std::time::{Duration, Instant};

const RUNS: usize = 3;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

pub fn run(args: &Args) -> Result<(), String> {
    // A first build stages the Markdown and warms the checker's cargo build.
    build::site(args)?;
    let stage = target_dir(&args.root).join("handbook-src");
    let stock_out = target_dir(&args.root).join("bench-stock-site");
    let mut ours = Vec::new();
    let mut stock = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        build::site(args)?;
        ours.push(t.elapsed());
        let t = Instant::now();
        handbook_book::stock_build(&stage, &stock_out).map_err(|e| format!("{e:#}"))?;
        stock.push(t.elapsed());
    }
    let (a, b) = (median(ours), median(stock));
    println!(
        "full site build (checker, content checks, mdBook, post-processing): {a:.2?} (median of {RUNS})"
    );
    println!(
        "stock mdBook build of the same Markdown, no preprocessors:           {b:.2?} (median of {RUNS})"
    );
    println!(
        "ratio: {:.2}",
        a.as_secs_f64() / b.as_secs_f64().max(f64::EPSILON)
    );
    Ok(())
}
