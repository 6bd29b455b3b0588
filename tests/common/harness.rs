//! One fuzz input through the content loader, in memory: front matter split, YAML, the model
//! (ids, citations, cross-references) and Markdown rendering, then the diagnostics printed as a
//! person would see them. Shared by the property test (`tests/testsuite/fuzz_loader.rs`) and the cargo-fuzz
//! target (`fuzz/`), which includes this folder by path.
//!
//! It panics (the fuzzers' signal) when an invariant breaks:
//! - a diagnostic about content does not name a file, or points outside its file's text;
//! - printing the diagnostics fails;
//! - with raw HTML not allowed, rendered Markdown holds anything executable.

use std::borrow::Cow;
use std::collections::BTreeSet;

use codespan_reporting::term::termcolor::NoColor;
use guidepress::diagnostics::Diagnostics;
use guidepress::load;
use guidepress::model::{self, ThemeFacts};
use guidepress::source::RawFile;

use super::safety::executable_content;

/// The slots a fuzz input can fill: a content file that replaces (or joins) the fixture's files,
/// or Markdown or a citation on their own.
pub const SLOTS: [&str; 8] = [
    "site.yaml",
    "register.yaml",
    "glossary.yaml",
    "statements/qs-1.md",
    "recommendations/rec-1.md",
    "statements/qs-9.md",
    "(markdown)",
    "(citation)",
];

/// The fixture's valid text for a slot: the seed that mutations start from.
pub fn seed(slot: usize) -> String {
    match slot % SLOTS.len() {
        0 => super::SITE.to_string(),
        1 => super::REGISTER.to_string(),
        2 => super::GLOSSARY.to_string(),
        3 => super::statement("qs-1", 1, &["children-act-1989 s22"], &["qs-2"]),
        4 => super::RECOMMENDATION.to_string(),
        5 => super::statement("qs-9", 9, &["children-act-1989 s22C", "old-guidance-2009"], &["qs-1", "qs-2"]),
        6 => "# Heading\n\nSome *text* with [a link](https://example.org) and `code`.\n\n- a list\n- [x](../law/x.html)\n".to_string(),
        _ => "children-act-1989 s22C".to_string(),
    }
}

/// What happened to one input.
#[derive(Debug, Default, Clone, Copy)]
pub struct Outcome {
    /// Errors reported.
    pub errors: usize,
    /// Whether the publication resolved with no errors (the input was valid content).
    pub clean: bool,
}

/// The fixture publication with `bytes` in `slot`.
fn files(slot: usize, bytes: &[u8]) -> Vec<RawFile> {
    let mut files: Vec<RawFile> = vec![
        ("site.yaml", super::SITE.to_string()),
        ("register.yaml", super::REGISTER.to_string()),
        ("glossary.yaml", super::GLOSSARY.to_string()),
        ("statements/qs-1.md", seed(3)),
        (
            "statements/qs-2.md",
            super::statement("qs-2", 2, &["children-act-1989 s22C", "new-guidance-2015"], &["qs-1"]),
        ),
        ("recommendations/rec-1.md", super::RECOMMENDATION.to_string()),
    ]
    .into_iter()
    .filter(|(rel, _)| *rel != SLOTS[slot])
    .map(|(rel, text)| RawFile { rel: rel.to_string(), bytes: Cow::Owned(text.into_bytes()) })
    .collect();
    files.push(RawFile { rel: SLOTS[slot].to_string(), bytes: Cow::Owned(bytes.to_vec()) });
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    files
}

/// Runs one input. `slot` is taken modulo the number of slots.
pub fn check(slot: usize, bytes: &[u8]) -> Outcome {
    let slot = slot % SLOTS.len();
    let text = String::from_utf8_lossy(bytes);
    match SLOTS[slot] {
        "(markdown)" => {
            for allow_raw_html in [false, true] {
                let rendered = guidepress::text::markdown::render(
                    &text,
                    guidepress::text::markdown::MarkdownOptions { allow_raw_html, heading_offset: 2 },
                    "fuzz",
                );
                if !allow_raw_html {
                    let found = executable_content(&rendered.html);
                    assert!(
                        found.is_empty(),
                        "Markdown rendered something executable: {found:?}\ninput: {text:?}\nhtml: {}",
                        rendered.html
                    );
                }
            }
            return Outcome::default();
        }
        "(citation)" => {
            if let Ok(citation) = guidepress::model::citation::parse(&text) {
                assert!(guidepress::model::citation::is_valid_id(&citation.instrument), "{citation:?}");
                assert_eq!(
                    guidepress::model::citation::parse(&citation.to_string()),
                    Ok(citation.clone()),
                    "a citation does not survive printing"
                );
            }
            let suggested = guidepress::model::citation::suggest_id(&text);
            assert!(
                guidepress::model::citation::is_valid_id(&suggested),
                "suggest_id({text:?}) gave the invalid id {suggested:?}"
            );
            return Outcome::default();
        }
        _ => {}
    }

    let mut diagnostics = Diagnostics::new();
    let loaded = load::load_files(&files(slot, bytes), "content", &mut diagnostics);
    let sources = loaded.sources.clone();
    let theme = ThemeFacts {
        pictures: ["help", "question", "health-records"]
            .into_iter()
            .map(|n| (n.to_string(), format!("A {n} picture")))
            .collect(),
        editions: ["commissioner", "carer", "easy-read", "pocket"].into_iter().map(String::from).collect(),
        ..ThemeFacts::default()
    };
    let corpus = model::resolve(loaded, &theme, &mut diagnostics);

    for diagnostic in diagnostics.sorted() {
        let Some(file) = &diagnostic.file else {
            panic!("a diagnostic names no file: {diagnostic:?}\ninput in {}: {text:?}", SLOTS[slot]);
        };
        if let (Some(span), Some(source)) = (&diagnostic.span, sources.get(file)) {
            assert!(
                span.start <= span.end && span.end <= source.len(),
                "a diagnostic points outside {file} ({} bytes): {diagnostic:?}\ninput: {text:?}",
                source.len()
            );
        }
        assert!(!diagnostic.message.trim().is_empty(), "a diagnostic says nothing: {diagnostic:?}");
    }
    let mut printed = NoColor::new(Vec::new());
    diagnostics
        .emit(&sources, &mut printed)
        .unwrap_or_else(|error| panic!("printing the diagnostics failed: {error}\ninput: {text:?}"));

    let (errors, _) = diagnostics.counts();
    let clean = corpus.is_some() && !diagnostics.has_errors();
    if let Some(corpus) = corpus.filter(|c| !c.site.allow_raw_html) {
        // The Markdown fields are the ones templates output without escaping.
        let mut html: Vec<(&str, &str)> = Vec::new();
        for statement in &corpus.statements {
            html.push((&statement.file, &statement.rationale));
            for audience in guidepress::kinds::Audience::ALL {
                html.push((&statement.file, statement.audiences.get(audience)));
            }
        }
        for recommendation in &corpus.recommendations {
            html.push((&recommendation.file, &recommendation.action));
        }
        for (file, fragment) in html {
            let found = executable_content(fragment);
            assert!(found.is_empty(), "rendered Markdown from {file} holds something executable: {found:?}\nhtml: {fragment}\ninput: {text:?}");
        }
        // Ids that reach page names are safe file names.
        let ids: BTreeSet<&str> = corpus
            .statements
            .iter()
            .map(|s| s.id.as_str())
            .chain(corpus.recommendations.iter().map(|r| r.id.as_str()))
            .chain(corpus.instruments.iter().map(|i| i.id.as_str()))
            .collect();
        if clean {
            for id in ids {
                assert!(
                    guidepress::model::citation::is_valid_id(id) && !guidepress::model::citation::is_reserved_id(id),
                    "the id {id:?} was accepted"
                );
            }
            for instrument in &corpus.instruments {
                for url in
                    std::iter::once(&instrument.url).chain(instrument.pinpoints.iter().filter_map(|p| p.url.as_ref()))
                {
                    assert!(
                        url.get(..4).is_some_and(|scheme| scheme.eq_ignore_ascii_case("http")),
                        "the address {url:?} was accepted"
                    );
                    assert!(
                        executable_content(&format!("<a href=\"{url}\">x</a>")).is_empty(),
                        "the address {url:?} was accepted"
                    );
                }
            }
        }
    }
    Outcome { errors, clean }
}
