//! An edition file (`themes/<theme>/editions/<id>.yaml`): what an edition shows and how.

use serde::{Deserialize, Serialize};

use crate::editions::strings::{Strings, StringsFile};
use crate::kinds::{Audience, PaperSize};
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
    /// Which title each statement has here: its title, or its title in young people's words.
    #[serde(default)]
    pub title_text: TitleText,
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
    /// How the contents page lists the statements.
    #[serde(default)]
    pub contents: ContentsStyle,
    /// List each statement's headline in the contents, under its title.
    #[serde(default = "yes")]
    pub contents_headlines: bool,
    /// The pages it has besides its contents, statements and law pages.
    #[serde(default)]
    pub pages: PageSet,
    /// Words this edition's pages use differently from the theme's `strings.yaml`.
    #[serde(default)]
    pub strings: StringsFile,
    /// The edition's strings, resolved when the theme is loaded; shared by every page's view.
    #[serde(skip)]
    pub words: std::sync::Arc<Strings>,
}

pub(super) fn yes() -> bool {
    true
}

/// Which title of a statement an edition shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TitleText {
    /// The statement's `title`.
    #[default]
    Title,
    /// Its `easy_read_title`, or its `title` when it has none.
    EasyRead,
    /// Its `short_title`, or its `title` when it has none.
    Short,
}

impl TitleText {
    /// The statement's title in this form.
    pub fn of(self, statement: &crate::model::Statement) -> &str {
        let chosen = match self {
            TitleText::Title => None,
            TitleText::EasyRead => statement.easy_read_title.as_deref(),
            TitleText::Short => statement.short_title.as_deref(),
        };
        chosen.unwrap_or(&statement.title)
    }
}

/// How an edition's contents page lists the statements.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContentsStyle {
    /// One numbered list.
    #[default]
    List,
    /// Under the statements' `group` headings.
    Grouped,
    /// Grouped, and each statement with its pointers to the law and its exact wording: a
    /// handbook on one page.
    Handbook,
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
    /// A sentence before the text. When set, the text is shown as a quotation: words written for
    /// someone else, so that its "you" is plainly not the reader (the carers' edition quotes
    /// what young people are told).
    #[serde(default)]
    pub intro: Option<String>,
}

/// The optional pages of an edition; each is there unless the edition file sets it to `false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageSet {
    /// The glossary (or word list).
    #[serde(default = "yes")]
    pub glossary: bool,
    /// The whole edition on one page, for printing.
    #[serde(default = "yes")]
    pub print: bool,
    /// Search, with the edition's search index.
    #[serde(default = "yes")]
    pub search: bool,
}

impl Default for PageSet {
    fn default() -> Self {
        PageSet { glossary: true, print: true, search: true }
    }
}
