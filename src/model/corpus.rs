//! The corpus: the typed statements, recommendations, register and glossary every edition reads.

use std::collections::{BTreeMap, BTreeSet};

use crate::kinds::{Audience, DerivedText, InstrumentKind, LegalStatus};
use crate::load::PictureFile;
use crate::model::citation::Citation;
use crate::model::review::TextState;

/// Publication-wide settings from `site.yaml`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Site {
    pub title: String,
    pub short_title: String,
    pub publisher: String,
    pub reference: String,
    pub version: String,
    pub date: String,
    pub language: String,
    pub editions: Vec<String>,
    pub description: String,
    #[serde(skip)]
    pub allow_raw_html: bool,
    /// Count warnings as errors.
    #[serde(skip)]
    pub strict: bool,
    /// Paper size overrides for print pages, by edition.
    #[serde(skip)]
    pub print_paper: BTreeMap<String, crate::kinds::PaperSize>,
    /// The short title in an edition's own words, by edition id.
    pub edition_titles: BTreeMap<String, String>,
    /// The phase tag of the banner on every page, and its sentence.
    pub phase: Option<String>,
    pub phase_text: Option<String>,
    /// The footer's licence line, and the address of its terms.
    pub licence: Option<String>,
    pub licence_url: Option<String>,
}

/// A quality statement, resolved.
#[derive(Debug, Clone)]
pub struct Statement {
    pub id: String,
    pub number: u32,
    pub title: String,
    /// The title in young people's words, when there is one.
    pub easy_read_title: Option<String>,
    /// A shorter title, for editions that show short titles.
    pub short_title: Option<String>,
    /// The group it is listed under in grouped contents.
    pub group: Option<String>,
    pub statement: String,
    pub headline: String,
    pub plain: String,
    pub audiences: Audiences,
    pub who_to_ask: Option<String>,
    pub measures: Measures,
    pub easy_read: Vec<EasyReadBlock>,
    pub recommendations: Vec<String>,
    pub cites: Vec<Citation>,
    pub related: Vec<String>,
    /// The rationale (the Markdown body), as HTML.
    pub rationale: String,
    /// Where each derived text stands against the current wording.
    pub texts: BTreeMap<DerivedText, TextState>,
    /// The file it came from.
    pub file: String,
}

/// What a statement means for each audience, as HTML.
#[derive(Debug, Clone)]
pub struct Audiences {
    pub commissioners: String,
    pub providers: String,
    pub carers: String,
    pub young_people: String,
}

impl Audiences {
    /// The text for an audience.
    pub fn get(&self, audience: Audience) -> &str {
        match audience {
            Audience::Commissioners => &self.commissioners,
            Audience::Providers => &self.providers,
            Audience::Carers => &self.carers,
            Audience::YoungPeople => &self.young_people,
        }
    }
}

/// Quality measures.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Measures {
    pub structure: Vec<Measure>,
    pub process: Vec<Measure>,
    pub outcome: Vec<Measure>,
}

/// One quality measure.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Measure {
    pub text: String,
    pub numerator: Option<String>,
    pub denominator: Option<String>,
    /// The measure as a ratio sentence, for process measures.
    pub ratio: Option<String>,
    pub data_source: String,
}

/// An easy-read block.
#[derive(Debug, Clone)]
pub struct EasyReadBlock {
    pub picture: Option<String>,
    pub alt: String,
    /// One sentence per entry, in order.
    pub sentences: Vec<String>,
}

/// A recommendation, resolved.
#[derive(Debug, Clone)]
pub struct Recommendation {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub topic: String,
    pub who: Vec<String>,
    pub cites: Vec<Citation>,
    /// What action to take, as HTML.
    pub action: String,
    pub file: String,
}

/// A register entry.
#[derive(Debug, Clone)]
pub struct Instrument {
    pub id: String,
    pub title: String,
    pub kind: InstrumentKind,
    pub year: u32,
    pub publisher: String,
    pub status: LegalStatus,
    pub superseded_by: Option<String>,
    pub url: String,
    pub summary: String,
    pub easy_read: String,
    /// Its name in young people's words (its title when the register gives none).
    pub easy_read_name: String,
    pub audiences: Vec<String>,
    pub pinpoints: Vec<Pinpoint>,
    /// Where its entry starts in the register (a byte offset), to find its sentences by.
    pub source_offset: usize,
}

/// A citable part of a register entry.
#[derive(Debug, Clone)]
pub struct Pinpoint {
    pub key: String,
    pub label: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub status: LegalStatus,
}

impl Instrument {
    /// The pinpoint with this key.
    pub fn pinpoint(&self, key: &str) -> Option<&Pinpoint> {
        self.pinpoints.iter().find(|p| p.key == key)
    }
}

/// A glossary term.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Term {
    pub id: String,
    pub term: String,
    pub abbreviations: Vec<String>,
    pub definition: String,
    pub easy_read: String,
    /// The word as young people meet it, when it differs from `term`.
    pub easy_read_term: Option<String>,
    /// Where its entry starts in the glossary (a byte offset), to find its sentences by.
    pub source_offset: usize,
}

impl Term {
    /// The phrases that name the term in running text: "Kinship carer (family and friends
    /// carer)" is named by "kinship carer" and by "family and friends carer". Lower case.
    pub fn phrases(&self) -> Vec<String> {
        let lower = self.term.to_lowercase();
        let mut phrases = Vec::new();
        match lower.split_once('(') {
            Some((main, rest)) => {
                phrases.push(main.trim().to_string());
                let inner = rest.trim_end().trim_end_matches(')').trim();
                if !inner.is_empty() {
                    phrases.push(inner.to_string());
                }
            }
            None => phrases.push(lower.trim().to_string()),
        }
        phrases.retain(|p| !p.is_empty());
        phrases
    }
}

/// Who cites a register entry.
#[derive(Debug, Clone, Default)]
pub struct CitedBy {
    /// Indexes into `Corpus::statements`.
    pub statements: Vec<usize>,
    /// Indexes into `Corpus::recommendations`.
    pub recommendations: Vec<usize>,
}

/// The whole publication, resolved and ready for the editions.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub site: Site,
    /// Sorted by number.
    pub statements: Vec<Statement>,
    /// Sorted by number.
    pub recommendations: Vec<Recommendation>,
    /// In register order.
    pub instruments: Vec<Instrument>,
    /// Sorted by term.
    pub terms: Vec<Term>,
    pub pictures: Vec<PictureFile>,
    /// Register id to who cites it.
    pub cited_by: BTreeMap<String, CitedBy>,
    /// The register file, as named in diagnostics, if there is one.
    pub register_file: Option<String>,
    /// The glossary file, as named in diagnostics, if there is one.
    pub glossary_file: Option<String>,
    /// Lookups by id, so that no page's work grows with the size of the corpus.
    pub index: CorpusIndex,
}

/// Positions by id, and who draws on each recommendation.
#[derive(Debug, Clone, Default)]
pub struct CorpusIndex {
    pub statements: std::collections::HashMap<String, usize>,
    pub recommendations: std::collections::HashMap<String, usize>,
    pub instruments: std::collections::HashMap<String, usize>,
    /// Recommendation position to the statements (positions) drawn from it.
    pub statements_of_recommendation: Vec<Vec<usize>>,
}

impl CorpusIndex {
    pub(super) fn new(
        statements: &[Statement],
        recommendations: &[Recommendation],
        instruments: &[Instrument],
    ) -> Self {
        let recommendation_positions: std::collections::HashMap<String, usize> =
            recommendations.iter().enumerate().map(|(i, r)| (r.id.clone(), i)).collect();
        let mut statements_of_recommendation = vec![Vec::new(); recommendations.len()];
        for (s, statement) in statements.iter().enumerate() {
            for id in &statement.recommendations {
                if let Some(&r) = recommendation_positions.get(id) {
                    if !statements_of_recommendation[r].contains(&s) {
                        statements_of_recommendation[r].push(s);
                    }
                }
            }
        }
        CorpusIndex {
            statements: statements.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect(),
            recommendations: recommendation_positions,
            instruments: instruments.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect(),
            statements_of_recommendation,
        }
    }
}

impl Corpus {
    /// The statement with this id.
    pub fn statement(&self, id: &str) -> Option<&Statement> {
        self.index.statements.get(id).and_then(|&i| self.statements.get(i))
    }

    /// The recommendation with this id.
    pub fn recommendation(&self, id: &str) -> Option<&Recommendation> {
        self.index.recommendations.get(id).and_then(|&i| self.recommendations.get(i))
    }

    /// The statements drawn from the recommendation at `position`.
    pub fn statements_of_recommendation(&self, position: usize) -> impl Iterator<Item = &Statement> {
        self.index
            .statements_of_recommendation
            .get(position)
            .into_iter()
            .flatten()
            .filter_map(|&s| self.statements.get(s))
    }

    /// The register entry with this id.
    pub fn instrument(&self, id: &str) -> Option<&Instrument> {
        self.index.instruments.get(id).and_then(|&i| self.instruments.get(i))
    }
}

/// What the model needs to know about the theme's editions, read from their files.
#[derive(Debug, Clone, Default)]
pub struct ThemeFacts {
    /// Picture name to its default alt text.
    pub pictures: BTreeMap<String, String>,
    /// Every edition id of the theme, including editions whose file has errors (so the content
    /// is not blamed for naming them).
    pub editions: BTreeSet<String>,
    /// The Easy Read rules that hold for every easy-read edition (the strictest of each limit).
    pub easy_read_rules: crate::model::checks::easy_read::Rules,
    /// The editions a register entry without `audiences` is shown to.
    pub register_default: Vec<String>,
    /// The tightest headline limit an edition sets, and that edition's name.
    pub headline_limit: Option<(usize, String)>,
}
