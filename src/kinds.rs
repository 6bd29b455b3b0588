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
