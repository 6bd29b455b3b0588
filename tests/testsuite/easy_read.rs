//! Easy Read rules and readability through the real binary.

use std::fs;

use crate::common::*;

#[test]
fn a_long_sentence_a_missing_picture_and_an_abbreviation_give_three_diagnostics_and_fail_strict() {
    let fixture = Fixture::new();
    let text = statement("qs-1", 1, &["children-act-1989 s22"], &[]).replace(
        "easy_read:\n  - picture: help\n    alt: A hand\n    text: |\n      Your social worker helps you.\n      You can ask for help.\n",
        "easy_read:\n  - picture: help\n    alt: A hand\n    text: |\n      You can ask your social worker to help you when you want to talk about how you feel about where you live.\n  - text: |\n      You can ask for help.\n  - picture: question\n    text: |\n      Ask your IRO.\n",
    );
    assert!(text.contains("Ask your IRO."), "the fixture replacement applied");
    fixture.write("statements/qs-1.md", &text);

    let check = fixture.check();
    let err = stderr(&check);
    assert!(check.status.success(), "rule breaks are warnings without --strict:\n{err}");
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning[")).collect();
    assert_eq!(warnings.len(), 3, "{err}");
    assert!(err.contains("warning[easy-read/sentence-length]: the sentence “You can ask your social worker to help you when you want …” has 22 words; easy read allows 15"), "{err}");
    assert!(err.contains("statements/qs-1.md:27:7"), "the long sentence's line:\n{err}");
    assert!(err.contains("warning[easy-read/picture]: this easy-read block has no picture"), "{err}");
    assert!(err.contains("statements/qs-1.md:29:"), "the block without a picture:\n{err}");
    assert!(err.contains("warning[easy-read/abbreviation]: the sentence “Ask your IRO.” uses the abbreviation `IRO`, which the glossary does not explain"), "{err}");
    assert!(err.contains("statements/qs-1.md:32:"), "the abbreviation's line:\n{err}");

    let strict = fixture.build(&["--strict"]);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
    assert!(stderr(&strict).contains("warnings count as errors"), "{}", stderr(&strict));
    assert!(!fixture.output().exists());

    let lenient = fixture.build(&[]);
    assert!(lenient.status.success(), "{}", stderr(&lenient));
    let page = fs::read_to_string(fixture.output().join("easy-read/statements/qs-1.html")).unwrap();
    assert_eq!(page.matches("class=er-block>").count(), 3, "3 blocks: {page}");
    assert_eq!(page.matches("class=\"er-block er-law\"").count(), 1, "1 law block, named: {page}");
    assert!(page.contains("<h3 class=er-law-name>Children Act 1989</h3>"), "{page}");
}

#[test]
fn glossary_abbreviations_are_allowed_and_shown_in_bold_with_their_explanation() {
    let fixture = Fixture::new();
    let text = statement("qs-1", 1, &["children-act-1989 s22"], &[])
        .replace("      You can ask for help.\n", "      People from CAMHS can help.\n");
    fixture.write("statements/qs-1.md", &text);
    let output = fixture.build(&["--strict"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let page = fs::read_to_string(fixture.output().join("easy-read/statements/qs-1.html")).unwrap();
    assert!(page.contains("<strong>CAMHS</strong>"), "{page}");
    assert!(page.contains("People who help with feelings."), "the easy-read explanation sits beside the block");
    assert!(page.contains("<strong>social worker</strong>"), "{page}");
}

#[test]
fn the_sample_builds_in_strict_mode_and_reports_readability_for_each_edition() {
    // The shared build is `build --strict`, and it asserts that the build succeeded.
    let sample = crate::shared::sample();
    let output = &sample.run;
    assert!(output.status.success(), "the sample must pass strict mode:\n{}", stderr(output));
    let summary = stdout(output);
    for edition in ["commissioner", "carer", "easy-read", "pocket"] {
        assert!(summary.contains(&format!("readability {edition}: ")), "{summary}");
    }
    let report = fs::read_to_string(sample.out.join("reports/readability.html")).unwrap();
    for name in ["Commissioner and provider edition", "Easy read for young people", "Pocket handbook"] {
        assert!(report.contains(name), "{name} missing from the report");
    }
    assert!(report.contains("Reading ease") && report.contains("Grade") && report.contains("Longest sentence"));
    let landing = fs::read_to_string(sample.out.join("index.html")).unwrap();
    assert!(!landing.contains("reports/"), "reports are not linked from the editions");
    assert!(sample.out.join("reports/coverage.html").is_file());
    // The sample's own texts keep within every edition's limits.
    for edition in ["commissioner", "carer", "easy-read", "pocket"] {
        let line = summary.lines().find(|l| l.contains(&format!("readability {edition}: "))).unwrap();
        assert!(line.contains(" 0 of "), "{edition} has pages over a limit:\n{summary}");
    }
}

#[test]
fn readability_measures_the_reader_s_text_and_says_where_a_long_sentence_was_written() {
    let fixture = Fixture::new();
    let long = "Carers should keep a careful written record of every appointment, every change of medicine and every worry about the child, and share it with the social worker.";
    let text = statement("qs-1", 1, &["children-act-1989 s22"], &[])
        .replace("  carers: Help with it.\n", &format!("  carers: >-\n    Help with it.\n    {long}\n"));
    fixture.write("statements/qs-1.md", &text);
    let line = line_of(&text, "Carers should keep");
    let output = fixture.build(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let summary = stdout(&output);
    let carer = summary.lines().skip_while(|l| !l.contains("readability carer: ")).take(2).collect::<Vec<_>>();
    assert!(carer[0].contains("longest 27,"), "{summary}");
    assert!(
        carer[1].contains("carer/statements/qs-1.html: a sentence of 27 words (limit 25) at ")
            && carer[1].contains(&format!("statements/qs-1.md:{line}: “Carers should keep")),
        "{summary}"
    );
    // The statement's exact wording is quoted text: the commissioner page counts it apart.
    let report = fs::read_to_string(fixture.output().join("reports/readability.html")).unwrap();
    assert!(report.contains("Quoted words"), "{report}");
    // Navigation, headings and the footer are not the reader's text: the commissioner edition's
    // longest sentence is its glossary's longest definition, of 15 words.
    let commissioner = summary.lines().find(|l| l.contains("readability commissioner: ")).unwrap();
    assert!(commissioner.contains("longest 15,"), "{commissioner}");
}

#[test]
fn an_easy_read_law_text_that_does_not_name_its_law_is_warned_at_its_line() {
    let fixture = Fixture::new();
    let register = REGISTER.replace(
        "easy_read: The Children Act 1989 is a law. It says how councils look after children in care.",
        "easy_read: This is the law that says how councils look after children in care.",
    );
    fixture.write("register.yaml", &register);
    let err = stderr(&fixture.check());
    assert!(
        err.contains("warning[easy-read/law-name]: the easy-read text of `children-act-1989` does not say its name"),
        "{err}"
    );
    assert!(
        err.contains(&format!("content/register.yaml:{}:", line_of(&register, "easy_read: This is the law"))),
        "{err}"
    );
    assert!(err.contains("start with \"Children Act 1989 is a law.\""), "{err}");

    // A name of its own, in young people's words, is what the text must say, and what the
    // easy-read pages call it.
    let named = register.replace(
        "easy_read: This is the law that says how councils look after children in care.",
        "easy_read: The Children Law is how councils must care for you.\n    easy_read_name: The Children Law",
    );
    fixture.write("register.yaml", &named);
    let err = stderr(&fixture.check());
    assert!(!err.contains("law-name"), "{err}");
    assert!(fixture.build(&[]).status.success());
    let page = fs::read_to_string(fixture.output().join("easy-read/statements/qs-1.html")).unwrap();
    assert!(page.contains("<h3 class=er-law-name>The Children Law</h3>"), "{page}");
    assert!(page.contains(">Read about the Children Law</a>"), "{page}");
    let law = fs::read_to_string(fixture.output().join("easy-read/law/children-act-1989.html")).unwrap();
    assert!(law.contains("<h1>The Children Law</h1>"), "{law}");
}

#[test]
fn an_edition_s_own_title_phase_banner_and_licence_come_from_site_yaml() {
    let fixture = Fixture::new();
    fixture.write(
        "site.yaml",
        &format!("{SITE}edition_titles:\n  easy-read: Your fixture\nphase: Draft\nphase_text: Not final.\nlicence: Licence line\nlicence_url: https://example.org/licence\n"),
    );
    let output = fixture.build(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let page = fs::read_to_string(fixture.output().join("easy-read/statements/qs-1.html")).unwrap();
    assert!(
        page.contains("<title>Part 1: Your help number 1 – Easy read for young people – Your fixture</title>"),
        "{page}"
    );
    assert!(
        page.contains("<strong class=phase-tag>Draft</strong> This is a draft. It may change."),
        "the easy read's own words: {page}"
    );
    assert!(!page.contains("Read this in another version"), "no adult chrome above the title: {page}");
    assert!(page.contains("<a href=https://example.org/licence>Licence line</a>"), "{page}");
    let adult = fs::read_to_string(fixture.output().join("carer/statements/qs-1.html")).unwrap();
    assert!(adult.contains("– Fixture</title>") && adult.contains("Draft</strong> Not final."), "{adult}");

    fixture.write("site.yaml", &format!("{SITE}edition_titles:\n  easy-reed: Your fixture\n"));
    let err = stderr(&fixture.check());
    assert!(err.contains("error[unknown-edition]: `edition_titles` names `easy-reed`"), "{err}");
    assert!(err.contains("did you mean `easy-read`?"), "{err}");

    // The footer links to the licence as written: only a web address will do.
    fixture.write("site.yaml", &format!("{SITE}licence: Licence line\nlicence_url: javascript:alert(1)\n"));
    let err = stderr(&fixture.check());
    assert!(err.contains("error[bad-url]: `licence_url` is not a web address: `javascript:alert(1)`"), "{err}");
}

#[test]
fn a_glossary_sentence_is_placed_at_its_own_line_and_known_abbreviations_are_not_emphasis() {
    // Before, a sentence on the third line of a folded glossary text was underlined at the
    // text's first line, and "UK" was called capitals for emphasis.
    let fixture = Fixture::new();
    let glossary = GLOSSARY.replace(
        "    easy_read: A person from the council who helps you.\n",
        "    easy_read: >-\n      A person from the council who helps you.\n      They work in the UK.\n      They keep you SAFE.\n",
    );
    assert_ne!(glossary, GLOSSARY, "the fixture replacement applied");
    fixture.write("glossary.yaml", &glossary);
    let check = fixture.check();
    let err = stderr(&check);
    let emphasis: Vec<&str> = err.lines().filter(|l| l.starts_with("warning[easy-read/emphasis]")).collect();
    assert_eq!(emphasis.len(), 1, "{err}");
    assert!(emphasis[0].contains("SAFE"), "{err}");
    let place = format!("glossary.yaml:{}:", line_of(&glossary, "They keep you SAFE."));
    assert!(err.contains(&place), "the sentence is not placed at {place}:\n{err}");
}

#[test]
fn the_easy_read_title_is_shown_in_the_easy_read_edition_and_checked_like_its_text() {
    let fixture = Fixture::new();
    let text = statement("qs-1", 1, &["children-act-1989 s22"], &["qs-2"])
        .replace("easy_read_title: Your help number 1", "easy_read_title: Getting HELP when you need it");
    fixture.write("statements/qs-1.md", &text);
    // Without one, the easy-read edition falls back to the title, and check says so.
    let second = statement("qs-2", 2, &["children-act-1989 s22C"], &["qs-1"])
        .replace("easy_read_title: Your help number 2\n", "");
    fixture.write("statements/qs-2.md", &second);
    let output = fixture.build(&[]);
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(err.contains("warning[easy-read/emphasis]"), "{err}");
    assert!(err.contains(&format!("statements/qs-1.md:{}:", line_of(&text, "HELP"))), "{err}");
    assert!(err.contains("warning[easy-read/title]: this statement has no easy-read title"), "{err}");
    assert!(err.contains("until then the easy-read edition shows \"Statement number 2\""), "{err}");
    let contents = fs::read_to_string(fixture.output().join("easy-read/index.html")).unwrap();
    assert!(contents.contains("Part 1: Getting HELP when you need it"), "{contents}");
    assert!(contents.contains("Part 2: Statement number 2"), "{contents}");
    // The other editions keep the statement's own title.
    let carer = fs::read_to_string(fixture.output().join("carer/index.html")).unwrap();
    assert!(carer.contains("Statement number 1") && !carer.contains("Getting HELP"), "{carer}");
}
