//! The reader's text of each page: what an edition shows of the content, and nothing else.
//!
//! Readability figures are for the words a reader reads, so they are measured here, on the
//! content an edition puts on a page, not on the page's HTML: navigation, headings, captions,
//! link texts and footers are the theme's, the same on every page, and would blur the figures.
//! The exact wording of a statement or recommendation must not change, so it is quoted text:
//! shown, counted apart, never held to a limit. Each sentence keeps the file it came from, so a
//! sentence that breaks a limit can be found at its line.

use std::borrow::Cow;

use crate::diagnostics::SourceMap;
use crate::editions::{EditionFile, EditionSet, GlossaryStyle, LawStyle, Page, PageKind, StatementText};
use crate::model::Statement;
use crate::text::readability::{measure_sentence, words, Figures, PageReading, PlacedSentence};
use crate::text::sentences::{has_words, sentences};

/// One text of the content as a page shows it.
#[derive(Debug, Clone)]
pub struct ReaderText<'a> {
    /// The words, as plain text.
    pub text: Cow<'a, str>,
    /// The file it was written in, as diagnostics name it.
    pub file: &'a str,
    /// The field's key in that file, where to start looking for its sentences (`plain`,
    /// `carers`); empty for a file's Markdown body.
    pub key: &'static str,
    /// Where its entry starts in the file (a byte offset), for an entry of the register or
    /// glossary; 0 for a file of its own. A long register is searched from here, not from its
    /// start, so finding a page's sentences does not grow with the register.
    pub from: usize,
}

impl EditionSet<'_> {
    /// The readability limits of the edition `page` belongs to.
    pub fn limits_of(&self, page: &Page) -> Option<crate::text::readability::ReadabilityLimits> {
        page.kind.edition().and_then(|e| self.editions.get(e)).map(|e| e.readability)
    }

    /// The texts of the content that `page` shows its reader, and the words of quoted text it
    /// shows. Pages that repeat other pages' text (contents, print, law index, search) have none.
    pub fn reader_texts(&self, page: &Page) -> (Vec<ReaderText<'_>>, usize) {
        let corpus = self.corpus;
        let Some(edition) = page.kind.edition().and_then(|e| self.editions.get(e).copied()) else {
            return (Vec::new(), 0);
        };
        let mut texts = Vec::new();
        let mut quoted = 0;
        match page.kind {
            PageKind::Statement { statement, .. } => {
                if let Some(s) = corpus.statements.get(statement) {
                    quoted = statement_texts(self, edition, s, &mut texts);
                }
            }
            PageKind::Recommendation { recommendation, .. } => {
                if let Some(r) = corpus.recommendations.get(recommendation) {
                    quoted = words(&crate::text::readability::page_text(&r.action)).len();
                }
            }
            PageKind::Law { instrument, .. } => {
                if let Some(i) = corpus.instruments.get(instrument) {
                    let file = corpus.register_file.as_deref().unwrap_or("register.yaml");
                    let (text, key) = match edition.law {
                        LawStyle::Plain => (&i.easy_read, "easy_read"),
                        _ => (&i.summary, "summary"),
                    };
                    texts.push(ReaderText { text: Cow::Borrowed(text), file, key, from: i.source_offset });
                }
            }
            PageKind::Glossary { .. } => {
                let file = corpus.glossary_file.as_deref().unwrap_or("glossary.yaml");
                for term in &corpus.terms {
                    let (text, key) = match edition.glossary {
                        GlossaryStyle::Definition => (&term.definition, "definition"),
                        GlossaryStyle::EasyRead => (&term.easy_read, "easy_read"),
                    };
                    texts.push(ReaderText { text: Cow::Borrowed(text), file, key, from: term.source_offset });
                }
            }
            _ => {}
        }
        (texts, quoted)
    }

    /// The text a search result quotes from: the page's reader's text (`texts`, from
    /// [`EditionSet::reader_texts`]), with the exact wording that readability sets apart, one
    /// text to a line.
    pub fn search_text(&self, page: &Page, texts: &[ReaderText<'_>]) -> String {
        let corpus = self.corpus;
        let edition = page.kind.edition().and_then(|e| self.editions.get(e).copied());
        let mut lines: Vec<String> = Vec::new();
        match (page.kind, edition) {
            (PageKind::Statement { statement, .. }, Some(edition)) if edition.statement_text == StatementText::Full => {
                if let Some(s) = corpus.statements.get(statement) {
                    lines.push(s.statement.clone());
                }
            }
            (PageKind::Recommendation { recommendation, .. }, _) => {
                if let Some(r) = corpus.recommendations.get(recommendation) {
                    lines.push(crate::text::readability::page_text(&r.action));
                }
            }
            _ => {}
        }
        let own = texts.iter().map(|t| t.text.as_ref());
        let mut text = String::new();
        for line in lines.iter().map(String::as_str).chain(own) {
            let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
            if !line.is_empty() {
                text.push_str(&line);
                text.push('\n');
            }
        }
        text
    }
}

/// Measures a page's reader's text (`texts` and its words of quoted text, from
/// [`EditionSet::reader_texts`]) against `sentence_limit`, finding each sentence it reports in
/// `sources`. A page with no reader's text has no reading.
pub fn measure(
    texts: &[ReaderText<'_>],
    quoted_words: usize,
    sentence_limit: Option<usize>,
    sources: &SourceMap,
) -> Option<PageReading> {
    if texts.is_empty() {
        return None;
    }
    let mut reading = PageReading { quoted_words, ..PageReading::default() };
    let mut longest: Option<(Figures, &str, &ReaderText)> = None;
    let mut hardest: Option<(Figures, &str, &ReaderText)> = None;
    for text in texts {
        for sentence in sentences(&text.text).into_iter().filter(|s| has_words(s)) {
            let figures = measure_sentence(sentence);
            reading.figures.add(&figures);
            if longest.is_none_or(|(most, _, _)| figures.words > most.words) {
                longest = Some((figures, sentence, text));
            }
            if hardest.is_none_or(|(worst, _, _)| figures.grade() > worst.grade()) {
                hardest = Some((figures, sentence, text));
            }
            if sentence_limit.is_some_and(|limit| figures.words > limit) {
                reading.too_long.push(placed(sentence, &figures, text, sources));
            }
        }
    }
    reading.longest = longest.map(|(f, s, t)| placed(s, &f, t, sources));
    reading.hardest = hardest.map(|(f, s, t)| placed(s, &f, t, sources));
    Some(reading)
}

/// A statement page's texts, by what the edition shows; returns the words of quoted text.
fn statement_texts<'a>(
    set: &EditionSet<'a>,
    edition: &EditionFile,
    s: &'a Statement,
    texts: &mut Vec<ReaderText<'a>>,
) -> usize {
    let file = s.file.as_str();
    let html = |html: &'a str| Cow::Owned(crate::text::readability::page_text(html));
    let mut quoted = 0;
    match edition.statement_text {
        StatementText::Full => quoted += words(&s.statement).len(),
        StatementText::Plain => texts.push(ReaderText { text: Cow::Borrowed(&s.plain), file, key: "plain", from: 0 }),
        StatementText::Headline => {
            texts.push(ReaderText { text: Cow::Borrowed(&s.headline), file, key: "headline", from: 0 })
        }
        StatementText::None => {}
    }
    if edition.rationale {
        texts.push(ReaderText { text: html(&s.rationale), file, key: "", from: 0 });
    }
    for section in &edition.audiences {
        let text = s.audiences.get(section.key);
        if !text.trim().is_empty() {
            texts.push(ReaderText { text: html(text), file, key: section.key.key(), from: 0 });
        }
    }
    if edition.who_to_ask {
        if let Some(who) = &s.who_to_ask {
            texts.push(ReaderText { text: Cow::Borrowed(who), file, key: "who_to_ask", from: 0 });
        }
    }
    if edition.measures {
        for measure in s.measures.structure.iter().chain(&s.measures.process).chain(&s.measures.outcome) {
            texts.push(ReaderText { text: Cow::Borrowed(&measure.text), file, key: "measures", from: 0 });
        }
    }
    if edition.easy_read {
        for block in &s.easy_read {
            let joined: Vec<&str> = block.sentences.iter().map(String::as_str).collect();
            texts.push(ReaderText { text: Cow::Owned(joined.join("\n")), file, key: "easy_read", from: 0 });
        }
    }
    let register = set.corpus.register_file.as_deref().unwrap_or("register.yaml");
    // Each instrument's text once, as the page groups citations by instrument.
    let mut shown = std::collections::BTreeSet::new();
    for citation in set.citations(edition, &s.cites) {
        if !shown.insert(citation.instrument.clone()) {
            continue;
        }
        let from = set.corpus.instrument(&citation.instrument).map_or(0, |i| i.source_offset);
        match edition.law {
            LawStyle::Plain => {
                texts.push(ReaderText { text: Cow::Owned(citation.easy_read), file: register, key: "", from })
            }
            LawStyle::Audience => {
                texts.push(ReaderText { text: Cow::Owned(citation.summary), file: register, key: "", from })
            }
            LawStyle::Full | LawStyle::Pointer => {}
        }
    }
    quoted
}

fn placed(sentence: &str, figures: &Figures, text: &ReaderText<'_>, sources: &SourceMap) -> PlacedSentence {
    let line = sources
        .get(text.file)
        .and_then(|source| locate(source, text.key, text.from, sentence))
        .and_then(|offset| sources.line_of(text.file, offset))
        .unwrap_or(0);
    PlacedSentence {
        sentence: sentence.split_whitespace().collect::<Vec<_>>().join(" "),
        words: figures.words,
        grade: (figures.grade() * 10.0).round() / 10.0,
        file: text.file.to_string(),
        line,
    }
}

/// Where `sentence` starts in `source`: the first place its first words are written in order,
/// whatever comes between them (line breaks, indentation, Markdown marks), looking from the
/// field's key when it can be found, else from the start.
fn locate(source: &str, key: &str, entry: usize, sentence: &str) -> Option<usize> {
    let wanted: Vec<&str> = words(sentence).into_iter().take(12).collect();
    if wanted.is_empty() {
        return None;
    }
    let find_in = |from: usize, to: usize| {
        let written = word_offsets(&source[from..to]);
        written
            .windows(wanted.len())
            .find(|window| window.iter().zip(&wanted).all(|((_, w), want)| w == want))
            .map(|window| from + window[0].0)
    };
    // An entry of a long file: its own few kilobytes first.
    if entry > 0 && entry < source.len() {
        let to = crate::diagnostics::floor_char_boundary(source, (entry + ENTRY_BYTES).min(source.len()));
        let from = crate::diagnostics::floor_char_boundary(source, entry);
        if let Some(found) = find_in(from, to) {
            return Some(found);
        }
    }
    let from = if key.is_empty() {
        // A Markdown body starts after the front matter's closing `---`.
        source.find("\n---").map_or(0, |at| at + 4)
    } else {
        source.find(&format!("{key}:")).unwrap_or(0)
    };
    find_in(from, source.len()).or_else(|| find_in(0, source.len()))
}

/// How far past an entry's start its sentences are looked for first.
const ENTRY_BYTES: usize = 8 * 1024;

/// Each word of `text` with its byte offset, split as [`words`] splits them.
fn word_offsets(text: &str) -> Vec<(usize, &str)> {
    words(text).into_iter().map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::diagnostics::line_column;

    #[test]
    fn a_sentence_is_found_across_line_breaks_and_marks() {
        let source = "---\nid: qs-1\nplain: >-\n  Children in care can see\n  their **health** history.\n---\nBody.\n";
        let at = locate(source, "plain", 0, "Children in care can see their health history.").expect("found");
        assert_eq!(line_column(source, at).0, 4);
        let at = locate(source, "", 0, "Body.").expect("found in the body");
        assert_eq!(line_column(source, at).0, 7);
        assert_eq!(locate(source, "plain", 0, "Nowhere in the file."), None);
    }

    #[test]
    fn an_entry_s_sentence_is_found_from_the_entry_and_its_line_from_the_index() {
        let mut source = String::from("instruments:\n");
        for i in 0..2000 {
            source.push_str(&format!("  - id: act-{i}\n    summary: Act {i} says what councils must do.\n"));
        }
        let entry = source.find("id: act-1500").unwrap();
        let at = locate(&source, "summary", entry, "Act 1500 says what councils must do.").expect("found");
        assert_eq!(line_column(&source, at).0, 3003);
        // Not in the entry's own kilobytes: the whole file is searched.
        assert_eq!(locate(&source, "summary", entry, "Act 3 says what councils must do."), source.find("Act 3 says"));
        let mut sources = SourceMap::default();
        sources.insert("register.yaml", source.clone().into());
        assert_eq!(sources.line_of("register.yaml", at), Some(3003));
        assert_eq!(sources.line_of("register.yaml", 0), Some(1));
        assert_eq!(sources.line_of("register.yaml", source.len()), Some(line_column(&source, source.len()).0));
    }
}
