//! The views of one statement and one piece of law in one edition, and the easy-read glossary.

use std::collections::BTreeSet;

use crate::editions::context::{dated_title, instrument_link, kind_label, statement_link, status_label};
use crate::editions::{
    by_instrument, paths, AudienceView, BlockView, CitationView, CitingStatement, EditionFile, EditionSet, Explained,
    LawStyle, LawView, MeasuresView, PinpointView, StatementText, StatementView,
};
use crate::kinds::LegalStatus;
use crate::model::{Instrument, Measures, Statement, Term};
use crate::text::markdown::escape;

impl EditionSet<'_> {
    pub(super) fn law_view(&self, edition: &EditionFile, instrument: &Instrument) -> LawView {
        let corpus = self.corpus;
        let cited_by = corpus.cited_by.get(&instrument.id);
        let statements = cited_by
            .map(|c| {
                c.statements
                    .iter()
                    .filter_map(|&i| corpus.statements.get(i))
                    .map(|s| CitingStatement {
                        link: statement_link(edition, s),
                        parts: cited_parts(instrument, &s.cites),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let recommendations = cited_by
            .map(|c| {
                c.recommendations
                    .iter()
                    .filter_map(|&i| corpus.recommendations.get(i))
                    .map(|r| self.recommendation_link(edition, r))
                    .collect()
            })
            .unwrap_or_default();
        LawView {
            id: instrument.id.clone(),
            title: dated_title(instrument),
            kind: kind_label(edition, instrument.kind),
            kind_id: instrument.kind,
            easy_read_name: instrument.easy_read_name.clone(),
            easy_read_name_in_sentence: in_sentence(&instrument.easy_read_name),
            year: instrument.year,
            publisher: instrument.publisher.clone(),
            status: match instrument.status {
                LegalStatus::InForce => "In force".to_string(),
                LegalStatus::Superseded => "Superseded".to_string(),
                LegalStatus::Prospective => "Not yet in force".to_string(),
            },
            superseded_by: instrument
                .superseded_by
                .as_deref()
                .and_then(|id| corpus.instrument(id))
                .map(|i| instrument_link(corpus, &edition.id, i)),
            url: instrument.url.clone(),
            summary: instrument.summary.clone(),
            easy_read: instrument.easy_read.clone(),
            pinpoints: instrument
                .pinpoints
                .iter()
                .map(|p| PinpointView {
                    key: p.key.clone(),
                    label: p.label.clone(),
                    title: p.title.clone(),
                    url: p.url.clone().unwrap_or_else(|| instrument.url.clone()),
                    status: if p.status == instrument.status { None } else { status_label(p.status) },
                })
                .collect(),
            statements,
            recommendations,
        }
    }

    pub(super) fn citations(
        &self,
        edition: &EditionFile,
        cites: &[crate::model::citation::Citation],
    ) -> Vec<CitationView> {
        let corpus = self.corpus;
        let mut seen_instruments = BTreeSet::new();
        cites
            .iter()
            .filter_map(|citation| {
                let instrument = corpus.instrument(&citation.instrument)?;
                match edition.law {
                    LawStyle::Audience if !instrument.audiences.iter().any(|a| a == &edition.id) => return None,
                    // Plain explanations are per instrument, so each appears once.
                    LawStyle::Plain if !seen_instruments.insert(instrument.id.as_str()) => return None,
                    _ => {}
                }
                let pinpoint = citation.pinpoint.as_deref().and_then(|key| instrument.pinpoint(key));
                Some(CitationView {
                    instrument: instrument.id.clone(),
                    instrument_title: dated_title(instrument),
                    kind: kind_label(edition, instrument.kind),
                    kind_id: instrument.kind,
                    easy_read_name: instrument.easy_read_name.clone(),
                    easy_read_name_in_sentence: in_sentence(&instrument.easy_read_name),
                    pinpoint_label: pinpoint.map(|p| p.label.clone()),
                    pinpoint_title: pinpoint.and_then(|p| p.title.clone()),
                    url: pinpoint.and_then(|p| p.url.clone()).unwrap_or_else(|| instrument.url.clone()),
                    law_page: paths::law(&edition.id, &instrument.id),
                    summary: instrument.summary.clone(),
                    easy_read: instrument.easy_read.clone(),
                    status: status_label(pinpoint.map_or(instrument.status, |p| p.status)),
                })
            })
            .collect()
    }

    pub(super) fn statement_view(&self, edition: &EditionFile, statement: &Statement, index: usize) -> StatementView {
        let corpus = self.corpus;
        let lead = match edition.statement_text {
            StatementText::Full => Some(statement.statement.clone()),
            StatementText::Plain => Some(statement.plain.clone()),
            StatementText::Headline => Some(statement.headline.clone()),
            StatementText::None => None,
        };
        let audiences = edition
            .audiences
            .iter()
            .filter_map(|section| {
                Some(statement.audiences.get(section.key)).filter(|html| !html.trim().is_empty()).map(|html| {
                    AudienceView {
                        key: section.key,
                        heading: section.heading.clone(),
                        intro: section.intro.clone(),
                        html: html.to_string(),
                    }
                })
            })
            .collect();
        let easy_read = if edition.easy_read {
            // A word is explained beside the first block that uses it, and bold wherever it appears.
            let mut explained_on_page = BTreeSet::new();
            statement.easy_read.iter().map(|block| self.glossary.block(block, &mut explained_on_page)).collect()
        } else {
            Vec::new()
        };
        let recommendations = if edition.recommendations {
            statement
                .recommendations
                .iter()
                .filter_map(|rid| corpus.recommendation(rid))
                .map(|r| self.recommendation_link(edition, r))
                .collect()
        } else {
            Vec::new()
        };
        let related = if edition.related {
            statement
                .related
                .iter()
                .filter_map(|sid| corpus.statement(sid))
                .map(|s| statement_link(edition, s))
                .collect()
        } else {
            Vec::new()
        };
        let full_version = self.full_version_link(edition, statement);
        let law = self.citations(edition, &statement.cites);
        StatementView {
            id: statement.id.clone(),
            number: statement.number,
            title: edition.title_text.of(statement).to_string(),
            lead,
            lead_kind: edition.statement_text,
            headline: statement.headline.clone(),
            rationale: edition.rationale.then(|| statement.rationale.clone()),
            measures: edition.measures.then(|| measures_view(&statement.measures)),
            audiences,
            who_to_ask: if edition.who_to_ask { statement.who_to_ask.clone() } else { None },
            easy_read,
            recommendations,
            related,
            law_by_instrument: by_instrument(&law, &edition.words.and_word),
            law,
            previous: index.checked_sub(1).and_then(|i| corpus.statements.get(i)).map(|s| statement_link(edition, s)),
            next: corpus.statements.get(index + 1).map(|s| statement_link(edition, s)),
            full_version,
        }
    }
}

/// The labels of the parts of `instrument` that `cites` cites, in order, each once.
fn cited_parts(instrument: &Instrument, cites: &[crate::model::citation::Citation]) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    for citation in cites.iter().filter(|c| c.instrument == instrument.id) {
        if let Some(pinpoint) = citation.pinpoint.as_deref().and_then(|key| instrument.pinpoint(key)) {
            if !parts.contains(&pinpoint.label) {
                parts.push(pinpoint.label.clone());
            }
        }
    }
    parts
}

/// A name as written inside a sentence: a leading "The" loses its capital.
fn in_sentence(name: &str) -> String {
    match name.strip_prefix("The ") {
        Some(rest) => format!("the {rest}"),
        None => name.to_string(),
    }
}

pub(super) fn measures_view(measures: &Measures) -> MeasuresView {
    MeasuresView {
        structure: measures.structure.clone(),
        process: measures.process.clone(),
        outcome: measures.outcome.clone(),
    }
}

/// Finds glossary terms and abbreviations in easy-read text, to show them in bold with their
/// easy-read explanation beside the block, as Easy Read asks.
pub(super) struct GlossaryMatcher<'a> {
    matcher: crate::text::glossary::GlossaryMatcher,
    terms: &'a [Term],
}

impl<'a> GlossaryMatcher<'a> {
    pub(super) fn new(terms: &'a [Term]) -> Self {
        let entries = terms
            .iter()
            .map(|t| crate::text::glossary::Entry { phrases: t.phrases(), abbreviations: &t.abbreviations });
        GlossaryMatcher { matcher: crate::text::glossary::GlossaryMatcher::new(entries), terms }
    }

    pub(super) fn block(
        &self,
        block: &crate::model::EasyReadBlock,
        explained_on_page: &mut BTreeSet<&'a str>,
    ) -> BlockView {
        let mut explained: Vec<Explained> = Vec::new();
        let mut used_terms: BTreeSet<usize> = BTreeSet::new();
        let sentences = block
            .sentences
            .iter()
            .map(|sentence| {
                let matches = self.find(sentence, &mut used_terms);
                let mut html = String::new();
                let mut at = 0;
                for (range, term) in matches {
                    html.push_str(&escape(&sentence[at..range.start]));
                    html.push_str("<strong>");
                    html.push_str(&escape(&sentence[range.clone()]));
                    html.push_str("</strong>");
                    if explained_on_page.insert(term.id.as_str()) {
                        explained.push(Explained {
                            word: sentence[range.clone()].to_string(),
                            meaning: term.easy_read.clone(),
                        });
                    }
                    at = range.end;
                }
                html.push_str(&escape(&sentence[at..]));
                html
            })
            .collect();
        BlockView { picture: block.picture.clone(), alt: block.alt.clone(), sentences, explained }
    }

    /// First occurrence of each not-yet-used term in `text`, at word boundaries, not overlapping.
    pub(super) fn find(&self, text: &str, used: &mut BTreeSet<usize>) -> Vec<(std::ops::Range<usize>, &'a Term)> {
        let found = self.matcher.first_of_each(text, used);
        found.into_iter().map(|f| (f.range, &self.terms[f.entry])).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EasyReadBlock;

    fn term(id: &str, name: &str, abbreviations: &[&str]) -> Term {
        Term {
            id: id.into(),
            term: name.into(),
            abbreviations: abbreviations.iter().map(|s| s.to_string()).collect(),
            definition: "d".into(),
            easy_read: format!("{name} means this."),
            easy_read_term: None,
            source_offset: 0,
        }
    }

    #[test]
    fn a_name_inside_a_sentence_loses_its_capital_the() {
        assert_eq!(in_sentence("The health guide"), "the health guide");
        assert_eq!(in_sentence("Children Act 1989"), "Children Act 1989");
        assert_eq!(in_sentence("Theft Act 1968"), "Theft Act 1968");
    }

    #[test]
    fn glossary_words_are_bold_once_with_explanations() {
        let terms =
            vec![term("sw", "social worker", &[]), term("pa", "personal adviser", &["PA"]), term("ad", "adviser", &[])];
        let matcher = GlossaryMatcher::new(&terms);
        let block = EasyReadBlock {
            picture: Some("help".into()),
            alt: "a".into(),
            sentences: vec![
                "Your social workers & personal adviser help.".into(),
                "Your social worker listens.".into(),
            ],
        };
        let view = matcher.block(&block, &mut BTreeSet::new());
        assert_eq!(
            view.sentences[0],
            "Your <strong>social workers</strong> &amp; <strong>personal adviser</strong> help."
        );
        assert_eq!(view.sentences[1], "Your social worker listens.");
        assert_eq!(view.explained.len(), 2);
    }

    #[test]
    fn a_word_is_explained_once_per_page() {
        let terms = vec![term("hh", "health history", &[])];
        let matcher = GlossaryMatcher::new(&terms);
        let block = EasyReadBlock {
            picture: Some("p".into()),
            alt: "a".into(),
            sentences: vec!["Your health history.".into()],
        };
        let mut page = BTreeSet::new();
        assert_eq!(matcher.block(&block, &mut page).explained.len(), 1);
        let second = matcher.block(&block, &mut page);
        assert_eq!(second.explained.len(), 0);
        assert!(second.sentences[0].contains("<strong>health history</strong>"));
    }

    #[test]
    fn glossary_matches_whole_words_only() {
        let terms = vec![term("care", "care", &[])];
        let matcher = GlossaryMatcher::new(&terms);
        let block =
            EasyReadBlock { picture: Some("p".into()), alt: "a".into(), sentences: vec!["Your carer cares.".into()] };
        let mut page = BTreeSet::new();
        let view = matcher.block(&block, &mut page);
        assert_eq!(view.sentences[0], "Your carer <strong>cares</strong>.");
    }
}
