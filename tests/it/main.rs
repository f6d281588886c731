//! The integration tests, as one test binary so that the suite links once: each module is the
//! tests of one area, and `common` their shared helpers.

mod common;

mod browser;
mod check;
mod ci;
mod deploy;
mod determinism;
mod direction;
mod docs;
mod errors;
mod feeds;
mod front_page;
mod fuzz_regressions;
mod incremental;
mod languages;
mod limits;
mod meta;
mod output;
mod pictures;
mod policy;
mod progress;
mod properties;
mod raw_html;
mod record;
mod redirects;
mod review;
mod scaffold;
mod search;
mod search_speed;
mod serve;
mod serve_attack;
mod serve_load;
mod site;
mod stable;
mod state;
mod subpath;
mod symlinks;
mod validity;
mod watch;
mod words;
