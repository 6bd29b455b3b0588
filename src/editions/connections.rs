//! How the statements connect to the law: a matrix of statements against the instruments they
//! cite, for the connections page. Each statement page draws its own small map of the law and
//! statements it connects to from its view (`templates/connections-map.html`), in HTML, so its
//! labels wrap like any text and nothing is cut off.

use crate::editions::context::{dated_title, kind_label};
use crate::editions::{paths, CitationView, EditionFile, StatementLink};
use crate::model::Corpus;
use serde::Serialize;

/// Instruments of one kind, with a row each.
#[derive(Debug, Serialize)]
pub struct MatrixGroup {
    /// The kind's heading in the edition's words ("Acts of Parliament").
    pub kind: String,
    pub rows: Vec<MatrixRow>,
}

/// One instrument, and which statements cite it.
#[derive(Debug, Serialize)]
pub struct MatrixRow {
    pub title: String,
    pub law_page: String,
    /// One cell per statement, in statement order: the parts it cites ("section 22"), and
    /// whether it cites the instrument at all.
    pub cells: Vec<MatrixCell>,
    /// How many statements cite it.
    pub count: usize,
}

/// Whether a statement cites an instrument, and which parts.
#[derive(Debug, Default, Serialize)]
pub struct MatrixCell {
    pub cites: bool,
    pub parts: Vec<String>,
}

/// The matrix of `statements` (their citations as the edition shows them, in statement order)
/// against every instrument at least one of them cites, grouped by kind in register order.
pub fn matrix(corpus: &Corpus, edition: &EditionFile, citations: &[Vec<CitationView>]) -> Vec<MatrixGroup> {
    let mut groups: Vec<MatrixGroup> = Vec::new();
    for instrument in &corpus.instruments {
        let cells: Vec<MatrixCell> = citations
            .iter()
            .map(|law| {
                let mine: Vec<&CitationView> = law.iter().filter(|c| c.instrument == instrument.id).collect();
                MatrixCell {
                    cites: !mine.is_empty(),
                    parts: mine.iter().filter_map(|c| c.pinpoint_label.clone()).collect(),
                }
            })
            .collect();
        let count = cells.iter().filter(|c| c.cites).count();
        if count == 0 {
            continue;
        }
        let row = MatrixRow {
            title: dated_title(instrument),
            law_page: paths::law(&edition.id, &instrument.id),
            cells,
            count,
        };
        let kind = kind_label(edition, instrument.kind);
        match groups.iter_mut().find(|g| g.kind == kind) {
            Some(group) => group.rows.push(row),
            None => groups.push(MatrixGroup { kind, rows: vec![row] }),
        }
    }
    groups
}

/// A statement and the statements it relates to, for the list under the matrix.
#[derive(Debug, Serialize)]
pub struct RelatedRow {
    pub statement: StatementLink,
    pub related: Vec<StatementLink>,
}
