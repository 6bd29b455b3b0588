//! Citations: the short references editors type, such as `children-act-1989 s22C`.
//!
//! The syntax is the register entry's id, then optionally a space and a pinpoint key that the
//! register lists for that entry. Parsing is separate from resolving so that the syntax can be
//! checked (and fuzzed) without a register.

use std::collections::HashMap;
use std::fmt;

use crate::diagnostics::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::kinds::LegalStatus;
use crate::model::{Instrument, MAX_PROBLEMS_PER_FILE};
use crate::source::Document;

/// A parsed citation, not yet checked against the register.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Citation {
    /// The register entry's id.
    pub instrument: String,
    /// The pinpoint key, if any.
    pub pinpoint: Option<String>,
}

impl fmt::Display for Citation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.pinpoint {
            Some(pinpoint) => write!(f, "{} {}", self.instrument, pinpoint),
            None => f.write_str(&self.instrument),
        }
    }
}

/// Why a citation could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CitationSyntaxError {
    Empty,
    TooManyParts(usize),
    BadInstrumentId(String),
}

impl fmt::Display for CitationSyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CitationSyntaxError::Empty => f.write_str("the citation is empty"),
            CitationSyntaxError::TooManyParts(n) => {
                write!(f, "a citation has at most 2 parts (the register id and a pinpoint), but this one has {n}")
            }
            CitationSyntaxError::BadInstrumentId(id) => write!(f, "`{id}` is not a valid register id"),
        }
    }
}

impl std::error::Error for CitationSyntaxError {}

/// Parses `id` or `id pinpoint`.
pub fn parse(text: &str) -> Result<Citation, CitationSyntaxError> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    match parts.as_slice() {
        [] => Err(CitationSyntaxError::Empty),
        [id] => check_id(id).map(|instrument| Citation { instrument, pinpoint: None }),
        [id, pinpoint] => {
            check_id(id).map(|instrument| Citation { instrument, pinpoint: Some((*pinpoint).to_string()) })
        }
        more => Err(CitationSyntaxError::TooManyParts(more.len())),
    }
}

fn check_id(id: &str) -> Result<String, CitationSyntaxError> {
    if is_valid_id(id) {
        Ok(id.to_string())
    } else {
        Err(CitationSyntaxError::BadInstrumentId(id.to_string()))
    }
}

/// Whether `id` is a valid id: lower-case ASCII letters, digits and single hyphens, starting with
/// a letter, at most 80 characters. Ids become file names, so nothing else is allowed.
pub fn is_valid_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 80
        && bytes[0].is_ascii_lowercase()
        && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && !id.ends_with('-')
        && !id.contains("--")
}

/// Ids that are valid but may not be used: `index` is the name of the folder pages that list
/// statements, recommendations and the law, and the others are device names that Windows will not
/// let a file be called (whatever its extension), so a site holding them could not be copied there.
pub const RESERVED_IDS: &[&str] = &[
    "index", "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
    "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Whether `id` is one of the [`RESERVED_IDS`].
pub fn is_reserved_id(id: &str) -> bool {
    RESERVED_IDS.contains(&id)
}

/// A valid id made from any text, to suggest when an id is invalid.
pub fn suggest_id(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-').trim_start_matches(|c: char| c.is_ascii_digit() || c == '-');
    if trimmed.is_empty() {
        "item".to_string()
    } else {
        trimmed.chars().take(80).collect::<String>().trim_end_matches('-').to_string()
    }
}

pub(super) struct CitationChecker<'a> {
    pub(super) instruments: &'a [Instrument],
    /// The instruments by id.
    pub(super) by_id: HashMap<&'a str, &'a Instrument>,
    /// The register is missing or broken: its own errors say so; don't add one per citation.
    pub(super) skip: bool,
}

impl<'a> CitationChecker<'a> {
    /// A checker against these instruments; a duplicated id resolves to its first entry.
    pub(super) fn new(instruments: &'a [Instrument], skip: bool) -> Self {
        let mut by_id: HashMap<&str, &Instrument> = HashMap::new();
        for instrument in instruments {
            by_id.entry(instrument.id.as_str()).or_insert(instrument);
        }
        CitationChecker { instruments, by_id, skip }
    }

    pub(super) fn check_all(&self, raw: &[String], doc: &Document, diagnostics: &mut Diagnostics) -> Vec<Citation> {
        // Find each citation after the one before, so a long list is searched once, not once per item.
        let mut from = 0;
        let mut unknown = 0;
        raw.iter()
            .filter_map(|text| {
                let span = doc.find_value_from("cites", text, from);
                if let Some(span) = &span {
                    from = span.end;
                }
                self.check(text, span, doc, &mut unknown, diagnostics)
            })
            .collect()
    }

    pub(super) fn check(
        &self,
        text: &str,
        span: Option<std::ops::Range<usize>>,
        doc: &Document,
        unknown: &mut usize,
        diagnostics: &mut Diagnostics,
    ) -> Option<Citation> {
        let citation = match parse(text) {
            Ok(c) => c,
            // `- a s1` with `- b s2` indented under it reads as one item, "a s1 - b s2".
            Err(CitationSyntaxError::TooManyParts(_)) if text.contains(" - ") => {
                let (first, rest) = text.split_once(" - ").unwrap_or((text, ""));
                let second = rest.split(" - ").next().unwrap_or(rest);
                let written = format!("- {second}");
                let at = doc.text.find(&format!("- {first}")).unwrap_or(0);
                let span = doc.text[at..].find(&written).map(|i| at + i..at + i + written.len()).or(span);
                diagnostics.push(
                    doc.diagnostic(
                        Diagnostic::error(
                            Code::BadCitation,
                            format!("this citation is indented more than `{first}` above it, so the two are read as one: `{text}`"),
                        )
                        .field("cites")
                        .help("start each citation on its own line with `- `, at the same indentation as the others"),
                        span,
                    ),
                );
                return None;
            }
            Err(error) => {
                diagnostics.push(
                    doc.diagnostic(
                        Diagnostic::error(Code::BadCitation, format!("`{text}` is not a citation: {error}"))
                            .field("cites")
                            .help("write the register id, a space, then the pinpoint: e.g. `children-act-1989 s22C`"),
                        span,
                    ),
                );
                return None;
            }
        };
        if self.skip {
            return Some(citation);
        }
        let Some(instrument) = self.by_id.get(citation.instrument.as_str()).copied() else {
            *unknown += 1;
            let suggestion = if *unknown <= MAX_PROBLEMS_PER_FILE {
                did_you_mean(&citation.instrument, self.instruments.iter().map(|i| i.id.as_str()))
            } else {
                None
            };
            diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error(
                        Code::UnknownCitation,
                        format!("`{}` is not in the statutory register", citation.instrument),
                    )
                    .field("cites")
                    .maybe_help(suggestion)
                    .help("add the instrument to register.yaml, or cite one that is there"),
                    span,
                ),
            );
            return None;
        };
        if let Some(key) = &citation.pinpoint {
            match instrument.pinpoint(key) {
                None => {
                    let keys: Vec<&str> = instrument.pinpoints.iter().map(|p| p.key.as_str()).collect();
                    let listed = if keys.is_empty() { "none".to_string() } else { keys.join(", ") };
                    diagnostics.push(doc.diagnostic(
                        Diagnostic::error(Code::UnknownPinpoint, format!("`{}` has no pinpoint `{key}` in the register", instrument.id))
                            .field("cites")
                            .maybe_help(did_you_mean(key, keys.iter().copied()))
                            .help(format!("the pinpoints listed for it are: {listed}; add `{key}` to its `pinpoints` in register.yaml if it is right")),
                        span,
                    ));
                    return None;
                }
                Some(pinpoint)
                    if pinpoint.status == LegalStatus::Prospective && instrument.status != LegalStatus::Prospective =>
                {
                    diagnostics.push(doc.diagnostic(
                        Diagnostic::warning(Code::Prospective, format!("{} of {} is not yet in force", pinpoint.label, instrument.title))
                            .field("cites")
                            .help("make clear in the text that this provision is not in force yet, or cite the law in force now"),
                        span.clone(),
                    ));
                }
                Some(_) => {}
            }
        }
        match instrument.status {
            LegalStatus::Superseded => {
                let replacement = instrument
                    .superseded_by
                    .as_deref()
                    .and_then(|id| self.by_id.get(id).copied())
                    .map(|i| format!("cite `{}` ({}) instead", i.id, i.title))
                    .unwrap_or_else(|| "cite the instrument that replaced it".to_string());
                diagnostics.push(
                    doc.diagnostic(
                        Diagnostic::warning(Code::Superseded, format!("{} has been superseded", instrument.title))
                            .field("cites")
                            .help(replacement),
                        span,
                    ),
                );
            }
            LegalStatus::Prospective => diagnostics.push(
                doc.diagnostic(
                    Diagnostic::warning(Code::Prospective, format!("{} is not yet in force", instrument.title))
                        .field("cites")
                        .help("make clear in the text that it is not in force yet"),
                    span,
                ),
            ),
            LegalStatus::InForce => {}
        }
        Some(citation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_forms() {
        assert_eq!(
            parse("children-act-1989 s22C").unwrap(),
            Citation { instrument: "children-act-1989".into(), pinpoint: Some("s22C".into()) }
        );
        assert_eq!(parse("  children-act-2004 ").unwrap().pinpoint, None);
    }

    #[test]
    fn rejects_bad_syntax() {
        assert_eq!(parse(""), Err(CitationSyntaxError::Empty));
        assert_eq!(parse("a b c"), Err(CitationSyntaxError::TooManyParts(3)));
        assert!(matches!(parse("Children-Act s1"), Err(CitationSyntaxError::BadInstrumentId(_))));
        assert!(matches!(parse("../etc s1"), Err(CitationSyntaxError::BadInstrumentId(_))));
    }

    #[test]
    fn ids_are_safe_file_names() {
        assert!(is_valid_id("qs-1"));
        assert!(!is_valid_id("QS-1"));
        assert!(!is_valid_id("../x"));
        assert!(!is_valid_id("a/b"));
        assert!(!is_valid_id("-a"));
        assert!(!is_valid_id(""));
        assert_eq!(suggest_id("QS 1: Warm care!"), "qs-1-warm-care");
        assert_eq!(suggest_id("../../etc"), "etc");
    }

    #[test]
    fn reserved_ids_are_valid_but_reserved() {
        for id in ["index", "con", "nul", "lpt9"] {
            assert!(is_valid_id(id) && is_reserved_id(id), "{id}");
        }
        assert!(!is_reserved_id("qs-1"));
        assert!(!is_reserved_id("index-of-terms"));
    }
}
