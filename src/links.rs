//! Link integrity: every internal `href` and `src` in the rendered pages must lead to a file the
//! build writes, and every `#fragment` to an id on that page. Runs before anything is written.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostic, Diagnostics};

/// Values of one attribute (`href`, `src`, `id`) in an HTML text, as written (quoted values only;
/// our templates always quote).
pub fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let mut values = Vec::new();
    for quote in ['"', '\''] {
        let needle = format!(" {attribute}={quote}");
        let mut from = 0;
        while let Some(found) = html[from..].find(&needle) {
            let start = from + found + needle.len();
            match html[start..].find(quote) {
                Some(len) => {
                    values.push(&html[start..start + len]);
                    from = start + len;
                }
                None => break,
            }
        }
    }
    values
}

/// Undoes the HTML escaping Tera applies to attribute values.
fn unescape(value: &str) -> String {
    value
        .replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
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

/// The ids (fragment targets) in a page.
pub fn ids(html: &str) -> BTreeSet<String> {
    attribute_values(html, "id").into_iter().map(unescape).collect()
}

/// Checks the links of `pages` (path, html). `files` holds every path the build writes, and `ids`
/// the fragment ids of every page (so a rebuild can check just the pages it rendered).
pub fn check(pages: &[(String, &str)], files: &BTreeSet<String>, ids: &BTreeMap<String, BTreeSet<String>>, diagnostics: &mut Diagnostics) {
    for (path, html) in pages {
        let mut links: Vec<&str> = attribute_values(html, "href");
        links.extend(attribute_values(html, "src"));
        let mut reported = BTreeSet::new();
        for raw in links {
            let link = unescape(raw);
            if link.is_empty() || is_external(&link) {
                continue;
            }
            let (target, fragment) = match link.split_once('#') {
                Some((target, fragment)) => (target, Some(fragment)),
                None => (link.as_str(), None),
            };
            let target = target.split('?').next().unwrap_or("");
            let resolved = if target.is_empty() { Some(path.clone()) } else { resolve(path, target) };
            let problem = match &resolved {
                None => Some("it climbs out of the output folder or starts with /, so it breaks when the site is opened from disk or a subfolder".to_string()),
                Some(resolved) if !files.contains(resolved) => Some(format!("nothing is written at {resolved}")),
                Some(resolved) => match (fragment, ids.get(resolved.as_str())) {
                    (Some(fragment), page_ids) if !fragment.is_empty() && !page_ids.is_some_and(|ids| ids.contains(fragment)) => {
                        Some(format!("{resolved} has no element with id \"{fragment}\""))
                    }
                    _ => None,
                },
            };
            if let Some(problem) = problem {
                if reported.insert(link.clone()) {
                    diagnostics.push(
                        Diagnostic::error("broken-link", format!("the page {path} links to `{link}`, but {problem}"))
                            .in_file(path.clone())
                            .help("fix the template or the content that makes this link"),
                    );
                }
            }
        }
    }
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
    fn finds_broken_links_and_fragments() {
        let pages = vec![
            ("index.html".to_string(), r##"<a href="a/b.html#top">x</a><a href="missing.html">y</a><a href="https://example.org">z</a><img src="assets/p.svg">"##),
            ("a/b.html".to_string(), r#"<h1 id="other">t</h1><a href="../index.html">home</a>"#),
        ];
        let mut files: BTreeSet<String> = ["assets/p.svg".to_string()].into_iter().collect();
        let ids: BTreeMap<String, BTreeSet<String>> = pages.iter().map(|(p, html)| (p.clone(), super::ids(html))).collect();
        files.extend(pages.iter().map(|(p, _)| p.clone()));
        let mut diagnostics = Diagnostics::new();
        check(&pages, &files, &ids, &mut diagnostics);
        let messages: Vec<String> = diagnostics.sorted().iter().map(|d| d.message.clone()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("missing.html")));
        assert!(messages.iter().any(|m| m.contains("no element with id \"top\"")));
    }
}
