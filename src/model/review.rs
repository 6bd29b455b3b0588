//! Keeping editions consistent: each derived text (audience texts, easy-read blocks, the plain
//! wording and the pocket headline) records which wording of its statement it was last reviewed
//! against. When the statement's wording changes, the derived texts are stale until an editor
//! updates or confirms them with `guidepress review`.
//!
//! The records live in `reviews.yaml` beside `site.yaml`. guidepress writes it; editors never
//! need to. Each record keeps the reviewed wording itself, so a stale text can be shown a word
//! diff of what changed.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::kinds::DerivedText;
use crate::load::StatementReview;

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
    present: &BTreeMap<DerivedText, bool>,
    record: Option<&StatementReview>,
) -> BTreeMap<DerivedText, TextState> {
    let current = fingerprint(wording);
    DerivedText::ALL
        .iter()
        .map(|key| {
            let state = if !present.get(key).copied().unwrap_or(false) {
                TextState::Missing
            } else {
                match record.and_then(|r| r.texts.get(key.key())) {
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
pub fn mark_reviewed(record: &mut StatementReview, wording: &str, keys: &[DerivedText]) {
    let current = fingerprint(wording);
    record.wordings.insert(current.clone(), wording.split_whitespace().collect::<Vec<_>>().join(" "));
    for key in keys {
        record.texts.insert(key.key().to_string(), current.clone());
    }
    let used: BTreeSet<&String> = record.texts.values().collect();
    record.wordings.retain(|fp, _| used.contains(fp));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::Audience;

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
        let providers = DerivedText::Audience(Audience::Providers);
        let carers = DerivedText::Audience(Audience::Carers);
        let present: BTreeMap<DerivedText, bool> = DerivedText::ALL.iter().map(|k| (*k, *k != providers)).collect();
        let mut record = StatementReview::default();
        mark_reviewed(&mut record, "old wording", &[carers, DerivedText::Headline]);
        mark_reviewed(&mut record, "new wording", &[DerivedText::Headline]);
        let states = text_states("new wording", &present, Some(&record));
        assert_eq!(states[&DerivedText::Headline], TextState::Current);
        assert_eq!(states[&carers], TextState::Stale { reviewed_wording: Some("old wording".into()) });
        assert_eq!(states[&DerivedText::Plain], TextState::Unreviewed);
        assert_eq!(states[&providers], TextState::Missing);
        assert_eq!(record.wordings.len(), 2);
        mark_reviewed(&mut record, "new wording", &[carers]);
        assert_eq!(record.wordings.len(), 1, "unused wordings are dropped");
    }
}
