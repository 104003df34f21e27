//! Flowcharts drawn from the rule data at build time as inline SVG, with a text equivalent
//! made from the same steps.
//!
//! Every chart is a ranked sequence (the clock while missing; the timescales after return; the
//! repeat-episode thresholds; the classifications), so the layout is a single column: a step
//! (the threshold or event) followed by the rules that start there. No general graph layout is
//! needed, and the drawing uses only `currentColor` and the classes in `theme/handbook.css`, so
//! it follows the light and dark themes and prints in black.

use super::{esc, para_href};
use handbook_content::ProtocolContent;
use handbook_engine::condition::{BoolField, Condition, NumField, Range};
use handbook_engine::model::{Event, Kind, Rule, Unit};
use std::fmt::Write as _;

/// The four charts of a protocol.
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
            Chart::Missing => "While the child is missing, along the clock",
            Chart::Returned => "After the child is found or returns",
            Chart::Repeat => "Repeat episodes",
            Chart::Classification => "How the episode is classified",
        }
    }

    fn desc(self) -> &'static str {
        match self {
            Chart::Missing => {
                "From the report onwards: each time threshold the protocol names, and the actions that start there, with who does them and by when."
            }
            Chart::Returned => {
                "What happens once the child is found or comes back, in order of timescale, with who does it."
            }
            Chart::Repeat => {
                "What the protocol adds when a child goes missing again, by the number of episodes in a period."
            }
            Chart::Classification => {
                "The circumstances under which the protocol classes an episode (missing, absent, risk level, age), each with its paragraph."
            }
        }
    }
}

/// One step of a chart: a heading (the threshold or event) and the rules that start there.
#[derive(Debug, Clone)]
pub struct Step<'a> {
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

/// The first number condition on the fields wanted, as a condition of its own.
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
    if number_part(&r.when, &EPISODES).is_some() {
        return Some(Chart::Repeat);
    }
    if r.kind == Kind::Classification {
        return Some(Chart::Classification);
    }
    if requires(&r.when, BoolField::Returned, true)
        || r.timescale.is_some_and(|t| t.from == Event::Returned)
    {
        return Some(Chart::Returned);
    }
    if has_timescale_or_threshold(r) || r.kind == Kind::Duty {
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

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// The steps of one chart, in order.
pub fn steps<'a>(p: &'a ProtocolContent, chart: Chart) -> Vec<Step<'a>> {
    let mut steps: Vec<Step<'a>> = Vec::new();
    for r in &p.rules.rules {
        if chart_of(r) != Some(chart) {
            continue;
        }
        let (heading, order) = match chart {
            Chart::Missing => match lower_hours(&r.when) {
                Some(h) => {
                    let words =
                        number_part(&r.when, &[NumField::HoursMissing, NumField::DaysMissing])
                            .map(|(f, range)| Condition::Number(f, range).words())
                            .unwrap_or_default();
                    (format!("{} (from {} hours)", capitalise(&words), h), h)
                }
                None => (
                    "When the child is missing or reported missing".to_string(),
                    -1.0,
                ),
            },
            Chart::Returned => match r.timescale {
                Some(t) => (capitalise(&t.words()), approx_hours(t.amount, t.unit)),
                None => ("On return, no timescale stated".to_string(), f64::MAX),
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
            Chart::Classification => (format!("If {}", r.when.words()), steps.len() as f64),
        };
        match steps.iter_mut().find(|s| s.heading == heading) {
            Some(s) => s.rules.push(r),
            None => steps.push(Step {
                heading,
                rules: vec![r],
                order,
            }),
        }
    }
    steps.sort_by(|a, b| a.order.total_cmp(&b.order));
    steps
}

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

const LINE: f64 = 19.0;
const PAD: f64 = 10.0;
const INDENT: f64 = 36.0;

/// The two drawings of each chart: for wide screens and print, and for phones. CSS shows one.
#[derive(Debug, Clone, Copy)]
struct Size {
    name: &'static str,
    width: f64,
    chars: usize,
    head_chars: usize,
}

const WIDE: Size = Size {
    name: "wide",
    width: 640.0,
    chars: 74,
    head_chars: 66,
};
const NARROW: Size = Size {
    name: "narrow",
    width: 350.0,
    chars: 38,
    head_chars: 34,
};

fn node_lines(r: &Rule, chars: usize) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = wrap(&r.text, chars)
        .into_iter()
        .map(|l| (l, "mcph-flow-action"))
        .collect();
    if let Some(w) = &r.who {
        out.extend(
            wrap(&format!("Who: {w}"), chars)
                .into_iter()
                .map(|l| (l, "mcph-flow-meta")),
        );
    }
    if let Some(t) = r.timescale {
        out.extend(
            wrap(&format!("When: {}", t.words()), chars)
                .into_iter()
                .map(|l| (l, "mcph-flow-meta")),
        );
    }
    out.push((format!("Paragraph {} ›", r.paragraph), "mcph-flow-link"));
    out
}

/// The chart as inline SVG, then its text equivalent. `root` is the path to the site root.
/// Fails when a node names no rule of the protocol (it cannot be traced to the text).
/// `place` keeps element ids unique where the same chart is drawn twice (the print page).
pub fn render(
    p: &ProtocolContent,
    chart: Chart,
    root: &str,
    place: &str,
) -> Result<String, String> {
    let steps = steps(p, chart);
    let id = format!("mcph-flow-{place}-{}-{}", p.id, chart.slug());
    if steps.is_empty() {
        return Ok(format!(
            "<p class=\"mcph-flow-none\" id=\"{id}\">The rules of this protocol have nothing for this chart: the protocol sets no timescale or threshold here that the handbook models.</p>\n"
        ));
    }
    for s in &steps {
        for r in &s.rules {
            if p.protocol.rule(&r.id).is_none() || r.paragraph.is_empty() {
                return Err(format!(
                    "{}: flowchart `{}`: the node `{}` has no rule with a paragraph: every node must come from a rule",
                    p.id,
                    chart.slug(),
                    r.id
                ));
            }
        }
    }
    let title = format!("{}: {}", p.meta.short_title, chart.title());
    let mut s = String::new();
    let _ = write!(s, "<figure class=\"mcph-flow\" id=\"{id}\">");
    for size in [WIDE, NARROW] {
        s.push_str(&svg(p, chart, &steps, root, &id, &title, size));
    }
    let _ = writeln!(
        s,
        "<figcaption>{} Generated from the handbook's rule data.</figcaption></figure>",
        esc(chart.desc())
    );
    // The text equivalent: the same steps, in words.
    let _ = write!(
        s,
        "<ol class=\"mcph-flow-text\" aria-label=\"{} in words\">",
        esc(&title)
    );
    for st in &steps {
        let _ = write!(s, "<li><strong>{}</strong><ul>", esc(&st.heading));
        for r in &st.rules {
            let _ = write!(s, "<li data-rule=\"{}\">{}", esc(&r.id), esc(&r.text));
            if let Some(w) = &r.who {
                let _ = write!(s, " <em>Who:</em> {}.", esc(w));
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
    Ok(s)
}

fn svg(
    p: &ProtocolContent,
    chart: Chart,
    steps: &[Step],
    root: &str,
    id: &str,
    title: &str,
    size: Size,
) -> String {
    let w = size.width;
    let id = format!("{id}-{}", size.name);
    let mut body = String::new();
    let mut y = PAD;
    for (i, s) in steps.iter().enumerate() {
        let head = wrap(&s.heading, size.head_chars);
        let h = head.len() as f64 * LINE + 2.0 * PAD;
        let ids: Vec<&str> = s.rules.iter().map(|r| &*r.id).collect();
        let _ = write!(
            body,
            "<g class=\"mcph-flow-step\" data-rules=\"{}\"><rect x=\"1\" y=\"{y}\" width=\"{}\" height=\"{h}\" rx=\"14\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"/>",
            esc(&ids.join(" ")),
            w - 2.0
        );
        for (k, l) in head.iter().enumerate() {
            let _ = write!(
                body,
                "<text x=\"16\" y=\"{}\" font-weight=\"bold\" fill=\"currentColor\">{}</text>",
                y + PAD + 14.0 + k as f64 * LINE,
                esc(l)
            );
        }
        body.push_str("</g>");
        let top = y + h;
        y = top + PAD;
        for r in &s.rules {
            let lines = node_lines(r, size.chars);
            let nh = lines.len() as f64 * LINE + 2.0 * PAD;
            let href = para_href(p, root, &r.paragraph);
            let _ = write!(
                body,
                "<path d=\"M18 {} V{} H{INDENT}\" fill=\"none\" stroke=\"currentColor\"/><a class=\"mcph-flow-node\" data-rule=\"{}\" href=\"{}\"><rect x=\"{INDENT}\" y=\"{y}\" width=\"{}\" height=\"{nh}\" rx=\"4\" class=\"mcph-flow-box\" fill=\"none\" stroke=\"currentColor\"/>",
                y - PAD,
                y + nh / 2.0,
                esc(&r.id),
                esc(&href),
                w - INDENT - 1.0
            );
            for (k, (l, class)) in lines.iter().enumerate() {
                let _ = write!(
                    body,
                    "<text x=\"{}\" y=\"{}\" class=\"{class}\" fill=\"currentColor\">{}</text>",
                    INDENT + 12.0,
                    y + PAD + 14.0 + k as f64 * LINE,
                    esc(l)
                );
            }
            body.push_str("</a>");
            y += nh + PAD;
        }
        if i + 1 < steps.len() {
            // An arrow down to the next step.
            let _ = write!(
                body,
                "<path d=\"M18 {} V{}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"/><path d=\"M12 {} L18 {} L24 {}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"/>",
                top,
                y + 10.0,
                y + 4.0,
                y + 10.0,
                y + 4.0
            );
            y += 12.0;
        }
    }
    let height = y + PAD;
    format!(
        "<svg class=\"mcph-flow-svg mcph-flow-{}\" role=\"group\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {w} {height}\" width=\"{w}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"14\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{} Generated from the rules of this protocol: {} steps, {} rules. The same steps follow in words.</desc>{body}</svg>",
        size.name,
        esc(title),
        esc(chart.desc()),
        steps.len(),
        steps.iter().map(|s| s.rules.len()).sum::<usize>(),
    )
}

/// The flowcharts page of a protocol.
pub fn page(p: &ProtocolContent, root: &str) -> Result<String, String> {
    let mut s = format!("# {}: flowcharts\n\n", p.meta.short_title);
    s.push_str("These charts are drawn from the same rules as the quick checker, so they cannot disagree with it. Each box names the action, who does it and when, and links to the paragraph it comes from; below each chart the same steps are written out. They support professional judgement and do not replace the protocol's text.\n\n");
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
}
