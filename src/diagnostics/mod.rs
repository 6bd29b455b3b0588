//! Diagnostics: every problem found in a run, collected as values and reported together.
//!
//! A diagnostic names the file, the place in it (line and column, with the span underlined when
//! the source is known), what is wrong and what would fix it. Nothing here stops a build early:
//! stages push diagnostics and carry on, and the build decides at the end whether to write.

pub mod code;

pub use code::Code;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::WriteColor};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The build cannot produce correct output.
    Error,
    /// The output is produced, but something should be looked at. `--strict` counts these as
    /// errors.
    Warning,
    /// Advice only; never fails a build, even in strict mode.
    Note,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Severity::Error => f.write_str("error"),
            Severity::Warning => f.write_str("warning"),
            Severity::Note => f.write_str("note"),
        }
    }
}

/// One problem, with enough context for a content editor to find and fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A short stable name for the kind of problem, e.g. `unknown-citation`.
    pub code: Code,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The file it is in, as shown to the user (relative to the content or theme folder).
    pub file: Option<String>,
    /// Byte range in the file's (normalised) text, when known.
    pub span: Option<Range<usize>>,
    /// The field it concerns, e.g. `cites[2]`.
    pub field: Option<String>,
    /// What would fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error with a code and a message.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    /// A warning with a code and a message.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    /// A note (advice) with a code and a message.
    pub fn note(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Note, code, message)
    }

    fn new(severity: Severity, code: Code, message: impl Into<String>) -> Self {
        Diagnostic { severity, code, message: message.into(), file: None, span: None, field: None, help: None }
    }

    /// Sets the file.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Sets the byte span within the file.
    pub fn at(mut self, span: Option<Range<usize>>) -> Self {
        self.span = span;
        self
    }

    /// Sets the field name.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Adds a fix. A second fix is appended, so a "did you mean" and a general hint both show.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        let help = help.into();
        self.help = Some(match self.help.take() {
            // "did you mean `x`?" ends a sentence: the next fix starts a new one, not "?;".
            Some(first) if first.ends_with(['?', '.', '!']) => {
                let mut chars = help.chars();
                let capital: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
                format!("{first} {capital}")
            }
            Some(first) => format!("{first}; {help}"),
            None => help,
        });
        self
    }

    /// Adds a fix only if one is given.
    pub fn maybe_help(self, help: Option<String>) -> Self {
        match help {
            Some(help) => self.help(help),
            None => self,
        }
    }
}

/// The text of every file that diagnostics may point into, so that snippets can be shown.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: BTreeMap<String, SourceFile>,
}

/// A recorded file: its text, and where its lines start, made when a line is first asked for
/// (finding the line of a sentence in a long register must not count its lines each time).
#[derive(Debug, Clone)]
struct SourceFile {
    text: Arc<str>,
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceMap {
    /// Records a file's text under the name diagnostics use for it.
    pub fn insert(&mut self, name: &str, text: Arc<str>) {
        self.files.insert(name.to_string(), SourceFile { text, line_starts: std::sync::OnceLock::new() });
    }

    /// The 1-based line of a byte offset in a recorded file.
    pub fn line_of(&self, name: &str, offset: usize) -> Option<usize> {
        let file = self.files.get(name)?;
        let starts = file.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(file.text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1))
                .collect()
        });
        Some(starts.partition_point(|&start| start <= offset))
    }

    /// The text of a file, if recorded.
    pub fn get(&self, name: &str) -> Option<&Arc<str>> {
        self.files.get(name).map(|file| &file.text)
    }

    /// The names of every recorded file.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Merges another map into this one.
    pub fn extend(&mut self, other: SourceMap) {
        self.files.extend(other.files);
    }

    /// Keeps only the files `keep` accepts, letting the others' texts go.
    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        self.files.retain(|name, _| keep(name));
    }
}

/// 1-based line and column of a byte offset in a text.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// The largest char boundary at or below `index`.
pub fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Every diagnostic of a run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds all of another collection.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Adds each of a list.
    pub fn extend_from(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    /// Makes every error with `code` a warning (a draft build's `FILL IN` markers, say).
    pub fn downgrade(&mut self, code: Code) {
        for diagnostic in self.items.iter_mut().filter(|d| d.code == code && d.severity == Severity::Error) {
            diagnostic.severity = Severity::Warning;
        }
    }

    /// Whether any error was found.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors and of warnings (notes are not counted).
    pub fn counts(&self) -> (usize, usize) {
        let errors = self.items.iter().filter(|d| d.severity == Severity::Error).count();
        let warnings = self.items.iter().filter(|d| d.severity == Severity::Warning).count();
        (errors, warnings)
    }

    /// Number of notes.
    pub fn notes(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Note).count()
    }

    /// All diagnostics, in a stable order: by file, then position, then message.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut items: Vec<&Diagnostic> = self.items.iter().collect();
        items.sort_by(|a, b| {
            (&a.file, a.span.as_ref().map(|s| s.start), a.severity, &a.message).cmp(&(
                &b.file,
                b.span.as_ref().map(|s| s.start),
                b.severity,
                &b.message,
            ))
        });
        items.dedup();
        items
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Writes every diagnostic for a person, with source snippets where the text is known.
    pub fn emit(&self, sources: &SourceMap, out: &mut dyn WriteColor) -> std::io::Result<()> {
        self.emit_filtered(sources, out, true)
    }

    /// Like [`Diagnostics::emit`], leaving out notes unless `notes` is true. At most
    /// [`MAX_SHOWN`] are written, errors before warnings before notes when some must be left
    /// out, each in the usual order; one line then says how many were not shown.
    pub fn emit_filtered(&self, sources: &SourceMap, out: &mut dyn WriteColor, notes: bool) -> std::io::Result<()> {
        let config = term::Config::default();
        let wanted: Vec<&Diagnostic> =
            self.sorted().into_iter().filter(|d| notes || d.severity != Severity::Note).collect();
        let mut by_severity: Vec<usize> = (0..wanted.len()).collect();
        by_severity.sort_by_key(|&i| wanted[i].severity);
        let mut keep = vec![false; wanted.len()];
        for &i in by_severity.iter().take(MAX_SHOWN) {
            keep[i] = true;
        }
        let mut hidden = [0usize; 3];
        for (diagnostic, _) in wanted.iter().zip(&keep).filter(|(_, kept)| !**kept) {
            hidden[diagnostic.severity as usize] += 1;
        }
        for diagnostic in wanted.iter().zip(&keep).filter(|(_, kept)| **kept).map(|(d, _)| *d) {
            let mut files = SimpleFiles::new();
            let mut cs = match diagnostic.severity {
                Severity::Error => CsDiagnostic::error(),
                Severity::Warning => CsDiagnostic::warning(),
                Severity::Note => CsDiagnostic::note(),
            }
            .with_code(diagnostic.code)
            .with_message(visible(&diagnostic.message));
            let mut notes = Vec::new();
            match (&diagnostic.file, &diagnostic.span) {
                (Some(name), Some(span)) if sources.get(name).is_some() => {
                    let text = sources.get(name).cloned().unwrap_or_default();
                    let start = floor_char_boundary(&text, span.start.min(text.len()));
                    let end = floor_char_boundary(&text, span.end.min(text.len())).max(start);
                    let id = files.add(name.clone(), text);
                    let label = Label::primary(id, start..end);
                    let label = match &diagnostic.field {
                        Some(field) => label.with_message(format!("in `{}`", visible(field))),
                        None => label,
                    };
                    cs = cs.with_labels(vec![label]);
                }
                (Some(name), _) => {
                    let field =
                        diagnostic.field.as_ref().map(|f| format!(", field `{}`", visible(f))).unwrap_or_default();
                    notes.push(format!("in {name}{field}"));
                }
                (None, _) => {}
            }
            if let Some(help) = &diagnostic.help {
                notes.push(format!("help: {}", visible(help)));
            }
            cs = cs.with_notes(notes);
            term::emit_to_write_style(out, &config, &files, &cs).map_err(std::io::Error::other)?;
        }
        if let Some(line) = not_shown(hidden) {
            writeln!(out, "{line}")?;
        }
        Ok(())
    }
}

/// The most diagnostics written for a person in one run: past a few hundred, more only bury
/// the first (100,000 empty files once gave 24 MB of messages). JSON output keeps them all.
pub const MAX_SHOWN: usize = 200;

/// The line after a capped list: how many of each severity were left out (counts indexed by
/// [`Severity`]), or `None` when none were.
fn not_shown(hidden: [usize; 3]) -> Option<String> {
    let [errors, warnings, notes] = hidden;
    if errors + warnings + notes == 0 {
        return None;
    }
    let count =
        |n: usize, one: &str, many: &str| if n == 1 { format!("1 more {one}") } else { format!("{n} more {many}") };
    let parts: Vec<String> = [(errors, "error", "errors"), (warnings, "warning", "warnings"), (notes, "note", "notes")]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| count(n, one, many))
        .collect();
    Some(format!(
        "... and {} not shown (at most {MAX_SHOWN} are); fix these first, or run `guidepress check --format json` to see them all",
        parts.join(" and ")
    ))
}

/// Whether a character is invisible or easily mistaken for another when printed: zero-width
/// spaces and joiners, the byte-order mark, soft hyphen, non-breaking and other odd spaces,
/// bidirectional controls, and control characters.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00A0}' | '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{180E}'
        | '\u{2000}'..='\u{200F}' | '\u{2028}'..='\u{202F}' | '\u{205F}'..='\u{206F}'
        | '\u{3000}' | '\u{3164}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}' | '\u{FFFE}' | '\u{FFFF}')
        || (c.is_control() && c != '\n')
}

/// `text` with each invisible or confusable character (see [`is_invisible`]) written as
/// `<U+200B>`, so that a value quoted in a message shows what is really in it.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_invisible) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_invisible(c) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

impl Diagnostics {
    /// Every diagnostic as JSON, with 1-based line and column where the file's text is known.
    pub fn to_json(&self, sources: &SourceMap) -> serde_json::Value {
        let items: Vec<serde_json::Value> = self
            .sorted()
            .into_iter()
            .map(|d| {
                let position =
                    |offset: usize| d.file.as_ref().and_then(|f| sources.get(f)).map(|text| line_column(text, offset));
                let start = d.span.as_ref().and_then(|s| position(s.start));
                let end = d.span.as_ref().and_then(|s| position(s.end));
                serde_json::json!({
                    "severity": d.severity.to_string(),
                    "code": d.code,
                    "message": visible(&d.message),
                    "file": d.file,
                    "line": start.map(|p| p.0),
                    "column": start.map(|p| p.1),
                    "end_line": end.map(|p| p.0),
                    "end_column": end.map(|p| p.1),
                    "field": d.field,
                    "help": d.help.as_deref().map(visible),
                })
            })
            .collect();
        let (errors, warnings) = self.counts();
        serde_json::json!({ "errors": errors, "warnings": warnings, "diagnostics": items })
    }
}

/// The closest of `candidates` to `wanted`, if it is close enough to be a likely misspelling.
pub fn closest<'a, I>(wanted: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let wanted_lower = wanted.to_lowercase();
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        let score = strsim::jaro_winkler(&wanted_lower, &candidate.to_lowercase());
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.filter(|(score, _)| *score >= 0.8).map(|(_, c)| c)
}

/// "did you mean `x`?" for the closest candidate, if any.
pub fn did_you_mean<'a, I>(wanted: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    closest(wanted, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// A set of names as one comma-separated line, for a message.
pub fn join_list(items: &BTreeSet<String>) -> String {
    items.iter().map(String::as_str).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixes_join_as_sentences() {
        let joined = Diagnostic::error(Code::UnknownCitation, "x")
            .maybe_help(Some("did you mean `children-act-1989`?".to_string()))
            .help("add the instrument to register.yaml");
        assert_eq!(
            joined.help.as_deref(),
            Some("did you mean `children-act-1989`? Add the instrument to register.yaml")
        );
        let listed = Diagnostic::error(Code::Yaml, "x").help("indent it").help("or quote it");
        assert_eq!(listed.help.as_deref(), Some("indent it; or quote it"));
    }

    #[test]
    fn line_column_counts_from_one() {
        let text = "ab\ncd\nef";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 4), (2, 2));
        assert_eq!(line_column(text, 6), (3, 1));
        assert_eq!(line_column(text, 100), (3, 3));
    }

    #[test]
    fn closest_finds_misspellings_only() {
        let ids = ["children-act-1989", "children-act-2004", "care-standards-act-2000"];
        assert_eq!(closest("chidren-act-1989", ids), Some("children-act-1989"));
        assert_eq!(closest("zzz", ids), None);
    }

    #[test]
    fn invisible_characters_are_shown() {
        assert_eq!(visible("children\u{200B}-act"), "children<U+200B>-act");
        assert_eq!(visible("a\u{00A0}b\u{00AD}c\u{202E}d\u{FEFF}"), "a<U+00A0>b<U+00AD>c<U+202E>d<U+FEFF>");
        assert_eq!(visible("plain é text\twith tab"), "plain é text<U+0009>with tab");
        assert!(matches!(visible("plain"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn emit_is_capped_with_a_count_of_the_rest() {
        let mut d = Diagnostics::new();
        for i in 0..MAX_SHOWN + 7 {
            d.push(Diagnostic::warning(Code::Placeholder, format!("warning {i}")).in_file(format!("{i:04}.md")));
        }
        d.push(Diagnostic::error(Code::Yaml, "the error").in_file("zzzz.md"));
        let mut out = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
        d.emit(&SourceMap::default(), &mut out).unwrap();
        let text = String::from_utf8(out.into_inner()).unwrap();
        assert!(text.contains("the error"), "errors are kept before warnings");
        assert_eq!(text.matches("warning[placeholder]").count(), MAX_SHOWN - 1);
        assert!(text.contains("... and 8 more warnings not shown"), "{}", &text[text.len() - 300..]);
        assert_eq!(d.to_json(&SourceMap::default())["diagnostics"].as_array().map(Vec::len), Some(MAX_SHOWN + 8));
    }

    #[test]
    fn sorted_is_stable_and_deduplicated() {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error(Code::BadUrl, "second").in_file("b.md").at(Some(3..4)));
        d.push(Diagnostic::error(Code::Yaml, "first").in_file("a.md").at(Some(9..10)));
        d.push(Diagnostic::error(Code::Yaml, "first").in_file("a.md").at(Some(9..10)));
        let sorted = d.sorted();
        assert_eq!(sorted.len(), 2);
        assert_eq!(sorted[0].file.as_deref(), Some("a.md"));
    }
}
