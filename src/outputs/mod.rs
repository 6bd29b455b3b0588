//! Stage 5, outputs: everything the build writes, one module per kind of output.

pub mod html;
pub mod search;
pub mod sitemap;
