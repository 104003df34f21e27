//! The exhaustive sweep: every case of a grid against every protocol.
//!
//! The grid is age 0–25 × looked after (yes / no / unknown) × returned (yes / no) × hours
//! missing (0, 2000, and every hours threshold the protocols name, ± 1, within 0–2000) ×
//! episodes in each window 1–12 (the same count in the 28-day, 90-day and 12-month windows) ×
//! police risk (unknown and the four levels). Every other field is unknown.
//!
//! A *gap* is a case for which no rule of a protocol applies now (no classification, action or
//! consideration). An *overlap* is a case for which two applying rules give the same action
//! (see [`action`]) timescales from the same event that differ.

use crate::notes::Notes;
use handbook_engine::eval::Item;
use handbook_engine::{Case, Kind, PoliceRisk, Protocol, evaluate};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The highest hours-missing value in the grid.
pub const MAX_GRID_HOURS: f64 = 2000.0;

/// The axes of the grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub ages: Vec<u32>,
    pub looked_after: Vec<Option<bool>>,
    pub returned: Vec<bool>,
    pub hours: Vec<f64>,
    pub episodes: Vec<u32>,
    pub risks: Vec<Option<PoliceRisk>>,
}

/// The hours-missing values worth trying: 0, [`MAX_GRID_HOURS`], and every threshold (in
/// hours; `days_missing` thresholds × 24) that some rule names, with one hour either side.
pub fn hour_points<'a>(protocols: impl IntoIterator<Item = &'a Protocol>) -> Vec<f64> {
    let mut points = vec![0.0, MAX_GRID_HOURS];
    for p in protocols {
        for t in p.hour_thresholds() {
            points.extend([t - 1.0, t, t + 1.0]);
        }
    }
    points.retain(|h| (0.0..=MAX_GRID_HOURS).contains(h));
    points.sort_by(f64::total_cmp);
    points.dedup();
    points
}

impl Grid {
    /// The whole grid, with the hours thresholds of these protocols.
    pub fn new<'a>(protocols: impl IntoIterator<Item = &'a Protocol>) -> Grid {
        Grid {
            ages: (0..=25).collect(),
            looked_after: vec![Some(true), Some(false), None],
            returned: vec![false, true],
            hours: hour_points(protocols),
            episodes: (1..=12).collect(),
            risks: vec![
                None,
                Some(PoliceRisk::NoApparentRisk),
                Some(PoliceRisk::Low),
                Some(PoliceRisk::Medium),
                Some(PoliceRisk::High),
            ],
        }
    }

    fn radices(&self) -> [usize; 6] {
        [
            self.risks.len(),
            self.episodes.len(),
            self.hours.len(),
            self.returned.len(),
            self.looked_after.len(),
            self.ages.len(),
        ]
    }

    /// The number of cases.
    pub fn len(&self) -> usize {
        self.radices().iter().product()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The case at `index` (0 ≤ index < len), police risk varying fastest.
    pub fn case(&self, index: usize) -> Case {
        let mut digits = [0usize; 6];
        let mut rest = index;
        for (d, r) in digits.iter_mut().zip(self.radices()) {
            *d = rest % r;
            rest /= r;
        }
        let [risk, episodes, hours, returned, looked_after, age] = digits;
        let e = self.episodes[episodes];
        Case {
            age: Some(self.ages[age]),
            looked_after: self.looked_after[looked_after],
            returned: Some(self.returned[returned]),
            hours_missing: Some(self.hours[hours]),
            episodes_28_days: Some(e),
            episodes_90_days: Some(e),
            episodes_12_months: Some(e),
            police_risk: self.risks[risk],
            ..Case::default()
        }
    }
}

/// What kind of action a timed item is, for finding overlaps: two items are the same action
/// when this gives the same words. Read from the item's text: the protocols time a few kinds
/// of action (safe and well checks, return interviews, strategy meetings and their minutes,
/// referrals); anything else is its own action (its rule id).
pub fn action(item: &Item) -> String {
    let text = item.text.to_lowercase().replace('&', "and");
    let first = text.split_whitespace().next().unwrap_or("");
    if first == "refer" || first == "create" {
        return format!("referral ({})", item.rule);
    }
    if text.contains("minutes") {
        return "strategy meeting minutes".to_string();
    }
    if text.contains("safe and well") {
        return "safe and well check".to_string();
    }
    if [
        "return home interview",
        "return home conversation",
        "return interview",
    ]
    .iter()
    .any(|w| text.contains(w))
    {
        return "return interview".to_string();
    }
    if text.contains("strategy meeting") || text.contains("strategy discussion") {
        return "strategy meeting".to_string();
    }
    item.rule.to_string()
}

/// Two rules of one protocol giving the same action different timescales from one event.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Overlap {
    pub action: String,
    /// Sorted.
    pub rules: [String; 2],
}

/// The overlaps among the items that apply to one case.
pub fn overlaps(items: &[&Item]) -> Vec<Overlap> {
    let mut out = Vec::new();
    let timed: Vec<(&Item, String)> = items
        .iter()
        .filter(|i| i.kind != Kind::Classification && i.timescale.is_some())
        .map(|i| (*i, action(i)))
        .collect();
    for (n, (a, action_a)) in timed.iter().enumerate() {
        for (b, action_b) in &timed[n + 1..] {
            let (Some(ta), Some(tb)) = (a.timescale, b.timescale) else {
                continue;
            };
            if action_a == action_b
                && ta.from == tb.from
                && (ta.amount, ta.unit) != (tb.amount, tb.unit)
            {
                let mut rules = [a.rule.to_string(), b.rule.to_string()];
                rules.sort();
                out.push(Overlap {
                    action: action_a.clone(),
                    rules,
                });
            }
        }
    }
    out
}

/// A group of gap cases, for the report: the grid axes that vary, as words.
fn gap_class(case: &Case) -> String {
    let yn = |b: Option<bool>| match b {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    };
    format!(
        "{}, looked after {}, returned {}, police risk {}",
        match case.age {
            Some(a) if a >= 18 => "aged 18-25",
            _ => "under 18",
        },
        yn(case.looked_after),
        yn(case.returned),
        case.police_risk.map(PoliceRisk::name).unwrap_or("unknown")
    )
}

/// What the sweep found for one protocol.
#[derive(Debug, Clone, Default)]
pub struct ProtocolSweep {
    pub id: String,
    pub cases: usize,
    pub gaps: usize,
    /// Gap cases no note explains: (class, count, one example).
    pub unexplained_gaps: BTreeMap<String, (usize, Case)>,
    /// Gap cases by the note that explains them (its line), with a count.
    pub explained_gaps: BTreeMap<usize, usize>,
    /// Overlaps with a count and one example case.
    pub overlaps: BTreeMap<Overlap, (usize, Case)>,
    /// Gap notes (by line) and overlap notes that matched nothing in this run.
    pub unused_gap_notes: Vec<usize>,
    pub unused_overlap_notes: Vec<usize>,
}

impl ProtocolSweep {
    /// Overlaps that no note explains.
    pub fn unexplained_overlaps<'a>(&'a self, notes: &'a Notes) -> Vec<&'a Overlap> {
        self.overlaps
            .keys()
            .filter(|o| notes.overlap(&o.rules).is_none())
            .collect()
    }
}

/// Runs the cases `indices` of `grid` against one protocol, checking them against its notes.
pub fn sweep(
    protocol: &Protocol,
    notes: &Notes,
    grid: &Grid,
    indices: impl Iterator<Item = usize>,
) -> ProtocolSweep {
    let mut out = ProtocolSweep {
        id: protocol.id.clone(),
        ..ProtocolSweep::default()
    };
    for index in indices {
        let case = grid.case(index);
        let eval = evaluate(protocol, &case);
        out.cases += 1;
        let applying: Vec<&Item> = eval.applying().collect();
        if applying.is_empty() {
            out.gaps += 1;
            match notes.gap(&case) {
                Some(line) => *out.explained_gaps.entry(line).or_default() += 1,
                None => {
                    out.unexplained_gaps
                        .entry(gap_class(&case))
                        .or_insert((0, case.clone()))
                        .0 += 1
                }
            }
        }
        for o in overlaps(&applying) {
            out.overlaps.entry(o).or_insert((0, case.clone())).0 += 1;
        }
    }
    out.unused_gap_notes = notes
        .gaps
        .iter()
        .map(|g| g.line)
        .filter(|line| !out.explained_gaps.contains_key(line))
        .collect();
    out.unused_overlap_notes = notes
        .overlaps
        .iter()
        .filter(|n| !out.overlaps.keys().any(|o| o.rules == n.rules))
        .map(|n| n.line)
        .collect();
    out
}

/// The sweep's report, as text for a file.
pub fn report(grid: &Grid, runs: &[(ProtocolSweep, Notes)], subset: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Exhaustive sweep ({subset}): {} ages × {} looked-after answers × {} returned answers × {} hours values × {} episode counts × {} risk answers = {} cases per protocol",
        grid.ages.len(),
        grid.looked_after.len(),
        grid.returned.len(),
        grid.hours.len(),
        grid.episodes.len(),
        grid.risks.len(),
        grid.len()
    );
    let hours: Vec<String> = grid.hours.iter().map(|h| format!("{h}")).collect();
    let _ = writeln!(s, "hours values: {}", hours.join(", "));
    for (run, notes) in runs {
        let _ = writeln!(
            s,
            "\n== {}: {} cases, {} gaps, {} overlapping pairs of rules",
            run.id,
            run.cases,
            run.gaps,
            run.overlaps.len()
        );
        for (line, count) in &run.explained_gaps {
            let reason = notes
                .gaps
                .iter()
                .find(|g| g.line == *line)
                .map(|g| g.reason.as_str())
                .unwrap_or("");
            let _ = writeln!(
                s,
                "gap, explained by {}:{line} ({count} cases): {reason}",
                notes.file
            );
        }
        for (class, (count, example)) in &run.unexplained_gaps {
            let _ = writeln!(
                s,
                "GAP NOT EXPLAINED ({count} cases): {class}; e.g. {}",
                example.to_json()
            );
        }
        for (o, (count, example)) in &run.overlaps {
            match notes.overlap(&o.rules) {
                Some(n) => {
                    let _ = writeln!(
                        s,
                        "overlap ({}) {} / {} ({count} cases), explained by {}:{}: {}",
                        o.action, o.rules[0], o.rules[1], notes.file, n.line, n.reason
                    );
                }
                None => {
                    let _ = writeln!(
                        s,
                        "OVERLAP NOT EXPLAINED ({}) {} / {} ({count} cases); e.g. {}",
                        o.action,
                        o.rules[0],
                        o.rules[1],
                        example.to_json()
                    );
                }
            }
        }
        for line in &run.unused_gap_notes {
            let _ = writeln!(s, "note {}:{line} explains no gap in this run", notes.file);
        }
        for line in &run.unused_overlap_notes {
            let _ = writeln!(
                s,
                "note {}:{line} explains no overlap in this run",
                notes.file
            );
        }
    }
    s
}

/// The sweep of every protocol of a library.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub grid: Grid,
    pub runs: Vec<(ProtocolSweep, Notes)>,
    /// True when every case of the grid was run.
    pub full: bool,
}

impl Outcome {
    /// Runs every protocol of `lib` over the cases of the grid that `pick` chooses (all of
    /// them when it returns `None`).
    pub fn run(
        lib: &handbook_content::Library,
        pick: impl Fn(&Grid) -> Option<Vec<usize>>,
    ) -> Result<Outcome, String> {
        let grid = Grid::new(lib.protocols.iter().map(|p| &p.protocol));
        let chosen = pick(&grid);
        let full = chosen.is_none();
        let mut runs = Vec::new();
        for p in &lib.protocols {
            let notes = Notes::load(&p.dir, &p.protocol).map_err(|errors| {
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            })?;
            let run = match &chosen {
                Some(indices) => sweep(&p.protocol, &notes, &grid, indices.iter().copied()),
                None => sweep(&p.protocol, &notes, &grid, 0..grid.len()),
            };
            runs.push((run, notes));
        }
        Ok(Outcome { grid, runs, full })
    }

    pub fn cases(&self) -> usize {
        self.runs.iter().map(|(r, _)| r.cases).sum()
    }

    pub fn gaps(&self) -> usize {
        self.runs.iter().map(|(r, _)| r.gaps).sum()
    }

    pub fn overlaps(&self) -> usize {
        self.runs.iter().map(|(r, _)| r.overlaps.len()).sum()
    }

    /// What no note explains; with `unused`, also the notes that explain nothing.
    pub fn problems(&self, unused: bool) -> Vec<String> {
        let mut out = Vec::new();
        for (run, notes) in &self.runs {
            for (class, (count, example)) in &run.unexplained_gaps {
                out.push(format!(
                    "{}: {count} gap cases not explained in {}: {class}; e.g. {}",
                    run.id,
                    notes.file,
                    example.to_json()
                ));
            }
            for o in run.unexplained_overlaps(notes) {
                out.push(format!(
                    "{}: overlap of `{}` and `{}` ({}) not explained in {}",
                    run.id, o.rules[0], o.rules[1], o.action, notes.file
                ));
            }
            if unused {
                for line in &run.unused_gap_notes {
                    out.push(format!(
                        "{}:{line}: this gap note explains no case of the grid: remove it",
                        notes.file
                    ));
                }
                for line in &run.unused_overlap_notes {
                    out.push(format!(
                        "{}:{line}: this overlap note explains no case of the grid: remove it",
                        notes.file
                    ));
                }
            }
        }
        out
    }

    /// The report, as text.
    pub fn report(&self, subset: &str) -> String {
        report(&self.grid, &self.runs, subset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_visits_every_value_of_every_axis() {
        let grid = Grid {
            ages: vec![0, 25],
            looked_after: vec![Some(true), None],
            returned: vec![false, true],
            hours: vec![0.0, 24.0, 25.0],
            episodes: vec![1, 12],
            risks: vec![None, Some(PoliceRisk::High)],
        };
        assert_eq!(grid.len(), 2 * 2 * 2 * 3 * 2 * 2);
        let cases: Vec<Case> = (0..grid.len()).map(|i| grid.case(i)).collect();
        for i in 0..cases.len() {
            for j in i + 1..cases.len() {
                assert_ne!(cases[i], cases[j], "cases {i} and {j} are the same");
            }
        }
        assert!(cases.iter().all(|c| c.check().is_empty()));
        assert_eq!(cases[grid.len() - 1].age, Some(25));
        assert_eq!(cases[1].police_risk, Some(PoliceRisk::High));
    }
}
