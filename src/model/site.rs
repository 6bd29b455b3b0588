//! `site.yaml`, checked: addresses, dates, language and the print settings.

use std::collections::BTreeSet;

use crate::diagnostics::{did_you_mean, join_list, Code, Diagnostic, Diagnostics};
use crate::load::Parsed;
use crate::model::{Site, ThemeFacts};

/// `site.yaml`, checked field by field in the file's order (editions, print paper, date,
/// language, addresses): a few lines for each, so one function reads as the file does.
pub(super) fn resolve_site(
    parsed: &Parsed<crate::load::SiteFile>,
    theme: &ThemeFacts,
    diagnostics: &mut Diagnostics,
) -> Site {
    let file = &parsed.value;
    let doc = &parsed.doc;
    if file.editions.is_empty() {
        diagnostics.push(
            doc.diagnostic(
                Diagnostic::error(Code::NoEditions, "`editions` is empty, so there is nothing to build")
                    .field("editions")
                    .help(format!("list the editions to build, e.g. [{}]", join_list(&theme.editions))),
                doc.find_key("editions"),
            ),
        );
    }
    let mut seen = BTreeSet::new();
    for edition in &file.editions {
        if !theme.editions.contains(edition) {
            diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error(Code::UnknownEdition, format!("the theme has no edition called `{edition}`"))
                        .field("editions")
                        .maybe_help(did_you_mean(edition, theme.editions.iter().map(String::as_str)))
                        .help(format!("the theme's editions are: {}", join_list(&theme.editions))),
                    doc.find_value("editions", edition),
                ),
            );
        } else if !seen.insert(edition.as_str()) {
            diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error(Code::DuplicateEdition, format!("`{edition}` is listed twice"))
                        .field("editions")
                        .help("list each edition once"),
                    doc.find_value("editions", edition),
                ),
            );
        }
    }
    // A map keyed by edition names is checked like a field name: a misspelt key is an error.
    let keyed = [
        ("print_paper", file.print_paper.keys().collect::<Vec<_>>()),
        ("edition_titles", file.edition_titles.keys().collect()),
    ];
    for (field, keys) in keyed {
        for edition in keys.into_iter().filter(|e| !theme.editions.contains(*e)) {
            diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error(
                        Code::UnknownEdition,
                        format!("`{field}` names `{edition}`, which is not an edition of the theme"),
                    )
                    .field(field)
                    .maybe_help(did_you_mean(edition, theme.editions.iter().map(String::as_str)))
                    .help(format!("the keys of `{field}` are edition names: {}", join_list(&theme.editions))),
                    doc.find_value(field, edition),
                ),
            );
        }
    }
    let date = file.date.to_string();
    if let Some(problem) = date_problem(&date) {
        diagnostics.push(
            doc.diagnostic(
                Diagnostic::error(Code::BadDate, problem)
                    .field("date")
                    .help("write a real date as YYYY-MM-DD, e.g. 2012-11-01"),
                doc.find_value("date", &date),
            ),
        );
    }
    let language_ok = {
        let mut parts = file.language.split('-');
        let primary = parts.next().unwrap_or("");
        (2..=3).contains(&primary.len())
            && primary.chars().all(|c| c.is_ascii_lowercase())
            && parts.all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
    };
    if !language_ok {
        diagnostics.push(
            doc.diagnostic(
                Diagnostic::error(Code::BadLanguage, format!("`{}` is not a language tag", file.language))
                    .field("language")
                    .help("use a tag such as en-GB"),
                doc.find_value("language", &file.language),
            ),
        );
    }
    // The footer links to it as written, so it must be a web address, as a register entry's is.
    let licence_url = text_or_none(&file.licence_url);
    if let Some(url) = licence_url.as_deref().filter(|url| !is_web_address(url)) {
        diagnostics.push(
            doc.diagnostic(
                Diagnostic::error(Code::BadUrl, format!("`licence_url` is not a web address: `{url}`"))
                    .field("licence_url")
                    .help("write the full https:// address of the licence's terms, or leave `licence_url` out"),
                doc.find_value("licence_url", url),
            ),
        );
    }
    Site {
        title: file.title.clone(),
        short_title: file.short_title.clone(),
        publisher: file.publisher.clone(),
        reference: file.reference.clone(),
        version: file.version.to_string(),
        date,
        language: file.language.clone(),
        editions: file
            .editions
            .iter()
            .filter(|e| theme.editions.contains(*e))
            .cloned()
            .collect::<Vec<_>>()
            .into_iter()
            .fold(Vec::new(), |mut acc, e| {
                if !acc.contains(&e) {
                    acc.push(e);
                }
                acc
            }),
        description: file.description.clone().unwrap_or_default(),
        allow_raw_html: file.allow_raw_html,
        strict: file.strict,
        print_paper: file.print_paper.clone(),
        edition_titles: file.edition_titles.clone(),
        phase: text_or_none(&file.phase),
        phase_text: text_or_none(&file.phase_text),
        licence: text_or_none(&file.licence),
        licence_url,
    }
}

/// An optional text, trimmed; empty is none.
pub(super) fn text_or_none(text: &Option<String>) -> Option<String> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}

/// Whether `url` is an absolute http(s) address that is safe to put in a link: register addresses
/// are written into `href` as they are, so anything else (`javascript:`, `data:`, a relative path)
/// is refused.
pub(super) fn is_web_address(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return false;
    };
    !rest.is_empty()
        && !rest.starts_with('/')
        && !url.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '`'))
}

/// The months' names in English, January first.
pub const ENGLISH_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Whether `text` is a real calendar date written YYYY-MM-DD (so not 2012-02-30, nor 2011-02-29).
#[cfg(test)]
pub(super) fn is_iso_date(text: &str) -> bool {
    date_problem(text).is_none()
}

/// What is wrong with a date, in words, or `None` when it is a real date written YYYY-MM-DD.
pub(super) fn date_problem(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split('-').collect();
    let digits = |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    if parts.len() != 3 || !digits(parts[0], 4) || !digits(parts[1], 2) || !digits(parts[2], 2) {
        return Some(format!("`{text}` is not a date in the form YYYY-MM-DD"));
    }
    let (Ok(year), Ok(month), Ok(day)) = (parts[0].parse::<u32>(), parts[1].parse::<u32>(), parts[2].parse::<u32>())
    else {
        return Some(format!("`{text}` is not a date in the form YYYY-MM-DD"));
    };
    if !(1..=12).contains(&month) {
        return Some(format!("`{text}` is not a date: there is no month {month}"));
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day == 0 || day > days {
        let name = ENGLISH_MONTHS[(month - 1) as usize];
        return Some(format!("`{text}` is not a date: {name} {year} has {days} days"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_are_links() {
        assert!(is_web_address("https://www.legislation.gov.uk/ukpga/1989/41"));
        assert!(is_web_address("HTTP://example.org"));
        for bad in [
            "javascript:alert(1)",
            " https://x.org",
            "https://",
            "https:///etc/passwd",
            "data:text/html,x",
            "/law/x.html",
            "https://x.org/\" onclick=\"x",
            "ftp://x.org",
            "é",
        ] {
            assert!(!is_web_address(bad), "{bad}");
        }
    }

    #[test]
    fn iso_dates() {
        assert!(is_iso_date("2012-11-01"));
        assert!(!is_iso_date("1/11/2012"));
        assert!(!is_iso_date("2012-13-01"));
        assert!(is_iso_date("2012-02-29"));
        assert!(is_iso_date("2000-02-29"));
        assert!(!is_iso_date("1900-02-29"));
        assert!(!is_iso_date("2011-02-29"));
        assert!(!is_iso_date("2012-02-30"));
        assert!(!is_iso_date("2012-04-31"));
        assert!(!is_iso_date("2012-00-10"));
        assert!(!is_iso_date("2012-+1-10"));
        assert!(date_problem("2012-02-30").is_some_and(|p| p.contains("February 2012 has 29 days")));
    }
}
