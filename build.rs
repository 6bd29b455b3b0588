//! Builds the sample publication (`content/`) and the default theme (`themes/default/`) into the
//! binary without tying compilation to them.
//!
//! Embedding the folders directly (`include_bytes!`, rust-embed) makes cargo track every file in
//! them, so a one-line edit to a statement recompiled the whole program (2 to 4 minutes in
//! release). Instead this script copies both folders into `OUT_DIR` and writes the list of files
//! there; the binary includes the copies. The script reruns only when it changes itself, so
//! editing `content/` or the theme never recompiles anything: `guidepress build` reads those
//! folders from disk whenever they are there. A fresh clone embeds exactly what it holds, and
//! the test `embedded_copies_match_the_folders` says when a working copy's binary holds an older
//! sample (then `touch build.rs` refreshes it).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

fn main() -> io::Result<()> {
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or_else(|| io::Error::other("OUT_DIR is not set"))?);
    let mut code = String::from("// Written by build.rs: the files of each embedded folder, sorted by path.\n");
    for (name, folder) in [("SAMPLE_CONTENT", "content"), ("DEFAULT_THEME", "themes/default")] {
        let copy = out.join("embedded").join(name);
        if copy.exists() {
            fs::remove_dir_all(&copy)?;
        }
        let mut files = Vec::new();
        list(Path::new(folder), "", &mut files)?;
        files.sort();
        code.push_str(&format!("pub static {name}: &[(&str, &[u8])] = &[\n"));
        for rel in files {
            let target = copy.join(&rel);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::copy(Path::new(folder).join(&rel), &target)?;
            code.push_str(&format!("    ({rel:?}, include_bytes!({:?})),\n", target.display().to_string()));
        }
        code.push_str("];\n");
    }
    fs::write(out.join("embedded.rs"), code)
}

/// Every file under `dir`, as paths relative to the folder with `/` separators. Hidden files and
/// folders are left out, as the loader leaves them out on disk.
fn list(dir: &Path, prefix: &str, files: &mut Vec<String>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let rel = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
        if entry.file_type()?.is_dir() {
            list(&entry.path(), &rel, files)?;
        } else {
            files.push(rel);
        }
    }
    Ok(())
}
