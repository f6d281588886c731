//! Publication dates: parsed from front matter or file names, kept with the offset they were
//! written in, so that an article dated 08:30 in Berlin stays on that day in its URL.

use std::cmp::Ordering;

use jiff::ZonedDateTime;
use jiff::civil::Date;
use jiff::fmt::temporal::Pieces;
use jiff::tz::TimeZone;

/// The length of `YYYY-MM-DD`.
const DATE_LEN: usize = 10;

/// The years a date may have. Year 0 is not a year of the calendar authors write in, and from
/// the last day of 9999 on, a date moved by its offset leaves the range of moments that can
/// be computed with; a year-wide bound is simpler to state than that day.
const YEARS: std::ops::RangeInclusive<i16> = 1..=9998;

const OUT_OF_RANGE: &str = "is out of range: gazette takes years 0001 to 9998";

/// A moment an article was published or updated.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PublishDate(ZonedDateTime);

/// The moment, the offset it is shown in and the zone's name: what pages and feeds print of a
/// date (a date format may show the zone, `%Z`), so what the keys of the pages showing it hash.
impl std::hash::Hash for PublishDate {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.timestamp().hash(state);
        self.0.offset().seconds().hash(state);
        self.0.time_zone().iana_name().hash(state);
    }
}

impl PublishDate {
    /// Reads `YYYY-MM-DD` or RFC 3339 with or without offset; without one, `tz` applies. The
    /// error says, in plain words, which part is wrong and what was expected.
    pub fn parse(text: &str, tz: &TimeZone) -> Result<Self, String> {
        let written = text.trim();
        let date = calendar_date(written).map_err(|e| format!("`{written}` {e}"))?;
        if let Some(offset) = written_offset(&written[DATE_LEN..]) {
            check_offset(offset)?;
        }
        let pieces = Pieces::parse(written).map_err(|_| {
            format!(
                "`{written}`: cannot read the time after the date \
                 (expected a time such as T08:30:00, then Z or an offset such as +01:00)"
            )
        })?;
        let time = pieces.time().unwrap_or(jiff::civil::Time::midnight());
        // A `[Europe/Berlin]` annotation names the zone; a written offset still wins.
        let named = pieces
            .to_time_zone()
            .map_err(|_| format!("`{written}` names a time zone gazette does not know"))?;
        let tz = match (pieces.to_numeric_offset(), named) {
            (Some(offset), _) => offset.to_time_zone(),
            (None, Some(zone)) => zone,
            (None, None) => tz.clone(),
        };
        date.to_datetime(time)
            .to_zoned_datetime(tz)
            .map(PublishDate)
            .map_err(|_| format!("`{written}` {OUT_OF_RANGE}"))
    }

    /// The date of a `YYYY-MM-DD-` file name prefix, if the name has one, and the rest of the
    /// name. A prefix of that shape that is no date (`2026-02-30-`) is an error, not a name.
    pub fn from_file_stem<'s>(
        stem: &'s str,
        tz: &TimeZone,
    ) -> Option<(Result<Self, String>, &'s str)> {
        let prefix = date_shaped(stem)?;
        let rest = stem[DATE_LEN..]
            .strip_prefix('-')
            .filter(|r| !r.is_empty())?;
        let date = calendar_date(prefix)
            .map_err(|e| format!("`{prefix}` {e}"))
            .and_then(|date| {
                date.to_zoned_datetime(tz.clone())
                    .map(PublishDate)
                    .map_err(|_| format!("`{prefix}` {OUT_OF_RANGE}"))
            });
        Some((date, rest))
    }

    pub fn timestamp(&self) -> jiff::Timestamp {
        self.0.timestamp()
    }

    /// RFC 3339, as `<time datetime>` and feeds want it.
    pub fn iso(&self) -> String {
        self.0.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }

    /// RFC 2822, as RSS wants it: `Sat, 14 Mar 2026 08:30:00 +0100`. Parsing keeps dates
    /// within what RFC 2822 can write; the error is there so that no other form slips in.
    pub fn rfc2822(&self) -> Result<String, String> {
        jiff::fmt::rfc2822::to_string(&self.0)
            .map_err(|e| format!("the date `{}` cannot be written for RSS: {e}", self.iso()))
    }

    pub fn year(&self) -> i16 {
        self.0.year()
    }

    pub fn month(&self) -> i8 {
        self.0.month()
    }

    pub fn day(&self) -> i8 {
        self.0.day()
    }

    /// Formats with strftime directives, as `date_format` in gazette.yaml gives them.
    pub fn format(&self, format: &str) -> String {
        jiff::fmt::strtime::format(format, &self.0).unwrap_or_else(|_| self.iso())
    }

    /// Checks a strftime format once, up front, so that rendering cannot fail on it; the
    /// error names the directive that is wrong.
    pub fn check_format(format: &str) -> Result<(), String> {
        let sample = PublishDate::parse("2026-01-02T03:04:05Z", &TimeZone::UTC)?;
        let works = |format: &str| jiff::fmt::strtime::format(format, &sample.0).is_ok();
        if works(format) {
            return Ok(());
        }
        // A directive is `%`, perhaps flags and a width, then a letter (or `%` for itself).
        let mut rest = format;
        while let Some(start) = rest.find('%') {
            let after = &rest[start + 1..];
            let Some(end) = after.find(|c: char| c.is_ascii_alphabetic() || c == '%') else {
                return Err("ends with a lone `%`".into());
            };
            let directive = &rest[start..start + end + 2];
            if !works(directive) {
                return Err(format!("`{directive}` is not a strftime directive"));
            }
            rest = &rest[start + end + 2..];
        }
        Err(format!("`{format}` is not a strftime format"))
    }
}

/// The calendar date `text` starts with, checked part by part so that the error names the
/// part that is wrong; the error reads after the quoted text.
fn calendar_date(text: &str) -> Result<Date, String> {
    let after = text.get(DATE_LEN..).and_then(|t| t.chars().next());
    let shape = date_shaped(text);
    let Some(date) = shape.filter(|_| after.is_none_or(|c| matches!(c, 'T' | 't' | ' '))) else {
        return Err("is not a date: expected YYYY-MM-DD, such as 2026-03-14, \
                    optionally followed by a time"
            .into());
    };
    // At most four ASCII digits: the number always fits.
    let number = |range: std::ops::Range<usize>| {
        date.as_bytes()[range]
            .iter()
            .fold(0i16, |n, b| n * 10 + i16::from(b - b'0'))
    };
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    if !YEARS.contains(&year) {
        return Err(OUT_OF_RANGE.into());
    }
    if !(1..=12).contains(&month) {
        return Err(format!("has no month {month}: months run from 01 to 12"));
    }
    let first = Date::new(year, month as i8, 1).map_err(|_| OUT_OF_RANGE.to_string())?;
    let days = first.days_in_month();
    if day < 1 || day > i16::from(days) {
        let month_name = first.strftime("%B %Y");
        return Err(format!(
            "has no day {day}: {month_name} has days 01 to {days}"
        ));
    }
    Date::new(year, month as i8, day as i8).map_err(|_| OUT_OF_RANGE.to_string())
}

/// The `YYYY-MM-DD` that `text` starts with, if it has that shape (whatever the numbers).
fn date_shaped(text: &str) -> Option<&str> {
    let digit_or_dash = |(i, b): (usize, u8)| match i {
        4 | 7 => b == b'-',
        _ => b.is_ascii_digit(),
    };
    text.get(..DATE_LEN)
        .filter(|d| d.bytes().enumerate().all(digit_or_dash))
}

/// The UTC offset written at the end of what follows the date (`T08:30:00+01:00`), if any.
fn written_offset(after_date: &str) -> Option<&str> {
    let without_zone = after_date.split('[').next().unwrap_or(after_date);
    let sign = without_zone.rfind(['+', '-'])?;
    Some(&without_zone[sign..])
}

/// RFC 3339 offsets are whole minutes below a day: `+24:00` and `+23:60` are no place on Earth,
/// and feeds and other tools cannot carry them.
fn check_offset(offset: &str) -> Result<(), String> {
    let digits: String = offset[1..].chars().filter(|c| *c != ':').collect();
    let parts = (digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| (digits[..2].parse::<u8>(), digits[2..].parse::<u8>()));
    match parts {
        Some((Ok(hours), Ok(minutes))) if hours <= 23 && minutes <= 59 => Ok(()),
        _ => Err(format!(
            "`{offset}` is not a UTC offset: offsets run from -23:59 to +23:59, written +HH:MM"
        )),
    }
}

impl PartialOrd for PublishDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PublishDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.timestamp().cmp(&other.timestamp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_written_offset() {
        let d = PublishDate::parse("2026-03-14T00:30:00+01:00", &TimeZone::UTC).unwrap();
        assert_eq!(d.iso(), "2026-03-14T00:30:00+01:00");
        assert_eq!((d.year(), d.month(), d.day()), (2026, 3, 14));
    }

    #[test]
    fn plain_date_is_midnight_in_site_zone() {
        let d = PublishDate::parse("2026-03-14", &TimeZone::UTC).unwrap();
        assert_eq!(d.iso(), "2026-03-14T00:00:00+00:00");
    }

    #[test]
    fn date_without_offset_uses_site_zone() {
        let tz = TimeZone::fixed(jiff::tz::offset(2));
        let d = PublishDate::parse("2026-03-14T10:00:00", &tz).unwrap();
        assert_eq!(d.iso(), "2026-03-14T10:00:00+02:00");
    }

    #[test]
    fn the_same_moment_and_offset_in_another_named_zone_hashes_apart() {
        // Paris and Berlin share their offset; `%Z` would print either name, so a page
        // showing the date must be rendered again when only the name changes.
        let at = |zone| PublishDate::parse(&format!("2026-07-01T10:00:00[{zone}]"), &TimeZone::UTC);
        let (paris, berlin) = (at("Europe/Paris").unwrap(), at("Europe/Berlin").unwrap());
        assert_eq!(paris.iso(), berlin.iso());
        let hash = |d: &PublishDate| {
            use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
            BuildHasherDefault::<DefaultHasher>::default().hash_one(d)
        };
        assert_ne!(hash(&paris), hash(&berlin));
    }

    #[test]
    fn a_named_zone_is_used_and_an_unknown_one_refused() {
        let d = PublishDate::parse("2026-07-01T10:00:00[Europe/Berlin]", &TimeZone::UTC).unwrap();
        assert_eq!(d.iso(), "2026-07-01T10:00:00+02:00");
        assert!(PublishDate::parse("2026-07-01T10:00:00[Europe/Nowhere]", &TimeZone::UTC).is_err());
    }

    #[test]
    fn bad_dates_say_which_part_is_wrong_in_plain_words() {
        let not_a_date = "is not a date: expected YYYY-MM-DD, such as 2026-03-14, optionally \
                          followed by a time";
        let bad_time = "cannot read the time after the date (expected a time such as \
                        T08:30:00, then Z or an offset such as +01:00)";
        let offsets = "offsets run from -23:59 to +23:59, written +HH:MM";
        let cases = [
            ("yesterday", format!("`yesterday` {not_a_date}")),
            ("26-01-01", format!("`26-01-01` {not_a_date}")),
            ("2026-1-1", format!("`2026-1-1` {not_a_date}")),
            ("2026/01/01", format!("`2026/01/01` {not_a_date}")),
            ("-0001-01-01", format!("`-0001-01-01` {not_a_date}")),
            ("0000-01-01", format!("`0000-01-01` {OUT_OF_RANGE}")),
            ("9999-12-31", format!("`9999-12-31` {OUT_OF_RANGE}")),
            (
                "9999-01-01T00:00:00-05:00",
                format!("`9999-01-01T00:00:00-05:00` {OUT_OF_RANGE}"),
            ),
            (
                "2026-13-01",
                "`2026-13-01` has no month 13: months run from 01 to 12".into(),
            ),
            (
                "2026-02-30",
                "`2026-02-30` has no day 30: February 2026 has days 01 to 28".into(),
            ),
            (
                "2024-04-00",
                "`2024-04-00` has no day 0: April 2024 has days 01 to 30".into(),
            ),
            (
                "2026-01-01T25:00:00Z",
                format!("`2026-01-01T25:00:00Z`: {bad_time}"),
            ),
            ("2026-01-01Tnoon", format!("`2026-01-01Tnoon`: {bad_time}")),
        ];
        for (written, expected) in cases {
            let error = PublishDate::parse(written, &TimeZone::UTC).unwrap_err();
            assert_eq!(error, expected, "{written}");
        }
        for offset in ["+24:00", "+25:00", "-24:00", "+23:60", "+01:00:30", "+1:00"] {
            let written = format!("2026-03-14T10:00:00{offset}");
            let error = PublishDate::parse(&written, &TimeZone::UTC).unwrap_err();
            assert_eq!(error, format!("`{offset}` is not a UTC offset: {offsets}"));
        }
    }

    #[test]
    fn the_extreme_offsets_and_years_are_accepted_and_written_for_every_feed() {
        for written in [
            "2026-03-14T10:00:00+23:59",
            "2026-03-14T10:00:00-23:59",
            "0001-01-01T00:00:00+23:59",
            "9998-12-31T23:59:59-23:59",
        ] {
            let d = PublishDate::parse(written, &TimeZone::UTC).unwrap();
            assert_eq!(d.iso(), written);
            assert!(d.rfc2822().is_ok(), "{written}");
        }
    }

    #[test]
    fn file_stem_prefix() {
        let (d, rest) =
            PublishDate::from_file_stem("2026-03-14-port-strike", &TimeZone::UTC).unwrap();
        assert_eq!(rest, "port-strike");
        assert_eq!(d.unwrap().day(), 14);
        assert!(PublishDate::from_file_stem("port-strike", &TimeZone::UTC).is_none());
        assert!(PublishDate::from_file_stem("2026-03-14", &TimeZone::UTC).is_none());
        assert!(PublishDate::from_file_stem("2026-3-14-x", &TimeZone::UTC).is_none());
        let (bad, rest) = PublishDate::from_file_stem("2026-02-30-x", &TimeZone::UTC).unwrap();
        assert_eq!(rest, "x");
        assert_eq!(
            bad.unwrap_err(),
            "`2026-02-30` has no day 30: February 2026 has days 01 to 28"
        );
    }

    #[test]
    fn rfc2822_keeps_the_offset() {
        let d = PublishDate::parse("2026-03-14T08:30:00+01:00", &TimeZone::UTC).unwrap();
        assert_eq!(d.rfc2822().unwrap(), "Sat, 14 Mar 2026 08:30:00 +0100");
    }

    #[test]
    fn format_uses_strftime() {
        let d = PublishDate::parse("2026-03-04", &TimeZone::UTC).unwrap();
        assert_eq!(d.format("%-d %B %Y"), "4 March 2026");
        for (format, error) in [
            ("%E %Y", "`%E` is not a strftime directive"),
            ("%-d %i", "`%i` is not a strftime directive"),
            ("%Y %", "ends with a lone `%`"),
            ("%% %E", "`%E` is not a strftime directive"),
        ] {
            assert_eq!(PublishDate::check_format(format).unwrap_err(), error);
        }
        assert!(PublishDate::check_format("%% %-d %B %Y %H:%M %:z").is_ok());
    }
}
