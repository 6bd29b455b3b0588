//! Where files come from: a folder on disk, or the sample publication and default theme built
//! into the binary. Both give the same thing: a sorted list of text-ready files with names
//! relative to the root, so the stages after this never touch the file system.

pub mod document;
pub mod yaml;

pub use document::Document;

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{line_column, Code, Diagnostic, Diagnostics};

/// Content files larger than this are refused rather than read: no guidance file is this big,
/// and reading it would only cost memory.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// The sample publication (`content/`) and default theme (`themes/default/`), built into the
/// binary from copies that build.rs makes, so that editing the folders recompiles nothing.
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// A root folder of files.
#[derive(Debug, Clone)]
pub enum Root {
    /// A folder on disk.
    Dir(PathBuf),
    /// The built-in sample content.
    SampleContent,
    /// The built-in default theme.
    DefaultTheme,
}

impl Root {
    /// How the root is named in messages.
    pub fn describe(&self) -> String {
        match self {
            Root::Dir(path) => path.display().to_string(),
            Root::SampleContent => "the built-in sample publication".to_string(),
            Root::DefaultTheme => "the built-in default theme".to_string(),
        }
    }
}

/// One file of a root, read into memory.
#[derive(Debug, Clone)]
pub struct RawFile {
    /// Path relative to the root, with `/` separators.
    pub rel: String,
    /// The bytes as read.
    pub bytes: Cow<'static, [u8]>,
}

/// Lists and reads every file under `root`, in parallel, sorted by path. Problems (unreadable
/// files, symlinks leaving the root, loops, oversized files) become diagnostics; the rest is read.
pub fn read_tree(root: &Root, label: &str, diagnostics: &mut Diagnostics) -> Vec<RawFile> {
    match root {
        Root::Dir(path) => read_dir(path, label, diagnostics),
        Root::SampleContent => embedded_files(embedded::SAMPLE_CONTENT),
        Root::DefaultTheme => embedded_files(embedded::DEFAULT_THEME),
    }
}

/// The files of an embedded folder (already sorted by build.rs), borrowed, not copied.
fn embedded_files(files: &'static [(&'static str, &'static [u8])]) -> Vec<RawFile> {
    files.iter().map(|(rel, bytes)| RawFile { rel: rel.to_string(), bytes: Cow::Borrowed(bytes) }).collect()
}

/// Walks a content or theme folder and reads every file, in parallel, in a stable order. One
/// function, longer than most, because its guards share the walk's state: links that leave the
/// folder are refused without being followed, and depth, size and case clashes are checked on
/// the way.
fn read_dir(root: &Path, label: &str, diagnostics: &mut Diagnostics) -> Vec<RawFile> {
    let canonical_root = match root.canonicalize() {
        Ok(path) => path,
        Err(error) => {
            diagnostics.push(
                Diagnostic::error(
                    Code::MissingFolder,
                    format!("the {label} folder {} cannot be opened: {error}", root.display()),
                )
                .help(format!("check the path, or pass the right folder with --{label}")),
            );
            return Vec::new();
        }
    };
    // Name files in messages as the loader does: under the folder as the user gave it.
    let shown = |rel: &str| format!("{}/{rel}", root.display().to_string().trim_end_matches('/'));
    let mut paths = Vec::new();
    // Links that leave the folder are refused before they are entered: a link to `/` or `/proc`
    // would otherwise be walked whole before the refusal is reported.
    let outside = std::cell::RefCell::new(Vec::new());
    let walk = WalkDir::new(root).follow_links(true).sort_by_file_name().into_iter().filter_entry(|entry| {
        // Hidden files and folders (.git, editors' own) are not content and are never entered.
        if entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.') {
            return false;
        }
        if !entry.path_is_symlink() {
            return true;
        }
        match entry.path().canonicalize() {
            Ok(target) if !target.starts_with(&canonical_root) => {
                outside.borrow_mut().push((relative(root, entry.path()), target));
                false
            }
            // Inside the folder, or broken: the walk reports a broken link as an error below.
            _ => true,
        }
    });
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let rel = error.path().map(|p| shown(&relative(root, p))).unwrap_or_else(|| root.display().to_string());
                let link_loop = error.io_error().and_then(std::io::Error::raw_os_error) == Some(ELOOP);
                let broken_link = error.path().is_some_and(|p| p.is_symlink() && !p.exists());
                let (message, help) = if error.loop_ancestor().is_some() {
                    (
                        "this symbolic link makes a loop: it points to a folder that contains it".to_string(),
                        "remove the link",
                    )
                } else if link_loop {
                    (
                        "this symbolic link makes a loop: it points, through other links, back to itself".to_string(),
                        "remove the link, or point it at a real file",
                    )
                } else if broken_link {
                    (
                        "this symbolic link is broken: what it points to does not exist".to_string(),
                        "remove the link, or point it at a file that exists",
                    )
                } else {
                    (format!("this cannot be read: {}", io_reason(&error)), "check the file's permissions")
                };
                diagnostics.push(Diagnostic::error(Code::Unreadable, message).in_file(rel).help(help));
                continue;
            }
        };
        let rel = relative(root, entry.path());
        if rel.split('/').any(|part| part.starts_with('.')) {
            continue;
        }
        if entry.path_is_symlink() {
            // Links out of the folder were refused before the walk entered them.
            match entry.path().canonicalize() {
                Ok(_) => {}
                Err(error) => {
                    diagnostics.push(
                        Diagnostic::error(Code::Unreadable, format!("this symbolic link cannot be followed: {error}"))
                            .in_file(shown(&rel))
                            .help("remove the broken link"),
                    );
                    continue;
                }
            }
        }
        if entry.file_type().is_file() {
            paths.push((rel, entry.into_path()));
        } else if entry.file_type().is_dir() {
            if entry.depth() > 0 && [".md", ".yaml", ".yml", ".svg", ".html"].iter().any(|ext| rel.ends_with(ext)) {
                diagnostics.push(
                    Diagnostic::error(Code::Unreadable, "this cannot be read as a file: it is a folder")
                        .in_file(shown(&rel))
                        .help("a file was expected here; rename the folder, or put the file in its place"),
                );
            }
        } else {
            // A named pipe, socket or device: reading it could block or never end.
            diagnostics.push(
                Diagnostic::error(
                    Code::Unreadable,
                    format!("this cannot be read: it is {}, not a regular file", special_kind(&entry.file_type())),
                )
                .in_file(shown(&rel))
                .help(format!("remove it from the {label} folder, or replace it with an ordinary file")),
            );
        }
    }
    for (rel, target) in outside.into_inner() {
        diagnostics.push(
            Diagnostic::error(
                Code::SymlinkOutside,
                format!(
                    "this symbolic link points outside the {label} folder, to {}; it was not followed",
                    target.display()
                ),
            )
            .in_file(shown(&rel))
            .help(format!("copy the file or folder into the {label} folder instead of linking to it")),
        );
    }
    let read = |(rel, path): (String, PathBuf)| match read_file(&path) {
        Ok(Ok(bytes)) => Ok(RawFile { rel, bytes: Cow::Owned(bytes) }),
        Ok(Err(size)) => Err(Diagnostic::error(
            Code::FileTooLarge,
            format!(
                "this file is {} MB; guidepress reads files of up to {} MB",
                size / 1_048_576,
                MAX_FILE_BYTES / 1_048_576
            ),
        )
        .in_file(shown(&rel))
        .help("split it into smaller files, or move it out of the folder")),
        Err(error) => Err(Diagnostic::error(Code::Unreadable, format!("this file cannot be read: {error}"))
            .in_file(shown(&rel))
            .help("check that the file exists and that you are allowed to read it")),
    };
    // Files not in the page cache wait on the disk, not the processor: more readers than cores
    // keep the disk busy (a library of 32,000 files read from a cold cache: 3.9 s with two
    // readers, 1.7 s with eight, on the benchmark machine).
    let results: Vec<Result<RawFile, Diagnostic>> = match rayon::ThreadPoolBuilder::new().num_threads(READERS).build() {
        Ok(readers) => readers.install(|| paths.into_par_iter().map(read).collect()),
        Err(_) => paths.into_par_iter().map(read).collect(),
    };
    let mut files = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    files
}

/// The error number for too many levels of symbolic links (Linux and the BSDs differ).
#[cfg(target_os = "linux")]
const ELOOP: i32 = 40;
#[cfg(not(target_os = "linux"))]
const ELOOP: i32 = 62;

/// How many files are read at once.
const READERS: usize = 8;

/// Reads a file, or gives its size when it is larger than [`MAX_FILE_BYTES`].
pub fn read_file(path: &Path) -> std::io::Result<Result<Vec<u8>, u64>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > MAX_FILE_BYTES {
        return Ok(Err(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // A file that grows while it is read still stops at the limit.
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Ok(Err(bytes.len() as u64));
    }
    Ok(Ok(bytes))
}

#[cfg(unix)]
fn special_kind(file_type: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_fifo() {
        "a named pipe (FIFO)"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_block_device() || file_type.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_file_type: &std::fs::FileType) -> &'static str {
    "a special file"
}

fn io_reason(error: &walkdir::Error) -> String {
    error.io_error().map(|e| e.to_string()).unwrap_or_else(|| error.to_string())
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

/// Turns a file's bytes into text: UTF-8 checked, byte-order mark dropped, CRLF made LF (which
/// keeps line numbers the same). Invalid UTF-8 is a diagnostic naming the line.
pub fn decode(display_name: &str, bytes: &[u8]) -> Result<Arc<str>, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let text =
                if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text.to_string() };
            Ok(Arc::from(text))
        }
        Err(error) => {
            let valid = error.valid_up_to();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let (line, column) = line_column(&prefix, prefix.len());
            Err(Diagnostic::error(
                Code::InvalidUtf8,
                format!(
                    "this file is not valid UTF-8 text: the byte at line {line}, column {column} is not a character"
                ),
            )
            .in_file(display_name)
            .help("save the file as UTF-8 in your editor (\"Save with encoding\" or similar)"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_drops_bom_and_crlf() {
        let text = decode("x", b"\xEF\xBB\xBFa: 1\r\nb: 2\r\n").unwrap();
        assert_eq!(&*text, "a: 1\nb: 2\n");
    }

    #[test]
    fn decode_reports_invalid_utf8_line() {
        let error = decode("x.md", b"ok\nstill ok\nbad \xFF here").unwrap_err();
        assert!(error.message.contains("line 3"), "{}", error.message);
        assert_eq!(error.file.as_deref(), Some("x.md"));
    }

    #[test]
    fn a_folder_is_read_in_order_and_oversized_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("statements")).unwrap();
        std::fs::write(dir.path().join("statements/b.md"), "b").unwrap();
        std::fs::write(dir.path().join("site.yaml"), "title: x").unwrap();
        std::fs::write(dir.path().join("statements/a.md"), "a").unwrap();
        std::fs::write(dir.path().join("big.yaml"), vec![b'x'; MAX_FILE_BYTES as usize + 1]).unwrap();
        let mut diagnostics = Diagnostics::new();
        let files = read_tree(&Root::Dir(dir.path().to_path_buf()), "content", &mut diagnostics);
        let names: Vec<&str> = files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(names, ["site.yaml", "statements/a.md", "statements/b.md"]);
        assert_eq!(&*files[1].bytes, b"a");
        let found = diagnostics.sorted();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, "file-too-large");
        assert!(found[0].file.as_deref().is_some_and(|f| f.ends_with("/big.yaml")));
    }

    #[test]
    fn embedded_sample_has_site_yaml() {
        let files = embedded_files(embedded::SAMPLE_CONTENT);
        assert!(files.iter().any(|f| f.rel == "site.yaml"));
        let mut sorted: Vec<_> = files.iter().map(|f| f.rel.clone()).collect();
        sorted.sort();
        assert_eq!(sorted, files.iter().map(|f| f.rel.clone()).collect::<Vec<_>>());
    }

    /// The binary's sample and theme are the repository's: build.rs copies them only when it
    /// reruns (so that editing them recompiles nothing), and this says when a working copy's
    /// build holds older copies.
    #[test]
    fn embedded_copies_match_the_folders() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for (folder, files) in [("content", embedded::SAMPLE_CONTENT), ("themes/default", embedded::DEFAULT_THEME)] {
            let mut diagnostics = Diagnostics::new();
            let on_disk = read_tree(&Root::Dir(root.join(folder)), "content", &mut diagnostics);
            let on_disk: Vec<(String, Vec<u8>)> = on_disk.into_iter().map(|f| (f.rel, f.bytes.to_vec())).collect();
            let built_in: Vec<(String, Vec<u8>)> = files.iter().map(|(r, b)| (r.to_string(), b.to_vec())).collect();
            assert!(
                on_disk == built_in,
                "the built-in copy of {folder}/ is older than the folder: run `touch build.rs` and test again"
            );
        }
    }
}
