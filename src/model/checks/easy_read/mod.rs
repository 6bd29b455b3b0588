//! Easy Read rules, checked on every build over every easy-read text: the statements' easy-read
//! blocks and the easy-read lines of the register and glossary.
//!
//! The rules and their sources are in the research notes (§2.2). Each checkable rule is a lint
//! that reports the file, the line, the sentence, the rule and how to fix it. Breaking a rule is
//! a warning (so `--strict` refuses to publish); a sentence between the advised and the maximum
//! length is a note, which does not fail strict mode.

use std::collections::{BTreeSet, HashSet};
use std::ops::Range;

use serde::Deserialize;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::model::Term;
use crate::text::glossary::{Entry, GlossaryMatcher};
use crate::text::readability::words;
use crate::text::sentences::sentences;

/// The plain-word list shipped with guidepress (source and licence in its header).
const PLAIN_WORDS: &str = include_str!("plain-words.txt");

/// Limits an edition sets for its easy-read text (`easy_read_rules` in the edition file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Most words in a sentence (a warning above this).
    #[serde(default = "default_sentence_words")]
    pub sentence_words: usize,
    /// Words in a sentence above which a note advises splitting it.
    #[serde(default = "default_sentence_words_advice")]
    pub sentence_words_advice: usize,
    /// Most sentences in one block.
    #[serde(default = "default_block_sentences")]
    pub block_sentences: usize,
}

fn default_sentence_words() -> usize {
    15
}
fn default_sentence_words_advice() -> usize {
    12
}
fn default_block_sentences() -> usize {
    4
}

impl Default for Rules {
    fn default() -> Self {
        Rules { sentence_words: 15, sentence_words_advice: 12, block_sentences: 4 }
    }
}

impl Rules {
    /// The rules that satisfy every one of `all`: the smallest of each limit (the defaults when
    /// there are none), so text that passes suits every easy-read edition.
    pub fn strictest(all: impl IntoIterator<Item = Rules>) -> Rules {
        all.into_iter()
            .reduce(|a, b| Rules {
                sentence_words: a.sentence_words.min(b.sentence_words),
                sentence_words_advice: a.sentence_words_advice.min(b.sentence_words_advice),
                block_sentences: a.block_sentences.min(b.block_sentences),
            })
            .unwrap_or_default()
    }
}

/// Abbreviations nearly every reader knows as words, allowed in easy-read text without a
/// glossary entry (the research notes' ER-NO-ACRONYMS rule flags all-caps words "not in an
/// allow-list"). They are neither unexplained abbreviations nor capitals for emphasis.
const KNOWN_ABBREVIATIONS: [&str; 5] = ["GP", "NHS", "OK", "TV", "UK"];

const NUMBER_WORDS: [&str; 26] = [
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "hundred",
    "thousand",
    "million",
];

/// The words easy-read text may use: the plain-word list and the glossary.
pub struct Vocabulary {
    plain: HashSet<&'static str>,
    /// The glossary's terms, found as the pages find them.
    glossary: GlossaryMatcher,
    abbreviations: BTreeSet<String>,
}

impl Vocabulary {
    /// The shipped plain words plus the glossary's terms and abbreviations.
    pub fn new(terms: &[Term]) -> Self {
        let plain = PLAIN_WORDS.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect();
        let abbreviations = terms.iter().flat_map(|t| t.abbreviations.iter().cloned()).collect();
        let glossary = GlossaryMatcher::new(terms.iter().map(|t| Entry { phrases: t.phrases(), abbreviations: &[] }));
        Vocabulary { plain, glossary, abbreviations }
    }

    /// Whether a lower-case word, or a simple inflection of one, is plain.
    pub fn is_plain(&self, word: &str) -> bool {
        let word = word.trim_end_matches("'s").trim_end_matches("’s");
        if self.plain.contains(word) {
            return true;
        }
        let candidates = [
            word.strip_suffix('s').map(str::to_string),
            word.strip_suffix("es").map(str::to_string),
            word.strip_suffix("ies").map(|s| format!("{s}y")),
            word.strip_suffix("ied").map(|s| format!("{s}y")),
            word.strip_suffix("ed").map(str::to_string),
            word.strip_suffix('d').map(str::to_string),
            word.strip_suffix("ing").map(str::to_string),
            word.strip_suffix("ing").map(|s| format!("{s}e")),
            word.strip_suffix("ly").map(str::to_string),
            word.strip_suffix("er").map(str::to_string),
            word.strip_suffix("ers").map(str::to_string),
            word.strip_suffix("ers").map(|s| format!("{s}e")),
            word.strip_suffix("est").map(str::to_string),
            // Doubled consonants: "stopped", "running".
            word.strip_suffix("ed").or_else(|| word.strip_suffix("ing")).and_then(|s| {
                let mut chars = s.chars();
                let last = chars.next_back()?;
                (chars.next_back() == Some(last)).then(|| s[..s.len() - last.len_utf8()].to_string())
            }),
        ];
        candidates.into_iter().flatten().any(|c| self.plain.contains(c.as_str()))
    }

    /// Byte ranges of `sentence` covered by glossary terms (with a plural s).
    fn glossary_ranges(&self, sentence: &str) -> Vec<Range<usize>> {
        self.glossary.all(sentence).into_iter().map(|f| f.range).collect()
    }
}

/// Where an easy-read text is, so diagnostics can point at its sentences.
pub struct Place<'a> {
    pub doc: &'a crate::source::Document,
    /// Search for sentences from this byte offset (the block's or entry's start).
    pub from: usize,
    /// The field, e.g. `easy_read[2].text`.
    pub field: String,
}

impl Place<'_> {
    fn span(&self, needle: &str) -> Option<Range<usize>> {
        let text = &self.doc.text;
        let from = self.from.min(text.len());
        let probe: String = needle.chars().take(40).collect();
        text[from..].find(probe.as_str()).map(|i| from + i..from + i + probe.len())
    }

    fn diagnostic(&self, base: Diagnostic, needle: &str) -> Diagnostic {
        let span = self.span(needle).or_else(|| Some(self.from..self.from + 1));
        self.doc.diagnostic(base.field(self.field.clone()), span)
    }
}

use crate::text::readability::quote;

/// Checks one easy-read text (a block, or a register or glossary line) against the rules.
pub fn lint(text: &str, place: &Place<'_>, rules: &Rules, vocabulary: &Vocabulary, diagnostics: &mut Diagnostics) {
    // Text still to be written is reported once, as a placeholder; its words are not the editor's.
    if text.contains(crate::model::checks::placeholders::PLACEHOLDER) {
        return;
    }
    let sentences = sentences(text);
    if sentences.len() > rules.block_sentences {
        diagnostics.push(
            place.diagnostic(
                Diagnostic::warning(
                    Code::EasyReadBlockLength,
                    format!(
                        "this block has {} sentences; easy read allows {} in a block",
                        sentences.len(),
                        rules.block_sentences
                    ),
                )
                .help("split the block in two, each with its own picture"),
                sentences.first().copied().unwrap_or(text),
            ),
        );
    }
    for sentence in sentences {
        lint_sentence(sentence, place, rules, vocabulary, diagnostics);
    }
}

/// Checks one sentence against each Easy Read rule in turn.
fn lint_sentence(
    sentence: &str,
    place: &Place<'_>,
    rules: &Rules,
    vocabulary: &Vocabulary,
    diagnostics: &mut Diagnostics,
) {
    let tokens = words(sentence);
    check_length(sentence, tokens.len(), place, rules, diagnostics);
    check_one_idea(sentence, &tokens, place, diagnostics);
    check_emphasis(sentence, place, diagnostics);
    check_numbers(sentence, &tokens, place, diagnostics);
    check_words(sentence, &tokens, place, vocabulary, diagnostics);
}

/// At most `sentence_words` words, with advice above `sentence_words_advice`.
fn check_length(sentence: &str, count: usize, place: &Place<'_>, rules: &Rules, diagnostics: &mut Diagnostics) {
    if count > rules.sentence_words {
        diagnostics.push(
            place.diagnostic(
                Diagnostic::warning(
                    Code::EasyReadSentenceLength,
                    format!(
                        "the sentence {} has {count} words; easy read allows {}",
                        quote(sentence),
                        rules.sentence_words
                    ),
                )
                .help("split it into shorter sentences, with one idea in each"),
                sentence,
            ),
        );
    } else if count > rules.sentence_words_advice {
        diagnostics.push(
            place.diagnostic(
                Diagnostic::note(
                    Code::EasyReadSentenceLength,
                    format!(
                        "the sentence {} has {count} words; easy read reads best at {} or fewer",
                        quote(sentence),
                        rules.sentence_words_advice
                    ),
                )
                .help("consider splitting it"),
                sentence,
            ),
        );
    }
}

/// One idea in each sentence: no semicolon, and at most one and, but or or.
fn check_one_idea(sentence: &str, tokens: &[&str], place: &Place<'_>, diagnostics: &mut Diagnostics) {
    let joins = tokens.iter().filter(|w| matches!(w.to_lowercase().as_str(), "and" | "but" | "or")).count();
    if sentence.contains(';') || joins > 1 {
        let why = if sentence.contains(';') {
            "has a semicolon".to_string()
        } else {
            format!("joins {} parts with and, but or or", joins + 1)
        };
        diagnostics.push(
            place.diagnostic(
                Diagnostic::warning(
                    Code::EasyReadOneIdea,
                    format!("the sentence {} {why}: easy read has one idea in each sentence", quote(sentence)),
                )
                .help("make each idea its own sentence"),
                sentence,
            ),
        );
    }
}

/// No italics or underlining.
fn check_emphasis(sentence: &str, place: &Place<'_>, diagnostics: &mut Diagnostics) {
    if ["*", "<i>", "<em", "<u>", "</u>"].iter().any(|m| sentence.contains(m)) || has_underscore_emphasis(sentence) {
        diagnostics.push(place.diagnostic(
            Diagnostic::warning(Code::EasyReadEmphasis, format!("the sentence {} uses italics or underlining", quote(sentence)))
                .help("easy read uses no italics, underlining or capitals for emphasis; remove the marks (glossary words are made bold for you)"),
            sentence,
        ));
    }
}

/// Numbers as digits.
fn check_numbers(sentence: &str, tokens: &[&str], place: &Place<'_>, diagnostics: &mut Diagnostics) {
    let numbers: Vec<&str> =
        tokens.iter().copied().filter(|w| NUMBER_WORDS.contains(&w.to_lowercase().as_str())).collect();
    if !numbers.is_empty() {
        diagnostics.push(
            place.diagnostic(
                Diagnostic::warning(
                    Code::EasyReadNumbers,
                    format!("the sentence {} writes numbers as words ({})", quote(sentence), numbers.join(", ")),
                )
                .help("write numbers as digits: 2, not two"),
                sentence,
            ),
        );
    }
}

/// Every word plain or explained: abbreviations in the glossary, no capitals for emphasis, and no
/// hard words outside the plain-word list and the glossary.
fn check_words(
    sentence: &str,
    tokens: &[&str],
    place: &Place<'_>,
    vocabulary: &Vocabulary,
    diagnostics: &mut Diagnostics,
) {
    let covered = vocabulary.glossary_ranges(sentence);
    let mut hard = Vec::new();
    let mut capitals = Vec::new();
    let mut abbreviations = Vec::new();
    let mut offset = 0;
    for (index, token) in tokens.iter().enumerate() {
        let start = sentence[offset..].find(token).map_or(offset, |i| offset + i);
        offset = start + token.len();
        if covered.iter().any(|r| r.start <= start && start + token.len() <= r.end) {
            continue;
        }
        if token.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let letters: Vec<char> = token.chars().filter(|c| c.is_alphabetic()).collect();
        if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
            if vocabulary.abbreviations.contains(*token) || KNOWN_ABBREVIATIONS.contains(token) {
                continue;
            }
            if vocabulary.is_plain(&token.to_lowercase()) {
                capitals.push(*token);
            } else {
                abbreviations.push(*token);
            }
            continue;
        }
        // A capitalised word inside a sentence is a name.
        if index > 0 && token.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        let word = token.to_lowercase();
        for part in word.split('-') {
            if !part.is_empty() && !vocabulary.is_plain(part) && !hard.contains(&part.to_string()) {
                hard.push(part.to_string());
            }
        }
    }
    if !abbreviations.is_empty() {
        diagnostics.push(
            place.diagnostic(
                Diagnostic::warning(
                    Code::EasyReadAbbreviation,
                    format!(
                        "the sentence {} uses the abbreviation {}, which the glossary does not explain",
                        quote(sentence),
                        ticks(&abbreviations)
                    ),
                )
                .help(
                    "write the words in full, or add the abbreviation to a glossary term with an easy-read explanation",
                ),
                abbreviations[0],
            ),
        );
    }
    if !capitals.is_empty() {
        diagnostics.push(
            place.diagnostic(
                Diagnostic::warning(
                    Code::EasyReadEmphasis,
                    format!("the sentence {} puts {} in capitals", quote(sentence), list(&capitals)),
                )
                .help("easy read uses no capitals for emphasis; write the word in lower case"),
                capitals[0],
            ),
        );
    }
    if !hard.is_empty() {
        let words: Vec<&str> = hard.iter().map(String::as_str).collect();
        diagnostics.push(place.diagnostic(
            Diagnostic::warning(Code::EasyReadHardWord, format!("the sentence {} uses {} that may be hard to understand", quote(sentence), list(&words)))
                .help("use an everyday word, or add the word to the glossary with an easy-read explanation (it is then shown in bold and explained)"),
            sentence,
        ));
    }
}

fn has_underscore_emphasis(sentence: &str) -> bool {
    sentence
        .split_whitespace()
        .any(|w| w.len() > 2 && w.trim_matches(|c: char| !c.is_alphanumeric() && c != '_').starts_with('_'))
}

fn ticks(words: &[&str]) -> String {
    words.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ")
}

fn list(words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    match quoted.len() {
        1 => format!("the word {}", quoted[0]),
        _ => format!("the words {}", quoted.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Document;
    use std::sync::Arc;

    fn run(text: &str, terms: &[Term]) -> Vec<Diagnostic> {
        let source = format!("easy_read:\n  - text: |\n      {}\n", text.replace('\n', "\n      "));
        let doc = Document {
            file: "s.md".into(),
            text: Arc::from(source.as_str()),
            yaml: 0..source.len(),
            body_start: source.len(),
        };
        let place = Place { doc: &doc, from: 0, field: "easy_read[0].text".into() };
        let mut diagnostics = Diagnostics::new();
        lint(text, &place, &Rules::default(), &Vocabulary::new(terms), &mut diagnostics);
        diagnostics.sorted().into_iter().cloned().collect()
    }

    fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
        diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn plain_short_sentences_pass() {
        assert!(run("You can ask for help.\nWe will listen to you.", &[]).is_empty());
    }

    #[test]
    fn long_sentences_warn_and_nearly_long_ones_get_a_note() {
        let long = "You can ask your carer or your teacher to help you when you want to talk about how you feel today.";
        let found = run(long, &[]);
        assert!(codes(&found).contains(&"easy-read/sentence-length"));
        assert!(found.iter().any(|d| d.message.contains("has 21 words")), "{found:?}");
        let thirteen = run("You can ask your friend to help you when you want to talk.", &[]);
        assert_eq!(thirteen.len(), 1, "{thirteen:?}");
        assert_eq!(thirteen[0].severity, crate::diagnostics::Severity::Note);
    }

    #[test]
    fn one_idea_numbers_emphasis_and_capitals() {
        assert!(codes(&run("You can talk; we listen.", &[])).contains(&"easy-read/one-idea"));
        assert!(codes(&run("You and me and them or us.", &[])).contains(&"easy-read/one-idea"));
        assert!(codes(&run("You can have two visits.", &[])).contains(&"easy-read/numbers"));
        assert!(codes(&run("You can have 2 visits.", &[])).is_empty());
        assert!(codes(&run("You must *always* ask.", &[])).contains(&"easy-read/emphasis"));
        assert!(codes(&run("You must ALWAYS ask.", &[])).contains(&"easy-read/emphasis"));
    }

    #[test]
    fn abbreviations_and_hard_words_unless_the_glossary_explains_them() {
        assert!(codes(&run("Ask the IRO.", &[])).contains(&"easy-read/abbreviation"));
        let iro = Term {
            id: "iro".into(),
            term: "independent reviewing officer".into(),
            abbreviations: vec!["IRO".into()],
            definition: "d".into(),
            easy_read: "e".into(),
            easy_read_term: None,
            source_offset: 0,
        };
        assert!(run("Ask the IRO.", std::slice::from_ref(&iro)).is_empty());
        assert!(run("Your independent reviewing officer helps.", std::slice::from_ref(&iro)).is_empty());
        let hard = run("The multidisciplinary consortium deliberates.", &[]);
        assert!(
            hard.iter().any(|d| d.code == "easy-read/hard-word" && d.message.contains("`multidisciplinary`")),
            "{hard:?}"
        );
    }

    #[test]
    fn well_known_abbreviations_are_neither_emphasis_nor_unexplained() {
        // Before: "UK" is in the plain-word list as "uk", so it was taken for capitals used for
        // emphasis.
        assert!(run("You can see a GP in the UK.", &[]).is_empty(), "{:?}", run("You can see a GP in the UK.", &[]));
        assert_eq!(codes(&run("You must ASK us.", &[])), vec!["easy-read/emphasis"]);
        assert_eq!(codes(&run("Ask the IRO.", &[])), vec!["easy-read/abbreviation"]);
        // "B&B" is one word, not the capitals "B" and "B".
        assert_eq!(codes(&run("You can stay in a B&B.", &[])), vec!["easy-read/abbreviation"]);
    }

    #[test]
    fn inflections_of_plain_words_are_plain() {
        let vocabulary = Vocabulary::new(&[]);
        for word in ["helps", "helped", "helping", "stopped", "running", "families", "carried", "talks"] {
            assert!(vocabulary.is_plain(word), "{word}");
        }
        assert!(!vocabulary.is_plain("multidisciplinary"));
    }

    #[test]
    fn too_many_sentences_in_a_block() {
        assert!(codes(&run("You can ask.\nWe listen.\nWe help.\nWe care.\nWe stay.", &[]))
            .contains(&"easy-read/block-length"));
    }
}
