//! Editions are data: a theme's edition files alone decide which editions exist and what each
//! does, with no rule in Rust that names one (issue 15's bugs, each reproduced here).

use std::fs;
use std::path::Path;

use crate::common::{self, build_with_theme, copy_default_theme, line_of, stderr, Fixture};

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{from:?} is not in {}", path.display());
    fs::write(path, text.replacen(from, to, 1)).expect("write");
}

/// The error codes in a run's output, in order.
fn codes(output: &std::process::Output) -> Vec<String> {
    stderr(output)
        .lines()
        .filter_map(|l| l.strip_prefix("error[").or_else(|| l.strip_prefix("warning[")))
        .filter_map(|l| l.split(']').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn a_theme_without_a_commissioner_edition_builds() {
    // Before: a register entry without `audiences` was given ["commissioner"] in Rust, so a
    // carer-only theme failed with an unknown-edition error per such entry.
    let fixture = Fixture::new();
    let theme = copy_default_theme(fixture.dir.path());
    for gone in ["commissioner", "easy-read", "pocket"] {
        fs::remove_file(theme.join(format!("editions/{gone}.yaml"))).expect("remove an edition");
    }
    let carer = theme.join("editions/carer.yaml");
    edit(&carer, "full_version: commissioner\n", "");
    edit(&carer, "recommendations_in: commissioner\n", "");
    edit(
        &fixture.content().join("site.yaml"),
        "editions: [commissioner, carer, easy-read, pocket]",
        "editions: [carer]",
    );
    edit(&fixture.content().join("register.yaml"), "    audiences: [commissioner, carer]\n", "");

    let output = build_with_theme(&fixture, &theme);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(codes(&output), Vec::<String>::new());
    let built: Vec<String> = fs::read_dir(fixture.output())
        .expect("output")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(built.contains(&"carer".to_string()) && !built.contains(&"commissioner".to_string()), "{built:?}");
    // With no edition marked `register_default`, an entry without `audiences` is not listed
    // among the rules for carers, but still has its law page.
    let law = fs::read_to_string(fixture.output().join("carer/law/children-act-1989.html")).expect("law page");
    assert!(law.contains("Children Act 1989"));
}

#[test]
fn a_fifth_edition_is_one_yaml_file() {
    let fixture = Fixture::new();
    let theme = copy_default_theme(fixture.dir.path());
    fs::write(
        theme.join("editions/kinship.yaml"),
        "id: kinship\nname: Kinship carers' edition\naudience: For family and friends who care for a child\n\
         description: Each statement in plain words, for kinship carers.\norder: 5\nstatement_text: plain\n\
         audiences:\n  - key: carers\n    heading: What this means for you\nwho_to_ask: true\nlaw: audience\n\
         glossary: definition\nfull_version: commissioner\n",
    )
    .expect("write the edition");
    edit(
        &fixture.content().join("site.yaml"),
        "editions: [commissioner, carer, easy-read, pocket]",
        "editions: [commissioner, carer, easy-read, pocket, kinship]",
    );
    let output = build_with_theme(&fixture, &theme);
    assert!(output.status.success(), "{}", stderr(&output));
    let page = fs::read_to_string(fixture.output().join("kinship/statements/qs-1.html")).expect("a kinship page");
    assert!(page.contains("What this means for you"), "the edition's own heading is on its page");
    assert!(page.contains("Help with it."), "and the carers' text under it");
    assert!(
        page.contains(
            "../../commissioner/statements/qs-1.html>Read statement 1 in full in the Commissioner and provider edition"
        ),
        "it links to the full version it names"
    );
    let landing = fs::read_to_string(fixture.output().join("index.html")).expect("landing page");
    assert!(landing.contains("Kinship carers&#x27; edition") || landing.contains("Kinship carers' edition"));
}

#[test]
fn a_misspelt_audience_key_is_an_error_at_its_line() {
    // Before: `key: carer` (for `carers`) built without a word and dropped the section from
    // every carer page.
    let fixture = Fixture::new();
    let theme = copy_default_theme(fixture.dir.path());
    let carer = theme.join("editions/carer.yaml");
    edit(&carer, "  - key: carers\n", "  - key: carer\n");
    let text = fs::read_to_string(&carer).expect("read");
    let output = build_with_theme(&fixture, &theme);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    // One error, not one more per register entry that names the edition whose file is broken.
    assert_eq!(codes(&output), vec!["yaml"], "{err}");
    assert!(err.contains(&format!("editions/carer.yaml:{}:", line_of(&text, "key: carer"))), "{err}");
    assert!(err.contains("did you mean `carers`?"), "{err}");
}

#[test]
fn an_edition_that_names_a_missing_edition_is_an_error() {
    let fixture = Fixture::new();
    let theme = copy_default_theme(fixture.dir.path());
    let pocket = theme.join("editions/pocket.yaml");
    edit(&pocket, "full_version: commissioner\n", "full_version: comissioner\n");
    edit(&pocket, "recommendations_in: commissioner\n", "recommendations_in: carer\n");
    let text = fs::read_to_string(&pocket).expect("read");
    let output = build_with_theme(&fixture, &theme);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert_eq!(codes(&output), vec!["unknown-edition", "edition-link"], "{err}");
    assert!(err.contains(&format!("editions/pocket.yaml:{}:", line_of(&text, "full_version:"))), "{err}");
    assert!(err.contains("did you mean `commissioner`?"), "{err}");
    assert!(err.contains("`recommendations_in` names `carer`, which has no such pages"), "{err}");
}

#[test]
fn the_headline_limit_belongs_to_the_edition_that_sets_it() {
    let long = "Children in care get a health assessment from a named doctor who knows them and their plan and who writes it down and shares it with them in a way that they understand.";
    let words = long.split_whitespace().count();
    assert!(words > 25);
    // With the pocket edition's 25 words: an error that names the edition and its limit.
    let fixture = Fixture::new();
    let file = fixture.content().join("statements/qs-1.md");
    edit(&file, "headline: Children in care get statement 1.", &format!("headline: {long}"));
    let theme = copy_default_theme(fixture.dir.path());
    let output = build_with_theme(&fixture, &theme);
    let err = stderr(&output);
    assert_eq!(codes(&output), vec!["headline-too-long"], "{err}");
    assert!(err.contains(&format!("the headline has {words} words; the pocket handbook allows 25")), "{err}");

    // A theme whose editions set no limit (no pocket handbook) takes the headline as it is.
    edit(&theme.join("editions/pocket.yaml"), "headline_words: 25\n", "");
    let output = build_with_theme(&fixture, &theme);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn every_easy_read_edition_s_rules_hold() {
    // Before: only the first easy-read edition's rules were used. A second one with a tighter
    // block limit now applies too.
    let fixture = Fixture::new();
    let theme = copy_default_theme(fixture.dir.path());
    let easy = fs::read_to_string(theme.join("editions/easy-read.yaml")).expect("read");
    let second = easy
        .replace("id: easy-read", "id: easy-read-short")
        .replace("block_sentences: 4", "block_sentences: 1")
        .replace("order: 3", "order: 6");
    fs::write(theme.join("editions/easy-read-short.yaml"), second).expect("write");
    let file = fixture.content().join("statements/qs-1.md");
    let text = fs::read_to_string(&file).expect("read");
    let block = text.lines().find(|l| l.trim_start().starts_with("- text:")).expect("an easy-read block").to_string();
    edit(&file, &block, &format!("{block} You can ask us."));
    let output = build_with_theme(&fixture, &theme);
    let err = stderr(&output);
    assert!(codes(&output).contains(&"easy-read/block-length".to_string()), "{err}");
    assert!(err.contains("easy read allows 1 in a block"), "{err}");
}

#[test]
fn page_words_are_theme_data() {
    // Before: the words were English in Rust and in `edition.law == "plain"` tests in the
    // templates, and the easy-read page titles said "Statement 3" and "Glossary" above a page
    // headed "Part 3" and "Word list".
    let fixture = Fixture::new();
    let output = build_with_theme(&fixture, &common::default_theme());
    assert!(output.status.success(), "{}", stderr(&output));
    let page = fs::read_to_string(fixture.output().join("easy-read/statements/qs-1.html")).expect("page");
    // The easy-read title, in young people's words (issue 17).
    assert!(page.contains("<title>Part 1: Your help number 1 – "), "{}", &page[..400.min(page.len())]);
    let glossary = fs::read_to_string(fixture.output().join("easy-read/glossary.html")).expect("page");
    assert!(glossary.contains("<title>Word list – ") && glossary.contains("<h1>Word list</h1>"));
    let carer = fs::read_to_string(fixture.output().join("carer/statements/qs-1.html")).expect("page");
    assert!(carer.contains("The rules that apply") && carer.contains("matter most to carers"));
    let commissioner = fs::read_to_string(fixture.output().join("commissioner/statements/qs-1.html")).expect("page");
    assert!(
        commissioner.contains("The law and guidance behind this") && !commissioner.contains("matter most to carers")
    );

    // A theme can reword an edition by data alone, and a misspelt name is caught.
    let theme = copy_default_theme(fixture.dir.path());
    let pocket = theme.join("editions/pocket.yaml");
    fs::write(&pocket, fs::read_to_string(&pocket).expect("read") + "strings:\n  nav_serch: Find\n").expect("write");
    let output = build_with_theme(&fixture, &theme);
    let err = stderr(&output);
    assert_eq!(codes(&output), vec!["yaml"], "{err}");
    assert!(err.contains("did you mean `nav_search`?"), "{err}");
    edit(&pocket, "nav_serch: Find", "nav_search: Find");
    let output = build_with_theme(&fixture, &theme);
    assert!(output.status.success(), "{}", stderr(&output));
    let page = fs::read_to_string(fixture.output().join("pocket/statements/qs-1.html")).expect("page");
    assert!(page.contains(">Find</a>"));

    // Every string must be given somewhere.
    let strings = theme.join("strings.yaml");
    edit(&strings, "nav_search: Search\n", "");
    let output = build_with_theme(&fixture, &theme);
    let err = stderr(&output);
    assert_eq!(codes(&output), vec!["missing-strings"; 3], "{err}");
    assert!(err.contains("the commissioner edition has no words for `nav_search`"), "{err}");
}

#[test]
fn an_edition_chooses_its_optional_pages() {
    // Before: every edition got the same page set.
    let fixture = Fixture::new();
    let theme = copy_default_theme(fixture.dir.path());
    let pocket = theme.join("editions/pocket.yaml");
    fs::write(&pocket, fs::read_to_string(&pocket).expect("read") + "pages:\n  search: false\n  glossary: false\n")
        .expect("write");
    let output = build_with_theme(&fixture, &theme);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = fixture.output();
    for gone in ["pocket/search.html", "pocket/search-index.js", "pocket/glossary.html"] {
        assert!(!out.join(gone).exists(), "{gone} is still written");
    }
    assert!(out.join("pocket/print.html").exists() && out.join("carer/search.html").exists());
    let page = fs::read_to_string(out.join("pocket/statements/qs-1.html")).expect("page");
    assert!(!page.contains("search.html") && !page.contains("glossary.html"), "the navigation leaves them out");
    // The other editions' pages no longer offer the pocket glossary as an alternate.
    let carer = fs::read_to_string(out.join("carer/glossary.html")).expect("page");
    assert!(!carer.contains("pocket/glossary.html"));

    edit(&pocket, "  search: false\n", "  serch: false\n");
    let output = build_with_theme(&fixture, &theme);
    assert!(stderr(&output).contains("did you mean `search`?"), "{}", stderr(&output));
}

#[test]
fn an_unknown_audience_in_the_register_is_pointed_at_in_its_list() {
    // Before: the place was found by searching for the word after the entry's id, which can land
    // in the summary ("... what carers must do") instead of in `audiences`.
    let fixture = Fixture::new();
    let register = fixture.content().join("register.yaml");
    edit(
        &register,
        "    summary: The main law about children in care.\n",
        "    summary: The main law for carers and councils.\n",
    );
    edit(&register, "    audiences: [commissioner, carer]\n", "    audiences: [commissioner, carers]\n");
    let text = fs::read_to_string(&register).expect("read");
    let output = common::build(fixture.dir.path(), &fixture.content(), &fixture.output(), &[]);
    let err = stderr(&output);
    assert_eq!(codes(&output), vec!["unknown-edition"], "{err}");
    assert!(err.contains(&format!("register.yaml:{}:", line_of(&text, "audiences: [commissioner, carers]"))), "{err}");
    assert!(err.contains("did you mean `carer`?"), "{err}");
}
