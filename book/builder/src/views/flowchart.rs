//! Flowcharts drawn from the rule data at build time as inline SVG, each with a text
//! equivalent made from the same data, in the shapes trainers draw:
//!
//! - a **decision chart** for classification ([`decision`]): yes/no questions on what the
//!   classification rules read, each answer leading to the classifications that then hold,
//!   with their paragraphs. The tree is built from the rules' conditions; every edge joins
//!   conditions that can both hold (checked with the engine's [`Condition::truth`]);
//! - a **swimlane timeline** of the response ([`timeline`]): one lane per actor (the
//!   vocabulary's names), time left to right (reported missing, each hour threshold the
//!   protocol names; then found or returned and the timed duties after return), each box an
//!   action with its timescale and paragraph. Boxes are placed, never joined by arrows.
//!
//! Both are drawn to fit a 1024×768 projector at 16 px text: the SVG's `viewBox` is about the
//! width of the content column and it is drawn at 100% width, and a chart too tall for one
//! screen is split into panels (a run of the decision chart's rows; three time columns and a
//! few lanes of the timeline) rather than shrunk. Each panel is a `<figure>` with a wide
//! drawing (screens, print), a narrow one (phones: the same steps in one column) and its
//! text equivalent. The layouts are regular (an indented outline of questions; a grid), so
//! they are computed here rather than with a general graph-layout crate; see the README.
//! Only `currentColor` and the classes of `theme/handbook.css` colour them, so they follow
//! the light and dark themes and print in black.

use super::{esc, para_href};
use handbook_content::ProtocolContent;
use handbook_engine::case::Case;
use handbook_engine::condition::{BoolField, Condition, NumField, Range, Truth, question};
use handbook_engine::model::{Event, Kind, Phase, Rule, Timescale, Unit};
use std::fmt::Write as _;

/// The four charts of a protocol (the names a chapter's `<!-- flowchart: ... -->` uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    Missing,
    Returned,
    Repeat,
    Classification,
}

impl Chart {
    pub const ALL: [Chart; 4] = [
        Chart::Classification,
        Chart::Missing,
        Chart::Returned,
        Chart::Repeat,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Chart::Missing => "missing",
            Chart::Returned => "returned",
            Chart::Repeat => "repeat",
            Chart::Classification => "classification",
        }
    }

    pub fn from_slug(s: &str) -> Option<Chart> {
        Chart::ALL.into_iter().find(|c| c.slug() == s)
    }

    pub fn title(self) -> &'static str {
        match self {
            Chart::Missing => "While the child is missing: who does what, along the clock",
            Chart::Returned => "After the child is found or returns: who does what, and by when",
            Chart::Repeat => "Repeat episodes: who does what",
            Chart::Classification => "How the episode is classified: a decision chart",
        }
    }

    fn desc(self) -> &'static str {
        match self {
            Chart::Missing => {
                "A swimlane timeline: one lane for each person or service, time running left to right from the report through each time threshold the protocol names. Each box is an action, with its timescale and paragraph."
            }
            Chart::Returned => {
                "A swimlane timeline: one lane for each person or service, time running left to right from the child's return through each timescale after it. Each box is an action, with its timescale and paragraph."
            }
            Chart::Repeat => {
                "A swimlane timeline of what the protocol adds when a child goes missing again, by the number of episodes in a period: one lane for each person or service."
            }
            Chart::Classification => {
                "A decision chart: questions about the child, each with a yes and a no branch, ending in the classifications that then hold, each with its paragraph."
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Conditions: what can both hold, what follows.

/// True when some case meets the condition (the engine's three-valued truth on a case with
/// nothing answered is false only when no answers could make it true).
pub fn satisfiable(c: &Condition) -> bool {
    c.truth(&Case::default(), &[]) != Truth::False
}

/// True when every case meeting `a` meets `b`.
pub fn implies(a: &Condition, b: &Condition) -> bool {
    !satisfiable(&Condition::All(vec![
        a.clone(),
        Condition::Not(Box::new(b.clone())),
    ]))
}

fn and(parts: &[&Condition]) -> Condition {
    Condition::All(parts.iter().map(|c| (*c).clone()).collect())
}

fn not(c: &Condition) -> Condition {
    Condition::Not(Box::new(c.clone()))
}

/// The parts of a condition that must all hold.
fn atoms(c: &Condition) -> Vec<Condition> {
    match c {
        Condition::All(parts) => parts.iter().flat_map(atoms).collect(),
        other => vec![other.clone()],
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// The yes/no question an atom asks. A yes/no field is always asked the positive way.
fn ask(atom: &Condition) -> (Condition, String) {
    match atom {
        Condition::Bool(f, _) => (Condition::Bool(*f, true), question(f.name()).to_string()),
        Condition::Number(NumField::Age, _) => {
            (atom.clone(), format!("Is the child {}?", atom.words()))
        }
        Condition::Risk(_) => (atom.clone(), format!("Is the {}?", atom.words())),
        other => (other.clone(), format!("{}?", capitalise(&other.words()))),
    }
}

fn priority(q: &Condition) -> usize {
    match q {
        Condition::Bool(BoolField::Returned, _) => 0,
        Condition::Bool(BoolField::WhereaboutsKnown, _) => 1,
        Condition::Number(NumField::Age, _) => 2,
        Condition::Risk(_) => 3,
        Condition::Bool(BoolField::LookedAfter, _) => 4,
        Condition::Number(..) => 5,
        Condition::Bool(..) => 6,
        _ => 7,
    }
}

// ---------------------------------------------------------------------------------------
// The decision chart.

/// What a row of the decision chart is.
#[derive(Debug, Clone)]
pub enum RowKind<'a> {
    /// A decision: the question and what "yes" means.
    Question { text: String, yes: Condition },
    /// A classification that holds for every case reaching the row.
    Outcome(&'a Rule),
    /// A branch with no classification of its own.
    Nothing,
}

/// One row of the decision chart, drawn as an indented outline.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    pub kind: RowKind<'a>,
    pub level: usize,
    /// What holds for every case that reaches this row.
    pub cond: Condition,
    /// The answers on the way here, for the text equivalent.
    pub path: Vec<(String, &'static str)>,
}

/// An arrow of the decision chart, from row to row, with its label ("Yes", "No",
/// "Either way" for the next question whatever the answer; none inside a run of boxes).
#[derive(Debug, Clone)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub label: Option<&'static str>,
}

#[derive(Debug, Clone, Default)]
pub struct Decision<'a> {
    pub rows: Vec<Row<'a>>,
    pub edges: Vec<Edge>,
}

struct Pending<'a> {
    rule: &'a Rule,
    atoms: Vec<Condition>,
}

impl<'a> Decision<'a> {
    fn push(
        &mut self,
        kind: RowKind<'a>,
        level: usize,
        cond: &Condition,
        path: &[(String, &'static str)],
    ) -> usize {
        self.rows.push(Row {
            kind,
            level,
            cond: cond.clone(),
            path: path.to_vec(),
        });
        self.rows.len() - 1
    }

    /// An unlabelled arrow from the row before (if any) down to `row`.
    fn follow(&mut self, last: Option<usize>, row: usize) {
        if let Some(from) = last {
            self.edges.push(Edge {
                from,
                to: row,
                label: None,
            });
        }
    }

    /// Lays out the rules reaching a point where `cond` holds; returns the first row.
    fn block(
        &mut self,
        cond: &Condition,
        mut rules: Vec<Pending<'a>>,
        level: usize,
        path: &[(String, &'static str)],
    ) -> Option<usize> {
        for r in &mut rules {
            r.atoms.retain(|a| !implies(cond, a));
        }
        rules.retain(|r| satisfiable(&and(&[cond, &r.rule.when])));
        let (done, rest): (Vec<_>, Vec<_>) = rules.into_iter().partition(|r| r.atoms.is_empty());
        let mut first = None;
        let mut last: Option<usize> = None;
        for r in done {
            let row = self.push(RowKind::Outcome(r.rule), level, cond, path);
            self.follow(last, row);
            first.get_or_insert(row);
            last = Some(row);
        }
        if !rest.is_empty() {
            // The question most of the rules still waiting ask.
            let mut best: Option<(usize, usize, Condition, String)> = None;
            for r in &rest {
                for a in &r.atoms {
                    let (yes, text) = ask(a);
                    let n = rest
                        .iter()
                        .filter(|o| o.atoms.iter().any(|b| ask(b).0 == yes))
                        .count();
                    let key = (n, usize::MAX - priority(&yes));
                    if best.as_ref().is_none_or(|b| key > (b.0, b.1)) {
                        best = Some((key.0, key.1, yes, text));
                    }
                }
            }
            let Some((_, _, yes, text)) = best else {
                return first;
            };
            let no = not(&yes);
            let with_yes = and(&[cond, &yes]);
            let with_no = and(&[cond, &no]);
            let (mut ys, mut ns, mut later) = (Vec::new(), Vec::new(), Vec::new());
            for r in rest {
                if r.atoms.iter().any(|a| implies(a, &yes)) {
                    ys.push(r);
                } else if r.atoms.iter().any(|a| !satisfiable(&and(&[a, &yes]))) {
                    ns.push(r);
                } else {
                    later.push(r);
                }
            }
            let q = self.push(
                RowKind::Question {
                    text: text.clone(),
                    yes: yes.clone(),
                },
                level,
                cond,
                path,
            );
            self.follow(last, q);
            first.get_or_insert(q);
            for (label, branch, c) in [("Yes", ys, &with_yes), ("No", ns, &with_no)] {
                let mut p = path.to_vec();
                p.push((text.clone(), label));
                let start = match self.block(c, branch, level + 1, &p) {
                    Some(s) => s,
                    None => self.push(RowKind::Nothing, level + 1, c, &p),
                };
                self.edges.push(Edge {
                    from: q,
                    to: start,
                    label: Some(label),
                });
            }
            // The next question, whatever the answer: marked by an edge from this one.
            if !later.is_empty()
                && let Some(n) = self.block(cond, later, level, path)
            {
                self.edges.push(Edge {
                    from: q,
                    to: n,
                    label: Some("Either way"),
                });
            }
        }
        first
    }
}

/// The decision chart of a protocol's classification rules.
pub fn decision(p: &ProtocolContent) -> Decision<'_> {
    let rules: Vec<Pending> = p
        .rules
        .rules
        .iter()
        .filter(|r| r.kind == Kind::Classification)
        .map(|r| Pending {
            rule: r,
            atoms: atoms(&r.when),
        })
        .collect();
    let mut d = Decision::default();
    d.block(&Condition::always(), rules, 0, &[]);
    d
}

// ---------------------------------------------------------------------------------------
// The swimlane timeline.

/// A point on a timeline: its heading and the rules that start (or are due) there.
#[derive(Debug, Clone)]
pub struct Column<'a> {
    pub heading: String,
    pub rules: Vec<&'a Rule>,
    order: f64,
}

fn lower_hours(c: &Condition) -> Option<f64> {
    let mut best: Option<f64> = None;
    c.visit_numbers(&mut |field, range| {
        let scale = match field {
            NumField::HoursMissing => 1.0,
            NumField::DaysMissing => 24.0,
            _ => return,
        };
        if let Some(b) = range.at_least.or(range.more_than) {
            let h = b * scale;
            best = Some(best.map_or(h, |x: f64| x.min(h)));
        }
    });
    best
}

/// The first number condition on the fields wanted.
fn number_part(c: &Condition, fields: &[NumField]) -> Option<(NumField, Range)> {
    let mut found = None;
    c.visit_numbers(&mut |field, range| {
        if found.is_none() && fields.contains(&field) {
            found = Some((field, *range));
        }
    });
    found
}

const EPISODES: [NumField; 3] = [
    NumField::Episodes28Days,
    NumField::Episodes90Days,
    NumField::Episodes12Months,
];

fn requires(c: &Condition, field: BoolField, value: bool) -> bool {
    match c {
        Condition::Bool(f, v) => *f == field && *v == value,
        Condition::All(parts) => parts.iter().any(|p| requires(p, field, value)),
        _ => false,
    }
}

/// True when a rule states a timescale or a number threshold: it must be in some chart.
pub fn has_timescale_or_threshold(r: &Rule) -> bool {
    let mut numbers = false;
    r.when.visit_numbers(&mut |_, _| numbers = true);
    r.timescale.is_some() || numbers
}

/// The chart a rule is drawn in, if any.
pub fn chart_of(r: &Rule) -> Option<Chart> {
    if r.kind == Kind::Classification {
        return Some(Chart::Classification);
    }
    if number_part(&r.when, &EPISODES).is_some() {
        return Some(Chart::Repeat);
    }
    if requires(&r.when, BoolField::Returned, true)
        || r.timescale.is_some_and(|t| t.from == Event::Returned)
        || (r.phase == Some(Phase::OnReturn) && r.timescale.is_none())
    {
        return Some(Chart::Returned);
    }
    if has_timescale_or_threshold(r) || r.phase == Some(Phase::Now) {
        return Some(Chart::Missing);
    }
    None
}

fn approx_hours(amount: u32, unit: Unit) -> f64 {
    let a = f64::from(amount);
    match unit {
        Unit::Hours => a,
        Unit::Days => a * 24.0,
        Unit::WorkingDays => a * 24.0 * 1.4,
        Unit::Weeks => a * 168.0,
        Unit::Months => a * 730.0,
    }
}

fn hours_words(h: f64) -> String {
    if h >= 48.0 && h % 24.0 == 0.0 {
        format!("{} days ({} hours)", h / 24.0, h)
    } else {
        format!("{h} hours")
    }
}

/// The time points of a timeline chart, left to right, with the rules at each.
pub fn columns(p: &ProtocolContent, chart: Chart) -> Vec<Column<'_>> {
    // A timescale counted from some other event: after every column of this chart's own.
    let from_another_event = |t: Timescale| {
        (
            format!(
                "Within {} {} of {}",
                t.amount,
                t.unit.words(t.amount),
                t.from.words()
            ),
            1e6 + approx_hours(t.amount, t.unit),
        )
    };
    let mut cols: Vec<Column> = Vec::new();
    for r in &p.rules.rules {
        if chart_of(r) != Some(chart) {
            continue;
        }
        let (heading, order) = match chart {
            Chart::Missing => match (lower_hours(&r.when), r.timescale) {
                (Some(h), _) => (format!("Missing {}", hours_words(h)), h),
                (None, Some(t)) if t.from == Event::Missing => (
                    format!(
                        "Due {} {} after the report",
                        t.amount,
                        t.unit.words(t.amount)
                    ),
                    approx_hours(t.amount, t.unit) - 0.5,
                ),
                (None, Some(t)) => from_another_event(t),
                (None, None) => ("Reported missing".to_string(), -1.0),
            },
            Chart::Returned => match r.timescale {
                Some(t) if t.from == Event::Returned => (
                    format!("Within {} {} of return", t.amount, t.unit.words(t.amount)),
                    approx_hours(t.amount, t.unit),
                ),
                Some(t) => from_another_event(t),
                None => ("Found or returned".to_string(), -1.0),
            },
            Chart::Repeat => {
                let (f, range) = number_part(&r.when, &EPISODES)
                    .unwrap_or((NumField::Episodes28Days, Range::default()));
                let window = match f {
                    NumField::Episodes28Days => 28.0,
                    NumField::Episodes90Days => 90.0,
                    _ => 365.0,
                };
                let low = range.at_least.or(range.more_than).unwrap_or(0.0);
                (
                    capitalise(&Condition::Number(f, range).words()),
                    window * 1000.0 + low,
                )
            }
            Chart::Classification => continue,
        };
        match cols.iter_mut().find(|s| s.heading == heading) {
            Some(s) => s.rules.push(r),
            None => cols.push(Column {
                heading,
                rules: vec![r],
                order,
            }),
        }
    }
    cols.sort_by(|a, b| a.order.total_cmp(&b.order));
    cols
}

/// Every rule a chart draws (in the decision chart, each classification once).
pub fn drawn(p: &ProtocolContent, chart: Chart) -> Vec<&Rule> {
    match chart {
        Chart::Classification => {
            let mut out: Vec<&Rule> = Vec::new();
            for row in decision(p).rows {
                if let RowKind::Outcome(r) = row.kind
                    && !out.iter().any(|o| o.id == r.id)
                {
                    out.push(r);
                }
            }
            out
        }
        _ => columns(p, chart)
            .into_iter()
            .flat_map(|c| c.rules)
            .collect(),
    }
}

/// The lane of a rule: its first actor's name in the vocabulary.
fn lane(p: &ProtocolContent, r: &Rule) -> String {
    r.actors
        .first()
        .map(|a| {
            p.protocol
                .vocabulary
                .actor(a)
                .map_or_else(|| a.to_string(), |e| e.name.to_string())
        })
        .unwrap_or_else(|| "Not named by the text".to_string())
}

fn lane_order(p: &ProtocolContent, name: &str) -> usize {
    p.protocol
        .vocabulary
        .actors
        .iter()
        .position(|e| *e.name == *name)
        .unwrap_or(usize::MAX)
}

fn action_name(p: &ProtocolContent, r: &Rule) -> String {
    r.action
        .as_deref()
        .and_then(|a| p.protocol.vocabulary.action(a))
        .map_or_else(|| capitalise(&r.text), |e| e.name.to_string())
}

/// The conditions of a rule beyond its place on the timeline, in words ("" when none).
fn extra_condition(r: &Rule) -> String {
    let parts: Vec<String> = atoms(&r.when)
        .into_iter()
        .filter(|a| {
            !matches!(
                a,
                Condition::Bool(BoolField::Returned, _)
                    | Condition::Number(NumField::HoursMissing | NumField::DaysMissing, _)
            ) && !matches!(a, Condition::Number(f, _) if EPISODES.contains(f))
        })
        .map(|a| a.words())
        .collect();
    parts.join(", ")
}

// ---------------------------------------------------------------------------------------
// Drawing.

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The two drawings of each panel: wide (screens and print), narrow (phones). CSS shows one.
#[derive(Debug, Clone, Copy)]
struct Size {
    name: &'static str,
    /// The viewBox width: about the content column's width, so 1 unit is about 1 CSS px.
    width: f64,
    indent: f64,
}

/// The text size, in viewBox units (about CSS px at the content column's width).
pub const FONT: f64 = 17.0;
const LINE: f64 = 22.0;
/// A generous width of one character at [`FONT`], so that wrapped lines fit their boxes.
const CHAR: f64 = 9.4;
const PAD: f64 = 9.0;
/// The tallest a panel is drawn (viewBox units): one screen of a 1024×768 projector.
pub const PANEL_HEIGHT: f64 = 600.0;

const WIDE: Size = Size {
    name: "wide",
    width: 720.0,
    indent: 46.0,
};
const NARROW: Size = Size {
    name: "narrow",
    width: 360.0,
    indent: 36.0,
};

fn chars(width: f64) -> usize {
    ((width - 2.0 * PAD) / CHAR).floor().max(8.0) as usize
}

fn text_lines(out: &mut String, x: f64, y: f64, lines: &[(String, &str)]) {
    for (k, (l, class)) in lines.iter().enumerate() {
        let _ = write!(
            out,
            "<text x=\"{x}\" y=\"{}\" class=\"{class}\" fill=\"currentColor\">{}</text>",
            y + PAD + 16.0 + k as f64 * LINE,
            esc(l)
        );
    }
}

fn svg_open(size: Size, id: &str, title: &str, desc: &str, y0: f64, h: f64) -> String {
    let w = size.width;
    format!(
        "<svg class=\"mcph-flow-svg mcph-flow-{}\" role=\"group\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 {y0} {w} {h}\" width=\"100%\" font-family=\"sans-serif\" font-size=\"{FONT}\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{} The same steps follow in words.</desc>",
        size.name,
        esc(title),
        esc(desc)
    )
}

fn arrow_head(out: &mut String, x: f64, y: f64, dir: char) {
    let d = match dir {
        'r' => format!("M{} {} L{x} {y} L{} {}", x - 7.0, y - 5.0, x - 7.0, y + 5.0),
        _ => format!("M{} {} L{x} {y} L{} {}", x - 5.0, y - 7.0, x + 5.0, y - 7.0),
    };
    let _ = write!(
        out,
        "<path d=\"{d}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"/>"
    );
}

/// A box drawn for a rule: a link to its paragraph, with the rule's id.
fn rule_box(
    out: &mut String,
    p: &ProtocolContent,
    root: &str,
    r: &Rule,
    (x, y, w, h): (f64, f64, f64, f64),
    lines: &[(String, &str)],
) {
    let _ = write!(
        out,
        "<a class=\"mcph-flow-node\" data-rule=\"{}\" href=\"{}\"><rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"5\" class=\"mcph-flow-box\" fill=\"none\" stroke=\"currentColor\"/>",
        esc(&r.id),
        esc(&para_href(p, root, &r.paragraph)),
    );
    text_lines(out, x + PAD, y, lines);
    out.push_str("</a>");
}

/// Where each decision row is drawn at a size: (x, y, width, height, lines).
struct Placed {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    lines: Vec<(String, &'static str)>,
}

fn place_decision(d: &Decision, size: Size) -> Vec<Placed> {
    let mut out = Vec::new();
    let mut y = 4.0;
    for (i, row) in d.rows.iter().enumerate() {
        let either = d
            .edges
            .iter()
            .any(|e| e.to == i && e.label == Some("Either way"));
        let labelled = d.edges.iter().any(|e| e.to == i && e.label.is_some());
        y += if either {
            30.0
        } else if labelled {
            12.0
        } else {
            14.0
        };
        let x = 2.0 + row.level as f64 * size.indent;
        let room = size.width - 2.0 - x;
        let (w, lines): (f64, Vec<(String, &'static str)>) = match &row.kind {
            RowKind::Question { text, .. } => {
                let lines = wrap(text, chars(room - 36.0));
                let longest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(1);
                let w = (longest as f64 * CHAR + 2.0 * PAD + 40.0).min(room);
                (
                    w,
                    lines
                        .into_iter()
                        .map(|l| (l, "mcph-flow-question"))
                        .collect(),
                )
            }
            RowKind::Outcome(r) => {
                let mut lines: Vec<(String, &'static str)> = wrap(&r.text, chars(room))
                    .into_iter()
                    .map(|l| (l, "mcph-flow-body"))
                    .collect();
                lines.push((format!("Paragraph {} ›", r.paragraph), "mcph-flow-link"));
                (room, lines)
            }
            RowKind::Nothing => (
                room,
                wrap("No classification on this branch", chars(room))
                    .into_iter()
                    .map(|l| (l, "mcph-flow-meta"))
                    .collect(),
            ),
        };
        let h = lines.len() as f64 * LINE + 2.0 * PAD;
        out.push(Placed { x, y, w, h, lines });
        y += h;
    }
    out
}

/// The rows of each panel of the decision chart (split so that each fits one screen).
fn decision_panels(d: &Decision) -> Vec<std::ops::Range<usize>> {
    let placed = place_decision(d, WIDE);
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..placed.len() {
        if i > start && placed[i].y + placed[i].h - placed[start].y + 8.0 > PANEL_HEIGHT {
            out.push(start..i);
            start = i;
        }
    }
    if start < placed.len() {
        out.push(start..placed.len());
    }
    out
}

fn decision_svg(
    p: &ProtocolContent,
    d: &Decision,
    rows: &std::ops::Range<usize>,
    root: &str,
    (id, title, desc): (&str, &str, &str),
    size: Size,
) -> String {
    let placed = place_decision(d, size);
    let y0 = placed[rows.start].y - 6.0;
    let last = &placed[rows.end - 1];
    let y1 = last.y + last.h + 6.0;
    let id = format!("{id}-{}", size.name);
    let mut s = svg_open(size, &id, title, desc, y0, y1 - y0);
    // The arrows: each drawn where it crosses the panel (the SVG clips the rest).
    for e in &d.edges {
        let (a, b) = (&placed[e.from], &placed[e.to]);
        if b.y < y0 || a.y + a.h > y1 {
            continue;
        }
        let rail = a.x + 14.0;
        // On a phone the indent is narrower: the branch labels are a little smaller.
        let small = if size.name == "narrow" {
            " font-size=\"14\""
        } else {
            ""
        };
        let _ = write!(s, "<g class=\"mcph-flow-edge\">");
        if d.rows[e.to].level > d.rows[e.from].level {
            let mid = b.y + 16.0;
            let _ = write!(
                s,
                "<path d=\"M{rail} {} V{mid} H{}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"/>",
                a.y + a.h,
                b.x - 1.0
            );
            arrow_head(&mut s, b.x - 1.0, mid, 'r');
            if let Some(l) = e.label {
                let _ = write!(
                    s,
                    "<text x=\"{}\" y=\"{}\" class=\"mcph-flow-label\" fill=\"currentColor\"{small}>{l}</text>",
                    rail + 3.0,
                    mid - 5.0
                );
            }
        } else {
            let _ = write!(
                s,
                "<path d=\"M{rail} {} V{}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"/>",
                a.y + a.h,
                b.y - 1.0
            );
            arrow_head(&mut s, rail, b.y - 1.0, 'd');
            if let Some(l) = e.label {
                let _ = write!(
                    s,
                    "<text x=\"{}\" y=\"{}\" class=\"mcph-flow-label\" fill=\"currentColor\">{l}</text>",
                    rail + 8.0,
                    b.y - 8.0
                );
            }
        }
        s.push_str("</g>");
    }
    for i in rows.clone() {
        let (row, pl) = (&d.rows[i], &placed[i]);
        match &row.kind {
            RowKind::Question { .. } => {
                let (x, y, w, h) = (pl.x, pl.y, pl.w, pl.h);
                let m = y + h / 2.0;
                let _ = write!(
                    s,
                    "<g class=\"mcph-flow-decision\"><path d=\"M{x} {m} L{} {y} H{} L{} {m} L{} {} H{} Z\" class=\"mcph-flow-diamond\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"/>",
                    x + 20.0,
                    x + w - 20.0,
                    x + w,
                    x + w - 20.0,
                    y + h,
                    x + 20.0
                );
                text_lines(&mut s, x + 20.0 + PAD, y, &pl.lines);
                s.push_str("</g>");
            }
            RowKind::Outcome(r) => {
                rule_box(&mut s, p, root, r, (pl.x, pl.y, pl.w, pl.h), &pl.lines)
            }
            RowKind::Nothing => {
                let _ = write!(
                    s,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"5\" fill=\"none\" stroke=\"currentColor\" stroke-dasharray=\"4 4\"/>",
                    pl.x, pl.y, pl.w, pl.h
                );
                text_lines(&mut s, pl.x + PAD, pl.y, &pl.lines);
            }
        }
    }
    s.push_str("</svg>");
    s
}

fn path_words(path: &[(String, &'static str)]) -> String {
    if path.is_empty() {
        return "First".to_string();
    }
    path.iter()
        .map(|(q, a)| format!("{q} {a}"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn decision_text(
    p: &ProtocolContent,
    d: &Decision,
    rows: &std::ops::Range<usize>,
    root: &str,
    title: &str,
) -> String {
    let mut s = format!(
        "<ol class=\"mcph-flow-text\" aria-label=\"{} in words\">",
        esc(title)
    );
    for row in &d.rows[rows.clone()] {
        let path = esc(&path_words(&row.path));
        match &row.kind {
            RowKind::Question { text, .. } => {
                let _ = write!(
                    s,
                    "<li><em>{path}:</em> ask <strong>{}</strong></li>",
                    esc(text)
                );
            }
            RowKind::Outcome(r) => {
                let _ = write!(
                    s,
                    "<li data-rule=\"{}\"><em>{path}:</em> {} <a href=\"{}\">Paragraph {}</a></li>",
                    esc(&r.id),
                    esc(&r.text),
                    esc(&para_href(p, root, &r.paragraph)),
                    esc(&r.paragraph)
                );
            }
            RowKind::Nothing => {
                let _ = write!(
                    s,
                    "<li><em>{path}:</em> no classification on this branch.</li>"
                );
            }
        }
    }
    s.push_str("</ol>\n");
    s
}

/// A panel of a timeline: some time columns and, lane by lane, the boxes drawn in it (a
/// lane with more boxes than one screen holds goes on in the next panel).
struct LanePanel<'a> {
    columns: Vec<&'a Column<'a>>,
    slices: Vec<(String, Vec<&'a Rule>)>,
}

fn box_lines(
    p: &ProtocolContent,
    r: &Rule,
    width: f64,
    lane_name: Option<&str>,
) -> Vec<(String, &'static str)> {
    let n = chars(width);
    let mut out: Vec<(String, &'static str)> = Vec::new();
    let head = match lane_name {
        Some(l) => format!("{l}: {}", action_name(p, r)),
        None => action_name(p, r),
    };
    out.extend(wrap(&head, n).into_iter().map(|l| (l, "mcph-flow-action")));
    let others: Vec<String> = r
        .actors
        .iter()
        .skip(1)
        .map(|a| {
            p.protocol
                .vocabulary
                .actor(a)
                .map_or_else(|| a.to_string(), |e| e.name.to_string())
        })
        .collect();
    if !others.is_empty() {
        out.extend(
            wrap(&format!("with {}", others.join(", ")), n)
                .into_iter()
                .map(|l| (l, "mcph-flow-meta")),
        );
    }
    let cond = extra_condition(r);
    if !cond.is_empty() {
        out.extend(
            wrap(&format!("If {cond}"), n)
                .into_iter()
                .map(|l| (l, "mcph-flow-meta")),
        );
    }
    if let Some(t) = r.timescale {
        out.extend(
            wrap(&capitalise(&t.words()), n)
                .into_iter()
                .map(|l| (l, "mcph-flow-meta")),
        );
    }
    out.push((format!("Paragraph {} ›", r.paragraph), "mcph-flow-link"));
    out
}

const LANE_LABEL: f64 = 130.0;
const COLUMNS_PER_PANEL: usize = 3;
/// More boxes than this at one time, or in three times together, and they share no panel.
const BUSY_COLUMN: usize = 12;
const GAP: f64 = 8.0;

fn column_width(n: usize) -> f64 {
    (WIDE.width - LANE_LABEL) / n.max(1) as f64
}

fn box_height(p: &ProtocolContent, r: &Rule, cw: f64) -> f64 {
    box_lines(p, r, cw - GAP, None).len() as f64 * LINE + 2.0 * PAD
}

fn header_height(cols: &[&Column]) -> f64 {
    let cw = column_width(cols.len());
    cols.iter()
        .map(|c| wrap(&c.heading, chars(cw)).len())
        .max()
        .unwrap_or(1) as f64
        * LINE
        + 2.0 * PAD
        + 14.0
}

/// The height of a lane's slice in a panel.
fn slice_height(p: &ProtocolContent, cols: &[&Column], lane_name: &str, rules: &[&Rule]) -> f64 {
    let cw = column_width(cols.len());
    let label = wrap(lane_name, chars(LANE_LABEL)).len() as f64 * LINE + 2.0 * PAD;
    let cells = cols
        .iter()
        .map(|c| {
            rules
                .iter()
                .filter(|r| c.rules.iter().any(|x| x.id == r.id))
                .map(|r| box_height(p, r, cw) + GAP)
                .sum::<f64>()
        })
        .fold(0.0, f64::max);
    label.max(cells) + GAP
}

fn lane_panels<'a>(p: &ProtocolContent, cols: &'a [Column<'a>]) -> Vec<LanePanel<'a>> {
    let mut out = Vec::new();
    // Up to three time columns side by side; a time with many boxes gets the width to itself,
    // so that its boxes wrap to fewer lines and fewer panels.
    let mut groups: Vec<Vec<&Column>> = Vec::new();
    for c in cols {
        match groups.last_mut() {
            Some(g)
                if g.len() < COLUMNS_PER_PANEL
                    && g.iter().map(|c| c.rules.len()).sum::<usize>() + c.rules.len()
                        <= BUSY_COLUMN =>
            {
                g.push(c)
            }
            _ => groups.push(vec![c]),
        }
    }
    for group in groups {
        let cw = column_width(group.len());
        let header = header_height(&group);
        let mut lanes: Vec<String> = Vec::new();
        for c in &group {
            for r in &c.rules {
                let l = lane(p, r);
                if !lanes.contains(&l) {
                    lanes.push(l);
                }
            }
        }
        lanes.sort_by_key(|l| lane_order(p, l));
        let mut slices: Vec<(String, Vec<&Rule>)> = Vec::new();
        let mut used = header;
        for l in lanes {
            // Each column's boxes in this lane, taken from the top as room allows.
            let mut queues: Vec<Vec<&Rule>> = group
                .iter()
                .map(|c| {
                    c.rules
                        .iter()
                        .copied()
                        .filter(|r| lane(p, r) == l)
                        .collect()
                })
                .collect();
            while queues.iter().any(|q| !q.is_empty()) {
                let room = PANEL_HEIGHT - used - GAP;
                let mut taken: Vec<&Rule> = Vec::new();
                for q in &mut queues {
                    let mut h = 0.0;
                    while let Some(r) = q.first() {
                        let bh = box_height(p, r, cw) + GAP;
                        if h + bh > room && !(h == 0.0 && slices.is_empty()) {
                            break;
                        }
                        h += bh;
                        taken.push(q.remove(0));
                    }
                }
                if taken.is_empty() {
                    out.push(LanePanel {
                        columns: group.clone(),
                        slices: std::mem::take(&mut slices),
                    });
                    used = header;
                    continue;
                }
                used += slice_height(p, &group, &l, &taken);
                slices.push((l.clone(), taken));
            }
        }
        if !slices.is_empty() {
            out.push(LanePanel {
                columns: group.clone(),
                slices,
            });
        }
    }
    out
}

fn panel_rules<'a>(panel: &LanePanel<'a>) -> Vec<(&'a Column<'a>, Vec<(&'a Rule, String)>)> {
    panel
        .columns
        .iter()
        .map(|c| {
            let rs: Vec<(&Rule, String)> = panel
                .slices
                .iter()
                .flat_map(|(l, rules)| {
                    rules
                        .iter()
                        .filter(|r| c.rules.iter().any(|x| x.id == r.id))
                        .map(move |r| (*r, l.clone()))
                })
                .collect();
            (*c, rs)
        })
        .collect()
}

fn swimlane_svg(
    p: &ProtocolContent,
    panel: &LanePanel,
    root: &str,
    (id, title, desc): (&str, &str, &str),
) -> String {
    let w = WIDE.width;
    let cw = column_width(panel.columns.len());
    let header = header_height(&panel.columns);
    let heights: Vec<f64> = panel
        .slices
        .iter()
        .map(|(l, rules)| slice_height(p, &panel.columns, l, rules))
        .collect();
    let total = header + heights.iter().sum::<f64>() + 4.0;
    let id = format!("{id}-wide");
    let mut s = svg_open(WIDE, &id, title, desc, 0.0, total);
    // The time axis: left to right, under the column headings.
    let axis = header - 8.0;
    let _ = write!(
        s,
        "<path d=\"M{LANE_LABEL} {axis} H{}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"/>",
        w - 2.0
    );
    arrow_head(&mut s, w - 2.0, axis, 'r');
    let _ = write!(
        s,
        "<text x=\"4\" y=\"{}\" class=\"mcph-flow-question\" fill=\"currentColor\">Time →</text>",
        axis - 4.0
    );
    for (k, c) in panel.columns.iter().enumerate() {
        let x = LANE_LABEL + k as f64 * cw;
        let lines: Vec<(String, &str)> = wrap(&c.heading, chars(cw))
            .into_iter()
            .map(|l| (l, "mcph-flow-question"))
            .collect();
        text_lines(&mut s, x + 4.0, 0.0, &lines);
        let _ = write!(
            s,
            "<path d=\"M{x} {} V{}\" fill=\"none\" stroke=\"currentColor\" stroke-dasharray=\"3 5\"/>",
            axis - 6.0,
            total
        );
    }
    let mut y = header;
    for ((l, rules), lh) in panel.slices.iter().zip(&heights) {
        let _ = write!(
            s,
            "<g class=\"mcph-flow-lane\"><rect x=\"1\" y=\"{y}\" width=\"{}\" height=\"{lh}\" class=\"mcph-flow-lane-bg\" fill=\"none\" stroke=\"currentColor\"/>",
            w - 2.0
        );
        let lines: Vec<(String, &str)> = wrap(l, chars(LANE_LABEL))
            .into_iter()
            .map(|t| (t, "mcph-flow-question"))
            .collect();
        text_lines(&mut s, 2.0, y, &lines);
        for (k, c) in panel.columns.iter().enumerate() {
            let x = LANE_LABEL + k as f64 * cw + 4.0;
            let mut by = y + 4.0;
            for r in rules
                .iter()
                .filter(|r| c.rules.iter().any(|x| x.id == r.id))
            {
                let lines = box_lines(p, r, cw - GAP, None);
                let bh = lines.len() as f64 * LINE + 2.0 * PAD;
                rule_box(&mut s, p, root, r, (x, by, cw - GAP, bh), &lines);
                by += bh + GAP;
            }
        }
        s.push_str("</g>");
        y += lh;
    }
    s.push_str("</svg>");
    s
}

/// The phone drawing of a timeline panel: its time points in one column, each box naming
/// its lane.
fn steps_svg(
    p: &ProtocolContent,
    panel: &LanePanel,
    root: &str,
    (id, title, desc): (&str, &str, &str),
) -> String {
    let size = NARROW;
    let w = size.width;
    let mut body = String::new();
    let mut y = 4.0;
    for (c, rules) in panel_rules(panel) {
        if rules.is_empty() {
            continue;
        }
        let head: Vec<(String, &str)> = wrap(&c.heading, chars(w))
            .into_iter()
            .map(|l| (l, "mcph-flow-question"))
            .collect();
        let h = head.len() as f64 * LINE + 2.0 * PAD;
        let _ = write!(
            body,
            "<rect x=\"1\" y=\"{y}\" width=\"{}\" height=\"{h}\" rx=\"12\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"/>",
            w - 2.0
        );
        text_lines(&mut body, PAD + 4.0, y, &head);
        y += h + 8.0;
        for (r, l) in rules {
            let lines = box_lines(p, r, w - size.indent - 1.0, Some(&l));
            let bh = lines.len() as f64 * LINE + 2.0 * PAD;
            let _ = write!(
                body,
                "<path d=\"M14 {} V{} H{}\" fill=\"none\" stroke=\"currentColor\"/>",
                y - 8.0,
                y + bh / 2.0,
                size.indent
            );
            rule_box(
                &mut body,
                p,
                root,
                r,
                (size.indent, y, w - size.indent - 1.0, bh),
                &lines,
            );
            y += bh + 8.0;
        }
    }
    let id = format!("{id}-narrow");
    let mut s = svg_open(size, &id, title, desc, 0.0, y + 4.0);
    s.push_str(&body);
    s.push_str("</svg>");
    s
}

fn steps_text(p: &ProtocolContent, panel: &LanePanel, root: &str, title: &str) -> String {
    let mut s = format!(
        "<ol class=\"mcph-flow-text\" aria-label=\"{} in words\">",
        esc(title)
    );
    for (c, rules) in panel_rules(panel) {
        if rules.is_empty() {
            continue;
        }
        let _ = write!(s, "<li><strong>{}</strong><ul>", esc(&c.heading));
        for (r, l) in rules {
            let _ = write!(
                s,
                "<li data-rule=\"{}\"><em>{}: {}.</em> {}",
                esc(&r.id),
                esc(&l),
                esc(&action_name(p, r)),
                esc(&r.text)
            );
            if let Some(w) = &r.who {
                let _ = write!(s, " <em>Who:</em> {}.", esc(w));
            }
            let cond = extra_condition(r);
            if !cond.is_empty() {
                let _ = write!(s, " <em>If:</em> {}.", esc(&cond));
            }
            if let Some(t) = r.timescale {
                let _ = write!(s, " <em>When:</em> {}.", esc(&t.words()));
            }
            let _ = write!(
                s,
                " <a href=\"{}\">Paragraph {}</a></li>",
                esc(&para_href(p, root, &r.paragraph)),
                esc(&r.paragraph)
            );
        }
        s.push_str("</ul></li>");
    }
    s.push_str("</ol>\n");
    s
}

/// A chart as panels of inline SVG, each followed by its text equivalent. `root` is the path
/// to the site root. Fails when a box names no rule of the protocol (it cannot be traced to
/// the text). `place` keeps element ids unique where the same chart is drawn twice.
pub fn render(
    p: &ProtocolContent,
    chart: Chart,
    root: &str,
    place: &str,
) -> Result<String, String> {
    let base = format!("mcph-flow-{place}-{}-{}", p.id, chart.slug());
    let rules = drawn(p, chart);
    if rules.is_empty() {
        return Ok(format!(
            "<p class=\"mcph-flow-none\" id=\"{base}\">The rules of this protocol have nothing for this chart: the protocol sets no timescale or threshold here that the handbook models.</p>\n"
        ));
    }
    for r in &rules {
        if p.protocol.rule(&r.id).is_none() || r.paragraph.is_empty() {
            return Err(format!(
                "{}: flowchart `{}`: the node `{}` has no rule with a paragraph: every node must come from a rule",
                p.id,
                chart.slug(),
                r.id
            ));
        }
    }
    let mut s = String::new();
    let figure = |s: &mut String,
                  k: usize,
                  n: usize,
                  what: &str,
                  wide: &dyn Fn(&str, &str, &str) -> String,
                  narrow: &dyn Fn(&str, &str, &str) -> String,
                  text: &dyn Fn(&str) -> String| {
        let id = if k == 0 {
            base.clone()
        } else {
            format!("{base}-{}", k + 1)
        };
        let title = if n > 1 {
            format!(
                "{}: {} (part {} of {n}: {what})",
                p.meta.short_title,
                chart.title(),
                k + 1
            )
        } else {
            format!("{}: {}", p.meta.short_title, chart.title())
        };
        let desc = chart.desc();
        let _ = write!(s, "<figure class=\"mcph-flow\" id=\"{id}\">");
        s.push_str(&wide(&id, &title, desc));
        s.push_str(&narrow(&id, &title, desc));
        let _ = writeln!(
            s,
            "<figcaption>{}{} Generated from the handbook's rule data.</figcaption></figure>",
            if n > 1 {
                format!("Part {} of {n}: {}. ", k + 1, esc(what))
            } else {
                String::new()
            },
            esc(desc)
        );
        s.push_str(&text(&title));
    };
    match chart {
        Chart::Classification => {
            let d = decision(p);
            let panels = decision_panels(&d);
            let n = panels.len();
            for (k, rows) in panels.iter().enumerate() {
                let what = format!("rows {} to {}", rows.start + 1, rows.end);
                figure(
                    &mut s,
                    k,
                    n,
                    &what,
                    &|id, t, de| decision_svg(p, &d, rows, root, (id, t, de), WIDE),
                    &|id, t, de| decision_svg(p, &d, rows, root, (id, t, de), NARROW),
                    &|t| decision_text(p, &d, rows, root, t),
                );
            }
        }
        _ => {
            let cols = columns(p, chart);
            let panels = lane_panels(p, &cols);
            let n = panels.len();
            for (k, panel) in panels.iter().enumerate() {
                let first = panel
                    .columns
                    .first()
                    .map(|c| c.heading.as_str())
                    .unwrap_or("");
                let last = panel
                    .columns
                    .last()
                    .map(|c| c.heading.as_str())
                    .unwrap_or("");
                let mut lanes: Vec<&str> = Vec::new();
                for (l, _) in &panel.slices {
                    if !lanes.contains(&l.as_str()) {
                        lanes.push(l);
                    }
                }
                let what = format!(
                    "{}{}; {}",
                    first,
                    if first == last {
                        String::new()
                    } else {
                        format!(" to {last}")
                    },
                    lanes.join(", ")
                );
                figure(
                    &mut s,
                    k,
                    n,
                    &what,
                    &|id, t, de| swimlane_svg(p, panel, root, (id, t, de)),
                    &|id, t, de| steps_svg(p, panel, root, (id, t, de)),
                    &|t| steps_text(p, panel, root, t),
                );
            }
        }
    }
    Ok(s)
}

/// The flowcharts page of a protocol.
pub fn page(p: &ProtocolContent, root: &str) -> Result<String, String> {
    let mut s = format!("# {}: flowcharts\n\n", p.meta.short_title);
    s.push_str("These charts are drawn from the same rules as the quick checker, so they cannot disagree with it. The decision chart asks the questions the protocol's classifications turn on; the timelines put each action in the lane of who does it, at the time it starts or is due. Every box links to the paragraph it comes from; a chart too tall for one screen is split into parts, and below each part the same steps are written out. They support professional judgement and do not replace the protocol's text.\n\n");
    for chart in Chart::ALL {
        let _ = writeln!(s, "## {}\n", chart.title());
        s.push_str(&render(p, chart, root, "charts")?);
        s.push('\n');
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_at_word_boundaries() {
        assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
        assert_eq!(wrap("", 7), Vec::<String>::new());
    }

    #[test]
    fn what_can_both_hold_and_what_follows() {
        let young = Condition::Number(
            NumField::Age,
            Range {
                at_most: Some(12.0),
                ..Range::default()
            },
        );
        let older = Condition::Number(
            NumField::Age,
            Range {
                more_than: Some(12.0),
                ..Range::default()
            },
        );
        let known = Condition::Bool(BoolField::WhereaboutsKnown, true);
        let unknown = Condition::Bool(BoolField::WhereaboutsKnown, false);
        assert!(!satisfiable(&and(&[&young, &older])));
        assert!(!satisfiable(&and(&[&known, &unknown])));
        assert!(satisfiable(&and(&[&young, &unknown])));
        assert!(implies(&and(&[&young, &unknown]), &unknown));
        assert!(!implies(&unknown, &young));
        assert_eq!(ask(&unknown).0, known);
    }
}
