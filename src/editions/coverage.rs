//! Edition coverage: which derived texts each edition shows, and which statements lack one.

use serde::Serialize;

use crate::editions::{EditionFile, StatementText};
use crate::kinds::DerivedText;
use crate::model::review::TextState;
use crate::model::Corpus;

/// The derived texts an edition shows, by the keys of `reviews.yaml`.
pub fn edition_texts(edition: &EditionFile) -> Vec<DerivedText> {
    let mut keys = Vec::new();
    match edition.statement_text {
        StatementText::Plain => keys.push(DerivedText::Plain),
        StatementText::Headline => keys.push(DerivedText::Headline),
        StatementText::Full | StatementText::None => {}
    }
    keys.extend(edition.audiences.iter().map(|a| DerivedText::Audience(a.key)));
    if edition.easy_read {
        keys.push(DerivedText::EasyRead);
    }
    keys
}

/// For each statement and edition: does the edition have its own current text?
#[derive(Debug, Clone, Default, Serialize)]
pub struct Coverage {
    pub editions: Vec<String>,
    pub rows: Vec<CoverageRow>,
}

/// One statement's row of the coverage report.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageRow {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub file: String,
    /// Edition id to its state.
    pub editions: Vec<(String, CoverageState)>,
}

/// Where an edition stands on one statement: the worst state of the derived texts it shows.
/// The variants are in order of how much they need an editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum CoverageState {
    /// Every text it shows is its own and reviewed against the current wording (or it shows
    /// only the statement itself).
    #[serde(rename = "own text")]
    OwnText,
    #[serde(rename = "not reviewed")]
    NotReviewed,
    #[serde(rename = "stale")]
    Stale,
    #[serde(rename = "missing")]
    Missing,
}

impl CoverageState {
    /// A word for reports.
    pub fn label(self) -> &'static str {
        match self {
            CoverageState::OwnText => "own text",
            CoverageState::NotReviewed => "not reviewed",
            CoverageState::Stale => "stale",
            CoverageState::Missing => "missing",
        }
    }

    fn of(text: &TextState) -> CoverageState {
        match text {
            TextState::Current => CoverageState::OwnText,
            TextState::Unreviewed => CoverageState::NotReviewed,
            TextState::Stale { .. } => CoverageState::Stale,
            TextState::Missing => CoverageState::Missing,
        }
    }
}

/// Works out the coverage of the editions the site builds.
pub fn coverage(corpus: &Corpus, definitions: &[EditionFile]) -> Coverage {
    let editions: Vec<&EditionFile> =
        corpus.site.editions.iter().filter_map(|id| definitions.iter().find(|d| &d.id == id)).collect();
    let rows = corpus
        .statements
        .iter()
        .map(|statement| {
            let states: Vec<(String, CoverageState)> = editions
                .iter()
                .map(|edition| {
                    // An edition that shows no derived text (the full statement only) is always its own.
                    let worst = edition_texts(edition)
                        .iter()
                        .filter_map(|k| statement.texts.get(k))
                        .map(CoverageState::of)
                        .max()
                        .unwrap_or(CoverageState::OwnText);
                    (edition.id.clone(), worst)
                })
                .collect();
            CoverageRow {
                id: statement.id.clone(),
                number: statement.number,
                title: statement.title.clone(),
                file: statement.file.clone(),
                editions: states,
            }
        })
        .collect();
    Coverage { editions: editions.iter().map(|e| e.id.clone()).collect(), rows }
}

/// The coverage report as plain text, for `check`.
pub fn coverage_text(coverage: &Coverage) -> String {
    let mut out = String::from("Edition coverage (own text / missing / stale / not reviewed):\n");
    let width = coverage.rows.iter().map(|r| r.id.len()).max().unwrap_or(4).max(9);
    out.push_str(&format!("  {:width$}", "statement"));
    for edition in &coverage.editions {
        out.push_str(&format!("  {edition:14}"));
    }
    out.push('\n');
    for row in &coverage.rows {
        out.push_str(&format!("  {:width$}", row.id));
        for (_, state) in &row.editions {
            out.push_str(&format!("  {:14}", state.label()));
        }
        out.push('\n');
    }
    out
}
