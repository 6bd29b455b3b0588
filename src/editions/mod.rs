//! Stage 3, editions: what each edition shows, as data.
//!
//! An edition is defined by a file in the theme (`editions/<id>.yaml`) that says which parts of
//! a statement it shows and how it shows the law. This stage projects the corpus through each
//! edition into a list of pages, each with a small, self-contained context: a page gets its own
//! statement and what it links to, never the whole site, so the work per page does not grow with
//! the size of the publication.

pub mod coverage;
pub mod diagram;
pub mod strings;
pub mod theme;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::editions::strings::{fill, Strings, StringsFile};
use crate::kinds::{Audience, LegalStatus, PaperSize};
use crate::model::{Corpus, Instrument, Measure, Measures, Recommendation, Statement, Term};
use crate::text::markdown::escape;
use crate::text::readability::ReadabilityLimits;

/// An edition file (`themes/<theme>/editions/<id>.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditionFile {
    /// The folder name under `output/`; also the file name.
    pub id: String,
    /// The edition's name, e.g. "Carers' edition".
    pub name: String,
    /// Who it is for, one line.
    pub audience: String,
    /// What is in it, one or two sentences, for the landing page.
    pub description: String,
    /// Position on the landing page.
    #[serde(default)]
    pub order: u32,
    /// Which wording of each statement is the lead text.
    pub statement_text: StatementText,
    /// Show the rationale.
    #[serde(default)]
    pub rationale: bool,
    /// Show the quality measures.
    #[serde(default)]
    pub measures: bool,
    /// Audience texts to show, in order, with their headings.
    #[serde(default)]
    pub audiences: Vec<AudienceSection>,
    /// Show "who to ask".
    #[serde(default)]
    pub who_to_ask: bool,
    /// Show the easy-read blocks.
    #[serde(default)]
    pub easy_read: bool,
    /// List source recommendations, and write a page for each.
    #[serde(default)]
    pub recommendations: bool,
    /// List related statements.
    #[serde(default)]
    pub related: bool,
    /// How citations of the law are shown.
    pub law: LawStyle,
    /// Which glossary text to show.
    pub glossary: GlossaryStyle,
    /// Readability limits for this edition's pages; the build reports pages that exceed them.
    #[serde(default)]
    pub readability: ReadabilityLimits,
    /// Easy Read rules, for an edition that shows easy-read blocks.
    #[serde(default)]
    pub easy_read_rules: Option<crate::model::checks::easy_read::Rules>,
    /// The paper size of the edition's print page (site.yaml's `print_paper` can change it).
    #[serde(default)]
    pub print_paper: PaperSize,
    /// Draw the connections diagram (statements, and the law they cite).
    #[serde(default)]
    pub diagram: bool,
    /// Register entries that list no `audiences` are shown to this edition (and to any other
    /// edition marked so). With none marked, such entries go only to editions that show all law.
    #[serde(default)]
    pub register_default: bool,
    /// Most words a statement's headline may have, for an edition that leads with headlines;
    /// the build warns about longer ones.
    #[serde(default)]
    pub headline_words: Option<usize>,
    /// The edition each statement page links to as "the full version" (when the site builds it).
    #[serde(default)]
    pub full_version: Option<String>,
    /// The edition whose recommendation pages this edition links to, when it has none of its own.
    #[serde(default)]
    pub recommendations_in: Option<String>,
    /// How many printed pages come before the first statement in the print layout (a title page
    /// and a contents page are 2), so the contents can give page numbers.
    #[serde(default)]
    pub print_front_pages: usize,
    /// List each statement's headline in the contents, under its title.
    #[serde(default = "yes")]
    pub contents_headlines: bool,
    /// Words this edition's pages use differently from the theme's `strings.yaml`.
    #[serde(default)]
    pub strings: StringsFile,
    /// The edition's strings, resolved when the theme is loaded.
    #[serde(skip)]
    pub words: Strings,
}

fn yes() -> bool {
    true
}

/// Which wording of a statement an edition leads with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StatementText {
    /// The exact statement wording.
    Full,
    /// The plain-words version.
    Plain,
    /// The pocket headline.
    Headline,
    /// No wording: the easy-read blocks carry it.
    None,
}

/// How an edition shows the law.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LawStyle {
    /// Every citation, with pinpoint, status and link.
    Full,
    /// Only entries marked for this edition's readers, with a plain summary.
    Audience,
    /// One plain sentence per entry ("This is the law that says ..."), no legal citation.
    Plain,
    /// One line per citation.
    Pointer,
}

/// Which glossary text an edition shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GlossaryStyle {
    Definition,
    EasyRead,
}

/// One audience text shown by an edition.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AudienceSection {
    /// `commissioners`, `providers`, `carers` or `young_people`.
    pub key: Audience,
    /// The heading above it.
    pub heading: String,
}

/// A page to render: where it goes, which template, and what it shows. The context is built
/// from the kind only when the page is rendered, so planning every page is cheap and a rebuild
/// can render just the pages that changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Output path, relative to the output folder, with `/` separators.
    pub path: String,
    /// Template name (under `templates/`); the shared template is used when the theme has no
    /// edition-specific one.
    pub template: String,
    pub kind: PageKind,
}

/// What a page shows. Numbers index the built editions and the corpus's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PageKind {
    Landing,
    EditionHome {
        edition: usize,
    },
    Statement {
        edition: usize,
        statement: usize,
    },
    Recommendations {
        edition: usize,
    },
    Recommendation {
        edition: usize,
        recommendation: usize,
    },
    LawIndex {
        edition: usize,
    },
    Law {
        edition: usize,
        instrument: usize,
    },
    Glossary {
        edition: usize,
    },
    /// The whole edition on one page, laid out for paper.
    Print {
        edition: usize,
    },
    /// How the statements connect to each other and to the law: a diagram and its text.
    Connections {
        edition: usize,
    },
    /// The edition's search page.
    Search {
        edition: usize,
    },
    /// The page a static host shows for an address that does not exist.
    NotFound,
}

impl PageKind {
    /// Whether the page shows a whole edition at once (its size grows with the library).
    pub fn shows_whole_edition(&self) -> bool {
        matches!(self, PageKind::Print { .. } | PageKind::Connections { .. })
    }
}

/// Context shared by every page.
#[derive(Debug, Serialize)]
pub struct PageContext {
    /// Prefix that leads from this page to the output root, e.g. `../../`.
    pub root: String,
    /// This page's path from the output root.
    pub path: String,
    /// The page's absolute address, when the build was given `--base-url`.
    pub canonical: Option<String>,
    pub title: String,
    pub description: String,
    pub site: SiteView,
    pub edition: Option<EditionView>,
    /// Links to this page in the other editions.
    pub alternates: Vec<Alternate>,
    /// Page-specific content.
    pub page: PageBody,
}

/// Site details for templates.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub short_title: String,
    pub publisher: String,
    pub reference: String,
    pub version: String,
    pub date: String,
    pub language: String,
    pub description: String,
}

/// Edition details for templates.
#[derive(Debug, Clone, Serialize)]
pub struct EditionView {
    pub id: String,
    pub name: String,
    pub audience: String,
    pub description: String,
    pub law: LawStyle,
    pub has_recommendations: bool,
    pub home: String,
    pub law_index: String,
    pub glossary: String,
    pub recommendations_index: Option<String>,
    pub print: String,
    pub search: String,
    pub connections: Option<String>,
    pub contents_headlines: bool,
    /// The words its pages put around the content.
    pub strings: Strings,
}

/// A link to the same page in another edition.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    pub edition: String,
    pub name: String,
    pub href: String,
    pub current: bool,
}

/// What a page is about. The tag is `page_kind`: a law page's own `kind` (Acts, regulations) would
/// be a second `kind` key, and which of two keys a template sees depends on the engine.
#[derive(Debug, Serialize)]
#[serde(tag = "page_kind", rename_all = "kebab-case")]
pub enum PageBody {
    Landing { editions: Vec<EditionCard> },
    EditionIndex { statements: Vec<StatementLink>, instruments: usize },
    Statement(Box<StatementView>),
    Recommendations { topics: Vec<TopicGroup> },
    Recommendation(Box<RecommendationView>),
    LawIndex { groups: Vec<LawGroup> },
    Law(Box<LawView>),
    Glossary { terms: Vec<TermView> },
    Print(Box<PrintView>),
    Connections(Box<ConnectionsView>),
    Search { index: String },
    NotFound { editions: Vec<EditionCard> },
}

/// The connections diagram and its text alternative.
#[derive(Debug, Serialize)]
pub struct ConnectionsView {
    /// The SVG, drawn by guidepress (safe to include as it is).
    pub svg: String,
    pub rows: Vec<ConnectionRow>,
}

/// One statement's connections, as text.
#[derive(Debug, Serialize)]
pub struct ConnectionRow {
    pub statement: StatementLink,
    pub law: Vec<CitationView>,
    pub related: Vec<StatementLink>,
}

/// The whole edition for printing, like mdBook's print.html.
#[derive(Debug, Serialize)]
pub struct PrintView {
    pub paper: PaperSize,
    pub statements: Vec<StatementView>,
    /// Hard words the edition explains, for a word list at the end.
    pub words: Vec<Explained>,
    /// For one-statement-per-page layouts: the page the first statement starts on.
    pub first_statement_page: usize,
    /// Where the full edition is, to print as a pointer.
    pub full_edition: Option<String>,
}

/// An edition on the landing page.
#[derive(Debug, Serialize)]
pub struct EditionCard {
    pub id: String,
    pub name: String,
    pub audience: String,
    pub description: String,
    pub href: String,
}

/// A link to a statement, with its summary line.
#[derive(Debug, Clone, Serialize)]
pub struct StatementLink {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub headline: String,
    pub href: String,
}

/// A statement as one edition shows it. Parts the edition does not show are absent.
#[derive(Debug, Serialize)]
pub struct StatementView {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub lead: Option<String>,
    pub lead_kind: StatementText,
    pub headline: String,
    pub rationale: Option<String>,
    pub measures: Option<MeasuresView>,
    pub audiences: Vec<AudienceView>,
    pub who_to_ask: Option<String>,
    pub easy_read: Vec<BlockView>,
    pub recommendations: Vec<RecommendationLink>,
    pub related: Vec<StatementLink>,
    pub law: Vec<CitationView>,
    /// `law` grouped by instrument, for showing each instrument once with its parts.
    pub law_by_instrument: Vec<InstrumentCitations>,
    pub previous: Option<StatementLink>,
    pub next: Option<StatementLink>,
    /// The commissioner-style full edition of this statement, for pointers from short editions.
    pub full_version: Option<Alternate>,
}

/// Measures for templates.
#[derive(Debug, Serialize)]
pub struct MeasuresView {
    pub structure: Vec<Measure>,
    pub process: Vec<Measure>,
    pub outcome: Vec<Measure>,
}

/// An audience text with its heading.
#[derive(Debug, Serialize)]
pub struct AudienceView {
    pub key: Audience,
    pub heading: String,
    pub html: String,
}

/// An easy-read block, with glossary words marked.
#[derive(Debug, Serialize)]
pub struct BlockView {
    pub picture: Option<String>,
    pub alt: String,
    /// Sentences as HTML (escaped, glossary words in `<strong>`).
    pub sentences: Vec<String>,
    /// Hard words in this block and their easy-read explanations.
    pub explained: Vec<Explained>,
}

/// A hard word and what it means.
#[derive(Debug, Clone, Serialize)]
pub struct Explained {
    pub word: String,
    pub meaning: String,
}

/// A link to a recommendation.
#[derive(Debug, Clone, Serialize)]
pub struct RecommendationLink {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub href: Option<String>,
}

/// One citation as an edition shows it.
#[derive(Debug, Clone, Serialize)]
pub struct CitationView {
    pub instrument: String,
    pub instrument_title: String,
    pub kind: &'static str,
    pub pinpoint_label: Option<String>,
    pub pinpoint_title: Option<String>,
    /// The external address: the pinpoint's own, or the instrument's.
    pub url: String,
    /// This edition's page about the instrument.
    pub law_page: String,
    pub summary: String,
    pub easy_read: String,
    pub status: Option<String>,
}

/// The citations of one instrument, in the order they are cited.
#[derive(Debug, Clone, Serialize)]
pub struct InstrumentCitations {
    pub instrument: String,
    pub instrument_title: String,
    pub summary: String,
    pub law_page: String,
    pub parts: Vec<CitationView>,
}

/// Groups citations by instrument, in the order each instrument is first cited.
fn by_instrument(law: &[CitationView]) -> Vec<InstrumentCitations> {
    let mut groups: Vec<InstrumentCitations> = Vec::new();
    for citation in law {
        match groups.iter_mut().find(|g| g.instrument == citation.instrument) {
            Some(group) => group.parts.push(citation.clone()),
            None => groups.push(InstrumentCitations {
                instrument: citation.instrument.clone(),
                instrument_title: citation.instrument_title.clone(),
                summary: citation.summary.clone(),
                law_page: citation.law_page.clone(),
                parts: vec![citation.clone()],
            }),
        }
    }
    groups
}

/// Recommendations under one topic.
#[derive(Debug, Serialize)]
pub struct TopicGroup {
    pub topic: String,
    pub recommendations: Vec<RecommendationLink>,
}

/// A recommendation page.
#[derive(Debug, Serialize)]
pub struct RecommendationView {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub topic: String,
    pub who: Vec<String>,
    pub action: String,
    pub law: Vec<CitationView>,
    /// `law` grouped by instrument, for showing each instrument once with its parts.
    pub law_by_instrument: Vec<InstrumentCitations>,
    pub statements: Vec<StatementLink>,
}

/// Register entries of one kind.
#[derive(Debug, Serialize)]
pub struct LawGroup {
    pub kind: &'static str,
    pub instruments: Vec<InstrumentLink>,
}

/// A link to a law page.
#[derive(Debug, Serialize)]
pub struct InstrumentLink {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub easy_read: String,
    pub href: String,
    pub cited: usize,
}

/// A register entry's page: what it is, and every statement and recommendation citing it.
#[derive(Debug, Serialize)]
pub struct LawView {
    pub id: String,
    pub title: String,
    pub kind: &'static str,
    pub year: u32,
    pub publisher: String,
    pub status: String,
    pub superseded_by: Option<InstrumentLink>,
    pub url: String,
    pub summary: String,
    pub easy_read: String,
    pub pinpoints: Vec<PinpointView>,
    pub statements: Vec<StatementLink>,
    pub recommendations: Vec<RecommendationLink>,
}

/// A pinpoint on a law page.
#[derive(Debug, Serialize)]
pub struct PinpointView {
    pub key: String,
    pub label: String,
    pub title: Option<String>,
    pub url: String,
    pub status: Option<String>,
}

/// A glossary entry as an edition shows it.
#[derive(Debug, Serialize)]
pub struct TermView {
    pub id: String,
    pub term: String,
    pub abbreviations: Vec<String>,
    pub text: String,
}

/// Paths of the pages, in one place so links and files always agree.
pub mod paths {
    /// An edition's home page.
    pub fn edition_home(edition: &str) -> String {
        format!("{edition}/index.html")
    }
    /// A statement page.
    pub fn statement(edition: &str, id: &str) -> String {
        format!("{edition}/statements/{id}.html")
    }
    /// The recommendations index.
    pub fn recommendations(edition: &str) -> String {
        format!("{edition}/recommendations/index.html")
    }
    /// A recommendation page.
    pub fn recommendation(edition: &str, id: &str) -> String {
        format!("{edition}/recommendations/{id}.html")
    }
    /// The law index.
    pub fn law_index(edition: &str) -> String {
        format!("{edition}/law/index.html")
    }
    /// A register entry's page.
    pub fn law(edition: &str, id: &str) -> String {
        format!("{edition}/law/{id}.html")
    }
    /// The glossary.
    pub fn glossary(edition: &str) -> String {
        format!("{edition}/glossary.html")
    }
    /// The whole edition on one page, for printing.
    pub fn print(edition: &str) -> String {
        format!("{edition}/print.html")
    }
    /// The connections diagram.
    pub fn connections(edition: &str) -> String {
        format!("{edition}/connections.html")
    }
    /// The search page.
    pub fn search(edition: &str) -> String {
        format!("{edition}/search.html")
    }
    /// The search index script.
    pub fn search_index(edition: &str) -> String {
        format!("{edition}/search-index.js")
    }
    /// `../` repeated once per folder in `path`.
    pub fn root_of(path: &str) -> String {
        "../".repeat(path.matches('/').count())
    }
}

fn kind_label(kind: crate::kinds::InstrumentKind) -> &'static str {
    use crate::kinds::InstrumentKind::*;
    match kind {
        Act => "Acts of Parliament",
        Regulations => "Regulations",
        StatutoryGuidance => "Statutory guidance",
        Standards => "Standards",
        Guidance => "Other guidance",
    }
}

fn status_label(status: LegalStatus) -> Option<String> {
    match status {
        LegalStatus::InForce => None,
        LegalStatus::Superseded => Some("superseded".to_string()),
        LegalStatus::Prospective => Some("not yet in force".to_string()),
    }
}

/// The editions of one corpus: plans the pages, and builds each page's context on demand.
pub struct EditionSet<'a> {
    corpus: &'a Corpus,
    site: SiteView,
    editions: Vec<&'a EditionFile>,
    glossary: GlossaryMatcher<'a>,
    /// `--base-url`, ending in `/`.
    base_url: Option<String>,
    /// For each statement, the statements that list it as related.
    related_to: Vec<Vec<usize>>,
}

impl<'a> EditionSet<'a> {
    /// The editions the site builds, in site order.
    pub fn new(corpus: &'a Corpus, definitions: &'a [EditionFile], base_url: Option<&str>) -> Self {
        let editions: Vec<&EditionFile> =
            corpus.site.editions.iter().filter_map(|id| definitions.iter().find(|d| &d.id == id)).collect();
        let mut related_to = vec![Vec::new(); corpus.statements.len()];
        for (index, statement) in corpus.statements.iter().enumerate() {
            for related in &statement.related {
                if let Some(&target) = corpus.index.statements.get(related) {
                    related_to[target].push(index);
                }
            }
        }
        EditionSet {
            corpus,
            site: site_view(corpus),
            editions,
            glossary: GlossaryMatcher::new(&corpus.terms),
            base_url: base_url.map(|u| format!("{}/", u.trim_end_matches('/'))),
            related_to,
        }
    }

    /// Every page of every edition, plus the landing page, in a stable order.
    pub fn pages(&self) -> Vec<Page> {
        let corpus = self.corpus;
        let mut pages = vec![Page {
            path: "index.html".to_string(),
            template: "landing.html".to_string(),
            kind: PageKind::Landing,
        }];
        for (e, edition) in self.editions.iter().enumerate() {
            let id = edition.id.as_str();
            let template = |name: &str| format!("{id}/{name}");
            pages.push(Page {
                path: paths::edition_home(id),
                template: template("index.html"),
                kind: PageKind::EditionHome { edition: e },
            });
            pages.extend((0..corpus.statements.len()).filter_map(|s| self.statement_page(e, s)));
            if edition.recommendations {
                pages.push(Page {
                    path: paths::recommendations(id),
                    template: template("recommendations.html"),
                    kind: PageKind::Recommendations { edition: e },
                });
                for (r, recommendation) in corpus.recommendations.iter().enumerate() {
                    pages.push(Page {
                        path: paths::recommendation(id, &recommendation.id),
                        template: template("recommendation.html"),
                        kind: PageKind::Recommendation { edition: e, recommendation: r },
                    });
                }
            }
            pages.push(Page {
                path: paths::law_index(id),
                template: template("law-index.html"),
                kind: PageKind::LawIndex { edition: e },
            });
            for (i, instrument) in corpus.instruments.iter().enumerate() {
                pages.push(Page {
                    path: paths::law(id, &instrument.id),
                    template: template("law.html"),
                    kind: PageKind::Law { edition: e, instrument: i },
                });
            }
            pages.push(Page {
                path: paths::glossary(id),
                template: template("glossary.html"),
                kind: PageKind::Glossary { edition: e },
            });
            pages.push(Page {
                path: paths::print(id),
                template: template("print.html"),
                kind: PageKind::Print { edition: e },
            });
            if edition.diagram {
                pages.push(Page {
                    path: paths::connections(id),
                    template: template("connections.html"),
                    kind: PageKind::Connections { edition: e },
                });
            }
            pages.push(Page {
                path: paths::search(id),
                template: template("search.html"),
                kind: PageKind::Search { edition: e },
            });
        }
        pages.push(Page { path: "404.html".to_string(), template: "404.html".to_string(), kind: PageKind::NotFound });
        pages
    }

    /// The page of one statement in one edition (both by position).
    pub fn statement_page(&self, edition: usize, statement: usize) -> Option<Page> {
        let id = self.editions.get(edition)?.id.as_str();
        let statement_id = &self.corpus.statements.get(statement)?.id;
        Some(Page {
            path: paths::statement(id, statement_id),
            template: format!("{id}/statement.html"),
            kind: PageKind::Statement { edition, statement },
        })
    }

    /// The pages of one statement, one per edition, in site order.
    pub fn statement_pages(&self, statement: usize) -> Vec<Page> {
        (0..self.editions.len()).filter_map(|e| self.statement_page(e, statement)).collect()
    }

    /// The source files (as named in diagnostics) whose content a page shows, besides site.yaml
    /// and the theme, which every page depends on. Used to re-render only what an edit affects.
    pub fn dependencies(&self, page: &Page) -> Vec<&'a str> {
        let corpus = self.corpus;
        let statement_file = |i: usize| corpus.statements.get(i).map(|s| s.file.as_str());
        let recommendation_file = |i: usize| corpus.recommendations.get(i).map(|r| r.file.as_str());
        let mut files: Vec<&'a str> = Vec::new();
        match page.kind {
            PageKind::Landing => {}
            PageKind::EditionHome { .. } => files.extend(corpus.statements.iter().map(|s| s.file.as_str())),
            PageKind::Statement { statement, .. } => {
                if let Some(s) = corpus.statements.get(statement) {
                    files.push(s.file.as_str());
                    files.extend(statement.checked_sub(1).and_then(statement_file));
                    files.extend(statement_file(statement + 1));
                    files.extend(s.related.iter().filter_map(|id| corpus.statement(id)).map(|r| r.file.as_str()));
                    files.extend(
                        s.recommendations.iter().filter_map(|id| corpus.recommendation(id)).map(|r| r.file.as_str()),
                    );
                    files.extend(self.register_files());
                    files.extend(self.glossary_files());
                }
            }
            PageKind::Recommendations { .. } => files.extend(corpus.recommendations.iter().map(|r| r.file.as_str())),
            PageKind::Recommendation { recommendation, .. } => {
                if let Some(file) = recommendation_file(recommendation) {
                    files.push(file);
                    files.extend(corpus.statements_of_recommendation(recommendation).map(|s| s.file.as_str()));
                    files.extend(self.register_files());
                }
            }
            PageKind::LawIndex { .. } => files.extend(self.register_files()),
            PageKind::Law { instrument, .. } => {
                files.extend(self.register_files());
                if let Some(cited) = corpus.instruments.get(instrument).and_then(|i| corpus.cited_by.get(&i.id)) {
                    files.extend(cited.statements.iter().filter_map(|&i| statement_file(i)));
                    files.extend(cited.recommendations.iter().filter_map(|&i| recommendation_file(i)));
                }
            }
            PageKind::Glossary { .. } => files.extend(self.glossary_files()),
            PageKind::Search { .. } | PageKind::NotFound => {}
            PageKind::Print { .. } | PageKind::Connections { .. } => {
                files.extend(corpus.statements.iter().map(|s| s.file.as_str()));
                files.extend(corpus.recommendations.iter().map(|r| r.file.as_str()));
                files.extend(self.register_files());
                files.extend(self.glossary_files());
            }
        }
        // A statement page also shows the titles of statements that list it as related.
        if let PageKind::Statement { statement, .. } = page.kind {
            if let Some(sources) = self.related_to.get(statement) {
                files.extend(sources.iter().filter_map(|&i| statement_file(i)));
            }
        }
        files
    }

    fn register_files(&self) -> Option<&'a str> {
        self.corpus.register_file.as_deref()
    }

    fn glossary_files(&self) -> Option<&'a str> {
        self.corpus.glossary_file.as_deref()
    }

    /// Builds the context a page's template gets.
    pub fn context(&self, page: &Page) -> PageContext {
        let corpus = self.corpus;
        let edition = match page.kind {
            PageKind::Landing | PageKind::NotFound => None,
            PageKind::EditionHome { edition }
            | PageKind::Statement { edition, .. }
            | PageKind::Recommendations { edition }
            | PageKind::Recommendation { edition, .. }
            | PageKind::LawIndex { edition }
            | PageKind::Law { edition, .. }
            | PageKind::Glossary { edition }
            | PageKind::Print { edition }
            | PageKind::Connections { edition }
            | PageKind::Search { edition } => self.editions.get(edition).copied(),
        };
        let id = edition.map_or("", |e| e.id.as_str());
        let (title, description, alternates, body) = match (page.kind, edition) {
            (PageKind::EditionHome { .. }, Some(edition)) => (
                edition.name.clone(),
                edition.description.clone(),
                self.alternates(id, |e| Some(paths::edition_home(&e.id))),
                PageBody::EditionIndex {
                    statements: corpus.statements.iter().map(|s| statement_link(id, s)).collect(),
                    instruments: corpus.instruments.len(),
                },
            ),
            (PageKind::Statement { statement, .. }, Some(edition)) if statement < corpus.statements.len() => {
                let s = &corpus.statements[statement];
                (
                    fill(&edition.words.statement_title, &[("number", &s.number.to_string()), ("title", &s.title)]),
                    s.headline.clone(),
                    self.alternates(id, |e| Some(paths::statement(&e.id, &s.id))),
                    PageBody::Statement(Box::new(self.statement_view(edition, s, statement))),
                )
            }
            (PageKind::Recommendations { .. }, Some(edition)) => {
                let mut topics: Vec<TopicGroup> = Vec::new();
                for recommendation in &corpus.recommendations {
                    let link = self.recommendation_link(edition, recommendation);
                    match topics.iter_mut().find(|t| t.topic == recommendation.topic) {
                        Some(group) => group.recommendations.push(link),
                        None => {
                            topics.push(TopicGroup { topic: recommendation.topic.clone(), recommendations: vec![link] })
                        }
                    }
                }
                (
                    edition.words.recommendations_title.clone(),
                    fill(&edition.words.recommendations_description, &[("site", &self.site.title)]),
                    self.alternates(id, |e| e.recommendations.then(|| paths::recommendations(&e.id))),
                    PageBody::Recommendations { topics },
                )
            }
            (PageKind::Recommendation { recommendation, .. }, Some(edition))
                if recommendation < corpus.recommendations.len() =>
            {
                let r = &corpus.recommendations[recommendation];
                let law = self.citations(edition, &r.cites);
                let view = RecommendationView {
                    id: r.id.clone(),
                    number: r.number,
                    title: r.title.clone(),
                    topic: r.topic.clone(),
                    who: r.who.clone(),
                    action: r.action.clone(),
                    law_by_instrument: by_instrument(&law),
                    law,
                    statements: corpus
                        .statements_of_recommendation(recommendation)
                        .map(|s| statement_link(id, s))
                        .collect(),
                };
                (
                    fill(
                        &edition.words.recommendation_title,
                        &[("number", &r.number.to_string()), ("title", &r.title)],
                    ),
                    fill(&edition.words.recommendation_description, &[("title", &r.title)]),
                    self.alternates(id, |e| e.recommendations.then(|| paths::recommendation(&e.id, &r.id))),
                    PageBody::Recommendation(Box::new(view)),
                )
            }
            (PageKind::LawIndex { .. }, Some(edition)) => {
                let mut groups: Vec<LawGroup> = Vec::new();
                for instrument in &corpus.instruments {
                    let link = instrument_link(corpus, id, instrument);
                    let kind = kind_label(instrument.kind);
                    match groups.iter_mut().find(|g| g.kind == kind) {
                        Some(group) => group.instruments.push(link),
                        None => groups.push(LawGroup { kind, instruments: vec![link] }),
                    }
                }
                (
                    edition.words.law_index_title.clone(),
                    edition.words.law_index_description.clone(),
                    self.alternates(id, |e| Some(paths::law_index(&e.id))),
                    PageBody::LawIndex { groups },
                )
            }
            (PageKind::Law { instrument, .. }, Some(edition)) if instrument < corpus.instruments.len() => {
                let i = &corpus.instruments[instrument];
                (
                    i.title.clone(),
                    i.summary.clone(),
                    self.alternates(id, |e| Some(paths::law(&e.id, &i.id))),
                    PageBody::Law(Box::new(self.law_view(edition, i))),
                )
            }
            (PageKind::Glossary { .. }, Some(edition)) => {
                let terms = corpus
                    .terms
                    .iter()
                    .map(|t| TermView {
                        id: t.id.clone(),
                        term: t.term.clone(),
                        abbreviations: t.abbreviations.clone(),
                        text: match edition.glossary {
                            GlossaryStyle::Definition => t.definition.clone(),
                            GlossaryStyle::EasyRead => t.easy_read.clone(),
                        },
                    })
                    .collect();
                (
                    edition.words.glossary_title.clone(),
                    edition.words.glossary_description.clone(),
                    self.alternates(id, |e| Some(paths::glossary(&e.id))),
                    PageBody::Glossary { terms },
                )
            }
            (PageKind::Print { .. }, Some(edition)) => {
                let statements: Vec<StatementView> =
                    corpus.statements.iter().enumerate().map(|(i, s)| self.statement_view(edition, s, i)).collect();
                let mut words: Vec<Explained> = Vec::new();
                for view in &statements {
                    for block in &view.easy_read {
                        for word in &block.explained {
                            if !words.iter().any(|w| w.word.to_lowercase() == word.word.to_lowercase()) {
                                words.push(Explained { word: word.word.clone(), meaning: word.meaning.clone() });
                            }
                        }
                    }
                }
                words.sort_by_key(|w| w.word.to_lowercase());
                let paper = corpus.site.print_paper.get(&edition.id).copied().unwrap_or(edition.print_paper);
                let full_edition = self.full_version(edition).map(|full| {
                    let home = paths::edition_home(&full.id);
                    match &self.base_url {
                        Some(base) => format!("{base}{home}"),
                        None => home,
                    }
                });
                (
                    edition.words.print_title.clone(),
                    edition.words.print_description.clone(),
                    self.alternates(id, |e| Some(paths::print(&e.id))),
                    // A title page, then a contents page, then one statement per page.
                    PageBody::Print(Box::new(PrintView {
                        paper,
                        statements,
                        words,
                        first_statement_page: edition.print_front_pages + 1,
                        full_edition,
                    })),
                )
            }
            (PageKind::Connections { .. }, Some(edition)) => {
                let mut shown: Vec<&Instrument> = Vec::new();
                let mut rows = Vec::new();
                let mut nodes = Vec::new();
                for statement in &corpus.statements {
                    let law = self.citations(edition, &statement.cites);
                    let mut cites = Vec::new();
                    for citation in &law {
                        let position = match shown.iter().position(|i| i.id == citation.instrument) {
                            Some(p) => p,
                            None => match corpus.instrument(&citation.instrument) {
                                Some(instrument) => {
                                    shown.push(instrument);
                                    shown.len() - 1
                                }
                                None => continue,
                            },
                        };
                        if !cites.contains(&position) {
                            cites.push(position);
                        }
                    }
                    let related_indexes: Vec<usize> =
                        statement.related.iter().filter_map(|rid| corpus.index.statements.get(rid).copied()).collect();
                    nodes.push(crate::editions::diagram::Node {
                        number: statement.number,
                        title: &statement.title,
                        cites,
                        related: related_indexes,
                    });
                    // One line per instrument in the text, as in the diagram.
                    let mut seen = BTreeSet::new();
                    let law: Vec<CitationView> =
                        law.into_iter().filter(|c| seen.insert(c.instrument.clone())).collect();
                    rows.push(ConnectionRow {
                        statement: statement_link(id, statement),
                        law,
                        related: statement
                            .related
                            .iter()
                            .filter_map(|rid| corpus.statement(rid))
                            .map(|s| statement_link(id, s))
                            .collect(),
                    });
                }
                let titles: Vec<&str> = shown.iter().map(|i| i.title.as_str()).collect();
                let svg = crate::editions::diagram::svg(&edition.words.connections_diagram, &nodes, &titles);
                (
                    edition.words.connections_title.clone(),
                    edition.words.connections_description.clone(),
                    self.alternates(id, |e| e.diagram.then(|| paths::connections(&e.id))),
                    PageBody::Connections(Box::new(ConnectionsView { svg, rows })),
                )
            }
            (PageKind::Search { .. }, Some(edition)) => (
                edition.words.search_title.clone(),
                edition.words.search_description.clone(),
                self.alternates(id, |e| Some(paths::search(&e.id))),
                PageBody::Search { index: paths::search_index(id) },
            ),
            (PageKind::NotFound, _) => (
                "Page not found".to_string(),
                "There is no page at this address.".to_string(),
                Vec::new(),
                PageBody::NotFound { editions: self.edition_cards() },
            ),
            _ => {
                let editions = self
                    .editions
                    .iter()
                    .map(|e| EditionCard {
                        id: e.id.clone(),
                        name: e.name.clone(),
                        audience: e.audience.clone(),
                        description: e.description.clone(),
                        href: paths::edition_home(&e.id),
                    })
                    .collect();
                let description = if self.site.description.is_empty() {
                    self.site.title.clone()
                } else {
                    self.site.description.clone()
                };
                (self.site.title.clone(), description, Vec::new(), PageBody::Landing { editions })
            }
        };
        // A host shows 404.html at whatever address was asked for, so its links cannot be
        // relative: they start from the published address when it is known.
        let root = match (page.kind, &self.base_url) {
            (PageKind::NotFound, Some(base)) => base.clone(),
            _ => paths::root_of(&page.path),
        };
        PageContext {
            root,
            canonical: self.base_url.as_ref().map(|base| format!("{base}{}", page.path)),
            path: page.path.clone(),
            title,
            description,
            site: self.site.clone(),
            edition: edition.map(edition_view),
            alternates,
            page: body,
        }
    }

    fn edition_cards(&self) -> Vec<EditionCard> {
        self.editions
            .iter()
            .map(|e| EditionCard {
                id: e.id.clone(),
                name: e.name.clone(),
                audience: e.audience.clone(),
                description: e.description.clone(),
                href: paths::edition_home(&e.id),
            })
            .collect()
    }

    fn alternates(&self, current: &str, path_for: impl Fn(&EditionFile) -> Option<String>) -> Vec<Alternate> {
        self.editions
            .iter()
            .filter_map(|e| {
                path_for(e).map(|href| Alternate {
                    edition: e.id.clone(),
                    name: e.name.clone(),
                    href,
                    current: e.id == current,
                })
            })
            .collect()
    }

    /// The built edition an edition names as its full version, unless it is that edition.
    fn full_version(&self, edition: &EditionFile) -> Option<&'a EditionFile> {
        let full = edition.full_version.as_deref().filter(|id| *id != edition.id)?;
        self.editions.iter().copied().find(|e| e.id == full)
    }

    /// Where an edition links a recommendation: its own page, or the edition it names.
    fn recommendation_link(&self, edition: &EditionFile, recommendation: &Recommendation) -> RecommendationLink {
        let target = if edition.recommendations {
            Some(edition.id.as_str())
        } else {
            let named = edition.recommendations_in.as_deref();
            named.filter(|id| self.editions.iter().any(|e| e.id == *id && e.recommendations))
        };
        RecommendationLink {
            id: recommendation.id.clone(),
            number: recommendation.number,
            title: recommendation.title.clone(),
            href: target.map(|e| paths::recommendation(e, &recommendation.id)),
        }
    }
}

fn site_view(corpus: &Corpus) -> SiteView {
    let site = &corpus.site;
    SiteView {
        title: site.title.clone(),
        short_title: site.short_title.clone(),
        publisher: site.publisher.clone(),
        reference: site.reference.clone(),
        version: site.version.clone(),
        date: site.date.clone(),
        language: site.language.clone(),
        description: site.description.clone(),
    }
}

fn edition_view(edition: &EditionFile) -> EditionView {
    EditionView {
        id: edition.id.clone(),
        name: edition.name.clone(),
        audience: edition.audience.clone(),
        description: edition.description.clone(),
        law: edition.law,
        has_recommendations: edition.recommendations,
        home: paths::edition_home(&edition.id),
        law_index: paths::law_index(&edition.id),
        glossary: paths::glossary(&edition.id),
        recommendations_index: edition.recommendations.then(|| paths::recommendations(&edition.id)),
        contents_headlines: edition.contents_headlines,
        strings: edition.words.clone(),
        print: paths::print(&edition.id),
        search: paths::search(&edition.id),
        connections: edition.diagram.then(|| paths::connections(&edition.id)),
    }
}

fn statement_link(edition: &str, statement: &Statement) -> StatementLink {
    StatementLink {
        id: statement.id.clone(),
        number: statement.number,
        title: statement.title.clone(),
        headline: statement.headline.clone(),
        href: paths::statement(edition, &statement.id),
    }
}

fn instrument_link(corpus: &Corpus, edition: &str, instrument: &Instrument) -> InstrumentLink {
    let cited = corpus.cited_by.get(&instrument.id).map_or(0, |c| c.statements.len() + c.recommendations.len());
    InstrumentLink {
        id: instrument.id.clone(),
        title: instrument.title.clone(),
        summary: instrument.summary.clone(),
        easy_read: instrument.easy_read.clone(),
        href: paths::law(edition, &instrument.id),
        cited,
    }
}

impl EditionSet<'_> {
    fn law_view(&self, edition: &EditionFile, instrument: &Instrument) -> LawView {
        let corpus = self.corpus;
        let cited_by = corpus.cited_by.get(&instrument.id);
        let statements = cited_by
            .map(|c| {
                c.statements
                    .iter()
                    .filter_map(|&i| corpus.statements.get(i))
                    .map(|s| statement_link(&edition.id, s))
                    .collect()
            })
            .unwrap_or_default();
        let recommendations = cited_by
            .map(|c| {
                c.recommendations
                    .iter()
                    .filter_map(|&i| corpus.recommendations.get(i))
                    .map(|r| self.recommendation_link(edition, r))
                    .collect()
            })
            .unwrap_or_default();
        LawView {
            id: instrument.id.clone(),
            title: instrument.title.clone(),
            kind: kind_label(instrument.kind),
            year: instrument.year,
            publisher: instrument.publisher.clone(),
            status: match instrument.status {
                LegalStatus::InForce => "In force".to_string(),
                LegalStatus::Superseded => "Superseded".to_string(),
                LegalStatus::Prospective => "Not yet in force".to_string(),
            },
            superseded_by: instrument
                .superseded_by
                .as_deref()
                .and_then(|id| corpus.instrument(id))
                .map(|i| instrument_link(corpus, &edition.id, i)),
            url: instrument.url.clone(),
            summary: instrument.summary.clone(),
            easy_read: instrument.easy_read.clone(),
            pinpoints: instrument
                .pinpoints
                .iter()
                .map(|p| PinpointView {
                    key: p.key.clone(),
                    label: p.label.clone(),
                    title: p.title.clone(),
                    url: p.url.clone().unwrap_or_else(|| instrument.url.clone()),
                    status: if p.status == instrument.status { None } else { status_label(p.status) },
                })
                .collect(),
            statements,
            recommendations,
        }
    }

    fn citations(&self, edition: &EditionFile, cites: &[crate::model::citation::Citation]) -> Vec<CitationView> {
        let corpus = self.corpus;
        let mut seen_instruments = BTreeSet::new();
        cites
            .iter()
            .filter_map(|citation| {
                let instrument = corpus.instrument(&citation.instrument)?;
                match edition.law {
                    LawStyle::Audience if !instrument.audiences.iter().any(|a| a == &edition.id) => return None,
                    // Plain explanations are per instrument, so each appears once.
                    LawStyle::Plain if !seen_instruments.insert(instrument.id.as_str()) => return None,
                    _ => {}
                }
                let pinpoint = citation.pinpoint.as_deref().and_then(|key| instrument.pinpoint(key));
                Some(CitationView {
                    instrument: instrument.id.clone(),
                    instrument_title: instrument.title.clone(),
                    kind: kind_label(instrument.kind),
                    pinpoint_label: pinpoint.map(|p| p.label.clone()),
                    pinpoint_title: pinpoint.and_then(|p| p.title.clone()),
                    url: pinpoint.and_then(|p| p.url.clone()).unwrap_or_else(|| instrument.url.clone()),
                    law_page: paths::law(&edition.id, &instrument.id),
                    summary: instrument.summary.clone(),
                    easy_read: instrument.easy_read.clone(),
                    status: status_label(pinpoint.map_or(instrument.status, |p| p.status)),
                })
            })
            .collect()
    }

    fn statement_view(&self, edition: &EditionFile, statement: &Statement, index: usize) -> StatementView {
        let corpus = self.corpus;
        let id = edition.id.as_str();
        let lead = match edition.statement_text {
            StatementText::Full => Some(statement.statement.clone()),
            StatementText::Plain => Some(statement.plain.clone()),
            StatementText::Headline => Some(statement.headline.clone()),
            StatementText::None => None,
        };
        let audiences = edition
            .audiences
            .iter()
            .filter_map(|section| {
                Some(statement.audiences.get(section.key)).filter(|html| !html.trim().is_empty()).map(|html| {
                    AudienceView { key: section.key, heading: section.heading.clone(), html: html.to_string() }
                })
            })
            .collect();
        let easy_read = if edition.easy_read {
            // A word is explained beside the first block that uses it, and bold wherever it appears.
            let mut explained_on_page = BTreeSet::new();
            statement.easy_read.iter().map(|block| self.glossary.block(block, &mut explained_on_page)).collect()
        } else {
            Vec::new()
        };
        let recommendations = if edition.recommendations {
            statement
                .recommendations
                .iter()
                .filter_map(|rid| corpus.recommendation(rid))
                .map(|r| self.recommendation_link(edition, r))
                .collect()
        } else {
            Vec::new()
        };
        let related = if edition.related {
            statement.related.iter().filter_map(|sid| corpus.statement(sid)).map(|s| statement_link(id, s)).collect()
        } else {
            Vec::new()
        };
        let full_version = self.full_version(edition).map(|full| Alternate {
            edition: full.id.clone(),
            name: full.name.clone(),
            href: paths::statement(&full.id, &statement.id),
            current: false,
        });
        let law = self.citations(edition, &statement.cites);
        StatementView {
            id: statement.id.clone(),
            number: statement.number,
            title: statement.title.clone(),
            lead,
            lead_kind: edition.statement_text,
            headline: statement.headline.clone(),
            rationale: edition.rationale.then(|| statement.rationale.clone()),
            measures: edition.measures.then(|| measures_view(&statement.measures)),
            audiences,
            who_to_ask: if edition.who_to_ask { statement.who_to_ask.clone() } else { None },
            easy_read,
            recommendations,
            related,
            law_by_instrument: by_instrument(&law),
            law,
            previous: index.checked_sub(1).and_then(|i| corpus.statements.get(i)).map(|s| statement_link(id, s)),
            next: corpus.statements.get(index + 1).map(|s| statement_link(id, s)),
            full_version,
        }
    }
}

fn measures_view(measures: &Measures) -> MeasuresView {
    MeasuresView {
        structure: measures.structure.clone(),
        process: measures.process.clone(),
        outcome: measures.outcome.clone(),
    }
}

/// Finds glossary terms and abbreviations in easy-read text, to show them in bold with their
/// easy-read explanation beside the block, as Easy Read asks.
struct GlossaryMatcher<'a> {
    matcher: crate::text::glossary::GlossaryMatcher,
    terms: &'a [Term],
}

impl<'a> GlossaryMatcher<'a> {
    fn new(terms: &'a [Term]) -> Self {
        let entries = terms
            .iter()
            .map(|t| crate::text::glossary::Entry { phrases: t.phrases(), abbreviations: &t.abbreviations });
        GlossaryMatcher { matcher: crate::text::glossary::GlossaryMatcher::new(entries), terms }
    }

    fn block(&self, block: &crate::model::EasyReadBlock, explained_on_page: &mut BTreeSet<&'a str>) -> BlockView {
        let mut explained: Vec<Explained> = Vec::new();
        let mut used_terms: BTreeSet<usize> = BTreeSet::new();
        let sentences = block
            .sentences
            .iter()
            .map(|sentence| {
                let matches = self.find(sentence, &mut used_terms);
                let mut html = String::new();
                let mut at = 0;
                for (range, term) in matches {
                    html.push_str(&escape(&sentence[at..range.start]));
                    html.push_str("<strong>");
                    html.push_str(&escape(&sentence[range.clone()]));
                    html.push_str("</strong>");
                    if explained_on_page.insert(term.id.as_str()) {
                        explained.push(Explained {
                            word: sentence[range.clone()].to_string(),
                            meaning: term.easy_read.clone(),
                        });
                    }
                    at = range.end;
                }
                html.push_str(&escape(&sentence[at..]));
                html
            })
            .collect();
        BlockView { picture: block.picture.clone(), alt: block.alt.clone(), sentences, explained }
    }

    /// First occurrence of each not-yet-used term in `text`, at word boundaries, not overlapping.
    fn find(&self, text: &str, used: &mut BTreeSet<usize>) -> Vec<(std::ops::Range<usize>, &'a Term)> {
        let found = self.matcher.first_of_each(text, used);
        found.into_iter().map(|f| (f.range, &self.terms[f.entry])).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EasyReadBlock;

    fn term(id: &str, name: &str, abbreviations: &[&str]) -> Term {
        Term {
            id: id.into(),
            term: name.into(),
            abbreviations: abbreviations.iter().map(|s| s.to_string()).collect(),
            definition: "d".into(),
            easy_read: format!("{name} means this."),
        }
    }

    #[test]
    fn glossary_words_are_bold_once_with_explanations() {
        let terms =
            vec![term("sw", "social worker", &[]), term("pa", "personal adviser", &["PA"]), term("ad", "adviser", &[])];
        let matcher = GlossaryMatcher::new(&terms);
        let block = EasyReadBlock {
            picture: Some("help".into()),
            alt: "a".into(),
            sentences: vec![
                "Your social workers & personal adviser help.".into(),
                "Your social worker listens.".into(),
            ],
        };
        let view = matcher.block(&block, &mut BTreeSet::new());
        assert_eq!(
            view.sentences[0],
            "Your <strong>social workers</strong> &amp; <strong>personal adviser</strong> help."
        );
        assert_eq!(view.sentences[1], "Your social worker listens.");
        assert_eq!(view.explained.len(), 2);
    }

    #[test]
    fn a_word_is_explained_once_per_page() {
        let terms = vec![term("hh", "health history", &[])];
        let matcher = GlossaryMatcher::new(&terms);
        let block = EasyReadBlock {
            picture: Some("p".into()),
            alt: "a".into(),
            sentences: vec!["Your health history.".into()],
        };
        let mut page = BTreeSet::new();
        assert_eq!(matcher.block(&block, &mut page).explained.len(), 1);
        let second = matcher.block(&block, &mut page);
        assert_eq!(second.explained.len(), 0);
        assert!(second.sentences[0].contains("<strong>health history</strong>"));
    }

    #[test]
    fn glossary_matches_whole_words_only() {
        let terms = vec![term("care", "care", &[])];
        let matcher = GlossaryMatcher::new(&terms);
        let block =
            EasyReadBlock { picture: Some("p".into()), alt: "a".into(), sentences: vec!["Your carer cares.".into()] };
        let mut page = BTreeSet::new();
        let view = matcher.block(&block, &mut page);
        assert_eq!(view.sentences[0], "Your carer <strong>cares</strong>.");
    }

    #[test]
    fn root_prefix_follows_depth() {
        assert_eq!(paths::root_of("index.html"), "");
        assert_eq!(paths::root_of("carer/statements/qs-1.html"), "../../");
    }
}
