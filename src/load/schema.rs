//! The file formats, one schema per kind of content file (`content/README.md` documents them).
//! Each refuses unknown fields, so a misspelt field is never silently ignored.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::kinds::{InstrumentKind, LegalStatus, PaperSize};
use crate::source::yaml::EMPTY_TEXT;

/// `site.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteFile {
    #[serde(deserialize_with = "text")]
    pub title: String,
    #[serde(deserialize_with = "text")]
    pub short_title: String,
    #[serde(deserialize_with = "text")]
    pub publisher: String,
    #[serde(deserialize_with = "text")]
    pub reference: String,
    pub version: Scalar,
    pub date: Scalar,
    #[serde(deserialize_with = "text")]
    pub language: String,
    #[serde(deserialize_with = "texts")]
    pub editions: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Raw HTML in Markdown is escaped unless this is true.
    #[serde(default)]
    pub allow_raw_html: bool,
    /// Count warnings as errors, as `--strict` does.
    #[serde(default)]
    pub strict: bool,
    /// Paper sizes for editions' print pages, e.g. `{pocket: a5}`.
    #[serde(default)]
    pub print_paper: std::collections::BTreeMap<String, PaperSize>,
    /// The publication's short title in an edition's own words, e.g. `{easy-read: Your health
    /// in care}`: shown in that edition's header and browser tab.
    #[serde(default)]
    pub edition_titles: std::collections::BTreeMap<String, String>,
    /// A phase tag shown in a banner on every page ("Draft", "Beta"), with `phase_text`.
    #[serde(default)]
    pub phase: Option<String>,
    /// One sentence on what the publication is, beside the phase tag.
    #[serde(default)]
    pub phase_text: Option<String>,
    /// The licence or copyright line of the footer.
    #[serde(default)]
    pub licence: Option<String>,
    /// The address of the licence's full terms.
    #[serde(default)]
    pub licence_url: Option<String>,
}

/// A value written as text or as a number (`version: 0.3` and `version: "0.3"` both work).
#[derive(Debug, Clone)]
pub enum Scalar {
    Text(String),
    Integer(i64),
    Float(f64),
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a single value such as \"1\" or 2.1")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Integer(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(i64::try_from(v).map(Scalar::Integer).unwrap_or(Scalar::Text(v.to_string())))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Float(v))
            }
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Scalar, E> {
                Err(E::custom(SCALAR_NOT_YES_NO))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Scalar, E> {
                Err(E::custom(EMPTY_TEXT))
            }
            // Read to the end first, so the parser's own limits (nesting, aliases) still apply.
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Err(serde::de::Error::custom(SCALAR_NOT_LIST))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
                while map.next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?.is_some() {}
                Err(serde::de::Error::custom(SCALAR_NOT_MAP))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Errors of a [`Scalar`] field; [`crate::source::yaml`] adds the field's name and a fix.
pub const SCALAR_NOT_LIST: &str = "must be a single value such as \"1\" or 2.1, not a list";

pub(super) const SCALAR_NOT_MAP: &str = "must be a single value such as \"1\" or 2.1, not a group of fields";

pub(super) const SCALAR_NOT_YES_NO: &str = "must be a value such as \"1\" or 2.1, not true or false";

/// For required text fields: empty or blank text is refused where it is read, with its place,
/// so no page shows an empty heading or definition.
pub(super) fn text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    // `title:` with nothing after it is null in YAML: the same mistake as `title: ""`.
    match Option::<String>::deserialize(deserializer)? {
        Some(value) if !value.trim().is_empty() => Ok(value),
        _ => Err(serde::de::Error::custom(EMPTY_TEXT)),
    }
}

/// [`text`], for other modules' tests.
#[cfg(test)]
pub fn tests_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    text(deserializer)
}

/// For required lists of text: each item as [`text`] (the list itself may be empty).
pub(super) fn texts<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    let values = Vec::<String>::deserialize(deserializer)?;
    if values.iter().any(|v| v.trim().is_empty()) {
        return Err(serde::de::Error::custom(EMPTY_TEXT));
    }
    Ok(values)
}

impl std::fmt::Display for Scalar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scalar::Text(s) => f.write_str(s),
            Scalar::Integer(i) => write!(f, "{i}"),
            Scalar::Float(x) => write!(f, "{x}"),
        }
    }
}

/// A quality statement's front matter; the body is the rationale.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementFile {
    #[serde(deserialize_with = "text")]
    pub id: String,
    pub number: u32,
    #[serde(deserialize_with = "text")]
    pub title: String,
    /// The title in young people's words, for the easy-read edition.
    #[serde(default)]
    pub easy_read_title: Option<String>,
    /// A shorter title, for the pocket handbook.
    #[serde(default)]
    pub short_title: Option<String>,
    /// The group the statement is listed under in grouped contents ("Health").
    #[serde(default)]
    pub group: Option<String>,
    #[serde(deserialize_with = "text")]
    pub statement: String,
    #[serde(deserialize_with = "text")]
    pub headline: String,
    #[serde(deserialize_with = "text")]
    pub plain: String,
    #[serde(default)]
    pub audiences: AudiencesFile,
    #[serde(default)]
    pub who_to_ask: Option<String>,
    pub measures: MeasuresFile,
    #[serde(default)]
    pub easy_read: Vec<EasyReadBlockFile>,
    #[serde(default)]
    pub recommendations: Vec<String>,
    #[serde(deserialize_with = "texts")]
    pub cites: Vec<String>,
    #[serde(default)]
    pub related: Vec<String>,
}

/// What a statement means for each audience (Markdown). A missing text is a warning: the
/// editions that show it have a gap, which the coverage report lists.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AudiencesFile {
    #[serde(default)]
    pub commissioners: Option<String>,
    #[serde(default)]
    pub providers: Option<String>,
    #[serde(default)]
    pub carers: Option<String>,
    #[serde(default)]
    pub young_people: Option<String>,
}

/// Quality measures in three groups.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasuresFile {
    #[serde(default)]
    pub structure: Vec<MeasureFile>,
    #[serde(default)]
    pub process: Vec<MeasureFile>,
    #[serde(default)]
    pub outcome: Vec<MeasureFile>,
}

/// One quality measure.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureFile {
    #[serde(deserialize_with = "text")]
    pub text: String,
    #[serde(default)]
    pub numerator: Option<String>,
    #[serde(default)]
    pub denominator: Option<String>,
    #[serde(deserialize_with = "text")]
    pub data_source: String,
}

/// One easy-read block: a picture and a few short sentences.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EasyReadBlockFile {
    /// Easy Read puts a picture beside every block; a block without one is a warning.
    #[serde(default)]
    pub picture: Option<String>,
    /// Defaults to the picture's own description in the theme.
    #[serde(default)]
    pub alt: Option<String>,
    #[serde(deserialize_with = "text")]
    pub text: String,
}

/// A recommendation's front matter; the body says what action to take.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecommendationFile {
    #[serde(deserialize_with = "text")]
    pub id: String,
    pub number: u32,
    #[serde(deserialize_with = "text")]
    pub title: String,
    #[serde(deserialize_with = "text")]
    pub topic: String,
    #[serde(deserialize_with = "texts")]
    pub who: Vec<String>,
    #[serde(default)]
    pub cites: Vec<String>,
}

/// `register.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterFile {
    pub instruments: Vec<InstrumentFile>,
}

/// One Act, set of regulations, statutory guidance or standards.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstrumentFile {
    #[serde(deserialize_with = "text")]
    pub id: String,
    #[serde(deserialize_with = "text")]
    pub title: String,
    pub kind: InstrumentKind,
    pub year: u32,
    #[serde(deserialize_with = "text")]
    pub publisher: String,
    pub status: LegalStatus,
    #[serde(default)]
    pub superseded_by: Option<String>,
    #[serde(deserialize_with = "text")]
    pub url: String,
    #[serde(deserialize_with = "text")]
    pub summary: String,
    #[serde(deserialize_with = "text")]
    pub easy_read: String,
    /// The name young people are told: "The Children Act 1989", "The health guide".
    #[serde(default)]
    pub easy_read_name: Option<String>,
    #[serde(default)]
    pub audiences: Option<Vec<String>>,
    #[serde(default)]
    pub pinpoints: Vec<PinpointFile>,
}

/// A part of an instrument that may be cited.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinpointFile {
    #[serde(deserialize_with = "text")]
    pub key: String,
    #[serde(deserialize_with = "text")]
    pub label: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub status: Option<LegalStatus>,
}

/// `glossary.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryFile {
    pub terms: Vec<TermFile>,
}

/// One glossary term.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermFile {
    #[serde(deserialize_with = "text")]
    pub id: String,
    #[serde(deserialize_with = "text")]
    pub term: String,
    #[serde(default)]
    pub abbreviations: Vec<String>,
    #[serde(deserialize_with = "text")]
    pub definition: String,
    #[serde(deserialize_with = "text")]
    pub easy_read: String,
    /// The word as young people meet it, for the easy-read word list ("GP", "Council").
    #[serde(default)]
    pub easy_read_term: Option<String>,
}

/// An SVG picture supplied with the content.
#[derive(Debug, Clone)]
pub struct PictureFile {
    /// The name editors use: the file name without `.svg`.
    pub name: String,
    /// Path relative to the content folder.
    pub rel: String,
    /// The name diagnostics use for the file (the path with the content folder's label).
    pub file: String,
    pub bytes: Vec<u8>,
}

/// The file, relative to the content folder.
pub const REVIEWS_FILE: &str = "reviews.yaml";

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
