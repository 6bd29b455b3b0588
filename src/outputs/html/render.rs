//! Stage 4, render: every planned page through Tera, in parallel.
//!
//! Templates are parsed once. Each page names `<edition>/<kind>.html`; when the theme has no
//! edition-specific template, the shared `<kind>.html` is used, so editions differ by data and
//! only override the templates whose layout really differs.

use rayon::prelude::*;
use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::editions::theme::Template;
use crate::editions::{EditionSet, Page};

/// `asset(path="style.css")` in a template: the fingerprinted address of a theme asset or
/// picture (relative to the output root), so it can be cached for a long time.
struct AssetPaths(std::sync::Arc<std::collections::BTreeMap<String, String>>);

impl tera::Function for AssetPaths {
    fn call(&self, args: &std::collections::HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let path = args
            .get("path")
            .and_then(tera::Value::as_str)
            .ok_or_else(|| tera::Error::msg("asset() needs a path, e.g. asset(path=\"style.css\")"))?;
        match self.0.get(path) {
            Some(address) => Ok(tera::Value::String(address.clone())),
            None => Err(tera::Error::msg(format!(
                "the theme has no asset `{path}` (in assets/, or a picture in pictures/)"
            ))),
        }
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// Parses the theme's templates. Syntax errors name the template and line. `assets` maps each
/// asset's name (`style.css`, `pictures/help.svg`) to its fingerprinted output path.
pub fn templates(
    templates: &[Template],
    theme_label: &str,
    assets: std::sync::Arc<std::collections::BTreeMap<String, String>>,
    diagnostics: &mut Diagnostics,
) -> Option<Tera> {
    let mut tera = Tera::default();
    // Parse one at a time so that every broken template is reported, not only the first.
    let mut ok = true;
    for template in templates {
        let mut single = Tera::default();
        single.register_function("asset", AssetPaths(std::sync::Arc::new(std::collections::BTreeMap::new())));
        if let Err(error) = single.add_raw_template(&template.name, &template.text) {
            // Errors from a lone template that only fail because a parent is missing are
            // reported below, when all templates are added together.
            let chain = error_chain(&error);
            if !chain.contains("not found") && !chain.contains("isn't loaded") {
                ok = false;
                diagnostics.push(template_error(theme_label, &template.name, &error, &template.text));
            }
        }
    }
    if !ok {
        return None;
    }
    let all: Vec<(&str, &str)> = templates.iter().map(|t| (t.name.as_str(), t.text.as_str())).collect();
    if let Err(error) = tera.add_raw_templates(all) {
        diagnostics.push(
            Diagnostic::error("template", error_chain(&error))
                .in_file(theme_label.to_string())
                .help("fix the template named in the message"),
        );
        return None;
    }
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's own escaping also writes every `/` as `&#x2F;`, which quoted attributes and text do
    // not need; the minifier and the link checker would only undo it again.
    tera.set_escape_fn(crate::text::markdown::escape);
    tera.register_function("asset", AssetPaths(assets));
    Some(tera)
}

fn template_error(theme_label: &str, name: &str, error: &tera::Error, text: &str) -> Diagnostic {
    let chain = error_chain(error);
    let file = format!("{}/templates/{name}", theme_label.trim_end_matches('/'));
    // Tera's parse errors carry " --> line:column"; use it to underline the place.
    let span = chain.find("--> ").and_then(|i| {
        let rest = &chain[i + 4..];
        let mut parts = rest.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty());
        let line: usize = parts.next()?.parse().ok()?;
        let column: usize = parts.next()?.parse().ok()?;
        let line_start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
        let at = (line_start + column.saturating_sub(1)).min(text.len());
        Some(at..(at + 1).min(text.len()))
    });
    let detail = chain.lines().skip(1).map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
    Diagnostic::error("template", format!("template {name} has a syntax error: {}", first_line(&chain)))
        .in_file(file)
        .at(span)
        .help(if detail.is_empty() {
            "check the {% %} and {{ }} tags on this line against the Tera documentation".to_string()
        } else {
            detail
        })
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

/// The whole cause chain of a Tera error, one cause per line.
pub fn error_chain(error: &tera::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push('\n');
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Builds of at least this many pages render whole-edition pages one at a time.
const ONE_AT_A_TIME_FROM: usize = 1000;

/// Renders pages in parallel, building each page's context as it goes, and hands each page's
/// HTML (and the time it took) to `finish` on the same thread (so the build can check, minify and write a page and then
/// let it go, rather than hold every page at once). Failures become diagnostics naming the
/// template. Results come back in the order of `pages`.
pub fn render<T: Send>(
    tera: &Tera,
    editions: &EditionSet<'_>,
    pages: &[&Page],
    theme_label: &str,
    finish: &(dyn Fn(&Page, String, std::time::Duration) -> T + Sync),
    diagnostics: &mut Diagnostics,
) -> Vec<T> {
    let names: std::collections::BTreeSet<&str> = tera.get_template_names().collect();
    let render_one = |page: &&Page| -> Result<T, Diagnostic> {
        let template = if names.contains(page.template.as_str()) {
            page.template.as_str()
        } else {
            page.template.rsplit('/').next().unwrap_or(page.template.as_str())
        };
        if !names.contains(template) {
            return Err(Diagnostic::error(
                "missing-template",
                format!("the theme has no template {template} (needed for {})", page.path),
            )
            .in_file(format!("{}/templates/{template}", theme_label.trim_end_matches('/')))
            .help(format!("add templates/{template}, or templates/{}", page.template)));
        }
        let started = std::time::Instant::now();
        let context = Context::from_serialize(editions.context(page)).map_err(|error| {
            Diagnostic::error(
                "template",
                format!("the page {} could not be prepared: {}", page.path, error_chain(&error)),
            )
        })?;
        let html = tera.render(template, &context);
        // A whole-edition page's context is as big as its HTML: let it go before the HTML
        // is checked and minified.
        drop(context);
        html.map(|html| finish(page, html, started.elapsed())).map_err(|error| {
            let chain = error_chain(&error);
            let help = if chain.contains("not found in context") {
                "the template uses a variable that this page does not have; check its name against the page context described in themes/default/README.md"
            } else {
                "fix the template named in the message"
            };
            Diagnostic::error("template", format!("rendering {} with {template} failed: {}", page.path, chain.replace('\n', ": ")))
                .in_file(format!("{}/templates/{template}", theme_label.trim_end_matches('/')))
                .help(help)
        })
    };
    // In a large build, the pages that show a whole edition (tens of megabytes each in a national
    // library) are rendered one at a time beside the others, so that only one is in memory at
    // once; the other threads render the rest meanwhile. A small rebuild renders all in parallel.
    type Numbered<'p> = Vec<(usize, &'p &'p Page)>;
    type Outcomes<T> = Vec<(usize, Result<T, Diagnostic>)>;
    let (whole, rest): (Numbered<'_>, Numbered<'_>) = pages
        .iter()
        .enumerate()
        .partition(|(_, page)| pages.len() >= ONE_AT_A_TIME_FROM && page.kind.shows_whole_edition());
    let (mut results, rest_results): (Outcomes<T>, Outcomes<T>) = rayon::join(
        || whole.iter().map(|(i, page)| (*i, render_one(page))).collect(),
        || rest.par_iter().map(|(i, page)| (*i, render_one(page))).collect(),
    );
    results.extend(rest_results);
    results.sort_by_key(|(i, _)| *i);
    let results = results.into_iter().map(|(_, result)| result);
    let mut rendered = Vec::with_capacity(pages.len());
    // Report a broken template once, not once per page that uses it.
    let mut reported = std::collections::BTreeSet::new();
    for result in results {
        match result {
            Ok(page) => rendered.push(page),
            Err(diagnostic) => {
                let key = (diagnostic.file.clone(), diagnostic.message.split(" failed: ").nth(1).map(str::to_string));
                if reported.insert(key) {
                    diagnostics.push(diagnostic);
                }
            }
        }
    }
    rendered
}
