//! `guidepress new`: start a statement, recommendation, register entry or glossary term from a
//! template. What is written is valid at once (so `check` passes), and every field an editor must
//! fill is marked `FILL IN`; `check` warns about each marker left, and `--strict` refuses them.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load;
use crate::model::checks::placeholders::PLACEHOLDER;
use crate::model::citation::{is_valid_id, suggest_id};
use crate::source::Root;

/// What to create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Statement,
    Recommendation,
    Citation,
    Term,
}

/// What was created.
#[derive(Debug, Clone)]
pub struct Created {
    /// The file written or appended to.
    pub path: PathBuf,
    /// The new id.
    pub id: String,
    /// Whether an entry was appended to an existing file (register or glossary).
    pub appended: bool,
}

/// Creates a new item in the content folder. `title` seeds the title, id and file name.
pub fn create(content: &Path, label: &str, kind: Kind, title: Option<&str>) -> Result<Created, Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    if let Some(title) = title {
        // The title seeds the id and file name too: one with no letters or digits gives neither.
        if !title.chars().any(char::is_alphanumeric) {
            diagnostics.push(
                Diagnostic::error(
                    Code::EmptyTitle,
                    format!("the title {title:?} has no letters or digits, so it cannot name the new item"),
                )
                .help("give a title in words, e.g. --title \"Mental health support\", or leave --title out"),
            );
            return Err(diagnostics);
        }
    }
    let loaded = load::load(&Root::Dir(content.to_path_buf()), label, &mut diagnostics);
    // Other files' problems do not stop a new file being started; only an unreadable folder does.
    if diagnostics.sorted().iter().any(|d| d.code == "missing-folder") {
        return Err(diagnostics);
    }
    let mut ids: Vec<String> = loaded.unparsed_ids.iter().cloned().collect();
    ids.extend(loaded.statements.iter().map(|s| s.value.id.clone()));
    ids.extend(loaded.recommendations.iter().map(|r| r.value.id.clone()));
    if let Some(register) = &loaded.register {
        ids.extend(register.value.instruments.iter().map(|i| i.id.clone()));
    }
    if let Some(glossary) = &loaded.glossary {
        ids.extend(glossary.value.terms.iter().map(|t| t.id.clone()));
    }
    let free = |base: String| -> String {
        let mut id = base.clone();
        let mut n = 2;
        while ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    };
    let write_new = |rel: String, text: String, id: String| -> Result<Created, Diagnostics> {
        let path = content.join(&rel);
        if path.exists() {
            let mut d = Diagnostics::new();
            d.push(
                Diagnostic::error(Code::Exists, format!("{} already exists", path.display()))
                    .help("give a different --title"),
            );
            return Err(d);
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io_diagnostic(&path, e))?;
        }
        replace_file(&path, text.as_bytes()).map_err(|e| io_diagnostic(&path, e))?;
        Ok(Created { path, id, appended: false })
    };

    match kind {
        Kind::Statement => {
            let number = loaded.statements.iter().map(|s| s.value.number).max().unwrap_or(0) + 1;
            let id = free(format!("qs-{number}"));
            let title = title.unwrap_or("New statement");
            let citation = loaded.register.as_ref().and_then(|r| {
                r.value.instruments.iter().find_map(|i| i.pinpoints.first().map(|p| format!("{} {}", i.id, p.key)))
            });
            let Some(citation) = citation else {
                let mut d = Diagnostics::new();
                d.push(
                    Diagnostic::error(Code::NoRegister, "the register has no entry with a pinpoint to cite yet")
                        .help("add one first with `guidepress new citation`"),
                );
                return Err(d);
            };
            let rel = format!("statements/qs-{number:02}-{}.md", suggest_id(title));
            write_new(rel, statement_template(&id, number, title, &citation), id)
        }
        Kind::Recommendation => {
            let number = loaded.recommendations.iter().map(|r| r.value.number).max().unwrap_or(0) + 1;
            let id = free(format!("rec-{number}"));
            let title = title.unwrap_or("New recommendation");
            let rel = format!("recommendations/rec-{number:02}-{}.md", suggest_id(title));
            write_new(rel, recommendation_template(&id, number, title), id)
        }
        Kind::Citation => {
            let title = title.unwrap_or("New Act 2000");
            let id = free(suggest_id(title));
            let year: String = title
                .split(|c: char| !c.is_ascii_digit())
                .find(|s| s.len() == 4)
                .map(str::to_string)
                .unwrap_or_else(|| "0".to_string());
            append(content, label, "register.yaml", "instruments", &citation_template(&id, title, &year), &id)
        }
        Kind::Term => {
            let term = title.unwrap_or("new term");
            let id = free(suggest_id(term));
            append(content, label, "glossary.yaml", "terms", &term_template(&id, term), &id)
        }
    }
}

fn io_diagnostic(path: &Path, error: std::io::Error) -> Diagnostics {
    let mut d = Diagnostics::new();
    d.push(Diagnostic::error(Code::Write, format!("could not write {}: {error}", path.display())));
    d
}

fn yaml_string(text: &str) -> String {
    // Double-quoted YAML with the few escapes it needs.
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn statement_template(id: &str, number: u32, title: &str, citation: &str) -> String {
    format!(
        r#"---
# A new quality statement: replace each text marked as one to fill in, then run `guidepress check`.
# content/README.md describes every field.
id: {id}
number: {number}
title: {title}
easy_read_title: "{p}: the title in young people's words"
statement: >-
  {p}: the exact wording of the quality statement.
headline: "{p}: the pocket version, one sentence of at most 25 words."
plain: >-
  {p}: the statement in plain words, for carers.
audiences:
  commissioners: |
    {p}: what commissioners must put in place.
  providers: |
    {p}: what services and practitioners do.
  carers: |
    {p}: what it means for foster carers, kinship carers and residential staff.
  young_people: |
    {p}: what the child or young person can expect, in plain words.
who_to_ask: >-
  {p}: who a carer can ask for help with this.
measures:
  structure:
    - text: "{p}: evidence of local arrangements to ..."
      data_source: Local data collection.
  process:
    - text: "{p}: what is counted."
      numerator: "who {p}: the part of the group that is counted"
      denominator: "{p}: the group, e.g. children and young people in care"
      data_source: Local data collection.
  outcome:
    - text: "{p}: what changes for children and young people."
      data_source: Local data collection.
easy_read:
  - picture: question
    alt: A big question mark
    text: |
      {p}: short sentences for young people.
      One idea in each sentence.
recommendations: []
cites:
  - {citation}  # {p}: the law or statutory guidance behind the statement
related: []
---

{p}: why this statement matters, in 1 to 3 short paragraphs.
"#,
        p = PLACEHOLDER,
        title = yaml_string(title),
    )
}

fn recommendation_template(id: &str, number: u32, title: &str) -> String {
    format!(
        r#"---
# A new recommendation: replace each text marked as one to fill in, then run `guidepress check`.
id: {id}
number: {number}
title: {title}
topic: "{p}: the topic it sits under"
who: ["{p}: who should take action"]
cites: []
---

{p}: what action to take.
"#,
        p = PLACEHOLDER,
        title = yaml_string(title),
    )
}

fn citation_template(id: &str, title: &str, year: &str) -> String {
    format!(
        r#"  - id: {id}
    title: {title}
    kind: act  # {p}: act, regulations, statutory-guidance, standards or guidance
    year: {year}  # {p}: the year
    publisher: "{p}: who published it"
    status: in-force  # or superseded (then superseded_by), or prospective
    url: https://www.legislation.gov.uk/  # {p}: the canonical address
    summary: "{p}: one plain sentence saying what it is for."
    easy_read: "{p}: This is the law that says ..."
    pinpoints: []
"#,
        p = PLACEHOLDER,
        title = yaml_string(title),
    )
}

fn term_template(id: &str, term: &str) -> String {
    format!(
        r#"  - id: {id}
    term: {term}
    abbreviations: []
    definition: "{p}: a plain definition."
    easy_read: "{p}: an easy-read explanation."
"#,
        p = PLACEHOLDER,
        term = yaml_string(term),
    )
}

/// Appends an entry to the list that is the last top-level key of a YAML file, creating the file
/// if needed. Nothing is written unless the file could be read as UTF-8 and parsed before, and
/// parses with the new entry after; the file is replaced through a temporary file and a rename,
/// so it is never left half-written.
fn append(content: &Path, label: &str, file: &str, key: &str, entry: &str, id: &str) -> Result<Created, Diagnostics> {
    let path = content.join(file);
    let shown = format!("{label}/{file}");
    let refuse = |diagnostic: Diagnostic| {
        let mut d = Diagnostics::new();
        d.push(diagnostic);
        d
    };
    let bytes = match fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => {
            return Err(refuse(
                Diagnostic::error(
                    Code::Unreadable,
                    format!("{file} cannot be read, so the new entry was not added: {error}"),
                )
                .in_file(shown)
                .help("check that you are allowed to read and write the file, then try again"),
            ))
        }
    };
    let before = match &bytes {
        Some(bytes) => match crate::source::decode(&shown, bytes) {
            Ok(text) => text.to_string(),
            Err(mut diagnostic) => {
                let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
                diagnostic.message = format!(
                    "{file} is not UTF-8 text{}, so the new entry was not added and the file was left as it was ({})",
                    if utf16 { " (it is saved as UTF-16)" } else { "" },
                    diagnostic.message
                );
                diagnostic.help = Some("save the file as UTF-8 in your editor (\"Save with encoding\" or similar), then run `guidepress new` again".to_string());
                return Err(refuse(diagnostic));
            }
        },
        None => String::new(),
    };
    let parses = |text: &str| match file {
        "register.yaml" => crate::source::yaml::parse::<load::RegisterFile>(text).is_ok(),
        _ => crate::source::yaml::parse::<load::GlossaryFile>(text).is_ok(),
    };
    if !before.trim().is_empty() && !parses(&before) {
        return Err(refuse(
            Diagnostic::error(
                Code::CannotAppend,
                format!("{file} has problems already, so the new entry was not added and the file was left as it was"),
            )
            .in_file(shown)
            .help("run `guidepress check` to see them, fix them, then try again"),
        ));
    }
    let mut text = if before.trim().is_empty() { format!("{key}:\n") } else { before.clone() };
    let last_key = text.lines().rev().find(|l| !l.starts_with([' ', '#', '-']) && l.contains(':')).unwrap_or("");
    if !last_key.starts_with(&format!("{key}:")) || text.contains(&format!("{key}: []")) {
        return Err(refuse(
            Diagnostic::error(
                Code::CannotAppend,
                format!("{file} does not end with its `{key}:` list, so the new entry cannot be added safely"),
            )
            .in_file(shown)
            .help(format!("add the entry by hand, or make `{key}:` the last field of the file")),
        ));
    }
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(entry);
    if !parses(&text) || !is_valid_id(id) {
        return Err(refuse(
            Diagnostic::error(
                Code::CannotAppend,
                format!("adding the entry would break {file}, so it was left as it was"),
            )
            .in_file(shown)
            .help("check the file's indentation, then try again"),
        ));
    }
    // Keep the file's own byte-order mark and line endings.
    let crlf = bytes.as_deref().is_some_and(|b| b.windows(2).any(|w| w == b"\r\n"));
    let bom = bytes.as_deref().is_some_and(|b| b.starts_with(b"\xEF\xBB\xBF"));
    let mut out = if bom { "\u{feff}".to_string() } else { String::new() };
    out.push_str(&if crlf { text.replace('\n', "\r\n") } else { text });
    replace_file(&path, out.as_bytes()).map_err(|e| io_diagnostic(&path, e))?;
    Ok(Created { path, id: id.to_string(), appended: true })
}

/// Writes a file whole through a temporary file beside it and a rename: a reader, or a crash,
/// sees the old file or the new one, never a mix.
fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.guidepress-new-{}", std::process::id()));
    let written = fs::write(&temporary, bytes).and_then(|()| fs::rename(&temporary, path));
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}
