//! Without the ONNX Runtime library, loading fails with an error that says what to run, and
//! never panics. Alone in its own test binary because it changes the process environment
//! before ONNX Runtime is loaded.

mod common;

use triage_classifier::{Classifier, ClassifierOptions, Error};

#[test]
fn missing_library_is_an_error_with_instructions() {
    let missing = std::env::temp_dir().join("triage-no-such-dir/libonnxruntime.so");
    // SAFETY: this binary has a single test, so no other thread reads the environment.
    unsafe { std::env::set_var("ORT_DYLIB_PATH", &missing) };
    let e = Classifier::load(
        common::model("hf-compat/bert-tiny"),
        ClassifierOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(e, Error::RuntimeEnvMissing { ref path } if path == &missing),
        "{e}"
    );
    assert!(
        e.to_string().contains("scripts/setup-onnxruntime.sh"),
        "{e}"
    );

    // With the variable unset and nothing in the searched places, the message lists them.
    let empty = tempfile::tempdir().unwrap();
    // SAFETY: as above.
    unsafe {
        std::env::remove_var("ORT_DYLIB_PATH");
        std::env::set_var("XDG_DATA_HOME", empty.path());
        std::env::set_var("HOME", empty.path());
    }
    match triage_classifier::locate_onnxruntime() {
        // A system-wide install (e.g. /usr/local/lib) legitimately satisfies the search.
        Ok(found) => assert!(!found.starts_with(empty.path())),
        Err(e) => {
            assert!(matches!(e, Error::RuntimeMissing { .. }), "{e}");
            let msg = e.to_string();
            assert!(msg.contains("scripts/setup-onnxruntime.sh"), "{msg}");
            assert!(
                msg.contains(&empty.path().join("triage/lib").display().to_string()),
                "{msg}"
            );
        }
    }
}
