//! Stage 2, model: the typed corpus. Ids, citations and references are resolved here, Markdown is
//! rendered once (shared by every edition), and every problem is collected as a diagnostic.

pub mod checks;
pub mod citation;
mod corpus;
mod ids;
mod register;
pub mod review;
mod site;
mod statement;

use crate::model::checks::picture;
use crate::model::checks::placeholders::report_placeholders;
use crate::model::checks::register::lint_register_and_glossary;
use crate::model::citation::CitationChecker;
use crate::model::ids::{check_id, check_numbers, EntryAnchors, IdRegistry};
use crate::model::register::resolve_register;
use crate::model::site::resolve_site;
use crate::model::statement::{render_markdown, resolve_statement, LinkTargets};

pub use corpus::*;
pub use site::ENGLISH_MONTHS;

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::StatementReview;
use crate::load::{LoadedContent, Parsed, PictureFile, RecommendationFile, StatementFile};
use crate::text::markdown::MarkdownOptions;

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
            Diagnostic::error(Code::MoreProblems, message)
        } else {
            Diagnostic::warning(Code::MoreProblems, message)
        };
        diagnostics.push(summary.in_file(file).help("fix the problems shown and build again to see the rest"));
    }
}

/// The passes over the loaded content, in order: the site, the register and glossary (which
/// the rest is checked against), pictures, the ids of statements and recommendations, then
/// the statements and recommendations themselves in parallel, and who cites each instrument.
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
    let instruments = resolve_register(&loaded, site.is_some(), theme, &mut ids, diagnostics);
    let terms = resolve_glossary(&loaded, &mut ids, diagnostics);
    let picture_names = check_pictures(&loaded.pictures, theme, diagnostics);

    let (statement_files, recommendation_files) = claim_items(&loaded, site.is_some(), &mut ids, diagnostics);

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
    let statements = resolve_statements(
        &statement_files,
        &citations,
        (&statement_ids, &recommendation_ids, &ids.known_broken),
        &picture_names,
        &reviews,
        (theme, &vocabulary),
        md(2),
        diagnostics,
    );

    let link_targets =
        LinkTargets { statements: &statement_ids, recommendations: &recommendation_ids, citations: &citations };
    let recommendations = resolve_recommendations(&recommendation_files, &link_targets, md(2), diagnostics);

    let cited_by = cited_by(&instruments, &statements, &recommendations);
    report_similar_groups(&statement_files, diagnostics);

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

/// A group used by one statement whose name is spelt nearly like another group's: most likely a
/// typing slip, which would otherwise give the contents a heading of its own.
fn report_similar_groups(files: &[&Parsed<StatementFile>], diagnostics: &mut Diagnostics) {
    let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
    for file in files {
        if let Some(group) = file.value.group.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
            *uses.entry(group).or_default() += 1;
        }
    }
    for file in files {
        let Some(group) = file.value.group.as_deref().map(str::trim).filter(|g| !g.is_empty()) else { continue };
        if uses.get(group) != Some(&1) {
            continue;
        }
        let others = uses.keys().copied().filter(|other| *other != group && uses[other] > 1);
        if let Some(like) = crate::diagnostics::closest(group, others).filter(|like| near_spelling(group, like)) {
            let doc = &file.doc;
            diagnostics.push(
                doc.diagnostic(
                    Diagnostic::warning(
                        Code::SimilarGroup,
                        format!("the group `{group}` is spelt nearly like `{like}`, which {} statements use", uses[like]),
                    )
                    .field("group")
                    .help(format!(
                        "if this statement belongs with them, write `group: {like}`; a group of its own gets its own heading in the contents"
                    )),
                    doc.find_key("group"),
                ),
            );
        }
    }
}

/// Two names a letter or two apart, ignoring case: "Heath" and "Health", not "Health" and "Wealth
/// and health".
fn near_spelling(a: &str, b: &str) -> bool {
    strsim::levenshtein(&a.to_lowercase(), &b.to_lowercase()) <= 2
}

/// The glossary: each term's id claimed, and each abbreviation given to one term only.
fn resolve_glossary(loaded: &LoadedContent, ids: &mut IdRegistry, diagnostics: &mut Diagnostics) -> Vec<Term> {
    let mut terms = Vec::new();
    if let Some(glossary) = &loaded.glossary {
        let mut abbreviations: BTreeMap<String, String> = BTreeMap::new();
        let anchors = EntryAnchors::new(&glossary.doc);
        for (index, file) in glossary.value.terms.iter().enumerate() {
            let doc = &glossary.doc;
            let anchor = format!("id: {}", file.id);
            let span = anchors.find(doc, &file.id, &anchor);
            check_id(&file.id, doc, span.clone(), &format!("terms[{index}].id"), diagnostics);
            ids.claim(&file.id, "glossary term", doc, span.clone(), diagnostics);
            for abbreviation in &file.abbreviations {
                if let Some(other) = abbreviations.insert(abbreviation.clone(), file.id.clone()) {
                    diagnostics.push(
                        doc.diagnostic(
                            Diagnostic::error(
                                Code::DuplicateAbbreviation,
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
                easy_read_term: file
                    .easy_read_term
                    .as_deref()
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_string),
                source_offset: span.as_ref().map_or(0, |s| s.start),
            });
        }
        terms.sort_by(|a, b| a.term.to_lowercase().cmp(&b.term.to_lowercase()).then(a.id.cmp(&b.id)));
    }

    terms
}

/// The content's own pictures: each safe to show and validly named. Returns every picture
/// name statements may use (the theme's and the content's) with its default alt text.
fn check_pictures(
    pictures: &[PictureFile],
    theme: &ThemeFacts,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, String> {
    let mut picture_names = theme.pictures.clone();
    for picture in pictures {
        if let Err(problems) = picture::check_svg(&picture.bytes) {
            for problem in problems {
                let help = problem.help.unwrap_or(
                    "a picture may hold only drawing, as anything else could run code in a reader's browser: remove it",
                );
                diagnostics.push(
                    Diagnostic::error(
                        Code::UnsafePicture,
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
                    Code::BadPictureName,
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

    picture_names
}

/// Claims the ids of statements and recommendations in file order, so that which of two
/// duplicates is reported is stable, and checks their numbers. Returns the files in that order.
fn claim_items<'l>(
    loaded: &'l LoadedContent,
    has_site: bool,
    ids: &mut IdRegistry,
    diagnostics: &mut Diagnostics,
) -> (Vec<&'l Parsed<StatementFile>>, Vec<&'l Parsed<RecommendationFile>>) {
    if loaded.statement_files == 0 && has_site {
        diagnostics.push(
            Diagnostic::error(Code::NoStatements, "there are no statements, so every edition would be empty")
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

    (statement_files, recommendation_files)
}

/// Every statement, checked and rendered in parallel (they are independent of each other now),
/// in number order.
#[allow(clippy::too_many_arguments)] // each is a table the statements are checked against
fn resolve_statements(
    files: &[&Parsed<StatementFile>],
    citations: &CitationChecker<'_>,
    (statement_ids, recommendation_ids, broken): (&BTreeSet<&str>, &BTreeSet<&str>, &BTreeSet<String>),
    picture_names: &BTreeMap<String, String>,
    reviews: &BTreeMap<&str, &StatementReview>,
    lint: (&ThemeFacts, &crate::model::checks::easy_read::Vocabulary),
    md: MarkdownOptions,
    diagnostics: &mut Diagnostics,
) -> Vec<Statement> {
    let statement_results: Vec<(Statement, Diagnostics)> = files
        .par_iter()
        .map(|parsed| {
            let mut local = Diagnostics::new();
            let statement = resolve_statement(
                parsed,
                citations,
                statement_ids,
                recommendation_ids,
                broken,
                picture_names,
                reviews.get(parsed.value.id.as_str()).copied(),
                lint,
                md,
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

    statements
}

/// Every recommendation, checked and rendered in parallel, in number order.
fn resolve_recommendations(
    files: &[&Parsed<RecommendationFile>],
    targets: &LinkTargets<'_>,
    md: MarkdownOptions,
    diagnostics: &mut Diagnostics,
) -> Vec<Recommendation> {
    let recommendation_results: Vec<(Recommendation, Diagnostics)> = files
        .par_iter()
        .map(|parsed| {
            let mut local = Diagnostics::new();
            let file = &parsed.value;
            let cites = targets.citations.check_all(&file.cites, &parsed.doc, &mut local);
            let action = render_markdown(parsed.doc.body(), &parsed.doc, "body", md, targets, &mut local);
            if parsed.doc.body().trim().is_empty() {
                local.push(
                    parsed.doc.diagnostic(
                        Diagnostic::error(Code::EmptyBody, "this recommendation does not say what action to take")
                            .help("write the action after the closing `---` line"),
                        Some(parsed.doc.body_start.saturating_sub(4)..parsed.doc.body_start.saturating_sub(1)),
                    ),
                );
            }
            if file.who.is_empty() {
                local.push(parsed.doc.diagnostic(
                    Diagnostic::error(Code::EmptyField, "`who` is empty: say who should take action").field("who"),
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

    recommendations
}

/// For each instrument, the statements and recommendations that cite it (each once).
fn cited_by(
    instruments: &[Instrument],
    statements: &[Statement],
    recommendations: &[Recommendation],
) -> BTreeMap<String, CitedBy> {
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

    cited_by
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
        (theme, &vocabulary),
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
