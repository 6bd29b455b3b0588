//! Page planning: every page of every edition, and what each page's content depends on.

use crate::editions::context::site_view;
use crate::editions::statement_view::GlossaryMatcher;
use crate::editions::{paths, EditionFile, SiteView};
use crate::model::Corpus;

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
    /// The edition the page belongs to (by position); none for the landing and not-found pages.
    pub fn edition(&self) -> Option<usize> {
        match *self {
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
            | PageKind::Search { edition } => Some(edition),
        }
    }

    /// Whether the page shows a whole edition at once (its size grows with the library).
    pub fn shows_whole_edition(&self) -> bool {
        matches!(self, PageKind::Print { .. } | PageKind::Connections { .. })
    }
}

/// The editions of one corpus: plans the pages, and builds each page's context on demand.
pub struct EditionSet<'a> {
    pub(super) corpus: &'a Corpus,
    pub(super) site: SiteView,
    pub(super) editions: Vec<&'a EditionFile>,
    pub(super) glossary: GlossaryMatcher<'a>,
    /// `--base-url`, ending in `/`.
    pub(super) base_url: Option<String>,
    /// For each statement, the statements that list it as related.
    pub(super) related_to: Vec<Vec<usize>>,
    /// A draft build: every page says so.
    pub(super) draft: bool,
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
            draft: false,
        }
    }

    /// Marks every page as part of a draft build (`build --draft`).
    pub fn draft(mut self, draft: bool) -> Self {
        self.draft = draft;
        self
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
            if edition.pages.glossary {
                pages.push(Page {
                    path: paths::glossary(id),
                    template: template("glossary.html"),
                    kind: PageKind::Glossary { edition: e },
                });
            }
            if edition.pages.print {
                pages.push(Page {
                    path: paths::print(id),
                    template: template("print.html"),
                    kind: PageKind::Print { edition: e },
                });
            }
            if edition.diagram {
                pages.push(Page {
                    path: paths::connections(id),
                    template: template("connections.html"),
                    kind: PageKind::Connections { edition: e },
                });
            }
            if edition.pages.search {
                pages.push(Page {
                    path: paths::search(id),
                    template: template("search.html"),
                    kind: PageKind::Search { edition: e },
                });
            }
        }
        pages.push(Page { path: "404.html".to_string(), template: "404.html".to_string(), kind: PageKind::NotFound });
        pages
    }

    /// Where a link by id (`[statement 2](qs-2)` in a text) leads from `page`, relative to it:
    /// on a print page a statement is further down the same page; a recommendation is shown in
    /// the page's edition, or else in its `recommendations_in` edition, as its lists link. None
    /// when the id is shown nowhere (the link then keeps its text only).
    pub fn id_link(&self, page: &Page, id: &str) -> Option<String> {
        let edition = self.editions.get(page.kind.edition()?)?;
        let root = paths::root_of(&page.path);
        let index = &self.corpus.index;
        if index.statements.contains_key(id) {
            return Some(match page.kind {
                PageKind::Print { .. } => format!("#{id}"),
                _ => format!("{root}{}", paths::statement(&edition.id, id)),
            });
        }
        if let Some(&position) = index.recommendations.get(id) {
            let recommendation = self.corpus.recommendations.get(position)?;
            return self.recommendation_link(edition, recommendation).href.map(|href| format!("{root}{href}"));
        }
        index.instruments.contains_key(id).then(|| format!("{root}{}", paths::law(&edition.id, id)))
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
            PageKind::EditionHome { .. } => {
                // Every statement's title and headline, and from the register the count of
                // instruments and, in a handbook, each statement's law.
                files.extend(corpus.statements.iter().map(|s| s.file.as_str()));
                files.extend(self.register_files());
            }
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

    pub(super) fn register_files(&self) -> Option<&'a str> {
        self.corpus.register_file.as_deref()
    }

    pub(super) fn glossary_files(&self) -> Option<&'a str> {
        self.corpus.glossary_file.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostics;
    use crate::editions::{theme, PageBody};
    use crate::model::Corpus;
    use crate::source::Root;

    /// The built-in sample and default theme, loaded and modelled in process.
    fn sample() -> (Corpus, theme::Theme) {
        let mut diagnostics = Diagnostics::new();
        let theme = theme::load(&Root::DefaultTheme, "theme", &mut diagnostics);
        let loaded = crate::load::load(&Root::SampleContent, "content", &mut diagnostics);
        let corpus = crate::model::resolve(loaded, &crate::pipeline::theme_facts(&theme), &mut diagnostics);
        assert!(!diagnostics.has_errors(), "{diagnostics:?}");
        (corpus.expect("the sample has a site.yaml"), theme)
    }

    fn count(pages: &[Page], matches: impl Fn(&PageKind) -> bool) -> usize {
        pages.iter().filter(|p| matches(&p.kind)).count()
    }

    #[test]
    fn every_edition_gets_its_pages_in_a_stable_order() {
        let (corpus, theme) = sample();
        let set = EditionSet::new(&corpus, &theme.editions, None);
        let pages = set.pages();
        assert_eq!(pages.first().map(|p| p.path.as_str()), Some("index.html"));
        assert_eq!(pages.last().map(|p| p.path.as_str()), Some("404.html"));
        let mut paths: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), pages.len(), "no path is planned twice");

        let (statements, instruments) = (corpus.statements.len(), corpus.instruments.len());
        assert_eq!((statements, instruments), (12, 24));
        assert_eq!(count(&pages, |k| matches!(k, PageKind::Statement { .. })), 4 * statements);
        assert_eq!(count(&pages, |k| matches!(k, PageKind::Law { .. })), 4 * instruments);
        for kind in
            [PageKind::EditionHome { edition: 0 }, PageKind::Glossary { edition: 0 }, PageKind::Search { edition: 0 }]
        {
            let same = |k: &PageKind| std::mem::discriminant(k) == std::mem::discriminant(&kind);
            assert_eq!(count(&pages, same), 4, "{kind:?}");
        }
        // Only the commissioner edition has recommendation pages; the two with `diagram: true`
        // have the connections page.
        let recommendations = corpus.recommendations.len();
        assert_eq!(count(&pages, |k| matches!(k, PageKind::Recommendation { .. })), recommendations);
        assert!(pages.iter().any(|p| p.path == "commissioner/recommendations/index.html"));
        let connections: Vec<&str> =
            pages.iter().filter(|p| matches!(p.kind, PageKind::Connections { .. })).map(|p| p.path.as_str()).collect();
        assert_eq!(connections, ["commissioner/connections.html", "carer/connections.html"]);
        // Planning twice gives the same list.
        let again: Vec<String> = set.pages().into_iter().map(|p| p.path).collect();
        assert_eq!(again, pages.iter().map(|p| p.path.clone()).collect::<Vec<_>>());
    }

    #[test]
    fn a_statement_page_shows_its_own_statement_and_links_to_its_neighbours() {
        let (corpus, theme) = sample();
        let set = EditionSet::new(&corpus, &theme.editions, None);
        let easy_read = set.editions.iter().position(|e| e.id == "easy-read").expect("an easy-read edition");
        let page = set.statement_page(easy_read, 1).expect("statement 2's page");
        assert_eq!(page.path, "easy-read/statements/qs-2.html");
        let context = set.context(&page);
        assert_eq!(context.root, "../../");
        assert!(context.title.starts_with("Part 2: "), "{}", context.title);
        assert_eq!(context.alternates.len(), 4, "one link per edition");
        let PageBody::Statement(view) = context.page else { panic!("not a statement body") };
        assert_eq!(view.id, "qs-2");
        assert_eq!(view.previous.as_ref().map(|l| l.href.as_str()), Some("easy-read/statements/qs-1.html"));
        assert_eq!(view.next.as_ref().map(|l| l.href.as_str()), Some("easy-read/statements/qs-3.html"));
        assert!(!view.easy_read.is_empty() && view.audiences.is_empty(), "easy read shows blocks, not audience texts");
        assert_eq!(view.full_version.as_ref().map(|f| f.href.as_str()), Some("commissioner/statements/qs-2.html"));
        // What the page depends on: its own file and its neighbours' (for their titles), the
        // register and glossary it shows.
        let files = set.dependencies(&page);
        for wanted in [&corpus.statements[0].file, &corpus.statements[1].file, &corpus.statements[2].file] {
            assert!(files.contains(&wanted.as_str()), "{wanted} missing from {files:?}");
        }
        assert!(!files.contains(&corpus.statements[5].file.as_str()));
    }

    #[test]
    fn a_law_page_lists_whoever_cites_it_in_its_own_edition() {
        let (corpus, theme) = sample();
        let set = EditionSet::new(&corpus, &theme.editions, None);
        let carer = set.editions.iter().position(|e| e.id == "carer").expect("a carer edition");
        let act = corpus.instruments.iter().position(|i| i.id == "children-act-1989").expect("the Children Act");
        let page = Page {
            path: paths::law("carer", "children-act-1989"),
            template: "carer/law.html".into(),
            kind: PageKind::Law { edition: carer, instrument: act },
        };
        let PageBody::Law(view) = set.context(&page).page else { panic!("not a law body") };
        let citing = corpus.cited_by.get("children-act-1989").map_or(0, |c| c.statements.len());
        assert!(citing > 0);
        assert_eq!(view.statements.len(), citing);
        assert!(view.statements.iter().all(|s| s.link.href.starts_with("carer/statements/")));
    }

    #[test]
    fn a_handbook_home_groups_its_statements_and_gives_each_its_law_and_wording() {
        let (corpus, theme) = sample();
        let set = EditionSet::new(&corpus, &theme.editions, None);
        let home = |id: &str| {
            let edition = set.editions.iter().position(|e| e.id == id).expect("the edition");
            Page {
                path: paths::edition_home(id),
                template: format!("{id}/index.html"),
                kind: PageKind::EditionHome { edition },
            }
        };
        let PageBody::EditionIndex { groups, .. } = set.context(&home("pocket")).page else { panic!("not an index") };
        let titles: Vec<Option<&str>> = groups.iter().map(|g| g.title.as_deref()).collect();
        assert_eq!(titles.first(), Some(&Some("Planning care together")), "in the order of their first statement");
        assert!(titles.iter().all(Option::is_some), "every sample statement has a group: {titles:?}");
        let listed: usize = groups.iter().map(|g| g.statements.len()).sum();
        assert_eq!(listed, corpus.statements.len(), "each statement once");
        let first = &groups[0].statements[0];
        assert_eq!(first.link.title, "Working together", "the pocket's short title");
        assert_eq!(first.wording.as_deref(), Some(corpus.statements[0].statement.as_str()));
        assert!(!first.law.is_empty() && first.full_version.is_some());
        // The easy read lists its statements in one untitled group, with no law or wording.
        let PageBody::EditionIndex { groups, .. } = set.context(&home("easy-read")).page else {
            panic!("not an index")
        };
        assert_eq!(groups.len(), 1);
        assert!(
            groups[0].title.is_none() && groups[0].statements.iter().all(|s| s.law.is_empty() && s.wording.is_none())
        );
        // The home page depends on the register, whose instruments it counts and shows.
        assert!(set.dependencies(&home("pocket")).contains(&corpus.register_file.as_deref().expect("a register")));
    }

    #[test]
    fn the_connections_tables_grow_with_the_citations_not_statements_times_instruments() {
        let (corpus, theme) = sample();
        let set = EditionSet::new(&corpus, &theme.editions, None);
        let edition = set.editions.iter().find(|e| e.id == "commissioner").expect("a commissioner edition");
        let links: Vec<_> =
            corpus.statements.iter().map(|s| super::super::context::statement_link(edition, s)).collect();
        let law: Vec<_> = corpus.statements.iter().map(|s| set.citations(edition, &s.cites)).collect();
        // The sample's 12 statements make one table; twice as many make two, each with only the
        // law its own statements cite, and every row counting the statements of the whole.
        let one = crate::editions::connections::matrix(&corpus, edition, &links, &law);
        assert_eq!(one.len(), 1);
        fn twice<T: Clone>(v: &[T]) -> Vec<T> {
            v.iter().chain(v).cloned().collect()
        }
        let two = crate::editions::connections::matrix(&corpus, edition, &twice(&links), &twice(&law));
        assert_eq!(two.len(), 2);
        let rows = |t: &crate::editions::connections::MatrixTable| t.groups.iter().flat_map(|g| &g.rows).count();
        assert_eq!(rows(&two[0]), rows(&one[0]));
        for row in two[0].groups.iter().flat_map(|g| &g.rows) {
            let marked = row.cells.iter().filter(|c| c.cites).count();
            assert!(marked > 0, "{}: only cited law has a row", row.title);
            assert_eq!(row.count, 2 * marked, "{}: counted across both tables", row.title);
        }
    }
}
