//! The build pipeline: load → model → editions → render → write, with every stage's diagnostics
//! collected. Nothing is written unless every stage succeeded.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Diagnostics, SourceMap};
use crate::editions::{self, paths};
use crate::model::{self, ThemeFacts};
use crate::source::Root;
use crate::write::{self, OutputFile, WriteError};
use crate::{load, links, render, theme};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The content folder; `None` means `./content`, or the built-in sample when there is none.
    pub content: Option<PathBuf>,
    /// The theme folder; `None` means `./themes/default`, or the built-in theme when there is none.
    pub theme: Option<PathBuf>,
    /// The output folder.
    pub output: PathBuf,
    /// The address the site will be published at, for absolute links in metadata.
    pub base_url: Option<String>,
    /// Replace an output folder that guidepress did not create.
    pub force: bool,
}

/// How a build ended.
#[derive(Debug)]
pub struct BuildReport {
    pub diagnostics: Diagnostics,
    pub sources: SourceMap,
    /// Set when the output was written.
    pub written: Option<Summary>,
    /// Set when the output folder was refused or could not be written.
    pub write_error: Option<WriteError>,
    /// Notes for the user, such as "building the built-in sample".
    pub notes: Vec<String>,
}

/// What was written.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Pages per edition, in site order.
    pub pages_per_edition: Vec<(String, usize)>,
    /// Pages outside any edition (the landing page).
    pub other_pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    pub output: PathBuf,
}

impl Summary {
    /// The one-line summary printed at the end of a build.
    pub fn line(&self) -> String {
        let editions: Vec<String> = self.pages_per_edition.iter().map(|(e, n)| format!("{e} {n}")).collect();
        format!(
            "built {} editions ({}) and {} other page{} in {:.2}s into {}",
            self.pages_per_edition.len(),
            if editions.is_empty() { "none".to_string() } else { format!("pages: {}", editions.join(", ")) },
            self.other_pages,
            if self.other_pages == 1 { "" } else { "s" },
            self.elapsed.as_secs_f64(),
            self.output.display()
        )
    }
}

/// Which content root to read, and how to name its files in messages.
pub fn content_root(option: &Option<PathBuf>, notes: &mut Vec<String>) -> (Root, String) {
    match option {
        Some(path) => (Root::Dir(path.clone()), path.display().to_string()),
        None if Path::new("content").is_dir() => (Root::Dir(PathBuf::from("content")), "content".to_string()),
        None => {
            notes.push("no content/ folder here: building the built-in sample publication".to_string());
            (Root::SampleContent, "(built-in) content".to_string())
        }
    }
}

/// Which theme root to read, and how to name its files in messages.
pub fn theme_root(option: &Option<PathBuf>, notes: &mut Vec<String>) -> (Root, String) {
    match option {
        Some(path) => (Root::Dir(path.clone()), path.display().to_string()),
        None if Path::new("themes/default").is_dir() => (Root::Dir(PathBuf::from("themes/default")), "themes/default".to_string()),
        None => {
            notes.push("no themes/default/ folder here: using the built-in default theme".to_string());
            (Root::DefaultTheme, "(built-in) themes/default".to_string())
        }
    }
}

/// The files a build would write, and the diagnostics of getting them; shared by `build` and
/// (later) `check` and `serve`.
pub struct Rendered {
    pub files: Vec<OutputFile>,
    pub pages_per_edition: Vec<(String, usize)>,
    pub other_pages: usize,
}

/// Runs the pipeline up to (not including) writing.
pub fn render_site(options: &BuildOptions, diagnostics: &mut Diagnostics, sources: &mut SourceMap, notes: &mut Vec<String>) -> Option<Rendered> {
    let (content, content_label) = content_root(&options.content, notes);
    let (theme_source, theme_label) = theme_root(&options.theme, notes);

    // Theme and content are independent: read them at the same time.
    let ((theme, theme_diagnostics), (loaded, load_diagnostics)) = rayon::join(
        || {
            let mut d = Diagnostics::new();
            (theme::load(&theme_source, &theme_label, &mut d), d)
        },
        || {
            let mut d = Diagnostics::new();
            (load::load(&content, &content_label, &mut d), d)
        },
    );
    diagnostics.extend(theme_diagnostics);
    diagnostics.extend(load_diagnostics);
    sources.extend(theme.sources.clone());
    sources.extend(loaded.sources.clone());

    let facts = ThemeFacts {
        pictures: theme.pictures.keys().cloned().collect(),
        editions: theme.editions.iter().map(|e| e.id.clone()).collect(),
    };
    let corpus = model::resolve(loaded, &facts, diagnostics);
    let tera = render::templates(&theme.templates, &theme_label, diagnostics);
    let (corpus, tera) = match (corpus, tera) {
        (Some(corpus), Some(tera)) if !diagnostics.has_errors() => (corpus, tera),
        _ => return None,
    };

    let pages = editions::plan(&corpus, &theme.editions, options.base_url.as_deref());
    let rendered = render::render(&tera, &pages, &theme_label, diagnostics);
    if diagnostics.has_errors() {
        return None;
    }

    let mut files: Vec<OutputFile> = Vec::with_capacity(rendered.len() + theme.assets.len() + theme.pictures.len());
    for asset in &theme.assets {
        files.push(OutputFile { path: format!("assets/{}", asset.rel), bytes: asset.bytes.clone() });
    }
    let mut pictures: BTreeMap<&str, &[u8]> = theme.pictures.iter().map(|(name, p)| (name.as_str(), p.bytes.as_slice())).collect();
    for picture in &corpus.pictures {
        pictures.insert(&picture.name, &picture.bytes);
    }
    for (name, bytes) in pictures {
        files.push(OutputFile { path: paths::picture(name), bytes: bytes.to_vec() });
    }
    let other_files: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
    let page_texts: Vec<(String, &str)> = rendered.iter().map(|p| (p.path.clone(), p.html.as_str())).collect();
    links::check(&page_texts, &other_files, diagnostics);
    if diagnostics.has_errors() {
        return None;
    }

    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut other_pages = 0;
    for page in &rendered {
        match page.path.split_once('/') {
            Some((edition, _)) => *counts.entry(edition).or_default() += 1,
            None => other_pages += 1,
        }
    }
    let pages_per_edition = corpus.site.editions.iter().map(|e| (e.clone(), counts.get(e.as_str()).copied().unwrap_or(0))).collect();
    files.extend(rendered.into_iter().map(|p| OutputFile { path: p.path, bytes: p.html.into_bytes() }));
    Some(Rendered { files: write::minify(files), pages_per_edition, other_pages })
}

/// Builds the site into `options.output`.
pub fn build(options: &BuildOptions) -> BuildReport {
    let started = Instant::now();
    let mut diagnostics = Diagnostics::new();
    let mut sources = SourceMap::default();
    let mut notes = Vec::new();

    // Refuse a dangerous output folder before doing any work.
    let mut protected: Vec<PathBuf> = Vec::new();
    protected.push(options.content.clone().unwrap_or_else(|| PathBuf::from("content")));
    protected.push(options.theme.clone().unwrap_or_else(|| PathBuf::from("themes/default")));
    if let Ok(cwd) = std::env::current_dir() {
        protected.push(cwd);
    }
    let protected_refs: Vec<&Path> = protected.iter().filter(|p| p.exists()).map(PathBuf::as_path).collect();
    if let Err(error) = write::check_output_folder(&options.output, &protected_refs, options.force) {
        return BuildReport { diagnostics, sources, written: None, write_error: Some(error), notes };
    }

    let rendered = render_site(options, &mut diagnostics, &mut sources, &mut notes);
    let Some(rendered) = rendered else {
        if !diagnostics.has_errors() {
            diagnostics.push(Diagnostic::error("internal", "the build stopped without saying why").help("please report this as a bug"));
        }
        return BuildReport { diagnostics, sources, written: None, write_error: None, notes };
    };
    let files = rendered.files.len();
    match write::publish(&options.output, &rendered.files) {
        Ok(()) => BuildReport {
            diagnostics,
            sources,
            written: Some(Summary {
                pages_per_edition: rendered.pages_per_edition,
                other_pages: rendered.other_pages,
                files,
                elapsed: started.elapsed(),
                output: options.output.clone(),
            }),
            write_error: None,
            notes,
        },
        Err(error) => BuildReport { diagnostics, sources, written: None, write_error: Some(error), notes },
    }
}
