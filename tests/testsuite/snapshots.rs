//! Snapshots (insta) of what a reader and an editor see: one page of each kind in each edition of
//! the sample, and the messages for a publication with several mistakes. They live in
//! `snapshots/` beside this file. A change to a template or a message shows here as a diff of
//! lines; when it is meant, accept it with `INSTA_UPDATE=always cargo test --test testsuite
//! snapshots::` (or `cargo insta review`) and commit the files. `.ci/run` sets `INSTA_UPDATE=no`,
//! so there a changed snapshot fails and nothing is written.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::common::*;
use crate::shared::sample;

/// Settings for every snapshot here: short file names, and which page was taken as the header.
fn settings(description: &str) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_description(description);
    settings.set_omit_expression(true);
    settings
}

/// The kind of page a file of the output is, or `None` for files that are not pages. In a
/// folder inside an edition (`statements/`, `law/`, `recommendations/`) every page but the
/// folder's `index.html` is one kind; elsewhere each page is a kind of its own.
fn kind(path: &str) -> Option<String> {
    let html = path.strip_suffix(".html")?;
    let parts: Vec<&str> = html.split('/').collect();
    Some(match parts.as_slice() {
        [edition, folder, page] if *page != "index" => format!("{edition}-{folder}-page"),
        _ => parts.join("-"),
    })
}

/// One page of each kind, the first by name: kind to path.
fn pages_by_kind(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    let mut kinds = BTreeMap::new();
    for path in files.keys() {
        if let Some(kind) = kind(path) {
            kinds.entry(kind).or_insert_with(|| path.clone());
        }
    }
    kinds
}

/// A minified page as lines a diff can show: a break between every two adjacent tags, and asset
/// fingerprints (`style.1a2b3c4d.css`) as `[hash]`, so a change to the stylesheet does not change
/// every page (`sample::publishing_files_...` checks the fingerprints).
fn readable(html: &str) -> String {
    let mut text = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some(at) = rest.find('.') {
        text.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let hash = rest.get(..8).filter(|h| h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        let extension = rest.get(8..).filter(|r| [".css", ".js", ".svg"].iter().any(|e| r.starts_with(e)));
        if hash.is_some() && extension.is_some() {
            text.push_str("[hash]");
            rest = &rest[8..];
        }
    }
    text.push_str(rest);
    text.replace("><", ">\n<")
}

#[test]
fn one_page_of_each_kind_in_each_edition() {
    let files = &sample().files;
    let kinds = pages_by_kind(files);
    // Which page stands for each kind: a kind that appears or goes shows here first.
    let index: String = kinds.iter().map(|(kind, path)| format!("{kind}: {path}\n")).collect();
    settings("one page of each kind in the sample's output").bind(|| insta::assert_snapshot!("page-kinds", index));

    // Every page is compared before the test fails, so one run reports every changed page.
    let mut changed = Vec::new();
    for (kind, path) in &kinds {
        let text = readable(&String::from_utf8_lossy(&files[path]));
        let compared =
            catch_unwind(AssertUnwindSafe(|| settings(path).bind(|| insta::assert_snapshot!(kind.as_str(), text))));
        if compared.is_err() {
            changed.push(path.as_str());
        }
    }
    assert!(changed.is_empty(), "{} of {} pages differ from their snapshots: {changed:?}", changed.len(), kinds.len());
}

#[test]
fn the_messages_for_five_mistakes_in_three_files() {
    // The mistakes of `workflow::check_reports_five_mistakes_...`, seen as `guidepress check`
    // prints them: errors with the source line and a suggestion, the advice note, the verdict.
    let fixture = Fixture::new();
    write_five_mistakes(&fixture);
    let output = guidepress(fixture.dir.path())
        .args(["check", "--content", "content", "--theme"])
        .arg(default_theme())
        .output()
        .expect("guidepress runs");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    settings("guidepress check --content content, standard error")
        .bind(|| insta::assert_snapshot!("messages-for-five-mistakes", stderr(&output)));
}

#[test]
fn readable_breaks_between_tags_and_hides_fingerprints() {
    assert_eq!(
        readable("<p><a href=../assets/style.e1aab252.css>x.12345678.y</a></p><img src=a.0123abcd.svg>"),
        "<p>\n<a href=../assets/style.[hash].css>x.12345678.y</a>\n</p>\n<img src=a.[hash].svg>"
    );
    assert_eq!(kind("carer/statements/qs-1.html").as_deref(), Some("carer-statements-page"));
    assert_eq!(kind("carer/law/index.html").as_deref(), Some("carer-law-index"));
    assert_eq!(kind("carer/print.html").as_deref(), Some("carer-print"));
    assert_eq!(kind("reports/coverage.html").as_deref(), Some("reports-coverage"));
    assert_eq!(kind("carer/search-index.js"), None);
}
