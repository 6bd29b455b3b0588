//! Kinds of thing that every stage names: they belong to no one stage.

use serde::{Deserialize, Serialize};

/// A paper size for a print page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PaperSize {
    #[default]
    A4,
    A5,
    A6,
}

/// The kind of a register entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InstrumentKind {
    Act,
    Regulations,
    StatutoryGuidance,
    Standards,
    Guidance,
}

/// Whether a register entry (or a pinpoint) is law now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LegalStatus {
    InForce,
    Superseded,
    Prospective,
}

/// Whom an audience text of a statement speaks to: the keys under a statement's `audiences`,
/// and of an edition's `audiences` list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Commissioners,
    Providers,
    Carers,
    YoungPeople,
}

impl Audience {
    /// Every audience, in the order a statement file lists them.
    pub const ALL: [Audience; 4] =
        [Audience::Commissioners, Audience::Providers, Audience::Carers, Audience::YoungPeople];

    /// The key as written in the files.
    pub fn key(self) -> &'static str {
        match self {
            Audience::Commissioners => "commissioners",
            Audience::Providers => "providers",
            Audience::Carers => "carers",
            Audience::YoungPeople => "young_people",
        }
    }
}

/// A text derived from a statement's wording, which must be reviewed when the wording changes:
/// the keys of `reviews.yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DerivedText {
    Headline,
    Plain,
    Audience(Audience),
    EasyRead,
}

impl DerivedText {
    /// Every derived text, in the order reports list them.
    pub const ALL: [DerivedText; 7] = [
        DerivedText::Headline,
        DerivedText::Plain,
        DerivedText::Audience(Audience::Commissioners),
        DerivedText::Audience(Audience::Providers),
        DerivedText::Audience(Audience::Carers),
        DerivedText::Audience(Audience::YoungPeople),
        DerivedText::EasyRead,
    ];

    /// The key as written in `reviews.yaml` and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            DerivedText::Headline => "headline",
            DerivedText::Plain => "plain",
            DerivedText::Audience(audience) => audience.key(),
            DerivedText::EasyRead => "easy_read",
        }
    }

    /// The field of a statement file that holds it (`audiences.carers`, `easy_read`).
    pub fn field(self) -> String {
        match self {
            DerivedText::Audience(audience) => format!("audiences.{}", audience.key()),
            other => other.key().to_string(),
        }
    }

    /// The derived text with this key.
    pub fn from_key(key: &str) -> Option<DerivedText> {
        DerivedText::ALL.into_iter().find(|t| t.key() == key)
    }

    /// Every key, for messages.
    pub fn keys() -> impl Iterator<Item = &'static str> {
        DerivedText::ALL.into_iter().map(DerivedText::key)
    }
}
