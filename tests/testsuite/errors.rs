//! Broken publications: the real binary reports every problem with file, line and a fix, exits
//! with the documented status, and never touches the previous output.

use std::fs;

use crate::common::*;

fn assert_fails_with(fixture: &Fixture, expected: &[&str]) -> String {
    let output = fixture.build(&[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "expected exit 1, got {:?}\n{err}", output.status.code());
    for needle in expected {
        assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn the_fixture_itself_is_valid() {
    let fixture = Fixture::new();
    let output = fixture.build(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(fixture.output().join("carer/statements/qs-2.html").is_file());
}

#[test]
fn broken_yaml_and_a_dangling_citation_are_both_reported_and_output_is_kept() {
    let fixture = Fixture::new();
    assert!(fixture.build(&[]).status.success());
    let before = snapshot(&fixture.output());

    // qs-1: a tab in the indentation (line 9). qs-2: a citation of an Act not in the register.
    let broken = statement("qs-1", 1, &["children-act-1989 s22"], &[])
        .replace("  commissioners: Commission it.", "\tcommissioners: Commission it.");
    fixture.write("statements/qs-1.md", &broken);
    fixture.write("statements/qs-2.md", &statement("qs-2", 2, &["childrens-act-1989 s22"], &[]));
    let err = assert_fails_with(
        &fixture,
        &[
            "statements/qs-1.md:9:",
            "tab",
            "statements/qs-2.md:",
            "`childrens-act-1989` is not in the statutory register",
            "did you mean `children-act-1989`?",
        ],
    );
    assert!(err.contains("nothing was written"), "{err}");
    let line = err.lines().find(|l| l.contains("statements/qs-2.md:")).unwrap();
    assert!(line.contains("qs-2.md:31:"), "the citation is on line 31: {line}");
    assert_eq!(snapshot(&fixture.output()), before, "the previous output changed");
}

#[test]
fn every_error_in_every_file_is_reported_in_one_run() {
    let fixture = Fixture::new();
    fixture.write("statements/qs-1.md", &statement("qs-1", 1, &["children-act-1989 s99"], &["qs-9"]));
    fixture.write("recommendations/rec-1.md", &RECOMMENDATION.replace("topic:", "topik:"));
    fixture.write("glossary.yaml", &GLOSSARY.replace("term: social worker", "term: [social worker"));
    let err = assert_fails_with(
        &fixture,
        &[
            "`children-act-1989` has no pinpoint `s99`",
            "there is no statement with the id `qs-9`",
            "there is no field called `topik`",
            "did you mean `topic`?",
            "glossary.yaml:",
        ],
    );
    // Four: qs-1's two (the pinpoint and the related id, both found by the model), one for the
    // glossary's unclosed list and one for `topik`. The `topic` that `topik` leaves missing is not
    // a fifth: parsing a file's fields stops at its first problem, so each file that does not
    // parse has one error.
    assert!(err.contains("guidepress: found 4 errors and 0 warnings;"), "{err}");
    assert_eq!(err.lines().filter(|l| l.starts_with("error[")).count(), 4, "{err}");
}

#[test]
fn unknown_fields_are_not_ignored() {
    let fixture = Fixture::new();
    fixture.write(
        "statements/qs-1.md",
        &statement("qs-1", 1, &["children-act-1989 s22"], &[]).replace("headline:", "headlin:"),
    );
    assert_fails_with(
        &fixture,
        &["there is no field called `headlin`", "did you mean `headline`?", "statements/qs-1.md:6:"],
    );
}

#[test]
fn a_missing_required_field_says_what_to_add() {
    let fixture = Fixture::new();
    fixture.write("recommendations/rec-1.md", &RECOMMENDATION.replace("topic: Care planning\n", ""));
    assert_fails_with(&fixture, &["missing field `topic`", "add a `topic:` line", "recommendations/rec-1.md"]);
}

#[test]
fn a_field_of_the_wrong_type_is_explained() {
    let fixture = Fixture::new();
    fixture.write(
        "statements/qs-2.md",
        &statement("qs-2", 2, &["children-act-1989 s22"], &[]).replace("number: 2", "number: two"),
    );
    assert_fails_with(&fixture, &["statements/qs-2.md:3:", "whole number"]);
}

#[test]
fn duplicate_ids_name_both_files() {
    let fixture = Fixture::new();
    fixture.write("statements/qs-3.md", &statement("qs-1", 3, &["children-act-1989 s22"], &[]));
    assert_fails_with(&fixture, &["the id `qs-1` is already used by", "qs-1.md:2", "statements/qs-3.md:2:"]);
}

#[test]
fn ids_that_differ_only_in_case_are_refused() {
    let fixture = Fixture::new();
    fixture.write("statements/qs-3.md", &statement("QS-1", 3, &["children-act-1989 s22"], &[]));
    assert_fails_with(&fixture, &["differs only in case", "is not a valid id"]);
}

#[test]
fn unknown_recommendation_and_picture_suggest_the_closest() {
    let fixture = Fixture::new();
    let text = statement("qs-1", 1, &["children-act-1989 s22"], &[])
        .replace("recommendations: [rec-1]", "recommendations: [rec-l]")
        .replace("picture: help", "picture: hepl");
    fixture.write("statements/qs-1.md", &text);
    assert_fails_with(
        &fixture,
        &[
            "no recommendation with the id `rec-l`",
            "did you mean `rec-1`?",
            "no picture called `hepl`",
            "did you mean `help`?",
        ],
    );
}

#[test]
fn citing_superseded_guidance_warns_and_names_the_replacement() {
    let fixture = Fixture::new();
    fixture.write("statements/qs-1.md", &statement("qs-1", 1, &["children-act-1989 s22", "old-guidance-2009"], &[]));
    let output = fixture.build(&[]);
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(err.contains("warning[superseded]"), "{err}");
    assert!(err.contains("cite `new-guidance-2015` (New guidance 2015) instead"), "{err}");
    assert!(stdout(&output).contains("with 1 warning"), "{}", stdout(&output));
}

#[test]
fn missing_site_yaml_is_an_error() {
    let fixture = Fixture::new();
    fixture.remove("site.yaml");
    assert_fails_with(&fixture, &["there is no site.yaml"]);
}

#[test]
fn front_matter_that_never_closes_points_at_line_one() {
    let fixture = Fixture::new();
    fixture.write("recommendations/rec-1.md", "---\nid: rec-1\nnumber: 1\n\nNo closing fence.\n");
    assert_fails_with(&fixture, &["the front matter never closes", "recommendations/rec-1.md:1:1"]);
}

#[test]
fn empty_and_bom_only_files_are_errors_not_panics() {
    let fixture = Fixture::new();
    fixture.write("statements/qs-2.md", "");
    fixture.write_bytes("recommendations/rec-2.md", b"\xEF\xBB\xBF");
    assert_fails_with(&fixture, &["statements/qs-2.md", "recommendations/rec-2.md", "is empty"]);
}

#[test]
fn crlf_line_endings_and_a_byte_order_mark_work() {
    let fixture = Fixture::new();
    let text = statement("qs-1", 1, &["children-act-1989 s22"], &["qs-2"]).replace('\n', "\r\n");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    fixture.write_bytes("statements/qs-1.md", &bytes);
    fixture.write_bytes("site.yaml", format!("\u{FEFF}{}", SITE.replace('\n', "\r\n")).as_bytes());
    let output = fixture.build(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let page = fs::read_to_string(fixture.output().join("commissioner/statements/qs-1.html")).unwrap();
    assert!(page.contains("Children in care get statement 1."));
}

#[test]
fn invalid_utf8_names_the_file_and_line() {
    let fixture = Fixture::new();
    fixture.write_bytes("recommendations/rec-1.md", b"---\nid: rec-1\nnumber: 1\ntitle: Bad \xFF byte\n---\n");
    assert_fails_with(&fixture, &["recommendations/rec-1.md", "not valid UTF-8", "line 4"]);
}

#[test]
fn raw_html_is_escaped_and_script_links_are_refused() {
    let fixture = Fixture::new();
    let text = statement("qs-1", 1, &["children-act-1989 s22"], &[])
        .replace("Why statement 1 matters.", "Why <script>alert('x')</script> matters. <img src=x onerror=alert(1)>");
    fixture.write("statements/qs-1.md", &text);
    let output = fixture.build(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let page = fs::read_to_string(fixture.output().join("commissioner/statements/qs-1.html")).unwrap();
    assert!(!page.contains("<script"), "raw script reached the output");
    assert!(!page.contains("<img src=x"), "raw img reached the output");

    fixture.write(
        "recommendations/rec-1.md",
        &RECOMMENDATION.replace("Do the thing", "Do [the thing](javascript:alert(1))"),
    );
    assert_fails_with(&fixture, &["could run code", "recommendations/rec-1.md:10:"]);
}

#[test]
fn an_output_folder_guidepress_did_not_make_is_refused() {
    let fixture = Fixture::new();
    fs::create_dir_all(fixture.output()).unwrap();
    fs::write(fixture.output().join("precious.txt"), "keep me").unwrap();
    let output = fixture.build(&[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("--force"), "{}", stderr(&output));
    assert_eq!(fs::read_to_string(fixture.output().join("precious.txt")).unwrap(), "keep me");

    let content_as_output = build(fixture.dir.path(), &fixture.content(), &fixture.content(), &["--force"]);
    assert_eq!(content_as_output.status.code(), Some(2), "{}", stderr(&content_as_output));
    assert!(fixture.content().join("site.yaml").is_file());
}

#[test]
fn a_missing_theme_is_an_error() {
    let fixture = Fixture::new();
    let output = guidepress(fixture.dir.path())
        .args(["build", "--theme", "no-such-theme", "--content"])
        .arg(fixture.content())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("theme folder no-such-theme cannot be opened"), "{}", stderr(&output));
}

#[test]
fn a_template_syntax_error_names_the_template_and_line() {
    let fixture = Fixture::new();
    let theme = fixture.dir.path().join("theme");
    for entry in walkdir::WalkDir::new(default_theme()) {
        let entry = entry.unwrap();
        let target = theme.join(entry.path().strip_prefix(default_theme()).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
    let glossary = theme.join("templates/glossary.html");
    let text = fs::read_to_string(&glossary).unwrap().replacen(
        "{% for term in page.terms %}",
        "{% for term in page.terms %\n",
        1,
    );
    fs::write(&glossary, text).unwrap();
    let output = guidepress(fixture.dir.path())
        .arg("build")
        .arg("--content")
        .arg(fixture.content())
        .arg("--theme")
        .arg(&theme)
        .output()
        .unwrap();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("templates/glossary.html:"), "{err}");
    assert!(err.contains("syntax error"), "{err}");
}

#[test]
fn usage_errors_exit_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let output = guidepress(dir.path()).args(["build", "--no-such-flag"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = guidepress(dir.path()).args(["build", "--base-url", "example.org"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("absolute http"), "{}", stderr(&output));
}

#[test]
fn base_url_makes_canonical_links_absolute() {
    let fixture = Fixture::new();
    let output = fixture.build(&["--base-url", "https://example.org/guidance"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let page = fs::read_to_string(fixture.output().join("carer/statements/qs-1.html")).unwrap();
    assert!(page.contains("https://example.org/guidance/carer/statements/qs-1.html"), "{page}");
}
