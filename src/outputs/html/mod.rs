//! The HTML pages: templates, rendering, and the links between pages.

pub mod links;
pub mod render;
