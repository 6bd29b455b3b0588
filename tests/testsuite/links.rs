//! Links between parts of the publication written in a text by id (`[statement 2](qs-2)`), and
//! footnotes: resolved from every page a text is shown on, and reported at the content line.

use crate::common::{self, line_of, stderr, Fixture};

/// The `href` of the first link whose text is `text`, quoted or not (the minifier drops quotes).
fn href_of(html: &str, text: &str) -> String {
    let end = html.find(&format!(">{text}</a>")).unwrap_or_else(|| panic!("no link `{text}` in the page"));
    let start = html[..end].rfind("<a ").expect("the link's start tag");
    let tag = &html[start..end];
    let Some(at) = tag.find("href=") else {
        return String::new();
    };
    let value = &tag[at + 5..];
    match value.strip_prefix('"') {
        Some(quoted) => quoted.split('"').next().unwrap_or_default().to_string(),
        None => value.split([' ', '>']).next().unwrap_or_default().to_string(),
    }
}

fn read(fixture: &Fixture, rel: &str) -> String {
    std::fs::read_to_string(fixture.output().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn fixture_with_links() -> Fixture {
    let fixture = Fixture::new();
    let text = common::statement("qs-1", 1, &["children-act-1989 s22"], &["qs-2"])
        .replace(
            "  carers: Help with it.",
            "  carers: Help with it, as [statement 2](qs-2), [the recommendation](rec-1) and [the Act](children-act-1989) say.",
        )
        .replace("  commissioners: Commission it.", "  commissioners: Commission it, as [the recommendation](rec-1) says.")
        .replace("Why statement 1 matters.", "Why statement 1 matters[^why], beside [statement 2](qs-2).\n\n[^why]: The reason, in short.");
    fixture.write("statements/qs-1.md", &text);
    let second = common::statement("qs-2", 2, &["children-act-1989 s22C", "new-guidance-2015"], &["qs-1"])
        .replace("Why statement 2 matters.", "Why statement 2 matters[^why].\n\n[^why]: Another reason.");
    fixture.write("statements/qs-2.md", &second);
    fixture
}

#[test]
fn a_link_by_id_leads_to_the_statement_recommendation_or_law_from_every_page() {
    let fixture = fixture_with_links();
    let output = common::build(fixture.dir.path(), &fixture.content(), &fixture.output(), &[]);
    assert!(output.status.success(), "{}", stderr(&output));

    let carer = read(&fixture, "carer/statements/qs-1.html");
    assert_eq!(href_of(&carer, "statement 2"), "../../carer/statements/qs-2.html");
    // The carer edition has no recommendation pages: the link leads where its
    // `recommendations_in` says.
    assert_eq!(href_of(&carer, "the recommendation"), "../../commissioner/recommendations/rec-1.html");
    assert_eq!(href_of(&carer, "the Act"), "../../carer/law/children-act-1989.html");

    // On the print page the statement is further down the same page.
    let print = read(&fixture, "carer/print.html");
    assert_eq!(href_of(&print, "statement 2"), "#qs-2");
    assert!(print.replace('"', "").contains("id=qs-2>"), "the print page has no statement qs-2 to link to");
    assert_eq!(href_of(&print, "the Act"), "../carer/law/children-act-1989.html");

    let commissioner = read(&fixture, "commissioner/statements/qs-1.html");
    assert_eq!(href_of(&commissioner, "the recommendation"), "../../commissioner/recommendations/rec-1.html");
    assert_eq!(href_of(&commissioner, "statement 2"), "../../commissioner/statements/qs-2.html");
    assert!(!commissioner.contains("guidepress:"), "an unresolved link is left in the page");
}

#[test]
fn footnotes_are_numbered_at_the_end_of_their_text_with_links_both_ways() {
    let fixture = fixture_with_links();
    let output = common::build(fixture.dir.path(), &fixture.content(), &fixture.output(), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    // Attribute quotes as the minifier leaves them or not.
    let page = read(&fixture, "commissioner/statements/qs-1.html").replace('"', "");
    assert!(!page.contains("[^why]"), "the footnote is printed as text");
    let note = "fn-statements-qs-1-body-1";
    assert!(page.contains(&format!("<a href=#{note} id=fnref-statements-qs-1-body-1>")), "{page}");
    assert!(
        page.contains(&format!(
            "<li id={note}><p>The reason, in short. <a class=footnote-back href=#fnref-statements-qs-1-body-1>"
        )),
        "{page}"
    );
    // The note follows the text it belongs to, not the end of the page.
    assert!(page.find(note).is_some_and(|at| at < page.find("beside").unwrap_or(0) + 2000));
    // Two statements' notes on one print page keep their own ids (the build's link check
    // would also fail on a link to a missing id).
    let print = read(&fixture, "commissioner/print.html").replace('"', "");
    assert!(print.contains("id=fn-statements-qs-1-body-1>") && print.contains("id=fn-statements-qs-2-body-1>"));
}

#[test]
fn an_unknown_id_or_a_file_address_is_reported_at_the_content_line() {
    let fixture = Fixture::new();
    let text = common::statement("qs-1", 1, &["children-act-1989 s22"], &["qs-2"])
        .replace(
            "Why statement 1 matters.",
            "Why statement 1 matters.\n\nSee [the next](qs-22).\n\nAnd [the other](qs-2.html).\n\nA mark[^gone] with no note.",
        );
    fixture.write("statements/qs-1.md", &text);
    let output = common::build(fixture.dir.path(), &fixture.content(), &fixture.output(), &[]);
    assert!(!output.status.success());
    let errors = stderr(&output);
    let place = |needle: &str| format!("statements/qs-1.md:{}:", line_of(&text, needle));
    assert!(errors.contains("error[unknown-link]: the link `qs-22` is not the id"), "{errors}");
    assert!(errors.contains(&place("See [the next]")), "{errors}");
    assert!(errors.contains("did you mean `qs-2`?"), "{errors}");
    assert!(errors.contains("error[file-link]: the link `qs-2.html` is a file address"), "{errors}");
    assert!(errors.contains(&place("And [the other]")), "{errors}");
    assert!(
        errors.contains("link by id instead, which works on every page and in every edition: `(qs-2)`"),
        "{errors}"
    );
    assert!(errors.contains("error[unknown-footnote]: the footnote `[^gone]` has no note"), "{errors}");
    assert!(errors.contains(&place("A mark[^gone]")), "{errors}");
    assert!(!fixture.output().exists(), "a failed build wrote output");
}
