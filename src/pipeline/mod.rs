//! The pipeline: load → model → editions → outputs → write, with every stage's diagnostics
//! collected. Nothing is written unless every stage succeeded. `build`, `check` and `serve` all
//! run this one pipeline; `serve` passes the previous site so that only affected pages render.

mod destination;
mod kept;
mod timings;

pub use destination::Destination;
pub use kept::{rerender_statements, Kept, NotQuick};
use timings::StageClock;
pub use timings::Timings;

use crate::diagnostics::{Code, Diagnostics, SourceMap};
use crate::editions::coverage::Coverage;
use crate::editions::{self, EditionSet, Page};
use crate::model::checks::easy_read::Rules;
use crate::model::{self, ThemeFacts};
use crate::outputs::html::{links, render, HtmlPages};
use crate::outputs::{self, Body, Emitted, FileOutcome, OutputFormat, Publication};
use crate::source::Root;
use crate::write::{self};
use crate::{editions::theme, load};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

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
    /// Publish text still marked `FILL IN` (otherwise an error), with a banner on every page.
    pub draft: bool,
    /// Show a progress bar for long builds (on a terminal, not with --quiet).
    pub progress: bool,
    /// Report the time each stage took (`--timings`).
    pub timings: bool,
    /// Set by `serve` when a newer save arrives: the build stops at its next step and gives no
    /// site, so that the newest save is built instead of a stale one being finished.
    pub superseded: Option<Arc<AtomicBool>>,
}

impl BuildOptions {
    /// Whether a newer save has made this build stale.
    pub fn is_superseded(&self) -> bool {
        self.superseded.as_ref().is_some_and(|flag| flag.load(Ordering::Relaxed))
    }
}

/// Builds with fewer pages than this finish too quickly for a progress bar to help.
const PROGRESS_FROM_PAGES: usize = 500;

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
    /// The reader's text of every page that has some, measured, by path.
    pub page_readings: BTreeMap<String, crate::text::readability::PageReading>,
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

/// What changed since the previous site, for an incremental rebuild.
pub struct Changes<'a> {
    pub previous: &'a Site,
    /// Source files (as named in diagnostics) that changed, appeared or disappeared.
    pub files: &'a BTreeSet<String>,
}

/// Runs the pipeline up to (not including) writing. With `changes`, pages whose sources did not
/// change are taken from the previous site instead of being rendered again.
///
/// It is longer than the other functions on purpose: it is the pipeline read top to bottom, one
/// stage after another with its timing lap, and each stage's work is a function of its own.
pub fn render_site(
    options: &BuildOptions,
    changes: Option<&Changes<'_>>,
    diagnostics: &mut Diagnostics,
    sources: &mut SourceMap,
    notes: &mut Vec<String>,
    destination: &Destination<'_>,
) -> Option<Site> {
    let mut timings = Timings::start();
    let Read { theme, theme_label, content, content_label, corpus, facts, reviews } =
        read(options, diagnostics, sources, notes, destination, &mut timings);
    let (asset_files, asset_paths) = assets(&theme, corpus.as_ref());
    let asset_paths = std::sync::Arc::new(asset_paths);
    let templates = render::templates(&theme.templates, &theme_label, asset_paths.clone(), diagnostics);
    let (corpus, templates) = match (corpus, templates) {
        (Some(corpus), Some(templates)) if !diagnostics.has_errors() && !options.is_superseded() => (corpus, templates),
        _ => return None,
    };

    timings.lap("templates and assets");
    let edition_set = EditionSet::new(&corpus, &theme.editions, options.base_url.as_deref()).draft(options.draft);
    let pages = edition_set.pages();
    timings.lap("editions: plan pages");
    // Only `serve` rebuilds incrementally, so only it needs to know what each page shows.
    let dependencies = match destination {
        Destination::Memory => page_dependencies(&pages, &edition_set),
        _ => BTreeMap::new(),
    };
    timings.lap("editions: page dependencies");

    let to_render = pages_to_render(&pages, &dependencies, changes, &corpus);
    let (readings, search_texts) = readings(&edition_set, &to_render, changes.map(|c| c.previous), &pages, sources);
    timings.lap("editions: measure the reader's text");
    // A build shows snippets only of files with problems, and later stages find problems only in
    // the theme: the other texts (the whole library) need not stay in memory while pages render.
    if matches!(destination, Destination::Staging { .. }) {
        let named: HashSet<&str> = diagnostics.sorted().into_iter().filter_map(|d| d.file.as_deref()).collect();
        let theme_files: HashSet<&str> = theme.sources.names().collect();
        sources.retain(|name| named.contains(name) || theme_files.contains(name));
    }

    let coverage = crate::editions::coverage::coverage(&corpus, &theme.editions);
    let stylesheet = asset_paths.get("style.css").cloned().unwrap_or_else(|| "assets/style.css".to_string());
    let base_url = options.base_url.as_ref().map(|u| format!("{}/", u.trim_end_matches('/')));
    let html =
        HtmlPages { templates: &templates, editions: &edition_set, to_render: &to_render, theme_label: &theme_label };
    let later = outputs::formats(&templates, &theme_label);

    // Every path the build writes, known before anything renders, so each file's links can be
    // checked as soon as it is rendered.
    let mut known: links::PathSet = html.plan(&corpus, &pages).into_iter().collect();
    known.extend(asset_paths.values().cloned());
    for format in &later {
        known.extend(format.plan(&corpus, &pages));
    }

    let finisher = Finisher {
        known: &known,
        superseded: options.superseded.as_deref(),
        destination,
        cpu: StageClock::default(),
        bar: progress_bar(options.progress, to_render.len()),
    };
    let finish = |file: Emitted<'_>| finisher.finish(file);
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
    if let Some(bar) = &finisher.bar {
        bar.finish_and_clear();
    }
    timings.lap("render: templates, readability, search, links, minify, write");
    timings.note_cpu(&finisher.cpu);
    if diagnostics.has_errors() || options.is_superseded() {
        return None;
    }

    let slowest = {
        let mut slowest: Vec<(Duration, String)> = outcomes.iter().map(|o| (o.time, o.path.clone())).collect();
        slowest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        slowest.truncate(5);
        slowest
    };
    timings.slowest = slowest;
    let Gathered { mut search_documents, ids, mut fragment_links, rendered_paths, mut files } =
        Gathered::from_pages(outcomes, changes.map(|c| c.previous), &pages, diagnostics);
    // A result quotes the passage that matches, from the content rather than the page's HTML.
    for (path, text) in search_texts {
        if let Some(document) = search_documents.get_mut(&path) {
            document.text = text;
        }
    }
    let readability = edition_figures(&corpus, &theme.editions, &pages, &readings);

    // Static files go as they are, under their fingerprinted names.
    for (name, bytes) in &asset_files {
        if let Some(path) = asset_paths.get(name) {
            if let Some(bytes) = destination.send(path, bytes.clone(), &finisher.cpu) {
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
    // The formats borrow the templates, which `serve` keeps.
    drop(later);
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
        keep_unrendered(&mut files, &pages, &rendered_paths, changes.previous);
    }
    let written = known.len();
    timings.lap("write: other files");

    let (pages_per_edition, other_pages) = page_counts(&corpus, &pages);
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
        draft: options.draft,
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
        page_readings: readings,
        readability,
        search_documents,
        timings,
        kept,
    })
}

/// The theme and content, read and modelled.
struct Read {
    theme: theme::Theme,
    theme_label: String,
    content: Root,
    content_label: String,
    /// `None` when there is no usable `site.yaml`.
    corpus: Option<model::Corpus>,
    facts: ThemeFacts,
    /// The review records, kept by `serve` for re-resolving an edited statement.
    reviews: BTreeMap<String, crate::load::StatementReview>,
}

/// Stages 1 and 2: reads and parses the theme and the content (at the same time, as they are
/// independent), then resolves the content into the corpus.
fn read(
    options: &BuildOptions,
    diagnostics: &mut Diagnostics,
    sources: &mut SourceMap,
    notes: &mut Vec<String>,
    destination: &Destination<'_>,
    timings: &mut Timings,
) -> Read {
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

    let facts = theme_facts(&theme);
    let reviews = match destination {
        Destination::Memory => loaded.reviews.as_ref().map(|r| r.value.statements.clone()).unwrap_or_default(),
        _ => BTreeMap::new(),
    };
    let corpus = model::resolve(loaded, &facts, diagnostics);
    // A draft build publishes text still to be written, and says so on every page.
    if options.draft {
        diagnostics.downgrade(Code::Placeholder);
    }
    timings.lap("model: resolve ids, citations, lint");
    Read { theme, theme_label, content, content_label, corpus, facts, reviews }
}

/// In an incremental rebuild, the pages not rendered again keep their previous bytes.
fn keep_unrendered(files: &mut BTreeMap<String, Vec<u8>>, pages: &[Page], rendered: &[String], previous: &Site) {
    let rendered: HashSet<&str> = rendered.iter().map(String::as_str).collect();
    for page in pages.iter().filter(|p| !rendered.contains(p.path.as_str())) {
        if let Some(bytes) = previous.files.get(&page.path) {
            files.insert(page.path.clone(), bytes.clone());
        }
    }
}

/// Pages per edition, in site order, and the pages outside the editions (landing, 404 and the
/// two reports).
fn page_counts(corpus: &model::Corpus, pages: &[Page]) -> (Vec<(String, usize)>, usize) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut other_pages = 2; // the coverage and readability reports
    for page in pages {
        match page.kind {
            editions::PageKind::Landing | editions::PageKind::NotFound => other_pages += 1,
            _ => *counts.entry(page.path.split('/').next().unwrap_or("")).or_default() += 1,
        }
    }
    let per_edition =
        corpus.site.editions.iter().map(|e| (e.clone(), counts.get(e.as_str()).copied().unwrap_or(0))).collect();
    (per_edition, other_pages)
}

/// A progress bar for a long build on a terminal.
fn progress_bar(wanted: bool, pages: usize) -> Option<indicatif::ProgressBar> {
    (wanted && pages >= PROGRESS_FROM_PAGES).then(|| {
        let bar = indicatif::ProgressBar::new(pages as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("rendering {bar:40} {pos}/{len} pages ({eta} left)")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    })
}

/// What the build does with each file a format renders, on the thread that rendered it: checks
/// its links, measures and indexes a page, minifies and writes it, and then lets it go, so
/// memory does not grow with the size of the site's HTML.
struct Finisher<'f> {
    /// Every path the build writes.
    known: &'f links::PathSet,
    /// When set, the build is stale: the remaining pages are not checked, minified or written.
    superseded: Option<&'f AtomicBool>,
    destination: &'f Destination<'f>,
    cpu: StageClock,
    bar: Option<indicatif::ProgressBar>,
}

impl Finisher<'_> {
    fn finish(&self, file: Emitted<'_>) -> FileOutcome {
        let started = Instant::now();
        let Emitted { path, page, body, render_time } = file;
        if self.superseded.is_some_and(|flag| flag.load(Ordering::Relaxed)) {
            return FileOutcome {
                path: path.to_string(),
                search: None,
                ids: BTreeSet::new(),
                problems: Vec::new(),
                fragment_links: Vec::new(),
                bytes: None,
                time: render_time,
            };
        }
        // An HTML page is read as the text it was rendered as, without checking its UTF-8 again.
        let html = match &body {
            Body::Text(text) if path.ends_with(".html") => Some(text.as_str()),
            _ => None,
        };
        let search = match (page, html) {
            (Some(page), Some(html)) => page_search(page, html),
            _ => None,
        };
        let links::PageLinks { ids, problems, later: fragment_links } = match html {
            Some(html) => links::check_page(path, html, self.known),
            None => links::PageLinks::default(),
        };
        self.cpu.add(&self.cpu.analyse, started);
        let bytes = match body {
            Body::Text(text) => text.into_bytes(),
            Body::Binary(bytes) => bytes,
        };
        // A report of a large library is tens of megabytes, and the minifier's tree of it would
        // cost more memory than the rest of the build; reports are compact already, so a large
        // one is written as it is. Pages cannot be, and are minified in pieces instead.
        let bytes = if page.is_none() && bytes.len() > write::MINIFY_PIECE {
            self.destination.deliver(path, bytes, &self.cpu)
        } else {
            self.destination.send(path, bytes, &self.cpu)
        };
        if let (Some(bar), Some(_)) = (&self.bar, page) {
            bar.inc(1);
        }
        let time = render_time + started.elapsed();
        FileOutcome { path: path.to_string(), search, ids, problems, fragment_links, bytes, time }
    }
}

/// What the HTML pass leaves for the rest of the build: search documents and ids of every
/// planned page (taken from the previous site for pages not rendered again).
struct Gathered {
    search_documents: BTreeMap<String, crate::outputs::search::SearchDocument>,
    ids: BTreeMap<String, BTreeSet<String>>,
    fragment_links: Vec<links::FragmentLink>,
    rendered_paths: Vec<String>,
    files: BTreeMap<String, Vec<u8>>,
}

impl Gathered {
    fn from_pages(
        outcomes: Vec<FileOutcome>,
        previous: Option<&Site>,
        pages: &[Page],
        diagnostics: &mut Diagnostics,
    ) -> Self {
        let mut gathered = Gathered {
            search_documents: previous.map(|p| p.search_documents.clone()).unwrap_or_default(),
            ids: previous.map(|p| p.ids.clone()).unwrap_or_default(),
            fragment_links: Vec::new(),
            rendered_paths: Vec::with_capacity(outcomes.len()),
            files: BTreeMap::new(),
        };
        for outcome in outcomes {
            match outcome.search {
                Some(document) => gathered.search_documents.insert(outcome.path.clone(), document),
                None => gathered.search_documents.remove(&outcome.path),
            };
            gathered.ids.insert(outcome.path.clone(), outcome.ids);
            diagnostics.extend_from(outcome.problems);
            gathered.fragment_links.extend(outcome.fragment_links);
            if let Some(bytes) = outcome.bytes {
                gathered.files.insert(outcome.path.clone(), bytes);
            }
            gathered.rendered_paths.push(outcome.path);
        }
        // Pages no longer planned (a statement was removed) leave nothing behind.
        let planned: HashSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
        gathered.search_documents.retain(|path, _| planned.contains(path.as_str()));
        gathered.ids.retain(|path, _| planned.contains(path.as_str()));
        gathered
    }
}

/// What the model needs to know of the theme's editions.
pub fn theme_facts(theme: &theme::Theme) -> ThemeFacts {
    ThemeFacts {
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
    }
}

/// The static files (theme assets, theme and content pictures) by name, and the fingerprinted
/// path each is written to: a file's content is in its name, so hosts may cache it for good.
fn assets(
    theme: &theme::Theme,
    corpus: Option<&model::Corpus>,
) -> (BTreeMap<String, Vec<u8>>, BTreeMap<String, String>) {
    let mut files: BTreeMap<String, Vec<u8>> = theme.assets.iter().map(|a| (a.rel.clone(), a.bytes.clone())).collect();
    for (name, picture) in &theme.pictures {
        files.insert(format!("pictures/{name}.svg"), picture.bytes.clone());
    }
    for picture in corpus.iter().flat_map(|c| &c.pictures) {
        files.insert(format!("pictures/{}.svg", picture.name), picture.bytes.clone());
    }
    let paths = files.iter().map(|(name, bytes)| (name.clone(), fingerprinted(name, bytes))).collect();
    (files, paths)
}

/// Each page's source files, for deciding what an edit touches.
fn page_dependencies(pages: &[Page], edition_set: &EditionSet<'_>) -> BTreeMap<String, Vec<String>> {
    use rayon::prelude::*;
    pages
        .par_iter()
        .map(|page| (page.path.clone(), edition_set.dependencies(page).into_iter().map(str::to_string).collect()))
        .collect()
}

/// The pages a build renders: all of them, or in an incremental rebuild those whose sources
/// changed (and any that are new).
fn pages_to_render<'p>(
    pages: &'p [Page],
    dependencies: &BTreeMap<String, Vec<String>>,
    changes: Option<&Changes<'_>>,
    corpus: &model::Corpus,
) -> Vec<&'p Page> {
    match changes {
        // Everything outside content/statements, content/recommendations, register and glossary
        // (site.yaml, the theme, pictures) can touch every page: then render all.
        Some(changes) if !touches_everything(changes.files, dependencies, &changes.previous.dependencies, corpus) => {
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
    }
}

/// Whether a page kind is in its edition's search index.
fn searchable(kind: editions::PageKind) -> bool {
    use editions::PageKind;
    matches!(
        kind,
        PageKind::Statement { .. } | PageKind::Recommendation { .. } | PageKind::Law { .. } | PageKind::Glossary { .. }
    )
}

/// A page's search document, from its HTML.
fn page_search(page: &Page, html: &str) -> Option<crate::outputs::search::SearchDocument> {
    if !searchable(page.kind) {
        return None;
    }
    let text = crate::text::readability::page_text(html);
    let edition = page.path.split('/').next().unwrap_or("");
    crate::outputs::search::document(&page.path, edition, html, &text)
}

/// The reader's text of the pages to render, read once in parallel: measured against their
/// edition's limits (the other pages keep their previous measures), and, for searchable pages,
/// the text a search result quotes from.
fn readings(
    editions: &EditionSet<'_>,
    to_render: &[&Page],
    previous: Option<&Site>,
    pages: &[Page],
    sources: &SourceMap,
) -> (BTreeMap<String, crate::text::readability::PageReading>, Vec<(String, String)>) {
    use rayon::prelude::*;
    type Measured = (String, Option<crate::text::readability::PageReading>, Option<String>);
    let measured: Vec<Measured> = to_render
        .par_iter()
        .map(|page| {
            let (texts, quoted) = editions.reader_texts(page);
            let limit = editions.limits_of(page).and_then(|limits| limits.sentence_words);
            let reading = crate::editions::reading::measure(&texts, quoted, limit, sources);
            let search = searchable(page.kind).then(|| editions.search_text(page, &texts));
            (page.path.clone(), reading, search)
        })
        .collect();
    let mut readings = previous.map(|p| p.page_readings.clone()).unwrap_or_default();
    let mut search_texts = Vec::new();
    for (path, reading, search) in measured {
        if let Some(text) = search {
            search_texts.push((path.clone(), text));
        }
        match reading {
            Some(reading) => readings.insert(path, reading),
            None => readings.remove(&path),
        };
    }
    let planned: HashSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    readings.retain(|path, _| planned.contains(path.as_str()));
    (readings, search_texts)
}

/// Each built edition's readability figures, page by page in page order.
fn edition_figures(
    corpus: &model::Corpus,
    definitions: &[editions::EditionFile],
    pages: &[Page],
    readings: &BTreeMap<String, crate::text::readability::PageReading>,
) -> Vec<crate::text::readability::EditionFigures> {
    corpus
        .site
        .editions
        .iter()
        .filter_map(|id| definitions.iter().find(|e| &e.id == id))
        .map(|edition| {
            let prefix = format!("{}/", edition.id);
            let pages: Vec<(String, crate::text::readability::PageReading)> = pages
                .iter()
                .filter(|p| p.path.starts_with(&prefix))
                .filter_map(|p| readings.get(&p.path).map(|r| (p.path.clone(), r.clone())))
                .collect();
            let mut total = crate::text::readability::Figures::default();
            for (_, reading) in &pages {
                total.add(&reading.figures);
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
