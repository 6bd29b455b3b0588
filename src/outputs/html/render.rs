//! Stage 4, render: every planned page through MiniJinja, in parallel.
//!
//! Templates are parsed once. Each page names `<edition>/<kind>.html`; when the theme has no
//! edition-specific template, the shared `<kind>.html` is used, so editions differ by data and
//! only override the templates whose layout really differs.

use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Kwargs, Serde, Value, ValueKind};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State, UndefinedBehavior};
use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::editions::theme::Template;
use crate::editions::{EditionSet, Page};

/// The theme's parsed templates, with the `asset()` function and the escaping they render with.
pub type Templates = Environment<'static>;

/// `asset(path="style.css")` in a template: the fingerprinted address of a theme asset or
/// picture (relative to the output root), so it can be cached for a long time.
fn asset(assets: &std::collections::BTreeMap<String, String>, kwargs: &Kwargs) -> Result<Value, Error> {
    let path: Option<&str> = kwargs.get("path")?;
    kwargs.assert_all_used()?;
    let path = path.ok_or_else(|| {
        Error::new(ErrorKind::MissingArgument, "asset() needs a path, e.g. asset(path=\"style.css\")")
    })?;
    match assets.get(path) {
        Some(address) => Ok(Value::from_safe_string(address.clone())),
        None => Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("the theme has no asset `{path}` (in assets/, or a picture in pictures/)"),
        )),
    }
}

/// Writes a value the way Tera did: `null` as nothing, `true` in lower case (MiniJinja writes
/// `True`), a fraction as Rust prints it (`2`, not `2.0`), and text
/// escaped with our own function when the template is HTML or XML. MiniJinja's own escaping
/// also writes every `/` as `&#x2f;`, which quoted attributes and text do not need; the minifier
/// and the link checker would only undo it again.
fn format_value(out: &mut Output<'_>, state: &mut State<'_, '_>, value: &Value) -> Result<(), Error> {
    if value.is_none() {
        return Ok(());
    }
    if value.kind() == ValueKind::Bool {
        return out.write_str(if value.is_true() { "true" } else { "false" }).map_err(Error::from);
    }
    if value.is_number() && !value.is_integer() {
        if let Ok(number) = f64::try_from(value.clone()) {
            return write!(out, "{number}").map_err(Error::from);
        }
    }
    let escaped = matches!(state.auto_escape(), AutoEscape::Html) && !value.is_safe();
    let text = match value.as_str() {
        Some(text) => std::borrow::Cow::Borrowed(text),
        None => std::borrow::Cow::Owned(value.to_string()),
    };
    if escaped && text.contains(['&', '<', '>', '"', '\'']) {
        out.write_str(&crate::text::markdown::escape(&text)).map_err(Error::from)
    } else {
        out.write_str(&text).map_err(Error::from)
    }
}

/// Parses the theme's templates. Syntax errors name the template and line. `assets` maps each
/// asset's name (`style.css`, `pictures/help.svg`) to its fingerprinted output path.
pub fn templates(
    templates: &[Template],
    theme_label: &str,
    assets: std::sync::Arc<std::collections::BTreeMap<String, String>>,
    diagnostics: &mut Diagnostics,
) -> Option<Templates> {
    let mut env = Environment::new();
    // Whitespace as Tera wrote it: no block tag trims, and a template's last newline is kept.
    match SyntaxConfig::builder().keep_trailing_newline(true).build() {
        Ok(syntax) => env.set_syntax(syntax),
        Err(error) => {
            diagnostics
                .push(Diagnostic::error(Code::Template, format!("the template syntax cannot be set up: {error}")));
            return None;
        }
    }
    // A misspelt variable or field is an error, also in `{% if %}` and `{% for %}`.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // Errors then say which expression was undefined, and where.
    env.set_debug(true);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") || name.ends_with(".xml") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_formatter(format_value);
    env.add_function("asset", move |kwargs: Kwargs| asset(&assets, &kwargs));
    // Every template is parsed, so that every broken one is reported, not only the first.
    let mut ok = true;
    for template in templates {
        if let Err(error) = env.add_template_owned(template.name.clone(), template.text.clone()) {
            ok = false;
            let source = error.template_source().unwrap_or(&template.text);
            let name = error.name().unwrap_or(&template.name);
            diagnostics.push(
                Diagnostic::error(
                    Code::Template,
                    format!("template {name} has a syntax error: {}", error.detail().unwrap_or("it cannot be parsed")),
                )
                .in_file(template_file(theme_label, name))
                .at(span(&error, source))
                .help(
                    "check the {% %} and {{ }} tags here against the template syntax (MiniJinja's, as in \
                         Jinja2): https://docs.rs/minijinja/latest/minijinja/syntax/",
                ),
            );
        }
    }
    ok.then_some(env)
}

/// How a template file is named in messages, e.g. `themes/default/templates/statement.html`.
fn template_file(theme_label: &str, name: &str) -> String {
    format!("{}/templates/{name}", theme_label.trim_end_matches('/'))
}

/// What went wrong, without the " (in file:line)" that the diagnostic shows as its place.
fn describe(error: &Error) -> String {
    match error.detail() {
        Some(detail) => format!("{}: {detail}", error.kind()),
        None => error.kind().to_string(),
    }
}

/// The byte range of the failing expression in `source`, or else of the whole line it is on.
fn span(error: &Error, source: &str) -> Option<std::ops::Range<usize>> {
    if let Some(range) = error.range().filter(|r| r.start <= r.end && r.end <= source.len()) {
        return Some(range.start..range.end.max(range.start + 1).min(source.len()));
    }
    let line = error.line()?;
    let start: usize = source.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let end = source[start.min(source.len())..].find('\n').map_or(source.len(), |i| start + i);
    Some(start.min(source.len())..end.max(start + 1).min(source.len()))
}

/// The error where the failure happened: an error inside an included template, a parent's
/// block or a `super()` comes wrapped in one for the tag that led there. Also the places it was
/// reached from, outermost first, as `file:line`.
fn innermost(error: &Error) -> (&Error, Vec<String>) {
    let mut inner = error;
    let mut via = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(next) = cause.downcast_ref::<Error>().filter(|e| e.name().is_some()) {
            if let (Some(name), Some(line)) = (inner.name(), inner.line()) {
                via.push(format!("{name}:{line}"));
            }
            inner = next;
        }
        source = cause.source();
    }
    (inner, via)
}

/// A render failure as a diagnostic at the template, line and expression where it happened.
fn render_error(env: &Templates, theme_label: &str, path: &str, template: &str, error: &Error) -> Diagnostic {
    let (inner, via) = innermost(error);
    let name = inner.name().unwrap_or(template);
    let source = inner
        .template_source()
        .map(str::to_string)
        .or_else(|| env.get_template(name).ok().map(|t| t.source().to_string()))
        .unwrap_or_default();
    let mut message = format!("rendering {path} with {template} failed: {}", describe(inner));
    if !via.is_empty() {
        message.push_str(&format!(" (reached from {})", via.join(", ")));
    }
    let help = match inner.kind() {
        ErrorKind::UndefinedError => {
            "the template uses a variable or field that this page does not have; check its name against the \
             page context (src/editions/views.rs, `PageContext` and the views it holds)"
        }
        ErrorKind::UnknownFilter | ErrorKind::UnknownFunction | ErrorKind::UnknownTest | ErrorKind::UnknownMethod => {
            "a template can use MiniJinja's built-in filters, tests and functions, and asset(path=\"...\")"
        }
        ErrorKind::TemplateNotFound => "add the template to templates/, or fix the name in the tag",
        _ => "fix the template at this place",
    };
    Diagnostic::error(Code::Template, message)
        .in_file(template_file(theme_label, name))
        .at(if source.is_empty() { None } else { span(inner, &source) })
        .help(help)
}

/// The theme lacks the template a page needs.
fn missing_template(theme_label: &str, template: &str, path: &str, help: String) -> Diagnostic {
    Diagnostic::error(Code::MissingTemplate, format!("the theme has no template {template} (needed for {path})"))
        .in_file(template_file(theme_label, template))
        .help(help)
}

/// Renders one context that is not a planned page (a publisher's report) with `template`.
pub fn render_context(
    env: &Templates,
    theme_label: &str,
    template: &str,
    context: &crate::editions::PageContext,
) -> Result<String, Diagnostic> {
    let compiled = env
        .get_template(template)
        .map_err(|_| missing_template(theme_label, template, &context.path, format!("add templates/{template}")))?;
    compiled
        .render(Value::from(Serde(context)))
        .map_err(|error| render_error(env, theme_label, &context.path, template, &error))
}

/// Builds of at least this many pages render whole-edition pages one at a time.
const ONE_AT_A_TIME_FROM: usize = 1000;

/// Renders pages in parallel, building each page's context as it goes, and hands each page's
/// HTML (and the time it took) to `finish` on the same thread (so the build can check, minify and write a page and then
/// let it go, rather than hold every page at once). Failures become diagnostics naming the
/// template, line and expression. Results come back in the order of `pages`.
pub fn render<T: Send>(
    env: &Templates,
    editions: &EditionSet<'_>,
    pages: &[&Page],
    theme_label: &str,
    finish: &(dyn Fn(&Page, String, std::time::Duration) -> T + Sync),
    diagnostics: &mut Diagnostics,
) -> Vec<T> {
    let names: std::collections::BTreeSet<&str> = env.templates().map(|(name, _)| name).collect();
    let render_one = |page: &&Page| -> Result<T, Diagnostic> {
        let template = if names.contains(page.template.as_str()) {
            page.template.as_str()
        } else {
            page.template.rsplit('/').next().unwrap_or(page.template.as_str())
        };
        let Ok(compiled) = env.get_template(template) else {
            let help = format!("add templates/{template}, or templates/{}", page.template);
            return Err(missing_template(theme_label, template, &page.path, help));
        };
        let started = std::time::Instant::now();
        // The context moves into the render, so that a whole-edition page's context (as big as
        // its HTML) is let go before the HTML is checked and minified.
        let html = compiled.render(Value::from(Serde(editions.context(page))));
        // Links by id in the texts lead where the id is shown from this page.
        let html = html.map(|html| crate::text::markdown::resolve_id_links(html, |id| editions.id_link(page, id)));
        html.map(|html| finish(page, html, started.elapsed()))
            .map_err(|error| render_error(env, theme_label, &page.path, template, &error))
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
                // The same failure reached from another template or page is the same fix.
                let what = diagnostic.message.split(" failed: ").nth(1).and_then(|m| m.split(" (reached from ").next());
                let span = diagnostic.span.as_ref().map(|s| (s.start, s.end));
                let key = (diagnostic.file.clone(), span, what.map(str::to_string));
                if reported.insert(key) {
                    diagnostics.push(diagnostic);
                }
            }
        }
    }
    rendered
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(sources: &[(&str, &str)]) -> (Option<Templates>, Diagnostics) {
        let list: Vec<Template> =
            sources.iter().map(|(name, text)| Template { name: name.to_string(), text: text.to_string() }).collect();
        let assets = std::sync::Arc::new(std::collections::BTreeMap::from([(
            "style.css".to_string(),
            "assets/style.0123abcd.css".to_string(),
        )]));
        let mut diagnostics = Diagnostics::new();
        let env = templates(&list, "themes/t", assets, &mut diagnostics);
        (env, diagnostics)
    }

    fn render(sources: &[(&str, &str)], context: serde_json::Value) -> Result<String, Error> {
        let (env, diagnostics) = env(sources);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let env = env.unwrap();
        env.get_template(sources[0].0)?.render(Value::from(Serde(context)))
    }

    #[test]
    fn values_print_as_tera_printed_them() {
        let context = serde_json::json!({
            "none": null, "text": "a/b <i>&'\"", "html": "<b>x</b>", "n": 3, "x": 2.5, "whole": 2.0, "yes": true,
        });
        let out = render(
            &[("t.html", "[{{ none }}][{{ text }}][{{ html | safe }}][{{ n }}][{{ x }}][{{ whole }}][{{ yes }}]")],
            context.clone(),
        )
        .unwrap();
        assert_eq!(out, "[][a/b &lt;i&gt;&amp;&#39;&quot;][<b>x</b>][3][2.5][2][true]");
        // Only .html and .xml are escaped.
        assert_eq!(render(&[("t.txt", "{{ text }}")], context).unwrap(), "a/b <i>&'\"");
    }

    #[test]
    fn whitespace_is_kept_as_written() {
        let out = render(&[("t.html", "{% if true %}\n  <p>a</p>\n{% endif %}\n")], serde_json::json!({})).unwrap();
        assert_eq!(out, "\n  <p>a</p>\n\n");
    }

    #[test]
    fn asset_takes_a_path_keyword_and_is_not_escaped() {
        let out = render(&[("t.html", "{{ asset(path=\"style.css\") }}")], serde_json::json!({})).unwrap();
        assert_eq!(out, "assets/style.0123abcd.css");
        let error = render(&[("t.html", "{{ asset(path=\"nope.css\") }}")], serde_json::json!({})).unwrap_err();
        assert!(describe(&error).contains("no asset `nope.css`"), "{error}");
        assert!(render(&[("t.html", "{{ asset() }}")], serde_json::json!({})).is_err());
    }

    #[test]
    fn undefined_is_an_error_but_can_be_tested_for() {
        let error =
            render(&[("t.html", "a\n{% if page.nope %}x{% endif %}")], serde_json::json!({"page": {}})).unwrap_err();
        assert_eq!((error.name(), error.line()), (Some("t.html"), Some(2)));
        assert_eq!(
            render(
                &[("t.html", "{% if page.nope is defined %}x{% else %}y{% endif %}")],
                serde_json::json!({"page": {}})
            )
            .unwrap(),
            "y"
        );
    }

    #[test]
    fn sets_in_an_if_and_loop_variables_reach_an_include() {
        let out = render(
            &[
                ("t.html", "{% if true %}{% set unit = \"part\" %}{% endif %}{% for s in [1, 2] %}{% include \"i.html\" %}{% endfor %}"),
                ("i.html", "{{ unit }}{{ s }};"),
            ],
            serde_json::json!({}),
        )
        .unwrap();
        assert_eq!(out, "part1;part2;");
    }

    #[test]
    fn an_error_in_an_include_is_placed_in_the_included_file() {
        let sources = [("t.html", "one\n{% include \"i.html\" %}"), ("i.html", "x\ny\n{{ nope.field }}")];
        let error = render(&sources, serde_json::json!({})).unwrap_err();
        let (inner, via) = innermost(&error);
        assert_eq!((inner.name(), inner.line()), (Some("i.html"), Some(3)));
        assert_eq!(via, ["t.html:2"]);
        assert_eq!(span(inner, sources[1].1).map(|r| &sources[1].1[r]), Some("nope.field"));
    }

    #[test]
    fn every_broken_template_is_reported_with_its_place() {
        let (env, diagnostics) = env(&[("a.html", "ok\n{{ x }"), ("b.html", "{% if %}"), ("c.html", "fine")]);
        assert!(env.is_none());
        let files: Vec<_> = diagnostics.sorted().iter().map(|d| (d.file.clone(), d.span.clone())).collect();
        assert_eq!(
            files,
            [
                (Some("themes/t/templates/a.html".to_string()), Some(8..9)),
                (Some("themes/t/templates/b.html".to_string()), Some(6..8)),
            ]
        );
    }
}
