//! Stage 5, write: minify, write everything into a fresh folder beside the output, then swap it
//! in. Until the swap the old output is untouched, so a failed or interrupted build loses nothing.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// A file to publish: path relative to the output folder, and its bytes.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The file guidepress leaves in every output folder it creates, so it can tell its own output
/// from a folder it must not replace.
pub const MARKER: &str = ".guidepress-output";

const STAGING_TAG: &str = ".guidepress-staging-";
const RETIRED_TAG: &str = ".guidepress-retired-";

/// Why the output could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The output folder is one guidepress must not replace.
    Refused { reason: String, help: String },
    /// The file system failed.
    Io { action: String, path: PathBuf, error: io::Error },
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Refused { reason, .. } => f.write_str(reason),
            WriteError::Io { action, path, error } => write!(f, "could not {action} {}: {error}", path.display()),
        }
    }
}

fn io_error(action: &str, path: &Path) -> impl FnOnce(io::Error) -> WriteError {
    let action = action.to_string();
    let path = path.to_path_buf();
    move |error| WriteError::Io { action, path, error }
}

/// The minifier's settings: closing tags kept (some readers and tools expect them), inline CSS
/// and scripts left as written.
fn minify_settings() -> minify_html::Cfg {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.minify_css = false;
    cfg.minify_js = false;
    cfg
}

/// Minifies one HTML page. Same input, same bytes.
///
/// The minifier builds a tree of the whole page, which for the print edition of a large library
/// (a hundred megabytes of HTML) would take gigabytes. Large pages are cut before lines that open
/// a `<section>` or an `<article>` (only templates write those: Markdown escapes raw HTML). The sections in the
/// middle are minified one piece at a time; the page's beginning and end are minified together,
/// with a placeholder where the middle goes, so that every element they open is also closed.
pub fn minify_page(html: &[u8]) -> Vec<u8> {
    minify_in_pieces(html, MINIFY_PIECE)
}

fn minify_in_pieces(html: &[u8], size: usize) -> Vec<u8> {
    static SETTINGS: std::sync::OnceLock<minify_html::Cfg> = std::sync::OnceLock::new();
    let settings = SETTINGS.get_or_init(minify_settings);
    let cuts = cuts(html, size);
    let (Some(&first), Some(&last)) = (cuts.first(), cuts.last()) else {
        return minify_html::minify(html, settings);
    };
    if first == last {
        return minify_html::minify(html, settings);
    }
    let mut outer = Vec::with_capacity(first + html.len() - last + PLACEHOLDER.len());
    outer.extend_from_slice(&html[..first]);
    outer.extend_from_slice(PLACEHOLDER);
    outer.extend_from_slice(&html[last..]);
    let outer = minify_html::minify(&outer, settings);
    let Some(at) = outer.windows(PLACEHOLDER.len()).position(|w| w == PLACEHOLDER) else {
        return minify_html::minify(html, settings);
    };
    let mut out = Vec::with_capacity(html.len() / 2);
    out.extend_from_slice(&outer[..at]);
    for pair in cuts.windows(2) {
        out.extend_from_slice(&minify_html::minify(&html[pair[0]..pair[1]], settings));
    }
    out.extend_from_slice(&outer[at + PLACEHOLDER.len()..]);
    out
}

/// Stands for the middle of a large page while its beginning and end are minified.
const PLACEHOLDER: &[u8] = b"<guidepress-pieces></guidepress-pieces>";

/// Pages larger than this are minified in pieces of about this size (see [`minify_page`]).
pub const MINIFY_PIECE: usize = 1 << 20;

/// Byte offsets, at least `size` apart, of lines that open a section or an article.
fn cuts(html: &[u8], size: usize) -> Vec<usize> {
    let mut cuts = Vec::new();
    let mut from = size;
    while from < html.len() {
        let opens_part = |w: &[u8]| w.starts_with(b"\n<section") || w.starts_with(b"\n<article");
        let Some(found) = html[from..].windows(9).position(opens_part) else { break };
        let cut = from + found + 1;
        cuts.push(cut);
        from = cut + size;
    }
    cuts
}

/// Checks that `output` is a folder guidepress may replace: not a source folder or an ancestor
/// of one, and either absent, empty, or made by guidepress (unless `force`).
pub fn check_output_folder(output: &Path, protected: &[&Path], force: bool) -> Result<(), WriteError> {
    let absolute = absolute(output);
    for folder in protected {
        let folder = absolute_existing(folder);
        if folder.starts_with(&absolute) {
            return Err(WriteError::Refused {
                reason: format!(
                    "the output folder {} is, or contains, {}; building there would destroy your sources",
                    output.display(),
                    folder.display()
                ),
                help: "choose an output folder of its own, such as output/, with --output".to_string(),
            });
        }
    }
    if absolute.parent().is_none() {
        return Err(WriteError::Refused {
            reason: format!("the output folder {} is the root of the file system", output.display()),
            help: "choose an output folder of its own, such as output/, with --output".to_string(),
        });
    }
    if output.exists() && !force {
        if !output.is_dir() {
            return Err(WriteError::Refused {
                reason: format!("the output path {} is a file, not a folder", output.display()),
                help: "remove the file or choose another --output".to_string(),
            });
        }
        let has_marker = output.join(MARKER).is_file();
        let empty = fs::read_dir(output).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !has_marker && !empty {
            return Err(WriteError::Refused {
                reason: format!("the output folder {} already has files that guidepress did not write", output.display()),
                help: "choose an empty or new folder with --output, or pass --force to replace it".to_string(),
            });
        }
    }
    Ok(())
}

fn absolute(path: &Path) -> PathBuf {
    // The output may not exist yet: canonicalise its nearest existing ancestor.
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = if parent.as_os_str().is_empty() { PathBuf::from(".") } else { parent.to_path_buf() };
            }
            _ => break,
        }
    }
    let mut result = absolute_existing(&existing);
    for name in rest.into_iter().rev() {
        result.push(name);
    }
    result
}

fn absolute_existing(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf()))
}

/// Writes `files` into a staging folder beside `output` and swaps it in.
pub fn publish(output: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    let staging = Staging::create(output)?;
    files.par_iter().try_for_each(|file| staging.write(&file.path, &file.bytes))?;
    staging.commit()
}

/// A fresh folder beside the output that a build writes into as it goes, so that pages need not
/// be held in memory. `commit` swaps it in; dropping it uncommitted removes it and leaves the
/// previous output as it was.
#[derive(Debug)]
pub struct Staging {
    root: PathBuf,
    output: PathBuf,
    parent: PathBuf,
    name: String,
    /// Folders already made, so each is created once.
    folders: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    committed: bool,
}

impl Staging {
    /// Makes an empty staging folder beside `output` (removing any left by killed builds).
    pub fn create(output: &Path) -> Result<Staging, WriteError> {
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(io_error("create", &parent))?;
        let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".to_string());
        remove_leftovers(&parent, &name);
        let root = parent.join(format!(".{name}{STAGING_TAG}{}", std::process::id()));
        if root.exists() {
            fs::remove_dir_all(&root).map_err(io_error("remove", &root))?;
        }
        fs::create_dir(&root).map_err(io_error("create", &root))?;
        Ok(Staging { root, output: output.to_path_buf(), parent, name, folders: Default::default(), committed: false })
    }

    /// Writes one file (path relative to the output folder). Safe to call from many threads.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let target = self.root.join(path);
        if let Some(folder) = target.parent() {
            let mut folders = match self.folders.lock() {
                Ok(folders) => folders,
                Err(poisoned) => poisoned.into_inner(),
            };
            if !folders.contains(folder) {
                fs::create_dir_all(folder).map_err(io_error("create", folder))?;
                folders.insert(folder.to_path_buf());
            }
        }
        fs::write(&target, bytes).map_err(io_error("write", &target))
    }

    /// Marks the folder as guidepress's and swaps it in place of the output.
    pub fn commit(mut self) -> Result<(), WriteError> {
        let marker = self.root.join(MARKER);
        fs::write(&marker, b"This folder is written by guidepress. It is replaced on every build.\n").map_err(io_error("write", &marker))?;
        self.committed = true;
        let (staging, output) = (&self.root, &self.output);
        if output.exists() {
            if swap(staging, output).is_ok() {
                // The staging path now holds the previous output.
                fs::remove_dir_all(staging).map_err(io_error("remove the previous output at", staging))?;
            } else {
                let retired = self.parent.join(format!(".{}{RETIRED_TAG}{}", self.name, std::process::id()));
                fs::rename(output, &retired).map_err(io_error("move aside", output))?;
                if let Err(error) = fs::rename(staging, output) {
                    // Put the old output back rather than leave nothing.
                    let _ = fs::rename(&retired, output);
                    let _ = fs::remove_dir_all(staging);
                    return Err(io_error("move into place", output)(error));
                }
                fs::remove_dir_all(&retired).map_err(io_error("remove", &retired))?;
            }
        } else {
            fs::rename(staging, output).map_err(io_error("move into place", output))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.root);
        }
    }
}

/// Brings an existing output folder from `previous` to `next` in place, writing only the files
/// whose bytes changed (each through a temporary file and a rename, so no reader sees half a
/// file) and removing files that are gone. Used by `serve`, where rewriting the whole site on
/// every keystroke would be slow. Returns the number of files written or removed.
pub fn update(output: &Path, previous: &std::collections::BTreeMap<String, Vec<u8>>, next: &std::collections::BTreeMap<String, Vec<u8>>) -> Result<usize, WriteError> {
    let mut touched = 0;
    for (path, bytes) in next {
        if previous.get(path) == Some(bytes) && output.join(path).is_file() {
            continue;
        }
        replace_file(output, path, bytes)?;
        touched += 1;
    }
    for path in previous.keys().filter(|p| !next.contains_key(*p)) {
        let target = output.join(path);
        if target.is_file() {
            fs::remove_file(&target).map_err(io_error("remove", &target))?;
            touched += 1;
        }
    }
    Ok(touched)
}

/// Replaces one file of the output in one step: a reader sees the old file or the new one, never
/// half of one.
pub fn replace_file(output: &Path, path: &str, bytes: &[u8]) -> Result<(), WriteError> {
    let target = output.join(path);
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent).map_err(io_error("create", parent))?;
    }
    let staging = target.with_file_name(format!(".{}.guidepress-tmp", target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()));
    fs::write(&staging, bytes).map_err(io_error("write", &staging))?;
    fs::rename(&staging, &target).map_err(io_error("move into place", &target))
}

/// Swaps two folders in one step where the system allows it.
#[cfg(target_os = "linux")]
fn swap(a: &Path, b: &Path) -> io::Result<()> {
    rustix::fs::renameat_with(rustix::fs::CWD, a, rustix::fs::CWD, b, rustix::fs::RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn swap(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "no atomic exchange"))
}

/// Removes staging and retired folders left by builds that were killed, but not those of a build
/// still running.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    let prefixes = [format!(".{name}{STAGING_TAG}"), format!(".{name}{RETIRED_TAG}")];
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = prefixes.iter().find_map(|p| file_name.strip_prefix(p.as_str())) else { continue };
        let alive = pid.parse::<u32>().is_ok_and(|pid| pid != std::process::id() && Path::new(&format!("/proc/{pid}")).exists());
        if !alive {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile { path: path.into(), bytes: text.as_bytes().to_vec() }
    }

    #[test]
    fn large_pages_are_minified_in_pieces_without_losing_tags() {
        let mut html = String::from("<!DOCTYPE html><html lang=en><head><title>t</title></head><body><main>\n");
        for i in 0..40 {
            html.push_str(&format!("<section id=s{i}>\n  <h2>Statement   {i}</h2>\n  <p>Some   text.</p>\n</section>\n"));
        }
        html.push_str("</main>\n<footer><p>End</p></footer></body></html>\n");
        let whole = String::from_utf8(minify_html::minify(html.as_bytes(), &minify_settings())).unwrap();
        assert!(cuts(html.as_bytes(), 200).len() > 5);
        assert!(cuts(html.as_bytes(), 1 << 20).is_empty());
        assert_eq!(String::from_utf8(minify_page(html.as_bytes())).unwrap(), whole, "small pages are minified whole");
        let pieced = String::from_utf8(minify_in_pieces(html.as_bytes(), 200)).unwrap();
        assert_eq!(pieced.matches("</main>").count(), 1, "{pieced}");
        assert_eq!(pieced.matches("</body>").count(), 1, "{pieced}");
        assert_eq!(pieced.matches("<section").count(), 40);
        assert!(pieced.contains("<h2>Statement 12</h2>"), "{pieced}");
        assert!(!pieced.contains("guidepress-pieces"));
        // Pieces differ from the whole page at most in whitespace between sections.
        assert_eq!(pieced.split_whitespace().collect::<String>(), whole.split_whitespace().collect::<String>());
    }

    #[test]
    fn a_staging_folder_dropped_before_commit_is_removed_and_the_output_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        publish(&out, &[file("index.html", "old")]).unwrap();
        {
            let staging = Staging::create(&out).unwrap();
            staging.write("index.html", b"new").unwrap();
            staging.write("deep/er/page.html", b"new").unwrap();
        }
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("output")]);
    }

    #[test]
    fn publish_replaces_the_previous_output_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        publish(&out, &[file("a/index.html", "one"), file("old.html", "x")]).unwrap();
        publish(&out, &[file("a/index.html", "two")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "two");
        assert!(!out.join("old.html").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }

    #[test]
    fn refuses_folders_it_did_not_make() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("precious.txt"), "keep").unwrap();
        assert!(matches!(check_output_folder(&out, &[], false), Err(WriteError::Refused { .. })));
        assert!(check_output_folder(&out, &[], true).is_ok());
    }

    #[test]
    fn refuses_a_parent_of_the_content() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        fs::create_dir(&content).unwrap();
        assert!(matches!(check_output_folder(dir.path(), &[&content], true), Err(WriteError::Refused { .. })));
        assert!(matches!(check_output_folder(&content, &[&content], true), Err(WriteError::Refused { .. })));
    }

    #[test]
    fn leftovers_of_dead_builds_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(format!(".output{STAGING_TAG}999999999"));
        fs::create_dir(&stale).unwrap();
        publish(&dir.path().join("output"), &[file("index.html", "x")]).unwrap();
        assert!(!stale.exists());
    }
}
