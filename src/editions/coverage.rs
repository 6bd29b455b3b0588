//! Edition coverage: which derived texts each edition shows, and which statements lack one.

use serde::Serialize;

use crate::editions::{EditionFile, StatementText};
use crate::model::review::TextState;
use crate::model::Corpus;

/// The derived texts an edition shows, by the keys of `reviews.yaml`.
pub fn edition_texts(edition: &EditionFile) -> Vec<&str> {
    let mut keys = Vec::new();
    match edition.statement_text {
        StatementText::Plain => keys.push("plain"),
        StatementText::Headline => keys.push("headline"),
        StatementText::Full | StatementText::None => {}
    }
    keys.extend(edition.audiences.iter().map(|a| a.key.key()));
    if edition.easy_read {
        keys.push("easy_read");
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
    /// Edition id to its state: "own text", "missing", "stale" or "not reviewed".
    pub editions: Vec<(String, String)>,
}

/// Works out the coverage of the editions the site builds.
pub fn coverage(corpus: &Corpus, definitions: &[EditionFile]) -> Coverage {
    let editions: Vec<&EditionFile> =
        corpus.site.editions.iter().filter_map(|id| definitions.iter().find(|d| &d.id == id)).collect();
    let rows = corpus
        .statements
        .iter()
        .map(|statement| {
            let states: Vec<(String, String)> = editions
                .iter()
                .map(|edition| {
                    let keys = edition_texts(edition);
                    let worst = keys.iter().filter_map(|k| statement.texts.get(k)).fold("own text", |worst, state| {
                        let rank = |s: &str| match s {
                            "missing" => 3,
                            "stale" => 2,
                            "not reviewed" => 1,
                            _ => 0,
                        };
                        let label = match state {
                            TextState::Current => "own text",
                            other => other.label(),
                        };
                        if rank(label) > rank(worst) {
                            label
                        } else {
                            worst
                        }
                    });
                    // An edition that shows no derived text (the full statement only) is always its own.
                    (edition.id.clone(), worst.to_string())
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
            out.push_str(&format!("  {state:14}"));
        }
        out.push('\n');
    }
    out
}
