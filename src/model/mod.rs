//! Stage 2, model: the typed corpus. Ids, citations and references are resolved here, Markdown is
//! rendered once (shared by every edition), and every problem is collected as a diagnostic.

pub mod checks;
pub mod citation;
pub mod review;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::load::{
    Document, InstrumentKind, LegalStatus, LoadedContent, MeasureFile, Parsed, PictureFile, StatementFile,
};
use crate::model::checks::picture;
use crate::model::citation::Citation;
use crate::model::review::{StatementReview, TextState};
use crate::text::markdown::{self, MarkdownOptions};

/// Publication-wide settings from `site.yaml`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Site {
    pub title: String,
    pub short_title: String,
    pub publisher: String,
    pub reference: String,
    pub version: String,
    pub date: String,
    pub language: String,
    pub editions: Vec<String>,
    pub description: String,
    #[serde(skip)]
    pub allow_raw_html: bool,
    /// Count warnings as errors.
    #[serde(skip)]
    pub strict: bool,
    /// Paper size overrides for print pages, by edition.
    #[serde(skip)]
    pub print_paper: BTreeMap<String, crate::editions::PaperSize>,
}

/// A quality statement, resolved.
#[derive(Debug, Clone)]
pub struct Statement {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub statement: String,
    pub headline: String,
    pub plain: String,
    pub audiences: Audiences,
    pub who_to_ask: Option<String>,
    pub measures: Measures,
    pub easy_read: Vec<EasyReadBlock>,
    pub recommendations: Vec<String>,
    pub cites: Vec<Citation>,
    pub related: Vec<String>,
    /// The rationale (the Markdown body), as HTML.
    pub rationale: String,
    /// Where each derived text stands against the current wording.
    pub texts: BTreeMap<&'static str, TextState>,
    /// The file it came from.
    pub file: String,
}

/// What a statement means for each audience, as HTML.
#[derive(Debug, Clone)]
pub struct Audiences {
    pub commissioners: String,
    pub providers: String,
    pub carers: String,
    pub young_people: String,
}

impl Audiences {
    /// The text for an audience key used in edition files.
    pub fn get(&self, key: &str) -> Option<&str> {
        match key {
            "commissioners" => Some(&self.commissioners),
            "providers" => Some(&self.providers),
            "carers" => Some(&self.carers),
            "young_people" => Some(&self.young_people),
            _ => None,
        }
    }

    /// The audience keys, in order.
    pub const KEYS: [&'static str; 4] = ["commissioners", "providers", "carers", "young_people"];
}

/// Quality measures.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Measures {
    pub structure: Vec<Measure>,
    pub process: Vec<Measure>,
    pub outcome: Vec<Measure>,
}

/// One quality measure.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Measure {
    pub text: String,
    pub numerator: Option<String>,
    pub denominator: Option<String>,
    /// The measure as a ratio sentence, for process measures.
    pub ratio: Option<String>,
    pub data_source: String,
}

/// An easy-read block.
#[derive(Debug, Clone)]
pub struct EasyReadBlock {
    pub picture: Option<String>,
    pub alt: String,
    /// One sentence per entry, in order.
    pub sentences: Vec<String>,
}

/// A recommendation, resolved.
#[derive(Debug, Clone)]
pub struct Recommendation {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub topic: String,
    pub who: Vec<String>,
    pub cites: Vec<Citation>,
    /// What action to take, as HTML.
    pub action: String,
    pub file: String,
}

/// A register entry.
#[derive(Debug, Clone)]
pub struct Instrument {
    pub id: String,
    pub title: String,
    pub kind: InstrumentKind,
    pub year: u32,
    pub publisher: String,
    pub status: LegalStatus,
    pub superseded_by: Option<String>,
    pub url: String,
    pub summary: String,
    pub easy_read: String,
    pub audiences: Vec<String>,
    pub pinpoints: Vec<Pinpoint>,
}

/// A citable part of a register entry.
#[derive(Debug, Clone)]
pub struct Pinpoint {
    pub key: String,
    pub label: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub status: LegalStatus,
}

impl Instrument {
    /// The pinpoint with this key.
    pub fn pinpoint(&self, key: &str) -> Option<&Pinpoint> {
        self.pinpoints.iter().find(|p| p.key == key)
    }
}

/// A glossary term.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Term {
    pub id: String,
    pub term: String,
    pub abbreviations: Vec<String>,
    pub definition: String,
    pub easy_read: String,
}

impl Term {
    /// The phrases that name the term in running text: "Kinship carer (family and friends
    /// carer)" is named by "kinship carer" and by "family and friends carer". Lower case.
    pub fn phrases(&self) -> Vec<String> {
        let lower = self.term.to_lowercase();
        let mut phrases = Vec::new();
        match lower.split_once('(') {
            Some((main, rest)) => {
                phrases.push(main.trim().to_string());
                let inner = rest.trim_end().trim_end_matches(')').trim();
                if !inner.is_empty() {
                    phrases.push(inner.to_string());
                }
            }
            None => phrases.push(lower.trim().to_string()),
        }
        phrases.retain(|p| !p.is_empty());
        phrases
    }
}

/// Who cites a register entry.
#[derive(Debug, Clone, Default)]
pub struct CitedBy {
    /// Indexes into `Corpus::statements`.
    pub statements: Vec<usize>,
    /// Indexes into `Corpus::recommendations`.
    pub recommendations: Vec<usize>,
}

/// The whole publication, resolved and ready for the editions.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub site: Site,
    /// Sorted by number.
    pub statements: Vec<Statement>,
    /// Sorted by number.
    pub recommendations: Vec<Recommendation>,
    /// In register order.
    pub instruments: Vec<Instrument>,
    /// Sorted by term.
    pub terms: Vec<Term>,
    pub pictures: Vec<PictureFile>,
    /// Register id to who cites it.
    pub cited_by: BTreeMap<String, CitedBy>,
    /// The register file, as named in diagnostics, if there is one.
    pub register_file: Option<String>,
    /// The glossary file, as named in diagnostics, if there is one.
    pub glossary_file: Option<String>,
    /// Lookups by id, so that no page's work grows with the size of the corpus.
    pub index: CorpusIndex,
}

/// Positions by id, and who draws on each recommendation.
#[derive(Debug, Clone, Default)]
pub struct CorpusIndex {
    pub statements: std::collections::HashMap<String, usize>,
    pub recommendations: std::collections::HashMap<String, usize>,
    pub instruments: std::collections::HashMap<String, usize>,
    /// Recommendation position to the statements (positions) drawn from it.
    pub statements_of_recommendation: Vec<Vec<usize>>,
}

impl CorpusIndex {
    fn new(statements: &[Statement], recommendations: &[Recommendation], instruments: &[Instrument]) -> Self {
        let recommendation_positions: std::collections::HashMap<String, usize> =
            recommendations.iter().enumerate().map(|(i, r)| (r.id.clone(), i)).collect();
        let mut statements_of_recommendation = vec![Vec::new(); recommendations.len()];
        for (s, statement) in statements.iter().enumerate() {
            for id in &statement.recommendations {
                if let Some(&r) = recommendation_positions.get(id) {
                    if !statements_of_recommendation[r].contains(&s) {
                        statements_of_recommendation[r].push(s);
                    }
                }
            }
        }
        CorpusIndex {
            statements: statements.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect(),
            recommendations: recommendation_positions,
            instruments: instruments.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect(),
            statements_of_recommendation,
        }
    }
}

impl Corpus {
    /// The statement with this id.
    pub fn statement(&self, id: &str) -> Option<&Statement> {
        self.index.statements.get(id).and_then(|&i| self.statements.get(i))
    }

    /// The recommendation with this id.
    pub fn recommendation(&self, id: &str) -> Option<&Recommendation> {
        self.index.recommendations.get(id).and_then(|&i| self.recommendations.get(i))
    }

    /// The statements drawn from the recommendation at `position`.
    pub fn statements_of_recommendation(&self, position: usize) -> impl Iterator<Item = &Statement> {
        self.index
            .statements_of_recommendation
            .get(position)
            .into_iter()
            .flatten()
            .filter_map(|&s| self.statements.get(s))
    }

    /// The register entry with this id.
    pub fn instrument(&self, id: &str) -> Option<&Instrument> {
        self.index.instruments.get(id).and_then(|&i| self.instruments.get(i))
    }
}

/// What the model needs to know about the theme.
#[derive(Debug, Clone, Default)]
pub struct ThemeFacts {
    /// Picture name to its default alt text.
    pub pictures: BTreeMap<String, String>,
    pub editions: BTreeSet<String>,
    /// The Easy Read rules of the theme's easy-read edition.
    pub easy_read_rules: crate::model::checks::easy_read::Rules,
}

/// Most words a pocket headline may have.
pub const HEADLINE_MAX_WORDS: usize = 25;

/// Builds the corpus from what was loaded, pushing every problem found. Returns `None` only when
/// there is no usable `site.yaml`.
pub fn resolve(loaded: LoadedContent, theme: &ThemeFacts, diagnostics: &mut Diagnostics) -> Option<Corpus> {
    let mut found = Diagnostics::new();
    let corpus = resolve_all(loaded, theme, &mut found);
    cap_per_file(&found, diagnostics);
    corpus
}

/// The most problems shown for one file. A file with thousands of bad references would otherwise
/// print thousands of snippets of its (possibly very long) lines; past this, one line says how
/// many more there are.
pub const MAX_PROBLEMS_PER_FILE: usize = 50;

/// Moves `found` into `diagnostics`, keeping the first [`MAX_PROBLEMS_PER_FILE`] of each file (in
/// file order) and summing up the rest in one diagnostic, an error if any of them is one.
fn cap_per_file(found: &Diagnostics, diagnostics: &mut Diagnostics) {
    let mut shown: BTreeMap<&str, usize> = BTreeMap::new();
    let mut hidden: BTreeMap<&str, (usize, bool)> = BTreeMap::new();
    for diagnostic in found.sorted() {
        let Some(file) = diagnostic.file.as_deref() else {
            diagnostics.push(diagnostic.clone());
            continue;
        };
        let count = shown.entry(file).or_default();
        if *count < MAX_PROBLEMS_PER_FILE {
            *count += 1;
            diagnostics.push(diagnostic.clone());
        } else {
            let entry = hidden.entry(file).or_default();
            entry.0 += 1;
            entry.1 |= diagnostic.severity == crate::diagnostics::Severity::Error;
        }
    }
    for (file, (count, any_error)) in hidden {
        let message = if count == 1 {
            "1 more problem in this file is not shown".to_string()
        } else {
            format!("{count} more problems in this file are not shown")
        };
        let summary = if any_error {
            Diagnostic::error("more-problems", message)
        } else {
            Diagnostic::warning("more-problems", message)
        };
        diagnostics.push(summary.in_file(file).help("fix the problems shown and build again to see the rest"));
    }
}

fn resolve_all(loaded: LoadedContent, theme: &ThemeFacts, diagnostics: &mut Diagnostics) -> Option<Corpus> {
    let mut ids = IdRegistry::default();
    for id in &loaded.unparsed_ids {
        ids.known_broken.insert(id.clone());
    }

    let site = loaded.site.as_ref().map(|site| resolve_site(site, theme, diagnostics));
    let documents = loaded
        .statements
        .iter()
        .map(|p| &p.doc)
        .chain(loaded.recommendations.iter().map(|p| &p.doc))
        .chain(loaded.register.iter().map(|p| &p.doc))
        .chain(loaded.glossary.iter().map(|p| &p.doc));
    for doc in documents {
        report_placeholders(doc, diagnostics);
    }
    let allow_raw_html = site.as_ref().is_some_and(|s| s.allow_raw_html);
    let md = |heading_offset| MarkdownOptions { allow_raw_html, heading_offset };

    // Register and glossary first: statements and recommendations are checked against them.
    let mut instruments = Vec::new();
    if let Some(register) = &loaded.register {
        let anchors = EntryAnchors::new(&register.doc);
        for (index, file) in register.value.instruments.iter().enumerate() {
            let doc = &register.doc;
            let anchor = format!("id: {}", file.id);
            let span = anchors.find(doc, &file.id, &anchor).or_else(|| doc.find_key("instruments"));
            check_id(&file.id, doc, span.clone(), &format!("instruments[{index}].id"), diagnostics);
            ids.claim(&file.id, "register entry", doc, span.clone(), diagnostics);
            if !is_web_address(&file.url) {
                diagnostics.push(
                    doc.diagnostic(
                        Diagnostic::error(
                            "bad-url",
                            format!("the address of `{}` is not a web address: `{}`", file.id, file.url),
                        )
                        .field("url")
                        .help("write the full https:// address of the instrument (legislation.gov.uk or gov.uk)"),
                        doc.find(&[&anchor, "url:"]),
                    ),
                );
            } else if !file.url.starts_with("https://") {
                diagnostics.push(
                    doc.diagnostic(
                        Diagnostic::warning(
                            "insecure-url",
                            format!("the address of `{}` does not start with https://", file.id),
                        )
                        .field("url")
                        .help("use the canonical https:// address (legislation.gov.uk or gov.uk)"),
                        doc.find(&[&anchor, "url:"]),
                    ),
                );
            }
            let mut keys = BTreeSet::new();
            let mut pinpoints = Vec::new();
            for pinpoint in &file.pinpoints {
                if !keys.insert(pinpoint.key.as_str()) {
                    diagnostics.push(
                        doc.diagnostic(
                            Diagnostic::error(
                                "duplicate-pinpoint",
                                format!("`{}` lists the pinpoint `{}` twice", file.id, pinpoint.key),
                            )
                            .field("pinpoints")
                            .help("remove one of them"),
                            doc.find(&[&anchor, &format!("key: {}", pinpoint.key), &format!("key: {}", pinpoint.key)]),
                        ),
                    );
                }
                if let Some(url) = pinpoint.url.as_deref().filter(|url| !is_web_address(url)) {
                    diagnostics.push(doc.diagnostic(
                        Diagnostic::error("bad-url", format!("the address of `{} {}` is not a web address: `{url}`", file.id, pinpoint.key))
                            .field("pinpoints.url")
                            .help("write the full https:// address of the section, or leave `url` out to use the instrument's own address"),
                        doc.find(&[&anchor, &format!("key: {}", pinpoint.key), "url:"]),
                    ));
                }
                if pinpoint.key.is_empty() || pinpoint.key.chars().any(char::is_whitespace) {
                    diagnostics.push(
                        doc.diagnostic(
                            Diagnostic::error(
                                "bad-pinpoint-key",
                                format!("the pinpoint key `{}` cannot contain spaces", pinpoint.key),
                            )
                            .field("pinpoints.key")
                            .help("write it without spaces, e.g. `s22C`, `reg5`, `para2.45`"),
                            doc.find(&[&anchor, &format!("key: {}", pinpoint.key)]),
                        ),
                    );
                }
                pinpoints.push(Pinpoint {
                    key: pinpoint.key.clone(),
                    label: pinpoint.label.clone(),
                    title: pinpoint.title.clone(),
                    url: pinpoint.url.clone(),
                    status: pinpoint.status.unwrap_or(file.status),
                });
            }
            let audiences = file.audiences.clone().unwrap_or_else(|| vec!["commissioner".to_string()]);
            for audience in &audiences {
                if !theme.editions.contains(audience) {
                    diagnostics.push(
                        doc.diagnostic(
                            Diagnostic::error(
                                "unknown-edition",
                                format!("`{audience}` is not an edition of this theme"),
                            )
                            .field("audiences")
                            .maybe_help(did_you_mean(audience, theme.editions.iter().map(String::as_str)))
                            .help(format!("the editions are: {}", join_list(&theme.editions))),
                            doc.find(&[&anchor, audience]),
                        ),
                    );
                }
            }
            instruments.push(Instrument {
                id: file.id.clone(),
                title: file.title.clone(),
                kind: file.kind,
                year: file.year,
                publisher: file.publisher.clone(),
                status: file.status,
                superseded_by: file.superseded_by.clone(),
                url: file.url.clone(),
                summary: file.summary.clone(),
                easy_read: file.easy_read.clone(),
                audiences,
                pinpoints,
            });
        }
        // Superseded entries must name a replacement that exists.
        let known: BTreeSet<&str> = instruments.iter().map(|i| i.id.as_str()).collect();
        for instrument in &instruments {
            let anchor = format!("id: {}", instrument.id);
            match (&instrument.status, &instrument.superseded_by) {
                (LegalStatus::Superseded, None) => diagnostics.push(
                    register.doc.diagnostic(
                        Diagnostic::error(
                            "missing-replacement",
                            format!("`{}` is superseded but does not say by what", instrument.id),
                        )
                        .field("superseded_by")
                        .help("add `superseded_by:` with the id of the entry that replaced it"),
                        register.doc.find(&[&anchor, "status:"]),
                    ),
                ),
                (_, Some(by)) if !known.contains(by.as_str()) => diagnostics.push(
                    register.doc.diagnostic(
                        Diagnostic::error(
                            "unknown-replacement",
                            format!("`{}` is superseded by `{by}`, which is not in the register", instrument.id),
                        )
                        .field("superseded_by")
                        .maybe_help(did_you_mean(by, known.iter().copied())),
                        register.doc.find(&[&anchor, "superseded_by:"]),
                    ),
                ),
                _ => {}
            }
        }
        report_replacement_cycles(&instruments, &register.doc, diagnostics);
    } else if !loaded.register_failed && site.is_some() {
        diagnostics.push(
            Diagnostic::error("missing-register", "there is no register.yaml: citations cannot be checked")
                .in_file("register.yaml")
                .help("add a register.yaml listing the Acts and guidance the statements cite; see content/README.md"),
        );
    }

    let mut terms = Vec::new();
    if let Some(glossary) = &loaded.glossary {
        let mut abbreviations: BTreeMap<String, String> = BTreeMap::new();
        let anchors = EntryAnchors::new(&glossary.doc);
        for (index, file) in glossary.value.terms.iter().enumerate() {
            let doc = &glossary.doc;
            let anchor = format!("id: {}", file.id);
            let span = anchors.find(doc, &file.id, &anchor);
            check_id(&file.id, doc, span.clone(), &format!("terms[{index}].id"), diagnostics);
            ids.claim(&file.id, "glossary term", doc, span, diagnostics);
            for abbreviation in &file.abbreviations {
                if let Some(other) = abbreviations.insert(abbreviation.clone(), file.id.clone()) {
                    diagnostics.push(
                        doc.diagnostic(
                            Diagnostic::error(
                                "duplicate-abbreviation",
                                format!(
                                    "the abbreviation `{abbreviation}` is given for both `{other}` and `{}`",
                                    file.id
                                ),
                            )
                            .field("abbreviations")
                            .help("an abbreviation may stand for one term only"),
                            doc.find(&[&anchor, abbreviation]),
                        ),
                    );
                }
            }
            terms.push(Term {
                id: file.id.clone(),
                term: file.term.clone(),
                abbreviations: file.abbreviations.clone(),
                definition: file.definition.clone(),
                easy_read: file.easy_read.clone(),
            });
        }
        terms.sort_by(|a, b| a.term.to_lowercase().cmp(&b.term.to_lowercase()).then(a.id.cmp(&b.id)));
    }

    let mut picture_names = theme.pictures.clone();
    for picture in &loaded.pictures {
        if let Err(problems) = picture::check_svg(&picture.bytes) {
            for problem in problems {
                let help = problem.help.unwrap_or(
                    "a picture may hold only drawing, as anything else could run code in a reader's browser: remove it",
                );
                diagnostics.push(
                    Diagnostic::error(
                        "unsafe-picture",
                        format!("the picture `{}` is refused: {}", picture.name, problem.message),
                    )
                    .in_file(&picture.file)
                    .at(Some(problem.span))
                    .help(help),
                );
            }
        }
        if !citation::is_valid_id(&picture.name) || citation::is_reserved_id(&picture.name) {
            diagnostics.push(
                Diagnostic::error(
                    "bad-picture-name",
                    format!("the picture file name `{}` is not a valid picture name", picture.name),
                )
                .in_file(&picture.rel)
                .help(format!(
                    "rename it to `pictures/{}.svg`: lower-case letters, digits and hyphens",
                    citation::suggest_id(&picture.name)
                )),
            );
        }
        picture_names.entry(picture.name.clone()).or_default();
    }

    // Ids of statements and recommendations, claimed in file order so duplicates are stable.
    if loaded.statement_files == 0 && site.is_some() {
        diagnostics.push(
            Diagnostic::error("no-statements", "there are no statements, so every edition would be empty")
                .in_file("statements/")
                .help("add one with `guidepress new statement --title \"...\"`, which writes statements/qs-<number>.md; see content/README.md"),
        );
    }
    let mut statement_files: Vec<&Parsed<StatementFile>> = loaded.statements.iter().collect();
    statement_files.sort_by(|a, b| a.doc.file.cmp(&b.doc.file));
    for parsed in &statement_files {
        let span = parsed.doc.find_value("id", &parsed.value.id);
        check_id(&parsed.value.id, &parsed.doc, span.clone(), "id", diagnostics);
        ids.claim(&parsed.value.id, "statement", &parsed.doc, span, diagnostics);
    }
    let mut recommendation_files: Vec<_> = loaded.recommendations.iter().collect();
    recommendation_files.sort_by(|a, b| a.doc.file.cmp(&b.doc.file));
    for parsed in &recommendation_files {
        let span = parsed.doc.find_value("id", &parsed.value.id);
        check_id(&parsed.value.id, &parsed.doc, span.clone(), "id", diagnostics);
        ids.claim(&parsed.value.id, "recommendation", &parsed.doc, span, diagnostics);
    }
    check_numbers(statement_files.iter().map(|p| (p.value.number, &p.doc)), "statement", diagnostics);
    check_numbers(recommendation_files.iter().map(|p| (p.value.number, &p.doc)), "recommendation", diagnostics);

    let statement_ids: BTreeSet<&str> = statement_files.iter().map(|p| p.value.id.as_str()).collect();
    let recommendation_ids: BTreeSet<&str> = recommendation_files.iter().map(|p| p.value.id.as_str()).collect();
    let vocabulary = crate::model::checks::easy_read::Vocabulary::new(&terms);
    lint_register_and_glossary(&loaded, &theme.easy_read_rules, &vocabulary, diagnostics);
    let reviews: BTreeMap<&str, &StatementReview> = loaded
        .reviews
        .as_ref()
        .map(|r| r.value.statements.iter().map(|(id, record)| (id.as_str(), record)).collect())
        .unwrap_or_default();
    let citations = CitationChecker::new(&instruments, loaded.register_failed || loaded.register.is_none());

    // Statements and recommendations are independent of each other now: check and render in parallel.
    let statement_results: Vec<(Statement, Diagnostics)> = statement_files
        .par_iter()
        .map(|parsed| {
            let mut local = Diagnostics::new();
            let statement = resolve_statement(
                parsed,
                &citations,
                &statement_ids,
                &recommendation_ids,
                &ids.known_broken,
                &picture_names,
                reviews.get(parsed.value.id.as_str()).copied(),
                (&theme.easy_read_rules, &vocabulary),
                md(2),
                &mut local,
            );
            (statement, local)
        })
        .collect();
    let mut statements = Vec::with_capacity(statement_results.len());
    for (statement, local) in statement_results {
        diagnostics.extend(local);
        statements.push(statement);
    }
    statements.sort_by(|a, b| a.number.cmp(&b.number).then(a.id.cmp(&b.id)));

    let recommendation_results: Vec<(Recommendation, Diagnostics)> = recommendation_files
        .par_iter()
        .map(|parsed| {
            let mut local = Diagnostics::new();
            let file = &parsed.value;
            let cites = citations.check_all(&file.cites, &parsed.doc, &mut local);
            let action = render_markdown(parsed.doc.body(), &parsed.doc, "body", md(2), &mut local);
            if parsed.doc.body().trim().is_empty() {
                local.push(
                    parsed.doc.diagnostic(
                        Diagnostic::error("empty-body", "this recommendation does not say what action to take")
                            .help("write the action after the closing `---` line"),
                        Some(parsed.doc.body_start.saturating_sub(4)..parsed.doc.body_start.saturating_sub(1)),
                    ),
                );
            }
            if file.who.is_empty() {
                local.push(parsed.doc.diagnostic(
                    Diagnostic::error("empty-field", "`who` is empty: say who should take action").field("who"),
                    parsed.doc.find_key("who"),
                ));
            }
            let recommendation = Recommendation {
                id: file.id.clone(),
                number: file.number,
                title: file.title.clone(),
                topic: file.topic.clone(),
                who: file.who.clone(),
                cites,
                action,
                file: parsed.doc.file.clone(),
            };
            (recommendation, local)
        })
        .collect();
    let mut recommendations = Vec::with_capacity(recommendation_results.len());
    for (recommendation, local) in recommendation_results {
        diagnostics.extend(local);
        recommendations.push(recommendation);
    }
    recommendations.sort_by(|a, b| a.number.cmp(&b.number).then(a.id.cmp(&b.id)));

    let mut cited_by: BTreeMap<String, CitedBy> =
        instruments.iter().map(|i| (i.id.clone(), CitedBy::default())).collect();
    for (index, statement) in statements.iter().enumerate() {
        let unique: BTreeSet<&str> = statement.cites.iter().map(|c| c.instrument.as_str()).collect();
        for id in unique {
            if let Some(entry) = cited_by.get_mut(id) {
                entry.statements.push(index);
            }
        }
    }
    for (index, recommendation) in recommendations.iter().enumerate() {
        let unique: BTreeSet<&str> = recommendation.cites.iter().map(|c| c.instrument.as_str()).collect();
        for id in unique {
            if let Some(entry) = cited_by.get_mut(id) {
                entry.recommendations.push(index);
            }
        }
    }

    let register_file = loaded.register.as_ref().map(|r| r.doc.file.clone());
    let glossary_file = loaded.glossary.as_ref().map(|g| g.doc.file.clone());
    let mut pictures = loaded.pictures;
    pictures.sort_by(|a, b| a.name.cmp(&b.name));
    let index = CorpusIndex::new(&statements, &recommendations, &instruments);
    site.map(|site| Corpus {
        site,
        statements,
        recommendations,
        instruments,
        terms,
        pictures,
        cited_by,
        register_file,
        glossary_file,
        index,
    })
}

/// Why an edited statement cannot simply replace its old version in the corpus; the whole
/// model must then be built again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotInPlace {
    /// The file was not a statement before.
    NewFile,
    /// Its id or number changed, so ids, order and links elsewhere change too.
    IdOrNumber,
}

/// Resolves one edited statement file against the rest of a resolved corpus, exactly as
/// [`resolve`] would, and puts it in its old place. Returns the statement's position. For
/// `serve`, which re-renders an edited statement's own pages before it rebuilds the rest.
pub fn resolve_edited_statement(
    corpus: &mut Corpus,
    parsed: &Parsed<StatementFile>,
    theme: &ThemeFacts,
    review_record: Option<&StatementReview>,
    diagnostics: &mut Diagnostics,
) -> Result<usize, NotInPlace> {
    let position = corpus.statements.iter().position(|s| s.file == parsed.doc.file).ok_or(NotInPlace::NewFile)?;
    let old = &corpus.statements[position];
    if old.id != parsed.value.id || old.number != parsed.value.number {
        return Err(NotInPlace::IdOrNumber);
    }
    report_placeholders(&parsed.doc, diagnostics);
    let span = parsed.doc.find_value("id", &parsed.value.id);
    check_id(&parsed.value.id, &parsed.doc, span, "id", diagnostics);

    let statement_ids: BTreeSet<&str> = corpus.statements.iter().map(|s| s.id.as_str()).collect();
    let recommendation_ids: BTreeSet<&str> = corpus.recommendations.iter().map(|r| r.id.as_str()).collect();
    let mut picture_names = theme.pictures.clone();
    for picture in &corpus.pictures {
        picture_names.entry(picture.name.clone()).or_default();
    }
    let citations = CitationChecker::new(&corpus.instruments, corpus.register_file.is_none());
    let vocabulary = crate::model::checks::easy_read::Vocabulary::new(&corpus.terms);
    let md = MarkdownOptions { allow_raw_html: corpus.site.allow_raw_html, heading_offset: 2 };
    let statement = resolve_statement(
        parsed,
        &citations,
        &statement_ids,
        &recommendation_ids,
        &BTreeSet::new(),
        &picture_names,
        review_record,
        (&theme.easy_read_rules, &vocabulary),
        md,
        diagnostics,
    );

    // Who cites what, and which statements draw on which recommendation, follow the new text.
    let cited: BTreeSet<&str> = statement.cites.iter().map(|c| c.instrument.as_str()).collect();
    for (instrument, entry) in corpus.cited_by.iter_mut() {
        let listed = entry.statements.binary_search(&position);
        match (listed, cited.contains(instrument.as_str())) {
            (Ok(at), false) => {
                entry.statements.remove(at);
            }
            (Err(at), true) => entry.statements.insert(at, position),
            _ => {}
        }
    }
    let recommendations_changed = statement.recommendations != corpus.statements[position].recommendations;
    corpus.statements[position] = statement;
    if recommendations_changed {
        corpus.index = CorpusIndex::new(&corpus.statements, &corpus.recommendations, &corpus.instruments);
    }
    Ok(position)
}

/// The register's and glossary's easy-read lines are shown in the easy-read edition: the same
/// rules apply to them.
fn lint_register_and_glossary(
    loaded: &LoadedContent,
    rules: &crate::model::checks::easy_read::Rules,
    vocabulary: &crate::model::checks::easy_read::Vocabulary,
    diagnostics: &mut Diagnostics,
) {
    if let Some(register) = &loaded.register {
        let anchors = EntryAnchors::new(&register.doc);
        for (index, instrument) in register.value.instruments.iter().enumerate() {
            let anchor = format!("id: {}", instrument.id);
            let from = anchors.find(&register.doc, &instrument.id, &anchor).map_or(0, |s| s.start);
            let place = crate::model::checks::easy_read::Place {
                doc: &register.doc,
                from,
                field: format!("instruments[{index}].easy_read"),
            };
            crate::model::checks::easy_read::lint(&instrument.easy_read, &place, rules, vocabulary, diagnostics);
        }
    }
    if let Some(glossary) = &loaded.glossary {
        let anchors = EntryAnchors::new(&glossary.doc);
        for (index, term) in glossary.value.terms.iter().enumerate() {
            let anchor = format!("id: {}", term.id);
            let from = anchors.find(&glossary.doc, &term.id, &anchor).map_or(0, |s| s.start);
            let place = crate::model::checks::easy_read::Place {
                doc: &glossary.doc,
                from,
                field: format!("terms[{index}].easy_read"),
            };
            crate::model::checks::easy_read::lint(&term.easy_read, &place, rules, vocabulary, diagnostics);
        }
    }
}

/// Text left as `guidepress new` wrote it: one warning per line still marked.
fn report_placeholders(doc: &Document, diagnostics: &mut Diagnostics) {
    let marker = crate::commands::new::PLACEHOLDER;
    let mut from = 0;
    let mut last_line: Option<usize> = None;
    while let Some(found) = doc.text[from..].find(marker) {
        let at = from + found;
        from = at + marker.len();
        let line = doc.text[..at].matches('\n').count();
        if last_line == Some(line) {
            continue;
        }
        last_line = Some(line);
        diagnostics.push(
            doc.diagnostic(
                Diagnostic::warning("placeholder", "this still has text to fill in")
                    .help(format!("replace the text marked {marker} with your own, and remove the marker")),
                Some(at..at + marker.len()),
            ),
        );
    }
}

fn join_list(items: &BTreeSet<String>) -> String {
    items.iter().map(String::as_str).collect::<Vec<_>>().join(", ")
}

/// An entry superseded by itself, or by a chain that comes back to it (a → b → a), has no
/// replacement in force: an error on each entry of the loop, naming the whole loop.
fn report_replacement_cycles(instruments: &[Instrument], doc: &Document, diagnostics: &mut Diagnostics) {
    let by: BTreeMap<&str, &str> =
        instruments.iter().filter_map(|i| i.superseded_by.as_deref().map(|b| (i.id.as_str(), b))).collect();
    let mut reported: BTreeSet<&str> = BTreeSet::new();
    for start in by.keys().copied() {
        let mut path = vec![start];
        let mut next = by.get(start).copied();
        while let Some(id) = next {
            if let Some(at) = path.iter().position(|p| *p == id) {
                let cycle = &path[at..];
                // Each loop once, named from its first entry in the register.
                if cycle.iter().all(|c| reported.insert(c)) {
                    let shown: Vec<String> =
                        cycle.iter().chain(std::iter::once(&id)).map(|c| format!("`{c}`")).collect();
                    for entry in cycle {
                        let message = if cycle.len() == 1 {
                            format!("`{entry}` is superseded by itself")
                        } else {
                            format!("`{entry}` is superseded in a loop: {}", shown.join(" → "))
                        };
                        diagnostics.push(doc.diagnostic(
                            Diagnostic::error("replacement-loop", message)
                                .field("superseded_by")
                                .help("`superseded_by` names the entry in force that replaced this one; break the loop by correcting it"),
                            doc.find(&[&format!("id: {entry}"), "superseded_by:"]),
                        ));
                    }
                }
                break;
            }
            if path.len() > by.len() {
                break;
            }
            path.push(id);
            next = by.get(id).copied();
        }
    }
}

fn resolve_site(parsed: &Parsed<crate::load::SiteFile>, theme: &ThemeFacts, diagnostics: &mut Diagnostics) -> Site {
    let file = &parsed.value;
    let doc = &parsed.doc;
    if file.editions.is_empty() {
        diagnostics.push(
            doc.diagnostic(
                Diagnostic::error("no-editions", "`editions` is empty, so there is nothing to build")
                    .field("editions")
                    .help(format!("list the editions to build, e.g. [{}]", join_list(&theme.editions))),
                doc.find_key("editions"),
            ),
        );
    }
    let mut seen = BTreeSet::new();
    for edition in &file.editions {
        if !theme.editions.contains(edition) {
            diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error("unknown-edition", format!("the theme has no edition called `{edition}`"))
                        .field("editions")
                        .maybe_help(did_you_mean(edition, theme.editions.iter().map(String::as_str)))
                        .help(format!("the theme's editions are: {}", join_list(&theme.editions))),
                    doc.find_value("editions", edition),
                ),
            );
        } else if !seen.insert(edition.as_str()) {
            diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error("duplicate-edition", format!("`{edition}` is listed twice"))
                        .field("editions")
                        .help("list each edition once"),
                    doc.find_value("editions", edition),
                ),
            );
        }
    }
    // A map keyed by edition names is checked like a field name: a misspelt key is an error.
    for edition in file.print_paper.keys().filter(|e| !theme.editions.contains(*e)) {
        diagnostics.push(
            doc.diagnostic(
                Diagnostic::error(
                    "unknown-edition",
                    format!("`print_paper` names `{edition}`, which is not an edition of the theme"),
                )
                .field("print_paper")
                .maybe_help(did_you_mean(edition, theme.editions.iter().map(String::as_str)))
                .help(format!("the keys of `print_paper` are edition names: {}", join_list(&theme.editions))),
                doc.find_value("print_paper", edition),
            ),
        );
    }
    let date = file.date.to_string();
    if let Some(problem) = date_problem(&date) {
        diagnostics.push(
            doc.diagnostic(
                Diagnostic::error("bad-date", problem)
                    .field("date")
                    .help("write a real date as YYYY-MM-DD, e.g. 2012-11-01"),
                doc.find_value("date", &date),
            ),
        );
    }
    let language_ok = {
        let mut parts = file.language.split('-');
        let primary = parts.next().unwrap_or("");
        (2..=3).contains(&primary.len())
            && primary.chars().all(|c| c.is_ascii_lowercase())
            && parts.all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
    };
    if !language_ok {
        diagnostics.push(
            doc.diagnostic(
                Diagnostic::error("bad-language", format!("`{}` is not a language tag", file.language))
                    .field("language")
                    .help("use a tag such as en-GB"),
                doc.find_value("language", &file.language),
            ),
        );
    }
    Site {
        title: file.title.clone(),
        short_title: file.short_title.clone(),
        publisher: file.publisher.clone(),
        reference: file.reference.clone(),
        version: file.version.to_string(),
        date,
        language: file.language.clone(),
        editions: file
            .editions
            .iter()
            .filter(|e| theme.editions.contains(*e))
            .cloned()
            .collect::<Vec<_>>()
            .into_iter()
            .fold(Vec::new(), |mut acc, e| {
                if !acc.contains(&e) {
                    acc.push(e);
                }
                acc
            }),
        description: file.description.clone().unwrap_or_default(),
        allow_raw_html: file.allow_raw_html,
        strict: file.strict,
        print_paper: file.print_paper.clone(),
    }
}

/// Whether `url` is an absolute http(s) address that is safe to put in a link: register addresses
/// are written into `href` as they are, so anything else (`javascript:`, `data:`, a relative path)
/// is refused.
fn is_web_address(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return false;
    };
    !rest.is_empty()
        && !rest.starts_with('/')
        && !url.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '`'))
}

/// Whether `text` is a real calendar date written YYYY-MM-DD (so not 2012-02-30, nor 2011-02-29).
#[cfg(test)]
fn is_iso_date(text: &str) -> bool {
    date_problem(text).is_none()
}

/// What is wrong with a date, in words, or `None` when it is a real date written YYYY-MM-DD.
fn date_problem(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split('-').collect();
    let digits = |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    if parts.len() != 3 || !digits(parts[0], 4) || !digits(parts[1], 2) || !digits(parts[2], 2) {
        return Some(format!("`{text}` is not a date in the form YYYY-MM-DD"));
    }
    let (Ok(year), Ok(month), Ok(day)) = (parts[0].parse::<u32>(), parts[1].parse::<u32>(), parts[2].parse::<u32>())
    else {
        return Some(format!("`{text}` is not a date in the form YYYY-MM-DD"));
    };
    if !(1..=12).contains(&month) {
        return Some(format!("`{text}` is not a date: there is no month {month}"));
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day == 0 || day > days {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let name = MONTHS[(month - 1) as usize];
        return Some(format!("`{text}` is not a date: {name} {year} has {days} days"));
    }
    None
}

fn check_id(
    id: &str,
    doc: &Document,
    span: Option<std::ops::Range<usize>>,
    field: &str,
    diagnostics: &mut Diagnostics,
) {
    if citation::is_reserved_id(id) {
        diagnostics.push(doc.diagnostic(
            Diagnostic::error("reserved-id", format!("`{id}` cannot be used as an id: it is a reserved name"))
                .field(field)
                .help(format!(
                    "ids become page names, and `{id}` would clash with a page guidepress writes itself or with a name Windows reserves; choose another, such as `{id}-1`"
                )),
            span,
        ));
    } else if !citation::is_valid_id(id) {
        diagnostics.push(doc.diagnostic(
            Diagnostic::error("bad-id", format!("`{id}` is not a valid id"))
                .field(field)
                .help(format!(
                    "ids use lower-case letters, digits and single hyphens, starting with a letter (they become file names); try `{}`",
                    citation::suggest_id(id)
                )),
            span,
        ));
    }
}

fn check_numbers<'a>(items: impl Iterator<Item = (u32, &'a Document)>, what: &str, diagnostics: &mut Diagnostics) {
    let mut seen: BTreeMap<u32, &Document> = BTreeMap::new();
    for (number, doc) in items {
        if number == 0 {
            diagnostics.push(doc.diagnostic(
                Diagnostic::error("bad-number", format!("a {what} number starts at 1")).field("number"),
                doc.find_key("number"),
            ));
        }
        if let Some(first) = seen.insert(number, doc) {
            let (line, _) =
                first.find_key("number").map_or((1, 1), |s| crate::diagnostics::line_column(&first.text, s.start));
            diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error(
                        "duplicate-number",
                        format!("{what} number {number} is also used by {}:{line}", first.file),
                    )
                    .field("number")
                    .help(format!("give each {what} its own number")),
                    doc.find_key("number"),
                ),
            );
        }
    }
}

/// Where each `id:` line of a list file (register, glossary) is, found in one pass: looking
/// for each entry from the top of the file would grow with the square of the list's length.
struct EntryAnchors {
    /// The id as written after `id: ` to the offset of `id: `; the first line wins.
    lines: HashMap<String, usize>,
}

impl EntryAnchors {
    fn new(doc: &Document) -> EntryAnchors {
        let mut lines = HashMap::new();
        let mut offset = doc.yaml.start;
        for line in doc.text[doc.yaml.clone()].split_inclusive('\n') {
            let trimmed = line.trim_start().trim_start_matches("- ").trim_start();
            if let Some(id) = trimmed.strip_prefix("id: ") {
                lines.entry(id.trim_end().to_string()).or_insert(offset + (line.len() - trimmed.len()));
            }
            offset += line.len();
        }
        EntryAnchors { lines }
    }

    /// The span of `anchor` (`id: <id>`) for this id; where the line is written some other way,
    /// the first place the anchor appears.
    fn find(&self, doc: &Document, id: &str, anchor: &str) -> Option<std::ops::Range<usize>> {
        match self.lines.get(id) {
            Some(&start) => Some(start..start + anchor.len()),
            None => doc.find(&[anchor]),
        }
    }
}

/// Every id in the publication, to find duplicates (including ones that differ only in case).
#[derive(Default)]
struct IdRegistry {
    /// Folded id to (id, file, the file's text, offset): the line is worked out only when a
    /// duplicate is reported.
    claimed: HashMap<String, (String, String, std::sync::Arc<str>, usize)>,
    known_broken: BTreeSet<String>,
}

impl IdRegistry {
    fn claim(
        &mut self,
        id: &str,
        what: &str,
        doc: &Document,
        span: Option<std::ops::Range<usize>>,
        diagnostics: &mut Diagnostics,
    ) {
        let folded = id.to_lowercase();
        match self.claimed.get(&folded) {
            Some((other_id, other_file, other_text, other_offset)) => {
                let other_line = crate::diagnostics::line_column(other_text, *other_offset).0;
                let message = if other_id == id {
                    format!("the id `{id}` is already used by {other_file}:{other_line}")
                } else {
                    format!("the id `{id}` differs only in case from `{other_id}` in {other_file}:{other_line}")
                };
                diagnostics.push(
                    doc.diagnostic(
                        Diagnostic::error("duplicate-id", message)
                            .field("id")
                            .help(format!("ids must be unique across the publication; give this {what} another id")),
                        span,
                    ),
                );
            }
            None => {
                let offset = span.as_ref().map_or(0, |s| s.start);
                self.claimed.insert(folded, (id.to_string(), doc.file.clone(), doc.text.clone(), offset));
            }
        }
    }
}

struct CitationChecker<'a> {
    instruments: &'a [Instrument],
    /// The instruments by id.
    by_id: HashMap<&'a str, &'a Instrument>,
    /// The register is missing or broken: its own errors say so; don't add one per citation.
    skip: bool,
}

impl<'a> CitationChecker<'a> {
    /// A checker against these instruments; a duplicated id resolves to its first entry.
    fn new(instruments: &'a [Instrument], skip: bool) -> Self {
        let mut by_id: HashMap<&str, &Instrument> = HashMap::new();
        for instrument in instruments {
            by_id.entry(instrument.id.as_str()).or_insert(instrument);
        }
        CitationChecker { instruments, by_id, skip }
    }

    fn check_all(&self, raw: &[String], doc: &Document, diagnostics: &mut Diagnostics) -> Vec<Citation> {
        // Find each citation after the one before, so a long list is searched once, not once per item.
        let mut from = 0;
        let mut unknown = 0;
        raw.iter()
            .filter_map(|text| {
                let span = doc.find_value_from("cites", text, from);
                if let Some(span) = &span {
                    from = span.end;
                }
                self.check(text, span, doc, &mut unknown, diagnostics)
            })
            .collect()
    }

    fn check(
        &self,
        text: &str,
        span: Option<std::ops::Range<usize>>,
        doc: &Document,
        unknown: &mut usize,
        diagnostics: &mut Diagnostics,
    ) -> Option<Citation> {
        let citation = match citation::parse(text) {
            Ok(c) => c,
            Err(error) => {
                diagnostics.push(
                    doc.diagnostic(
                        Diagnostic::error("bad-citation", format!("`{text}` is not a citation: {error}"))
                            .field("cites")
                            .help("write the register id, a space, then the pinpoint: e.g. `children-act-1989 s22C`"),
                        span,
                    ),
                );
                return None;
            }
        };
        if self.skip {
            return Some(citation);
        }
        let Some(instrument) = self.by_id.get(citation.instrument.as_str()).copied() else {
            *unknown += 1;
            let suggestion = if *unknown <= MAX_PROBLEMS_PER_FILE {
                did_you_mean(&citation.instrument, self.instruments.iter().map(|i| i.id.as_str()))
            } else {
                None
            };
            diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error(
                        "unknown-citation",
                        format!("`{}` is not in the statutory register", citation.instrument),
                    )
                    .field("cites")
                    .maybe_help(suggestion)
                    .help("add the instrument to register.yaml, or cite one that is there"),
                    span,
                ),
            );
            return None;
        };
        if let Some(key) = &citation.pinpoint {
            match instrument.pinpoint(key) {
                None => {
                    let keys: Vec<&str> = instrument.pinpoints.iter().map(|p| p.key.as_str()).collect();
                    let listed = if keys.is_empty() { "none".to_string() } else { keys.join(", ") };
                    diagnostics.push(doc.diagnostic(
                        Diagnostic::error("unknown-pinpoint", format!("`{}` has no pinpoint `{key}` in the register", instrument.id))
                            .field("cites")
                            .maybe_help(did_you_mean(key, keys.iter().copied()))
                            .help(format!("the pinpoints listed for it are: {listed}; add `{key}` to its `pinpoints` in register.yaml if it is right")),
                        span,
                    ));
                    return None;
                }
                Some(pinpoint)
                    if pinpoint.status == LegalStatus::Prospective && instrument.status != LegalStatus::Prospective =>
                {
                    diagnostics.push(doc.diagnostic(
                        Diagnostic::warning("prospective", format!("{} of {} is not yet in force", pinpoint.label, instrument.title))
                            .field("cites")
                            .help("make clear in the text that this provision is not in force yet, or cite the law in force now"),
                        span.clone(),
                    ));
                }
                Some(_) => {}
            }
        }
        match instrument.status {
            LegalStatus::Superseded => {
                let replacement = instrument
                    .superseded_by
                    .as_deref()
                    .and_then(|id| self.by_id.get(id).copied())
                    .map(|i| format!("cite `{}` ({}) instead", i.id, i.title))
                    .unwrap_or_else(|| "cite the instrument that replaced it".to_string());
                diagnostics.push(
                    doc.diagnostic(
                        Diagnostic::warning("superseded", format!("{} has been superseded", instrument.title))
                            .field("cites")
                            .help(replacement),
                        span,
                    ),
                );
            }
            LegalStatus::Prospective => diagnostics.push(
                doc.diagnostic(
                    Diagnostic::warning("prospective", format!("{} is not yet in force", instrument.title))
                        .field("cites")
                        .help("make clear in the text that it is not in force yet"),
                    span,
                ),
            ),
            LegalStatus::InForce => {}
        }
        Some(citation)
    }
}

#[allow(clippy::too_many_arguments)]
fn resolve_statement(
    parsed: &Parsed<StatementFile>,
    citations: &CitationChecker<'_>,
    statement_ids: &BTreeSet<&str>,
    recommendation_ids: &BTreeSet<&str>,
    broken: &BTreeSet<String>,
    pictures: &BTreeMap<String, String>,
    review_record: Option<&StatementReview>,
    (easy_read_rules, vocabulary): (
        &crate::model::checks::easy_read::Rules,
        &crate::model::checks::easy_read::Vocabulary,
    ),
    md: MarkdownOptions,
    diagnostics: &mut Diagnostics,
) -> Statement {
    let file = &parsed.value;
    let doc = &parsed.doc;

    for (field, value) in
        [("title", &file.title), ("statement", &file.statement), ("headline", &file.headline), ("plain", &file.plain)]
    {
        if value.trim().is_empty() {
            diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error("empty-field", format!("`{field}` is empty"))
                        .field(field)
                        .help(format!("write the {field}")),
                    doc.find_key(field),
                ),
            );
        }
    }
    let headline_words = file.headline.split_whitespace().count();
    if headline_words > HEADLINE_MAX_WORDS {
        diagnostics.push(
            doc.diagnostic(
                Diagnostic::error(
                    "headline-too-long",
                    format!("the headline has {headline_words} words; the pocket handbook allows {HEADLINE_MAX_WORDS}"),
                )
                .field("headline")
                .help("shorten it to one sentence of at most 25 words"),
                doc.find_key("headline"),
            ),
        );
    }
    if file.cites.is_empty() {
        diagnostics.push(
            doc.diagnostic(
                Diagnostic::error("no-citations", "this statement cites no law or statutory guidance")
                    .field("cites")
                    .help("add at least one citation, e.g. `children-act-1989 s22`"),
                doc.find_key("cites"),
            ),
        );
    }
    let cites = citations.check_all(&file.cites, doc, diagnostics);

    // Long lists are searched in one pass, and suggestions stop once a file has more problems
    // than are shown, so that a list of thousands of bad ids cannot stall the build.
    let mut recommendations = Vec::new();
    let (mut from, mut unknown) = (0, 0);
    for id in &file.recommendations {
        let span = doc.find_value_from("recommendations", id, from);
        if let Some(span) = &span {
            from = span.end;
        }
        if recommendation_ids.contains(id.as_str()) || broken.contains(id) {
            recommendations.push(id.clone());
        } else {
            unknown += 1;
            let suggestion = if unknown <= MAX_PROBLEMS_PER_FILE {
                did_you_mean(id, recommendation_ids.iter().copied())
            } else {
                None
            };
            diagnostics.push(doc.diagnostic(
                Diagnostic::error("unknown-recommendation", format!("there is no recommendation with the id `{id}`"))
                    .field("recommendations")
                    .maybe_help(suggestion)
                    .help("use the `id:` of a file in recommendations/, or start one with `guidepress new recommendation`"),
                span,
            ));
        }
    }
    let mut related = Vec::new();
    let (mut from, mut unknown) = (0, 0);
    for id in &file.related {
        let span = doc.find_value_from("related", id, from);
        if let Some(span) = &span {
            from = span.end;
        }
        if id == &file.id {
            diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error("self-reference", "a statement cannot be related to itself")
                        .field("related")
                        .help(format!("remove `{id}` from `related`")),
                    span,
                ),
            );
        } else if statement_ids.contains(id.as_str()) || broken.contains(id) {
            if !related.contains(id) {
                related.push(id.clone());
            }
        } else {
            unknown += 1;
            let suggestion =
                if unknown <= MAX_PROBLEMS_PER_FILE { did_you_mean(id, statement_ids.iter().copied()) } else { None };
            diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error("unknown-statement", format!("there is no statement with the id `{id}`"))
                        .field("related")
                        .maybe_help(suggestion)
                        .help("use the `id:` of a file in statements/"),
                    span,
                ),
            );
        }
    }

    let mut easy_read = Vec::new();
    for (index, block) in file.easy_read.iter().enumerate() {
        let first_words: String = block.text.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
        let block_span = doc.find_value("easy_read", &first_words);
        let mut alt = block.alt.clone().unwrap_or_default();
        match &block.picture {
            None => diagnostics.push(doc.diagnostic(
                Diagnostic::warning("easy-read/picture", "this easy-read block has no picture")
                    .field(format!("easy_read[{index}].picture"))
                    .help("Easy Read puts a picture beside every block: add `picture:` with a name from themes/default/pictures/pictures.yaml"),
                block_span.clone(),
            )),
            Some(picture) => {
                let picture_span = doc.find_value("easy_read", &format!("picture: {picture}"));
                match pictures.get(picture) {
                    None => diagnostics.push(doc.diagnostic(
                        Diagnostic::error("unknown-picture", format!("there is no picture called `{picture}`"))
                            .field(format!("easy_read[{index}].picture"))
                            .maybe_help(did_you_mean(picture, pictures.keys().map(String::as_str)))
                            .help("use a picture from themes/default/pictures/pictures.yaml, or add your own SVG to content/pictures/"),
                        picture_span.clone(),
                    )),
                    Some(default_alt) if alt.trim().is_empty() => {
                        if default_alt.trim().is_empty() {
                            diagnostics.push(doc.diagnostic(
                                Diagnostic::warning("easy-read/alt", "this picture has no alt text")
                                    .field(format!("easy_read[{index}].alt"))
                                    .help("add `alt:` saying in a few words what the picture shows, for people who cannot see it"),
                                picture_span,
                            ));
                        }
                        alt = default_alt.clone();
                    }
                    Some(_) => {}
                }
            }
        }
        let place = crate::model::checks::easy_read::Place {
            doc,
            from: doc.find_key("easy_read").map_or(doc.yaml.start, |s| s.start),
            field: format!("easy_read[{index}].text"),
        };
        crate::model::checks::easy_read::lint(&block.text, &place, easy_read_rules, vocabulary, diagnostics);
        let sentences = split_sentences(&block.text);
        if sentences.is_empty() {
            diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error("empty-field", "this easy-read block has no text")
                        .field(format!("easy_read[{index}].text")),
                    doc.find_key("easy_read"),
                ),
            );
        }
        easy_read.push(EasyReadBlock {
            picture: block.picture.clone().filter(|p| pictures.contains_key(p)),
            alt,
            sentences,
        });
    }

    let measures = Measures {
        structure: resolve_measures(&file.measures.structure, "structure", doc, diagnostics),
        process: resolve_measures(&file.measures.process, "process", doc, diagnostics),
        outcome: resolve_measures(&file.measures.outcome, "outcome", doc, diagnostics),
    };

    let audience = |text: &Option<String>, field: &str, diagnostics: &mut Diagnostics| {
        text.as_deref().map(|t| render_markdown(t, doc, field, md, diagnostics)).unwrap_or_default()
    };
    let audiences = Audiences {
        commissioners: audience(&file.audiences.commissioners, "audiences.commissioners", diagnostics),
        providers: audience(&file.audiences.providers, "audiences.providers", diagnostics),
        carers: audience(&file.audiences.carers, "audiences.carers", diagnostics),
        young_people: audience(&file.audiences.young_people, "audiences.young_people", diagnostics),
    };
    let mut present: BTreeMap<&'static str, bool> = BTreeMap::new();
    present.insert("headline", !file.headline.trim().is_empty());
    present.insert("plain", !file.plain.trim().is_empty());
    for key in Audiences::KEYS {
        present.insert(key, audiences.get(key).is_some_and(|html| !html.trim().is_empty()));
    }
    present.insert("easy_read", !file.easy_read.is_empty());
    let texts = review::text_states(&file.statement, &present, review_record);
    for (key, state) in &texts {
        let span = if *key == "easy_read" { doc.find_key("easy_read") } else { doc.find_key(key) };
        match state {
            TextState::Missing if *key != "headline" && *key != "plain" => {
                let what = if *key == "easy_read" {
                    "easy-read blocks".to_string()
                } else {
                    format!("`audiences.{key}` text")
                };
                diagnostics.push(
                    doc.diagnostic(
                        Diagnostic::warning(
                            "missing-text",
                            format!("statement {} has no {what}, so the editions that show it have a gap", file.id),
                        )
                        .field(if *key == "easy_read" { "easy_read".to_string() } else { format!("audiences.{key}") })
                        .help("write it, so every edition has its own text; the coverage report lists what is missing"),
                        span.or_else(|| doc.find_key("audiences")),
                    ),
                );
            }
            TextState::Stale { reviewed_wording } => {
                let change = match reviewed_wording {
                    Some(old) => format!("the wording changed: {}", review::word_diff(old, &file.statement)),
                    None => "the earlier wording is not recorded".to_string(),
                };
                let field = if *key == "easy_read" || *key == "headline" || *key == "plain" {
                    key.to_string()
                } else {
                    format!("audiences.{key}")
                };
                diagnostics.push(
                    doc.diagnostic(
                        Diagnostic::warning(
                            "stale-text",
                            format!(
                                "the `{field}` text of {} was written for an earlier wording of the statement",
                                file.id
                            ),
                        )
                        .field(field)
                        .help(change)
                        .help(format!(
                            "update the text or confirm it still fits, then run `guidepress review {}`",
                            file.id
                        )),
                        span,
                    ),
                );
            }
            _ => {}
        }
    }
    if doc.body().trim().is_empty() {
        diagnostics.push(
            doc.diagnostic(
                Diagnostic::warning("no-rationale", "this statement has no rationale")
                    .help("after the closing `---`, write 1 to 3 short paragraphs on why the statement matters"),
                Some(doc.body_start.saturating_sub(4)..doc.body_start.saturating_sub(1)),
            ),
        );
    }
    let rationale = render_markdown(doc.body(), doc, "body", MarkdownOptions { heading_offset: 2, ..md }, diagnostics);

    Statement {
        id: file.id.clone(),
        number: file.number,
        title: file.title.trim().to_string(),
        statement: file.statement.trim().to_string(),
        headline: file.headline.trim().to_string(),
        plain: file.plain.trim().to_string(),
        audiences,
        who_to_ask: file.who_to_ask.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        measures,
        easy_read,
        recommendations,
        cites,
        related,
        rationale,
        texts,
        file: doc.file.clone(),
    }
}

fn resolve_measures(files: &[MeasureFile], group: &str, doc: &Document, diagnostics: &mut Diagnostics) -> Vec<Measure> {
    files
        .iter()
        .enumerate()
        .map(|(index, file)| {
            let field = format!("measures.{group}[{index}]");
            let span = doc.find_value(group, &first_words(&file.text));
            let ratio = match (&file.numerator, &file.denominator) {
                (Some(numerator), Some(denominator)) => {
                    let first = numerator.split_whitespace().next().unwrap_or("").to_lowercase();
                    if !["who", "whose", "that", "which", "where", "with", "in"].contains(&first.as_str()) {
                        diagnostics.push(doc.diagnostic(
                            Diagnostic::warning("ratio-wording", "this numerator will not read well in the ratio sentence")
                                .field(format!("{field}.numerator"))
                                .help("start the numerator with who, whose, that or which: it follows \"Out of all <denominator>, the number ...\""),
                            doc.find_value(group, numerator.trim()),
                        ));
                    }
                    Some(format!(
                        "Out of all {}, the number {}.",
                        denominator.trim().trim_end_matches('.'),
                        numerator.trim().trim_end_matches('.')
                    ))
                }
                (None, None) => {
                    if group == "process" {
                        diagnostics.push(doc.diagnostic(
                            Diagnostic::error("missing-ratio", "a process measure needs a numerator and a denominator")
                                .field(field.clone())
                                .help("add `numerator:` (who is counted) and `denominator:` (out of which group)"),
                            span.clone(),
                        ));
                    }
                    None
                }
                _ => {
                    diagnostics.push(doc.diagnostic(
                        Diagnostic::error("half-ratio", "this measure has only one of numerator and denominator")
                            .field(field.clone())
                            .help("give both, or neither"),
                        span.clone(),
                    ));
                    None
                }
            };
            Measure {
                text: file.text.trim().to_string(),
                numerator: file.numerator.as_ref().map(|s| s.trim().to_string()),
                denominator: file.denominator.as_ref().map(|s| s.trim().to_string()),
                ratio,
                data_source: file.data_source.trim().to_string(),
            }
        })
        .collect()
}

fn first_words(text: &str) -> String {
    text.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}

fn render_markdown(
    source: &str,
    doc: &Document,
    field: &str,
    options: MarkdownOptions,
    diagnostics: &mut Diagnostics,
) -> String {
    let rendered = markdown::render(source, options);
    // The body is a slice of the file's text, so its offsets map straight into the file. A YAML
    // field's text is not (quotes and indentation are gone), so those are found by searching.
    let base = (source.as_ptr() as usize)
        .checked_sub(doc.text.as_ptr() as usize)
        .filter(|b| b + source.len() <= doc.text.len());
    let to_line_end = |at: usize| {
        let at = at.min(source.len());
        let end = source[at..].find('\n').map_or(source.len(), |i| at + i);
        base.map(|base| base + at..base + end)
    };
    if let Some(at) = rendered.too_deep {
        let span = to_line_end(at).or_else(|| doc.find_key(field.rsplit('.').next().unwrap_or(field)));
        diagnostics.push(
            doc.diagnostic(
                Diagnostic::error(
                    "too-deep",
                    format!(
                        "this text nests quotes, lists or emphasis more than {} levels deep",
                        markdown::MAX_NESTING
                    ),
                )
                .field(field)
                .help("guidance needs a few levels at most: check for a run of `>` or `-`, or unclosed `*` and `_`"),
                span,
            ),
        );
    }
    for refused in rendered.refused {
        let span = to_line_end(refused.offset)
            .or_else(|| doc.text.find(&refused.target).map(|i| i..i + refused.target.len()))
            .or_else(|| doc.find_key(field.rsplit('.').next().unwrap_or(field)));
        diagnostics.push(doc.diagnostic(
            Diagnostic::error("unsafe-link", format!("the link target `{}` could run code in a reader's browser", refused.target))
                .field(field)
                .help("link to an https:// address or a page of the publication; javascript:, data: and vbscript: links are not allowed"),
            span,
        ));
    }
    for removed in rendered.removed {
        let span = to_line_end(removed.offset).or_else(|| doc.find_key(field.rsplit('.').next().unwrap_or(field)));
        let diagnostic = if removed.executable {
            Diagnostic::warning("unsafe-html", format!("{} could run code in a reader's browser, so it was removed", removed.what))
                .help("link to an https:// address or a page of the publication; javascript:, data: and vbscript: addresses are never published")
        } else {
            Diagnostic::warning("removed-html", format!("{} is not allowed in guidance text, so it was removed", removed.what))
                .help("raw HTML may use text, list, table, link and picture elements only; see \"Raw HTML\" in the editors' guide")
        };
        diagnostics.push(doc.diagnostic(diagnostic.field(field), span));
    }
    rendered.html
}

/// Splits easy-read text into sentences: one per line, and lines with several sentences split at
/// sentence ends.
pub fn split_sentences(text: &str) -> Vec<String> {
    let mut sentences = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let mut start = 0;
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        for (i, (offset, c)) in chars.iter().enumerate() {
            let next_is_space = chars.get(i + 1).is_some_and(|(_, n)| n.is_whitespace());
            if matches!(c, '.' | '?' | '!') && next_is_space {
                let end = offset + c.len_utf8();
                let sentence = line[start..end].trim();
                if !sentence.is_empty() {
                    sentences.push(sentence.to_string());
                }
                start = end;
            }
        }
        let rest = line[start..].trim();
        if !rest.is_empty() {
            sentences.push(rest.to_string());
        }
    }
    sentences
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_on_lines_and_stops() {
        assert_eq!(
            split_sentences("You can ask. We will help.\nCall us?\n\n  Done  "),
            vec!["You can ask.", "We will help.", "Call us?", "Done"]
        );
    }

    #[test]
    fn only_web_addresses_are_links() {
        assert!(is_web_address("https://www.legislation.gov.uk/ukpga/1989/41"));
        assert!(is_web_address("HTTP://example.org"));
        for bad in [
            "javascript:alert(1)",
            " https://x.org",
            "https://",
            "https:///etc/passwd",
            "data:text/html,x",
            "/law/x.html",
            "https://x.org/\" onclick=\"x",
            "ftp://x.org",
            "é",
        ] {
            assert!(!is_web_address(bad), "{bad}");
        }
    }

    #[test]
    fn iso_dates() {
        assert!(is_iso_date("2012-11-01"));
        assert!(!is_iso_date("1/11/2012"));
        assert!(!is_iso_date("2012-13-01"));
        assert!(is_iso_date("2012-02-29"));
        assert!(is_iso_date("2000-02-29"));
        assert!(!is_iso_date("1900-02-29"));
        assert!(!is_iso_date("2011-02-29"));
        assert!(!is_iso_date("2012-02-30"));
        assert!(!is_iso_date("2012-04-31"));
        assert!(!is_iso_date("2012-00-10"));
        assert!(!is_iso_date("2012-+1-10"));
        assert!(date_problem("2012-02-30").is_some_and(|p| p.contains("February 2012 has 29 days")));
    }
}
