//! The build pipeline: load → model → editions → render → write, with every stage's diagnostics
//! collected. Nothing is written unless every stage succeeded. `build`, `check` and `serve` all
//! run this one pipeline; `serve` passes the previous site so that only affected pages render.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Diagnostics, SourceMap};
use crate::editions::{self, paths, EditionSet, Page};
use crate::model::{self, ThemeFacts};
use crate::review::Coverage;
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
    /// Count warnings as errors (also set by `strict: true` in site.yaml).
    pub strict: bool,
    /// Show a progress bar for long builds (on a terminal, not with --quiet).
    pub progress: bool,
}

/// Builds with fewer pages than this finish too quickly for a progress bar to help.
const PROGRESS_FROM_PAGES: usize = 500;

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
    /// Whether warnings were counted as errors.
    pub strict: bool,
}

/// What was written.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Pages per edition, in site order.
    pub pages_per_edition: Vec<(String, usize)>,
    /// Pages outside any edition (the landing page and reports).
    pub other_pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    pub output: PathBuf,
    /// One readability line per edition.
    pub readability: Vec<String>,
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

/// A site ready to write: every output file, and what is needed to rebuild it incrementally.
#[derive(Debug, Default, Clone)]
pub struct Site {
    /// Output path to bytes (pages minified).
    pub files: BTreeMap<String, Vec<u8>>,
    /// Page path to the source files it shows.
    pub dependencies: BTreeMap<String, Vec<String>>,
    /// Page path to the fragment ids on it.
    pub ids: BTreeMap<String, BTreeSet<String>>,
    pub pages_per_edition: Vec<(String, usize)>,
    pub other_pages: usize,
    /// `strict: true` in site.yaml.
    pub strict: bool,
    /// Which editions have their own, current text for each statement.
    pub coverage: Coverage,
    /// Pages rendered by this run (all of them, unless it was incremental).
    pub rendered: Vec<String>,
    /// Readability figures of every page, by path.
    pub page_figures: BTreeMap<String, crate::readability::Figures>,
    /// Readability of each edition, in site order.
    pub readability: Vec<crate::readability::EditionFigures>,
    /// What each searchable page contributes to its edition's search index, by path.
    pub search_documents: BTreeMap<String, crate::search::SearchDocument>,
}

/// What changed since the previous site, for an incremental rebuild.
pub struct Changes<'a> {
    pub previous: &'a Site,
    /// Source files (as named in diagnostics) that changed, appeared or disappeared.
    pub files: &'a BTreeSet<String>,
}

/// Runs the pipeline up to (not including) writing. With `changes`, pages whose sources did not
/// change are taken from the previous site instead of being rendered again.
pub fn render_site(
    options: &BuildOptions,
    changes: Option<&Changes<'_>>,
    diagnostics: &mut Diagnostics,
    sources: &mut SourceMap,
    notes: &mut Vec<String>,
) -> Option<Site> {
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
        pictures: theme.pictures.iter().map(|(name, p)| (name.clone(), p.alt.clone())).collect(),
        editions: theme.editions.iter().map(|e| e.id.clone()).collect(),
        easy_read_rules: theme.editions.iter().find(|e| e.easy_read).and_then(|e| e.easy_read_rules).unwrap_or_default(),
    };
    let corpus = model::resolve(loaded, &facts, diagnostics);
    // Static files get their content's fingerprint in their names, so hosts may cache them for good.
    let mut asset_files: BTreeMap<String, Vec<u8>> = theme.assets.iter().map(|a| (a.rel.clone(), a.bytes.clone())).collect();
    for (name, picture) in &theme.pictures {
        asset_files.insert(format!("pictures/{name}.svg"), picture.bytes.clone());
    }
    if let Some(corpus) = &corpus {
        for picture in &corpus.pictures {
            asset_files.insert(format!("pictures/{}.svg", picture.name), picture.bytes.clone());
        }
    }
    let asset_paths: BTreeMap<String, String> = asset_files.iter().map(|(name, bytes)| (name.clone(), fingerprinted(name, bytes))).collect();
    let asset_paths = std::sync::Arc::new(asset_paths);
    let tera = render::templates(&theme.templates, &theme_label, asset_paths.clone(), diagnostics);
    let (corpus, tera) = match (corpus, tera) {
        (Some(corpus), Some(tera)) if !diagnostics.has_errors() => (corpus, tera),
        _ => return None,
    };

    let edition_set = EditionSet::new(&corpus, &theme.editions, options.base_url.as_deref());
    let pages = edition_set.pages();
    let dependencies: BTreeMap<String, Vec<String>> = pages
        .iter()
        .map(|page| (page.path.clone(), edition_set.dependencies(page).into_iter().map(str::to_string).collect()))
        .collect();

    // Everything outside content/statements, content/recommendations, register and glossary
    // (site.yaml, the theme, pictures) can touch every page: then render all.
    let to_render: Vec<&Page> = match changes {
        Some(changes) if !touches_everything(changes.files, &dependencies, &changes.previous.dependencies, &corpus) => pages
            .iter()
            .filter(|page| {
                let previous_dependencies = changes.previous.dependencies.get(&page.path);
                previous_dependencies.is_none()
                    || !changes.previous.files.contains_key(&page.path)
                    || dependencies.get(&page.path).is_some_and(|d| d.iter().any(|f| changes.files.contains(f)))
                    || previous_dependencies.is_some_and(|d| d.iter().any(|f| changes.files.contains(f)))
            })
            .collect(),
        _ => pages.iter().collect(),
    };
    let bar = (options.progress && to_render.len() >= PROGRESS_FROM_PAGES).then(|| {
        let bar = indicatif::ProgressBar::new(to_render.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("rendering {bar:40} {pos}/{len} pages ({eta} left)")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let tick = || {
        if let Some(bar) = &bar {
            bar.inc(1);
        }
    };
    let rendered = render::render(&tera, &edition_set, &to_render, &theme_label, &tick, diagnostics);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if diagnostics.has_errors() {
        return None;
    }

    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (name, bytes) in &asset_files {
        if let Some(path) = asset_paths.get(name) {
            files.insert(path.clone(), bytes.clone());
        }
    }
    let mut page_figures: BTreeMap<String, crate::readability::Figures> = match changes {
        Some(changes) => changes.previous.page_figures.clone(),
        None => BTreeMap::new(),
    };
    let measured: Vec<(String, crate::readability::Figures)> = {
        use rayon::prelude::*;
        rendered.par_iter().map(|p| (p.path.clone(), crate::readability::measure(&crate::readability::page_text(&p.html)))).collect()
    };
    page_figures.extend(measured);
    let planned: std::collections::HashMap<&str, &Page> = pages.iter().map(|p| (p.path.as_str(), p)).collect();
    page_figures.retain(|path, _| planned.contains_key(path.as_str()));
    let readability: Vec<crate::readability::EditionFigures> = corpus
        .site
        .editions
        .iter()
        .filter_map(|id| theme.editions.iter().find(|e| &e.id == id))
        .map(|edition| {
            let prefix = format!("{}/", edition.id);
            let pages: Vec<(String, crate::readability::Figures)> =
                // The print page repeats the edition's text (counting it would count it twice), and
                // the search page has none of its own.
                pages
                    .iter()
                    .filter(|p| p.path.starts_with(&prefix) && !matches!(p.kind, editions::PageKind::Print { .. } | editions::PageKind::Search { .. }))
                    .filter_map(|p| page_figures.get(&p.path).map(|f| (p.path.clone(), *f))).collect();
            let mut total = crate::readability::Figures::default();
            for (_, figures) in &pages {
                total.add(figures);
            }
            crate::readability::EditionFigures { edition: edition.id.clone(), name: edition.name.clone(), total, limits: edition.readability, pages }
        })
        .collect();
    // Search: one index per edition, from the pages as rendered.
    let mut search_documents: BTreeMap<String, crate::search::SearchDocument> = match changes {
        Some(changes) => changes.previous.search_documents.clone(),
        None => BTreeMap::new(),
    };
    let searchable = |kind: &editions::PageKind| {
        matches!(
            kind,
            editions::PageKind::Statement { .. } | editions::PageKind::Recommendation { .. } | editions::PageKind::Law { .. } | editions::PageKind::Glossary { .. }
        )
    };
    for page in &rendered {
        if let Some(planned) = planned.get(page.path.as_str()).filter(|p| searchable(&p.kind)) {
            let edition = planned.path.split('/').next().unwrap_or("");
            if let Some(document) = crate::search::document(&page.path, edition, &page.html) {
                search_documents.insert(page.path.clone(), document);
            }
        }
    }
    search_documents.retain(|path, _| planned.contains_key(path.as_str()));
    for edition in &corpus.site.editions {
        let prefix = format!("{edition}/");
        let documents: Vec<crate::search::SearchDocument> =
            pages.iter().filter(|p| p.path.starts_with(&prefix)).filter_map(|p| search_documents.get(&p.path).cloned()).collect();
        files.insert(paths::search_index(edition), crate::search::index_script(&documents).into_bytes());
    }
    let sitemap_base = options.base_url.as_ref().map(|u| format!("{}/", u.trim_end_matches('/')));
    files.insert("sitemap.xml".to_string(), crate::sitemap::sitemap(&pages, sitemap_base.as_deref()).into_bytes());
    files.insert("robots.txt".to_string(), crate::sitemap::robots(sitemap_base.as_deref()).into_bytes());

    let coverage = crate::review::coverage(&corpus, &theme.editions);
    let stylesheet = asset_paths.get("style.css").cloned().unwrap_or_else(|| "assets/style.css".to_string());
    let reports = [
        crate::review::coverage_page(&coverage, &corpus, &stylesheet),
        crate::readability::report_page(&readability, &corpus.site.language, &corpus.site.short_title, &stylesheet),
    ];
    for page in &pages {
        files.insert(page.path.clone(), Vec::new());
    }
    for report in &reports {
        files.insert(report.0.clone(), Vec::new());
    }

    let mut ids: BTreeMap<String, BTreeSet<String>> = match changes {
        Some(changes) => changes.previous.ids.clone(),
        None => BTreeMap::new(),
    };
    let page_paths: BTreeSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    ids.retain(|path, _| page_paths.contains(path.as_str()));
    for page in &rendered {
        ids.insert(page.path.clone(), links::ids(&page.html));
    }
    let all_paths: BTreeSet<String> = files.keys().cloned().collect();
    let mut page_texts: Vec<(String, &str)> = rendered.iter().map(|p| (p.path.clone(), p.html.as_str())).collect();
    page_texts.extend(reports.iter().map(|r| (r.0.clone(), r.1.as_str())));
    links::check(&page_texts, &all_paths, &ids, diagnostics);
    if diagnostics.has_errors() {
        return None;
    }

    let rendered_paths: Vec<String> = rendered.iter().map(|p| p.path.clone()).collect();
    let mut new_pages: Vec<OutputFile> = rendered.into_iter().map(|p| OutputFile { path: p.path, bytes: p.html.into_bytes() }).collect();
    new_pages.extend(reports.into_iter().map(|(path, html)| OutputFile { path, bytes: html.into_bytes() }));
    for file in write::minify(new_pages) {
        files.insert(file.path, file.bytes);
    }
    if let Some(changes) = changes {
        let rendered_set: BTreeSet<&str> = rendered_paths.iter().map(String::as_str).collect();
        for page in &pages {
            if !rendered_set.contains(page.path.as_str()) {
                if let Some(bytes) = changes.previous.files.get(&page.path) {
                    files.insert(page.path.clone(), bytes.clone());
                }
            }
        }
    }

    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut other_pages = 2; // the coverage and readability reports
    for page in &pages {
        match page.kind {
            editions::PageKind::Landing | editions::PageKind::NotFound => other_pages += 1,
            _ => *counts.entry(page.path.split('/').next().unwrap_or("")).or_default() += 1,
        }
    }
    let pages_per_edition = corpus.site.editions.iter().map(|e| (e.clone(), counts.get(e.as_str()).copied().unwrap_or(0))).collect();
    Some(Site { files, dependencies, ids, pages_per_edition, other_pages, strict: corpus.site.strict, coverage, rendered: rendered_paths, page_figures, readability, search_documents })
}

/// `assets/<name>` with a short hash of the content before the extension: `style.1a2b3c4d.css`.
fn fingerprinted(name: &str, bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let hash: String = Sha256::digest(bytes).iter().take(4).map(|b| format!("{b:02x}")).collect();
    match name.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() => format!("assets/{stem}.{hash}.{extension}"),
        _ => format!("assets/{name}.{hash}"),
    }
}

/// Whether a change can affect pages beyond what page dependencies record.
fn touches_everything(
    changed: &BTreeSet<String>,
    dependencies: &BTreeMap<String, Vec<String>>,
    previous: &BTreeMap<String, Vec<String>>,
    corpus: &model::Corpus,
) -> bool {
    let known: BTreeSet<&str> = dependencies.values().chain(previous.values()).flatten().map(String::as_str).collect();
    let content_files: BTreeSet<&str> = corpus
        .statements
        .iter()
        .map(|s| s.file.as_str())
        .chain(corpus.recommendations.iter().map(|r| r.file.as_str()))
        .chain(corpus.register_file.as_deref())
        .chain(corpus.glossary_file.as_deref())
        .collect();
    changed.iter().any(|file| !known.contains(file.as_str()) && !content_files.contains(file.as_str()) && !is_removed_content(file))
}

fn is_removed_content(file: &str) -> bool {
    file.contains("/statements/") || file.contains("/recommendations/")
}

/// Whether this run fails: errors, or warnings under strict mode.
pub fn fails(diagnostics: &Diagnostics, strict: bool) -> bool {
    let (errors, warnings) = diagnostics.counts();
    errors > 0 || (strict && warnings > 0)
}

/// Builds the site into `options.output`.
pub fn build(options: &BuildOptions) -> BuildReport {
    let started = Instant::now();
    let mut diagnostics = Diagnostics::new();
    let mut sources = SourceMap::default();
    let mut notes = Vec::new();
    let report = |diagnostics, sources, notes, written, write_error, strict| BuildReport { diagnostics, sources, written, write_error, notes, strict };

    // Refuse a dangerous output folder before doing any work.
    let mut protected: Vec<PathBuf> = Vec::new();
    protected.push(options.content.clone().unwrap_or_else(|| PathBuf::from("content")));
    protected.push(options.theme.clone().unwrap_or_else(|| PathBuf::from("themes/default")));
    if let Ok(cwd) = std::env::current_dir() {
        protected.push(cwd);
    }
    let protected_refs: Vec<&Path> = protected.iter().filter(|p| p.exists()).map(PathBuf::as_path).collect();
    if let Err(error) = write::check_output_folder(&options.output, &protected_refs, options.force) {
        return report(diagnostics, sources, notes, None, Some(error), options.strict);
    }

    let site = render_site(options, None, &mut diagnostics, &mut sources, &mut notes);
    let Some(site) = site else {
        if !diagnostics.has_errors() {
            diagnostics.push(Diagnostic::error("internal", "the build stopped without saying why").help("please report this as a bug"));
        }
        return report(diagnostics, sources, notes, None, None, options.strict);
    };
    let strict = options.strict || site.strict;
    if fails(&diagnostics, strict) {
        return report(diagnostics, sources, notes, None, None, strict);
    }
    let readability = site.readability.iter().map(crate::readability::EditionFigures::summary).collect();
    let files: Vec<OutputFile> = site.files.into_iter().map(|(path, bytes)| OutputFile { path, bytes }).collect();
    let count = files.len();
    match write::publish(&options.output, &files) {
        Ok(()) => {
            let summary = Summary {
                pages_per_edition: site.pages_per_edition,
                other_pages: site.other_pages,
                files: count,
                elapsed: started.elapsed(),
                output: options.output.clone(),
                readability,
            };
            report(diagnostics, sources, notes, Some(summary), None, strict)
        }
        Err(error) => report(diagnostics, sources, notes, None, Some(error), strict),
    }
}

/// Checks everything a build checks, without writing.
pub fn check(options: &BuildOptions) -> (Diagnostics, SourceMap, Vec<String>, Option<Site>) {
    let mut diagnostics = Diagnostics::new();
    let mut sources = SourceMap::default();
    let mut notes = Vec::new();
    let site = render_site(options, None, &mut diagnostics, &mut sources, &mut notes);
    (diagnostics, sources, notes, site)
}
