//! Any bytes as a content file: decoding, splitting at the `---` lines, and parsing the YAML
//! as an article, a bot and a page, with the error positions that point into it.
#![no_main]

use std::path::Path;

use gazette::content::front_matter::{
    self, ARTICLE_KEYS, ArticleMeta, BOT_KEYS, BotMeta, PAGE_KEYS, PageMeta,
};
use gazette::text::decode;
use gazette_fuzz::assert_diagnostics_point_into;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let file = Path::new("content/world/2026-03-14-fuzz.md");
    let text = match decode(file, data) {
        Ok(text) => text,
        Err(e) => return assert_diagnostics_point_into(file, &String::from_utf8_lossy(data), &[e]),
    };
    let check = |d: &[_]| assert_diagnostics_point_into(file, &text, d);
    let split = match front_matter::split(file, &text) {
        Ok(split) => split,
        Err(e) => return check(&[e]),
    };
    match front_matter::parse::<ArticleMeta>(file, &split, ARTICLE_KEYS) {
        Ok(parsed) => check(&parsed.into_parts().1),
        Err(e) => check(&[e]),
    }
    match front_matter::parse::<BotMeta>(file, &split, BOT_KEYS) {
        Ok(parsed) => check(&parsed.into_parts().1),
        Err(e) => check(&[e]),
    }
    match front_matter::parse::<PageMeta>(file, &split, PAGE_KEYS) {
        Ok(parsed) => check(&parsed.into_parts().1),
        Err(e) => check(&[e]),
    }
    for key in ARTICLE_KEYS {
        let at = front_matter::position_of(&split, key).into_iter();
        let entries = ["sources", "corrections"]
            .into_iter()
            .flat_map(|list| front_matter::entry_positions(&split, list, key));
        let found: Vec<_> = at
            .chain(entries)
            .map(|p| gazette::error::Diagnostic::error(file, *key, "").at(Some(p)))
            .collect();
        check(&found);
    }
});
