//! The build pipeline: load → model → editions → render → write, with every stage's diagnostics
//! collected. Nothing is written unless every stage succeeded. `build`, `check` and `serve` all
//! run this one pipeline; `serve` passes the previous site so that only affected pages render.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceMap};
use crate::editions::coverage::Coverage;
use crate::editions::{self, EditionSet, Page};
use crate::model::checks::easy_read::Rules;
use crate::model::{self, ThemeFacts};
use crate::outputs::html::{links, render, HtmlPages};
use crate::outputs::{self, Emitted, FileOutcome, OutputFormat, Publication};
use crate::source::Root;
use crate::write::{self, WriteError};
use crate::{editions::theme, load};

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
    /// Report the time each stage took (`--timings`).
    pub timings: bool,
}

/// Wall time per pipeline stage, in the order they ran.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
    /// Resident memory after each stage, in MiB (where the system reports it).
    pub memory: Vec<Option<u64>>,
    /// Thread time (summed over threads) of steps inside the render stage.
    pub cpu: Vec<(&'static str, Duration)>,
    /// The pages that took longest, longest first.
    pub slowest: Vec<(Duration, String)>,
    lap: Option<Instant>,
}

impl Timings {
    /// Starts timing the first stage.
    pub fn start() -> Timings {
        Timings {
            stages: Vec::new(),
            memory: Vec::new(),
            cpu: Vec::new(),
            slowest: Vec::new(),
            lap: Some(Instant::now()),
        }
    }

    /// Ends the current stage, names it, and starts the next.
    pub fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        if let Some(started) = self.lap.replace(now) {
            self.stages.push((stage, now - started));
            self.memory.push(resident_mib());
        }
    }

    /// Records the thread time of the steps inside the parallel render (they overlap in wall time).
    fn note_cpu(&mut self, clock: &StageClock) {
        let nanos = |c: &AtomicU64| Duration::from_nanos(c.load(Ordering::Relaxed));
        self.cpu = vec![
            ("analyse pages (readability, search, links)", nanos(&clock.analyse)),
            ("minify", nanos(&clock.minify)),
            ("write files", nanos(&clock.write)),
        ];
    }

    /// One line per stage, for `--timings`.
    pub fn lines(&self) -> Vec<String> {
        let total: Duration = self.stages.iter().map(|(_, d)| *d).sum();
        let mut lines: Vec<String> = self
            .stages
            .iter()
            .zip(&self.memory)
            .map(|((stage, d), memory)| {
                let memory = memory.map(|m| format!("{m:>6} MiB peak")).unwrap_or_default();
                format!(
                    "{:>9.1} ms  {:>5.1}%  {memory}  {stage}",
                    d.as_secs_f64() * 1000.0,
                    100.0 * d.as_secs_f64() / total.as_secs_f64().max(1e-9)
                )
            })
            .collect();
        lines.push(format!("{:>9.1} ms  total", total.as_secs_f64() * 1000.0));
        for (step, d) in &self.cpu {
            lines.push(format!("{:>9.1} ms  thread time in render: {step}", d.as_secs_f64() * 1000.0));
        }
        for (d, path) in &self.slowest {
            lines.push(format!("{:>9.1} ms  slowest page: {path}", d.as_secs_f64() * 1000.0));
        }
        lines
    }
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
    /// How long each stage took.
    pub timings: Timings,
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
        None if Path::new("themes/default").is_dir() => {
            (Root::Dir(PathBuf::from("themes/default")), "themes/default".to_string())
        }
        None => {
            notes.push("no themes/default/ folder here: using the built-in default theme".to_string());
            (Root::DefaultTheme, "(built-in) themes/default".to_string())
        }
    }
}

/// A site ready to write: every output file, and what is needed to rebuild it incrementally.
#[derive(Debug, Default)]
pub struct Site {
    /// Output path to bytes (pages minified), when built for [`Destination::Memory`].
    pub files: BTreeMap<String, Vec<u8>>,
    /// How many files the build wrote (or would write).
    pub written: usize,
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
    pub page_figures: BTreeMap<String, crate::text::readability::Figures>,
    /// Readability of each edition, in site order.
    pub readability: Vec<crate::text::readability::EditionFigures>,
    /// How long each stage took.
    pub timings: Timings,
    /// What each searchable page contributes to its edition's search index, by path.
    pub search_documents: BTreeMap<String, crate::outputs::search::SearchDocument>,
    /// The model and theme of this build, kept by `serve` to re-render an edited statement's own
    /// pages at once.
    pub kept: Option<Kept>,
}

/// What `serve` keeps of a build so that an edited statement's own pages can be re-rendered
/// without reading and modelling the whole library again.
pub struct Kept {
    corpus: model::Corpus,
    editions: Vec<editions::EditionFile>,
    templates: render::Templates,
    facts: ThemeFacts,
    reviews: BTreeMap<String, crate::load::StatementReview>,
    theme_label: String,
    /// The content folder, and how its files are named in messages.
    content: Option<(PathBuf, String)>,
    /// Every path the build writes, for checking links.
    known: links::PathSet,
}

impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kept")
            .field("statements", &self.corpus.statements.len())
            .field("content", &self.content)
            .finish_non_exhaustive()
    }
}

/// Why an edit cannot be shown by re-rendering the edited statements' own pages first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotQuick {
    /// A changed file is not an existing statement file of the content folder.
    NotAStatement,
    /// A statement's id or number changed, or it is new.
    Reordered,
    /// The edited file has errors (the full rebuild reports them).
    Problems,
}

/// Re-reads and re-resolves edited statement files against the kept model, and renders (and
/// minifies) only their own pages, one per edition. The rest of the site, which may list these
/// statements too, is left to the full rebuild that follows. Returns each page's path and bytes.
pub fn rerender_statements(
    kept: &mut Kept,
    changed: &BTreeSet<String>,
    base_url: Option<&str>,
    diagnostics: &mut Diagnostics,
) -> Result<Vec<(String, Vec<u8>)>, NotQuick> {
    let Some((folder, label)) = kept.content.clone() else {
        return Err(NotQuick::NotAStatement);
    };
    let prefix = format!("{}/", label.trim_end_matches('/'));
    let mut positions = Vec::new();
    for name in changed {
        let rel = name.strip_prefix(&prefix).ok_or(NotQuick::NotAStatement)?;
        let path = folder.join(rel);
        // Only plain files are read here; links are left to the full rebuild's checks.
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            return Err(NotQuick::NotAStatement);
        }
        let Ok(Ok(bytes)) = crate::source::read_file(&path) else {
            return Err(NotQuick::Problems);
        };
        let raw = crate::source::RawFile { rel: rel.to_string(), bytes: bytes.into() };
        let parsed = match load::parse_statement(&raw, &label) {
            None => return Err(NotQuick::NotAStatement),
            Some(Err(_)) => return Err(NotQuick::Problems),
            Some(Ok(parsed)) => parsed,
        };
        let review = kept.reviews.get(&parsed.value.id);
        let position = model::resolve_edited_statement(&mut kept.corpus, &parsed, &kept.facts, review, diagnostics)
            .map_err(|_| NotQuick::Reordered)?;
        positions.push(position);
    }
    if diagnostics.has_errors() {
        return Err(NotQuick::Problems);
    }
    let edition_set = EditionSet::new(&kept.corpus, &kept.editions, base_url);
    let pages: Vec<Page> = positions.iter().flat_map(|&p| edition_set.statement_pages(p)).collect();
    let to_render: Vec<&Page> = pages.iter().collect();
    let known = &kept.known;
    let finish = |page: &Page, html: String, _: Duration| {
        let found = links::check_page(&page.path, &html, known);
        (page.path.clone(), write::minify_page(html.as_bytes()), found.problems)
    };
    let rendered = render::render(&kept.templates, &edition_set, &to_render, &kept.theme_label, &finish, diagnostics);
    let mut files = Vec::with_capacity(rendered.len());
    for (path, bytes, problems) in rendered {
        diagnostics.extend_from(problems);
        files.push((path, bytes));
    }
    if diagnostics.has_errors() {
        return Err(NotQuick::Problems);
    }
    Ok(files)
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
    destination: &Destination<'_>,
) -> Option<Site> {
    let mut timings = Timings::start();
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
    timings.lap("load: read and parse content and theme");

    let facts = ThemeFacts {
        pictures: theme.pictures.iter().map(|(name, p)| (name.clone(), p.alt.clone())).collect(),
        editions: theme.editions.iter().map(|e| e.id.clone()).chain(theme.broken_editions.iter().cloned()).collect(),
        easy_read_rules: Rules::strictest(
            theme.editions.iter().filter(|e| e.easy_read).map(|e| e.easy_read_rules.unwrap_or_default()),
        ),
        register_default: theme.editions.iter().filter(|e| e.register_default).map(|e| e.id.clone()).collect(),
        headline_limit: theme
            .editions
            .iter()
            .filter_map(|e| e.headline_words.map(|words| (words, e.name.clone())))
            .min_by_key(|(words, _)| *words),
    };
    let reviews = match destination {
        Destination::Memory => loaded.reviews.as_ref().map(|r| r.value.statements.clone()).unwrap_or_default(),
        _ => BTreeMap::new(),
    };
    let corpus = model::resolve(loaded, &facts, diagnostics);
    // A build shows snippets only of files with problems, and later stages find problems only in
    // the theme: the other texts (the whole library) need not stay in memory while pages render.
    if matches!(destination, Destination::Staging { .. }) {
        let named: HashSet<&str> = diagnostics.sorted().into_iter().filter_map(|d| d.file.as_deref()).collect();
        let theme_files: HashSet<&str> = theme.sources.names().collect();
        sources.retain(|name| named.contains(name) || theme_files.contains(name));
    }
    timings.lap("model: resolve ids, citations, lint");
    // Static files get their content's fingerprint in their names, so hosts may cache them for good.
    let mut asset_files: BTreeMap<String, Vec<u8>> =
        theme.assets.iter().map(|a| (a.rel.clone(), a.bytes.clone())).collect();
    for (name, picture) in &theme.pictures {
        asset_files.insert(format!("pictures/{name}.svg"), picture.bytes.clone());
    }
    if let Some(corpus) = &corpus {
        for picture in &corpus.pictures {
            asset_files.insert(format!("pictures/{}.svg", picture.name), picture.bytes.clone());
        }
    }
    let asset_paths: BTreeMap<String, String> =
        asset_files.iter().map(|(name, bytes)| (name.clone(), fingerprinted(name, bytes))).collect();
    let asset_paths = std::sync::Arc::new(asset_paths);
    let templates = render::templates(&theme.templates, &theme_label, asset_paths.clone(), diagnostics);
    let (corpus, templates) = match (corpus, templates) {
        (Some(corpus), Some(templates)) if !diagnostics.has_errors() => (corpus, templates),
        _ => return None,
    };

    timings.lap("templates and assets");
    let edition_set = EditionSet::new(&corpus, &theme.editions, options.base_url.as_deref());
    let pages = edition_set.pages();
    timings.lap("editions: plan pages");
    // Only `serve` rebuilds incrementally, so only it needs to know what each page shows.
    let dependencies: BTreeMap<String, Vec<String>> = match destination {
        Destination::Memory => {
            use rayon::prelude::*;
            pages
                .par_iter()
                .map(|page| {
                    (page.path.clone(), edition_set.dependencies(page).into_iter().map(str::to_string).collect())
                })
                .collect()
        }
        _ => BTreeMap::new(),
    };
    timings.lap("editions: page dependencies");

    // Everything outside content/statements, content/recommendations, register and glossary
    // (site.yaml, the theme, pictures) can touch every page: then render all.
    let to_render: Vec<&Page> = match changes {
        Some(changes) if !touches_everything(changes.files, &dependencies, &changes.previous.dependencies, &corpus) => {
            pages
                .iter()
                .filter(|page| {
                    let previous_dependencies = changes.previous.dependencies.get(&page.path);
                    previous_dependencies.is_none()
                        || !changes.previous.files.contains_key(&page.path)
                        || dependencies.get(&page.path).is_some_and(|d| d.iter().any(|f| changes.files.contains(f)))
                        || previous_dependencies.is_some_and(|d| d.iter().any(|f| changes.files.contains(f)))
                })
                .collect()
        }
        _ => pages.iter().collect(),
    };

    let coverage = crate::editions::coverage::coverage(&corpus, &theme.editions);
    let stylesheet = asset_paths.get("style.css").cloned().unwrap_or_else(|| "assets/style.css".to_string());
    let base_url = options.base_url.as_ref().map(|u| format!("{}/", u.trim_end_matches('/')));
    let html =
        HtmlPages { templates: &templates, editions: &edition_set, to_render: &to_render, theme_label: &theme_label };
    let later = outputs::formats();

    // Every path the build writes, known before anything renders, so each file's links can be
    // checked as soon as it is rendered.
    let mut known: links::PathSet = html.plan(&corpus, &pages).into_iter().collect();
    known.extend(asset_paths.values().cloned());
    for format in &later {
        known.extend(format.plan(&corpus, &pages));
    }

    let bar = (options.progress && to_render.len() >= PROGRESS_FROM_PAGES).then(|| {
        let bar = indicatif::ProgressBar::new(to_render.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("rendering {bar:40} {pos}/{len} pages ({eta} left)")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let cpu = StageClock::default();
    // Each file is measured, indexed, link-checked, minified and written on the thread that
    // rendered it, and then dropped: memory does not grow with the size of the site's HTML.
    let finish = |file: Emitted<'_>| -> FileOutcome {
        let started = Instant::now();
        let Emitted { path, page, bytes, render_time } = file;
        let html = path.ends_with(".html").then(|| std::str::from_utf8(&bytes).ok()).flatten();
        let (figures, search) = match (page, html) {
            (Some(page), Some(html)) => page_figures_and_search(page, html),
            _ => (None, None),
        };
        let links::PageLinks { ids, problems, later: fragment_links } = match html {
            Some(html) => links::check_page(path, html, &known),
            None => links::PageLinks::default(),
        };
        cpu.add(&cpu.analyse, started);
        // A report of a large library is tens of megabytes, and the minifier's tree of it would
        // cost more memory than the rest of the build; reports are compact already, so a large
        // one is written as it is. Pages cannot be, and are minified in pieces instead.
        let bytes = if page.is_none() && bytes.len() > write::MINIFY_PIECE {
            destination.deliver(path, bytes, &cpu)
        } else {
            destination.send(path, bytes, &cpu)
        };
        if let (Some(bar), Some(_)) = (&bar, page) {
            bar.inc(1);
        }
        let time = render_time + started.elapsed();
        FileOutcome { path: path.to_string(), figures, search, ids, problems, fragment_links, bytes, time }
    };
    let no_search = BTreeMap::new();
    let before_html = Publication {
        corpus: &corpus,
        pages: &pages,
        base_url: base_url.as_deref(),
        stylesheet: &stylesheet,
        search_documents: &no_search,
        readability: &[],
        coverage: &coverage,
    };
    let outcomes = html.render(&before_html, &finish, diagnostics);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    timings.lap("render: templates, readability, search, links, minify, write");
    timings.note_cpu(&cpu);
    if diagnostics.has_errors() {
        return None;
    }

    let planned: HashMap<&str, &Page> = pages.iter().map(|p| (p.path.as_str(), p)).collect();
    let (mut page_figures, mut search_documents, mut ids) = match changes {
        Some(changes) => (
            changes.previous.page_figures.clone(),
            changes.previous.search_documents.clone(),
            changes.previous.ids.clone(),
        ),
        None => (BTreeMap::new(), BTreeMap::new(), BTreeMap::new()),
    };
    let mut fragment_links = Vec::new();
    let mut rendered_paths = Vec::with_capacity(outcomes.len());
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut slowest: Vec<(Duration, String)> = outcomes.iter().map(|o| (o.time, o.path.clone())).collect();
    slowest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    slowest.truncate(5);
    timings.slowest = slowest;
    for outcome in outcomes {
        match outcome.figures {
            Some(figures) => page_figures.insert(outcome.path.clone(), figures),
            None => page_figures.remove(&outcome.path),
        };
        match outcome.search {
            Some(document) => search_documents.insert(outcome.path.clone(), document),
            None => search_documents.remove(&outcome.path),
        };
        ids.insert(outcome.path.clone(), outcome.ids);
        diagnostics.extend_from(outcome.problems);
        fragment_links.extend(outcome.fragment_links);
        if let Some(bytes) = outcome.bytes {
            files.insert(outcome.path.clone(), bytes);
        }
        rendered_paths.push(outcome.path);
    }
    page_figures.retain(|path, _| planned.contains_key(path.as_str()));
    search_documents.retain(|path, _| planned.contains_key(path.as_str()));
    ids.retain(|path, _| planned.contains_key(path.as_str()));
    let readability = edition_figures(&corpus, &theme.editions, &pages, &page_figures);

    // Static files go as they are, under their fingerprinted names.
    for (name, bytes) in &asset_files {
        if let Some(path) = asset_paths.get(name) {
            if let Some(bytes) = destination.send(path, bytes.clone(), &cpu) {
                files.insert(path.clone(), bytes);
            }
        }
    }
    // Then the formats that read what the pages gathered: search indexes, sitemap, reports.
    let publication = Publication { search_documents: &search_documents, readability: &readability, ..before_html };
    let mut other_ids = BTreeMap::new();
    for format in &later {
        for outcome in format.render(&publication, &finish, diagnostics) {
            diagnostics.extend_from(outcome.problems);
            fragment_links.extend(outcome.fragment_links);
            other_ids.insert(outcome.path.clone(), outcome.ids);
            if let Some(bytes) = outcome.bytes {
                files.insert(outcome.path, bytes);
            }
        }
        timings.lap(format.name());
    }
    // Only `serve` needs the documents again.
    if !matches!(destination, Destination::Memory) {
        search_documents.clear();
    }
    // Links into the reports' own fragments are checked with the pages'; only pages' ids are kept.
    let mut all_ids = ids;
    all_ids.extend(other_ids.iter().map(|(path, found)| (path.clone(), found.clone())));
    diagnostics.extend_from(links::check_fragments(&fragment_links, &all_ids));
    all_ids.retain(|path, _| !other_ids.contains_key(path));
    let ids = all_ids;
    timings.lap("links between pages");
    if diagnostics.has_errors() {
        return None;
    }
    if let Some(changes) = changes {
        let rendered_set: HashSet<&str> = rendered_paths.iter().map(String::as_str).collect();
        for page in &pages {
            if !rendered_set.contains(page.path.as_str()) {
                if let Some(bytes) = changes.previous.files.get(&page.path) {
                    files.insert(page.path.clone(), bytes.clone());
                }
            }
        }
    }
    let written = known.len();
    timings.lap("write: other files");

    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut other_pages = 2; // the coverage and readability reports
    for page in &pages {
        match page.kind {
            editions::PageKind::Landing | editions::PageKind::NotFound => other_pages += 1,
            _ => *counts.entry(page.path.split('/').next().unwrap_or("")).or_default() += 1,
        }
    }
    let pages_per_edition =
        corpus.site.editions.iter().map(|e| (e.clone(), counts.get(e.as_str()).copied().unwrap_or(0))).collect();
    let strict = corpus.site.strict;
    let kept = matches!(destination, Destination::Memory).then(|| Kept {
        corpus,
        editions: theme.editions,
        templates,
        facts,
        reviews,
        theme_label,
        content: match &content {
            Root::Dir(folder) => Some((folder.clone(), content_label)),
            _ => None,
        },
        known,
    });
    Some(Site {
        files,
        written,
        dependencies,
        ids,
        pages_per_edition,
        other_pages,
        strict,
        coverage,
        rendered: rendered_paths,
        page_figures,
        readability,
        search_documents,
        timings,
        kept,
    })
}

/// A page's readability figures and search document, from its HTML.
fn page_figures_and_search(
    page: &Page,
    html: &str,
) -> (Option<crate::text::readability::Figures>, Option<crate::outputs::search::SearchDocument>) {
    use editions::PageKind;
    let searchable = matches!(
        page.kind,
        PageKind::Statement { .. } | PageKind::Recommendation { .. } | PageKind::Law { .. } | PageKind::Glossary { .. }
    );
    // The print page repeats its edition's text and the search page has none of its own, so
    // neither counts towards readability.
    let counted = !matches!(page.kind, PageKind::Print { .. } | PageKind::Search { .. });
    if !counted && !searchable {
        return (None, None);
    }
    let text = crate::text::readability::page_text(html);
    let edition = page.path.split('/').next().unwrap_or("");
    let search = if searchable { crate::outputs::search::document(&page.path, edition, html, &text) } else { None };
    (counted.then(|| crate::text::readability::measure(&text)), search)
}

/// Each built edition's readability figures, page by page in page order.
fn edition_figures(
    corpus: &model::Corpus,
    definitions: &[editions::EditionFile],
    pages: &[Page],
    page_figures: &BTreeMap<String, crate::text::readability::Figures>,
) -> Vec<crate::text::readability::EditionFigures> {
    corpus
        .site
        .editions
        .iter()
        .filter_map(|id| definitions.iter().find(|e| &e.id == id))
        .map(|edition| {
            let prefix = format!("{}/", edition.id);
            let pages: Vec<(String, crate::text::readability::Figures)> = pages
                .iter()
                .filter(|p| p.path.starts_with(&prefix))
                .filter_map(|p| page_figures.get(&p.path).map(|f| (p.path.clone(), *f)))
                .collect();
            let mut total = crate::text::readability::Figures::default();
            for (_, figures) in &pages {
                total.add(figures);
            }
            crate::text::readability::EditionFigures {
                edition: edition.id.clone(),
                name: edition.name.clone(),
                total,
                limits: edition.readability,
                pages,
            }
        })
        .collect()
}

/// Where a build's files go.
pub enum Destination<'a> {
    /// Kept in [`Site::files`], so `serve` can write only what changed.
    Memory,
    /// Written into a staging folder as they are rendered; the first failure is kept in `error`.
    Staging { staging: &'a write::Staging, error: &'a std::sync::Mutex<Option<WriteError>> },
    /// Checked, then dropped (`check`).
    Nowhere,
}

impl Destination<'_> {
    /// Minifies an HTML file and sends it on. Returns the bytes when they are kept in memory.
    fn send(&self, path: &str, bytes: Vec<u8>, cpu: &StageClock) -> Option<Vec<u8>> {
        if matches!(self, Destination::Nowhere) {
            return None;
        }
        let started = Instant::now();
        let bytes = if path.ends_with(".html") { write::minify_page(&bytes) } else { bytes };
        cpu.add(&cpu.minify, started);
        self.deliver(path, bytes, cpu)
    }

    /// Sends a file on as it is.
    fn deliver(&self, path: &str, bytes: Vec<u8>, cpu: &StageClock) -> Option<Vec<u8>> {
        match self {
            Destination::Memory => Some(bytes),
            Destination::Staging { staging, error } => {
                let started = Instant::now();
                if let Err(failure) = staging.write(path, &bytes) {
                    let mut slot = match error.lock() {
                        Ok(slot) => slot,
                        Err(poisoned) => poisoned.into_inner(),
                    };
                    slot.get_or_insert(failure);
                }
                cpu.add(&cpu.write, started);
                None
            }
            Destination::Nowhere => None,
        }
    }
}

/// Thread time spent in the steps that run inside the parallel render, in nanoseconds.
#[derive(Default)]
struct StageClock {
    analyse: AtomicU64,
    minify: AtomicU64,
    write: AtomicU64,
}

impl StageClock {
    fn add(&self, counter: &AtomicU64, started: Instant) {
        counter.fetch_add(u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }
}

/// The process's peak resident memory so far, in MiB (Linux reports it in /proc).
fn resident_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
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
    changed.iter().any(|file| {
        !known.contains(file.as_str()) && !content_files.contains(file.as_str()) && !is_removed_content(file)
    })
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
    let report = |diagnostics, sources, notes, written, write_error, strict| BuildReport {
        diagnostics,
        sources,
        written,
        write_error,
        notes,
        strict,
    };

    // Refuse a dangerous output folder before doing any work, judged on what the path really is.
    let source_folders = [
        options.content.clone().unwrap_or_else(|| PathBuf::from("content")),
        options.theme.clone().unwrap_or_else(|| PathBuf::from("themes/default")),
    ];
    let source_refs: Vec<&Path> = source_folders.iter().filter(|p| p.exists()).map(PathBuf::as_path).collect();
    let target = match write::OutputTarget::resolve(&options.output, &source_refs, options.force) {
        Ok(target) => target,
        Err(error) => return report(diagnostics, sources, notes, None, Some(error), options.strict),
    };
    let staging = match write::Staging::create(&target) {
        Ok(staging) => staging,
        Err(error) => return report(diagnostics, sources, notes, None, Some(error), options.strict),
    };
    let write_error = std::sync::Mutex::new(None);
    let destination = Destination::Staging { staging: &staging, error: &write_error };
    let site = render_site(options, None, &mut diagnostics, &mut sources, &mut notes, &destination);
    let write_error = match write_error.into_inner() {
        Ok(error) => error,
        Err(poisoned) => poisoned.into_inner(),
    };
    let Some(site) = site else {
        if !diagnostics.has_errors() {
            diagnostics.push(
                Diagnostic::error(Code::Internal, "the build stopped without saying why")
                    .help("please report this as a bug"),
            );
        }
        return report(diagnostics, sources, notes, None, None, options.strict);
    };
    let strict = options.strict || site.strict;
    if fails(&diagnostics, strict) {
        return report(diagnostics, sources, notes, None, None, strict);
    }
    let readability = site.readability.iter().map(crate::text::readability::EditionFigures::summary).collect();
    if let Some(error) = write_error {
        return report(diagnostics, sources, notes, None, Some(error), strict);
    }
    let mut timings = site.timings;
    timings.lap("summaries");
    let count = site.written;
    match staging.commit() {
        Ok(()) => {
            timings.lap("write: swap in the new output");
            let summary = Summary {
                pages_per_edition: site.pages_per_edition,
                other_pages: site.other_pages,
                files: count,
                elapsed: started.elapsed(),
                output: options.output.clone(),
                readability,
                timings,
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
    let site = render_site(options, None, &mut diagnostics, &mut sources, &mut notes, &Destination::Nowhere);
    (diagnostics, sources, notes, site)
}
