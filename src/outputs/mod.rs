//! Stage 4, outputs: one module per output format, each behind [`OutputFormat`].
//!
//! A format plans the files it writes from the editions' pages (so every link can be checked
//! before anything is rendered), then renders them and hands each file to the build's `finish`,
//! which checks links in HTML, measures readability, gathers search text, minifies and writes.
//! HTML pages come first; the formats after them read what the HTML pass gathered (the search
//! index is built from the pages' text, the readability report from their reader's text).
//!
//! To add a format (a PDF, an EPUB), write a module with a type that implements
//! [`OutputFormat`] and add it to [`formats`].

pub mod html;
pub mod reports;
pub mod search;
pub mod sitemap;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::editions::coverage::Coverage;
use crate::editions::Page;
use crate::model::Corpus;
use crate::outputs::html::links::FragmentLink;
use crate::outputs::search::SearchDocument;
use crate::text::readability::EditionFigures;

/// What a format renders from: the corpus, the planned pages, and what the HTML pass gathered.
pub struct Publication<'a> {
    pub corpus: &'a Corpus,
    pub pages: &'a [Page],
    /// The published address (`--base-url`), ending in `/`.
    pub base_url: Option<&'a str>,
    /// The fingerprinted stylesheet's path, for pages outside the theme's templates.
    pub stylesheet: &'a str,
    /// Each searchable page's search document, by path (empty until the HTML pass has run).
    pub search_documents: &'a BTreeMap<String, SearchDocument>,
    /// Each edition's readability figures (empty until the HTML pass has run).
    pub readability: &'a [EditionFigures],
    pub coverage: &'a Coverage,
}

/// One rendered file, handed to the build's `finish`.
pub struct Emitted<'e> {
    pub path: &'e str,
    /// The planned page it is, for HTML pages (reports and indexes are not pages).
    pub page: Option<&'e Page>,
    pub body: Body,
    /// Time the format spent rendering it.
    pub render_time: Duration,
}

/// A rendered file's content. Text stays text, so `finish` reads an HTML page without checking
/// its UTF-8 again; a format that writes bytes (a PDF) gives them as they are.
pub enum Body {
    Text(String),
    Binary(Vec<u8>),
}

/// What the build keeps of a file once it is checked and written.
pub struct FileOutcome {
    pub path: String,
    pub search: Option<SearchDocument>,
    /// The ids in an HTML file, for checking `#fragment` links to it.
    pub ids: BTreeSet<String>,
    pub problems: Vec<Diagnostic>,
    pub fragment_links: Vec<FragmentLink>,
    /// The written bytes, when the destination keeps files in memory.
    pub bytes: Option<Vec<u8>>,
    /// Thread time to render, check, minify and write it.
    pub time: Duration,
}

/// The build's handling of each rendered file (checks, figures, minifying, writing). It is
/// called from many threads at once.
pub type Finish<'f> = dyn Fn(Emitted<'_>) -> FileOutcome + Sync + 'f;

/// An output format.
pub trait OutputFormat: Sync {
    /// A short name, for timings.
    fn name(&self) -> &'static str;
    /// Every path the format will write, before anything renders.
    fn plan(&self, corpus: &Corpus, pages: &[Page]) -> Vec<String>;
    /// Renders the files, handing each to `finish`; problems that belong to no one file (a
    /// broken template, say) go to `diagnostics`.
    fn render(
        &self,
        publication: &Publication<'_>,
        finish: &Finish<'_>,
        diagnostics: &mut Diagnostics,
    ) -> Vec<FileOutcome>;
}

/// The formats that render after the HTML pages, in order. The reports are rendered with the
/// theme's templates.
pub fn formats<'t>(templates: &'t html::render::Templates, theme_label: &'t str) -> Vec<Box<dyn OutputFormat + 't>> {
    vec![
        Box::new(search::SearchIndex),
        Box::new(sitemap::Sitemap),
        Box::new(reports::Reports { templates, theme_label }),
    ]
}
