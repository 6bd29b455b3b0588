//! One statement or recommendation file, checked and rendered into the corpus.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::kinds::DerivedText;
use crate::load::StatementReview;
use crate::load::{MeasureFile, Parsed, StatementFile};
use crate::model::citation::CitationChecker;
use crate::model::review::TextState;
use crate::model::{review, Audiences, EasyReadBlock, Measure, Measures, Statement, ThemeFacts, MAX_PROBLEMS_PER_FILE};
use crate::source::Document;
use crate::text::markdown;
use crate::text::markdown::MarkdownOptions;
use crate::text::sentences::sentences;

#[allow(clippy::too_many_arguments)]
pub(super) fn resolve_statement(
    parsed: &Parsed<StatementFile>,
    citations: &CitationChecker<'_>,
    statement_ids: &BTreeSet<&str>,
    recommendation_ids: &BTreeSet<&str>,
    broken: &BTreeSet<String>,
    pictures: &BTreeMap<String, String>,
    review_record: Option<&StatementReview>,
    (theme, vocabulary): (&ThemeFacts, &crate::model::checks::easy_read::Vocabulary),
    md: MarkdownOptions,
    diagnostics: &mut Diagnostics,
) -> Statement {
    let file = &parsed.value;
    let doc = &parsed.doc;
    let easy_read_rules = &theme.easy_read_rules;

    check_fields(file, doc, theme.headline_limit.as_ref(), diagnostics);
    let cites = citations.check_all(&file.cites, doc, diagnostics);

    let recommendations =
        known_ids(doc, ("recommendations", &file.recommendations), recommendation_ids, broken, None, diagnostics);
    let related = known_ids(doc, ("related", &file.related), statement_ids, broken, Some(&file.id), diagnostics);

    let easy_read = easy_read_blocks(file, doc, pictures, (easy_read_rules, vocabulary), diagnostics);
    if let Some(title) = file.easy_read_title.as_deref().filter(|t| !t.trim().is_empty()) {
        let place = crate::model::checks::easy_read::Place {
            doc,
            from: doc.find_key("easy_read_title").map_or(doc.yaml.start, |s| s.start),
            field: "easy_read_title".to_string(),
        };
        crate::model::checks::easy_read::lint(title, &place, easy_read_rules, vocabulary, diagnostics);
    } else if !file.easy_read.is_empty() {
        diagnostics.push(
            doc.diagnostic(
                Diagnostic::warning(Code::EasyReadTitle, "this statement has no easy-read title")
                    .field("easy_read_title")
                    .help(format!(
                        "add `easy_read_title:` with the title in young people's words; until then the easy-read edition shows \"{}\"",
                        file.title.trim()
                    )),
                doc.find_key("title"),
            ),
        );
    }

    let measures = Measures {
        structure: resolve_measures(&file.measures.structure, "structure", doc, diagnostics),
        process: resolve_measures(&file.measures.process, "process", doc, diagnostics),
        outcome: resolve_measures(&file.measures.outcome, "outcome", doc, diagnostics),
    };

    let targets = LinkTargets { statements: statement_ids, recommendations: recommendation_ids, citations };
    let audience = |text: &Option<String>, field: &str, diagnostics: &mut Diagnostics| {
        text.as_deref().map(|t| render_markdown(t, doc, field, md, &targets, diagnostics)).unwrap_or_default()
    };
    let audiences = Audiences {
        commissioners: audience(&file.audiences.commissioners, "audiences.commissioners", diagnostics),
        providers: audience(&file.audiences.providers, "audiences.providers", diagnostics),
        carers: audience(&file.audiences.carers, "audiences.carers", diagnostics),
        young_people: audience(&file.audiences.young_people, "audiences.young_people", diagnostics),
    };
    let texts = text_states(file, doc, &audiences, review_record, diagnostics);
    if doc.body().trim().is_empty() {
        diagnostics.push(
            doc.diagnostic(
                Diagnostic::warning(Code::NoRationale, "this statement has no rationale")
                    .help("after the closing `---`, write 1 to 3 short paragraphs on why the statement matters"),
                Some(doc.body_start.saturating_sub(4)..doc.body_start.saturating_sub(1)),
            ),
        );
    }
    let rationale =
        render_markdown(doc.body(), doc, "body", MarkdownOptions { heading_offset: 2, ..md }, &targets, diagnostics);

    Statement {
        id: file.id.clone(),
        number: file.number,
        title: file.title.trim().to_string(),
        easy_read_title: crate::model::site::text_or_none(&file.easy_read_title),
        short_title: crate::model::site::text_or_none(&file.short_title),
        group: crate::model::site::text_or_none(&file.group),
        statement: file.statement.trim().to_string(),
        headline: file.headline.trim().to_string(),
        plain: file.plain.trim().to_string(),
        audiences,
        who_to_ask: crate::model::site::text_or_none(&file.who_to_ask),
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

/// The required texts are there, the headline is within the tightest edition limit, and the
/// statement cites something.
fn check_fields(
    file: &StatementFile,
    doc: &Document,
    headline_limit: Option<&(usize, String)>,
    diagnostics: &mut Diagnostics,
) {
    for (field, value) in
        [("title", &file.title), ("statement", &file.statement), ("headline", &file.headline), ("plain", &file.plain)]
    {
        if value.trim().is_empty() {
            diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error(Code::EmptyField, format!("`{field}` is empty"))
                        .field(field)
                        .help(format!("write the {field}")),
                    doc.find_key(field),
                ),
            );
        }
    }
    let headline_words = file.headline.split_whitespace().count();
    if let Some((limit, edition)) = headline_limit.filter(|(limit, _)| headline_words > *limit) {
        diagnostics.push(
            doc.diagnostic(
                Diagnostic::error(
                    Code::HeadlineTooLong,
                    format!("the headline has {headline_words} words; the {} allows {limit}", edition.to_lowercase()),
                )
                .field("headline")
                .help(format!("shorten it to one sentence of at most {limit} words")),
                doc.find_key("headline"),
            ),
        );
    }
    if file.cites.is_empty() {
        diagnostics.push(
            doc.diagnostic(
                Diagnostic::error(Code::NoCitations, "this statement cites no law or statutory guidance")
                    .field("cites")
                    .help("add at least one citation, e.g. `children-act-1989 s22`"),
                doc.find_key("cites"),
            ),
        );
    }
}

/// The ids a statement lists under `field` (its recommendations, or related statements) that
/// exist, each once; every other is an error with a suggestion. `own` is the statement's own id,
/// which a statement may not list. Long lists are searched in one pass, and suggestions stop once
/// a file has more problems than are shown, so that a list of thousands of bad ids cannot stall
/// the build.
fn known_ids(
    doc: &Document,
    (field, ids): (&str, &[String]),
    known: &BTreeSet<&str>,
    broken: &BTreeSet<String>,
    own: Option<&str>,
    diagnostics: &mut Diagnostics,
) -> Vec<String> {
    let (what, code, help) = if field == "related" {
        ("statement", Code::UnknownStatement, "use the `id:` of a file in statements/")
    } else {
        (
            "recommendation",
            Code::UnknownRecommendation,
            "use the `id:` of a file in recommendations/, or start one with `guidepress new recommendation`",
        )
    };
    let mut found: Vec<String> = Vec::new();
    let (mut from, mut unknown) = (0, 0);
    for id in ids {
        let span = doc.find_value_from(field, id, from);
        if let Some(span) = &span {
            from = span.end;
        }
        if own == Some(id.as_str()) {
            diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error(Code::SelfReference, "a statement cannot be related to itself")
                        .field(field)
                        .help(format!("remove `{id}` from `{field}`")),
                    span,
                ),
            );
        } else if known.contains(id.as_str()) || broken.contains(id) {
            if !found.contains(id) {
                found.push(id.clone());
            }
        } else {
            unknown += 1;
            let suggestion =
                if unknown <= MAX_PROBLEMS_PER_FILE { did_you_mean(id, known.iter().copied()) } else { None };
            diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error(code, format!("there is no {what} with the id `{id}`"))
                        .field(field)
                        .maybe_help(suggestion)
                        .help(help),
                    span,
                ),
            );
        }
    }
    found
}

/// The easy-read blocks: each with a known picture (or the warning that it has none), its alt
/// text, its sentences, and the Easy Read lint.
fn easy_read_blocks(
    file: &StatementFile,
    doc: &Document,
    pictures: &BTreeMap<String, String>,
    (easy_read_rules, vocabulary): (
        &crate::model::checks::easy_read::Rules,
        &crate::model::checks::easy_read::Vocabulary,
    ),
    diagnostics: &mut Diagnostics,
) -> Vec<EasyReadBlock> {
    let mut easy_read = Vec::new();
    for (index, block) in file.easy_read.iter().enumerate() {
        let first_words: String = block.text.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
        let block_span = doc.find_value("easy_read", &first_words);
        let mut alt = block.alt.clone().unwrap_or_default();
        match &block.picture {
            None => diagnostics.push(doc.diagnostic(
                Diagnostic::warning(Code::EasyReadPicture, "this easy-read block has no picture")
                    .field(format!("easy_read[{index}].picture"))
                    .help("Easy Read puts a picture beside every block: add `picture:` with a name from themes/default/pictures/pictures.yaml"),
                block_span.clone(),
            )),
            Some(picture) => {
                let picture_span = doc.find_value("easy_read", &format!("picture: {picture}"));
                match pictures.get(picture) {
                    None => diagnostics.push(doc.diagnostic(
                        Diagnostic::error(Code::UnknownPicture, format!("there is no picture called `{picture}`"))
                            .field(format!("easy_read[{index}].picture"))
                            .maybe_help(did_you_mean(picture, pictures.keys().map(String::as_str)))
                            .help("use a picture from themes/default/pictures/pictures.yaml, or add your own SVG to content/pictures/"),
                        picture_span.clone(),
                    )),
                    Some(default_alt) if alt.trim().is_empty() => {
                        if default_alt.trim().is_empty() {
                            diagnostics.push(doc.diagnostic(
                                Diagnostic::warning(Code::EasyReadAlt, "this picture has no alt text")
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
        let sentences: Vec<String> = sentences(&block.text).into_iter().map(str::to_string).collect();
        if sentences.is_empty() {
            diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error(Code::EmptyField, "this easy-read block has no text")
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

    easy_read
}

/// Where each derived text stands against the current wording, with a warning for each that is
/// missing or was written for an earlier wording.
fn text_states(
    file: &StatementFile,
    doc: &Document,
    audiences: &Audiences,
    review_record: Option<&StatementReview>,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<DerivedText, TextState> {
    let present: BTreeMap<DerivedText, bool> = DerivedText::ALL
        .into_iter()
        .map(|text| {
            let has = match text {
                DerivedText::Headline => !file.headline.trim().is_empty(),
                DerivedText::Plain => !file.plain.trim().is_empty(),
                DerivedText::Audience(audience) => !audiences.get(audience).trim().is_empty(),
                DerivedText::EasyRead => !file.easy_read.is_empty(),
            };
            (text, has)
        })
        .collect();
    let texts = review::text_states(&file.statement, &present, review_record);
    for (key, state) in &texts {
        let span = doc.find_key(key.key());
        match state {
            TextState::Missing if !matches!(key, DerivedText::Headline | DerivedText::Plain) => {
                let what = match key {
                    DerivedText::EasyRead => "easy-read blocks".to_string(),
                    other => format!("`{}` text", other.field()),
                };
                diagnostics.push(
                    doc.diagnostic(
                        Diagnostic::warning(
                            Code::MissingText,
                            format!("statement {} has no {what}, so the editions that show it have a gap", file.id),
                        )
                        .field(key.field())
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
                let field = key.field();
                diagnostics.push(
                    doc.diagnostic(
                        Diagnostic::warning(
                            Code::StaleText,
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
    texts
}

pub(super) fn resolve_measures(
    files: &[MeasureFile],
    group: &str,
    doc: &Document,
    diagnostics: &mut Diagnostics,
) -> Vec<Measure> {
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
                            Diagnostic::warning(Code::RatioWording, "this numerator will not read well in the ratio sentence")
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
                            Diagnostic::error(Code::MissingRatio, "a process measure needs a numerator and a denominator")
                                .field(field.clone())
                                .help("add `numerator:` (who is counted) and `denominator:` (out of which group)"),
                            span.clone(),
                        ));
                    }
                    None
                }
                _ => {
                    diagnostics.push(doc.diagnostic(
                        Diagnostic::error(Code::HalfRatio, "this measure has only one of numerator and denominator")
                            .field(field.clone())
                            .help("give both, or neither"),
                        span.clone(),
                    ));
                    None
                }
            };
            Measure {
                text: file.text.trim().to_string(),
                // Without a full stop, as both are set inside sentences.
                numerator: file.numerator.as_ref().map(|s| s.trim().trim_end_matches('.').to_string()),
                denominator: file.denominator.as_ref().map(|s| s.trim().trim_end_matches('.').to_string()),
                ratio,
                data_source: file.data_source.trim().to_string(),
            }
        })
        .collect()
}

pub(super) fn first_words(text: &str) -> String {
    text.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}

/// The ids a text may link to: statements, recommendations and the register's entries.
pub(super) struct LinkTargets<'a> {
    pub(super) statements: &'a BTreeSet<&'a str>,
    pub(super) recommendations: &'a BTreeSet<&'a str>,
    pub(super) citations: &'a CitationChecker<'a>,
}

impl LinkTargets<'_> {
    fn contains(&self, id: &str) -> bool {
        self.statements.contains(id) || self.recommendations.contains(id) || self.citations.by_id.contains_key(id)
    }

    fn all(&self) -> impl Iterator<Item = &str> {
        self.statements.iter().chain(self.recommendations.iter()).copied().chain(self.citations.by_id.keys().copied())
    }
}

/// Renders a text's Markdown and reports, at the line they are on, links that could run code,
/// links to ids that do not exist, file addresses and what the sanitiser removed.
pub(super) fn render_markdown(
    source: &str,
    doc: &Document,
    field: &str,
    options: MarkdownOptions,
    targets: &LinkTargets<'_>,
    diagnostics: &mut Diagnostics,
) -> String {
    // Footnote ids: the file's folder and name and the field, unique on any page.
    let mut place: Vec<&str> = doc.file.trim_end_matches(".md").rsplit('/').take(2).collect();
    place.reverse();
    let scope = format!("{}-{field}", place.join("-"));
    let rendered = markdown::render(source, options, &scope);
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
    // A YAML field's text is not a slice of the file: find what was written, or else the field.
    let written_at = |written: &str| doc.text.find(written).map(|i| i..i + written.len());
    let own_key = || doc.find_key(field.rsplit('.').next().unwrap_or(field));
    if let Some(at) = rendered.too_deep {
        let span = to_line_end(at).or_else(own_key);
        diagnostics.push(
            doc.diagnostic(
                Diagnostic::error(
                    Code::TooDeep,
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
        let span = to_line_end(refused.offset).or_else(|| written_at(&refused.target)).or_else(own_key);
        diagnostics.push(doc.diagnostic(
            Diagnostic::error(Code::UnsafeLink, format!("the link target `{}` could run code in a reader's browser", refused.target))
                .field(field)
                .help("link to an https:// address or a page of the publication; javascript:, data: and vbscript: links are not allowed"),
            span,
        ));
    }
    // `[^x]` with no `[^x]:` note in the text is printed as written: say so at its line.
    if source.contains("[^") {
        let mut from = 0;
        while let Some(at) = source[from..].find("[^").map(|i| from + i) {
            from = at + 2;
            let Some(len) = source[from..].find(']') else { break };
            let label = &source[from..from + len];
            let is_note = source[from + len + 1..].starts_with(':');
            if is_note || label.is_empty() || label.contains(char::is_whitespace) {
                continue;
            }
            if !source.contains(&format!("[^{label}]:")) {
                let span = to_line_end(at).or_else(|| written_at(&format!("[^{label}]")));
                diagnostics.push(doc.diagnostic(
                    Diagnostic::error(Code::UnknownFootnote, format!("the footnote `[^{label}]` has no note"))
                        .field(field)
                        .help(format!(
                            "write the note in the same text, on a line of its own: `[^{label}]: The note.`; or remove the mark"
                        )),
                    span,
                ));
            }
        }
    }
    for link in rendered.links {
        let written = format!("]({}", link.target);
        // After its `](`, so that the same id earlier in the file (`related: [qs-2]`) is not taken.
        let span = to_line_end(link.offset)
            .or_else(|| written_at(&written).map(|r| r.start + 2..r.end))
            .or_else(|| written_at(&link.target))
            .or_else(own_key);
        let target = link.target.as_str();
        let diagnostic = match link.kind {
            markdown::ContentLinkKind::Id if targets.contains(target) => continue,
            // The register is missing or broken, and reported already: its ids cannot be checked.
            markdown::ContentLinkKind::Id if targets.citations.skip => continue,
            markdown::ContentLinkKind::Id => {
                let known = targets.all();
                let lower = target.to_lowercase();
                let hint = crate::diagnostics::did_you_mean(&lower, known)
                    .map(|d| format!("{d} Links by id use"))
                    .unwrap_or_else(|| "link by".to_string());
                Diagnostic::error(
                    Code::UnknownLink,
                    format!("the link `{target}` is not the id of a statement, recommendation or law in the register"),
                )
                .help(format!(
                    "{hint} the `id:` of a statement, a recommendation or a register entry, e.g. \
                     `[statement 2](qs-2)`"
                ))
            }
            markdown::ContentLinkKind::File => {
                let stem = target.rsplit('/').next().unwrap_or(target);
                let stem = stem.split(['#', '?']).next().unwrap_or(stem).trim_end_matches(".html");
                let fix = if targets.contains(stem) {
                    format!("link by id instead, which works on every page and in every edition: `({stem})`")
                } else {
                    "link to a statement, recommendation or law by its id, e.g. `[statement 2](qs-2)`, or to a full \
                     https:// address"
                        .to_string()
                };
                Diagnostic::error(
                    Code::FileLink,
                    format!(
                        "the link `{target}` is a file address: the text is shown on several pages (each edition, \
                         the print page), and from most of them it leads nowhere"
                    ),
                )
                .help(fix)
            }
        };
        diagnostics.push(doc.diagnostic(diagnostic.field(field), span));
    }
    for removed in rendered.removed {
        let span = to_line_end(removed.offset).or_else(own_key);
        let diagnostic = if removed.executable {
            Diagnostic::warning(Code::UnsafeHtml, format!("{} could run code in a reader's browser, so it was removed", removed.what))
                .help("link to an https:// address or a page of the publication; javascript:, data: and vbscript: addresses are never published")
        } else {
            Diagnostic::warning(Code::RemovedHtml, format!("{} is not allowed in guidance text, so it was removed", removed.what))
                .help("raw HTML may use text, list, table, link and picture elements only; see \"Raw HTML\" in the editors' guide")
        };
        diagnostics.push(doc.diagnostic(diagnostic.field(field), span));
    }
    rendered.html
}
