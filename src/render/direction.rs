//! Which way a page's language is written: the `dir` of its `<html>`.

use icu_locale::{Direction, LanguageIdentifier, LocaleDirectionality};

/// `"rtl"` when `language` (a BCP 47 tag such as `ar`, `fa-IR` or `az-Arab`) is written in a
/// right-to-left script, else `"ltr"`, as CLDR's likely scripts say: a tag that cannot be read,
/// or whose script is unknown, reads left to right, as the HTML default does. The extended data,
/// not the common one, so that less common languages (Yiddish) find their script too.
pub fn of(language: &str) -> &'static str {
    let rtl = LanguageIdentifier::try_from_str(language).is_ok_and(|id| {
        LocaleDirectionality::new_extended().get(&id) == Some(Direction::RightToLeft)
    });
    if rtl { "rtl" } else { "ltr" }
}

#[cfg(test)]
mod tests {
    use super::of;

    #[test]
    fn arabic_hebrew_persian_and_urdu_read_right_to_left() {
        for rtl in [
            "ar", "he", "fa", "ur", "ar-EG", "fa-IR", "az-Arab", "yi", "ps",
        ] {
            assert_eq!(of(rtl), "rtl", "{rtl}");
        }
    }

    #[test]
    fn latin_and_other_scripts_and_unreadable_tags_read_left_to_right() {
        for ltr in [
            "en",
            "fr",
            "de",
            "es",
            "en-GB",
            "zh-Hant",
            "ja",
            "ru",
            "az",
            "",
            "not a tag",
        ] {
            assert_eq!(of(ltr), "ltr", "{ltr:?}");
        }
    }
}
