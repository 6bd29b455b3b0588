//! `check --external`: do the web addresses in the content still answer?
//!
//! Never part of a normal build, since it needs the network and is slow. Every `http(s)://`
//! address in the content's files (the register's URLs, links in Markdown) is fetched once, a
//! few at a time, and any that fails is a warning pointing at each place it is written.

use std::collections::BTreeMap;
use std::ops::Range;
use std::time::Duration;

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceMap};

/// How many addresses to check at once: enough to be quick, few enough to be polite.
const PARALLEL: usize = 8;

/// Every web address written in the sources, with where each appears.
pub fn addresses(sources: &SourceMap, files: &[String]) -> BTreeMap<String, Vec<(String, Range<usize>)>> {
    let mut found: BTreeMap<String, Vec<(String, Range<usize>)>> = BTreeMap::new();
    for file in files {
        let Some(text) = sources.get(file) else { continue };
        let mut from = 0;
        while let Some(offset) = text[from..].find("http") {
            let start = from + offset;
            from = start + 4;
            let rest = &text[start..];
            if !(rest.starts_with("https://") || rest.starts_with("http://")) {
                continue;
            }
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ')' | ']' | '`'))
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
            from = start + url.len();
            found.entry(url.to_string()).or_default().push((file.clone(), start..start + url.len()));
        }
    }
    found
}

/// Why an address failed, or `None` if it answered.
fn probe(agent: &ureq::Agent, url: &str) -> Option<String> {
    let answer = match agent.head(url).call() {
        // Some servers refuse HEAD; ask again with GET before calling the link broken.
        Ok(response) if response.status().as_u16() == 405 => agent.get(url).call(),
        other => other,
    };
    match answer {
        Ok(response) if response.status().as_u16() < 400 => None,
        Ok(response) => Some(format!("it answered {}", response.status())),
        Err(ureq::Error::StatusCode(405)) => match agent.get(url).call() {
            Ok(_) => None,
            Err(error) => Some(describe(&error)),
        },
        Err(error) => Some(describe(&error)),
    }
}

fn describe(error: &ureq::Error) -> String {
    match error {
        ureq::Error::StatusCode(code) => format!("it answered {code}"),
        ureq::Error::Timeout(_) => "it did not answer in time".to_string(),
        other => format!("it could not be reached ({other})"),
    }
}

/// Checks every address; returns how many were checked.
pub fn check(sources: &SourceMap, files: &[String], diagnostics: &mut Diagnostics) -> usize {
    let found = addresses(sources, files);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(15)))
        .http_status_as_error(true)
        .user_agent("guidepress link checker")
        .build()
        .into();
    let urls: Vec<&String> = found.keys().collect();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(PARALLEL).build();
    let run = || urls.par_iter().map(|url| (url.to_string(), probe(&agent, url))).collect::<Vec<_>>();
    let results = match &pool {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    };
    for (url, problem) in &results {
        let Some(problem) = problem else { continue };
        for (file, span) in found.get(url).into_iter().flatten() {
            diagnostics.push(
                Diagnostic::warning(Code::ExternalLink, format!("the address {url} does not work: {problem}"))
                    .in_file(file.clone())
                    .at(Some(span.clone()))
                    .help("check the address in a browser and correct it, or link to the page that replaced it"),
            );
        }
    }
    results.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn finds_addresses_in_yaml_and_markdown_with_their_places() {
        let mut sources = SourceMap::default();
        sources.insert(
            "a.yaml",
            Arc::from("url: https://www.legislation.gov.uk/ukpga/1989/41\nsee [x](https://example.org/a).\n"),
        );
        let found = addresses(&sources, &["a.yaml".to_string()]);
        assert_eq!(found.len(), 2);
        let (file, span) = &found["https://example.org/a"][0];
        assert_eq!(file, "a.yaml");
        assert_eq!(&sources.get("a.yaml").unwrap()[span.clone()], "https://example.org/a");
    }
}
