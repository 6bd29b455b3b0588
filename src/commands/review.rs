//! `guidepress review`: which derived texts of a statement were reviewed against an earlier
//! wording, shown as a word diff; `--done` marks them as reviewed.

use std::collections::BTreeMap;

use crate::diagnostics::Code;
use crate::kinds::{Audience, DerivedText};
use crate::load::REVIEWS_FILE;
use crate::model::review::{mark_reviewed, text_states, word_diff, TextState};

/// What `guidepress review` reports for one statement.
#[derive(Debug, Clone)]
pub struct StatementReport {
    pub id: String,
    pub title: String,
    pub wording: String,
    /// Derived text key, its state before this review, and whether this review marked it.
    pub texts: Vec<(&'static str, TextState, bool)>,
}

impl StatementReport {
    /// The report as text for a terminal.
    pub fn text(&self) -> String {
        let mut out = format!("{} {}\n  wording now: {}\n", self.id, self.title, self.wording);
        // Show each earlier wording's diff once, and number it, since several texts share one.
        let mut earlier: Vec<&str> = Vec::new();
        for (_, state, _) in &self.texts {
            if let TextState::Stale { reviewed_wording: Some(old) } = state {
                if !earlier.contains(&old.as_str()) {
                    earlier.push(old);
                }
            }
        }
        for (n, old) in earlier.iter().enumerate() {
            out.push_str(&format!("  change {}: {}\n", n + 1, word_diff(old, &self.wording)));
        }
        for (key, state, marked) in &self.texts {
            let detail = match state {
                TextState::Stale { reviewed_wording: Some(old) } => {
                    let n = earlier.iter().position(|w| w == old).map_or(0, |i| i + 1);
                    format!("stale (written before change {n})")
                }
                other => other.label().to_string(),
            };
            let mark = if *marked { "  -> marked as reviewed" } else { "" };
            out.push_str(&format!("  {key:14} {detail}{mark}\n"));
        }
        out
    }
}

/// Shows (and with `mark`, records) the review state of statements in a content folder.
/// `ids` empty means every statement. `mark` is the derived texts to mark as reviewed against the
/// current wording: `Some(empty)` marks every text that is present.
///
/// It reads as the command does, in order (load, check the ids asked for, report or mark each
/// statement, write `reviews.yaml` through a temporary file), which is why it is a little over 100
/// lines.
pub fn review(
    content: &std::path::Path,
    content_label: &str,
    ids: &[String],
    mark: Option<&[String]>,
) -> Result<Vec<StatementReport>, crate::diagnostics::Diagnostics> {
    use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
    let mut diagnostics = Diagnostics::new();
    let loaded = crate::load::load(&crate::source::Root::Dir(content.to_path_buf()), content_label, &mut diagnostics);
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let mut statements: Vec<&crate::load::Parsed<crate::load::StatementFile>> = loaded.statements.iter().collect();
    statements.sort_by_key(|s| s.value.number);
    for id in ids {
        if !statements.iter().any(|s| &s.value.id == id) {
            diagnostics.push(
                Diagnostic::error(Code::UnknownStatement, format!("there is no statement with the id `{id}`"))
                    .maybe_help(did_you_mean(id, statements.iter().map(|s| s.value.id.as_str()))),
            );
        }
    }
    if let Some(keys) = mark {
        for key in keys {
            if DerivedText::from_key(key).is_none() {
                diagnostics.push(
                    Diagnostic::error(Code::UnknownText, format!("`{key}` is not a derived text"))
                        .maybe_help(did_you_mean(key, DerivedText::keys()))
                        .help(format!("the derived texts are: {}", DerivedText::keys().collect::<Vec<_>>().join(", "))),
                );
            }
        }
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let mut file = loaded.reviews.as_ref().map(|r| r.value.clone()).unwrap_or_default();
    let mut reports = Vec::new();
    for parsed in statements.iter().filter(|s| ids.is_empty() || ids.contains(&s.value.id)) {
        let statement = &parsed.value;
        let has = |t: &Option<String>| t.as_deref().is_some_and(|t| !t.trim().is_empty());
        let present: BTreeMap<DerivedText, bool> = DerivedText::ALL
            .into_iter()
            .map(|text| {
                let audiences = &statement.audiences;
                let present = match text {
                    DerivedText::Headline => !statement.headline.trim().is_empty(),
                    DerivedText::Plain => !statement.plain.trim().is_empty(),
                    DerivedText::Audience(Audience::Commissioners) => has(&audiences.commissioners),
                    DerivedText::Audience(Audience::Providers) => has(&audiences.providers),
                    DerivedText::Audience(Audience::Carers) => has(&audiences.carers),
                    DerivedText::Audience(Audience::YoungPeople) => has(&audiences.young_people),
                    DerivedText::EasyRead => !statement.easy_read.is_empty(),
                };
                (text, present)
            })
            .collect();
        let record = file.statements.entry(statement.id.clone()).or_default();
        let states = text_states(&statement.statement, &present, Some(record));
        let to_mark: Vec<DerivedText> = match mark {
            None => Vec::new(),
            Some([]) => states.iter().filter(|(_, s)| **s != TextState::Missing).map(|(k, _)| *k).collect(),
            Some(keys) => keys
                .iter()
                .filter_map(|k| DerivedText::from_key(k))
                .filter(|k| present.get(k).copied().unwrap_or(false))
                .collect(),
        };
        if !to_mark.is_empty() {
            mark_reviewed(record, &statement.statement, &to_mark);
        }
        reports.push(StatementReport {
            id: statement.id.clone(),
            title: statement.title.clone(),
            wording: statement.statement.split_whitespace().collect::<Vec<_>>().join(" "),
            texts: DerivedText::ALL
                .iter()
                .map(|key| (key.key(), states.get(key).cloned().unwrap_or(TextState::Missing), to_mark.contains(key)))
                .collect(),
        });
    }
    if mark.is_some() {
        file.statements.retain(|_, record| !record.texts.is_empty());
        let yaml = crate::source::yaml::to_string(&file).map_err(|e| {
            let mut d = Diagnostics::new();
            d.push(Diagnostic::error(Code::Internal, format!("the review record could not be written as YAML: {e}")));
            d
        })?;
        let text = format!("# Written by `guidepress review`: which wording of each statement its derived texts were\n# last reviewed against. Do not edit by hand.\n{yaml}");
        let path = content.join(REVIEWS_FILE);
        let staging = content.join(format!(".{REVIEWS_FILE}.tmp"));
        std::fs::write(&staging, text).and_then(|()| std::fs::rename(&staging, &path)).map_err(|e| {
            let mut d = Diagnostics::new();
            d.push(
                Diagnostic::error(Code::Write, format!("could not write {}: {e}", path.display()))
                    .in_file(format!("{content_label}/{REVIEWS_FILE}")),
            );
            d
        })?;
    }
    Ok(reports)
}
