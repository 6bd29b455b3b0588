//! The publisher's reports: edition coverage and readability. Written beside the editions under
//! `reports/`, never linked from them, and kept out of search engines by `robots.txt`.

use crate::diagnostics::Diagnostics;
use crate::editions::coverage::Coverage;
use crate::editions::{report_context, Page};
use crate::model::Corpus;
use crate::outputs::html::render::{render_context, Templates};
use crate::outputs::{Body, Emitted, FileOutcome, Finish, OutputFormat, Publication};
use crate::text::markdown::escape;
use crate::text::readability::EditionFigures;

/// The reports as an output format, rendered through the theme's `report.html` so that they
/// look like the rest of the site.
pub struct Reports<'t> {
    pub templates: &'t Templates,
    /// The theme folder as named in messages.
    pub theme_label: &'t str,
}

impl OutputFormat for Reports<'_> {
    fn name(&self) -> &'static str {
        "reports"
    }

    fn plan(&self, _corpus: &Corpus, _pages: &[Page]) -> Vec<String> {
        vec![COVERAGE_PAGE.to_string(), REPORT_PAGE.to_string()]
    }

    fn render(
        &self,
        publication: &Publication<'_>,
        finish: &Finish<'_>,
        diagnostics: &mut Diagnostics,
    ) -> Vec<FileOutcome> {
        let reports = [
            (
                COVERAGE_PAGE,
                "Edition coverage",
                "For each statement, whether each edition has its own text, reviewed against the statement's current wording. A publisher's report: the editions do not link to it.",
                coverage_body(publication.coverage),
            ),
            (
                REPORT_PAGE,
                "Readability",
                "Figures for each edition and page: a publisher's report, not linked from the editions. Only the reader's text is measured: the content each page shows, not its navigation, headings or links. The exact wording of statements and recommendations, which must not change, is quoted text: counted apart, never held to a limit. A page of fewer than 100 words is held only to the sentence limit, since a grade of a few sentences means little. Flesch reading ease (higher is easier) and Flesch–Kincaid grade (a UK reading age is about the grade plus 5) are advisory; the Easy Read rules are checked sentence by sentence on every build.",
                readability_body(publication.readability),
            ),
        ];
        let mut outcomes = Vec::new();
        for (path, title, lead, body) in reports {
            let started = std::time::Instant::now();
            let context = report_context(publication.corpus, path, title, lead, body);
            match render_context(self.templates, self.theme_label, "report.html", &context) {
                Ok(html) => outcomes.push(finish(Emitted {
                    path,
                    page: None,
                    body: Body::Text(html),
                    render_time: started.elapsed(),
                })),
                Err(problem) => diagnostics.push(problem),
            }
        }
        outcomes
    }
}

/// Where the coverage report is written.
pub const COVERAGE_PAGE: &str = "reports/coverage.html";

/// The coverage report's table, for publishers.
fn coverage_body(coverage: &Coverage) -> String {
    let mut rows = String::new();
    for row in &coverage.rows {
        rows.push_str(&format!("<tr><th scope=\"row\">{} {}</th>", row.number, escape(&row.title)));
        for (edition, state) in &row.editions {
            let href = crate::editions::paths::statement(edition, &row.id);
            rows.push_str(&format!(
                "<td><a href=\"../{}\">{}<span class=\"visually-hidden\"> ({} edition)</span></a></td>",
                escape(&href),
                escape(state.label()),
                escape(edition)
            ));
        }
        rows.push_str("</tr>\n");
    }
    let headers: String = coverage.editions.iter().map(|e| format!("<th scope=\"col\">{}</th>", escape(e))).collect();
    format!(
        "<div class=\"table-wrapper\" tabindex=\"0\" role=\"region\" aria-label=\"Coverage of the statements\">\n<table>\n<caption>Coverage of the {count} statements</caption>\n<thead><tr><th scope=\"col\">Statement</th>{headers}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n</div>\n<p><a href=\"readability.html\">Readability report</a> · <a href=\"../index.html\">Back to the publication</a></p>\n",
        count = coverage.rows.len(),
    )
}

/// Where the readability report is written.
pub const REPORT_PAGE: &str = "reports/readability.html";

/// The readability report's tables, for publishers.
fn readability_body(editions: &[EditionFigures]) -> String {
    let mut summary = String::new();
    for e in editions {
        summary.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{:.1}</td><td>{}</td><td>{:.0}</td><td>{:.1}</td><td>{}</td></tr>\n",
            escape(&e.name),
            e.total.words,
            e.total.sentences,
            e.total.average_sentence(),
            e.total.longest_sentence,
            e.total.reading_ease(),
            e.total.grade(),
            e.exceeding().len()
        ));
    }
    let mut details = String::new();
    for e in editions {
        let limits = [
            e.limits.sentence_words.map(|l| format!("sentences of at most {l} words")),
            e.limits.grade.map(|l| format!("grade at most {l}")),
            e.limits.reading_ease.map(|l| format!("reading ease at least {l}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
        details.push_str(&format!(
            "<h2 id=\"{}\">{}</h2>\n<p>Limits: {}.</p>\n",
            escape(&e.edition),
            escape(&e.name),
            if limits.is_empty() { "none".to_string() } else { escape(&limits) }
        ));
        details.push_str(&format!("<div class=\"table-wrapper\" tabindex=\"0\" role=\"region\" aria-label=\"Pages of the {}\"><table>\n<caption>Pages of this edition</caption>\n<thead><tr><th scope=\"col\">Page</th><th scope=\"col\">Words</th><th scope=\"col\">Sentences</th><th scope=\"col\">Average sentence</th><th scope=\"col\">Longest sentence</th><th scope=\"col\">Reading ease</th><th scope=\"col\">Grade</th><th scope=\"col\">Quoted words</th><th scope=\"col\">Over a limit</th></tr></thead>\n<tbody>\n", escape(&e.name)));
        let over: std::collections::BTreeMap<&str, String> = e.exceeding().into_iter().collect();
        for (path, reading) in &e.pages {
            let f = &reading.figures;
            details.push_str(&format!(
                "<tr><th scope=\"row\"><a href=\"../{}\">{}</a></th><td>{}</td><td>{}</td><td>{:.1}</td><td>{}</td><td>{:.0}</td><td>{:.1}</td><td>{}</td><td>{}</td></tr>\n",
                escape(path),
                escape(path),
                f.words,
                f.sentences,
                f.average_sentence(),
                f.longest_sentence,
                f.reading_ease(),
                f.grade(),
                reading.quoted_words,
                escape(over.get(path.as_str()).map_or("", String::as_str))
            ));
        }
        details.push_str("</tbody>\n</table></div>\n");
    }
    format!(
        "<div class=\"table-wrapper\" tabindex=\"0\" role=\"region\" aria-label=\"Each edition as a whole\"><table>\n<caption>Each edition as a whole</caption>\n<thead><tr><th scope=\"col\">Edition</th><th scope=\"col\">Words</th><th scope=\"col\">Sentences</th><th scope=\"col\">Average sentence</th><th scope=\"col\">Longest sentence</th><th scope=\"col\">Reading ease</th><th scope=\"col\">Grade</th><th scope=\"col\">Pages over a limit</th></tr></thead>\n<tbody>\n{summary}</tbody>\n</table></div>\n{details}<p><a href=\"coverage.html\">Edition coverage report</a> · <a href=\"../index.html\">Back to the publication</a></p>\n"
    )
}
