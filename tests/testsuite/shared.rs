//! The sample publication, built once per test process by the real binary and shared by every
//! test that only reads the output. Tests that change content or output build their own.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use crate::common::{build, repo, snapshot, stderr};

/// The shared build of the sample.
pub struct Sample {
    /// The output folder.
    pub out: PathBuf,
    /// The finished `guidepress build --strict` run (status, standard output and error).
    pub run: Output,
    /// Every file written, path relative to `out` to its bytes.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// The sample built with `guidepress build --strict`. Strict, because the sample must pass strict
/// mode (`.ci/run` builds it so) and a strict build that succeeds writes what a plain one does;
/// `sample::two_builds_are_byte_identical` checks that against a plain build.
pub fn sample() -> &'static Sample {
    static SAMPLE: OnceLock<Result<Sample, String>> = OnceLock::new();
    match SAMPLE.get_or_init(build_once) {
        Ok(sample) => sample,
        Err(why) => panic!("{why}"),
    }
}

fn build_once() -> Result<Sample, String> {
    // Under cargo's temporary folder, one per process (libtest runs one; nextest one per test),
    // so a run never sees another's files. Statics are never dropped, so the folders of earlier
    // runs are removed here instead, once their process has gone.
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    remove_folders_of_finished_runs(tmp);
    let dir = tmp.join(format!("testsuite-sample-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
    let out = dir.join("output");
    let run = build(&repo(), &repo().join("content"), &out, &["--strict"]);
    if !run.status.success() {
        return Err(format!("the sample must build in strict mode:\n{}", stderr(&run)));
    }
    let files = snapshot(&out);
    Ok(Sample { out, run, files })
}

/// Removes `testsuite-sample-PID` folders whose process no longer runs (where `/proc` says).
fn remove_folders_of_finished_runs(tmp: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    for entry in fs::read_dir(tmp).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("testsuite-sample-") else { continue };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}
