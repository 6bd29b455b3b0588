//! `sitemap.xml` and `robots.txt`, so search engines find every page of every edition.

use crate::diagnostics::Diagnostics;
use crate::editions::{Page, PageKind};
use crate::model::Corpus;
use crate::outputs::{Body, Emitted, FileOutcome, Finish, OutputFormat, Publication};
use crate::text::markdown::escape;

/// `sitemap.xml` and `robots.txt` as an output format.
pub struct Sitemap;

impl OutputFormat for Sitemap {
    fn name(&self) -> &'static str {
        "sitemap"
    }

    fn plan(&self, _corpus: &Corpus, _pages: &[Page]) -> Vec<String> {
        vec!["sitemap.xml".to_string(), "robots.txt".to_string()]
    }

    fn render(
        &self,
        publication: &Publication<'_>,
        finish: &Finish<'_>,
        _diagnostics: &mut Diagnostics,
    ) -> Vec<FileOutcome> {
        let files = [
            ("sitemap.xml", sitemap(publication.pages, publication.base_url)),
            ("robots.txt", robots(publication.base_url)),
        ];
        files
            .into_iter()
            .map(|(path, text)| {
                finish(Emitted { path, page: None, body: Body::Text(text), render_time: Default::default() })
            })
            .collect()
    }
}

/// The sitemap: every page but the 404 page. Addresses are absolute when the published address
/// (`--base-url`) is known, as the sitemap protocol asks, and relative otherwise.
pub fn sitemap(pages: &[Page], base: Option<&str>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in pages.iter().filter(|p| p.kind != PageKind::NotFound) {
        let location = match base {
            Some(base) => format!("{base}{}", page.path),
            None => page.path.clone(),
        };
        out.push_str(&format!("  <url><loc>{}</loc></url>\n", escape(&location)));
    }
    out.push_str("</urlset>\n");
    out
}

/// `robots.txt`: everything may be indexed but the publishers' reports.
pub fn robots(base: Option<&str>) -> String {
    let mut out = String::from("User-agent: *\nDisallow: /reports/\n");
    if let Some(base) = base {
        out.push_str(&format!("Sitemap: {base}sitemap.xml\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_is_absolute_with_a_base_and_leaves_out_404() {
        let pages = vec![
            Page { path: "index.html".into(), template: "landing.html".into(), kind: PageKind::Landing },
            Page { path: "404.html".into(), template: "404.html".into(), kind: PageKind::NotFound },
        ];
        let xml = sitemap(&pages, Some("https://example.org/g/"));
        assert!(xml.contains("<loc>https://example.org/g/index.html</loc>"));
        assert!(!xml.contains("404"));
        assert!(robots(Some("https://example.org/g/")).contains("Sitemap: https://example.org/g/sitemap.xml"));
        assert!(!robots(None).contains("Sitemap"));
    }
}
