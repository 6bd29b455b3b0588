//! Paths of the pages, in one place so links and files always agree.

/// An edition's home page.
pub fn edition_home(edition: &str) -> String {
    format!("{edition}/index.html")
}

/// A statement page.
pub fn statement(edition: &str, id: &str) -> String {
    format!("{edition}/statements/{id}.html")
}

/// The recommendations index.
pub fn recommendations(edition: &str) -> String {
    format!("{edition}/recommendations/index.html")
}

/// A recommendation page.
pub fn recommendation(edition: &str, id: &str) -> String {
    format!("{edition}/recommendations/{id}.html")
}

/// The law index.
pub fn law_index(edition: &str) -> String {
    format!("{edition}/law/index.html")
}

/// A register entry's page.
pub fn law(edition: &str, id: &str) -> String {
    format!("{edition}/law/{id}.html")
}

/// The glossary.
pub fn glossary(edition: &str) -> String {
    format!("{edition}/glossary.html")
}

/// The whole edition on one page, for printing.
pub fn print(edition: &str) -> String {
    format!("{edition}/print.html")
}

/// The connections diagram.
pub fn connections(edition: &str) -> String {
    format!("{edition}/connections.html")
}

/// The search page.
pub fn search(edition: &str) -> String {
    format!("{edition}/search.html")
}

/// The search index script.
pub fn search_index(edition: &str) -> String {
    format!("{edition}/search-index.js")
}

/// `../` repeated once per folder in `path`.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_prefix_follows_depth() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("carer/statements/qs-1.html"), "../../");
    }
}
