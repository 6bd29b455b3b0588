//! Text shared by every stage: Markdown, and the words and sentences of a text.

pub mod glossary;
pub mod markdown;
pub mod readability;
pub mod sentences;
