//! Ids and numbers: their form, that each is claimed once, and where an entry sits in its file.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::model::citation;
use crate::source::Document;

pub(super) fn check_id(
    id: &str,
    doc: &Document,
    span: Option<std::ops::Range<usize>>,
    field: &str,
    diagnostics: &mut Diagnostics,
) {
    if citation::is_reserved_id(id) {
        diagnostics.push(doc.diagnostic(
            Diagnostic::error(Code::ReservedId, format!("`{id}` cannot be used as an id: it is a reserved name"))
                .field(field)
                .help(format!(
                    "ids become page names, and `{id}` would clash with a page guidepress writes itself or with a name Windows reserves; choose another, such as `{id}-1`"
                )),
            span,
        ));
    } else if !citation::is_valid_id(id) {
        diagnostics.push(doc.diagnostic(
            Diagnostic::error(Code::BadId, format!("`{id}` is not a valid id"))
                .field(field)
                .help(format!(
                    "ids use lower-case letters, digits and single hyphens, starting with a letter (they become file names); try `{}`",
                    citation::suggest_id(id)
                )),
            span,
        ));
    }
}

pub(super) fn check_numbers<'a>(
    items: impl Iterator<Item = (u32, &'a Document)>,
    what: &str,
    diagnostics: &mut Diagnostics,
) {
    let mut seen: BTreeMap<u32, &Document> = BTreeMap::new();
    for (number, doc) in items {
        if number == 0 {
            diagnostics.push(doc.diagnostic(
                Diagnostic::error(Code::BadNumber, format!("a {what} number starts at 1")).field("number"),
                doc.find_key("number"),
            ));
        }
        if let Some(first) = seen.insert(number, doc) {
            let (line, _) =
                first.find_key("number").map_or((1, 1), |s| crate::diagnostics::line_column(&first.text, s.start));
            diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error(
                        Code::DuplicateNumber,
                        format!("{what} number {number} is also used by {}:{line}", first.file),
                    )
                    .field("number")
                    .help(format!("give each {what} its own number")),
                    doc.find_key("number"),
                ),
            );
        }
    }
}

/// Where each `id:` line of a list file (register, glossary) is, found in one pass: looking
/// for each entry from the top of the file would grow with the square of the list's length.
pub(super) struct EntryAnchors {
    /// The id as written after `id: ` to the offset of `id: `; the first line wins.
    pub(super) lines: HashMap<String, usize>,
}

impl EntryAnchors {
    pub(super) fn new(doc: &Document) -> EntryAnchors {
        let mut lines = HashMap::new();
        let mut offset = doc.yaml.start;
        for line in doc.text[doc.yaml.clone()].split_inclusive('\n') {
            let trimmed = line.trim_start().trim_start_matches("- ").trim_start();
            if let Some(id) = trimmed.strip_prefix("id: ") {
                lines.entry(id.trim_end().to_string()).or_insert(offset + (line.len() - trimmed.len()));
            }
            offset += line.len();
        }
        EntryAnchors { lines }
    }

    /// The span of `anchor` (`id: <id>`) for this id; where the line is written some other way,
    /// the first place the anchor appears.
    pub(super) fn find(&self, doc: &Document, id: &str, anchor: &str) -> Option<std::ops::Range<usize>> {
        match self.lines.get(id) {
            Some(&start) => Some(start..start + anchor.len()),
            None => doc.find(&[anchor]),
        }
    }
}

/// Every id in the publication, to find duplicates (including ones that differ only in case).
#[derive(Default)]
pub(super) struct IdRegistry {
    /// Folded id to (id, file, the file's text, offset): the line is worked out only when a
    /// duplicate is reported.
    pub(super) claimed: HashMap<String, (String, String, std::sync::Arc<str>, usize)>,
    pub(super) known_broken: BTreeSet<String>,
}

impl IdRegistry {
    pub(super) fn claim(
        &mut self,
        id: &str,
        what: &str,
        doc: &Document,
        span: Option<std::ops::Range<usize>>,
        diagnostics: &mut Diagnostics,
    ) {
        let folded = id.to_lowercase();
        match self.claimed.get(&folded) {
            Some((other_id, other_file, other_text, other_offset)) => {
                let other_line = crate::diagnostics::line_column(other_text, *other_offset).0;
                let message = if other_id == id {
                    format!("the id `{id}` is already used by {other_file}:{other_line}")
                } else {
                    format!("the id `{id}` differs only in case from `{other_id}` in {other_file}:{other_line}")
                };
                diagnostics.push(
                    doc.diagnostic(
                        Diagnostic::error(Code::DuplicateId, message)
                            .field("id")
                            .help(format!("ids must be unique across the publication; give this {what} another id")),
                        span,
                    ),
                );
            }
            None => {
                let offset = span.as_ref().map_or(0, |s| s.start);
                self.claimed.insert(folded, (id.to_string(), doc.file.clone(), doc.text.clone(), offset));
            }
        }
    }
}
