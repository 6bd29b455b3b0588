//! Stage 3, editions: what each edition shows, as data.
//!
//! An edition is defined by a file in the theme (`editions/<id>.yaml`) that says which parts of
//! a statement it shows and how it shows the law. This stage projects the corpus through each
//! edition into a list of pages, each with a small, self-contained context: a page gets its own
//! statement and what it links to, never the whole site, so the work per page does not grow with
//! the size of the publication.

pub mod connections;
mod context;
pub mod coverage;
mod definition;
pub mod paths;
mod plan;
pub mod reading;
mod statement_view;
pub mod strings;
pub mod theme;
mod views;

pub use context::report_context;
pub use definition::*;
pub use plan::*;
pub use views::*;
