//! A page's context: its title, description, links to the other editions and its body.

use std::collections::BTreeSet;

use crate::editions::connections::RelatedRow;
use crate::editions::strings::fill;
use crate::editions::{
    by_instrument, connections, paths, Alternate, CitationView, ConnectionsView, ContentsEntry, ContentsGroup,
    ContentsStyle, EditionCard, EditionFile, EditionSet, EditionView, Explained, GlossaryStyle, InstrumentCitations,
    InstrumentLink, LawGroup, LawStyle, Page, PageBody, PageContext, PageKind, PrintView, RecommendationLink,
    RecommendationView, SiteView, StatementLink, StatementView, TermView, TopicGroup,
};
use crate::kinds::LegalStatus;
use crate::model::{Corpus, Instrument, Recommendation, Statement};

/// What a page kind contributes to its context.
struct PageParts {
    title: String,
    description: String,
    alternates: Vec<Alternate>,
    body: PageBody,
}

impl<'a> EditionSet<'a> {
    /// Builds the context a page's template gets.
    pub fn context(&self, page: &Page) -> PageContext {
        let edition = page.kind.edition().and_then(|e| self.editions.get(e).copied());
        let parts = match (page.kind, edition) {
            (PageKind::Landing, _) => Some(self.landing()),
            (PageKind::NotFound, _) => Some(self.not_found()),
            (PageKind::EditionHome { .. }, Some(edition)) => Some(self.home(edition)),
            (PageKind::Statement { statement, .. }, Some(edition)) => self.statement_parts(edition, statement),
            (PageKind::Recommendations { .. }, Some(edition)) => Some(self.recommendations_parts(edition)),
            (PageKind::Recommendation { recommendation, .. }, Some(edition)) => {
                self.recommendation_parts(edition, recommendation)
            }
            (PageKind::LawIndex { .. }, Some(edition)) => Some(self.law_index_parts(edition)),
            (PageKind::Law { instrument, .. }, Some(edition)) => self.law_parts(edition, instrument),
            (PageKind::Glossary { .. }, Some(edition)) => Some(self.glossary_parts(edition)),
            (PageKind::Print { .. }, Some(edition)) => Some(self.print_parts(edition)),
            (PageKind::Connections { .. }, Some(edition)) => Some(self.connections_parts(edition)),
            (PageKind::Search { .. }, Some(edition)) => Some(self.search_parts(edition)),
            // Planning makes pages only of the set's own editions and items.
            (_, None) => None,
        };
        // A page whose edition or item is not in the set (planning never makes one) is shown as
        // not found rather than as another page.
        let PageParts { title, description, alternates, body } = parts.unwrap_or_else(|| self.not_found());
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
            noindex: false,
            draft: self.draft,
            site: self.site.clone(),
            edition: edition.map(|e| edition_view(e, &self.corpus.site)),
            alternates,
            page: body,
        }
    }

    /// The edition's home page: its contents.
    fn home(&self, edition: &EditionFile) -> PageParts {
        PageParts {
            title: edition.name.clone(),
            description: edition.description.clone(),
            alternates: self.alternates(&edition.id, |e| Some(paths::edition_home(&e.id))),
            body: PageBody::EditionIndex {
                groups: self.contents_groups(edition),
                instruments: self.corpus.instruments.len(),
            },
        }
    }

    /// The statements under their groups, in the order of each group's first statement, with
    /// the statements that have no group last. A list edition has one untitled group.
    fn contents_groups(&self, edition: &EditionFile) -> Vec<ContentsGroup> {
        let handbook = edition.contents == ContentsStyle::Handbook;
        let grouped = edition.contents != ContentsStyle::List;
        let mut groups: Vec<ContentsGroup> = Vec::new();
        let mut ungrouped = Vec::new();
        for statement in &self.corpus.statements {
            let entry = ContentsEntry {
                link: statement_link(edition, statement),
                law: if handbook { self.handbook_law(edition, statement) } else { Vec::new() },
                wording: handbook.then(|| statement.statement.clone()),
                full_version: if handbook { self.full_version_link(edition, statement) } else { None },
            };
            match statement.group.as_deref().filter(|_| grouped) {
                Some(title) => match groups.iter_mut().find(|g| g.title.as_deref() == Some(title)) {
                    Some(group) => group.statements.push(entry),
                    None => groups.push(ContentsGroup {
                        title: Some(title.to_string()),
                        anchor: format!("group-{}", groups.len() + 1),
                        statements: vec![entry],
                    }),
                },
                None => ungrouped.push(entry),
            }
        }
        if !ungrouped.is_empty() {
            // Under a heading only when other statements have one.
            let title = (!groups.is_empty()).then(|| edition.words.contents_other_group.clone());
            groups.push(ContentsGroup { title, anchor: format!("group-{}", groups.len() + 1), statements: ungrouped });
        }
        groups
    }

    /// A statement's law for the handbook: each instrument once, in register order (Acts, then
    /// regulations, then guidance), as the connections table lists them.
    fn handbook_law(&self, edition: &EditionFile, statement: &Statement) -> Vec<InstrumentCitations> {
        let mut law = by_instrument(&self.citations(edition, &statement.cites), &edition.words.and_word);
        law.sort_by_key(|l| self.corpus.index.instruments.get(&l.instrument).copied());
        law
    }

    /// A statement's page in the edition that shows it in full, for a short edition.
    pub(super) fn full_version_link(&self, edition: &EditionFile, statement: &Statement) -> Option<Alternate> {
        self.full_version(edition).map(|full| Alternate {
            edition: full.id.clone(),
            name: full.name.clone(),
            href: paths::statement(&full.id, &statement.id),
            current: false,
        })
    }

    /// A statement's page.
    fn statement_parts(&self, edition: &EditionFile, statement: usize) -> Option<PageParts> {
        if statement >= self.corpus.statements.len() {
            return None;
        }
        let s = &self.corpus.statements[statement];
        Some(PageParts {
            title: fill(
                &edition.words.statement_title,
                &[("number", &s.number.to_string()), ("title", edition.title_text.of(s))],
            ),
            description: s.headline.clone(),
            alternates: self.alternates(&edition.id, |e| Some(paths::statement(&e.id, &s.id))),
            body: PageBody::Statement(Box::new(self.statement_view(edition, s, statement))),
        })
    }

    /// The recommendations, by topic.
    fn recommendations_parts(&self, edition: &EditionFile) -> PageParts {
        let mut topics: Vec<TopicGroup> = Vec::new();
        for recommendation in &self.corpus.recommendations {
            let link = self.recommendation_link(edition, recommendation);
            match topics.iter_mut().find(|t| t.topic == recommendation.topic) {
                Some(group) => group.recommendations.push(link),
                None => topics.push(TopicGroup { topic: recommendation.topic.clone(), recommendations: vec![link] }),
            }
        }
        PageParts {
            title: edition.words.recommendations_title.clone(),
            description: fill(&edition.words.recommendations_description, &[("site", &self.site.title)]),
            alternates: self.alternates(&edition.id, |e| e.recommendations.then(|| paths::recommendations(&e.id))),
            body: PageBody::Recommendations { topics },
        }
    }

    /// A recommendation's page.
    fn recommendation_parts(&self, edition: &EditionFile, recommendation: usize) -> Option<PageParts> {
        if recommendation >= self.corpus.recommendations.len() {
            return None;
        }
        let r = &self.corpus.recommendations[recommendation];
        let law = self.citations(edition, &r.cites);
        let view = RecommendationView {
            id: r.id.clone(),
            number: r.number,
            title: r.title.clone(),
            topic: r.topic.clone(),
            who: r.who.clone(),
            action: r.action.clone(),
            law_by_instrument: by_instrument(&law, &edition.words.and_word),
            law,
            statements: self
                .corpus
                .statements_of_recommendation(recommendation)
                .map(|s| statement_link(edition, s))
                .collect(),
        };
        Some(PageParts {
            title: fill(&edition.words.recommendation_title, &[("number", &r.number.to_string()), ("title", &r.title)]),
            description: fill(&edition.words.recommendation_description, &[("title", &r.title)]),
            alternates: self
                .alternates(&edition.id, |e| e.recommendations.then(|| paths::recommendation(&e.id, &r.id))),
            body: PageBody::Recommendation(Box::new(view)),
        })
    }

    /// The law index, by kind of instrument.
    fn law_index_parts(&self, edition: &EditionFile) -> PageParts {
        let mut groups: Vec<LawGroup> = Vec::new();
        for instrument in &self.corpus.instruments {
            let link = instrument_link(self.corpus, &edition.id, instrument);
            let kind = kind_label(edition, instrument.kind);
            match groups.iter_mut().find(|g| g.kind == kind) {
                Some(group) => group.instruments.push(link),
                None => groups.push(LawGroup { kind, instruments: vec![link] }),
            }
        }
        PageParts {
            title: edition.words.law_index_title.clone(),
            description: edition.words.law_index_description.clone(),
            alternates: self.alternates(&edition.id, |e| Some(paths::law_index(&e.id))),
            body: PageBody::LawIndex { groups },
        }
    }

    /// A piece of law's page.
    fn law_parts(&self, edition: &EditionFile, instrument: usize) -> Option<PageParts> {
        if instrument >= self.corpus.instruments.len() {
            return None;
        }
        let i = &self.corpus.instruments[instrument];
        // The plain edition names and describes the law in its readers' words.
        let plain = edition.law == LawStyle::Plain;
        Some(PageParts {
            title: if plain { i.easy_read_name.clone() } else { i.title.clone() },
            description: if plain { i.easy_read.clone() } else { i.summary.clone() },
            alternates: self.alternates(&edition.id, |e| Some(paths::law(&e.id, &i.id))),
            body: PageBody::Law(Box::new(self.law_view(edition, i))),
        })
    }

    /// The glossary.
    fn glossary_parts(&self, edition: &EditionFile) -> PageParts {
        let easy_read_words: BTreeSet<&str> = match edition.glossary {
            GlossaryStyle::EasyRead => self
                .corpus
                .statements
                .iter()
                .flat_map(|s| s.easy_read.iter().flat_map(|b| b.sentences.iter()))
                .flat_map(|sentence| crate::text::readability::words(sentence))
                .collect(),
            GlossaryStyle::Definition => BTreeSet::new(),
        };
        let mut terms: Vec<TermView> = self
            .corpus
            .terms
            .iter()
            .map(|t| TermView {
                id: t.id.clone(),
                // Young people look a word up as they met it (`easy_read_term`, else the term
                // without its adult alternatives in brackets), with only the abbreviations the
                // easy read itself uses.
                term: match edition.glossary {
                    GlossaryStyle::Definition => t.term.clone(),
                    GlossaryStyle::EasyRead => t.easy_read_term.clone().unwrap_or_else(|| without_brackets(&t.term)),
                },
                abbreviations: match edition.glossary {
                    GlossaryStyle::Definition => t.abbreviations.clone(),
                    GlossaryStyle::EasyRead => {
                        t.abbreviations.iter().filter(|a| easy_read_words.contains(a.as_str())).cloned().collect()
                    }
                },
                text: match edition.glossary {
                    GlossaryStyle::Definition => t.definition.clone(),
                    GlossaryStyle::EasyRead => t.easy_read.clone(),
                },
            })
            .collect();
        // Headwords the easy read renames ("Council") take their own place in the order.
        if edition.glossary == GlossaryStyle::EasyRead {
            terms.sort_by_key(|t| t.term.to_lowercase());
        }
        PageParts {
            title: edition.words.glossary_title.clone(),
            description: edition.words.glossary_description.clone(),
            alternates: self.alternates(&edition.id, |e| e.pages.glossary.then(|| paths::glossary(&e.id))),
            body: PageBody::Glossary { terms },
        }
    }

    /// The whole edition on one page, for printing.
    fn print_parts(&self, edition: &EditionFile) -> PageParts {
        let statements: Vec<StatementView> =
            self.corpus.statements.iter().enumerate().map(|(i, s)| self.statement_view(edition, s, i)).collect();
        let mut words: Vec<Explained> = Vec::new();
        for view in &statements {
            for block in &view.easy_read {
                for word in &block.explained {
                    // One entry per term: "foster carer" and "foster carers" share a meaning, and
                    // the list gives the shorter form.
                    match words.iter_mut().find(|w| w.meaning == word.meaning) {
                        Some(known) if word.word.len() < known.word.len() => known.word = word.word.clone(),
                        Some(_) => {}
                        None => words.push(Explained { word: word.word.clone(), meaning: word.meaning.clone() }),
                    }
                }
            }
        }
        words.sort_by_key(|w| w.word.to_lowercase());
        let paper = self.corpus.site.print_paper.get(&edition.id).copied().unwrap_or(edition.print_paper);
        let full_edition = self.full_version(edition).map(|full| {
            let home = paths::edition_home(&full.id);
            match &self.base_url {
                Some(base) => format!("{base}{home}"),
                None => home,
            }
        });
        PageParts {
            title: edition.words.print_title.clone(),
            description: edition.words.print_description.clone(),
            alternates: self.alternates(&edition.id, |e| e.pages.print.then(|| paths::print(&e.id))),
            // A title page, then a contents page, then one statement per page.
            body: PageBody::Print(Box::new(PrintView {
                paper,
                statements,
                words,
                first_statement_page: edition.print_front_pages + 1,
                full_edition,
            })),
        }
    }

    /// The connections page: the statements against the law they cite, as a table.
    fn connections_parts(&self, edition: &EditionFile) -> PageParts {
        let statements = &self.corpus.statements;
        let citations: Vec<Vec<CitationView>> = statements.iter().map(|s| self.citations(edition, &s.cites)).collect();
        let related = statements
            .iter()
            .filter(|s| !s.related.is_empty())
            .map(|s| RelatedRow {
                statement: statement_link(edition, s),
                related: s
                    .related
                    .iter()
                    .filter_map(|rid| self.corpus.statement(rid))
                    .map(|r| statement_link(edition, r))
                    .collect(),
            })
            .collect();
        PageParts {
            title: edition.words.connections_title.clone(),
            description: edition.words.connections_description.clone(),
            alternates: self.alternates(&edition.id, |e| e.diagram.then(|| paths::connections(&e.id))),
            body: PageBody::Connections(Box::new(ConnectionsView {
                tables: connections::matrix(
                    self.corpus,
                    edition,
                    &statements.iter().map(|s| statement_link(edition, s)).collect::<Vec<_>>(),
                    &citations,
                ),
                related,
            })),
        }
    }

    /// The search page.
    fn search_parts(&self, edition: &EditionFile) -> PageParts {
        PageParts {
            title: edition.words.search_title.clone(),
            description: edition.words.search_description.clone(),
            alternates: self.alternates(&edition.id, |e| e.pages.search.then(|| paths::search(&e.id))),
            body: PageBody::Search { index: paths::search_index(&edition.id) },
        }
    }

    /// The 404 page.
    fn not_found(&self) -> PageParts {
        PageParts {
            title: "Page not found".to_string(),
            description: "There is no page at this address.".to_string(),
            alternates: Vec::new(),
            body: PageBody::NotFound { editions: self.edition_cards() },
        }
    }

    /// The landing page: every edition.
    fn landing(&self) -> PageParts {
        let editions = self.edition_cards();
        let description =
            if self.site.description.is_empty() { self.site.title.clone() } else { self.site.description.clone() };
        PageParts {
            title: self.site.title.clone(),
            description,
            alternates: Vec::new(),
            body: PageBody::Landing { editions },
        }
    }

    /// A card for each edition, for the pages that offer them all.
    pub(super) fn edition_cards(&self) -> Vec<EditionCard> {
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

    pub(super) fn alternates(
        &self,
        current: &str,
        path_for: impl Fn(&EditionFile) -> Option<String>,
    ) -> Vec<Alternate> {
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
    pub(super) fn full_version(&self, edition: &EditionFile) -> Option<&'a EditionFile> {
        let full = edition.full_version.as_deref().filter(|id| *id != edition.id)?;
        self.editions.iter().copied().find(|e| e.id == full)
    }

    /// Where an edition links a recommendation: its own page, or the edition it names.
    pub(super) fn recommendation_link(
        &self,
        edition: &EditionFile,
        recommendation: &Recommendation,
    ) -> RecommendationLink {
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

/// A term without its bracketed alternatives: "Children's home (residential care)" is
/// "Children's home".
fn without_brackets(term: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in term.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.is_empty() {
        term.to_string()
    } else {
        out
    }
}

/// An instrument's title with its year when the title does not say it: guidance is revised under
/// much the same name ("Promoting the health and wellbeing of looked-after children", 2009 and
/// 2015), and a reader needs to know which one is meant.
pub(super) fn dated_title(instrument: &Instrument) -> String {
    let year = instrument.year.to_string();
    if instrument.year == 0 || instrument.title.contains(&year) {
        instrument.title.clone()
    } else {
        format!("{} ({year})", instrument.title)
    }
}

/// The heading of a kind of instrument, in the edition's words ("Acts of Parliament", "Laws").
pub(super) fn kind_label(edition: &EditionFile, kind: crate::kinds::InstrumentKind) -> String {
    use crate::kinds::InstrumentKind::*;
    let words = &edition.words;
    match kind {
        Act => words.kind_act.clone(),
        Regulations => words.kind_regulations.clone(),
        StatutoryGuidance => words.kind_statutory_guidance.clone(),
        Standards => words.kind_standards.clone(),
        Guidance => words.kind_guidance.clone(),
    }
}

pub(super) fn status_label(status: LegalStatus) -> Option<String> {
    match status {
        LegalStatus::InForce => None,
        LegalStatus::Superseded => Some("superseded".to_string()),
        LegalStatus::Prospective => Some("not yet in force".to_string()),
    }
}

/// A YYYY-MM-DD date as people write it in `language`: "1 November 2012" in English, "1 Tachwedd
/// 2012" in Welsh. Other languages, which have no month names here yet, keep the form it is in.
pub(super) fn written_date(date: &str, language: &str) -> String {
    const WELSH: [&str; 12] = [
        "Ionawr",
        "Chwefror",
        "Mawrth",
        "Ebrill",
        "Mai",
        "Mehefin",
        "Gorffennaf",
        "Awst",
        "Medi",
        "Hydref",
        "Tachwedd",
        "Rhagfyr",
    ];
    let months = match language.split('-').next().unwrap_or("").to_ascii_lowercase().as_str() {
        "en" => crate::model::ENGLISH_MONTHS,
        "cy" => WELSH,
        _ => return date.to_string(),
    };
    let mut parts = date.splitn(3, '-');
    let (Some(year), Some(month), Some(day)) = (parts.next(), parts.next(), parts.next()) else {
        return date.to_string();
    };
    match (month.parse::<usize>(), day.parse::<u32>()) {
        (Ok(month @ 1..=12), Ok(day)) => format!("{day} {} {year}", months[month - 1]),
        _ => date.to_string(),
    }
}

pub(super) fn site_view(corpus: &Corpus) -> SiteView {
    let site = &corpus.site;
    SiteView {
        title: site.title.clone(),
        short_title: site.short_title.clone(),
        publisher: site.publisher.clone(),
        reference: site.reference.clone(),
        version: site.version.clone(),
        date: site.date.clone(),
        date_text: written_date(&site.date, &site.language),
        language: site.language.clone(),
        description: site.description.clone(),
        phase: site.phase.clone(),
        phase_text: site.phase_text.clone(),
        licence: site.licence.clone(),
        licence_url: site.licence_url.clone(),
    }
}

pub(super) fn edition_view(edition: &EditionFile, site: &crate::model::Site) -> EditionView {
    EditionView {
        id: edition.id.clone(),
        site_name: site.edition_titles.get(&edition.id).unwrap_or(&site.short_title).clone(),
        name: edition.name.clone(),
        audience: edition.audience.clone(),
        description: edition.description.clone(),
        law: edition.law,
        has_recommendations: edition.recommendations,
        home: paths::edition_home(&edition.id),
        law_index: paths::law_index(&edition.id),
        glossary: edition.pages.glossary.then(|| paths::glossary(&edition.id)),
        recommendations_index: edition.recommendations.then(|| paths::recommendations(&edition.id)),
        contents_headlines: edition.contents_headlines,
        strings: edition.words.clone(),
        print: edition.pages.print.then(|| paths::print(&edition.id)),
        search: edition.pages.search.then(|| paths::search(&edition.id)),
        connections: edition.diagram.then(|| paths::connections(&edition.id)),
    }
}

pub(super) fn statement_link(edition: &EditionFile, statement: &Statement) -> StatementLink {
    StatementLink {
        id: statement.id.clone(),
        number: statement.number,
        title: edition.title_text.of(statement).to_string(),
        headline: statement.headline.clone(),
        href: paths::statement(&edition.id, &statement.id),
    }
}

pub(super) fn instrument_link(corpus: &Corpus, edition: &str, instrument: &Instrument) -> InstrumentLink {
    let cited = corpus.cited_by.get(&instrument.id).map_or(0, |c| c.statements.len() + c.recommendations.len());
    InstrumentLink {
        id: instrument.id.clone(),
        title: dated_title(instrument),
        summary: instrument.summary.clone(),
        easy_read: instrument.easy_read.clone(),
        easy_read_name: instrument.easy_read_name.clone(),
        kind_id: instrument.kind,
        href: paths::law(edition, &instrument.id),
        cited,
    }
}

/// The context of a publisher's report, which belongs to no edition: the theme's `report.html`
/// shows it in the site's own layout.
pub fn report_context(corpus: &Corpus, path: &str, title: &str, lead: &str, html: String) -> PageContext {
    PageContext {
        root: paths::root_of(path),
        path: path.to_string(),
        canonical: None,
        title: title.to_string(),
        description: lead.to_string(),
        noindex: true,
        draft: false,
        site: site_view(corpus),
        edition: None,
        alternates: Vec::new(),
        page: PageBody::Report { heading: title.to_string(), lead: lead.to_string(), html },
    }
}

#[cfg(test)]
mod tests {
    use super::{without_brackets, written_date};

    #[test]
    fn an_easy_read_headword_loses_its_bracketed_alternatives() {
        assert_eq!(without_brackets("Local authority (council)"), "Local authority");
        assert_eq!(without_brackets("Looked-after child (child in care)"), "Looked-after child");
        assert_eq!(without_brackets("(only brackets)"), "(only brackets)");
        assert_eq!(without_brackets("Foster carer"), "Foster carer");
    }

    #[test]
    fn dates_are_written_as_people_write_them() {
        assert_eq!(written_date("2012-11-01", "en-GB"), "1 November 2012");
        assert_eq!(written_date("2026-03-24", "en"), "24 March 2026");
        assert_eq!(written_date("2012-11-01", "cy"), "1 Tachwedd 2012");
        // No month names for the language yet: the date stays as written.
        assert_eq!(written_date("2012-11-01", "fr"), "2012-11-01");
    }
}
