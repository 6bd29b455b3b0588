//! Nothing lost: a build killed part way leaves the previous output byte for byte as it was, the
//! next build clears what the killed one left, and guidepress refuses output folders that would
//! destroy sources or someone else's files.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Writes `count` more statements (numbers 3 and up) so that a build has thousands of files to write.
fn enlarge(fixture: &Fixture, count: u32) {
    for n in 3..3 + count {
        fixture.write(&format!("statements/qs-{n}.md"), &statement(&format!("qs-{n}"), n, &["children-act-1989 s22"], &["qs-1", "qs-2"]));
    }
}

fn spawn_build(fixture: &Fixture) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("guidepress"))
        .current_dir(fixture.dir.path())
        .arg("build")
        .arg("--quiet")
        .arg("--content")
        .arg(fixture.content())
        .arg("--theme")
        .arg(default_theme())
        .arg("--output")
        .arg(fixture.output())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("guidepress starts")
}

/// Folders beside the output that a build leaves while it runs: `.output.guidepress-*`.
fn leftovers(fixture: &Fixture) -> Vec<String> {
    fs::read_dir(fixture.dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".output.guidepress-"))
        .collect()
}

/// Kills `child` as soon as its staging folder appears. Returns false when the build finished first.
fn kill_while_staging(fixture: &Fixture, mut child: Child) -> bool {
    let staging = fixture.dir.path().join(format!(".output.guidepress-staging-{}", child.id()));
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        if staging.exists() {
            child.kill().expect("SIGKILL the build");
            child.wait().expect("reap the build");
            return true;
        }
        if let Some(status) = child.try_wait().expect("poll the build") {
            assert!(status.success(), "the large build failed by itself: {status}");
            return false;
        }
        assert!(Instant::now() < deadline, "the staging folder never appeared");
        std::thread::sleep(Duration::from_micros(500));
    }
}

#[test]
fn a_build_killed_part_way_loses_nothing() {
    let fixture = Fixture::new();
    let first = fixture.build(&[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let mut before = snapshot(&fixture.output());
    assert!(before.len() > 20);

    // Killed while reading and rendering, before anything is written.
    enlarge(&fixture, 300);
    let mut child = spawn_build(&fixture);
    std::thread::sleep(Duration::from_millis(150));
    child.kill().expect("SIGKILL the build");
    child.wait().unwrap();
    assert_eq!(snapshot(&fixture.output()), before, "a build killed early changed the output");

    // Killed while writing its staging folder: the moment the new site is half written.
    let mut interrupted = false;
    for attempt in 0..3u32 {
        let child = spawn_build(&fixture);
        let pid = child.id();
        if kill_while_staging(&fixture, child) {
            interrupted = true;
            let after = snapshot(&fixture.output());
            assert_eq!(after.len(), before.len(), "the output has a different number of files after a killed build");
            assert!(after == before, "the output changed after a build was killed while writing");
            let staging = fixture.dir.path().join(format!(".output.guidepress-staging-{pid}"));
            assert!(staging.is_dir(), "the killed build left no staging folder: it was not interrupted while writing");
            break;
        }
        // The build won the race and swapped its output in: take that as the previous output,
        // and make the next one bigger so that writing takes longer.
        before = snapshot(&fixture.output());
        enlarge(&fixture, 300 * (attempt + 2));
    }
    assert!(interrupted, "three builds finished before they could be interrupted while writing");
    assert!(!leftovers(&fixture).is_empty());

    // The next successful build (of the small publication, to be quick) clears the dead build's
    // folders and leaves only its own output.
    for entry in fs::read_dir(fixture.content().join("statements")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != "qs-1.md" && name != "qs-2.md" {
            fs::remove_file(entry.path()).unwrap();
        }
    }
    let next = fixture.build(&["--quiet"]);
    assert!(next.status.success(), "{}", stderr(&next));
    assert_eq!(leftovers(&fixture), Vec::<String>::new(), "the next build left staging or retired folders behind");
    let names: Vec<String> = fs::read_dir(fixture.dir.path()).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    let mut names = names;
    names.sort();
    assert_eq!(names, vec!["content".to_string(), "output".to_string()], "unexpected files beside the output");
    assert!(fixture.output().join(".guidepress-output").is_file());
}

/// Runs a build with the given folders and working directory, expecting it to be refused.
fn assert_refused(cwd: &Path, content: &Path, theme: &Path, output: &Path, extra: &[&str], why: &str) {
    let listing = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = walkdir::WalkDir::new(dir).into_iter().flatten().map(|e| e.path().display().to_string()).collect();
        names.sort();
        names
    };
    let before = listing(cwd);
    let result = guidepress(cwd)
        .arg("build")
        .arg("--content")
        .arg(content)
        .arg("--theme")
        .arg(theme)
        .arg("--output")
        .arg(output)
        .args(extra)
        .output()
        .unwrap();
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(2), "output {} should be refused ({why}):\n{err}", output.display());
    assert!(err.contains(why), "the refusal does not say {why:?}:\n{err}");
    assert!(err.contains("--output"), "the refusal does not say what to do:\n{err}");
    assert_eq!(listing(cwd), before, "a refused build changed files");
}

#[test]
fn output_folders_that_would_destroy_sources_are_refused() {
    let fixture = Fixture::new();
    let theme = copy_default_theme(fixture.dir.path());
    let root = fixture.dir.path();
    let content = fixture.content();
    let sources = "building there would destroy your sources";
    // The content folder, the theme folder, the project root (the working folder), and parents of each.
    for output in [content.clone(), theme.clone(), root.to_path_buf(), root.parent().unwrap().to_path_buf(), theme.join("..")] {
        assert_refused(root, &content, &theme, &output, &[], sources);
        assert_refused(root, &content, &theme, &output, &["--force"], sources);
    }
    // Relative spellings of the same folders.
    assert_refused(root, Path::new("content"), Path::new("theme"), Path::new("."), &["--force"], sources);
    assert_refused(root, Path::new("content"), Path::new("theme"), Path::new("./content/"), &["--force"], sources);
    assert_refused(&content, Path::new("."), &theme, Path::new(".."), &["--force"], sources);
    // A parent of the content folder that is not the working folder.
    let nested = root.join("work/pub");
    fs::create_dir_all(&nested).unwrap();
    let nested_content = nested.join("content");
    fs::rename(&content, &nested_content).unwrap();
    assert_refused(root, &nested_content, &theme, &root.join("work"), &["--force"], sources);
    fs::rename(&nested_content, &content).unwrap();
    // The root of the file system.
    assert_refused(root, &content, &theme, Path::new("/"), &["--force"], sources);
}

#[test]
fn a_folder_guidepress_did_not_make_is_kept_unless_forced() {
    let fixture = Fixture::new();
    let theme = default_theme();
    let foreign = fixture.dir.path().join("site");
    fs::create_dir_all(foreign.join("sub")).unwrap();
    fs::write(foreign.join("sub/precious.txt"), "keep me").unwrap();
    assert_refused(fixture.dir.path(), &fixture.content(), &theme, &foreign, &[], "already has files that guidepress did not write");
    assert_eq!(fs::read_to_string(foreign.join("sub/precious.txt")).unwrap(), "keep me");

    // A file where the output folder should be.
    let file = fixture.dir.path().join("site.html");
    fs::write(&file, "a page").unwrap();
    assert_refused(fixture.dir.path(), &fixture.content(), &theme, &file, &[], "is a file, not a folder");
    assert_eq!(fs::read_to_string(&file).unwrap(), "a page");

    // An empty folder is fine, and so is a non-empty one with --force.
    let empty = fixture.dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    assert!(build(fixture.dir.path(), &fixture.content(), &empty, &[]).status.success());
    let forced = build(fixture.dir.path(), &fixture.content(), &foreign, &["--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(foreign.join(".guidepress-output").is_file());
    assert!(!foreign.join("sub/precious.txt").exists(), "--force replaces the folder whole");
    // Its own output it replaces without --force.
    assert!(build(fixture.dir.path(), &fixture.content(), &foreign, &[]).status.success());
}
