//! The theme's words in templates: the catalogue as `t`, and the `fill` filter, a text of the
//! catalogue with its `{name}`s filled in, as safe HTML.

use std::collections::BTreeMap;
use std::sync::Arc;

use tera::value::Key;
use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

use crate::i18n::{self, Catalogue, Formats, Text, Words};

/// Gives the templates of a render the words of its language: `t`, and the `fill` and `number`
/// filters. The language is fixed for a render, so the filters hold its formatters rather than
/// look them up on every call, and `t` holds its texts already escaped, as safe HTML, rather
/// than have every page escape them again.
pub fn register(tera: &mut Tera, words: &Words) {
    tera.global_context()
        .insert_value("t", catalogue(&words.texts));
    filters(tera, words.formats());
}

/// Registers `fill` and `number` with the formatters of one language: templates that use them
/// are loaded only where they are registered.
pub fn filters(tera: &mut Tera, formats: &Arc<Formats>) {
    let numbers = formats.clone();
    tera.register_filter("number", move |n: i64, _: Kwargs, _: &State| {
        numbers.number(n)
    });
    let formats = formats.clone();
    tera.register_filter("fill", move |text: Value, kwargs: Kwargs, state: &State| {
        fill(&formats, text, kwargs, state)
    });
}

/// `texts` as a template value: each text (and each plural form) escaped and marked safe.
fn catalogue(texts: &Catalogue) -> Value {
    let safe = |text: &str| Value::safe_string(&escape(text));
    let value = |text: &Text| match text {
        Text::One(one) => safe(one),
        Text::Plural(forms) => Value::from(
            (forms.iter())
                .map(|(category, form)| (category.clone(), safe(form)))
                .collect::<BTreeMap<_, _>>(),
        ),
    };
    Value::from(
        (texts.iter())
            .map(|(key, text)| (key.clone(), value(text)))
            .collect::<BTreeMap<_, _>>(),
    )
}

/// `text` escaped as templates escape what they print, for the places that make HTML outside
/// a template.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// `escape`, onto the end of `out`.
pub fn escape_into(out: &mut String, text: &str) {
    // Writing to a String never fails (it pushes, and reports no error).
    let _ = pulldown_cmark_escape::escape_html(out, text);
}

/// `{{ t.written_by | fill(author=name) }}`: the text, with each `{name}` replaced by the
/// argument of that name. A text with a count (a mapping of CLDR plural categories) takes the
/// form the page language's plural rules choose for the argument `count`. Numbers are written
/// in the language's digits; text is escaped unless it is safe already (the output of a
/// `{% set %}...{% endset %}` block, so that a link can be filled in, or a text of `t`), and so
/// is the text filled in: what comes out is safe HTML.
fn fill(formats: &Formats, text: Value, kwargs: Kwargs, state: &State) -> TeraResult<Value> {
    let template = if text.as_str().is_some() {
        text
    } else if let Some(forms) = text.as_map() {
        let count = kwargs
            .get::<i64>("count")?
            .ok_or_else(|| Error::message("`fill` needs `count` for a text with plural forms"))?;
        (formats.form(count, |category| forms.get(&Key::Str(category))))
            .filter(|form| form.as_str().is_some())
            .cloned()
            .unwrap_or_else(|| Value::safe_string(""))
    } else {
        return Err(Error::message(format!(
            "`fill` takes a text of the catalogue, not {}",
            text.name()
        )));
    };
    let mut values = Vec::new();
    for (name, value) in kwargs.iter() {
        let shown = match value.as_i64() {
            Some(n) => formats.number(n),
            None => state.escape_if_needed(value)?,
        };
        values.push((name.as_str().unwrap_or_default().to_string(), shown));
    }
    let filled = i18n::fill(&state.escape_if_needed(&template)?, |name| {
        (values.iter())
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    });
    Ok(Value::safe_string(&filled))
}
