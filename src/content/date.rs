//! Publication dates: parsed from front matter or file names, kept with the offset they were
//! written in, so that an article dated 08:30 in Berlin stays on that day in its URL.

use std::cmp::Ordering;

use jiff::ZonedDateTime;
use jiff::fmt::temporal::Pieces;
use jiff::tz::TimeZone;

/// A moment an article was published or updated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishDate(ZonedDateTime);

/// The moment and the offset it is shown in: what pages and feeds print of a date.
impl std::hash::Hash for PublishDate {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.timestamp().hash(state);
        self.0.offset().seconds().hash(state);
    }
}

impl PublishDate {
    /// Reads `YYYY-MM-DD` or RFC 3339 with or without offset; without one, `tz` applies.
    pub fn parse(text: &str, tz: &TimeZone) -> Result<Self, String> {
        let pieces = Pieces::parse(text.trim()).map_err(|e| {
            format!("`{text}` is not a date (expected YYYY-MM-DD or RFC 3339): {e}")
        })?;
        let time = pieces.time().unwrap_or(jiff::civil::Time::midnight());
        // A `[Europe/Berlin]` annotation names the zone; a written offset still wins.
        let named = pieces
            .to_time_zone()
            .map_err(|e| format!("`{text}` names an unknown time zone: {e}"))?;
        let tz = match (pieces.to_numeric_offset(), named) {
            (Some(offset), _) => offset.to_time_zone(),
            (None, Some(zone)) => zone,
            (None, None) => tz.clone(),
        };
        pieces
            .date()
            .to_datetime(time)
            .to_zoned_datetime(tz)
            .map(PublishDate)
            .map_err(|e| format!("`{text}` is not a valid time: {e}"))
    }

    /// The date of a `YYYY-MM-DD-` file name prefix, if the name has one.
    pub fn from_file_stem<'s>(stem: &'s str, tz: &TimeZone) -> Option<(Self, &'s str)> {
        let (prefix, rest) = (stem.get(..10)?, stem.get(10..)?);
        let rest = rest.strip_prefix('-').filter(|r| !r.is_empty())?;
        let date: jiff::civil::Date = prefix.parse().ok()?;
        let zoned = date.to_zoned_datetime(tz.clone()).ok()?;
        Some((PublishDate(zoned), rest))
    }

    pub fn timestamp(&self) -> jiff::Timestamp {
        self.0.timestamp()
    }

    /// RFC 3339, as `<time datetime>` and feeds want it.
    pub fn iso(&self) -> String {
        self.0.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }

    /// RFC 2822, as RSS wants it: `Sat, 14 Mar 2026 08:30:00 +0100`.
    pub fn rfc2822(&self) -> String {
        jiff::fmt::rfc2822::to_string(&self.0).unwrap_or_else(|_| self.iso())
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

    /// Checks a strftime format once, up front, so that rendering cannot fail on it.
    pub fn check_format(format: &str) -> Result<(), String> {
        let sample = PublishDate::parse("2026-01-02T03:04:05Z", &TimeZone::UTC)?;
        jiff::fmt::strtime::format(format, &sample.0)
            .map(drop)
            .map_err(|e| e.to_string())
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
    fn a_named_zone_is_used_and_an_unknown_one_refused() {
        let d = PublishDate::parse("2026-07-01T10:00:00[Europe/Berlin]", &TimeZone::UTC).unwrap();
        assert_eq!(d.iso(), "2026-07-01T10:00:00+02:00");
        assert!(PublishDate::parse("2026-07-01T10:00:00[Europe/Nowhere]", &TimeZone::UTC).is_err());
    }

    #[test]
    fn rejects_nonsense_and_impossible_dates() {
        assert!(PublishDate::parse("yesterday", &TimeZone::UTC).is_err());
        assert!(PublishDate::parse("2026-02-30", &TimeZone::UTC).is_err());
    }

    #[test]
    fn file_stem_prefix() {
        let (d, rest) =
            PublishDate::from_file_stem("2026-03-14-port-strike", &TimeZone::UTC).unwrap();
        assert_eq!(rest, "port-strike");
        assert_eq!(d.day(), 14);
        assert!(PublishDate::from_file_stem("port-strike", &TimeZone::UTC).is_none());
        assert!(PublishDate::from_file_stem("2026-03-14", &TimeZone::UTC).is_none());
    }

    #[test]
    fn rfc2822_keeps_the_offset() {
        let d = PublishDate::parse("2026-03-14T08:30:00+01:00", &TimeZone::UTC).unwrap();
        assert_eq!(d.rfc2822(), "Sat, 14 Mar 2026 08:30:00 +0100");
    }

    #[test]
    fn format_uses_strftime() {
        let d = PublishDate::parse("2026-03-04", &TimeZone::UTC).unwrap();
        assert_eq!(d.format("%-d %B %Y"), "4 March 2026");
        assert!(PublishDate::check_format("%E").is_err());
    }
}
