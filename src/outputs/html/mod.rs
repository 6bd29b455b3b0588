//! The HTML pages: templates, rendering, and the links between pages.

pub mod links;
pub mod render;

use crate::diagnostics::Diagnostics;
use crate::editions::{EditionSet, Page};
use crate::model::Corpus;
use crate::outputs::{Body, Emitted, FileOutcome, Finish, OutputFormat, Publication};

/// The edition pages, rendered through the theme's templates.
pub struct HtmlPages<'a> {
    pub templates: &'a render::Templates,
    pub editions: &'a EditionSet<'a>,
    /// The pages to render now: all of them, or in `serve` those a change touched.
    pub to_render: &'a [&'a Page],
    /// The theme folder as named in messages.
    pub theme_label: &'a str,
}

impl OutputFormat for HtmlPages<'_> {
    fn name(&self) -> &'static str {
        "HTML pages"
    }

    fn plan(&self, _corpus: &Corpus, pages: &[Page]) -> Vec<String> {
        pages.iter().map(|p| p.path.clone()).collect()
    }

    fn render(
        &self,
        _publication: &Publication<'_>,
        finish: &Finish<'_>,
        diagnostics: &mut Diagnostics,
    ) -> Vec<FileOutcome> {
        let emit = |page: &Page, html: String, render_time| {
            finish(Emitted { path: &page.path, page: Some(page), body: Body::Text(html), render_time })
        };
        render::render(self.templates, self.editions, self.to_render, self.theme_label, &emit, diagnostics)
    }
}
