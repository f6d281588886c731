//! The `include_cached` function: a partial rendered once per key and render, then reused by
//! every page that shows it, as Hugo's `partialCached` does. Lists show each article's summary
//! on many pages (its section, tags, bot, archives and the front page); rendering it once is
//! a fifth of a build's time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tera::{Context, Error, Kwargs, State, Tera, TeraResult, Value};

/// The function's name in templates.
const NAME: &str = "include_cached";

/// Declares the function so that templates calling it load; it renders only once `register`
/// has given it the templates of a render.
pub fn declare(tera: &mut Tera) {
    tera.register_function(NAME, unavailable);
}

/// The partials made in one render, by name and key.
type Made = Mutex<HashMap<String, Value>>;

/// The partials of one render, let go when it ends, so that a long `serve` does not hold the
/// last render's.
pub struct Cached(Arc<Made>);

impl Drop for Cached {
    fn drop(&mut self) {
        if let Ok(mut made) = self.0.lock() {
            *made = HashMap::new();
        }
    }
}

/// Gives `include_cached` the templates, `site` and `t` of this render and an empty memo, so
/// that nothing of one render (or language) is shown by the next.
pub fn register(tera: &mut Tera) -> Cached {
    // The copy the partials render with keeps the stand-in, so copies never hold each other.
    declare(tera);
    let partials = Arc::new(tera.clone());
    let made = Arc::new(Made::default());
    let memo = made.clone();
    tera.register_function(NAME, move |kwargs: Kwargs, _: &State| {
        include(&partials, &memo, kwargs)
    });
    Cached(made)
}

fn unavailable(_: Kwargs, _: &State) -> TeraResult<Value> {
    Err(Error::message(format!(
        "`{NAME}` cannot be called from a partial that is itself cached"
    )))
}

/// `{{ include_cached(name="partials/summary.html", key=item.url, item=item) }}`: the partial
/// `name` rendered with the other arguments as its variables (and `site` and `t`), once for
/// each `key`. The key must tell apart everything the arguments differ by.
fn include(partials: &Tera, made: &Made, kwargs: Kwargs) -> TeraResult<Value> {
    let name = kwargs.must_get::<&str>("name")?;
    let key = kwargs.must_get::<Value>("key")?;
    let memo_key = format!("{name}\n{key}");
    if let Some(html) = made.lock().ok().and_then(|m| m.get(&memo_key).cloned()) {
        return Ok(html);
    }
    let mut context = Context::new();
    for (arg, value) in kwargs.iter() {
        if let Some(arg) = arg.as_str().filter(|a| !["name", "key"].contains(a)) {
            context.insert_value(arg.to_string(), value.clone());
        }
    }
    // Rendered outside the lock: two pages may make the same partial at once, alike.
    let html = Value::safe_string(&partials.render(name, &context)?);
    if let Ok(mut m) = made.lock() {
        m.insert(memo_key, html.clone());
    }
    Ok(html)
}
