//! The bad-input suite: small broken publications, each run through the real binary. Every case
//! checks the exit status, that the diagnostic names the file (and the line, where the problem
//! has one) and says what is wrong, that nothing panicked, and, for errors, that nothing was
//! written. The fixture is `common::Fixture`: a valid two-statement publication that each test
//! breaks in one way. `errors.rs` holds the older cases; none is repeated here.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use crate::common::*;

/// The fixture's first statement, with its defaults.
fn qs1() -> String {
    statement("qs-1", 1, &["children-act-1989 s22"], &["qs-2"])
}

/// Checks a failed build: exit status 1, each of `what` in the messages, the file named (with
/// `:line:` when a line is given), no panic, and nothing written.
fn check_error(output: &Output, file: &str, line: Option<usize>, what: &[&str]) -> String {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(1), "expected exit status 1, got {:?}\n{err}", output.status.code());
    assert!(!err.contains("panicked"), "guidepress panicked:\n{err}");
    assert!(err.contains(file), "the messages do not name {file}:\n{err}");
    if let Some(line) = line {
        let place = format!("{file}:{line}:");
        assert!(err.contains(&place), "the messages do not give {place}:\n{err}");
    }
    for needle in what {
        assert!(err.contains(needle), "the messages lack {needle:?}:\n{err}");
    }
    assert!(err.contains("nothing was written"), "{err}");
    err
}

/// Builds the fixture and checks it failed as [`check_error`] says.
fn fails(fixture: &Fixture, file: &str, line: Option<usize>, what: &[&str]) -> String {
    let output = fixture.build(&[]);
    assert!(!fixture.output().exists(), "a failed build wrote {}", fixture.output().display());
    check_error(&output, file, line, what)
}

/// Like [`fails`], with the content stages run in this process (`in_process.rs`), which report what
/// the build prints for a content mistake. A test of many cases checks its first with [`fails`]
/// (the binary: exit status, nothing written) and the others, which differ only in the content,
/// with this: a tenth of the time each.
fn fails_in_process(fixture: &Fixture, file: &str, line: Option<usize>, what: &[&str]) -> String {
    let report = crate::in_process::check_content(&fixture.content());
    let err = report.text;
    assert!(report.errors > 0, "expected errors, so that nothing would be written:\n{err}");
    assert!(err.contains(file), "the messages do not name {file}:\n{err}");
    if let Some(line) = line {
        let place = format!("{file}:{line}:");
        assert!(err.contains(&place), "the messages do not give {place}:\n{err}");
    }
    for needle in what {
        assert!(err.contains(needle), "the messages lack {needle:?}:\n{err}");
    }
    err
}

/// Builds the fixture and checks it succeeded; returns standard error (warnings).
fn builds(fixture: &Fixture) -> String {
    let output = fixture.build(&[]);
    let err = stderr(&output);
    assert!(output.status.success(), "expected a successful build, got {:?}\n{err}", output.status.code());
    assert!(!err.contains("panicked"), "{err}");
    assert!(fixture.output().join("index.html").is_file());
    err
}

/// Replaces the first `from` in a content file (which must contain it).
fn edit(fixture: &Fixture, rel: &str, from: &str, to: &str) -> String {
    let text = fs::read_to_string(fixture.content().join(rel)).expect("read a fixture file");
    assert!(text.contains(from), "{rel} has no {from:?}");
    let text = text.replacen(from, to, 1);
    fixture.write(rel, &text);
    text
}

// ---------------------------------------------------------------------------------------------
// Malformed YAML

#[test]
fn yaml_tab_indentation_in_a_statement() {
    let fixture = Fixture::new();
    let text = edit(&fixture, "statements/qs-1.md", "  providers: Provide it.", "\tproviders: Provide it.");
    fails(
        &fixture,
        "statements/qs-1.md",
        Some(line_of(&text, "\tproviders")),
        &["tab characters on this line with spaces"],
    );
}

#[test]
fn yaml_tab_indentation_in_the_register() {
    let fixture = Fixture::new();
    let text = edit(&fixture, "register.yaml", "    year: 2009", "\tyear: 2009");
    fails(&fixture, "register.yaml", Some(line_of(&text, "\tyear")), &["tab"]);
}

#[test]
fn yaml_unclosed_double_quote_points_at_the_quote() {
    let fixture = Fixture::new();
    edit(&fixture, "recommendations/rec-1.md", "title: Doing the thing", "title: \"Doing the thing");
    let err =
        fails(&fixture, "recommendations/rec-1.md", Some(4), &["this quoted text is never closed", "close the quote"]);
    assert!(err.contains("rec-1.md:4:8"), "the quote is at line 4, column 8:\n{err}");
    assert!(!err.contains(" at line "), "the parser's own line numbers (counted from the front matter) leaked:\n{err}");
}

#[test]
fn yaml_unclosed_single_quote_in_the_glossary() {
    let fixture = Fixture::new();
    let text = edit(&fixture, "glossary.yaml", "term: social worker", "term: 'social worker");
    fails(&fixture, "glossary.yaml", Some(line_of(&text, "'social")), &["never closed"]);
}

#[test]
fn yaml_bad_indentation() {
    let fixture = Fixture::new();
    let text = edit(&fixture, "statements/qs-1.md", "  structure:", " structure:");
    let err = fails(
        &fixture,
        "statements/qs-1.md",
        Some(line_of(&text, "  process:")),
        &[
            "`process:` is indented by 2 spaces, but `structure:` above it, in the same group, by 1 space",
            "give `structure:` and `process:` the same indentation",
        ],
    );
    assert!(!err.contains(" at line "), "{err}");
}

#[test]
fn yaml_list_item_at_the_wrong_indentation() {
    let fixture = Fixture::new();
    let text = edit(&fixture, "register.yaml", "      - key: s22C", "   - key: s22C");
    fails(&fixture, "register.yaml", Some(line_of(&text, "   - key: s22C")), &["error[yaml]"]);
}

#[test]
fn yaml_unclosed_flow_list() {
    let fixture = Fixture::new();
    edit(&fixture, "recommendations/rec-1.md", "who: [Social workers]", "who: [Social workers");
    // Shown where the list opens (line 6), in plain words, not at the line after it.
    fails(
        &fixture,
        "recommendations/rec-1.md",
        Some(6),
        &["this list opened with `[` is never closed with `]`", "closed with `]` on the same value"],
    );
}

#[test]
fn yaml_colon_in_an_unquoted_value_says_to_quote_it() {
    let fixture = Fixture::new();
    edit(&fixture, "site.yaml", "title: Fixture publication", "title: Fixture: publication");
    fails(&fixture, "site.yaml", Some(1), &["mapping values are not allowed", "must be put in quotes"]);
}

#[test]
fn yaml_repeated_field_points_at_the_repeat() {
    let fixture = Fixture::new();
    edit(&fixture, "recommendations/rec-1.md", "topic: Care planning\n", "topic: Care planning\ntitle: Again\n");
    fails(&fixture, "recommendations/rec-1.md", Some(6), &["duplicate field `title`", "each field may appear once"]);
}

#[test]
fn yaml_control_character_is_pointed_at() {
    let fixture = Fixture::new();
    let text = edit(
        &fixture,
        "glossary.yaml",
        "easy_read: People who help with feelings.",
        "easy_read: People who help\u{1} with feelings.",
    );
    fails(
        &fixture,
        "glossary.yaml",
        Some(line_of(&text, "\u{1}")),
        &["invisible control character U+0001", "delete it"],
    );
}

// ---------------------------------------------------------------------------------------------
// Front matter

#[test]
fn front_matter_of_a_statement_never_closes() {
    let fixture = Fixture::new();
    // The opening fence stays; the closing one (after the last field) goes.
    let text = qs1().replace("number 1\n---\n", "number 1\n");
    assert_eq!(text.matches("---").count(), 1);
    fixture.write("statements/qs-1.md", &text);
    fails(&fixture, "statements/qs-1.md", Some(1), &["the front matter never closes", "add a line of three hyphens"]);
}

#[test]
fn a_statement_without_front_matter() {
    let fixture = Fixture::new();
    fixture.write("statements/qs-1.md", "# Health history\n\nJust Markdown, no fields.\n");
    fails(&fixture, "statements/qs-1.md", Some(1), &["does not start with front matter", "three hyphens"]);
}

#[test]
fn empty_front_matter() {
    let fixture = Fixture::new();
    fixture.write("recommendations/rec-1.md", "---\n---\n\nDo the thing.\n");
    fails(&fixture, "recommendations/rec-1.md", Some(1), &["the front matter is empty"]);
}

#[test]
fn front_matter_that_is_a_list() {
    let fixture = Fixture::new();
    fixture.write("recommendations/rec-1.md", "---\n- id: rec-1\n- number: 1\n---\n\nDo the thing.\n");
    fails(&fixture, "recommendations/rec-1.md", Some(2), &["invalid type: sequence", "named sub-fields"]);
}

// ---------------------------------------------------------------------------------------------
// Wrong types

#[test]
fn a_list_field_given_text() {
    let fixture = Fixture::new();
    edit(&fixture, "recommendations/rec-1.md", "who: [Social workers]", "who: Social workers");
    fails(&fixture, "recommendations/rec-1.md", Some(6), &["expected a sequence", "this field takes a list"]);
}

#[test]
fn a_negative_number() {
    let fixture = Fixture::new();
    edit(&fixture, "recommendations/rec-1.md", "number: 1", "number: -3");
    fails(&fixture, "recommendations/rec-1.md", Some(3), &["`-3`", "whole number"]);
}

#[test]
fn a_group_of_fields_given_text() {
    let fixture = Fixture::new();
    let text = qs1();
    let start = text.find("audiences:").unwrap();
    let end = text.find("who_to_ask:").unwrap();
    let text = format!("{}audiences: everyone\n{}", &text[..start], &text[end..]);
    fixture.write("statements/qs-1.md", &text);
    fails(&fixture, "statements/qs-1.md", Some(line_of(&text, "audiences:")), &["invalid type", "named sub-fields"]);
}

#[test]
fn an_unknown_kind_suggests_the_closest() {
    let fixture = Fixture::new();
    edit(&fixture, "register.yaml", "kind: statutory-guidance", "kind: statutory-guidence");
    fails(
        &fixture,
        "register.yaml",
        Some(22),
        &["`statutory-guidence` is not one of the values allowed here", "did you mean `statutory-guidance`?"],
    );
}

#[test]
fn a_misspelt_status_suggests_the_closest() {
    let fixture = Fixture::new();
    edit(&fixture, "register.yaml", "status: in-force", "status: in_force");
    fails(
        &fixture,
        "register.yaml",
        Some(7),
        &["`in_force` is not one of the values allowed here", "did you mean `in-force`?"],
    );
}

#[test]
fn a_date_in_the_wrong_form() {
    let fixture = Fixture::new();
    edit(&fixture, "site.yaml", "date: 2024-01-31", "date: 31/01/2024");
    fails(&fixture, "site.yaml", Some(6), &["`31/01/2024` is not a date in the form YYYY-MM-DD"]);
}

#[test]
fn a_yes_no_field_given_text() {
    let fixture = Fixture::new();
    fixture.write("site.yaml", &format!("{SITE}allow_raw_html: sometimes\n"));
    fails(&fixture, "site.yaml", Some(9), &["expected a boolean", "true or false"]);
}

// ---------------------------------------------------------------------------------------------
// Missing required fields

#[test]
fn a_statement_without_citations() {
    let fixture = Fixture::new();
    let text = qs1();
    let start = text.find("cites:").unwrap();
    let end = text.find("related:").unwrap();
    fixture.write("statements/qs-1.md", &format!("{}{}", &text[..start], &text[end..]));
    fails(&fixture, "statements/qs-1.md", Some(2), &["missing field `cites`", "add a `cites:` line"]);
}

#[test]
fn a_register_entry_without_an_address() {
    let fixture = Fixture::new();
    edit(&fixture, "register.yaml", "    url: https://www.gov.uk/government/publications/new\n", "");
    fails(&fixture, "register.yaml", None, &["missing field `url`", "add a `url:` line"]);
}

#[test]
fn a_glossary_term_without_a_definition() {
    let fixture = Fixture::new();
    edit(&fixture, "glossary.yaml", "    definition: NHS mental health services for young people.\n", "");
    fails(&fixture, "glossary.yaml", None, &["missing field `definition`"]);
}

#[test]
fn a_site_without_a_title() {
    let fixture = Fixture::new();
    edit(&fixture, "site.yaml", "title: Fixture publication\n", "");
    fails(&fixture, "site.yaml", None, &["missing field `title`", "add a `title:` line"]);
}

// ---------------------------------------------------------------------------------------------
// Unknown (misspelt) fields

#[test]
fn a_misspelt_nested_field() {
    let fixture = Fixture::new();
    let text = edit(&fixture, "statements/qs-1.md", "numerator: who got it", "numerater: who got it");
    fails(
        &fixture,
        "statements/qs-1.md",
        Some(line_of(&text, "numerater")),
        &["there is no field called `numerater`", "did you mean `numerator`?"],
    );
}

#[test]
fn a_misspelt_pinpoint_field() {
    let fixture = Fixture::new();
    edit(&fixture, "register.yaml", "label: section 22C", "lable: section 22C");
    fails(&fixture, "register.yaml", Some(18), &["there is no field called `lable`", "did you mean `label`?"]);
}

#[test]
fn a_misspelt_site_field() {
    let fixture = Fixture::new();
    edit(&fixture, "site.yaml", "editions:", "editons:");
    fails(&fixture, "site.yaml", Some(8), &["there is no field called `editons`", "did you mean `editions`?"]);
}

// ---------------------------------------------------------------------------------------------
// Ids

#[test]
fn a_duplicate_id_across_a_statement_and_a_recommendation() {
    let fixture = Fixture::new();
    fixture.write(
        "recommendations/rec-2.md",
        &RECOMMENDATION.replace("id: rec-1", "id: qs-2").replace("number: 1", "number: 2"),
    );
    let err = fails(
        &fixture,
        "recommendations/rec-2.md",
        Some(2),
        &["the id `qs-2` is already used by", "statements/qs-2.md:2"],
    );
    assert!(err.contains("give this recommendation another id"), "{err}");
}

#[test]
fn a_duplicate_id_across_the_register_and_the_glossary() {
    let fixture = Fixture::new();
    let text = edit(&fixture, "glossary.yaml", "id: camhs", "id: children-act-1989");
    fails(
        &fixture,
        "glossary.yaml",
        Some(line_of(&text, "id: children-act-1989")),
        &["the id `children-act-1989` is already used by", "register.yaml:2"],
    );
}

#[test]
fn ids_that_differ_only_in_case_across_files() {
    let fixture = Fixture::new();
    fixture.write(
        "recommendations/rec-2.md",
        &RECOMMENDATION.replace("id: rec-1", "id: Rec-1").replace("number: 1", "number: 2"),
    );
    fails(
        &fixture,
        "recommendations/rec-2.md",
        Some(2),
        &["`Rec-1` differs only in case from `rec-1`", "`Rec-1` is not a valid id", "try `rec-1`"],
    );
}

#[test]
fn file_names_that_differ_only_in_case() {
    let fixture = Fixture::new();
    fixture.write("statements/QS-3.md", &statement("qs-3", 3, &["children-act-1989 s22"], &[]));
    fixture.write("statements/qs-3.md", &statement("qs-4", 4, &["children-act-1989 s22"], &[]));
    fails(
        &fixture,
        "statements/qs-3.md",
        None,
        &["the file name differs only in case from", "statements/QS-3.md", "on Windows and macOS"],
    );
}

#[test]
fn an_id_with_underscores_suggests_a_valid_one() {
    let fixture = Fixture::new();
    fixture.write("statements/qs-3.md", &statement("qs_3", 3, &["children-act-1989 s22"], &[]));
    fails(&fixture, "statements/qs-3.md", Some(2), &["`qs_3` is not a valid id", "try `qs-3`"]);
}

#[test]
fn a_path_as_an_id_is_refused() {
    let fixture = Fixture::new();
    fixture.write("statements/qs-3.md", &statement("../../evil", 3, &["children-act-1989 s22"], &[]));
    fails(&fixture, "statements/qs-3.md", Some(2), &["`../../evil` is not a valid id", "they become file names"]);
}

#[test]
fn a_reserved_id_is_refused() {
    let fixture = Fixture::new();
    fixture.write("recommendations/rec-1.md", &RECOMMENDATION.replace("id: rec-1", "id: index"));
    fixture.write("statements/qs-1.md", &qs1().replace("recommendations: [rec-1]", "recommendations: [index]"));
    fixture.write(
        "statements/qs-2.md",
        &statement("qs-2", 2, &["children-act-1989 s22C"], &["qs-1"])
            .replace("recommendations: [rec-1]", "recommendations: [index]"),
    );
    fails(&fixture, "recommendations/rec-1.md", Some(2), &["`index` cannot be used as an id: it is a reserved name"]);
}

#[test]
fn two_statements_with_one_number() {
    let fixture = Fixture::new();
    fixture.write("statements/qs-3.md", &statement("qs-3", 2, &["children-act-1989 s22"], &[]));
    fails(&fixture, "statements/qs-3.md", Some(3), &["statement number 2 is also used by", "statements/qs-2.md:3"]);
}

// ---------------------------------------------------------------------------------------------
// Citations and references

#[test]
fn an_unknown_citation_in_a_recommendation() {
    let fixture = Fixture::new();
    edit(&fixture, "recommendations/rec-1.md", "cites: [children-act-1989 s22]", "cites: [children-act-1898 s22]");
    fails(
        &fixture,
        "recommendations/rec-1.md",
        Some(7),
        &["`children-act-1898` is not in the statutory register", "did you mean `children-act-1989`?"],
    );
}

#[test]
fn an_unknown_pinpoint_suggests_the_closest() {
    let fixture = Fixture::new();
    let text = statement("qs-2", 2, &["children-act-1989 s22c"], &["qs-1"]);
    fixture.write("statements/qs-2.md", &text);
    fails(
        &fixture,
        "statements/qs-2.md",
        Some(line_of(&text, "s22c")),
        &[
            "`children-act-1989` has no pinpoint `s22c`",
            "did you mean `s22C`?",
            "did you mean `s22C`? The pinpoints listed for it are: s22, s22C",
        ],
    );
}

#[test]
fn a_citation_with_too_many_parts() {
    let fixture = Fixture::new();
    let text = statement("qs-2", 2, &["children-act-1989 section 22"], &["qs-1"]);
    fixture.write("statements/qs-2.md", &text);
    fails(
        &fixture,
        "statements/qs-2.md",
        Some(line_of(&text, "section 22")),
        &["at most 2 parts", "children-act-1989 s22C"],
    );
}

#[test]
fn citing_a_superseded_instrument_from_a_recommendation_warns_with_the_replacement() {
    let fixture = Fixture::new();
    edit(
        &fixture,
        "recommendations/rec-1.md",
        "cites: [children-act-1989 s22]",
        "cites: [children-act-1989 s22, old-guidance-2009]",
    );
    let output = fixture.build(&[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "a superseded citation is a warning, not an error:\n{err}");
    assert!(err.contains("warning[superseded]: Old guidance 2009 has been superseded"), "{err}");
    assert!(err.contains("recommendations/rec-1.md:7:"), "{err}");
    assert!(err.contains("cite `new-guidance-2015` (New guidance 2015) instead"), "{err}");
}

#[test]
fn superseded_by_an_entry_that_is_not_there() {
    let fixture = Fixture::new();
    edit(&fixture, "register.yaml", "superseded_by: new-guidance-2015", "superseded_by: new-guidance-2051");
    fails(
        &fixture,
        "register.yaml",
        Some(26),
        &["superseded by `new-guidance-2051`, which is not in the register", "did you mean `new-guidance-2015`?"],
    );
}

#[test]
fn a_cycle_of_related_statements_simply_works() {
    // qs-1 → qs-2 → qs-3 → qs-1, and qs-1 ↔ qs-2: no hang, no error, and the links are there.
    let fixture = Fixture::new();
    fixture.write("statements/qs-1.md", &statement("qs-1", 1, &["children-act-1989 s22"], &["qs-2", "qs-3"]));
    fixture.write("statements/qs-2.md", &statement("qs-2", 2, &["children-act-1989 s22C"], &["qs-3", "qs-1"]));
    fixture.write("statements/qs-3.md", &statement("qs-3", 3, &["children-act-1989 s22"], &["qs-1"]));
    let started = Instant::now();
    let err = builds(&fixture);
    assert!(started.elapsed() < Duration::from_secs(30), "the build took {:?}", started.elapsed());
    assert!(!err.contains("error"), "{err}");
    let page = fs::read_to_string(fixture.output().join("commissioner/statements/qs-3.html")).unwrap();
    assert!(page.contains("qs-1.html"), "qs-3 does not link to qs-1");
}

#[test]
fn a_statement_related_to_itself() {
    let fixture = Fixture::new();
    let text = statement("qs-2", 2, &["children-act-1989 s22C"], &["qs-1", "qs-2"]);
    fixture.write("statements/qs-2.md", &text);
    fails(
        &fixture,
        "statements/qs-2.md",
        Some(line_of(&text, "related:")),
        &["a statement cannot be related to itself", "remove `qs-2` from `related`"],
    );
}

#[test]
fn a_statement_related_to_one_that_is_not_there() {
    let fixture = Fixture::new();
    let text = statement("qs-2", 2, &["children-act-1989 s22C"], &["qs-l"]);
    fixture.write("statements/qs-2.md", &text);
    fails(
        &fixture,
        "statements/qs-2.md",
        Some(line_of(&text, "related:")),
        &["there is no statement with the id `qs-l`", "did you mean `qs-1`?"],
    );
}

#[test]
fn thousands_of_bad_citations_are_summed_up_not_all_printed() {
    let fixture = Fixture::new();
    let cites: String = (0..3000).map(|n| format!("  - nowhere-act-{n} s1\n")).collect();
    let text = RECOMMENDATION.replace("cites: [children-act-1989 s22]\n", &format!("cites:\n{cites}"));
    fixture.write("recommendations/rec-1.md", &text);
    let started = Instant::now();
    let err = fails(
        &fixture,
        "recommendations/rec-1.md",
        Some(8),
        &["`nowhere-act-0` is not in the statutory register", "2950 more problems in this file are not shown"],
    );
    assert_eq!(err.matches("error[unknown-citation]").count(), 50, "the first 50 problems are shown");
    assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());
}

#[test]
fn an_edition_the_theme_does_not_have() {
    let fixture = Fixture::new();
    edit(&fixture, "site.yaml", "editions: [commissioner,", "editions: [comissioner,");
    fails(
        &fixture,
        "site.yaml",
        Some(8),
        &["the theme has no edition called `comissioner`", "did you mean `commissioner`?"],
    );
}

// ---------------------------------------------------------------------------------------------
// Files: encodings, sizes, shapes

#[test]
fn an_empty_register_and_a_blank_glossary() {
    let fixture = Fixture::new();
    fixture.write("register.yaml", "");
    fixture.write("glossary.yaml", "  \n\n \n");
    let err = fails(&fixture, "register.yaml", Some(1), &["this file is empty"]);
    assert!(err.contains("glossary.yaml:1:"), "{err}");
}

#[test]
fn a_site_yaml_of_only_a_byte_order_mark() {
    let fixture = Fixture::new();
    fixture.write_bytes("site.yaml", b"\xEF\xBB\xBF");
    fails(&fixture, "site.yaml", Some(1), &["this file is empty"]);
}

#[test]
fn crlf_lone_cr_and_byte_order_marks_in_every_kind_of_file_work() {
    let fixture = Fixture::new();
    let bom = |text: &str| format!("\u{FEFF}{text}");
    fixture.write("register.yaml", &bom(&REGISTER.replace('\n', "\r\n")));
    fixture.write("glossary.yaml", &GLOSSARY.replace('\n', "\r"));
    fixture.write("recommendations/rec-1.md", &bom(&RECOMMENDATION.replace('\n', "\r\n")));
    fixture
        .write("statements/qs-2.md", &statement("qs-2", 2, &["children-act-1989 s22C"], &["qs-1"]).replace('\n', "\r"));
    builds(&fixture);
    let page = fs::read_to_string(fixture.output().join("commissioner/recommendations/rec-1.html")).unwrap();
    assert!(page.contains("Do the thing, and record it."), "{page}");
    assert!(!page.contains('\r'), "a carriage return reached the page");
}

#[test]
fn invalid_utf8_in_the_register_names_the_line() {
    let fixture = Fixture::new();
    let mut bytes = REGISTER.as_bytes().to_vec();
    let at = REGISTER.find("Old guidance 2009").unwrap();
    bytes[at] = 0xC3; // the start of a two-byte character, followed by a plain letter
    fixture.write_bytes("register.yaml", &bytes);
    fails(
        &fixture,
        "register.yaml",
        None,
        &["not valid UTF-8", &format!("line {}", line_of(REGISTER, "Old guidance 2009"))],
    );
}

#[test]
fn a_utf16_file_is_not_utf8() {
    let fixture = Fixture::new();
    let mut bytes = vec![0xFF, 0xFE];
    for unit in SITE.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    fixture.write_bytes("site.yaml", &bytes);
    fails(&fixture, "site.yaml", None, &["not valid UTF-8", "line 1, column 1", "save the file as UTF-8"]);
}

#[test]
fn a_50_mb_file_is_refused_quickly() {
    let fixture = Fixture::new();
    let path = fixture.content().join("statements/qs-3.md");
    let file = fs::File::create(&path).unwrap();
    file.set_len(50 * 1024 * 1024).unwrap(); // sparse: no 50 MB written
    drop(file);
    let started = Instant::now();
    let output = fixture.build(&[]);
    let elapsed = started.elapsed();
    check_error(
        &output,
        "statements/qs-3.md",
        None,
        &["this file is 50 MB; guidepress reads files of up to 8 MB", "split it"],
    );
    assert!(elapsed < Duration::from_secs(10), "refusing a large file took {elapsed:?}");
}

#[test]
fn billion_laughs_is_refused_quickly() {
    let fixture = Fixture::new();
    let mut bomb = String::from("[&a [lol, lol, lol, lol, lol, lol, lol, lol, lol]");
    let mut previous = 'a';
    for name in 'b'..='j' {
        bomb.push_str(&format!(", &{name} [{}]", vec![format!("*{previous}"); 9].join(", ")));
        previous = name;
    }
    bomb.push(']');
    edit(&fixture, "site.yaml", "version: \"1\"", &format!("version: {bomb}"));
    let started = Instant::now();
    let output = fixture.build(&[]);
    // `version` takes one value, so the bomb is refused as a list before any alias is expanded
    // (the parser's repetition limit is tested in src/yaml.rs).
    check_error(&output, "site.yaml", Some(5), &["`version` must be a single value"]);
    assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
}

#[test]
fn deeply_nested_yaml_is_refused() {
    let fixture = Fixture::new();
    edit(&fixture, "site.yaml", "version: \"1\"", &format!("version: {}", "[".repeat(10_000)));
    // Unclosed, so refused as a list that never closes (the nesting limit is tested in front
    // matter, where it is reached first).
    fails(&fixture, "site.yaml", Some(5), &["error[yaml]"]);
}

#[test]
fn deeply_nested_yaml_in_front_matter_is_refused() {
    let fixture = Fixture::new();
    edit(&fixture, "recommendations/rec-1.md", "title: Doing the thing", &format!("title: {}", "[".repeat(10_000)));
    fails(&fixture, "recommendations/rec-1.md", Some(4), &["error[yaml]"]);
}

#[test]
fn deeply_nested_markdown_is_refused_not_a_crash() {
    // 10,000 nested block quotes used to overflow the stack in the HTML minifier and abort.
    let fixture = Fixture::new();
    let front_matter = RECOMMENDATION.split("\n\n").next().unwrap();
    fixture.write("recommendations/rec-1.md", &format!("{front_matter}\n\nDo this.\n\n{}deep\n", "> ".repeat(10_000)));
    let text = qs1().replace("  carers: Help with it.", &format!("  carers: \"{}x\"", "- ".repeat(10_000)));
    fixture.write("statements/qs-1.md", &text);
    let started = Instant::now();
    let err = fails(
        &fixture,
        "recommendations/rec-1.md",
        Some(12),
        &["error[too-deep]", "more than 32 levels deep", "a run of `>` or `-`"],
    );
    assert!(err.contains(&format!("statements/qs-1.md:{}:", line_of(&text, "  carers:"))), "{err}");
    assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());
}

#[test]
fn wide_but_shallow_markdown_builds() {
    // Thousands of unclosed brackets and emphasis marks nest nothing: they are text.
    let fixture = Fixture::new();
    let front_matter = RECOMMENDATION.split("\n\n").next().unwrap();
    fixture.write(
        "recommendations/rec-1.md",
        &format!("{front_matter}\n\n{}\n\n{}\n", "[".repeat(10_000), "*_".repeat(10_000)),
    );
    builds(&fixture);
}

#[test]
fn a_symbolic_link_loop_under_content() {
    let fixture = Fixture::new();
    std::os::unix::fs::symlink("..", fixture.content().join("statements/loop")).unwrap();
    fails(&fixture, "statements/loop", None, &["this symbolic link makes a loop"]);
}

#[test]
fn a_symbolic_link_pointing_outside_content() {
    let fixture = Fixture::new();
    let outside = fixture.dir.path().join("elsewhere.md");
    fs::write(&outside, statement("qs-3", 3, &["children-act-1989 s22"], &[])).unwrap();
    std::os::unix::fs::symlink(&outside, fixture.content().join("statements/qs-3.md")).unwrap();
    fails(
        &fixture,
        "statements/qs-3.md",
        None,
        &[
            "this symbolic link points outside the content folder",
            "elsewhere.md",
            "copy the file or folder into the content folder",
        ],
    );
}

#[test]
fn a_broken_symbolic_link() {
    let fixture = Fixture::new();
    std::os::unix::fs::symlink("qs-9.md", fixture.content().join("statements/qs-3.md")).unwrap();
    fails(&fixture, "statements/qs-3.md", None, &["this symbolic link is broken"]);
}

/// The effective user id of this process: the owner of a file it has just made.
fn effective_uid(dir: &Path) -> u32 {
    use std::os::unix::fs::MetadataExt;
    let probe = dir.join(".uid-probe");
    fs::write(&probe, b"").unwrap();
    let uid = fs::metadata(&probe).unwrap().uid();
    fs::remove_file(&probe).unwrap();
    uid
}

#[test]
fn a_file_that_cannot_be_read() {
    use std::os::unix::process::CommandExt;
    let fixture = Fixture::new();
    fixture
        .write("recommendations/rec-2.md", &RECOMMENDATION.replace("rec-1", "rec-2").replace("number: 1", "number: 2"));
    let locked = fixture.content().join("recommendations/rec-2.md");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();

    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("guidepress"));
    if fs::File::open(&locked).is_ok() {
        // Permissions do not stop root (as in CI). Run guidepress as the unprivileged user
        // `nobody` instead, so the permission check is really made; everything else it needs is
        // made readable to it, and its binary and theme are copied where it can reach them.
        assert_eq!(
            effective_uid(fixture.dir.path()),
            0,
            "a mode-000 file is readable, yet this test does not run as root"
        );
        let dir = fixture.dir.path();
        for entry in walkdir::WalkDir::new(dir) {
            let entry = entry.unwrap();
            if entry.path() != locked {
                let mode = if entry.file_type().is_dir() { 0o777 } else { 0o755 };
                fs::set_permissions(entry.path(), fs::Permissions::from_mode(mode)).unwrap();
            }
        }
        let binary = dir.join("guidepress");
        if fs::hard_link(assert_cmd::cargo::cargo_bin("guidepress"), &binary).is_err() {
            fs::copy(assert_cmd::cargo::cargo_bin("guidepress"), &binary).unwrap();
        }
        fs::set_permissions(&binary, fs::Permissions::from_mode(0o755)).unwrap();
        let theme = copy_default_theme(dir);
        for entry in walkdir::WalkDir::new(&theme) {
            let entry = entry.unwrap();
            let mode = if entry.file_type().is_dir() { 0o755 } else { 0o644 };
            fs::set_permissions(entry.path(), fs::Permissions::from_mode(mode)).unwrap();
        }
        command = std::process::Command::new(&binary);
        command.uid(65534).gid(65534);
        command.arg("build").arg("--theme").arg(&theme);
    } else {
        command.arg("build").arg("--theme").arg(default_theme());
    }
    command
        .current_dir(fixture.dir.path())
        .arg("--content")
        .arg(fixture.content())
        .arg("--output")
        .arg(fixture.output());
    let output = command.output().unwrap_or_else(|error| {
        panic!("could not run guidepress as an unprivileged user ({error}): this machine cannot test unreadable files; the FIFO case (a_named_pipe_cannot_be_read) covers the diagnostic")
    });
    check_error(
        &output,
        "recommendations/rec-2.md",
        None,
        &["this file cannot be read", "Permission denied", "allowed to read it"],
    );
}

#[test]
fn a_named_pipe_cannot_be_read() {
    let fixture = Fixture::new();
    let fifo = fixture.content().join("recommendations/rec-2.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success(), "mkfifo failed");
    let started = Instant::now();
    fails(
        &fixture,
        "recommendations/rec-2.md",
        None,
        &["this cannot be read: it is a named pipe (FIFO), not a regular file"],
    );
    assert!(started.elapsed() < Duration::from_secs(20), "guidepress waited on the pipe");
}

#[test]
fn a_folder_where_a_file_is_expected() {
    let fixture = Fixture::new();
    fixture.remove("glossary.yaml");
    fs::create_dir(fixture.content().join("glossary.yaml")).unwrap();
    fails(&fixture, "glossary.yaml", None, &["this cannot be read as a file: it is a folder"]);
}

#[test]
fn an_svg_picture_with_a_script() {
    let fixture = Fixture::new();
    fixture.write("pictures/house.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>");
    fails(
        &fixture,
        "pictures/house.svg",
        Some(1),
        &["the picture `house` is refused: element `script`", "is not allowed in a picture (it runs code)"],
    );
}

// ---------------------------------------------------------------------------------------------
// Themes and site

#[test]
fn a_syntax_error_in_an_edition_template_names_it_and_the_line() {
    let fixture = Fixture::new();
    let theme = copy_default_theme(fixture.dir.path());
    let path = theme.join("templates/easy-read/statement.html");
    let text = fs::read_to_string(&path).unwrap();
    let broken = text + "{% if page %}\n{{ page.title }\n{% endif %}\n";
    fs::write(&path, &broken).unwrap();
    let output = build_with_theme(&fixture, &theme);
    let line = line_of(&broken, "{{ page.title }\n");
    check_error(
        &output,
        "templates/easy-read/statement.html",
        None,
        &["template easy-read/statement.html has a syntax error"],
    );
    let err = stderr(&output);
    assert!(err.contains(&format!("templates/easy-read/statement.html:{line}:")), "no line {line}:\n{err}");
    assert!(err.contains("unexpected `}`"), "{err}");
}

#[test]
fn a_syntax_error_in_a_shared_template_gives_its_line_and_column() {
    let fixture = Fixture::new();
    let theme = copy_default_theme(fixture.dir.path());
    let path = theme.join("templates/law.html");
    let text =
        fs::read_to_string(&path).unwrap().replacen("{% if law.superseded_by %}", "{% if law.superseded_by %", 1);
    fs::write(&path, &text).unwrap();
    let line = line_of(&text, "{% if law.superseded_by %");
    check_error(
        &build_with_theme(&fixture, &theme),
        "templates/law.html",
        Some(line),
        &["template law.html has a syntax error", "{% %} and {{ }} tags"],
    );
}

#[test]
fn an_undefined_variable_in_a_template_names_the_template() {
    let fixture = Fixture::new();
    let theme = copy_default_theme(fixture.dir.path());
    let path = theme.join("templates/glossary.html");
    let text = fs::read_to_string(&path).unwrap();
    let text = text.replacen("{% block content %}", "{% block content %}{{ page.no_such_thing }}", 1);
    fs::write(&path, &text).unwrap();
    let output = build_with_theme(&fixture, &theme);
    check_error(
        &output,
        "templates/glossary.html",
        Some(line_of(&text, "page.no_such_thing")),
        &["`page.no_such_thing` is undefined", "a variable or field that this page does not have"],
    );
}

#[test]
fn a_misspelt_field_in_an_if_is_an_error_at_its_line() {
    // Tera took `{% if s.ful_version %}` as false and dropped the pointer without a word.
    let fixture = Fixture::new();
    let theme = copy_default_theme(fixture.dir.path());
    let path = theme.join("templates/pocket/statement.html");
    let text = fs::read_to_string(&path).unwrap().replacen("{% if s.full_version %}", "{% if s.ful_version %}", 1);
    fs::write(&path, &text).unwrap();
    let err = check_error(
        &build_with_theme(&fixture, &theme),
        "templates/pocket/statement.html",
        Some(line_of(&text, "s.ful_version")),
        &["`s.ful_version` is undefined"],
    );
    assert_eq!(err.matches("error[template]").count(), 1, "one error per place, not one per page:\n{err}");
}

#[test]
fn an_error_in_an_included_template_names_the_included_file() {
    let fixture = Fixture::new();
    let theme = copy_default_theme(fixture.dir.path());
    let path = theme.join("templates/law-list.html");
    let text = fs::read_to_string(&path).unwrap().replacen("{{ group.summary }}", "{{ group.sumary }}", 1);
    fs::write(&path, &text).unwrap();
    let err = check_error(
        &build_with_theme(&fixture, &theme),
        "templates/law-list.html",
        Some(line_of(&text, "group.sumary")),
        &["`group.sumary` is undefined", "reached from statement.html:"],
    );
    assert!(!err.contains("templates/statement.html:"), "the including template is blamed:\n{err}");
}

#[test]
fn an_error_in_a_parent_template_names_the_parent() {
    let fixture = Fixture::new();
    let theme = copy_default_theme(fixture.dir.path());
    let path = theme.join("templates/base.html");
    let text =
        fs::read_to_string(&path).unwrap().replacen("{{ site.publisher }}", "{{ site.publisher | no_such_filter }}", 1);
    fs::write(&path, &text).unwrap();
    check_error(
        &build_with_theme(&fixture, &theme),
        "templates/base.html",
        Some(line_of(&text, "no_such_filter")),
        &["unknown filter", "no_such_filter", "built-in filters"],
    );
}

#[test]
fn an_asset_the_theme_does_not_have_names_the_template_and_line() {
    let fixture = Fixture::new();
    let theme = copy_default_theme(fixture.dir.path());
    let path = theme.join("templates/search.html");
    let text = fs::read_to_string(&path).unwrap().replacen("asset(path=\"search.js\")", "asset(path=\"serch.js\")", 1);
    fs::write(&path, &text).unwrap();
    check_error(
        &build_with_theme(&fixture, &theme),
        "templates/search.html",
        Some(line_of(&text, "serch.js")),
        &["the theme has no asset `serch.js`"],
    );
}

#[test]
fn a_theme_without_templates() {
    let fixture = Fixture::new();
    let theme = copy_default_theme(fixture.dir.path());
    fs::remove_dir_all(theme.join("templates")).unwrap();
    let output = build_with_theme(&fixture, &theme);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("has no templates/ folder"), "{err}");
    assert!(err.contains(&theme.display().to_string()), "the theme is not named:\n{err}");
    assert!(!fixture.output().exists());
}

#[test]
fn a_theme_folder_that_is_not_there() {
    let fixture = Fixture::new();
    let output = build_with_theme(&fixture, &fixture.dir.path().join("themes/nowhere"));
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("themes/nowhere cannot be opened"), "{err}");
    assert!(err.contains("--theme"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_broken_edition_file_in_the_theme() {
    let fixture = Fixture::new();
    let theme = copy_default_theme(fixture.dir.path());
    let path = theme.join("editions/carer.yaml");
    let text = fs::read_to_string(&path).unwrap();
    let text = format!("{text}colour: blue\n");
    fs::write(&path, &text).unwrap();
    let output = build_with_theme(&fixture, &theme);
    check_error(
        &output,
        "editions/carer.yaml",
        Some(line_of(&text, "colour:")),
        &["there is no field called `colour`"],
    );
}

#[test]
fn a_content_folder_that_is_not_there() {
    let fixture = Fixture::new();
    let output = build(fixture.dir.path(), &fixture.dir.path().join("contnet"), &fixture.output(), &[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("contnet cannot be opened"), "{err}");
    assert!(err.contains("--content"), "{err}");
    assert!(!err.contains("there is no site.yaml"), "one missing folder is one error:\n{err}");
}

#[test]
fn a_site_yml_instead_of_site_yaml() {
    let fixture = Fixture::new();
    fixture.remove("site.yaml");
    fixture.write("site.yml", SITE);
    fails(&fixture, "site.yaml", None, &["there is no site.yaml"]);
}

// ---------------------------------------------------------------------------------------------
// Trust: nothing is silently ignored, accepted half-valid, or reported confusingly

/// Checks a successful build's warnings: each of `what` is in them.
fn warns(fixture: &Fixture, what: &[&str]) -> String {
    let err = builds(fixture);
    for needle in what {
        assert!(err.contains(needle), "the warnings lack {needle:?}:\n{err}");
    }
    err
}

#[test]
fn files_that_are_not_content_are_named_with_what_was_expected() {
    let fixture = Fixture::new();
    let text = statement("qs-13", 13, &["children-act-1989 s22"], &[]);
    fixture.write("statements/qs-13.MD", &text);
    fixture.write("statements/qs-14.markdown", &text);
    fixture.write("statements/qs-15.md.txt", &text);
    fixture.write("statement/qs-16.md", &text);
    fixture.write("statement/qs-17.md", &text);
    fixture.write("sites.yaml", SITE);
    fixture.write("pictures/help.png", "not an svg");
    let err = warns(
        &fixture,
        &[
            "warning[not-content]",
            "statements/qs-13.MD",
            "rename `qs-13.MD` to `qs-13.md`",
            "rename `qs-14.markdown` to `qs-14.md`",
            "rename `qs-15.md.txt` to `qs-15.md`",
            "`statement/` is not a content folder, so the 2 files in it are not read",
            "did you mean `statements`?",
            "did you mean `site.yaml`?",
            "pictures must end in `.svg`",
        ],
    );
    assert_eq!(err.matches("warning[not-content]").count(), 6, "one warning per file, one for the folder:\n{err}");
}

#[test]
fn hidden_files_editor_backups_and_readmes_are_left_alone() {
    let fixture = Fixture::new();
    let text = qs1();
    for rel in [
        "statements/qs-1.md~",
        "statements/#qs-1.md#",
        "statements/.qs-1.md.swp",
        "statements/qs-1.md.bak",
        "statements/4913",
        "README.md",
        "statements/README.md",
        ".git/config",
        "site.yaml.orig",
        "statements/qs-1.md.tmp",
    ] {
        fixture.write(rel, &text);
    }
    let err = builds(&fixture);
    assert!(!err.contains("not-content"), "{err}");
    assert!(!err.contains("duplicate"), "a backup was read as a statement:\n{err}");
}

#[test]
fn the_sample_publication_has_no_file_that_is_not_content() {
    let output = guidepress(&repo())
        .arg("check")
        .arg("--content")
        .arg(repo().join("content"))
        .arg("--theme")
        .arg(default_theme())
        .output()
        .unwrap();
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(!err.contains("not-content"), "{err}");
}

#[test]
fn a_nul_byte_in_a_markdown_body_is_an_error_at_its_place() {
    let fixture = Fixture::new();
    let text = edit(&fixture, "statements/qs-1.md", "Why statement 1 matters.", "Why statement\0 1 matters.");
    let err = fails(
        &fixture,
        "statements/qs-1.md",
        Some(line_of(&text, "\0")),
        &["invisible control character U+0000", "delete it"],
    );
    assert!(err.contains(&format!("qs-1.md:{}:14", line_of(&text, "\0"))), "the column is given:\n{err}");
}

#[test]
fn other_control_characters_in_any_text_file_are_errors() {
    for (n, (rel, from, to, code)) in [
        ("recommendations/rec-1.md", "Do the thing", "Do the\u{7}thing", "U+0007"),
        ("register.yaml", "The main law", "The\u{1b} main law", "U+001B"),
        ("site.yaml", "Fixture publication", "Fixture\u{7f} publication", "U+007F"),
    ]
    .into_iter()
    .enumerate()
    {
        let fixture = Fixture::new();
        let text = edit(&fixture, rel, from, to);
        let needle = to.chars().find(|c| c.is_control()).unwrap().to_string();
        let fails = if n == 0 { fails } else { fails_in_process };
        fails(&fixture, rel, Some(line_of(&text, &needle)), &[code]);
    }
}

#[test]
fn a_date_that_is_not_on_the_calendar() {
    for (n, (date, what)) in [
        ("2012-02-30", "February 2012 has 29 days"),
        ("2011-02-29", "February 2011 has 28 days"),
        ("2024-04-31", "April 2024 has 30 days"),
    ]
    .into_iter()
    .enumerate()
    {
        let fixture = Fixture::new();
        edit(&fixture, "site.yaml", "date: 2024-01-31", &format!("date: {date}"));
        let fails = if n == 0 { fails } else { fails_in_process };
        fails(&fixture, "site.yaml", Some(6), &[what, "YYYY-MM-DD"]);
    }
    let fixture = Fixture::new();
    edit(&fixture, "site.yaml", "date: 2024-01-31", "date: 2024-02-29");
    builds(&fixture);
}

#[test]
fn an_empty_required_text_is_an_error_naming_the_field() {
    let cases = [
        ("glossary.yaml", "term: social worker", "term: \"\"", "`term` is empty"),
        (
            "glossary.yaml",
            "definition: NHS mental health services for young people.",
            "definition: '   '",
            "`definition` is empty",
        ),
        ("statements/qs-1.md", "title: Statement number 1", "title:", "`title` is empty"),
        (
            "statements/qs-1.md",
            "      data_source: Local data collection.",
            "      data_source: \" \"",
            "`data_source` is empty",
        ),
        ("register.yaml", "summary: Old guidance.", "summary: ''", "`summary` is empty"),
        ("recommendations/rec-1.md", "who: [Social workers]", "who: [Social workers, \"\"]", "`who` is empty"),
        ("site.yaml", "publisher: Test publisher", "publisher: \"\"", "`publisher` is empty"),
    ];
    for (n, (rel, from, to, what)) in cases.into_iter().enumerate() {
        let fixture = Fixture::new();
        let text = edit(&fixture, rel, from, to);
        let fails = if n == 0 { fails } else { fails_in_process };
        fails(&fixture, rel, Some(line_of(&text, to.trim())), &[what, "cannot be left empty"]);
    }
}

#[test]
fn a_misspelt_print_paper_edition_suggests_the_closest() {
    let fixture = Fixture::new();
    let text = format!("{SITE}print_paper: {{pockt: a5}}\n");
    fixture.write("site.yaml", &text);
    fails(
        &fixture,
        "site.yaml",
        Some(line_of(&text, "print_paper")),
        &["`print_paper` names `pockt`", "did you mean `pocket`?"],
    );
}

#[test]
fn an_entry_superseded_by_itself() {
    let fixture = Fixture::new();
    let text = edit(&fixture, "register.yaml", "superseded_by: new-guidance-2015", "superseded_by: old-guidance-2009");
    fails(
        &fixture,
        "register.yaml",
        Some(line_of(&text, "superseded_by")),
        &["`old-guidance-2009` is superseded by itself", "break the loop"],
    );
}

#[test]
fn entries_superseded_in_a_loop() {
    let fixture = Fixture::new();
    let text = edit(
        &fixture,
        "register.yaml",
        "    status: in-force\n    url: https://www.gov.uk/government/publications/new",
        "    status: superseded\n    superseded_by: old-guidance-2009\n    url: https://www.gov.uk/government/publications/new",
    );
    let err = fails(
        &fixture,
        "register.yaml",
        Some(line_of(&text, "superseded_by")),
        &["superseded in a loop: `new-guidance-2015` → `old-guidance-2009` → `new-guidance-2015`"],
    );
    assert_eq!(err.matches("error[replacement-loop]").count(), 2, "each entry of the loop is named:\n{err}");
}

#[test]
fn a_publication_without_statements() {
    let fixture = Fixture::new();
    fixture.remove("statements/qs-1.md");
    fixture.remove("statements/qs-2.md");
    fails(&fixture, "statements/", None, &["there are no statements", "guidepress new statement"]);
}

#[test]
fn a_list_where_one_value_belongs_is_said_plainly() {
    let fixture = Fixture::new();
    edit(&fixture, "site.yaml", "version: \"1\"", "version: [1, 2]");
    let err =
        fails(&fixture, "site.yaml", Some(5), &["`version` must be a single value such as \"1\" or 2.1, not a list"]);
    assert!(!err.contains("untagged") && !err.contains("variant"), "{err}");
    let fixture = Fixture::new();
    edit(&fixture, "site.yaml", "date: 2024-01-31", "date: {year: 2024}");
    let err = fails(&fixture, "site.yaml", Some(6), &["`date` must be a single value", "not a group of fields"]);
    assert!(!err.contains("untagged"), "{err}");
}

/// Checks that the one cause is reported and nothing that follows from it.
fn only_the_cause(fixture: &Fixture, file: &str, what: &[&str]) {
    let err = fails(fixture, file, None, what);
    assert!(!err.contains("no statement with the id"), "a follow-on error was reported:\n{err}");
    assert_eq!(err.matches("error[").count(), 1, "one cause, one error:\n{err}");
}

#[test]
fn a_utf16_statement_is_the_only_error_reported() {
    let fixture = Fixture::new();
    let text = statement("qs-2", 2, &["children-act-1989 s22C"], &["qs-1"]);
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    fixture.write_bytes("statements/qs-2.md", &bytes);
    only_the_cause(&fixture, "statements/qs-2.md", &["not valid UTF-8", "save the file as UTF-8"]);
}

#[test]
fn an_oversized_statement_is_the_only_error_reported() {
    let fixture = Fixture::new();
    let text = statement("qs-2", 2, &["children-act-1989 s22C"], &["qs-1"]);
    let padding = "x".repeat(9 * 1024 * 1024);
    fixture.write("statements/qs-2.md", &format!("{text}{padding}\n"));
    only_the_cause(&fixture, "statements/qs-2.md", &["guidepress reads files of up to 8 MB"]);
}

#[test]
fn a_zero_width_space_in_a_citation_is_shown() {
    let fixture = Fixture::new();
    let text = edit(&fixture, "statements/qs-1.md", "  - children-act-1989 s22", "  - children-act\u{200B}-1989 s22");
    let err = fails(&fixture, "statements/qs-1.md", Some(line_of(&text, "\u{200B}")), &["children-act<U+200B>-1989"]);
    let message = err.lines().find(|l| l.starts_with("error[")).unwrap_or_default();
    assert!(!message.contains('\u{200B}'), "{message}");
}

#[test]
fn a_fence_with_trailing_spaces_opens_as_it_closes() {
    let fixture = Fixture::new();
    let text = qs1().replacen("---\n", "--- \t\n", 1).replace("\n---\n", "\n---  \n");
    fixture.write("statements/qs-1.md", &text);
    builds(&fixture);
}

#[test]
fn a_first_line_that_is_nearly_a_fence() {
    for (n, first) in ["----", " ---", "--- id: qs-1", "-- "].into_iter().enumerate() {
        let fixture = Fixture::new();
        fixture.write("statements/qs-1.md", &qs1().replacen("---\n", &format!("{first}\n"), 1));
        let fails = if n == 0 { fails } else { fails_in_process };
        fails(&fixture, "statements/qs-1.md", Some(1), &["is not a front-matter fence", "three hyphens"]);
    }
}

#[test]
fn thousands_of_problems_are_capped_with_a_count() {
    let fixture = Fixture::new();
    for i in 0..300 {
        fixture.write(&format!("statements/empty-{i:03}.md"), "");
    }
    let output = fixture.build(&[]);
    let err =
        check_error(&output, "statements/empty-000.md", None, &["... and 100 more errors not shown", "--format json"]);
    assert_eq!(err.matches("error[empty-file]").count(), 200, "{}", &err[err.len().saturating_sub(500)..]);
    let json = guidepress(fixture.dir.path())
        .arg("check")
        .arg("--content")
        .arg(fixture.content())
        .arg("--theme")
        .arg(default_theme())
        .arg("--format")
        .arg("json")
        .output()
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON on standard output");
    let empty = value["diagnostics"].as_array().map_or(0, |d| d.iter().filter(|d| d["code"] == "empty-file").count());
    assert_eq!(empty, 300, "JSON keeps them all");
}

#[test]
fn every_problem_of_one_file_is_reported_in_one_run() {
    // Two misspelt fields and a misspelt citation: before, only the first field was reported,
    // and the rest appeared one run at a time.
    let fixture = Fixture::new();
    let text = qs1()
        .replace("headline:", "headlin:")
        .replace("who_to_ask:", "who_to_aks:")
        .replace("  - children-act-1989 s22\n", "  - chidren-act-1989 s22\n");
    fixture.write("statements/qs-1.md", &text);
    let place = |needle: &str| format!("statements/qs-1.md:{}:", line_of(&text, needle));
    let err = fails(
        &fixture,
        "statements/qs-1.md",
        None,
        &["there is no field called `headlin`", "did you mean `headline`?"],
    );
    for (message, at) in [
        ("there is no field called `headlin`", "headlin:"),
        ("there is no field called `who_to_aks`", "who_to_aks:"),
        ("`chidren-act-1989` is not in the statutory register", "- chidren"),
    ] {
        assert!(err.contains(message), "the messages lack {message:?}:\n{err}");
        assert!(err.contains(&place(at)), "{message} is not placed at {at}:\n{err}");
    }
    assert!(err.contains("did you mean `children-act-1989`? Add the instrument"), "{err}");
    // The fields allowed are listed once, in the help, not in the message as well.
    assert_eq!(err.matches("who_to_ask, measures").count(), 2, "{err}");
    assert!(err.contains("found 3 errors"), "{err}");
}

#[test]
fn a_text_run_on_to_an_unindented_line_is_placed_at_that_line() {
    let fixture = Fixture::new();
    let text = qs1().replace("plain: Children in care get this.", "plain: Children in care get this,\nand more.");
    fixture.write("statements/qs-1.md", &text);
    fails(
        &fixture,
        "statements/qs-1.md",
        Some(line_of(&text, "and more.")),
        &[
            "this line is not a field (`name: value`), and it is not indented under the field above it",
            "if it goes on with the text of `plain` above, indent it",
        ],
    );
}

#[test]
fn a_citation_indented_under_the_one_above_says_so_at_its_line() {
    let fixture = Fixture::new();
    let text =
        qs1().replace("  - children-act-1989 s22\n", "  - children-act-1989 s22\n    - children-act-1989 s22C\n");
    fixture.write("statements/qs-1.md", &text);
    fails(
        &fixture,
        "statements/qs-1.md",
        Some(line_of(&text, "    - children-act-1989 s22C")),
        &[
            "this citation is indented more than `children-act-1989 s22` above it, so the two are read as one",
            "start each citation on its own line with `- `, at the same indentation as the others",
        ],
    );
}
