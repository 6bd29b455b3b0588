#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
// Diagnostics are returned on the cold path, once per problem; boxing them buys nothing.
#![allow(clippy::result_large_err)]
//! guidepress: builds audience editions of guidance from one source, linked to the law.
//!
//! The build is one pipeline, one module per stage:
//! [`load`] (walk and parse) → [`model`] (typed corpus, references resolved) → [`editions`]
//! (what each edition shows) → [`render`] (Tera) → [`write`] (minify, atomic swap).
//! [`build`] runs them in order and collects every stage's [`diagnostics`].

pub mod build;
pub mod citation;
pub mod diagnostics;
pub mod diagram;
pub mod easy_read;
pub mod editions;
pub mod external;
pub mod links;
pub mod load;
pub mod markdown;
pub mod model;
pub mod picture;
pub mod readability;
pub mod render;
pub mod review;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod sitemap;
pub mod source;
pub mod theme;
pub mod write;
pub mod yaml;
