//! How the statements connect to the law: a matrix of statements against the instruments they
//! cite, for the connections page. Each statement page draws its own small map of the law and
//! statements it connects to from its view (`templates/connections-map.html`), in HTML, so its
//! labels wrap like any text and nothing is cut off.

use crate::editions::context::{dated_title, kind_label};
use crate::editions::{paths, CitationView, EditionFile, StatementLink};
use crate::model::Corpus;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The most statements in one table. A publication with more gets a table per run of this many
/// statements, each with only the law those statements cite, so the page grows with the number
/// of citations, not with statements × instruments.
pub const TABLE_STATEMENTS: usize = 12;

/// One table: a run of statements against the law they cite.
#[derive(Debug, Serialize)]
pub struct MatrixTable {
    /// The table's columns.
    pub statements: Vec<StatementLink>,
    /// Its rows, by kind of instrument.
    pub groups: Vec<MatrixGroup>,
}

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
    /// One cell per statement of the table, in statement order.
    pub cells: Vec<MatrixCell>,
    /// How many statements of the whole publication cite it.
    pub count: usize,
}

/// Whether a statement cites an instrument, and which parts.
#[derive(Debug, Default, Serialize)]
pub struct MatrixCell {
    pub cites: bool,
    /// The parts it cites ("section 22"); empty for the instrument as a whole.
    pub parts: Vec<String>,
}

/// The tables of `statements` (with their citations as the edition shows them, in statement
/// order) against the instruments they cite, rows grouped by kind in register order.
pub fn matrix(
    corpus: &Corpus,
    edition: &EditionFile,
    statements: &[StatementLink],
    citations: &[Vec<CitationView>],
) -> Vec<MatrixTable> {
    let position = &corpus.index.instruments;
    // Statements citing each instrument, across the publication.
    let mut count = vec![0usize; corpus.instruments.len()];
    for law in citations {
        let cited: BTreeSet<usize> = law.iter().filter_map(|c| position.get(&c.instrument).copied()).collect();
        for i in cited {
            count[i] += 1;
        }
    }
    let mut tables = Vec::new();
    for (links, law) in statements.chunks(TABLE_STATEMENTS).zip(citations.chunks(TABLE_STATEMENTS)) {
        // This table's instruments, in register order, each with a cell per statement.
        let mut rows: BTreeMap<usize, Vec<MatrixCell>> = BTreeMap::new();
        for (column, citations) in law.iter().enumerate() {
            for citation in citations {
                let Some(&i) = position.get(&citation.instrument) else { continue };
                let cells = rows.entry(i).or_insert_with(|| (0..links.len()).map(|_| MatrixCell::default()).collect());
                cells[column].cites = true;
                cells[column].parts.extend(citation.pinpoint_label.clone());
            }
        }
        let mut groups: Vec<MatrixGroup> = Vec::new();
        for (i, cells) in rows {
            let instrument = &corpus.instruments[i];
            let row = MatrixRow {
                title: dated_title(instrument),
                law_page: paths::law(&edition.id, &instrument.id),
                cells,
                count: count[i],
            };
            let kind = kind_label(edition, instrument.kind);
            match groups.iter_mut().find(|g| g.kind == kind) {
                Some(group) => group.rows.push(row),
                None => groups.push(MatrixGroup { kind, rows: vec![row] }),
            }
        }
        tables.push(MatrixTable { statements: links.to_vec(), groups });
    }
    tables
}

/// A statement and the statements it relates to, for the list under the matrix.
#[derive(Debug, Serialize)]
pub struct RelatedRow {
    pub statement: StatementLink,
    pub related: Vec<StatementLink>,
}
