//! Link integrity: every internal `href` and `src` in the rendered pages must lead to a file the
//! build writes, and every `#fragment` to an id on that page. Runs before anything is written.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Code, Diagnostic};

/// The values of several attributes, in one pass over the text: one list per name, in the order
/// of `names`, each in document order.
pub fn attributes<'a>(html: &'a str, names: &[&str]) -> Vec<Vec<&'a str>> {
    let mut values: Vec<Vec<&str>> = vec![Vec::new(); names.len()];
    let bytes = html.as_bytes();
    let mut from = 0;
    while let Some(found) = html[from..].find('=') {
        let equals = from + found;
        from = equals + 1;
        let Some(&quote) = bytes.get(equals + 1).filter(|q| matches!(q, b'"' | b'\'')) else { continue };
        let before = &html[..equals];
        let Some(which) =
            names.iter().position(|name| before.ends_with(name) && before[..before.len() - name.len()].ends_with(' '))
        else {
            continue;
        };
        let start = equals + 2;
        match bytes[start..].iter().position(|b| *b == quote) {
            Some(len) => {
                values[which].push(&html[start..start + len]);
                from = start + len + 1;
            }
            None => break,
        }
    }
    values
}

fn is_external(link: &str) -> bool {
    let scheme_end = link.find(':');
    let first_slash = link.find('/');
    match scheme_end {
        Some(colon) => first_slash.is_none_or(|slash| colon < slash),
        None => link.starts_with("//"),
    }
}

/// Resolves `link` against the folder of `page`. `None` if it climbs above the output root.
pub fn resolve(page: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    if link.starts_with('/') {
        // Root-relative links break when the site is served from a subfolder or opened from disk.
        return None;
    }
    for segment in link.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let mut path = parts.join("/");
    if link.ends_with('/') || path.is_empty() {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

/// Every path a build writes, to check links against.
pub type PathSet = rustc_hash::FxHashSet<String>;

/// What checking one page's links found.
#[derive(Debug, Default)]
pub struct PageLinks {
    /// The page's ids (fragment targets).
    pub ids: BTreeSet<String>,
    /// Links that are broken.
    pub problems: Vec<Diagnostic>,
    /// Links to fragments of other pages, to check once every page's ids are known.
    pub later: Vec<FragmentLink>,
}

/// A link to a fragment of another page, checked once every page's ids are known.
#[derive(Debug, Clone)]
pub struct FragmentLink {
    /// The page the link is on.
    pub page: String,
    /// The link as written (unescaped).
    pub link: String,
    /// The page it leads to.
    pub target: String,
    pub fragment: String,
}

/// Checks the links of one page that need nothing but the list of files the build writes
/// (`files`) and the page's own ids. Links to a fragment of another page are returned, to be
/// checked with [`check_fragments`] once all pages are rendered. Pages are checked one at a
/// time, so the build can check each as it is rendered and need not keep it.
pub fn check_page(path: &str, html: &str, files: &PathSet) -> PageLinks {
    let [hrefs, sources, ids]: [Vec<&str>; 3] = match attributes(html, &["href", "src", "id"]).try_into() {
        Ok(found) => found,
        Err(_) => return PageLinks::default(),
    };
    let own_ids: BTreeSet<String> =
        ids.into_iter().map(|id| crate::text::markdown::unescape(id).into_owned()).collect();
    let mut problems = Vec::new();
    let mut later = Vec::new();
    let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    let links = hrefs.into_iter().chain(sources);
    for raw in links {
        // Pages repeat links (navigation, glossary terms): check each once.
        if !seen.insert(raw) {
            continue;
        }
        let link = crate::text::markdown::unescape(raw);
        if link.is_empty() || is_external(&link) {
            continue;
        }
        let (target, fragment) = match link.split_once('#') {
            Some((target, fragment)) => (target, fragment),
            None => (link.as_ref(), ""),
        };
        let target = target.split('?').next().unwrap_or("");
        let resolved = if target.is_empty() { Some(path.to_string()) } else { resolve(path, target) };
        let problem = match resolved {
            None => Some("it climbs out of the output folder or starts with /, so it breaks when the site is opened from disk or a subfolder".to_string()),
            Some(resolved) if !files.contains(&resolved) => Some(format!("nothing is written at {resolved}")),
            Some(_) if fragment.is_empty() => None,
            Some(resolved) if resolved == path => (!own_ids.contains(fragment)).then(|| format!("{resolved} has no element with id \"{fragment}\"")),
            Some(resolved) => {
                later.push(FragmentLink { page: path.to_string(), link: link.to_string(), target: resolved, fragment: fragment.to_string() });
                None
            }
        };
        if let Some(problem) = problem {
            problems.push(broken(path, &link, &problem));
        }
    }
    PageLinks { ids: own_ids, problems, later }
}

/// Checks links to fragments of other pages against every page's ids.
pub fn check_fragments(links: &[FragmentLink], ids: &BTreeMap<String, BTreeSet<String>>) -> Vec<Diagnostic> {
    links
        .iter()
        .filter(|l| !ids.get(&l.target).is_some_and(|ids| ids.contains(&l.fragment)))
        .map(|l| broken(&l.page, &l.link, &format!("{} has no element with id \"{}\"", l.target, l.fragment)))
        .collect()
}

fn broken(page: &str, link: &str, problem: &str) -> Diagnostic {
    Diagnostic::error(Code::BrokenLink, format!("the page {page} links to `{link}`, but {problem}"))
        .in_file(page.to_string())
        .help("fix the template or the content that makes this link")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_links() {
        assert_eq!(resolve("carer/statements/qs-1.html", "../index.html").as_deref(), Some("carer/index.html"));
        assert_eq!(resolve("carer/statements/qs-1.html", "../../assets/a.css").as_deref(), Some("assets/a.css"));
        assert_eq!(resolve("index.html", "carer/").as_deref(), Some("carer/index.html"));
        assert_eq!(resolve("index.html", "../x.html"), None);
        assert_eq!(resolve("a/b.html", "/x.html"), None);
    }

    #[test]
    fn a_page_is_checked_on_its_own_and_its_links_to_other_pages_fragments_later() {
        let files: PathSet = ["a.html".to_string(), "b.html".to_string()].into_iter().collect();
        let html = r##"<h1 id="top">t</h1><a href="#top">up</a><a href="#nowhere">x</a><a href="#nowhere">x again</a><a href="b.html#s1">b</a><a href="c.html">c</a>"##;
        let PageLinks { ids, problems, later } = check_page("a.html", html, &files);
        assert_eq!(ids.into_iter().collect::<Vec<_>>(), vec!["top".to_string()]);
        let messages: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("no element with id \"nowhere\"")));
        assert!(messages.iter().any(|m| m.contains("nothing is written at c.html")));
        assert_eq!(later.len(), 1);
        assert_eq!((later[0].target.as_str(), later[0].fragment.as_str()), ("b.html", "s1"));
        let mut page_ids = BTreeMap::new();
        page_ids.insert("b.html".to_string(), ["s2".to_string()].into_iter().collect::<BTreeSet<_>>());
        assert_eq!(check_fragments(&later, &page_ids).len(), 1);
        page_ids.insert("b.html".to_string(), ["s1".to_string()].into_iter().collect::<BTreeSet<_>>());
        assert!(check_fragments(&later, &page_ids).is_empty());
    }

    #[test]
    fn attributes_are_found_in_one_pass_with_either_quote() {
        let html = r#"<a href="x.html" id='a'><img src='p.svg' alt="id=no"><p data-href="no">"#;
        let found = attributes(html, &["href", "src", "id"]);
        assert_eq!(found, vec![vec!["x.html"], vec!["p.svg"], vec!["a"]]);
    }

    #[test]
    fn finds_broken_links_and_fragments() {
        let pages = [
            (
                "index.html".to_string(),
                r##"<a href="a/b.html#top">x</a><a href="missing.html">y</a><a href="https://example.org">z</a><img src="assets/p.svg">"##,
            ),
            ("a/b.html".to_string(), r#"<h1 id="other">t</h1><a href="../index.html">home</a>"#),
        ];
        let mut files: PathSet = ["assets/p.svg".to_string()].into_iter().collect();
        files.extend(pages.iter().map(|(p, _)| p.clone()));
        let checked: Vec<(String, PageLinks)> =
            pages.iter().map(|(path, html)| (path.clone(), check_page(path, html, &files))).collect();
        let ids: BTreeMap<String, BTreeSet<String>> =
            checked.iter().map(|(path, found)| (path.clone(), found.ids.clone())).collect();
        let mut messages: Vec<String> = Vec::new();
        for (_, found) in checked {
            messages.extend(found.problems.into_iter().chain(check_fragments(&found.later, &ids)).map(|d| d.message));
        }
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("missing.html")));
        assert!(messages.iter().any(|m| m.contains("no element with id \"top\"")));
    }
}
