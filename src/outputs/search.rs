//! Search without a server: each edition gets a small index, written as a script
//! (`<edition>/search-index.js`) so that it loads from a static host and from disk alike, where
//! `fetch` of a JSON file would be refused. The theme's `search.js` reads it. Each edition has its
//! own index, so results stay within the reader's edition.

use crate::diagnostics::Diagnostics;
use crate::editions::{paths, Page, PageKind};
use crate::model::Corpus;
use crate::outputs::{Body, Emitted, FileOutcome, Finish, OutputFormat, Publication};
use std::borrow::Cow;

use serde::Serialize;

use crate::text::readability::{page_text, words};

/// One searchable page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchDocument {
    /// The page, relative to the edition's folder.
    pub url: String,
    pub title: String,
    /// The page's distinct words, lower case, space-separated.
    pub words: String,
    /// The text the page shows its reader, a sentence or block to a line, from which a result
    /// shows the passage that matches (set from the model, without the page's navigation).
    pub text: String,
}

/// The search document for a rendered page, relative to its edition folder. `text` is the page's
/// [`page_text`], which the build has already worked out for readability.
pub fn document(path: &str, edition: &str, html: &str, text: &str) -> Option<SearchDocument> {
    let url = path.strip_prefix(&format!("{edition}/"))?.to_string();
    let title = html
        .split_once("<h1")
        .and_then(|(_, rest)| rest.split_once('>'))
        .and_then(|(_, rest)| rest.split_once("</h1>"))
        .map(|(title, _)| page_text(&format!("<main>{title}</main>")).split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| url.clone());
    let mut seen: rustc_hash::FxHashSet<Cow<'_, str>> = rustc_hash::FxHashSet::default();
    let mut distinct = String::new();
    for word in words(text) {
        let lower =
            if word.chars().any(char::is_uppercase) { Cow::Owned(word.to_lowercase()) } else { Cow::Borrowed(word) };
        if !seen.contains(&lower) {
            if !distinct.is_empty() {
                distinct.push(' ');
            }
            distinct.push_str(&lower);
            seen.insert(lower);
        }
    }
    Some(SearchDocument { url, title, words: distinct, text: String::new() })
}

/// The per-edition search indexes as an output format: one script per edition, from the
/// documents the HTML pass gathered, in page order.
pub struct SearchIndex;

impl OutputFormat for SearchIndex {
    fn name(&self) -> &'static str {
        "search index"
    }

    fn plan(&self, corpus: &Corpus, pages: &[Page]) -> Vec<String> {
        searched(corpus, pages).map(paths::search_index).collect()
    }

    fn render(
        &self,
        publication: &Publication<'_>,
        finish: &Finish<'_>,
        _diagnostics: &mut Diagnostics,
    ) -> Vec<FileOutcome> {
        let mut outcomes = Vec::new();
        for edition in searched(publication.corpus, publication.pages) {
            let prefix = format!("{edition}/");
            let documents: Vec<&SearchDocument> = publication
                .pages
                .iter()
                .filter(|p| p.path.starts_with(&prefix))
                .filter_map(|p| publication.search_documents.get(&p.path))
                .collect();
            let started = std::time::Instant::now();
            // Made and sent one at a time, so only one edition's index is held at once.
            let script = index_script(&documents);
            let path = paths::search_index(edition);
            outcomes.push(finish(Emitted {
                path: &path,
                page: None,
                body: Body::Binary(script),
                render_time: started.elapsed(),
            }));
        }
        outcomes
    }
}

/// The editions that have a search page, in site order.
fn searched<'c>(corpus: &'c Corpus, pages: &[Page]) -> impl Iterator<Item = &'c str> {
    let search_pages: std::collections::HashSet<&str> =
        pages.iter().filter(|p| matches!(p.kind, PageKind::Search { .. })).map(|p| p.path.as_str()).collect();
    let editions: Vec<&str> = corpus
        .site
        .editions
        .iter()
        .map(String::as_str)
        .filter(|e| search_pages.contains(paths::search(e).as_str()))
        .collect();
    editions.into_iter()
}

/// The index script for an edition. A national library's index is over a hundred megabytes, so
/// it is written once, straight into its buffer.
pub fn index_script(documents: &[&SearchDocument]) -> Vec<u8> {
    let mut script = ScriptWriter { bytes: Vec::with_capacity(documents.len() * 256), after_lt: false };
    script.bytes.extend_from_slice(b"window.GUIDEPRESS_SEARCH=");
    if serde_json::to_writer(&mut script, documents).is_err() {
        script.bytes.truncate("window.GUIDEPRESS_SEARCH=".len());
        script.bytes.extend_from_slice(b"[]");
    }
    script.bytes.extend_from_slice(b";\n");
    script.bytes
}

/// Writes JSON with every `</` written as `<\/`: `</` could close a script element if the file
/// were ever inlined.
struct ScriptWriter {
    bytes: Vec<u8>,
    /// Whether the last byte written was `<` (a `</` may be split between two writes).
    after_lt: bool,
}

impl std::io::Write for ScriptWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for &byte in buf {
            if byte == b'/' && self.after_lt {
                self.bytes.push(b'\\');
            }
            self.bytes.push(byte);
            self.after_lt = byte == b'<';
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_carry_title_and_words_and_wait_for_their_text() {
        let html = "<html><main><p class=caption>Statement 3</p><h1>Choice of placement</h1><p>Children are offered a choice.</p></main></html>";
        let doc = document("carer/statements/qs-3.html", "carer", html, &page_text(html)).unwrap();
        assert_eq!(doc.url, "statements/qs-3.html");
        assert_eq!(doc.title, "Choice of placement");
        assert!(doc.words.split(' ').any(|w| w == "offered"));
        // The text results quote from comes from the content, not the page's HTML.
        assert!(doc.text.is_empty());
        assert!(document("other/x.html", "carer", html, &page_text(html)).is_none());
    }

    #[test]
    fn the_script_cannot_close_a_script_element() {
        let doc =
            SearchDocument { url: "a".into(), title: "</script>".into(), words: String::new(), text: String::new() };
        let script = String::from_utf8(index_script(&[&doc])).unwrap();
        assert!(!script.contains("</script>"));
        assert!(script.contains(r"<\/script>"), "{script}");
        // The same as escaping the whole text at once.
        let json = serde_json::to_string(&[&doc]).unwrap();
        assert_eq!(script, format!("window.GUIDEPRESS_SEARCH={};\n", json.replace("</", "<\\/")));
    }
}
