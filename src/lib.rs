#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
// Diagnostics are returned on the cold path, once per problem; boxing them buys nothing.
#![allow(clippy::result_large_err)]
//! guidepress: builds audience editions of guidance from one source, linked to the law.
//!
//! The build is one pipeline, one folder per stage, each using only the stages below it:
//!
//! 1. **load**: [`source`] reads files (from disk or the embedded sample) into documents that
//!    keep positions, and [`load`] parses each kind of content file with its schema, in parallel.
//! 2. [`model`]: the typed corpus, with ids and citations resolved, and the checks over it.
//! 3. [`editions`]: the edition definitions (theme YAML), the pages each edition has, and the
//!    views its templates see.
//! 4. [`outputs`]: one [`outputs::OutputFormat`] per kind of output (HTML, search index,
//!    sitemap, the publisher's reports).
//! 5. [`write`]: staging, the atomic swap, and the guards on the output folder.
//!
//! [`pipeline`] runs the stages in order, for a full build or an incremental one, and
//! [`commands`] (build, check, serve, new, review) are what a user runs. [`diagnostics`], [`kinds`]
//! (types every stage names) and [`text`] (Markdown, sentences, words) are shared by all.

pub mod commands;
pub mod diagnostics;
pub mod editions;
pub mod kinds;
pub mod load;
pub mod model;
pub mod outputs;
pub mod pipeline;
pub mod source;
pub mod text;
pub mod write;
