//! Stage 1, load: walk the content folder and parse every file, in parallel.
//!
//! Each file is parsed on its own; a broken file becomes diagnostics and the rest carry on, so
//! one run reports every problem. The structs here mirror the file formats documented in
//! `content/README.md` and refuse unknown fields, so a misspelt field is never silently ignored.

use crate::source::Document;
use std::collections::BTreeSet;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{did_you_mean, Code, Diagnostic, Diagnostics, SourceMap};
mod schema;

pub use schema::*;

use crate::source::yaml;
use crate::source::{decode, read_tree, RawFile, Root};

/// A parsed file together with where it came from, so later stages can point back into it.
#[derive(Debug, Clone)]
pub struct Parsed<T> {
    pub value: T,
    pub doc: Document,
    /// Problems the parser stepped over to read `value` (so that a run reports every problem of
    /// a file); when there are any, `value` is only checked further, never published.
    pub problems: Vec<Diagnostic>,
}

// Written out rather than `#[serde(untagged)]`, whose error ("data did not match any variant of
// untagged enum") means nothing to an editor and loses the place.
/// Everything read from the content folder.
#[derive(Debug, Default)]
pub struct LoadedContent {
    pub site: Option<Parsed<SiteFile>>,
    pub register: Option<Parsed<RegisterFile>>,
    pub glossary: Option<Parsed<GlossaryFile>>,
    pub statements: Vec<Parsed<StatementFile>>,
    pub recommendations: Vec<Parsed<RecommendationFile>>,
    pub reviews: Option<Parsed<crate::load::ReviewsFile>>,
    pub pictures: Vec<PictureFile>,
    /// Ids found in files that failed to parse, so references to them are not reported twice.
    pub unparsed_ids: BTreeSet<String>,
    /// Whether `register.yaml` existed but failed to parse (citations are then not checked).
    pub register_failed: bool,
    /// How many statement files there are, read or not (a publication needs at least one).
    pub statement_files: usize,
    /// The text of every file, for diagnostics.
    pub sources: SourceMap,
}

enum Item {
    Site(Parsed<SiteFile>),
    Register(Parsed<RegisterFile>),
    Glossary(Parsed<GlossaryFile>),
    Statement(Parsed<StatementFile>),
    Recommendation(Parsed<RecommendationFile>),
    Reviews(Parsed<crate::load::ReviewsFile>),
    Picture(PictureFile),
    Ignored,
}

impl Item {
    /// The problems stepped over in reading the file, taken out to be reported.
    fn take_problems(&mut self) -> Vec<Diagnostic> {
        match self {
            Item::Site(parsed) => std::mem::take(&mut parsed.problems),
            Item::Register(parsed) => std::mem::take(&mut parsed.problems),
            Item::Glossary(parsed) => std::mem::take(&mut parsed.problems),
            Item::Statement(parsed) => std::mem::take(&mut parsed.problems),
            Item::Recommendation(parsed) => std::mem::take(&mut parsed.problems),
            Item::Reviews(parsed) => std::mem::take(&mut parsed.problems),
            Item::Picture(_) | Item::Ignored => Vec::new(),
        }
    }
}

struct Outcome {
    item: Result<Item, Vec<Diagnostic>>,
    source: Option<(String, Arc<str>)>,
    kind: FileKind,
    unparsed_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Site,
    Register,
    Glossary,
    Statement,
    Recommendation,
    Reviews,
    Picture,
    /// Not content, and not worth a word: hidden files, editor backups, READMEs.
    Excepted,
    /// Not content: a warning says what was expected instead.
    Other,
}

/// The content folders, for "did you mean" on a misnamed one.
const CONTENT_FOLDERS: [&str; 3] = ["statements", "recommendations", "pictures"];

/// The files read at the top of the content folder.
const TOP_FILES: [&str; 4] = ["site.yaml", "register.yaml", "glossary.yaml", crate::load::REVIEWS_FILE];

/// Whether a file is left alone without a warning: hidden files and folders (a name starting
/// with `.`), editor backups and temporary files (`*~`, `*.swp`, `*.swo`, `*.swx`, `*.bak`,
/// `*.orig`, `*.tmp`, `#*#`, vim's probe file `4913`), system files (`Thumbs.db`,
/// `desktop.ini`) and READMEs (`README`, `README.md`, `README.txt`, any case) at any level.
/// content/README.md lists the same.
fn is_excepted(rel: &str) -> bool {
    if rel.split('/').any(|part| part.starts_with('.')) {
        return true;
    }
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let lower = name.to_lowercase();
    name.ends_with('~')
        || [".swp", ".swo", ".swx", ".bak", ".orig", ".tmp"].iter().any(|ext| lower.ends_with(ext))
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || ["thumbs.db", "desktop.ini", "readme", "readme.md", "readme.txt"].contains(&lower.as_str())
}

fn classify(rel: &str) -> FileKind {
    if is_excepted(rel) {
        return FileKind::Excepted;
    }
    match rel {
        "site.yaml" => FileKind::Site,
        "register.yaml" => FileKind::Register,
        "glossary.yaml" => FileKind::Glossary,
        crate::load::REVIEWS_FILE => FileKind::Reviews,
        _ if rel.starts_with("statements/") && rel.ends_with(".md") => FileKind::Statement,
        _ if rel.starts_with("recommendations/") && rel.ends_with(".md") => FileKind::Recommendation,
        _ if rel.starts_with("pictures/") && rel.ends_with(".svg") => FileKind::Picture,
        _ => FileKind::Other,
    }
}

/// Reads and parses the content folder. `display_prefix` is put before each relative path in
/// messages (normally the folder as the user named it).
pub fn load(root: &Root, display_prefix: &str, diagnostics: &mut Diagnostics) -> LoadedContent {
    let mut read_problems = Diagnostics::new();
    let files = read_tree(root, "content", &mut read_problems);
    // When the folder itself could not be read, that error says it all.
    let folder_unreadable = matches!(root, Root::Dir(_)) && files.is_empty() && read_problems.has_errors();
    // Files that could not be read at all (too large, no permission) still have a name: what it
    // says is what the rest of the content uses to refer to them.
    let shown_root = format!("{}/", root.describe().trim_end_matches('/'));
    let lost: Vec<String> = read_problems
        .sorted()
        .into_iter()
        .filter(|d| matches!(d.code, Code::FileTooLarge | Code::Unreadable))
        .filter_map(|d| d.file.as_deref()?.strip_prefix(&shown_root).map(str::to_string))
        .collect();
    diagnostics.extend(read_problems);
    let mut loaded = parse_files(&files, display_prefix, !folder_unreadable, diagnostics, &root.describe());
    for rel in lost {
        let kind = classify(&rel);
        if kind == FileKind::Statement {
            loaded.statement_files += 1;
        }
        if kind == FileKind::Register {
            loaded.register_failed = true;
        }
        if matches!(kind, FileKind::Statement | FileKind::Recommendation) {
            loaded.unparsed_ids.extend(ids_from_name(&rel));
        }
    }
    loaded
}

/// The ids a statement or recommendation file is likely to hold, from its name alone (for a
/// file that could not be read or decoded): `qs-5.md` gives `qs-5`, `qs-05-identity.md` gives
/// `qs-05-identity` and `qs-5`. References to these are then not reported as unknown.
fn ids_from_name(rel: &str) -> Vec<String> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let stem = name.split('.').next().unwrap_or(name).to_lowercase();
    let mut ids = vec![stem.clone()];
    let letters: String = stem.chars().take_while(char::is_ascii_lowercase).collect();
    if let Some(rest) = stem[letters.len()..].strip_prefix('-') {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let (false, Ok(number)) = (letters.is_empty(), digits.parse::<u64>()) {
            ids.push(format!("{letters}-{number}"));
        }
    }
    ids.retain(|id| !id.is_empty());
    ids.dedup();
    ids
}

/// Parses content files that are already in memory, exactly as [`load`] parses a folder's files
/// (paths relative to the content folder, e.g. `statements/qs-1.md`). For tests and fuzzing:
/// it touches no file system, and reports a missing `site.yaml` like [`load`] does.
pub fn load_files(files: &[RawFile], display_prefix: &str, diagnostics: &mut Diagnostics) -> LoadedContent {
    parse_files(files, display_prefix, true, diagnostics, "the content")
}

fn parse_files(
    files: &[RawFile],
    display_prefix: &str,
    want_site: bool,
    diagnostics: &mut Diagnostics,
    described: &str,
) -> LoadedContent {
    let outcomes: Vec<Outcome> = files.par_iter().map(|file| parse_file(file, display_prefix)).collect();

    let mut loaded = LoadedContent::default();
    let mut seen_site = false;
    for outcome in outcomes {
        if let Some((name, text)) = outcome.source {
            loaded.sources.insert(&name, text);
        }
        if outcome.kind == FileKind::Site {
            seen_site = true;
        }
        if outcome.kind == FileKind::Statement {
            loaded.statement_files += 1;
        }
        let mut item = outcome.item;
        if let Ok(parsed) = item.as_mut() {
            for problem in parsed.take_problems() {
                diagnostics.push(problem);
            }
        }
        match item {
            Ok(Item::Site(site)) => loaded.site = Some(site),
            Ok(Item::Register(register)) => loaded.register = Some(register),
            Ok(Item::Glossary(glossary)) => loaded.glossary = Some(glossary),
            Ok(Item::Statement(statement)) => loaded.statements.push(statement),
            Ok(Item::Recommendation(recommendation)) => loaded.recommendations.push(recommendation),
            Ok(Item::Reviews(reviews)) => loaded.reviews = Some(reviews),
            Ok(Item::Picture(picture)) => loaded.pictures.push(picture),
            Ok(Item::Ignored) => {}
            Err(problems) => {
                if outcome.kind == FileKind::Register {
                    loaded.register_failed = true;
                }
                if let Some(id) = outcome.unparsed_id {
                    loaded.unparsed_ids.insert(id);
                }
                for problem in problems {
                    diagnostics.push(problem);
                }
            }
        }
    }
    report_not_content(files, display_prefix, diagnostics);
    // Two names that differ only in case are one file on Windows and macOS: a copy made there
    // would silently lose one of them.
    let mut folded: std::collections::BTreeMap<String, &str> = std::collections::BTreeMap::new();
    for file in files {
        if let Some(other) = folded.insert(file.rel.to_lowercase(), &file.rel) {
            diagnostics.push(
                Diagnostic::error(
                    Code::CaseClash,
                    format!("the file name differs only in case from {}", join(display_prefix, other)),
                )
                .in_file(join(display_prefix, &file.rel))
                .help("on Windows and macOS these are the same file; rename or merge one of them"),
            );
        }
    }
    if !seen_site && want_site {
        diagnostics.push(
            Diagnostic::error(Code::MissingSite, format!("there is no site.yaml in {described}"))
                .in_file(join(display_prefix, "site.yaml"))
                .help("every publication needs a site.yaml with its title and the editions to build; see content/README.md"),
        );
    }
    loaded
}

/// Warns about each file that is not content (and not excepted), saying what guidepress
/// expected: a misnamed folder once, with the number of files in it; a misnamed file on its own.
fn report_not_content(files: &[RawFile], display_prefix: &str, diagnostics: &mut Diagnostics) {
    let mut folders: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for file in files.iter().filter(|f| classify(&f.rel) == FileKind::Other) {
        match file.rel.split_once('/') {
            Some((folder, _)) if !CONTENT_FOLDERS.contains(&folder) => *folders.entry(folder).or_default() += 1,
            _ => diagnostics.push(not_content(&file.rel).in_file(join(display_prefix, &file.rel))),
        }
    }
    for (folder, count) in folders {
        let files = if count == 1 { "the file in it is".to_string() } else { format!("the {count} files in it are") };
        diagnostics.push(
            Diagnostic::warning(Code::NotContent, format!("`{folder}/` is not a content folder, so {files} not read"))
                .in_file(join(display_prefix, &format!("{folder}/")))
                .maybe_help(did_you_mean(folder, CONTENT_FOLDERS))
                .help("the content folders are statements/, recommendations/ and pictures/; move the files, or move the folder out of the content folder"),
        );
    }
}

/// The warning for one file that is not content, with what was expected in its place.
fn not_content(rel: &str) -> Diagnostic {
    let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let top = folder.split('/').next().unwrap_or("");
    let lower = name.to_lowercase();
    // What the name would be with the right ending: `qs-13.MD`, `qs-13.markdown` and
    // `qs-13.md.txt` all mean `qs-13.md`.
    let stem_before = |endings: &[&str]| {
        endings.iter().filter_map(|e| lower.find(e)).min().map(|i| &name[..i]).filter(|s| !s.is_empty())
    };
    let (what, ending, stem) = match top {
        "statements" => ("statements", ".md", stem_before(&[".md", ".markdown", ".mdown", ".mkd", ".txt"])),
        "recommendations" => ("recommendations", ".md", stem_before(&[".md", ".markdown", ".mdown", ".mkd", ".txt"])),
        "pictures" => ("pictures", ".svg", stem_before(&[".svg"])),
        _ => {
            let message = format!("`{name}` is not a content file, so it is not read");
            let warning = Diagnostic::warning(Code::NotContent, message).maybe_help(did_you_mean(name, TOP_FILES));
            return warning.help("the files read here are site.yaml, register.yaml, glossary.yaml and reviews.yaml, and the folders statements/, recommendations/ and pictures/; see content/README.md");
        }
    };
    let warning = Diagnostic::warning(
        Code::NotContent,
        format!("`{name}` is not read: {what} must end in `{ending}` (lower case)"),
    );
    match stem {
        Some(stem) => warning.help(format!("rename `{name}` to `{stem}{ending}`")),
        None => warning.help(format!("rename it to end in `{ending}`, or move it out of {top}/")),
    }
}

fn join(prefix: &str, rel: &str) -> String {
    if prefix.is_empty() {
        rel.to_string()
    } else {
        format!("{}/{rel}", prefix.trim_end_matches('/'))
    }
}

/// Parses one statement file on its own, as [`load`] would (for `serve`'s quick re-render of an
/// edited statement). `None` when the file is not a statement file.
pub fn parse_statement(file: &RawFile, display_prefix: &str) -> Option<Result<Parsed<StatementFile>, Vec<Diagnostic>>> {
    if classify(&file.rel) != FileKind::Statement {
        return None;
    }
    match parse_file(file, display_prefix).item {
        Ok(Item::Statement(statement)) if !statement.problems.is_empty() => Some(Err(statement.problems)),
        Ok(Item::Statement(statement)) => Some(Ok(statement)),
        Ok(_) => None,
        Err(problems) => Some(Err(problems)),
    }
}

fn parse_file(file: &RawFile, display_prefix: &str) -> Outcome {
    let kind = classify(&file.rel);
    let name = join(display_prefix, &file.rel);
    if kind == FileKind::Picture {
        let stem = file.rel.trim_start_matches("pictures/").trim_end_matches(".svg").to_string();
        // Its text is kept so a refused picture's diagnostics can show the line.
        // A picture that is not UTF-8 is refused at line 1, so it gets an empty text to point at.
        let source = Some((name.clone(), decode(&name, &file.bytes).unwrap_or_else(|_| Arc::from(""))));
        return Outcome {
            item: Ok(Item::Picture(PictureFile {
                name: stem,
                rel: file.rel.clone(),
                file: name,
                bytes: file.bytes.to_vec(),
            })),
            source,
            kind,
            unparsed_id: None,
        };
    }
    if matches!(kind, FileKind::Other | FileKind::Excepted) {
        return Outcome { item: Ok(Item::Ignored), source: None, kind, unparsed_id: None };
    }
    let text = match decode(&name, &file.bytes) {
        Ok(text) => text,
        Err(diagnostic) => {
            // Not text we can read (UTF-16, say): its id still matters, so that other files'
            // references to it are not reported as well. The name is the best guess left.
            let unparsed_id = sniff_id(&String::from_utf8_lossy(&file.bytes).replace('\0', ""))
                .or_else(|| ids_from_name(&file.rel).pop());
            return Outcome { item: Err(vec![diagnostic]), source: None, kind, unparsed_id };
        }
    };
    let source = Some((name.clone(), text.clone()));
    if let Some(problems) = control_characters(&name, &text) {
        let unparsed_id = sniff_id(&text);
        return Outcome { item: Err(problems), source, kind, unparsed_id };
    }
    let item = match kind {
        FileKind::Site => parse_yaml_file(&name, &text).map(Item::Site),
        FileKind::Register => parse_yaml_file(&name, &text).map(Item::Register),
        FileKind::Glossary => parse_yaml_file(&name, &text).map(Item::Glossary),
        FileKind::Statement => parse_markdown_file(&name, &text, "statement").map(Item::Statement),
        FileKind::Recommendation => parse_markdown_file(&name, &text, "recommendation").map(Item::Recommendation),
        FileKind::Reviews => parse_yaml_file(&name, &text).map(Item::Reviews),
        FileKind::Picture | FileKind::Excepted | FileKind::Other => Ok(Item::Ignored),
    };
    let unparsed_id = if item.is_err() { sniff_id(&text) } else { None };
    Outcome { item, source, kind, unparsed_id }
}

/// Whether `c` is a control character no content file should hold: the C0 controls other than
/// tab and newline (carriage returns are gone by now), DEL, the C1 controls, and the
/// noncharacters U+FFFE and U+FFFF (often a sign of a byte-swapped UTF-16 file).
pub fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || c == '\u{FFFE}' || c == '\u{FFFF}'
}

/// The most control characters pointed at in one file; the rest are counted.
const MAX_CONTROL_REPORTS: usize = 5;

/// An error at each control character in a file (the first few, then a count), or `None`.
fn control_characters(name: &str, text: &str) -> Option<Vec<Diagnostic>> {
    let mut found = text.char_indices().filter(|(_, c)| is_forbidden_control(*c));
    let mut problems: Vec<Diagnostic> = found
        .by_ref()
        .take(MAX_CONTROL_REPORTS)
        .map(|(at, c)| {
            Diagnostic::error(Code::ControlCharacter, format!("this file contains the invisible control character U+{:04X}", c as u32))
                .in_file(name)
                .at(Some(at..at + c.len_utf8()))
                .help("delete it (it is often pasted in from another program, or left by a broken save); the file must be plain UTF-8 text")
        })
        .collect();
    if problems.is_empty() {
        return None;
    }
    let more = found.count();
    if more > 0 {
        problems.push(
            Diagnostic::error(
                Code::ControlCharacter,
                format!("{more} more control characters in this file are not shown"),
            )
            .in_file(name)
            .help("if the file is full of them, it was probably saved as UTF-16: save it as UTF-8"),
        );
    }
    Some(problems)
}

/// Best effort: the `id:` of a file that did not parse, so references to it are not also errors.
pub fn sniff_id(text: &str) -> Option<String> {
    text.lines()
        .take(200)
        .find_map(|line| line.strip_prefix("id:"))
        .map(|id| id.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
        .filter(|id| !id.is_empty())
}

fn parse_yaml_file<T: serde::de::DeserializeOwned>(name: &str, text: &Arc<str>) -> Result<Parsed<T>, Vec<Diagnostic>> {
    let doc = Document { file: name.to_string(), text: text.clone(), yaml: 0..text.len(), body_start: text.len() };
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::error(Code::EmptyFile, "this file is empty")
            .in_file(name)
            .at(Some(0..0))
            .help("fill it in as content/README.md describes, or delete it")]);
    }
    parse_yaml_part(doc)
}

fn parse_yaml_part<T: serde::de::DeserializeOwned>(doc: Document) -> Result<Parsed<T>, Vec<Diagnostic>> {
    let (value, errors) = yaml::parse_all(&doc.text[doc.yaml.clone()]);
    let problems: Vec<Diagnostic> = errors
        .into_iter()
        .map(|error| {
            let span = error.offset.map(|o| {
                let at = doc.yaml.start + o;
                at..(at + 1).min(doc.text.len()).max(at)
            });
            let mut diagnostic =
                Diagnostic::error(Code::Yaml, error.message).in_file(&doc.file).at(span).maybe_help(error.help);
            if let Some(field) = error.field {
                diagnostic = diagnostic.field(field);
            }
            diagnostic
        })
        .collect();
    match value {
        Some(value) => Ok(Parsed { value, doc, problems }),
        None => Err(problems),
    }
}

/// Splits `---` front matter from the Markdown body and parses the front matter.
fn parse_markdown_file<T: serde::de::DeserializeOwned>(
    name: &str,
    text: &Arc<str>,
    what: &str,
) -> Result<Parsed<T>, Vec<Diagnostic>> {
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::error(Code::EmptyFile, format!("this {what} file is empty"))
            .in_file(name)
            .at(Some(0..0))
            .help(format!("a {what} file starts with front matter between two `---` lines; see content/README.md, or run `guidepress new {what}`"))]);
    }
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first = &text[..first_end];
    if !is_fence(first, false) {
        let end = first.trim_end_matches('\n').len();
        let bare = first.trim();
        // A line that is nearly a fence (`----`, ` ---`, `--- id: x`) is a slip, not a missing
        // front matter: say what is wrong with it.
        let near = !bare.is_empty() && (bare.chars().all(|c| c == '-') || bare.starts_with("---"));
        let message = if near {
            format!(
                "the first line `{}` is not a front-matter fence: it must be exactly three hyphens `---`",
                first.trim_end_matches('\n')
            )
        } else {
            format!("this {what} file does not start with front matter")
        };
        return Err(vec![Diagnostic::error(Code::NoFrontMatter, message)
            .in_file(name)
            .at(Some(0..end))
            .help("put a line of three hyphens `---` first (nothing before them on the line, nothing after but spaces), then the fields, then another `---` line")]);
    }
    let after_open = &text[first_end..];
    let yaml_start = first_end;
    let close = find_closing_fence(after_open);
    let Some((yaml_len, body_start)) = close else {
        return Err(vec![Diagnostic::error(Code::UnclosedFrontMatter, "the front matter never closes")
            .in_file(name)
            .at(Some(0..3))
            .help("add a line of three hyphens `---` after the last field, before the Markdown body")]);
    };
    let doc = Document {
        file: name.to_string(),
        text: text.clone(),
        yaml: yaml_start..yaml_start + yaml_len,
        body_start: yaml_start + body_start,
    };
    if doc.text[doc.yaml.clone()].trim().is_empty() {
        return Err(vec![Diagnostic::error(Code::EmptyFrontMatter, "the front matter is empty")
            .in_file(name)
            .at(Some(0..3))
            .help("add the fields between the two `---` lines; see content/README.md")]);
    }
    parse_yaml_part(doc)
}

/// Finds the closing `---` line. Returns (length of YAML, offset of the body), both relative to
/// the text after the opening fence.
fn find_closing_fence(text: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if is_fence(line, true) {
            return Some((offset, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

/// Whether a line is a front-matter fence: `---` (or, closing, YAML's `...`) at the start of the
/// line, with nothing after it but spaces or tabs. The same rule opens and closes, so a fence
/// with a trailing space does both.
fn is_fence(line: &str, closing: bool) -> bool {
    let bare = line.trim_end_matches('\n').trim_end_matches([' ', '\t']);
    bare == "---" || (closing && bare == "...")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document { file: "f".into(), text: Arc::from(text), yaml: 0..text.len(), body_start: text.len() }
    }

    #[test]
    fn closing_fence_is_found() {
        assert_eq!(find_closing_fence("a: 1\n---\nbody"), Some((5, 9)));
        assert_eq!(find_closing_fence("a: 1\n---"), Some((5, 8)));
        assert_eq!(find_closing_fence("a: 1\nb: 2\n"), None);
    }

    #[test]
    fn fences_with_trailing_spaces_open_and_close() {
        let text: Arc<str> = Arc::from("--- \t\nid: rec-1\nnumber: 1\ntitle: T\ntopic: C\nwho: [A]\n---  \nBody\n");
        let parsed = parse_markdown_file::<RecommendationFile>("r.md", &text, "recommendation").unwrap();
        assert_eq!(parsed.doc.body(), "Body\n");
        for first in ["----\n", " ---\n", "--- id: rec-1\n"] {
            let text: Arc<str> = Arc::from(format!("{first}id: rec-1\n---\nBody\n"));
            let error =
                parse_markdown_file::<RecommendationFile>("r.md", &text, "recommendation").unwrap_err().remove(0);
            assert!(error.message.contains("is not a front-matter fence"), "{first:?}: {}", error.message);
        }
    }

    #[test]
    fn unclosed_front_matter_is_an_error_at_line_one() {
        let text: Arc<str> = Arc::from("---\nid: qs-1\n\nBody text\n");
        let error = parse_markdown_file::<RecommendationFile>("s.md", &text, "statement").unwrap_err().remove(0);
        assert_eq!(error.code, "unclosed-front-matter");
        assert_eq!(error.span, Some(0..3));
    }

    #[test]
    fn yaml_errors_point_into_the_front_matter() {
        let text: Arc<str> = Arc::from("---\nid: rec-1\nnumber: one\n---\nBody\n");
        let error = parse_markdown_file::<RecommendationFile>("r.md", &text, "recommendation").unwrap_err().remove(0);
        let (line, _) = crate::diagnostics::line_column(&text, error.span.unwrap().start);
        assert_eq!(line, 3);
    }

    #[test]
    fn find_value_looks_after_the_key() {
        let d = doc("id: a\ncites:\n  - x y\n  - children-act s22\nrelated: [b]\n");
        let span = d.find_value("cites", "children-act s22").unwrap();
        assert_eq!(&d.text[span], "children-act s22");
        let span = d.find_key("related").unwrap();
        assert_eq!(&d.text[span], "related");
    }

    #[test]
    fn find_value_from_finds_items_in_turn() {
        let d = doc("id: a\ncites: [x s1, x s1, y]\nrelated: [x s1]\n");
        let first = d.find_value_from("cites", "x s1", 0).unwrap();
        let second = d.find_value_from("cites", "x s1", first.end).unwrap();
        assert!(second.start > first.start);
        assert_eq!(&d.text[second.clone()], "x s1");
        // Not found after `from`: falls back to the first after the key.
        assert_eq!(d.find_value_from("cites", "y", d.text.len()), d.find_value("cites", "y"));
        // `from` inside a character is not a panic.
        let d = doc("cites: [é, é]\n");
        assert!(d.find_value_from("cites", "é", 9).is_some());
    }

    #[test]
    fn ids_from_names() {
        assert_eq!(ids_from_name("statements/qs-5.md"), ["qs-5"]);
        assert_eq!(ids_from_name("statements/qs-05-identity.md"), ["qs-05-identity", "qs-5"]);
        assert_eq!(ids_from_name("recommendations/Rec-7.md"), ["rec-7"]);
        assert_eq!(ids_from_name("statements/notes.md"), ["notes"]);
    }

    #[test]
    fn excepted_files() {
        for rel in [
            "README.md",
            "statements/README",
            ".git/x",
            "statements/qs-1.md~",
            "statements/.qs-1.md.swp",
            "statements/#qs-1.md#",
            "4913",
            "site.yaml.bak",
            "statements/qs-1.md.orig",
        ] {
            assert_eq!(classify(rel), FileKind::Excepted, "{rel}");
        }
        for rel in
            ["statements/qs-13.MD", "statements/qs-13.markdown", "statement/qs-1.md", "sites.yaml", "pictures/a.png"]
        {
            assert_eq!(classify(rel), FileKind::Other, "{rel}");
        }
        assert_eq!(classify("statements/qs-1.md"), FileKind::Statement);
    }

    #[test]
    fn not_content_says_what_was_expected() {
        let help = |rel: &str| not_content(rel).help.unwrap_or_default();
        assert!(help("statements/qs-13.MD").contains("rename `qs-13.MD` to `qs-13.md`"));
        assert!(help("statements/qs-13.md.txt").contains("to `qs-13.md`"));
        assert!(help("statements/qs-13.markdown").contains("to `qs-13.md`"));
        assert!(help("pictures/a.SVG").contains("to `a.svg`"));
        assert!(help("sites.yaml").contains("did you mean `site.yaml`?"));
    }

    #[test]
    fn control_characters_are_found_with_their_place() {
        let problems = control_characters("f", "a: b\nc\u{0}d\te\n").unwrap();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("U+0000"));
        assert_eq!(problems[0].span, Some(6..7));
        assert!(control_characters("f", "tab\tand newline\n é").is_none());
        assert!(control_characters("f", "\u{FFFE}").is_some());
        assert_eq!(control_characters("f", &"\u{1}".repeat(9)).unwrap().len(), MAX_CONTROL_REPORTS + 1);
    }

    #[test]
    fn sniff_id_reads_a_broken_file() {
        assert_eq!(sniff_id("---\nid: qs-3\ntitle: [\n"), Some("qs-3".into()));
    }
}
