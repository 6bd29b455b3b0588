//! Advice on the register and glossary as a whole: unused entries, and replacement loops.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::LoadedContent;
use crate::model::ids::EntryAnchors;
use crate::model::Instrument;
use crate::source::Document;

/// The register's and glossary's easy-read lines are shown in the easy-read edition: the same
/// rules apply to them.
pub(crate) fn lint_register_and_glossary(
    loaded: &LoadedContent,
    rules: &crate::model::checks::easy_read::Rules,
    vocabulary: &crate::model::checks::easy_read::Vocabulary,
    diagnostics: &mut Diagnostics,
) {
    if let Some(register) = &loaded.register {
        let anchors = EntryAnchors::new(&register.doc);
        for (index, instrument) in register.value.instruments.iter().enumerate() {
            let anchor = format!("id: {}", instrument.id);
            let from = anchors.find(&register.doc, &instrument.id, &anchor).map_or(0, |s| s.start);
            let place = crate::model::checks::easy_read::Place {
                doc: &register.doc,
                from,
                field: format!("instruments[{index}].easy_read"),
            };
            crate::model::checks::easy_read::lint(&instrument.easy_read, &place, rules, vocabulary, diagnostics);
            let name = instrument.easy_read_name.as_deref().unwrap_or(&instrument.title);
            if !names(&instrument.easy_read, name) {
                diagnostics.push(register.doc.diagnostic(
                    Diagnostic::warning(
                        Code::EasyReadLawName,
                        format!("the easy-read text of `{}` does not say its name", instrument.id),
                    )
                    .field(format!("instruments[{index}].easy_read"))
                    .help(format!(
                        "young people are told which law or guide this is: start with \"{name} is a law.\" (or \"is a guide.\"), or set `easy_read_name:` to the name the text uses"
                    )),
                    register.doc.find(&[&anchor, "easy_read:"]),
                ));
            }
        }
    }
    if let Some(glossary) = &loaded.glossary {
        let anchors = EntryAnchors::new(&glossary.doc);
        for (index, term) in glossary.value.terms.iter().enumerate() {
            let anchor = format!("id: {}", term.id);
            let from = anchors.find(&glossary.doc, &term.id, &anchor).map_or(0, |s| s.start);
            let place = crate::model::checks::easy_read::Place {
                doc: &glossary.doc,
                from,
                field: format!("terms[{index}].easy_read"),
            };
            crate::model::checks::easy_read::lint(&term.easy_read, &place, rules, vocabulary, diagnostics);
        }
    }
}

/// Whether `text` says `name`, ignoring case and a leading "the" ("the Children Act 1989").
fn names(text: &str, name: &str) -> bool {
    let name = name.trim();
    let name = name.strip_prefix("The ").or_else(|| name.strip_prefix("the ")).unwrap_or(name);
    text.to_lowercase().contains(&name.to_lowercase())
}

/// An entry superseded by itself, or by a chain that comes back to it (a → b → a), has no
/// replacement in force: an error on each entry of the loop, naming the whole loop.
pub(crate) fn report_replacement_cycles(instruments: &[Instrument], doc: &Document, diagnostics: &mut Diagnostics) {
    let by: BTreeMap<&str, &str> =
        instruments.iter().filter_map(|i| i.superseded_by.as_deref().map(|b| (i.id.as_str(), b))).collect();
    let mut reported: BTreeSet<&str> = BTreeSet::new();
    for start in by.keys().copied() {
        let mut path = vec![start];
        let mut next = by.get(start).copied();
        while let Some(id) = next {
            if let Some(at) = path.iter().position(|p| *p == id) {
                let cycle = &path[at..];
                // Each loop once, named from its first entry in the register.
                if cycle.iter().all(|c| reported.insert(c)) {
                    let shown: Vec<String> =
                        cycle.iter().chain(std::iter::once(&id)).map(|c| format!("`{c}`")).collect();
                    for entry in cycle {
                        let message = if cycle.len() == 1 {
                            format!("`{entry}` is superseded by itself")
                        } else {
                            format!("`{entry}` is superseded in a loop: {}", shown.join(" → "))
                        };
                        diagnostics.push(doc.diagnostic(
                            Diagnostic::error(Code::ReplacementLoop, message)
                                .field("superseded_by")
                                .help("`superseded_by` names the entry in force that replaced this one; break the loop by correcting it"),
                            doc.find(&[&format!("id: {entry}"), "superseded_by:"]),
                        ));
                    }
                }
                break;
            }
            if path.len() > by.len() {
                break;
            }
            path.push(id);
            next = by.get(id).copied();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_law_s_easy_read_text_names_it() {
        assert!(names("The Children Act 1989 is a law.", "The Children Act 1989"));
        assert!(names("It is in the children act 1989.", "Children Act 1989"));
        assert!(!names("This is the law that says how councils must care for you.", "Children Act 1989"));
    }
}
