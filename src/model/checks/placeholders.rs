//! The `FILL IN` markers that `guidepress new` writes: none may be published.

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::source::Document;

/// Text left as `guidepress new` wrote it is never published: one error per file, at its first
/// marker, listing the lines of all of them. A draft build (`build --draft`) makes it a warning.
pub(crate) fn report_placeholders(doc: &Document, diagnostics: &mut Diagnostics) {
    let marker = PLACEHOLDER;
    let mut first = None;
    let mut lines: Vec<usize> = Vec::new();
    let mut from = 0;
    while let Some(found) = doc.text[from..].find(marker) {
        let at = from + found;
        from = at + marker.len();
        first.get_or_insert(at);
        let line = doc.text[..at].matches('\n').count() + 1;
        if lines.last() != Some(&line) {
            lines.push(line);
        }
    }
    let Some(first) = first else { return };
    let texts = if lines.len() == 1 { "1 text".to_string() } else { format!("{} texts", lines.len()) };
    let where_ = if lines.len() == 1 { "line" } else { "lines" };
    let listed = lines.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
    diagnostics.push(
        doc.diagnostic(
            Diagnostic::error(Code::Placeholder, format!("{texts} still marked {marker}, so this file cannot be published"))
                .help(format!("write your own text in place of each {marker} ({where_} {listed}), and remove the marker"))
                .help("to look at the pages before they are finished, `guidepress build --draft` publishes them with a banner that says they are a draft"),
            Some(first..first + marker.len()),
        ),
    );
}

/// The marker for text an editor must replace.
pub const PLACEHOLDER: &str = "FILL IN";
