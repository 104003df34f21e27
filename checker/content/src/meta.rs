//! `protocol.toml`: what the document is, who published it and when.

use chrono::NaiveDate;
use handbook_engine::Diagnostic;
use serde::Deserialize;

/// A date as precise as the document states it: a month, or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DocDate {
    pub year: i32,
    pub month: u32,
    pub day: Option<u32>,
}

impl DocDate {
    pub fn parse(s: &str) -> Option<DocDate> {
        let parts: Vec<&str> = s.trim().split('-').collect();
        let year: i32 = parts.first()?.parse().ok()?;
        let month: u32 = parts.get(1)?.parse().ok()?;
        let day: Option<u32> = match parts.get(2) {
            Some(d) => Some(d.parse().ok()?),
            None => None,
        };
        if parts.len() > 3 {
            return None;
        }
        NaiveDate::from_ymd_opt(year, month, day.unwrap_or(1))?;
        Some(DocDate { year, month, day })
    }

    /// "June 2023", "5 June 2023".
    pub fn words(&self) -> String {
        let month = NaiveDate::from_ymd_opt(self.year, self.month, 1)
            .map(|d| d.format("%B").to_string())
            .unwrap_or_default();
        match self.day {
            Some(d) => format!("{d} {month} {}", self.year),
            None => format!("{month} {}", self.year),
        }
    }

    /// The last day the date covers (the month's last day for a month).
    pub fn last_day(&self) -> Option<NaiveDate> {
        match self.day {
            Some(d) => NaiveDate::from_ymd_opt(self.year, self.month, d),
            None => {
                let first = NaiveDate::from_ymd_opt(self.year, self.month, 1)?;
                let next = first.checked_add_months(chrono::Months::new(1))?;
                next.pred_opt()
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Omit {
    pub from: usize,
    pub to: usize,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct Meta {
    pub title: String,
    pub short_title: String,
    pub authority: String,
    pub order: i64,
    pub version: Option<String>,
    pub published: Option<DocDate>,
    pub amended: Option<DocDate>,
    pub reviewed: Option<DocDate>,
    pub review_due: Option<DocDate>,
    pub undated: Option<String>,
    pub source: String,
    /// The line of `source` in protocol.toml, for messages about the source file.
    pub source_line: usize,
    pub furniture: Vec<regex::Regex>,
    pub omit: Vec<Omit>,
}

impl Meta {
    /// "Review overdue since June 2023", when the review date has passed on `today`.
    pub fn review_status(&self, today: NaiveDate) -> Option<String> {
        let due = self.review_due?;
        let last = due.last_day()?;
        (today > last).then(|| format!("Review overdue since {}", due.words()))
    }

    /// The dates as a list of (label, value) for the protocol's first page.
    pub fn dates(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(v) = &self.version {
            out.push(("Version", v.clone()));
        }
        for (label, d) in [
            ("Published", self.published),
            ("Amended", self.amended),
            ("Reviewed", self.reviewed),
            ("Review due", self.review_due),
        ] {
            if let Some(d) = d {
                out.push((label, d.words()));
            }
        }
        out
    }

    /// The year the document is from, for sorting and display.
    pub fn year(&self) -> Option<i32> {
        self.published
            .map(|d| d.year)
            .or(self.reviewed.map(|d| d.year))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    title: String,
    short_title: String,
    authority: String,
    order: i64,
    version: Option<String>,
    published: Option<toml::Spanned<String>>,
    amended: Option<toml::Spanned<String>>,
    reviewed: Option<toml::Spanned<String>>,
    review_due: Option<toml::Spanned<String>>,
    undated: Option<String>,
    source: toml::Spanned<String>,
    #[serde(default)]
    furniture: Vec<toml::Spanned<String>>,
    #[serde(default)]
    omit: Vec<toml::Spanned<RawOmit>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOmit {
    lines: String,
    reason: String,
}

pub fn parse(file: &str, text: &str) -> Result<Meta, Vec<Diagnostic>> {
    let raw: Raw = toml::from_str(text).map_err(|e| {
        vec![Diagnostic::at(
            file,
            text,
            e.span().map(|s| s.start).unwrap_or(0),
            e.message().trim().to_string(),
        )]
    })?;
    let mut errors = Vec::new();
    let mut date = |d: &Option<toml::Spanned<String>>, name: &str| {
        let d = d.as_ref()?;
        let parsed = DocDate::parse(d.get_ref());
        if parsed.is_none() {
            errors.push(Diagnostic::at(
                file,
                text,
                d.span().start,
                format!("`{name}` must be a date as YYYY-MM or YYYY-MM-DD, like \"2022-06\""),
            ));
        }
        parsed
    };
    let published = date(&raw.published, "published");
    let amended = date(&raw.amended, "amended");
    let reviewed = date(&raw.reviewed, "reviewed");
    let review_due = date(&raw.review_due, "review_due");
    if published.is_none() && reviewed.is_none() && raw.undated.is_none() {
        // Line 1: the dates go at the top of the file.
        errors.push(Diagnostic::new(
            file,
            1,
            "the document has no `published` date: give it, or say in `undated` what the text shows about its date",
        ));
    }
    let mut furniture = Vec::new();
    for f in &raw.furniture {
        match regex::Regex::new(f.get_ref()) {
            Ok(r) => furniture.push(r),
            Err(e) => errors.push(Diagnostic::at(
                file,
                text,
                f.span().start,
                format!("not a valid pattern: {e}"),
            )),
        }
    }
    let mut omit = Vec::new();
    for o in &raw.omit {
        let r = o.get_ref();
        let range: Option<(usize, usize)> = r.lines.split_once('-').and_then(|(a, b)| {
            let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            (a >= 1 && a <= b).then_some((a, b))
        });
        match range {
            Some((from, to)) if !r.reason.trim().is_empty() => omit.push(Omit {
                from,
                to,
                reason: r.reason.trim().to_string(),
            }),
            Some(_) => errors.push(Diagnostic::at(
                file,
                text,
                o.span().start,
                "`reason` is empty: say why these lines are not reproduced",
            )),
            None => errors.push(Diagnostic::at(
                file,
                text,
                o.span().start,
                "`lines` must be a range of source.txt lines, like \"5-80\"",
            )),
        }
    }
    if errors.is_empty() {
        Ok(Meta {
            title: raw.title,
            short_title: raw.short_title,
            authority: raw.authority,
            order: raw.order,
            version: raw.version,
            published,
            amended,
            reviewed,
            review_due,
            undated: raw.undated,
            source: raw.source.get_ref().clone(),
            source_line: handbook_engine::diagnostic::line_of(text, raw.source.span().start),
            furniture,
            omit,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const META: &str = "title = \"T\"\nshort_title = \"W\"\nauthority = \"A\"\norder = 1\nversion = \"V 2.0\"\npublished = \"2022-06\"\nreview_due = \"2023-06\"\nsource = \"source.txt\"\n";

    #[test]
    fn review_is_overdue_after_the_month_it_is_due() {
        let m = parse("protocol.toml", META).expect("valid");
        let day = |s: &str| s.parse::<NaiveDate>().expect("date");
        assert_eq!(m.review_status(day("2023-06-30")), None);
        assert_eq!(
            m.review_status(day("2023-07-01")).as_deref(),
            Some("Review overdue since June 2023")
        );
    }

    #[test]
    fn bad_dates_are_reported_with_their_line() {
        let errors =
            parse("protocol.toml", &META.replace("2023-06", "June 2023")).expect_err("bad");
        assert_eq!(errors[0].line, 7);
        let errors = parse(
            "protocol.toml",
            &META.replace("published = \"2022-06\"\n", ""),
        )
        .expect_err("undated");
        assert!(errors[0].message.contains("undated"));
    }
}
