//! Edition coverage: which derived texts each edition shows, and which statements lack one.

use serde::Serialize;

use crate::editions::{EditionFile, StatementText};
use crate::model::review::TextState;
use crate::model::Corpus;
use crate::text::markdown::escape;

/// The derived texts an edition shows, by the keys of `reviews.yaml`.
pub fn edition_texts(edition: &EditionFile) -> Vec<&str> {
    let mut keys = Vec::new();
    match edition.statement_text {
        StatementText::Plain => keys.push("plain"),
        StatementText::Headline => keys.push("headline"),
        StatementText::Full | StatementText::None => {}
    }
    keys.extend(edition.audiences.iter().map(|a| a.key.as_str()));
    if edition.easy_read {
        keys.push("easy_read");
    }
    keys
}

/// For each statement and edition: does the edition have its own current text?
#[derive(Debug, Clone, Default, Serialize)]
pub struct Coverage {
    pub editions: Vec<String>,
    pub rows: Vec<CoverageRow>,
}

/// One statement's row of the coverage report.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageRow {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub file: String,
    /// Edition id to its state: "own text", "missing", "stale" or "not reviewed".
    pub editions: Vec<(String, String)>,
}

/// Works out the coverage of the editions the site builds.
pub fn coverage(corpus: &Corpus, definitions: &[EditionFile]) -> Coverage {
    let editions: Vec<&EditionFile> =
        corpus.site.editions.iter().filter_map(|id| definitions.iter().find(|d| &d.id == id)).collect();
    let rows = corpus
        .statements
        .iter()
        .map(|statement| {
            let states: Vec<(String, String)> = editions
                .iter()
                .map(|edition| {
                    let keys = edition_texts(edition);
                    let worst = keys.iter().filter_map(|k| statement.texts.get(k)).fold("own text", |worst, state| {
                        let rank = |s: &str| match s {
                            "missing" => 3,
                            "stale" => 2,
                            "not reviewed" => 1,
                            _ => 0,
                        };
                        let label = match state {
                            TextState::Current => "own text",
                            other => other.label(),
                        };
                        if rank(label) > rank(worst) {
                            label
                        } else {
                            worst
                        }
                    });
                    // An edition that shows no derived text (the full statement only) is always its own.
                    (edition.id.clone(), worst.to_string())
                })
                .collect();
            CoverageRow {
                id: statement.id.clone(),
                number: statement.number,
                title: statement.title.clone(),
                file: statement.file.clone(),
                editions: states,
            }
        })
        .collect();
    Coverage { editions: editions.iter().map(|e| e.id.clone()).collect(), rows }
}

/// The coverage report as plain text, for `check`.
pub fn coverage_text(coverage: &Coverage) -> String {
    let mut out = String::from("Edition coverage (own text / missing / stale / not reviewed):\n");
    let width = coverage.rows.iter().map(|r| r.id.len()).max().unwrap_or(4).max(9);
    out.push_str(&format!("  {:width$}", "statement"));
    for edition in &coverage.editions {
        out.push_str(&format!("  {edition:14}"));
    }
    out.push('\n');
    for row in &coverage.rows {
        out.push_str(&format!("  {:width$}", row.id));
        for (_, state) in &row.editions {
            out.push_str(&format!("  {state:14}"));
        }
        out.push('\n');
    }
    out
}

/// Where the coverage report is written.
pub const COVERAGE_PAGE: &str = "reports/coverage.html";

/// The coverage report page for publishers: (output path, HTML). Not linked from the editions.
pub fn coverage_page(coverage: &Coverage, corpus: &Corpus, stylesheet: &str) -> (String, String) {
    let mut rows = String::new();
    for row in &coverage.rows {
        rows.push_str(&format!("<tr><th scope=\"row\">{} {}</th>", row.number, escape(&row.title)));
        for (edition, state) in &row.editions {
            let href = crate::editions::paths::statement(edition, &row.id);
            rows.push_str(&format!(
                "<td><a href=\"../{}\">{}<span class=\"visually-hidden\"> ({} edition)</span></a></td>",
                escape(&href),
                escape(state),
                escape(edition)
            ));
        }
        rows.push_str("</tr>\n");
    }
    let headers: String = coverage.editions.iter().map(|e| format!("<th scope=\"col\">{}</th>", escape(e))).collect();
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Edition coverage – {title}</title>\n<meta name=\"robots\" content=\"noindex\">\n<link rel=\"stylesheet\" href=\"../{stylesheet}\">\n</head>\n<body>\n<div class=\"container\">\n<main id=\"main-content\">\n<h1>Edition coverage</h1>\n<p class=\"lead\">For each statement, whether each edition has its own text, reviewed against the statement's current wording. A publisher's report: the editions do not link to it.</p>\n<div class=\"table-wrapper\" tabindex=\"0\" role=\"region\" aria-label=\"Coverage of the statements\">\n<table>\n<caption>Coverage of the {count} statements</caption>\n<thead><tr><th scope=\"col\">Statement</th>{headers}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n</div>\n<p><a href=\"../index.html\">Back to the publication</a></p>\n</main>\n</div>\n</body>\n</html>\n",
        lang = escape(&corpus.site.language),
        title = escape(&corpus.site.short_title),
        count = coverage.rows.len(),
        stylesheet = escape(stylesheet),
    );
    (COVERAGE_PAGE.to_string(), html)
}
