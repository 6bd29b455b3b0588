//! A source file's text, with the places of its parts, so every stage can point back into it.

use std::ops::Range;
use std::sync::Arc;

use crate::diagnostics::Diagnostic;

/// The text of a source file and where its parts start.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file's name as shown to the user.
    pub file: String,
    /// The whole (normalised) text.
    pub text: Arc<str>,
    /// Byte range of the YAML (the whole file, or the front matter).
    pub yaml: Range<usize>,
    /// Byte offset where the Markdown body starts (the end of the text when there is none).
    pub body_start: usize,
}

impl Document {
    /// The Markdown body after the front matter.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// Finds `anchors` one after another in the YAML part and returns the span of the last one.
    /// Used to point a diagnostic at a value the YAML parser gave no position for.
    pub fn find(&self, anchors: &[&str]) -> Option<Range<usize>> {
        let mut from = self.yaml.start;
        let mut found = None;
        for anchor in anchors {
            let offset = self.text[from..self.yaml.end].find(anchor)? + from;
            found = Some(offset..offset + anchor.len());
            from = offset + anchor.len();
        }
        found
    }

    /// The span of a `key:` line at any indentation, searching from the start of the YAML.
    pub fn find_key(&self, key: &str) -> Option<Range<usize>> {
        let yaml = &self.text[self.yaml.clone()];
        let mut offset = 0;
        for line in yaml.split_inclusive('\n') {
            let trimmed = line.trim_start().trim_start_matches("- ");
            if trimmed.starts_with(key) && trimmed[key.len()..].starts_with(':') {
                let start = self.yaml.start + offset + (line.len() - trimmed.len());
                return Some(start..start + key.len());
            }
            offset += line.len();
        }
        None
    }

    /// Finds a value after a key: the key's line first, then the value's first appearance after it.
    pub fn find_value(&self, key: &str, value: &str) -> Option<Range<usize>> {
        let key_span = self.find_key(key)?;
        let rest = &self.text[key_span.end..self.yaml.end];
        match rest.find(value) {
            Some(i) => Some(key_span.end + i..key_span.end + i + value.len()),
            None => Some(key_span),
        }
    }

    /// Like [`Document::find_value`], but looks for the value only from byte `from` on (when that
    /// is past the key), so that a list's items can be found one after another in one pass.
    pub fn find_value_from(&self, key: &str, value: &str, from: usize) -> Option<Range<usize>> {
        // `from` past the key (the end of the previous item) saves looking for the key again,
        // which would walk the key's line: a long list on one line made that quadratic.
        let start = if from > self.yaml.start { from } else { self.find_key(key)?.end };
        let start = start.min(self.yaml.end);
        let found = self.text.get(start..self.yaml.end).and_then(|rest| rest.find(value));
        match found {
            Some(i) => Some(start + i..start + i + value.len()),
            None => self.find_value(key, value),
        }
    }

    /// A diagnostic located in this file.
    pub fn diagnostic(&self, base: Diagnostic, span: Option<Range<usize>>) -> Diagnostic {
        base.in_file(&self.file).at(span)
    }
}
