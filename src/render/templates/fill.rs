//! The `fill` filter: a text of the translation catalogue with its `{name}`s filled in, as safe
//! HTML.

use std::sync::Arc;

use tera::value::Key;
use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

use crate::i18n::{self, Formats};

/// Registers `fill` and `number` for pages in the language of `formats`: the language is fixed
/// for a render, so the filters hold its formatters rather than look them up on every call.
pub fn register(tera: &mut Tera, formats: &Arc<Formats>) {
    let numbers = formats.clone();
    tera.register_filter("number", move |n: i64, _: Kwargs, _: &State| {
        numbers.number(n)
    });
    let formats = formats.clone();
    tera.register_filter("fill", move |text: Value, kwargs: Kwargs, state: &State| {
        fill(&formats, text, kwargs, state)
    });
}

/// `{{ t.written_by | fill(author=name) }}`: the text, with each `{name}` replaced by the
/// argument of that name. A text with a count (a mapping of CLDR plural categories) takes the
/// form the page language's plural rules choose for the argument `count`. Numbers are written
/// in the language's digits; text is escaped unless it is safe already (the output of a
/// `{% set %}...{% endset %}` block, so that a link can be filled in), and so is the
/// catalogue's own text: what comes out is safe HTML.
fn fill(formats: &Formats, text: Value, kwargs: Kwargs, state: &State) -> TeraResult<Value> {
    let template = match (text.as_str(), text.as_map()) {
        (Some(one), _) => one.to_string(),
        (None, Some(forms)) => {
            let count = kwargs.get::<i64>("count")?.ok_or_else(|| {
                Error::message("`fill` needs `count` for a text with plural forms")
            })?;
            let form = |category: &'static str| forms.get(&Key::Str(category));
            (form(formats.plural(count)).or_else(|| form("other")))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        }
        (None, None) => {
            return Err(Error::message(format!(
                "`fill` takes a text of the catalogue, not {}",
                text.name()
            )));
        }
    };
    let escape = |s: &str| match state.autoescaping_enabled() {
        true => state.escape(s),
        false => Ok(s.to_string()),
    };
    let mut values = Vec::new();
    for (name, value) in kwargs.iter() {
        let shown = match value.as_i64() {
            Some(n) => formats.number(n),
            None => state.escape_if_needed(value)?,
        };
        values.push((name.as_str().unwrap_or_default().to_string(), shown));
    }
    let filled = i18n::fill(&escape(&template)?, |name| {
        (values.iter())
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    });
    Ok(Value::safe_string(&filled))
}
