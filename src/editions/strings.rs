//! The words an edition's pages put around the content: navigation, headings, links and page
//! titles. They are theme data, not Rust: the theme's `strings.yaml` gives every one, and an
//! edition file's `strings:` changes those the edition words differently (the easy-read edition
//! says "Part" and "Word list"). `{edition}` in a string is the edition's name in lower case and
//! `{Edition}` the name as written; page titles also take `{number}`, `{title}` and `{site}`.

use serde::{Deserialize, Serialize};

/// Declares the strings once: the file form (every string optional, so an edition names only
/// what it changes) and the resolved form (every string present) that pages use.
macro_rules! strings {
    ($( $(#[doc = $doc:expr])+ $name:ident, )+) => {
        /// Strings as a file gives them: `strings.yaml`, or an edition file's `strings:`.
        #[derive(Debug, Clone, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct StringsFile {
            $( $(#[doc = $doc])+ #[serde(default)] pub $name: Option<String>, )+
        }

        /// Every string an edition's pages use, resolved for that edition.
        #[derive(Debug, Clone, Default, Serialize)]
        pub struct Strings {
            $( $(#[doc = $doc])+ pub $name: String, )+
        }

        impl StringsFile {
            /// The edition's strings: its own, then the theme's. Returns the names of any that
            /// neither gives.
            pub fn resolve(&self, theme: &StringsFile, edition_name: &str) -> Result<Strings, Vec<&'static str>> {
                let mut missing = Vec::new();
                let mut pick = |own: &Option<String>, base: &Option<String>, name: &'static str| {
                    match own.as_ref().or(base.as_ref()) {
                        Some(text) => {
                            text.replace("{edition}", &edition_name.to_lowercase()).replace("{Edition}", edition_name)
                        }
                        None => {
                            missing.push(name);
                            String::new()
                        }
                    }
                };
                let strings = Strings { $( $name: pick(&self.$name, &theme.$name, stringify!($name)), )+ };
                if missing.is_empty() { Ok(strings) } else { Err(missing) }
            }
        }
    };
}

strings! {
    /// A statement, as a page calls one ("Statement", "Part").
    statement_unit,
    /// The same in running text ("statement", "part").
    statement_unit_lower,
    /// Statements together ("Statements", "Parts").
    statements,
    /// The navigation link to the edition's contents.
    nav_home,
    /// The navigation link to the recommendations.
    nav_recommendations,
    /// The navigation link to the law index.
    nav_law,
    /// The navigation link to the glossary.
    nav_glossary,
    /// The navigation link to the connections diagram.
    nav_connections,
    /// The navigation link to search.
    nav_search,
    /// The heading of the contents list on the edition's home page.
    contents_heading,
    /// The heading over statements that have no group, in grouped contents.
    contents_other_group,
    /// The heading of a handbook statement's pointers to the law.
    handbook_law,
    /// The summary of a handbook statement's exact wording, which opens to show it.
    handbook_wording,
    /// The link from a handbook statement to its full page; takes `{number}` and `{name}`.
    handbook_full,
    /// The heading of the list of the edition's other pages.
    also_heading,
    /// The link to the recommendations in that list.
    also_recommendations,
    /// The link to the law index in that list.
    also_law,
    /// What the number after that link counts (empty: no number).
    also_law_count,
    /// The link to the glossary in that list.
    also_glossary,
    /// The link to the print page in that list.
    also_print,
    /// The heading above the law a statement cites.
    law_list_heading,
    /// A sentence under that heading (empty: none).
    law_list_intro,
    /// The heading above the statements that cite a piece of law.
    law_cited_by,
    /// The link from a statement's law to the edition's page about it (`{name}`: the name
    /// the edition gives it).
    law_page_link,
    /// The link from a law page to the law itself on its official website (`{title}`).
    law_official_link,
    /// The heading of Acts of Parliament.
    kind_act,
    /// The heading of regulations.
    kind_regulations,
    /// The heading of statutory guidance.
    kind_statutory_guidance,
    /// The heading of national standards.
    kind_standards,
    /// The heading of other guidance.
    kind_guidance,
    /// The words before the list of the page's other versions.
    other_versions_label,
    /// After the name of the version being read.
    this_version,
    /// The footer's first line (`{title}`, `{reference}`, `{version}`, `{date}`, `{publisher}`).
    footer_about,
    /// The footer's second line (the same placeholders; empty: none).
    footer_publisher,
    /// The footer's link to the landing page, where every version is listed.
    footer_other_versions,
    /// The button that reads a page aloud.
    listen,
    /// The same button while it reads.
    listen_stop,
    /// What the control says in a browser that cannot speak.
    listen_no_speech,
    /// What it says when the browser has no voice to speak with.
    listen_no_voice,
    /// The phase banner's sentence in the edition's words (empty: `site.yaml`'s `phase_text`).
    phase_text,
    /// The connections page's lead paragraph.
    connections_lead,
    /// The caption of the table of statements against the law.
    connections_caption,
    /// The heading of that table's column of laws.
    connections_law_column,
    /// The heading of its column counting the statements that cite each law.
    connections_count_column,
    /// What a marked cell says to a screen reader (the cited parts follow).
    connections_yes,
    /// The heading of the list of statements that relate to each other.
    connections_related_heading,
    /// The line above the table that says it scrolls on a small screen.
    connections_scroll_hint,
    /// What comes before a statement's related statements in that list.
    connections_relates_to,
    /// "and", between the last two items of a list written out.
    and_word,
    /// The heading of a statement page's map of its connections.
    map_heading,
    /// What the map says it shows, one sentence.
    map_lead,
    /// The map's label for the law a statement rests on.
    map_law,
    /// The map's label for the statements related to this one.
    map_related,
    /// Said of law cited as a whole rather than by its parts ("as a whole").
    law_whole,
    /// The lead paragraph of the glossary page.
    glossary_lead,
    /// The lead paragraph of the law index.
    law_index_lead,
    /// Page title of a statement (`{number}`, `{title}`).
    statement_title,
/// Page title of the recommendations index (`{site}`).
    recommendations_title,
    /// Page description of the recommendations index (`{site}`).
    recommendations_description,
/// Page title of a recommendation (`{number}`, `{title}`).
    recommendation_title,
    /// Page description of a recommendation (`{number}`, `{title}`).
    recommendation_description,
/// Page title of the law index.
    law_index_title,
    /// Page description of the law index.
    law_index_description,
/// Page title of the glossary.
    glossary_title,
    /// Page description of the glossary.
    glossary_description,
/// Page title of the print page.
    print_title,
    /// Page description of the print page.
    print_description,
/// Page title of the connections page.
    connections_title,
    /// Page description of the connections page.
    connections_description,
/// Page title of the search page.
    search_title,
    /// Page description of the search page.
    search_description,
}

/// Fills `{name}` placeholders of a page-title string.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edition_s_own_strings_win_and_placeholders_fill() {
        let partial =
            "statement_unit: Statement\nsearch_title: Search the {edition}\nprint_title: \"{Edition}: to print\"\n";
        let theme: StringsFile = crate::source::yaml::parse(partial).expect("valid");
        let own = StringsFile { statement_unit: Some("Part".into()), ..StringsFile::default() };
        let missing = own.resolve(&theme, "Easy Read").expect_err("the theme lacks most strings");
        assert!(missing.contains(&"nav_home") && !missing.contains(&"statement_unit"));
        let rest: String = missing.iter().map(|name| format!("{name}: x\n")).collect();
        let theme: StringsFile = crate::source::yaml::parse(&format!("{partial}{rest}")).expect("valid");
        let strings = own.resolve(&theme, "Easy Read").expect("complete");
        assert_eq!(strings.statement_unit, "Part");
        assert_eq!(strings.search_title, "Search the easy read");
        assert_eq!(strings.print_title, "Easy Read: to print");
        assert_eq!(fill("Statement {number}: {title}", &[("number", "3"), ("title", "Care")]), "Statement 3: Care");
    }
}
