//! Deadlines in UK local time (Europe/London).
//!
//! Hours are elapsed time: 10:00 on 24 October 2025 (BST) + 72 hours is 09:00 on
//! 27 October 2025 (GMT). Days, weeks and months are calendar time: the same local clock time
//! that many days later. Working days skip Saturdays, Sundays and England-and-Wales bank
//! holidays, which are data (`protocols/bank-holidays.toml`), not a formula, because some are
//! moved or one-off.
//!
//! UK time is worked out from the rule the clocks follow ([`london_offset`]), not from a time
//! zone database: the checker runs in the browser, and the rule is a few lines where a
//! database's machinery and tables were bytes every reader downloads. The tests check it
//! against the tz database (chrono-tz) for every year from 1990 to 2099, where chrono-tz's
//! tables end, and 2100's clock changes by their dates.

use crate::diagnostic::Diagnostic;
use crate::model::{Timescale, Unit};
use chrono::{
    DateTime, Datelike, Duration, FixedOffset, LocalResult, Months, NaiveDate, NaiveDateTime,
    Offset, TimeZone, Timelike, Weekday,
};
use serde::{Deserialize, Serialize};

/// England-and-Wales bank holidays, sorted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BankHolidays {
    pub dates: Vec<NaiveDate>,
}

/// In JSON the dates are written "2025-12-25"; in the checker's bundled binary data they are
/// day numbers, so the checker carries no date parser for them: the first as a number of days
/// from the start of the common era, each of the others as the days since the one before
/// (small numbers: a byte each under 128 days, where the day numbers took three).
impl Serialize for BankHolidays {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let human = serializer.is_human_readable();
        let mut out = serializer.serialize_struct("BankHolidays", 1)?;
        if human {
            out.serialize_field("dates", &self.dates)?;
        } else {
            // The dates are sorted, so no gap is negative; u32, not i32, keeps gaps under 128
            // days to one byte (postcard writes signed numbers with a sign bit).
            let mut before = 0;
            let gaps = self
                .dates
                .iter()
                .map(|d| {
                    let day = d.num_days_from_ce();
                    let gap = u32::try_from(day - before).map_err(|_| {
                        serde::ser::Error::custom(format!(
                            "{d} is before the common era or out of order"
                        ))
                    });
                    before = day;
                    gap
                })
                .collect::<Result<Vec<u32>, S::Error>>()?;
            out.serialize_field("dates", &gaps)?;
        }
        out.end()
    }
}

impl<'de> Deserialize<'de> for BankHolidays {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Text {
            dates: Vec<NaiveDate>,
        }
        #[derive(Deserialize)]
        struct Days {
            dates: Vec<u32>,
        }
        if deserializer.is_human_readable() {
            return Ok(BankHolidays {
                dates: Text::deserialize(deserializer)?.dates,
            });
        }
        let mut day = 0i32;
        Days::deserialize(deserializer)?
            .dates
            .into_iter()
            .map(|gap| {
                day = i32::try_from(gap).map_or(i32::MAX, |gap| day.saturating_add(gap));
                NaiveDate::from_num_days_from_ce_opt(day).ok_or_else(|| {
                    serde::de::Error::custom(format!("{day} is not a day number of a date"))
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|dates| BankHolidays { dates })
    }
}

impl BankHolidays {
    pub fn new(mut dates: Vec<NaiveDate>) -> Self {
        dates.sort();
        dates.dedup();
        BankHolidays { dates }
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.dates.binary_search(&d).is_ok()
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.contains(d)
    }

    pub fn first(&self) -> Option<NaiveDate> {
        self.dates.first().copied()
    }

    pub fn last(&self) -> Option<NaiveDate> {
        self.dates.last().copied()
    }

    /// The warning to give when the list does not reach more than 12 months beyond `today`
    /// (the build date): working-day deadlines after its last holiday would count the missing
    /// bank holidays as working days. `None` when some holiday is more than 12 months ahead.
    pub fn coverage_warning(&self, file: &str, today: NaiveDate) -> Option<String> {
        let horizon = today.checked_add_months(Months::new(12))?;
        if self.last().is_some_and(|last| last > horizon) {
            return None;
        }
        let last = self.last().map_or_else(
            || "it lists none".to_string(),
            |d| format!("the last is {d}"),
        );
        Some(format!(
            "{file} has no England-and-Wales bank holiday more than 12 months after {today} ({last}): add the coming years' bank holidays from https://www.gov.uk/bank-holidays, or working-day deadlines after then will count bank holidays as working days"
        ))
    }

    /// Reads `bank-holidays.toml`: `[[holiday]] date = 2025-12-25, name = "Christmas Day"`.
    pub fn parse(file: &str, text: &str) -> Result<BankHolidays, Vec<Diagnostic>> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            holiday: Vec<toml::Spanned<Holiday>>,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Holiday {
            date: toml::value::Datetime,
            #[allow(dead_code)]
            name: String,
        }
        let parsed: File = toml::from_str(text).map_err(|e| {
            let offset = e.span().map(|s| s.start).unwrap_or(0);
            vec![Diagnostic::at(file, text, offset, e.message().to_string())]
        })?;
        let mut errors = Vec::new();
        let mut dates = Vec::new();
        for h in &parsed.holiday {
            let d = h.get_ref().date;
            match (d.date, d.time) {
                (Some(date), None) => {
                    match NaiveDate::from_ymd_opt(
                        i32::from(date.year),
                        u32::from(date.month),
                        u32::from(date.day),
                    ) {
                        Some(nd) => {
                            if matches!(nd.weekday(), Weekday::Sat | Weekday::Sun) {
                                errors.push(Diagnostic::at(
                                    file,
                                    text,
                                    h.span().start,
                                    format!("{nd} is a {}: a bank holiday that falls at a weekend is moved to a weekday; give the weekday", nd.format("%A")),
                                ));
                            }
                            dates.push(nd)
                        }
                        None => errors.push(Diagnostic::at(
                            file,
                            text,
                            h.span().start,
                            "not a real date",
                        )),
                    }
                }
                _ => errors.push(Diagnostic::at(
                    file,
                    text,
                    h.span().start,
                    "give the date alone, like date = 2025-12-25",
                )),
            }
        }
        if errors.is_empty() {
            Ok(BankHolidays::new(dates))
        } else {
            Err(errors)
        }
    }
}

/// The UK's clocks go forward an hour (GMT to BST) at 01:00 UTC on the last Sunday of March
/// and back at 01:00 UTC on the last Sunday of October, as they have since 1996. From 1981 to
/// 1995 they went back on the first Sunday on or after 23 October (22 October from 1990); the
/// spring rule is the same. Before 1981 the rules changed from year to year: those years use
/// the 1981 rule (no child missing now went missing then; the result is at worst an hour out,
/// and nothing fails).
const BST: i32 = 3600;

/// The first Sunday on or after `day` of `month`.
fn sunday_from(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    let d = NaiveDate::from_ymd_opt(year, month, day)?;
    let ahead = (7 - d.weekday().num_days_from_sunday()) % 7;
    d.checked_add_signed(Duration::days(i64::from(ahead)))
}

/// When the clocks go forward and back in `year`, in UTC.
fn changes(year: i32) -> Option<(NaiveDateTime, NaiveDateTime)> {
    // The last Sunday of March or October is the first on or after the 25th.
    let spring = sunday_from(year, 3, 25)?;
    let autumn = match year {
        ..1990 => sunday_from(year, 10, 23)?,
        1990..=1995 => sunday_from(year, 10, 22)?,
        _ => sunday_from(year, 10, 25)?,
    };
    Some((spring.and_hms_opt(1, 0, 0)?, autumn.and_hms_opt(1, 0, 0)?))
}

/// How far UK time is ahead of UTC, in seconds, at a UTC time: 3600 in summer time, else 0.
pub fn london_offset(utc: NaiveDateTime) -> i32 {
    match changes(utc.year()) {
        Some((forward, back)) if utc >= forward && utc < back => BST,
        _ => 0,
    }
}

fn fixed(seconds: i32) -> FixedOffset {
    // Only 0 and 3600 are asked for, both in range.
    FixedOffset::east_opt(seconds).unwrap_or_else(|| chrono::Utc.fix())
}

/// The UTC times a UK wall-clock time stands for: one, two (the autumn hour that happens
/// twice, earlier first) or none (the spring hour the clocks skip).
fn london_from_local(naive: NaiveDateTime) -> LocalResult<DateTime<FixedOffset>> {
    let at = |offset: i32| {
        let utc = naive.checked_sub_signed(Duration::seconds(i64::from(offset)))?;
        (london_offset(utc) == offset).then(|| fixed(offset).from_utc_datetime(&utc))
    };
    match (at(BST), at(0)) {
        (Some(summer), Some(winter)) => LocalResult::Ambiguous(summer, winter),
        (Some(t), None) | (None, Some(t)) => LocalResult::Single(t),
        (None, None) => LocalResult::None,
    }
}

/// A time in UK local time.
pub fn to_london(t: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    let utc = t.naive_utc();
    fixed(london_offset(utc)).from_utc_datetime(&utc)
}

/// The UK time a person means by a wall-clock date and time: `None` for a time the clocks
/// skipped (01:00–01:59 on the day they go forward); the earlier of the two in the autumn
/// overlap, when 01:00–01:59 happens twice.
pub fn uk_time(naive: NaiveDateTime) -> Option<DateTime<FixedOffset>> {
    london_from_local(naive).earliest()
}

/// The UK local time for a wall-clock date and time. In the spring gap (01:00–02:00 on the
/// day the clocks go forward) the clock time does not exist: the hour after is used. In the
/// autumn overlap the earlier of the two is used.
fn london_local(naive: NaiveDateTime) -> Option<DateTime<FixedOffset>> {
    match london_from_local(naive) {
        LocalResult::None => {
            london_from_local(naive.checked_add_signed(Duration::hours(1))?).earliest()
        }
        found => found.earliest(),
    }
}

/// `start` + `timescale`, in UK local time. None only if the date is out of range.
pub fn add(
    start: DateTime<FixedOffset>,
    timescale: &Timescale,
    holidays: &BankHolidays,
) -> Option<DateTime<FixedOffset>> {
    let amount = timescale.amount;
    // The UK wall-clock time of the start, for calendar units (hours need no time zone).
    let naive = || to_london(start).naive_local();
    match timescale.unit {
        Unit::Hours => start
            .checked_add_signed(Duration::hours(i64::from(amount)))
            .map(to_london),
        Unit::Days => london_local(naive().checked_add_signed(Duration::days(i64::from(amount)))?),
        Unit::Weeks => {
            london_local(naive().checked_add_signed(Duration::weeks(i64::from(amount)))?)
        }
        Unit::Months => london_local(naive().checked_add_months(Months::new(amount))?),
        Unit::WorkingDays => {
            let naive = naive();
            let mut date = naive.date();
            let mut left = amount;
            while left > 0 {
                date = date.succ_opt()?;
                if holidays.is_working_day(date) {
                    left -= 1;
                }
            }
            london_local(date.and_time(naive.time()))
        }
    }
}

/// "9am on Monday 27 October 2025"; "12:30pm ..."; never "midnight" or "noon".
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A UK time in words. (Names from tables, not strftime: the checker's download stays small;
/// and written piece by piece, not with `format!`, as each item with a deadline needs one.)
pub fn human(t: DateTime<FixedOffset>) -> String {
    human_local(&to_london(t))
}

/// A time already in UK time, as [`add`] and [`to_london`] give, as RFC 3339 text
/// (chrono's `to_rfc3339`) and in words ([`human`]): its own clock time is the UK's, with no
/// time zone to look up again.
pub(crate) fn texts_uk(t: DateTime<FixedOffset>) -> (String, String) {
    debug_assert_eq!(
        t.offset(),
        to_london(t).offset(),
        "texts_uk: {t} is not in UK time"
    );
    (t.to_rfc3339(), human_local(&t))
}

/// A wall-clock time in words.
fn human_local(local: &(impl Datelike + Timelike)) -> String {
    let (pm, hour12) = local.hour12();
    let minute = local.minute();
    let weekday = WEEKDAYS[local.weekday().num_days_from_monday() as usize];
    let month = MONTHS[local.month0() as usize];
    // "12:30pm on Wednesday 31 December 2025" is the longest but for the names.
    let mut out = String::with_capacity(24 + weekday.len() + month.len());
    push_number(&mut out, hour12);
    if minute != 0 {
        out.push(':');
        if minute < 10 {
            out.push('0');
        }
        push_number(&mut out, minute);
    }
    out.push_str(if pm { "pm on " } else { "am on " });
    out.push_str(weekday);
    out.push(' ');
    push_number(&mut out, local.day());
    out.push(' ');
    out.push_str(month);
    out.push(' ');
    let year = local.year();
    if year < 0 {
        out.push('-');
    }
    push_number(&mut out, year.unsigned_abs());
    out
}

/// Writes a number in digits, as `{}` does.
fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut len = 0;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for d in digits[..len].iter().rev() {
        out.push(char::from(*d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Event;

    fn t(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).expect("time")
    }

    fn ts(amount: u32, unit: Unit) -> Timescale {
        Timescale {
            amount,
            unit,
            from: Event::Missing,
        }
    }

    fn holidays() -> BankHolidays {
        BankHolidays::new(
            ["2025-12-25", "2025-12-26", "2026-01-01"]
                .iter()
                .filter_map(|d| d.parse().ok())
                .collect(),
        )
    }

    #[test]
    fn hours_are_elapsed_time_across_the_clock_change() {
        let due = add(
            t("2025-10-24T10:00:00+01:00"),
            &ts(72, Unit::Hours),
            &holidays(),
        );
        assert_eq!(due, Some(t("2025-10-27T09:00:00+00:00")));
        assert_eq!(
            due.map(|d| d.to_rfc3339()).as_deref(),
            Some("2025-10-27T09:00:00+00:00")
        );
    }

    #[test]
    fn days_keep_the_clock_time_across_the_clock_change() {
        let due = add(
            t("2025-10-24T10:00:00+01:00"),
            &ts(3, Unit::Days),
            &holidays(),
        );
        assert_eq!(due, Some(t("2025-10-27T10:00:00+00:00")));
        // Spring forward: 01:30 on 29 March 2026 does not exist; the hour after is used.
        let due = add(
            t("2026-03-28T01:30:00+00:00"),
            &ts(1, Unit::Days),
            &holidays(),
        );
        assert_eq!(due, Some(t("2026-03-29T02:30:00+01:00")));
    }

    #[test]
    fn the_checkers_file_carries_holidays_as_gaps_and_reads_them_back() {
        let h = BankHolidays::new(
            [
                "2025-12-25",
                "2025-12-26",
                "2026-01-01",
                "2026-04-03",
                "2026-04-06",
            ]
            .iter()
            .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("date"))
            .collect(),
        );
        let bytes = postcard::to_allocvec(&h).expect("encodes");
        // A length, the first day's number (three bytes), then a byte for each later one.
        assert_eq!(bytes.len(), 1 + 3 + 4, "{bytes:?}");
        assert_eq!(postcard::from_bytes::<BankHolidays>(&bytes), Ok(h));
        // A gap that overflows is an error, not a wrong date.
        let broken = postcard::to_allocvec(&(vec![u32::MAX, 1],)).expect("encodes");
        assert!(postcard::from_bytes::<BankHolidays>(&broken).is_err());
    }

    #[test]
    fn working_days_skip_weekends_and_bank_holidays() {
        // Wednesday 24 December 2025 + 3 working days: not 25, 26 (holidays), 27, 28 (weekend).
        let due = add(
            t("2025-12-24T15:00:00+00:00"),
            &ts(3, Unit::WorkingDays),
            &holidays(),
        );
        assert_eq!(due, Some(t("2025-12-31T15:00:00+00:00")));
        // Friday + 1 working day is Monday.
        let due = add(
            t("2025-10-24T10:00:00+01:00"),
            &ts(1, Unit::WorkingDays),
            &holidays(),
        );
        assert_eq!(due, Some(t("2025-10-27T10:00:00+00:00")));
    }

    #[test]
    fn months_and_weeks() {
        let due = add(
            t("2025-01-31T10:00:00+00:00"),
            &ts(1, Unit::Months),
            &holidays(),
        );
        assert_eq!(due, Some(t("2025-02-28T10:00:00+00:00")));
        let due = add(
            t("2025-03-20T10:00:00+00:00"),
            &ts(2, Unit::Weeks),
            &holidays(),
        );
        assert_eq!(due, Some(t("2025-04-03T10:00:00+01:00")));
    }

    #[test]
    fn times_read_as_people_say_them() {
        assert_eq!(
            human(t("2025-10-27T09:00:00+00:00")),
            "9am on Monday 27 October 2025"
        );
        assert_eq!(
            human(t("2025-10-26T23:00:00+00:00")),
            "11pm on Sunday 26 October 2025"
        );
        assert_eq!(
            human(t("2025-10-27T00:00:00+00:00")),
            "12am on Monday 27 October 2025"
        );
        assert_eq!(
            human(t("2025-06-01T12:30:00+01:00")),
            "12:30pm on Sunday 1 June 2025"
        );
        assert_eq!(
            human(t("2025-12-31T10:05:00+00:00")),
            "10:05am on Wednesday 31 December 2025"
        );
        assert_eq!(
            human(t("2026-03-29T01:00:00+00:00")),
            "2am on Sunday 29 March 2026"
        );
        // The same words as the format strings gave, over years of minutes.
        let mut at = t("2025-01-01T00:00:00+00:00");
        while at < t("2031-01-01T00:00:00+00:00") {
            let local = at.with_timezone(&chrono_tz::Europe::London);
            let (pm, hour12) = local.hour12();
            let minute = local.minute();
            let clock = if minute == 0 {
                format!("{hour12}{}", if pm { "pm" } else { "am" })
            } else {
                format!("{hour12}:{minute:02}{}", if pm { "pm" } else { "am" })
            };
            let want = format!(
                "{clock} on {} {} {} {}",
                local.format("%A"),
                local.day(),
                local.format("%B"),
                local.year()
            );
            assert_eq!(human(at), want);
            at += Duration::minutes(7919);
        }
    }

    #[test]
    fn uk_times_as_text_are_chronos_and_humans() {
        // The texts the checker showed before it used chrono's writer (they were tested equal
        // to chrono's then): the same, character for character.
        for (time, text, words) in [
            (
                "2025-10-27T09:00:00+00:00",
                "2025-10-27T09:00:00+00:00",
                "9am on Monday 27 October 2025",
            ),
            (
                "2025-06-01T11:30:00Z",
                "2025-06-01T12:30:00+01:00",
                "12:30pm on Sunday 1 June 2025",
            ),
            (
                "2026-03-29T01:30:00Z",
                "2026-03-29T02:30:00+01:00",
                "2:30am on Sunday 29 March 2026",
            ),
            (
                "2025-10-26T00:59:59Z",
                "2025-10-26T01:59:59+01:00",
                "1:59am on Sunday 26 October 2025",
            ),
            (
                "2025-10-26T01:00:00Z",
                "2025-10-26T01:00:00+00:00",
                "1am on Sunday 26 October 2025",
            ),
            (
                "0001-12-31T23:59:59Z",
                "0001-12-31T23:59:59+00:00",
                "11:59pm on Monday 31 December 1",
            ),
            (
                "9999-12-31T23:59:59Z",
                "9999-12-31T23:59:59+00:00",
                "11:59pm on Friday 31 December 9999",
            ),
            (
                "2025-06-01T12:30:00.5+01:00",
                "2025-06-01T12:30:00.500+01:00",
                "12:30pm on Sunday 1 June 2025",
            ),
        ] {
            let uk = to_london(t(time));
            assert_eq!(
                texts_uk(uk),
                (text.to_string(), words.to_string()),
                "{time}"
            );
        }
        // Over years of minutes, across every clock change: chrono's text and the words.
        let mut at = t("2024-01-01T00:00:00+00:00");
        while at < t("2031-01-01T00:00:00+00:00") {
            let uk = to_london(at);
            assert_eq!(texts_uk(uk), (uk.to_rfc3339(), human(at)), "{at}");
            at += Duration::minutes(7919);
        }
    }

    /// The clock rule against the tz database, every year from 1990 to 2099: the offset at
    /// every hour (and every quarter hour on the days the clocks change), and how every wall
    /// clock time on those days reads (skipped, once, or twice). chrono-tz's tables stop at
    /// the end of 2099 (it then says GMT all year); 2100 is checked by its dates below.
    #[test]
    fn uk_time_is_the_tz_databases_from_1990_to_2100() {
        use chrono_tz::Europe::London;
        let mut checked = 0;
        for year in 1990..=2099 {
            let (forward, back) = changes(year).expect("in range");
            for change in [forward, back] {
                let day = change.date();
                for quarter in -4 * 24..8 * 24 {
                    let utc = day.and_time(chrono::NaiveTime::MIN)
                        + Duration::minutes(15 * i64::from(quarter));
                    let tz = London.from_utc_datetime(&utc).fixed_offset();
                    assert_eq!(
                        london_offset(utc),
                        tz.offset().local_minus_utc(),
                        "{utc} UTC"
                    );
                    let ours = to_london(fixed(0).from_utc_datetime(&utc));
                    assert_eq!((ours, ours.offset()), (tz, tz.offset()), "{utc} UTC");
                    // The same figures as a wall clock time.
                    let local = utc;
                    let want = London.from_local_datetime(&local).map(|t| t.fixed_offset());
                    let got = london_from_local(local);
                    assert_eq!(got, want, "{local} in the UK");
                    assert_eq!(uk_time(local), want.earliest(), "{local} in the UK");
                    checked += 1;
                }
            }
            let mut utc = NaiveDate::from_ymd_opt(year, 1, 1)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .expect("a date");
            while utc.year() == year {
                let tz = London.from_utc_datetime(&utc).fixed_offset();
                assert_eq!(
                    london_offset(utc),
                    tz.offset().local_minus_utc(),
                    "{utc} UTC"
                );
                utc += Duration::hours(1);
                checked += 1;
            }
        }
        assert!(checked > 110 * 8760, "{checked}");
        let at = |s: &str| s.parse::<NaiveDateTime>().expect("a time");
        assert_eq!(
            changes(2100),
            Some((at("2100-03-28T01:00:00"), at("2100-10-31T01:00:00")))
        );
        assert_eq!(london_offset(at("2100-03-28T00:59:59")), 0);
        assert_eq!(london_offset(at("2100-03-28T01:00:00")), BST);
        assert_eq!(london_offset(at("2100-10-31T00:59:59")), BST);
        assert_eq!(london_offset(at("2100-10-31T01:00:00")), 0);
    }

    #[test]
    fn the_clocks_change_on_the_right_sundays() {
        let at = |s: &str| s.parse::<NaiveDateTime>().expect("a time");
        assert_eq!(
            changes(2025),
            Some((at("2025-03-30T01:00:00"), at("2025-10-26T01:00:00")))
        );
        assert_eq!(
            changes(2026),
            Some((at("2026-03-29T01:00:00"), at("2026-10-25T01:00:00")))
        );
        // Before 1996 the clocks went back earlier in some years.
        assert_eq!(
            changes(1995),
            Some((at("1995-03-26T01:00:00"), at("1995-10-22T01:00:00")))
        );
        // Out of chrono's range: GMT, nothing fails.
        assert_eq!(london_offset(NaiveDateTime::MAX), 0);
        assert_eq!(
            to_london(DateTime::<FixedOffset>::MIN_UTC.fixed_offset())
                .offset()
                .local_minus_utc(),
            0
        );
    }

    #[test]
    fn the_build_warns_when_the_holidays_run_out_within_a_year() {
        let d = |s: &str| s.parse::<NaiveDate>().expect("date");
        let h = holidays(); // the last is 2026-01-01
        // More than 12 months ahead: no warning.
        assert_eq!(h.coverage_warning("h.toml", d("2024-12-31")), None);
        // Exactly 12 months ahead is not more than 12 months ahead.
        let w = h
            .coverage_warning("h.toml", d("2025-01-01"))
            .expect("a warning");
        assert!(w.starts_with("h.toml has no England-and-Wales bank holiday more than 12 months after 2025-01-01 (the last is 2026-01-01)"), "{w}");
        assert!(h.coverage_warning("h.toml", d("2027-06-01")).is_some());
        let none = BankHolidays::default().coverage_warning("h.toml", d("2025-01-01"));
        assert!(none.is_some_and(|w| w.contains("it lists none")));
    }

    #[test]
    fn holiday_files_are_checked() {
        let ok = BankHolidays::parse(
            "h.toml",
            "[[holiday]]\ndate = 2025-12-25\nname = \"Christmas Day\"\n",
        );
        assert!(ok.is_ok());
        let err = BankHolidays::parse("h.toml", "[[holiday]]\ndate = 2025-12-27\nname = \"x\"\n")
            .expect_err("a Saturday");
        assert_eq!(err[0].line, 1);
        assert!(err[0].message.contains("Saturday"));
    }
}
