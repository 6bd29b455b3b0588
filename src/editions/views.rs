//! What a page's template receives: small views that borrow nothing, built per page.

use serde::Serialize;

use crate::editions::strings::Strings;
use crate::editions::{LawStyle, StatementText};
use crate::kinds::{Audience, PaperSize};
use crate::model::Measure;

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
    /// Keep the page out of search engines (the publisher's reports).
    pub noindex: bool,
    /// The page is from a draft build, which may hold text still marked `FILL IN`.
    pub draft: bool,
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
    /// The date as written in `site.yaml`, YYYY-MM-DD (for `<time datetime>`).
    pub date: String,
    /// The date as people write it in the site's language: "1 November 2012".
    pub date_text: String,
    pub language: String,
    pub description: String,
    pub phase: Option<String>,
    pub phase_text: Option<String>,
    pub licence: Option<String>,
    pub licence_url: Option<String>,
}

/// Edition details for templates.
#[derive(Debug, Clone, Serialize)]
pub struct EditionView {
    pub id: String,
    /// The publication's short title in this edition's words (`site.yaml`'s `edition_titles`).
    pub site_name: String,
    pub name: String,
    pub audience: String,
    pub description: String,
    pub law: LawStyle,
    pub has_recommendations: bool,
    pub home: String,
    pub law_index: String,
    pub glossary: Option<String>,
    pub recommendations_index: Option<String>,
    pub print: Option<String>,
    pub search: Option<String>,
    pub connections: Option<String>,
    pub contents_headlines: bool,
    /// The words its pages put around the content.
    pub strings: std::sync::Arc<Strings>,
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
    Landing {
        editions: Vec<EditionCard>,
    },
    EditionIndex {
        /// The statements under their groups (one untitled group when the edition lists them
        /// in one list).
        groups: Vec<ContentsGroup>,
        instruments: usize,
    },
    Statement(Box<StatementView>),
    Recommendations {
        topics: Vec<TopicGroup>,
    },
    Recommendation(Box<RecommendationView>),
    LawIndex {
        groups: Vec<LawGroup>,
    },
    Law(Box<LawView>),
    Glossary {
        terms: Vec<TermView>,
    },
    Print(Box<PrintView>),
    Connections(Box<ConnectionsView>),
    Search {
        index: String,
    },
    NotFound {
        editions: Vec<EditionCard>,
    },
    /// A publisher's report: its heading, lead paragraph and tables (HTML made by the report).
    Report {
        heading: String,
        lead: String,
        html: String,
    },
}

/// The connections page: a matrix of the statements against the law they cite, and the
/// statements that relate to each other.
#[derive(Debug, Serialize)]
pub struct ConnectionsView {
    /// The statements against the law they cite: one table, or one per run of statements in a
    /// large publication.
    pub tables: Vec<crate::editions::connections::MatrixTable>,
    /// Statements with related statements.
    pub related: Vec<crate::editions::connections::RelatedRow>,
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

/// Statements listed under one heading of a contents page.
#[derive(Debug, Serialize)]
pub struct ContentsGroup {
    /// The heading; none for statements that have no group, or for an ungrouped list.
    pub title: Option<String>,
    /// An id for the heading, for the handbook's list of groups.
    pub anchor: String,
    pub statements: Vec<ContentsEntry>,
}

/// A statement in a contents page. A handbook shows its law and exact wording as well.
#[derive(Debug, Serialize)]
pub struct ContentsEntry {
    #[serde(flatten)]
    pub link: StatementLink,
    /// Its pointers to the law, each instrument once with its parts, in a handbook.
    pub law: Vec<InstrumentCitations>,
    /// Its exact wording, in a handbook.
    pub wording: Option<String>,
    /// Its page in the edition that shows it in full, in a handbook.
    pub full_version: Option<Alternate>,
}

/// A statement that cites a piece of law, with the parts it cites ("section 22", "regulation 5");
/// none when it cites the whole.
#[derive(Debug, Clone, Serialize)]
pub struct CitingStatement {
    #[serde(flatten)]
    pub link: StatementLink,
    pub parts: Vec<String>,
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
    /// When set, the text is a quotation and this sentence introduces it.
    pub intro: Option<String>,
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
    /// The kind's heading in the edition's words.
    pub kind: String,
    /// The kind itself (`act`, `statutory-guidance`), for templates that choose by it.
    pub kind_id: crate::kinds::InstrumentKind,
    /// The instrument's name in young people's words.
    pub easy_read_name: String,
    /// The same name inside a sentence: "the health guide" for "The health guide".
    pub easy_read_name_in_sentence: String,
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
    /// The cited parts in a phrase, as people write them ("sections 22 and 22C; regulation 5");
    /// empty when it is cited as a whole.
    pub parts_text: String,
}

/// Groups citations by instrument, in the order each instrument is first cited. `and` is the
/// edition's word for "and", for the parts phrase.
pub(super) fn by_instrument(law: &[CitationView], and: &str) -> Vec<InstrumentCitations> {
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
                parts_text: String::new(),
            }),
        }
    }
    for group in &mut groups {
        let labels: Vec<&str> = group.parts.iter().filter_map(|p| p.pinpoint_label.as_deref()).collect();
        group.parts_text = parts_phrase(&labels, and);
    }
    groups
}

/// Part labels as one phrase: labels of the same kind together ("section 22", "section 22C" ->
/// "sections 22 and 22C"), kinds apart with semicolons, since a label may hold a comma itself
/// ("Schedule 2, paragraph 19B").
pub fn parts_phrase(labels: &[&str], and: &str) -> String {
    // Runs of labels that start with the same word, each with its numbers.
    let mut runs: Vec<(&str, Vec<&str>)> = Vec::new();
    for label in labels {
        match label.split_once(' ').filter(|(_, number)| !number.contains([',', ' '])) {
            Some((noun, number)) => match runs.last_mut().filter(|(n, numbers)| *n == noun && !numbers.is_empty()) {
                Some((_, numbers)) => numbers.push(number),
                None => runs.push((noun, vec![number])),
            },
            None => runs.push((label, Vec::new())),
        }
    }
    let list = |items: &[&str]| match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    };
    let phrases: Vec<String> = runs
        .iter()
        .map(|(noun, numbers)| match numbers.len() {
            0 => (*noun).to_string(),
            1 => format!("{noun} {}", numbers[0]),
            _ => format!("{noun}s {}", list(numbers)),
        })
        .collect();
    phrases.join("; ")
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
    pub kind: String,
    pub instruments: Vec<InstrumentLink>,
}

/// A link to a law page.
#[derive(Debug, Serialize)]
pub struct InstrumentLink {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub easy_read: String,
    /// The instrument's name in young people's words.
    pub easy_read_name: String,
    /// The kind of instrument (`act`, `statutory-guidance`).
    pub kind_id: crate::kinds::InstrumentKind,
    pub href: String,
    pub cited: usize,
}

/// A register entry's page: what it is, and every statement and recommendation citing it.
#[derive(Debug, Serialize)]
pub struct LawView {
    pub id: String,
    pub title: String,
    /// The kind's heading in the edition's words.
    pub kind: String,
    /// The kind itself (`act`, `statutory-guidance`), for templates that choose by it.
    pub kind_id: crate::kinds::InstrumentKind,
    /// The instrument's name in young people's words.
    pub easy_read_name: String,
    /// The same name inside a sentence: "the health guide" for "The health guide".
    pub easy_read_name_in_sentence: String,
    pub year: u32,
    pub publisher: String,
    pub status: String,
    pub superseded_by: Option<InstrumentLink>,
    pub url: String,
    pub summary: String,
    pub easy_read: String,
    pub pinpoints: Vec<PinpointView>,
    /// The statements that cite it, each with the parts it cites.
    pub statements: Vec<CitingStatement>,
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

#[cfg(test)]
mod tests {
    use super::parts_phrase;

    #[test]
    fn parts_of_one_kind_are_written_together_and_kinds_apart() {
        assert_eq!(parts_phrase(&["section 22"], "and"), "section 22");
        assert_eq!(parts_phrase(&["section 10", "section 11"], "and"), "sections 10 and 11");
        assert_eq!(parts_phrase(&["section 22", "section 22C", "section 22G"], "and"), "sections 22, 22C and 22G");
        assert_eq!(
            parts_phrase(&["section 23CZA", "Schedule 2, paragraph 19B", "regulation 5"], "and"),
            "section 23CZA; Schedule 2, paragraph 19B; regulation 5"
        );
        assert_eq!(
            parts_phrase(&["regulation 5", "section 1", "regulation 7"], "and"),
            "regulation 5; section 1; regulation 7"
        );
        assert_eq!(parts_phrase(&[], "and"), "");
    }
}
