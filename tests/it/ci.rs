//! The helpers' promise to CI: with `CI=true` a test whose outside tool is missing fails, where
//! elsewhere it is skipped, loudly. Each case runs this test binary again, as a child process,
//! on the probe below.

use crate::common;

use std::process::{Command, Output};

/// Run only by the tests below, in a child process: asks for a program no machine has.
#[test]
#[ignore = "a probe, run by the other tests of this file"]
fn probe_missing_tool() {
    let found = common::program(
        "probe_missing_tool",
        &["gazette-test-no-such-program"],
        "nowhere",
    );
    assert!(found.is_none());
}

/// The probe run with `CI` set to `ci`, or unset.
fn probe(ci: Option<&str>) -> (Output, String) {
    let mut command = Command::new(std::env::current_exe().expect("this test binary"));
    command.args([
        "--exact",
        "ci::probe_missing_tool",
        "--ignored",
        "--nocapture",
    ]);
    match ci {
        Some(value) => command.env("CI", value),
        None => command.env_remove("CI"),
    };
    let out = command.output().expect("run the probe");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out, text)
}

#[test]
fn a_missing_tool_fails_the_test_under_ci() {
    let (out, text) = probe(Some("true"));
    assert!(
        !out.status.success(),
        "the probe passed under CI=true:\n{text}"
    );
    assert!(
        text.contains(
            "probe_missing_tool cannot run: gazette-test-no-such-program is not installed \
             (nowhere); with CI=true a missing tool fails the test"
        ),
        "{text}"
    );
}

#[test]
fn a_missing_tool_is_skipped_loudly_elsewhere() {
    for ci in [None, Some("false")] {
        let (out, text) = probe(ci);
        assert!(out.status.success(), "CI={ci:?}:\n{text}");
        assert!(
            text.contains("SKIPPED probe_missing_tool: gazette-test-no-such-program"),
            "{text}"
        );
    }
}
