//! Search without a server: each edition gets an index written as scripts, so that it loads from a
//! static host and from disk alike, where `fetch` of a JSON file would be refused. The theme's
//! `search.js` reads it. Each edition has its own index, so results stay within the reader's
//! edition.
//!
//! The index is sharded, so that no file a reader downloads grows with the publication (a single
//! index of a 16,000-statement library is over 100 MB; mdBook's 38 MB one crashed Mobile
//! Safari). `<edition>/search-index.js` is a small manifest: the shard keys and where each run
//! of documents starts. `search/t-<key>.js` holds the words that start with a key (a prefix of
//! one or more letters, longer where words are many) and, for each, the documents that have it;
//! `search/d-<n>.js` holds a run of documents' addresses, titles and text, for the results shown.
//! A query loads the shard of each of its words and the documents of its first results.

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
            // Made and sent one edition at a time, so only one edition's index is held at once.
            let files = edition_index(&documents, SHARD_BYTES);
            let render_time = started.elapsed() / files.len().max(1) as u32;
            for (name, script) in files {
                let path = format!("{prefix}{name}");
                outcomes.push(finish(Emitted { path: &path, page: None, body: Body::Binary(script), render_time }));
            }
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

/// The size a shard or a run of documents is kept under where it can be: a few hundred
/// kilobytes, well under the 1 MB that no file a reader downloads may exceed.
pub const SHARD_BYTES: usize = 256 * 1024;

/// The most text kept of one document, for its result's passage: a page longer than this is
/// still found by every word, but its passage comes from its first part.
const TEXT_BYTES: usize = 64 * 1024;

/// The deepest key: past this many letters, words that share them stay in one shard.
const MAX_KEY: usize = 8;

/// An edition's index: the manifest (`search-index.js`) and its shards and runs of documents
/// (`search/…`), each a script that sets one variable to JSON data, as names relative to the
/// edition's folder. `limit` is the size to keep each shard under.
pub fn edition_index(documents: &[&SearchDocument], limit: usize) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    // Each word, and the documents that have it: document number × 2, plus 1 where the word is
    // in the document's title (titles score higher).
    let mut postings: rustc_hash::FxHashMap<Cow<'_, str>, Vec<u64>> = rustc_hash::FxHashMap::default();
    let mut titles: Vec<String> = Vec::new();
    for (number, document) in documents.iter().enumerate() {
        titles.clear();
        titles.extend(words(&document.title).iter().map(|w| w.to_lowercase()));
        titles.sort_unstable();
        titles.dedup();
        let number = number as u64 * 2;
        let mut in_text = vec![false; titles.len()];
        for word in document.words.split(' ').filter(|w| !w.is_empty()) {
            let title = titles.binary_search_by(|t| t.as_str().cmp(word)).ok();
            if let Some(at) = title {
                in_text[at] = true;
            }
            let posting = number + u64::from(title.is_some());
            match postings.get_mut(word) {
                Some(docs) => docs.push(posting),
                None => {
                    postings.insert(Cow::Borrowed(word), vec![posting]);
                }
            }
        }
        // The title words the page's text does not have.
        for (title_word, _) in titles.drain(..).zip(in_text).filter(|(_, seen)| !seen) {
            postings.entry(Cow::Owned(title_word)).or_default().push(number + 1);
        }
    }
    let mut sorted: Vec<(Cow<'_, str>, Vec<u64>)> = postings.into_iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut keys = Vec::new();
    let terms: Vec<(&str, String)> = sorted.iter().map(|(term, docs)| (term.as_ref(), encoded(docs))).collect();
    for (key, shard) in shards(&terms, limit) {
        let name = format!("search/t-{}.js", hex(&key));
        let mut value = serde_json::Map::new();
        for (term, docs) in shard {
            value.insert(term.to_string(), serde_json::Value::String(docs.clone()));
        }
        files.push((name, script(&format!("GUIDEPRESS_SEARCH_T_{}", hex(&key)), &value)));
        keys.push(key);
    }
    // Runs of documents, each under the limit where its documents allow.
    let mut starts = Vec::new();
    let mut run: Vec<serde_json::Value> = Vec::new();
    let mut run_bytes = 0;
    let mut flush = |run: &mut Vec<serde_json::Value>, starts: &mut Vec<usize>, first: usize| {
        if !run.is_empty() {
            let n = starts.len();
            starts.push(first);
            files.push((format!("search/d-{n}.js"), script(&format!("GUIDEPRESS_SEARCH_D_{n}"), &*run)));
            run.clear();
        }
    };
    let mut first = 0;
    for (number, document) in documents.iter().enumerate() {
        let text = clip(&document.text, TEXT_BYTES);
        let size = document.url.len() + document.title.len() + text.len() + 16;
        if run_bytes + size > limit && !run.is_empty() {
            flush(&mut run, &mut starts, first);
            run_bytes = 0;
        }
        if run.is_empty() {
            first = number;
        }
        run.push(serde_json::json!([document.url, document.title, text]));
        run_bytes += size;
    }
    flush(&mut run, &mut starts, first);
    let manifest = serde_json::json!({ "documents": documents.len(), "runs": starts, "shards": keys });
    files.insert(0, ("search-index.js".to_string(), script("GUIDEPRESS_SEARCH", &manifest)));
    files
}

/// A run of document numbers (ascending) as gaps in base 36, comma-separated: "0,2,1" for 0, 2
/// and 3. Most gaps are small, so this is a fraction of the numbers written out.
fn encoded(numbers: &[u64]) -> String {
    let mut out = String::with_capacity(numbers.len() * 2);
    let mut last = 0;
    for (i, &n) in numbers.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&base36(n - last));
        last = n;
    }
    out
}

fn base36(mut n: u64) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(char::from_digit((n % 36) as u32, 36).unwrap_or('0'));
        n /= 36;
        if n == 0 {
            break;
        }
    }
    digits.iter().rev().collect()
}

/// Splits the sorted words into shards: by first letter, and a shard over `limit` again by its
/// next letter, and so on. Words no longer than a key stay in that key's own shard, so each word
/// is in the shard of the longest key that starts it.
fn shards<'t>(terms: &'t [(&'t str, String)], limit: usize) -> Vec<(String, Vec<(&'t str, &'t String)>)> {
    let mut out = Vec::new();
    split(terms, String::new(), 0, limit, &mut out);
    out
}

fn split<'t>(
    terms: &'t [(&'t str, String)],
    key: String,
    depth: usize,
    limit: usize,
    out: &mut Vec<(String, Vec<(&'t str, &'t String)>)>,
) {
    let size: usize = terms.iter().map(|(term, docs)| term.len() + docs.len() + 6).sum();
    if depth > 0 && (size <= limit || depth >= MAX_KEY) {
        out.push((key, terms.iter().map(|(t, d)| (*t, d)).collect()));
        return;
    }
    // Sorted words that share `key` come in runs by their next letter.
    let mut own = Vec::new();
    let mut i = 0;
    while i < terms.len() {
        let Some(next) = terms[i].0.chars().nth(depth) else {
            own.push((terms[i].0, &terms[i].1));
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < terms.len() && terms[j].0.chars().nth(depth) == Some(next) {
            j += 1;
        }
        split(&terms[i..j], format!("{key}{next}"), depth + 1, limit, out);
        i = j;
    }
    if !own.is_empty() {
        out.push((key, own));
    }
}

/// A key as a file name and variable name: its UTF-8 bytes in hexadecimal.
fn hex(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

/// The first `limit` bytes of `text`, cut at a character boundary.
fn clip(text: &str, limit: usize) -> &str {
    if text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// A script that sets `window.<name>` to `value` as JSON, and nothing else.
fn script(name: &str, value: &impl Serialize) -> Vec<u8> {
    let mut script = ScriptWriter { bytes: Vec::new(), after_lt: false };
    script.bytes.extend_from_slice(format!("window.{name}=").as_bytes());
    let start = script.bytes.len();
    if serde_json::to_writer(&mut script, value).is_err() {
        script.bytes.truncate(start);
        script.bytes.extend_from_slice(b"null");
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

    fn doc(url: &str, title: &str, words: &str, text: &str) -> SearchDocument {
        SearchDocument { url: url.into(), title: title.into(), words: words.into(), text: text.into() }
    }

    #[test]
    fn the_scripts_cannot_close_a_script_element() {
        let d = doc("a", "</script>", "script", "</script> text");
        for (name, script) in edition_index(&[&d], SHARD_BYTES) {
            let script = String::from_utf8(script).unwrap();
            assert!(!script.contains("</script>"), "{name}: {script}");
            assert!(script.starts_with("window.GUIDEPRESS_SEARCH") && script.ends_with(";\n"), "{name}: {script}");
        }
    }

    #[test]
    fn postings_are_gaps_in_base_36() {
        assert_eq!(encoded(&[0, 2, 3, 40]), "0,2,1,11");
        assert_eq!(base36(35), "z");
        assert_eq!(base36(36 * 36), "100");
    }

    #[test]
    fn a_large_index_is_split_into_shards_under_the_limit_and_every_word_is_in_the_right_one() {
        // 3,000 documents of 60 words drawn from a vocabulary of 2,000, with a small limit.
        let vocabulary: Vec<String> =
            (0..2000u32).map(|i| format!("w{}x{}", char::from(b'a' + (i % 26) as u8), i)).collect();
        let documents: Vec<SearchDocument> = (0..3000usize)
            .map(|d| {
                let words: Vec<&str> = (0..60).map(|k| vocabulary[(d * 7 + k * 31) % 2000].as_str()).collect();
                doc(&format!("p{d}.html"), &format!("Page {d}"), &words.join(" "), &words.join(" "))
            })
            .collect();
        let refs: Vec<&SearchDocument> = documents.iter().collect();
        let limit = 16 * 1024;
        let files = edition_index(&refs, limit);
        let manifest: serde_json::Value = serde_json::from_str(
            std::str::from_utf8(&files[0].1)
                .unwrap()
                .trim_start_matches("window.GUIDEPRESS_SEARCH=")
                .trim_end()
                .trim_end_matches(';'),
        )
        .unwrap();
        let keys: Vec<&str> = manifest["shards"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
        assert!(keys.len() > 26, "split past the first letter: {} shards", keys.len());
        assert!(manifest["runs"].as_array().unwrap().len() > 1);
        for (name, bytes) in &files {
            // A shard holds the words of one key: under the limit unless its words are at the
            // deepest key; a run of documents under the limit plus one document.
            assert!(bytes.len() <= limit + 4096, "{name}: {} bytes", bytes.len());
        }
        // Each word is in the shard of the longest key that starts it, with all its documents.
        let word = vocabulary[123].as_str();
        let key = keys.iter().filter(|k| word.starts_with(**k)).max_by_key(|k| k.len()).unwrap();
        let (_, shard) = files.iter().find(|(name, _)| *name == format!("search/t-{}.js", hex(key))).unwrap();
        let text = std::str::from_utf8(shard).unwrap();
        let json: serde_json::Value =
            serde_json::from_str(text.split_once('=').unwrap().1.trim_end().trim_end_matches(';')).unwrap();
        let gaps = json[word].as_str().unwrap();
        let mut at = 0;
        let numbers: Vec<usize> = gaps
            .split(',')
            .map(|g| {
                at += usize::from_str_radix(g, 36).unwrap();
                at
            })
            .collect();
        let expected: Vec<usize> =
            (0..3000).filter(|d| documents[*d].words.split(' ').any(|w| w == word)).map(|d| d * 2).collect();
        assert_eq!(numbers, expected);
    }

    #[test]
    fn title_words_are_marked_and_short_words_stay_in_their_key_s_shard() {
        let a = doc("a.html", "Health", "health care", "Health care.");
        let b = doc("b.html", "Other", "he health", "He health.");
        let files = edition_index(&[&a, &b], SHARD_BYTES);
        let h = files.iter().find(|(name, _)| name == "search/t-68.js").expect("a shard for h");
        let text = String::from_utf8(h.1.clone()).unwrap();
        // "health": document 0 in its title (0 × 2 + 1), document 1 not (1 × 2): gaps 1 and 1.
        assert!(text.contains("\"health\":\"1,1\""), "{text}");
        assert!(text.contains("\"he\":\"2\""), "{text}");
    }
}
