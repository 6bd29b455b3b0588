//! `guidepress init DIR`: start a publication, as `zola init` and `mdbook init` do.
//!
//! The starter is cut from the built-in sample rather than kept as a second copy: its first
//! statement, the recommendations that statement rests on, the whole register and glossary (real
//! references an editor on this subject keeps), and the editors' guide. It builds at once with no
//! errors, so an editor starts from something that works and changes it one file at a time.
//! `--sample` writes the whole sample instead.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::source::{read_tree, RawFile, Root};

/// What `init` wrote.
#[derive(Debug, Clone)]
pub struct Started {
    /// The content folder written.
    pub content: PathBuf,
    /// How many files were written.
    pub files: usize,
    /// The publication's title.
    pub title: String,
}

/// Writes a new publication into `dir/content/`: a small one, or the whole sample with
/// `whole_sample`. `title` defaults to the folder's name in words. Refuses to write into a
/// `content/` folder that already has files, so nothing of an editor's is overwritten.
pub fn init(dir: &Path, title: Option<&str>, whole_sample: bool) -> Result<Started, Diagnostics> {
    let content = dir.join("content");
    let occupied = fs::read_dir(&content).map(|mut entries| entries.next().is_some()).unwrap_or(false);
    if occupied {
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(
            Diagnostic::error(Code::Exists, format!("{} already has files in it", content.display()))
                .help("choose a new folder, e.g. `guidepress init my-guidance`; nothing was written"),
        );
        return Err(diagnostics);
    }
    let mut diagnostics = Diagnostics::new();
    let sample = read_tree(&Root::SampleContent, "content", &mut diagnostics);
    let title = title.map(str::to_string).unwrap_or_else(|| title_from_folder(dir));
    let files = if whole_sample { sample } else { starter(&sample, &title) };
    for file in &files {
        let path = content.join(&file.rel);
        let written = path.parent().map_or(Ok(()), fs::create_dir_all).and_then(|()| fs::write(&path, &file.bytes));
        if let Err(error) = written {
            diagnostics.push(
                Diagnostic::error(Code::Write, format!("{} cannot be written: {error}", path.display()))
                    .help("check that the folder can be written to, and that the disk is not full"),
            );
            return Err(diagnostics);
        }
    }
    let title = if whole_sample { "the sample publication".to_string() } else { title };
    Ok(Started { content, files: files.len(), title })
}

/// The folder's name in words: `fostering-guide` gives "Fostering guide".
fn title_from_folder(dir: &Path) -> String {
    // `.` and `..` have no name of their own: the folder they stand for has.
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .or_else(|| dir.canonicalize().ok().and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned())))
        .unwrap_or_default();
    let words = name.replace(['-', '_'], " ");
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "New guidance".to_string(),
    }
}

/// The starter publication, cut from the sample's files.
fn starter(sample: &[RawFile], title: &str) -> Vec<RawFile> {
    let text = |file: &RawFile| String::from_utf8_lossy(&file.bytes).into_owned();
    let first = sample.iter().filter(|f| f.rel.starts_with("statements/")).min_by(|a, b| a.rel.cmp(&b.rel));
    // Read as the build reads them, so the starter keeps exactly what the statement rests on.
    let rests_on: Vec<String> = first
        .and_then(|statement| crate::load::parse_statement(statement, ""))
        .and_then(Result::ok)
        .map(|parsed| parsed.value.recommendations)
        .unwrap_or_default();
    let mut files = Vec::new();
    for file in sample {
        let rel = file.rel.as_str();
        let kept = match rel {
            "site.yaml" => Some(site_yaml(&text(file), title)),
            "register.yaml" | "glossary.yaml" | "README.md" => Some(text(file)),
            _ if first.is_some_and(|f| f.rel == rel) => Some(without_related(&text(file))),
            _ if rel.starts_with("recommendations/") => {
                let body = text(file);
                let id = crate::load::sniff_id(&body).unwrap_or_default();
                rests_on.contains(&id).then_some(body)
            }
            // The review record, the other statements and recommendations belong to the sample.
            _ => None,
        };
        if let Some(body) = kept {
            files.push(RawFile { rel: file.rel.clone(), bytes: body.into_bytes().into() });
        }
    }
    files
}

/// The sample's site.yaml with the new title, and a description for the editor to write.
fn site_yaml(sample: &str, title: &str) -> String {
    let quoted = format!("{title:?}");
    let mut out = String::new();
    let mut in_description = false;
    for line in sample.lines() {
        if in_description && line.starts_with(' ') {
            continue;
        }
        in_description = false;
        if line.starts_with("title:") {
            out.push_str(&format!("title: {quoted}\n"));
        } else if line.starts_with("short_title:") {
            out.push_str(&format!("short_title: {quoted}\n"));
        } else if line.starts_with("description:") {
            in_description = true;
            out.push_str(&format!(
                "description: {:?}\n",
                format!("{title}: quality statements in four versions, each linked to the law behind it.")
            ));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A statement's text without its `related:` line: the statements it names are not in the starter.
fn without_related(statement: &str) -> String {
    statement.lines().filter(|line| !line.starts_with("related:")).map(|line| format!("{line}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_the_folder_name() {
        let dir = tempfile::tempdir().unwrap();
        // The folder need not exist yet: `init` makes it.
        assert_eq!(title_from_folder(&dir.path().join("fostering-guide_2027")), "Fostering guide 2027");
        let here = dir.path().join("kinship-care");
        fs::create_dir(&here).unwrap();
        assert_eq!(title_from_folder(&here.join(".")), "Kinship care");
    }

    #[test]
    fn the_starter_keeps_one_statement_and_what_it_rests_on() {
        let mut diagnostics = Diagnostics::new();
        let sample = read_tree(&Root::SampleContent, "content", &mut diagnostics);
        let files = starter(&sample, "Fostering guide");
        let statements: Vec<&str> =
            files.iter().map(|f| f.rel.as_str()).filter(|r| r.starts_with("statements/")).collect();
        assert_eq!(statements.len(), 1);
        assert!(files.iter().any(|f| f.rel.starts_with("recommendations/")));
        assert!(!files.iter().any(|f| f.rel == "reviews.yaml"));
        let site = files.iter().find(|f| f.rel == "site.yaml").unwrap();
        let site = String::from_utf8_lossy(&site.bytes);
        assert!(site.contains("title: \"Fostering guide\"\n"), "{site}");
        assert!(!site.contains("Twelve draft"), "{site}");
    }

    #[test]
    fn an_occupied_content_folder_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("content")).unwrap();
        fs::write(dir.path().join("content/site.yaml"), "title: mine\n").unwrap();
        let refused = init(dir.path(), None, false).unwrap_err();
        assert_eq!(refused.sorted()[0].code, "exists");
        assert_eq!(fs::read_to_string(dir.path().join("content/site.yaml")).unwrap(), "title: mine\n");
    }
}
