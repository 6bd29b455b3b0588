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
    Io {
        action: String,
        path: PathBuf,
        error: io::Error,
        /// Whether the previous output is still there, exactly as it was.
        output_kept: bool,
    },
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Refused { reason, .. } => f.write_str(reason),
            WriteError::Io { action, path, error, .. } => write!(f, "could not {action} {}: {error}", path.display()),
        }
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WriteError::Refused { .. } => None,
            WriteError::Io { error, .. } => Some(error),
        }
    }
}

impl WriteError {
    /// A file-system failure that left the previous output as it was.
    fn io(action: &str, path: &Path, error: io::Error) -> WriteError {
        WriteError::Io { action: action.to_string(), path: path.to_path_buf(), error, output_kept: true }
    }
}

fn io_error(action: &str, path: &Path) -> impl FnOnce(io::Error) -> WriteError {
    let action = action.to_string();
    let path = path.to_path_buf();
    move |error| WriteError::io(&action, &path, error)
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

/// The output folder as it really is: an absolute path with every `.`, `..` and symbolic link
/// of its existing part resolved, checked before anything is created, and how it will be
/// replaced.
///
/// Every check runs on the resolved path, never on the spelling given: `nothere/../content` is
/// the content folder, whether or not `nothere` exists.
#[derive(Debug, Clone)]
pub struct OutputTarget {
    /// The resolved path.
    real: PathBuf,
    /// How the output is replaced.
    replacement: Replacement,
}

/// How a build's staging folder takes the place of the previous output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Replacement {
    /// Staging beside the output, swapped in with one rename.
    Rename,
    /// The output is a mount point (a Docker volume, say), which cannot be renamed: staging goes
    /// inside it, and the contents are moved across.
    Contents,
}

impl OutputTarget {
    /// Resolves `output` and checks that guidepress may replace it: not a source folder, not
    /// inside one, not an ancestor of one or of the current folder, not the root, not a file, and
    /// either absent, empty or made by guidepress (unless `force`). Creates nothing.
    pub fn resolve(output: &Path, sources: &[&Path], force: bool) -> Result<OutputTarget, WriteError> {
        let shown = output.display();
        let real = real_path(output)?;
        let refuse = |reason: String| WriteError::Refused {
            reason,
            help: "choose an output folder of its own, such as output/, with --output".to_string(),
        };
        let resolved = if real.as_path() == output { String::new() } else { format!(" (which is {})", real.display()) };
        for source in sources {
            let Ok(source) = real_path(source) else { continue };
            if source.starts_with(&real) {
                return Err(refuse(format!(
                    "the output folder {shown}{resolved} is, or contains, {}; building there would destroy your sources",
                    source.display()
                )));
            }
            if real.starts_with(&source) {
                return Err(refuse(format!(
                    "the output folder {shown}{resolved} is inside {}; the next build would read its own output as sources",
                    source.display()
                )));
            }
        }
        if real.parent().is_none() {
            return Err(refuse(format!("the output folder {shown} is the root of the file system")));
        }
        if let Ok(cwd) = std::env::current_dir().and_then(|cwd| cwd.canonicalize()) {
            if cwd.starts_with(&real) {
                return Err(refuse(format!(
                    "the output folder {shown}{resolved} is, or contains, the current folder {}; building there would replace it",
                    cwd.display()
                )));
            }
        }
        let mut replacement = Replacement::Rename;
        match fs::symlink_metadata(&real) {
            Ok(meta) if meta.is_dir() => {
                if !force && !is_own_or_empty(&real) {
                    return Err(WriteError::Refused {
                        reason: format!(
                            "the output folder {shown}{resolved} already has files that guidepress did not write"
                        ),
                        help: "choose an empty or new folder with --output, or pass --force to replace it".to_string(),
                    });
                }
                if is_mount_point(&real) {
                    replacement = Replacement::Contents;
                }
            }
            Ok(_) => {
                // Even with --force: a file is not a site, and replacing it with one is never what was meant.
                return Err(WriteError::Refused {
                    reason: format!("the output path {shown}{resolved} is a file, not a folder; guidepress writes a folder of pages there"),
                    help: "remove the file or choose another --output".to_string(),
                });
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => return Err(WriteError::io("inspect", &real, error)),
        }
        if replacement == Replacement::Rename {
            // The swap renames the output within its parent: the nearest existing folder above it
            // must be one we may write in, or the build would fail only after all its work.
            let mut ancestor = real.parent();
            while let Some(folder) = ancestor {
                if folder.exists() {
                    if fs::metadata(folder).map(|m| m.permissions().readonly()).unwrap_or(false) {
                        return Err(refuse(format!(
                            "the folder {} that would hold the output is read-only",
                            folder.display()
                        )));
                    }
                    break;
                }
                ancestor = folder.parent();
            }
        }
        Ok(OutputTarget { real, replacement })
    }

    /// An output path already resolved and checked (by `serve` after its first check), for
    /// writing only.
    pub fn checked(real: &Path) -> OutputTarget {
        let replacement = if is_mount_point(real) { Replacement::Contents } else { Replacement::Rename };
        OutputTarget { real: real.to_path_buf(), replacement }
    }

    /// The resolved path of the output folder.
    pub fn path(&self) -> &Path {
        &self.real
    }
}

/// Whether a folder holds guidepress's marker or nothing (staging folders of its own aside).
fn is_own_or_empty(folder: &Path) -> bool {
    if folder.join(MARKER).is_file() {
        return true;
    }
    match fs::read_dir(folder) {
        Ok(entries) => entries.flatten().all(|entry| is_own_temporary(&entry.file_name().to_string_lossy())),
        Err(_) => false,
    }
}

/// Names of the staging and retired folders a build makes inside a mount-point output.
fn is_own_temporary(name: &str) -> bool {
    name.starts_with(STAGING_TAG) || name.starts_with(RETIRED_TAG)
}

/// `path` made absolute, with `.` and `..` applied and every symbolic link in its existing part
/// followed. The part that does not exist yet is applied as written: it will be created as
/// plain folders, so a `..` there really does step back up. A symbolic link that leads nowhere is
/// refused, since what the build would write through it cannot be known.
pub fn real_path(path: &Path) -> Result<PathBuf, WriteError> {
    use std::path::Component;
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map_err(|error| WriteError::io("find the current folder for", path, error))?.join(path)
    };
    let mut real = PathBuf::new();
    // How many of the last components of `real` do not exist yet.
    let mut missing = 0usize;
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => real.push(component.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                real.pop();
                missing = missing.saturating_sub(1);
            }
            Component::Normal(name) => {
                let next = real.join(name);
                if missing > 0 {
                    real = next;
                    missing += 1;
                    continue;
                }
                match fs::symlink_metadata(&next) {
                    Ok(meta) if meta.file_type().is_symlink() => match next.canonicalize() {
                        Ok(target) => real = target,
                        Err(error) => {
                            let pointee = fs::read_link(&next).map(|t| t.display().to_string()).unwrap_or_default();
                            let why = if error.raw_os_error() == Some(40) {
                                "makes a loop"
                            } else {
                                "points to something that does not exist"
                            };
                            return Err(WriteError::Refused {
                                reason: format!("{} is a symbolic link to {pointee}, which {why}", next.display()),
                                help: "remove the link, or point --output at a real folder".to_string(),
                            });
                        }
                    },
                    Ok(_) => real = next,
                    Err(error) if error.kind() == io::ErrorKind::NotFound => {
                        missing = 1;
                        real = next;
                    }
                    Err(error) => return Err(WriteError::io("inspect", &next, error)),
                }
            }
        }
    }
    Ok(real)
}

/// Whether a folder is a mount point, which cannot be renamed. On Linux this reads the mount
/// table, since a bind mount (as Docker makes) sits on the same device as its parent.
fn is_mount_point(folder: &Path) -> bool {
    #[cfg(target_os = "linux")]
    if let Ok(table) = fs::read_to_string("/proc/self/mountinfo") {
        return table
            .lines()
            .filter_map(|line| line.split(' ').nth(4))
            .any(|mount| Path::new(&unescape_mount(mount)) == folder);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let parent = folder.parent().unwrap_or(folder);
        match (fs::metadata(folder), fs::metadata(parent)) {
            (Ok(a), Ok(b)) => a.dev() != b.dev(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    false
}

/// The mount table writes space, tab, newline and backslash in a path as octal escapes.
#[cfg(target_os = "linux")]
fn unescape_mount(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal =
            bytes.get(i + 1..i + 4).filter(|d| bytes[i] == b'\\' && d.iter().all(|b| (b'0'..=b'7').contains(b)));
        match octal {
            Some(d) => {
                out.push((d[0] - b'0') * 64 + (d[1] - b'0') * 8 + (d[2] - b'0'));
                i += 4;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes `files` into a staging folder and swaps it in place of the output at `output`, which
/// has been checked already.
pub fn publish(output: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    let staging = Staging::create(&OutputTarget::checked(output))?;
    files.par_iter().try_for_each(|file| staging.write(&file.path, &file.bytes))?;
    staging.commit()
}

/// A fresh folder that a build writes into as it goes, so that pages need not be held in memory.
/// `commit` swaps it in; dropping it uncommitted removes it and leaves the previous output as it
/// was.
#[derive(Debug)]
pub struct Staging {
    root: PathBuf,
    output: PathBuf,
    parent: PathBuf,
    name: String,
    replacement: Replacement,
    /// Folders already made, so each is created once.
    folders: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    committed: bool,
}

impl Staging {
    /// Makes an empty staging folder for `target` (removing any left by killed builds): beside
    /// the output, or inside it when it is a mount point.
    pub fn create(target: &OutputTarget) -> Result<Staging, WriteError> {
        let output = target.real.clone();
        let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".to_string());
        let (parent, prefix) = match target.replacement {
            Replacement::Rename => {
                (output.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from(".")), format!(".{name}"))
            }
            Replacement::Contents => (output.clone(), String::new()),
        };
        fs::create_dir_all(&parent).map_err(io_error("create", &parent))?;
        remove_leftovers(&parent, &prefix);
        let root = parent.join(format!("{prefix}{STAGING_TAG}{}", std::process::id()));
        if root.exists() {
            fs::remove_dir_all(&root).map_err(io_error("remove", &root))?;
        }
        fs::create_dir(&root).map_err(io_error("create", &root))?;
        Ok(Staging {
            root,
            output,
            parent,
            name: prefix,
            replacement: target.replacement,
            folders: Default::default(),
            committed: false,
        })
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
        fs::write(&marker, b"This folder is written by guidepress. It is replaced on every build.\n")
            .map_err(io_error("write", &marker))?;
        if self.replacement == Replacement::Contents {
            let result = self.move_contents();
            // On success the staging folder is empty; on failure the old contents are back.
            self.committed = result.is_ok();
            let _ = fs::remove_dir_all(&self.root);
            return result;
        }
        let (staging, output) = (&self.root, &self.output);
        if output.exists() {
            if swap(staging, output).is_ok() {
                self.committed = true;
                // The staging path now holds the previous output.
                fs::remove_dir_all(staging).map_err(io_error("remove the previous output at", staging))?;
            } else {
                let retired = self.parent.join(format!("{}{RETIRED_TAG}{}", self.name, std::process::id()));
                fs::rename(output, &retired).map_err(io_error("move aside", output))?;
                if let Err(error) = fs::rename(staging, output) {
                    // Put the old output back rather than leave nothing; the staging folder goes when dropped.
                    let restored = fs::rename(&retired, output).is_ok();
                    return Err(WriteError::Io {
                        action: "move into place".to_string(),
                        path: output.clone(),
                        error,
                        output_kept: restored,
                    });
                }
                self.committed = true;
                fs::remove_dir_all(&retired).map_err(io_error("remove", &retired))?;
            }
        } else {
            fs::rename(staging, output).map_err(io_error("move into place", output))?;
            self.committed = true;
        }
        Ok(())
    }

    /// Replaces the contents of a mount-point output: each old entry is moved into a retired
    /// folder inside it, then each new entry moved in. A failure part-way moves everything back.
    fn move_contents(&self) -> Result<(), WriteError> {
        let retired = self.output.join(format!("{RETIRED_TAG}{}", std::process::id()));
        fs::create_dir(&retired).map_err(io_error("create", &retired))?;
        let names = |folder: &Path| -> Result<Vec<std::ffi::OsString>, WriteError> {
            let mut names: Vec<_> = fs::read_dir(folder)
                .map_err(io_error("list", folder))?
                .flatten()
                .map(|e| e.file_name())
                .filter(|n| !is_own_temporary(&n.to_string_lossy()))
                .collect();
            names.sort();
            Ok(names)
        };
        let old = names(&self.output)?;
        let new = names(&self.root)?;
        let mut moved_out = Vec::new();
        let mut moved_in = Vec::new();
        let mut step = || -> Result<(), WriteError> {
            for name in &old {
                let from = self.output.join(name);
                fs::rename(&from, retired.join(name)).map_err(io_error("move aside", &from))?;
                moved_out.push(name.clone());
            }
            for name in &new {
                let to = self.output.join(name);
                fs::rename(self.root.join(name), &to).map_err(io_error("move into place", &to))?;
                moved_in.push(name.clone());
            }
            Ok(())
        };
        if let Err(WriteError::Io { action, path, error, .. }) = step() {
            let mut restored = true;
            for name in moved_in.iter().rev() {
                restored &= fs::rename(self.output.join(name), self.root.join(name)).is_ok();
            }
            for name in moved_out.iter().rev() {
                restored &= fs::rename(retired.join(name), self.output.join(name)).is_ok();
            }
            if restored {
                let _ = fs::remove_dir(&retired);
            }
            return Err(WriteError::Io { action, path, error, output_kept: restored });
        }
        fs::remove_dir_all(&retired).map_err(io_error("remove", &retired))
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
pub fn update(
    output: &Path,
    previous: &std::collections::BTreeMap<String, Vec<u8>>,
    next: &std::collections::BTreeMap<String, Vec<u8>>,
) -> Result<usize, WriteError> {
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
    let staging = target.with_file_name(format!(
        ".{}.guidepress-tmp",
        target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    ));
    fs::write(&staging, bytes).map_err(io_error("write", &staging))?;
    fs::rename(&staging, &target).map_err(io_error("move into place", &target))
}

/// Swaps two folders in one step where the system allows it.
#[cfg(target_os = "linux")]
fn swap(a: &Path, b: &Path) -> io::Result<()> {
    rustix::fs::renameat_with(rustix::fs::CWD, a, rustix::fs::CWD, b, rustix::fs::RenameFlags::EXCHANGE)
        .map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn swap(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "no atomic exchange"))
}

/// Removes staging and retired folders left by builds that were killed, but not those of a build
/// still running.
fn remove_leftovers(parent: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    let prefixes = [format!("{prefix}{STAGING_TAG}"), format!("{prefix}{RETIRED_TAG}")];
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = prefixes.iter().find_map(|p| file_name.strip_prefix(p.as_str())) else { continue };
        let alive = pid
            .parse::<u32>()
            .is_ok_and(|pid| pid != std::process::id() && Path::new(&format!("/proc/{pid}")).exists());
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
            html.push_str(&format!(
                "<section id=s{i}>\n  <h2>Statement   {i}</h2>\n  <p>Some   text.</p>\n</section>\n"
            ));
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
            let staging = Staging::create(&OutputTarget::checked(&out)).unwrap();
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
        assert!(matches!(OutputTarget::resolve(&out, &[], false), Err(WriteError::Refused { .. })));
        assert!(OutputTarget::resolve(&out, &[], true).is_ok());
    }

    #[test]
    fn refuses_a_parent_of_the_content() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        fs::create_dir(&content).unwrap();
        assert!(matches!(OutputTarget::resolve(dir.path(), &[&content], true), Err(WriteError::Refused { .. })));
        assert!(matches!(OutputTarget::resolve(&content, &[&content], true), Err(WriteError::Refused { .. })));
    }

    #[test]
    fn leftovers_of_dead_builds_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(format!(".output{STAGING_TAG}999999999"));
        fs::create_dir(&stale).unwrap();
        publish(&dir.path().join("output"), &[file("index.html", "x")]).unwrap();
        assert!(!stale.exists());
    }

    #[test]
    fn paths_are_resolved_through_missing_folders_and_links_before_any_check() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let content = root.join("content");
        fs::create_dir(&content).unwrap();
        fs::write(content.join("site.yaml"), "x").unwrap();
        assert_eq!(real_path(&root.join("nothere/../content")).unwrap(), content);
        assert_eq!(real_path(&root.join("a/b/../../content/./")).unwrap(), content);
        assert_eq!(real_path(&root.join("new/../site")).unwrap(), root.join("site"));
        assert_eq!(real_path(&root.join("new/deeper/../../content")).unwrap(), content);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&content, root.join("link")).unwrap();
            assert_eq!(real_path(&root.join("link")).unwrap(), content);
            assert_eq!(real_path(&root.join("link/../content")).unwrap(), content);
            assert_eq!(real_path(&root.join("nothere/../link/.")).unwrap(), content);
            std::os::unix::fs::symlink(root.join("gone"), root.join("dangling")).unwrap();
            assert!(matches!(real_path(&root.join("dangling")), Err(WriteError::Refused { .. })));
        }
        // Every spelling of the content folder is refused, and nothing is created.
        for spelling in ["nothere/../content", "content/.", "a/../content/../content", "content/sub/site"] {
            let result = OutputTarget::resolve(&root.join(spelling), &[&content], true);
            assert!(matches!(result, Err(WriteError::Refused { .. })), "{spelling}");
        }
        assert!(!root.join("nothere").exists() && !root.join("a").exists() && !content.join("sub").exists());
        let target = OutputTarget::resolve(&root.join("out/."), &[&content], false).unwrap();
        assert_eq!(target.path(), root.join("out"));
    }

    #[test]
    fn a_file_is_never_replaced_by_a_site() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("site.html");
        fs::write(&file, "mine").unwrap();
        assert!(matches!(OutputTarget::resolve(&file, &[], true), Err(WriteError::Refused { .. })));
        assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn mount_table_escapes_are_read() {
        assert_eq!(unescape_mount("/srv/my\\040site"), "/srv/my site");
        assert_eq!(unescape_mount("/plain"), "/plain");
        assert!(is_mount_point(Path::new("/")) || !Path::new("/proc/self/mountinfo").exists());
    }

    #[test]
    fn contents_are_replaced_in_place_when_the_output_cannot_be_renamed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("volume");
        publish(&out, &[file("index.html", "old"), file("old/page.html", "x")]).unwrap();
        let target = OutputTarget { real: out.clone(), replacement: Replacement::Contents };
        let staging = Staging::create(&target).unwrap();
        staging.write("index.html", b"new").unwrap();
        staging.write("new/page.html", b"y").unwrap();
        staging.commit().unwrap();
        let names: Vec<_> =
            fs::read_dir(&out).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        let mut names = names;
        names.sort();
        assert_eq!(names, vec![MARKER.to_string(), "index.html".to_string(), "new".to_string()]);
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
        let beside: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(beside.len(), 1, "nothing is left beside the output: {beside:?}");
    }
}
