//! Keeping editions consistent: each derived text (audience texts, easy-read blocks, the plain
//! wording and the pocket headline) records which wording of its statement it was last reviewed
//! against. When the statement's wording changes, the derived texts are stale until an editor
//! updates or confirms them with `guidepress review`.
//!
//! The records live in `reviews.yaml` beside `site.yaml`. guidepress writes it; editors never
//! need to. Each record keeps the reviewed wording itself, so a stale text can be shown a word
//! diff of what changed.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::editions::{EditionFile, StatementText};
use crate::model::Corpus;
use crate::text::markdown::escape;

/// The file, relative to the content folder.
pub const REVIEWS_FILE: &str = "reviews.yaml";

/// The derived texts of a statement, by the keys used in `reviews.yaml`.
pub const DERIVED_TEXTS: [&str; 7] =
    ["headline", "plain", "commissioners", "providers", "carers", "young_people", "easy_read"];

/// `reviews.yaml`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewsFile {
    #[serde(default)]
    pub statements: BTreeMap<String, StatementReview>,
}

/// The review record of one statement.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct StatementReview {
    /// Wordings the texts were reviewed against, by fingerprint.
    #[serde(default)]
    pub wordings: BTreeMap<String, String>,
    /// Derived text key to the fingerprint of the wording it was last reviewed against.
    #[serde(default)]
    pub texts: BTreeMap<String, String>,
}

/// A short fingerprint of a statement's wording. Whitespace differences do not count.
pub fn fingerprint(wording: &str) -> String {
    let normalised = wording.split_whitespace().collect::<Vec<_>>().join(" ");
    let digest = Sha256::digest(normalised.as_bytes());
    digest.iter().take(4).map(|b| format!("{b:02x}")).collect()
}

/// Where a derived text stands against the current wording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum TextState {
    /// Reviewed against the current wording.
    Current,
    /// Reviewed against an earlier wording (given, when known).
    Stale { reviewed_wording: Option<String> },
    /// No review recorded yet.
    Unreviewed,
    /// The text is empty.
    Missing,
}

impl TextState {
    /// A word for reports.
    pub fn label(&self) -> &'static str {
        match self {
            TextState::Current => "current",
            TextState::Stale { .. } => "stale",
            TextState::Unreviewed => "not reviewed",
            TextState::Missing => "missing",
        }
    }
}

/// The state of each derived text of a statement.
pub fn text_states(
    wording: &str,
    present: &BTreeMap<&'static str, bool>,
    record: Option<&StatementReview>,
) -> BTreeMap<&'static str, TextState> {
    let current = fingerprint(wording);
    DERIVED_TEXTS
        .iter()
        .map(|key| {
            let state = if !present.get(key).copied().unwrap_or(false) {
                TextState::Missing
            } else {
                match record.and_then(|r| r.texts.get(*key)) {
                    None => TextState::Unreviewed,
                    Some(reviewed) if reviewed == &current => TextState::Current,
                    Some(reviewed) => {
                        TextState::Stale { reviewed_wording: record.and_then(|r| r.wordings.get(reviewed)).cloned() }
                    }
                }
            };
            (*key, state)
        })
        .collect()
}

/// A word diff for a terminal: removed words in `[-...-]`, added words in `{+...+}`. Runs of
/// changed words are kept together, so a phrase reads as one change.
pub fn word_diff(old: &str, new: &str) -> String {
    let old = old.split_whitespace().collect::<Vec<_>>().join(" ");
    let new = new.split_whitespace().collect::<Vec<_>>().join(" ");
    let diff = similar::TextDiff::from_words(old.as_str(), new.as_str());
    let mut out = String::new();
    let mut removed = String::new();
    let mut added = String::new();
    let flush = |out: &mut String, removed: &mut String, added: &mut String| {
        let spaced = removed.ends_with(' ') || added.ends_with(' ');
        if !removed.trim().is_empty() {
            out.push_str(&format!("[-{}-]", removed.trim()));
        }
        if !added.trim().is_empty() {
            out.push_str(&format!("{{+{}+}}", added.trim()));
        }
        if spaced {
            out.push(' ');
        }
        removed.clear();
        added.clear();
    };
    for change in diff.iter_all_changes() {
        let value = change.value();
        match change.tag() {
            similar::ChangeTag::Delete => removed.push_str(value),
            similar::ChangeTag::Insert => added.push_str(value),
            similar::ChangeTag::Equal if value.trim().is_empty() && !(removed.is_empty() && added.is_empty()) => {
                // A space between changed words belongs to the change.
                if !removed.is_empty() {
                    removed.push_str(value);
                }
                if !added.is_empty() {
                    added.push_str(value);
                }
            }
            similar::ChangeTag::Equal => {
                if !(removed.is_empty() && added.is_empty()) {
                    flush(&mut out, &mut removed, &mut added);
                }
                out.push_str(value);
            }
        }
    }
    flush(&mut out, &mut removed, &mut added);
    out.trim_end().to_string()
}

/// Marks `keys` of a statement as reviewed against `wording`, dropping wordings nothing uses.
pub fn mark_reviewed(record: &mut StatementReview, wording: &str, keys: &[&str]) {
    let current = fingerprint(wording);
    record.wordings.insert(current.clone(), wording.split_whitespace().collect::<Vec<_>>().join(" "));
    for key in keys {
        record.texts.insert((*key).to_string(), current.clone());
    }
    let used: BTreeSet<&String> = record.texts.values().collect();
    record.wordings.retain(|fp, _| used.contains(fp));
}

/// The derived texts an edition shows, by the keys of `reviews.yaml`.
pub fn edition_texts(edition: &EditionFile) -> Vec<&str> {
    let mut keys = Vec::new();
    match edition.statement_text {
        StatementText::Plain => keys.push("plain"),
        StatementText::Headline => keys.push("headline"),
        StatementText::Full | StatementText::None => {}
    }
    keys.extend(edition.audiences.iter().map(|a| a.key.as_str()));
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

/// Where the coverage report is written.
pub const COVERAGE_PAGE: &str = "reports/coverage.html";

/// The coverage report page for publishers: (output path, HTML). Not linked from the editions.
pub fn coverage_page(coverage: &Coverage, corpus: &Corpus, stylesheet: &str) -> (String, String) {
    let mut rows = String::new();
    for row in &coverage.rows {
        rows.push_str(&format!("<tr><th scope=\"row\">{} {}</th>", row.number, escape(&row.title)));
        for (edition, state) in &row.editions {
            let href = crate::editions::paths::statement(edition, &row.id);
            rows.push_str(&format!(
                "<td><a href=\"../{}\">{}<span class=\"visually-hidden\"> ({} edition)</span></a></td>",
                escape(&href),
                escape(state),
                escape(edition)
            ));
        }
        rows.push_str("</tr>\n");
    }
    let headers: String = coverage.editions.iter().map(|e| format!("<th scope=\"col\">{}</th>", escape(e))).collect();
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Edition coverage – {title}</title>\n<meta name=\"robots\" content=\"noindex\">\n<link rel=\"stylesheet\" href=\"../{stylesheet}\">\n</head>\n<body>\n<div class=\"container\">\n<main id=\"main-content\">\n<h1>Edition coverage</h1>\n<p class=\"lead\">For each statement, whether each edition has its own text, reviewed against the statement's current wording. A publisher's report: the editions do not link to it.</p>\n<div class=\"table-wrapper\" tabindex=\"0\" role=\"region\" aria-label=\"Coverage of the statements\">\n<table>\n<caption>Coverage of the {count} statements</caption>\n<thead><tr><th scope=\"col\">Statement</th>{headers}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n</div>\n<p><a href=\"../index.html\">Back to the publication</a></p>\n</main>\n</div>\n</body>\n</html>\n",
        lang = escape(&corpus.site.language),
        title = escape(&corpus.site.short_title),
        count = coverage.rows.len(),
        stylesheet = escape(stylesheet),
    );
    (COVERAGE_PAGE.to_string(), html)
}

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
                Diagnostic::error("unknown-statement", format!("there is no statement with the id `{id}`"))
                    .maybe_help(did_you_mean(id, statements.iter().map(|s| s.value.id.as_str()))),
            );
        }
    }
    if let Some(keys) = mark {
        for key in keys {
            if !DERIVED_TEXTS.contains(&key.as_str()) {
                diagnostics.push(
                    Diagnostic::error("unknown-text", format!("`{key}` is not a derived text"))
                        .maybe_help(did_you_mean(key, DERIVED_TEXTS.iter().copied()))
                        .help(format!("the derived texts are: {}", DERIVED_TEXTS.join(", "))),
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
        let present: BTreeMap<&'static str, bool> = DERIVED_TEXTS
            .iter()
            .map(|key| {
                let audiences = &statement.audiences;
                let has = |t: &Option<String>| t.as_deref().is_some_and(|t| !t.trim().is_empty());
                let present = match *key {
                    "headline" => !statement.headline.trim().is_empty(),
                    "plain" => !statement.plain.trim().is_empty(),
                    "commissioners" => has(&audiences.commissioners),
                    "providers" => has(&audiences.providers),
                    "carers" => has(&audiences.carers),
                    "young_people" => has(&audiences.young_people),
                    _ => !statement.easy_read.is_empty(),
                };
                (*key, present)
            })
            .collect();
        let record = file.statements.entry(statement.id.clone()).or_default();
        let states = text_states(&statement.statement, &present, Some(record));
        let to_mark: Vec<&str> = match mark {
            None => Vec::new(),
            Some([]) => states.iter().filter(|(_, s)| **s != TextState::Missing).map(|(k, _)| *k).collect(),
            Some(keys) => {
                keys.iter().map(String::as_str).filter(|k| present.get(k).copied().unwrap_or(false)).collect()
            }
        };
        if !to_mark.is_empty() {
            mark_reviewed(record, &statement.statement, &to_mark);
        }
        reports.push(StatementReport {
            id: statement.id.clone(),
            title: statement.title.clone(),
            wording: statement.statement.split_whitespace().collect::<Vec<_>>().join(" "),
            texts: DERIVED_TEXTS
                .iter()
                .map(|key| (*key, states.get(key).cloned().unwrap_or(TextState::Missing), to_mark.contains(key)))
                .collect(),
        });
    }
    if mark.is_some() {
        file.statements.retain(|_, record| !record.texts.is_empty());
        let yaml = crate::source::yaml::to_string(&file).map_err(|e| {
            let mut d = Diagnostics::new();
            d.push(Diagnostic::error("internal", format!("the review record could not be written as YAML: {e}")));
            d
        })?;
        let text = format!("# Written by `guidepress review`: which wording of each statement its derived texts were\n# last reviewed against. Do not edit by hand.\n{yaml}");
        let path = content.join(REVIEWS_FILE);
        let staging = content.join(format!(".{REVIEWS_FILE}.tmp"));
        std::fs::write(&staging, text).and_then(|()| std::fs::rename(&staging, &path)).map_err(|e| {
            let mut d = Diagnostics::new();
            d.push(
                Diagnostic::error("write", format!("could not write {}: {e}", path.display()))
                    .in_file(format!("{content_label}/{REVIEWS_FILE}")),
            );
            d
        })?;
    }
    Ok(reports)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_ignore_whitespace_only() {
        assert_eq!(fingerprint("a  b\nc"), fingerprint("a b c"));
        assert_ne!(fingerprint("a b c"), fingerprint("a b d"));
        assert_eq!(fingerprint("x").len(), 8);
    }

    #[test]
    fn word_diff_marks_changes() {
        assert_eq!(
            word_diff("children in care get help", "children and care leavers get help"),
            "children [-in-]{+and+} care {+leavers+} get help"
        );
        assert_eq!(
            word_diff("Children in care get it.", "Children in care and care leavers get it."),
            "Children in care {+and care leavers+} get it."
        );
        assert_eq!(word_diff("a b c", "a b c"), "a b c");
    }

    #[test]
    fn states_follow_the_record() {
        let present: BTreeMap<&'static str, bool> = DERIVED_TEXTS.iter().map(|k| (*k, *k != "providers")).collect();
        let mut record = StatementReview::default();
        mark_reviewed(&mut record, "old wording", &["carers", "headline"]);
        mark_reviewed(&mut record, "new wording", &["headline"]);
        let states = text_states("new wording", &present, Some(&record));
        assert_eq!(states["headline"], TextState::Current);
        assert_eq!(states["carers"], TextState::Stale { reviewed_wording: Some("old wording".into()) });
        assert_eq!(states["plain"], TextState::Unreviewed);
        assert_eq!(states["providers"], TextState::Missing);
        assert_eq!(record.wordings.len(), 2);
        mark_reviewed(&mut record, "new wording", &["carers"]);
        assert_eq!(record.wordings.len(), 1, "unused wordings are dropped");
    }
}
