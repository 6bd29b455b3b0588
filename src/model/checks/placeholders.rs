//! The `FILL IN` markers that `guidepress new` writes: none may be published.

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::source::Document;

/// Text left as `guidepress new` wrote it: one warning per line still marked.
pub(crate) fn report_placeholders(doc: &Document, diagnostics: &mut Diagnostics) {
    let marker = PLACEHOLDER;
    let mut from = 0;
    let mut last_line: Option<usize> = None;
    while let Some(found) = doc.text[from..].find(marker) {
        let at = from + found;
        from = at + marker.len();
        let line = doc.text[..at].matches('\n').count();
        if last_line == Some(line) {
            continue;
        }
        last_line = Some(line);
        diagnostics.push(
            doc.diagnostic(
                Diagnostic::warning(Code::Placeholder, "this still has text to fill in")
                    .help(format!("replace the text marked {marker} with your own, and remove the marker")),
                Some(at..at + marker.len()),
            ),
        );
    }
}

/// The marker for text an editor must replace.
pub const PLACEHOLDER: &str = "FILL IN";
