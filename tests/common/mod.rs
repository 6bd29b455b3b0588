//! Shared helpers for the integration tests: run the real binary on real folders.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub mod harness;
pub mod safety;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The default theme in the repository.
pub fn default_theme() -> PathBuf {
    repo().join("themes/default")
}

/// The `guidepress` binary, run in `cwd`.
pub fn guidepress(cwd: &Path) -> Command {
    let mut command = Command::cargo_bin("guidepress").expect("the guidepress binary is built by cargo test");
    command.current_dir(cwd);
    command
}

/// Runs `guidepress build` on a content folder with the default theme.
pub fn build(cwd: &Path, content: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut command = guidepress(cwd);
    command.arg("build").arg("--content").arg(content).arg("--theme").arg(default_theme()).arg("--output").arg(output);
    command.args(extra);
    command.output().expect("guidepress runs")
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Every file under `root`, path relative to root with `/` separators, to its bytes.
pub fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.expect("walk output");
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(root).expect("under root").to_string_lossy().replace('\\', "/");
            files.insert(rel, fs::read(entry.path()).expect("read output file"));
        }
    }
    files
}

/// A small, valid publication written into a folder, with files that tests then break.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

pub const SITE: &str = "title: Fixture publication\nshort_title: Fixture\npublisher: Test publisher\nreference: Fixture standard\nversion: \"1\"\ndate: 2024-01-31\nlanguage: en-GB\neditions: [commissioner, carer, easy-read, pocket]\n";

pub const REGISTER: &str = r#"instruments:
  - id: children-act-1989
    title: Children Act 1989
    kind: act
    year: 1989
    publisher: UK Parliament
    status: in-force
    url: https://www.legislation.gov.uk/ukpga/1989/41
    summary: The main law about children in care.
    easy_read: The Children Act 1989 is a law. It says how councils look after children in care.
    audiences: [commissioner, carer]
    pinpoints:
      - key: s22
        label: section 22
        title: General duty of local authority in relation to children looked after by them
        url: https://www.legislation.gov.uk/ukpga/1989/41/section/22
      - key: s22C
        label: section 22C
        url: https://www.legislation.gov.uk/ukpga/1989/41/section/22C
  - id: old-guidance-2009
    title: Old guidance 2009
    kind: statutory-guidance
    year: 2009
    publisher: Department
    status: superseded
    superseded_by: new-guidance-2015
    url: https://www.gov.uk/government/publications/old
    summary: Old guidance.
    easy_read: Old guidance 2009 was an old guide.
  - id: new-guidance-2015
    title: New guidance 2015
    kind: statutory-guidance
    year: 2015
    publisher: Department
    status: in-force
    url: https://www.gov.uk/government/publications/new
    summary: New guidance.
    easy_read: New guidance 2015 is a guide. It says what councils must do.
"#;

pub const GLOSSARY: &str = "terms:\n  - id: social-worker\n    term: social worker\n    definition: A person who works for the council and is responsible for a child in care.\n    easy_read: A person from the council who helps you.\n  - id: camhs\n    term: Child and adolescent mental health services\n    abbreviations: [CAMHS]\n    definition: NHS mental health services for young people.\n    easy_read: People who help with feelings.\n";

/// A statement file with the given id, number and citations.
pub fn statement(id: &str, number: u32, cites: &[&str], related: &[&str]) -> String {
    let cites: String = cites.iter().map(|c| format!("  - {c}\n")).collect();
    format!(
        r#"---
id: {id}
number: {number}
title: Statement number {number}
statement: Children in care get statement {number}.
headline: Children in care get statement {number}.
plain: Children in care get this.
audiences:
  commissioners: Commission it.
  providers: Provide it.
  carers: Help with it.
  young_people: You can expect it.
who_to_ask: Your social worker.
measures:
  structure:
    - text: Evidence of local arrangements.
      data_source: Local data collection.
  process:
    - text: Children who got it.
      numerator: who got it
      denominator: children in care
      data_source: Local data collection.
easy_read:
  - picture: help
    alt: A hand
    text: |
      Your social worker helps you.
      You can ask for help.
recommendations: [rec-1]
cites:
{cites}related: [{related}]
easy_read_title: Your help number {number}
---

Why statement {number} matters.
"#,
        related = related.join(", ")
    )
}

pub const RECOMMENDATION: &str = "---\nid: rec-1\nnumber: 1\ntitle: Doing the thing\ntopic: Care planning\nwho: [Social workers]\ncites: [children-act-1989 s22]\n---\n\nDo the thing, and record it.\n";

impl Fixture {
    /// A valid publication with two statements and one recommendation.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let fixture = Fixture { dir };
        fixture.write("site.yaml", SITE);
        fixture.write("register.yaml", REGISTER);
        fixture.write("glossary.yaml", GLOSSARY);
        fixture.write("statements/qs-1.md", &statement("qs-1", 1, &["children-act-1989 s22"], &["qs-2"]));
        fixture.write(
            "statements/qs-2.md",
            &statement("qs-2", 2, &["children-act-1989 s22C", "new-guidance-2015"], &["qs-1"]),
        );
        fixture.write("recommendations/rec-1.md", RECOMMENDATION);
        fixture
    }

    /// The content folder.
    pub fn content(&self) -> PathBuf {
        self.dir.path().join("content")
    }

    /// The output folder.
    pub fn output(&self) -> PathBuf {
        self.dir.path().join("output")
    }

    /// Writes (or overwrites) a content file.
    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    /// Saves a content file the way many editors do: into a hidden temporary file, then renamed
    /// over the old one, so a watcher never sees it half-written.
    pub fn save(&self, rel: &str, text: &str) {
        let path = self.content().join(rel);
        let temporary =
            path.with_file_name(format!(".{}.swp", path.file_name().expect("a file name").to_string_lossy()));
        fs::write(&temporary, text).expect("write temporary file");
        fs::rename(&temporary, &path).expect("rename into place");
    }

    /// Writes raw bytes to a content file.
    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let path = self.content().join(rel);
        fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
        fs::write(path, bytes).expect("write fixture");
    }

    /// Removes a content file.
    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.content().join(rel)).expect("remove fixture file");
    }

    /// Runs `guidepress build` on it.
    pub fn build(&self, extra: &[&str]) -> Output {
        build(self.dir.path(), &self.content(), &self.output(), extra)
    }

    /// Runs `guidepress check` on the fixture with the default theme.
    pub fn check(&self) -> Output {
        guidepress(self.dir.path())
            .args(["check", "--content"])
            .arg(self.content())
            .arg("--theme")
            .arg(default_theme())
            .output()
            .expect("guidepress runs")
    }
}

/// Values of an attribute in HTML that may be minified (quoted or unquoted values).
pub fn attribute_values(html: &str, attribute: &str) -> Vec<String> {
    let mut values = Vec::new();
    let needle = format!("{attribute}=");
    let bytes = html.as_bytes();
    let mut from = 0;
    while let Some(found) = html[from..].find(&needle) {
        let at = from + found;
        from = at + needle.len();
        // Must be a whole attribute name: preceded by a space.
        if at == 0 || !matches!(bytes[at - 1], b' ' | b'\n' | b'\t') {
            continue;
        }
        let rest = &html[from..];
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or("").to_string(),
            _ => rest.split(|c: char| c.is_whitespace() || c == '>').next().unwrap_or("").to_string(),
        };
        values.push(value.replace("&amp;", "&"));
    }
    values
}

/// Copies the default theme into `dir/theme` (to break it) and returns the copy's path.
pub fn copy_default_theme(dir: &Path) -> PathBuf {
    let theme = dir.join("theme");
    for entry in walkdir::WalkDir::new(default_theme()) {
        let entry = entry.expect("walk the default theme");
        let target = theme.join(entry.path().strip_prefix(default_theme()).expect("under the theme"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(entry.path(), &target).expect("copy a theme file");
        }
    }
    theme
}

/// The 1-based number of the first line of `text` that contains `needle`.
pub fn line_of(text: &str, needle: &str) -> usize {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} is not in the text"));
    text[..at].matches('\n').count() + 1
}

/// Runs guidepress with a theme of the test's own.
pub fn build_with_theme(fixture: &Fixture, theme: &Path) -> Output {
    guidepress(fixture.dir.path())
        .arg("build")
        .arg("--content")
        .arg(fixture.content())
        .arg("--theme")
        .arg(theme)
        .arg("--output")
        .arg(fixture.output())
        .output()
        .expect("guidepress runs")
}

/// Five mistakes in three files, as an editor makes them: qs-1 a misspelt field name; qs-2 a
/// misspelt citation and a misspelt picture; rec-1 an unknown pinpoint and an empty `who`.
pub fn write_five_mistakes(fixture: &Fixture) {
    fixture.write(
        "statements/qs-1.md",
        &statement("qs-1", 1, &["children-act-1989 s22"], &[]).replace("who_to_ask:", "who_to_aks:"),
    );
    fixture.write(
        "statements/qs-2.md",
        &statement("qs-2", 2, &["chidren-act-1989 s22"], &["qs-1"]).replace("picture: help", "picture: hlep"),
    );
    fixture.write(
        "recommendations/rec-1.md",
        &RECOMMENDATION
            .replace("children-act-1989 s22]", "children-act-1989 s22c]")
            .replace("who: [Social workers]", "who: []"),
    );
}
