//! Dates, numbers and plural forms in one language, as CLDR writes them, by ICU4X.

use icu_calendar::Gregorian;
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::{YM, YMD};
use icu_datetime::input::Date;
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRules};

use crate::date::PublishDate;

/// The formatters of one language, made once for a build (making one loads its data, which
/// costs far more than using it).
#[derive(Debug)]
pub struct Formats {
    long_date: Option<FixedCalendarDateTimeFormatter<Gregorian, YMD>>,
    month: Option<FixedCalendarDateTimeFormatter<Gregorian, YM>>,
    decimal: Option<DecimalFormatter>,
    plurals: Option<PluralRules>,
}

impl Formats {
    /// The formatters of `language` (a BCP 47 tag such as `fr` or `pt-BR`); a tag ICU4X cannot
    /// read gets the root locale's, which are CLDR's neutral forms. English without a region is
    /// CLDR's international English (`en-001`): "14 March 2026", as gazette always wrote it;
    /// `en-US` gives "March 14, 2026".
    pub fn new(language: &str) -> Self {
        let tag = if language.eq_ignore_ascii_case("en") {
            "en-001"
        } else {
            language
        };
        let locale = Locale::try_from_str(tag).unwrap_or(Locale::UNKNOWN);
        Self {
            long_date: FixedCalendarDateTimeFormatter::try_new((&locale).into(), YMD::long()).ok(),
            month: FixedCalendarDateTimeFormatter::try_new((&locale).into(), YM::long()).ok(),
            decimal: DecimalFormatter::try_new((&locale).into(), Default::default()).ok(),
            plurals: PluralRules::try_new_cardinal((&locale).into()).ok(),
        }
    }

    /// The day of `date` as the language writes it in full: "14 mars 2026".
    pub fn long_date(&self, date: &PublishDate) -> String {
        match (&self.long_date, gregorian(date)) {
            (Some(f), Some(day)) => f.format(&day).to_string(),
            _ => date.format("%Y-%m-%d"),
        }
    }

    /// The month of `date` with its year: "mars 2026".
    pub fn month(&self, date: &PublishDate) -> String {
        match (&self.month, gregorian(date)) {
            (Some(f), Some(day)) => f.format(&day).to_string(),
            _ => date.format("%Y-%m"),
        }
    }

    /// `n` in the language's digits and grouping: "1 234", "١٬٢٣٤".
    pub fn number(&self, n: i64) -> String {
        match &self.decimal {
            Some(f) => f.format(&Decimal::from(n)).to_string(),
            None => n.to_string(),
        }
    }

    /// Of a text's plural forms, the one the language gives `n`, else its `other` form.
    pub fn form<T>(&self, n: i64, form: impl Fn(&'static str) -> Option<T>) -> Option<T> {
        form(self.plural(n)).or_else(|| form("other"))
    }

    /// The CLDR plural category of `n`: `one`, `few`, `other`...
    pub fn plural(&self, n: i64) -> &'static str {
        let category = match &self.plurals {
            Some(rules) => rules.category_for(n),
            None => PluralCategory::Other,
        };
        match category {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        }
    }
}

/// `date` as ICU4X takes it, a day of the Gregorian calendar.
fn gregorian(date: &PublishDate) -> Option<Date<Gregorian>> {
    let month = date.month().try_into().ok()?;
    let day = date.day().try_into().ok()?;
    Date::try_new_gregorian(i32::from(date.year()), month, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_categories_follow_cldr() {
        let en = Formats::new("en");
        assert_eq!(
            (en.plural(1), en.plural(0), en.plural(3)),
            ("one", "other", "other")
        );
        let fr = Formats::new("fr");
        // French counts zero as singular.
        assert_eq!(
            (fr.plural(0), fr.plural(1), fr.plural(2)),
            ("one", "one", "other")
        );
        let ar = Formats::new("ar");
        let forms: Vec<&str> = [0, 1, 2, 3, 11, 100].map(|n| ar.plural(n)).to_vec();
        assert_eq!(forms, ["zero", "one", "two", "few", "many", "other"]);
    }

    #[test]
    fn dates_and_numbers_follow_the_language() {
        let date = PublishDate::parse("2026-03-14", &jiff::tz::TimeZone::UTC).unwrap();
        let long = |lang: &str| Formats::new(lang).long_date(&date);
        assert_eq!(long("en"), "14 March 2026");
        assert_eq!(long("en-US"), "March 14, 2026");
        assert_eq!(long("fr"), "14 mars 2026");
        assert_eq!(long("de"), "14. März 2026");
        assert_eq!(long("es"), "14 de marzo de 2026");
        // CLDR writes Arabic with Latin digits by default (since CLDR 42); `ar-EG` and others
        // keep the Arabic-Indic ones.
        assert_eq!(long("ar"), "14 مارس 2026");
        assert_eq!(long("ar-EG"), "١٤ مارس ٢٠٢٦");
        assert_eq!(Formats::new("fr").month(&date), "mars 2026");
        assert_eq!(long("it"), "14 marzo 2026");
        assert_eq!(Formats::new("it").month(&date), "marzo 2026");
        assert_eq!(Formats::new("ar-EG").number(25), "٢٥");
        assert_eq!(Formats::new("en").number(1234), "1,234");
    }
}
