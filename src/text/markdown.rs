//! Markdown to HTML, once per text, with the safety rules applied on the way.
//!
//! Raw HTML is shown as text unless the publication allows it; when it is allowed, the rendered
//! HTML goes through an HTML sanitiser (ammonia) that keeps only an allow-list of elements,
//! attributes and address schemes, and what it removed is reported. Link targets that could run
//! code (`javascript:`, `data:`, `vbscript:`) are dropped and reported. Headings are shifted down
//! so a body's `#` sits under the page's own headings.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag};

/// How to render.
#[derive(Debug, Clone, Copy)]
pub struct MarkdownOptions {
    /// Pass raw HTML through instead of escaping it.
    pub allow_raw_html: bool,
    /// How many levels to push headings down (1 turns `#` into `<h2>`).
    pub heading_offset: u8,
}

/// A link target that was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedLink {
    /// The target, as the browser would read it (character references decoded).
    pub target: String,
    /// Where the link starts in the source, in bytes.
    pub offset: usize,
}

/// Something the HTML sanitiser removed from raw HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovedHtml {
    /// What was removed, e.g. "the element `<iframe>`" or "the `href` target `javascript:x`".
    pub what: String,
    /// Whether it was an address that could run code (`javascript:` and the like).
    pub executable: bool,
    /// Where the raw HTML holding it starts in the source, in bytes.
    pub offset: usize,
}

/// Rendered HTML and any refused links.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub refused: Vec<RefusedLink>,
    /// What the sanitiser removed from raw HTML (only when raw HTML is allowed).
    pub removed: Vec<RemovedHtml>,
    /// Where (a byte offset in the source) the text first nests block quotes, lists or emphasis
    /// deeper than [`MAX_NESTING`]; the elements below that depth are flattened into their text.
    pub too_deep: Option<usize>,
    /// Links to another part of the publication, written by id or as a file address.
    pub links: Vec<ContentLink>,
}

/// A link in a text to another part of the publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentLink {
    /// The target as written, e.g. `qs-2` or `qs-2.html`.
    pub target: String,
    /// Where the link starts in the source, in bytes.
    pub offset: usize,
    /// Whether it names an id (resolved per page) or a file (which breaks on other pages).
    pub kind: ContentLinkKind,
}

/// How a link to another part of the publication is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentLinkKind {
    /// By id (`[statement 2](qs-2)`): rendered as [`ID_LINK_PREFIX`] and the id, for each page
    /// to resolve where the id is shown from there.
    Id,
    /// By a relative file address (`qs-2.html`, `../law/x.html`): right from one page only.
    File,
}

/// How a link by id is written in rendered HTML until the page it lands on resolves it.
pub const ID_LINK_PREFIX: &str = "#guidepress:";

/// The attribute a link by id starts with in rendered HTML, searched for on every page.
const ID_LINK_ATTRIBUTE: &str = " href=\"#guidepress:";

/// How a link target written in content is read: `None` for an address outside the
/// publication (with a scheme, such as `https:`), an anchor on the same page (`#x`) or nothing.
pub fn content_link_kind(target: &str) -> Option<ContentLinkKind> {
    let target = target.trim();
    if target.is_empty() || target.starts_with('#') || target.starts_with("//") {
        return None;
    }
    let path_end = target.find(['/', '?', '#']).unwrap_or(target.len());
    if target[..path_end].contains(':') {
        return None;
    }
    if target.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        Some(ContentLinkKind::Id)
    } else {
        Some(ContentLinkKind::File)
    }
}

/// Replaces each link by id in `html` with where `resolve` says the id is shown from this
/// page; a link `resolve` has no place for keeps its text and loses its address.
pub fn resolve_id_links(html: String, resolve: impl Fn(&str) -> Option<String>) -> String {
    let marker = ID_LINK_ATTRIBUTE;
    if !html.contains(marker) {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(at) = rest.find(marker) {
        out.push_str(&rest[..at]);
        let after = &rest[at + marker.len()..];
        let Some(end) = after.find('"') else {
            out.push_str(&rest[at..]);
            rest = "";
            break;
        };
        if let Some(address) = resolve(&after[..end]) {
            out.push_str(" href=\"");
            out.push_str(&escape(&address));
            out.push('"');
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// How deeply elements may nest in rendered Markdown. Guidance never needs more than a few
/// levels, and later stages (the HTML minifier) recurse once per level, so a text of thousands
/// of nested `>` or `-` would otherwise overflow the stack and crash the build.
pub const MAX_NESTING: usize = 32;

/// Whether a link target uses a scheme that can run code in the reader's browser.
pub fn is_unsafe_target(target: &str) -> bool {
    // Browsers ignore leading spaces and control characters and are case-insensitive here.
    let cleaned: String = target
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "data:", "vbscript:"].iter().any(|scheme| cleaned.starts_with(scheme))
}

/// Renders Markdown to HTML, with footnote ids that are unique for `scope` (e.g. the file and
/// field), so that two texts on one page (the print page) never share an id.
pub fn render(source: &str, options: MarkdownOptions, scope: &str) -> Rendered {
    let mut refused = Vec::new();
    let mut links = Vec::new();
    let parser =
        Parser::new_ext(source, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES)
            .into_offset_iter();
    // Drop the tags (not the text) of elements nested deeper than MAX_NESTING. Start and End
    // events come in balanced pairs, so dropping both ends keeps the HTML well formed.
    let mut depth = 0usize;
    let mut too_deep = None;
    let parser = parser.filter(|(event, range)| match event {
        Event::Start(_) => {
            depth += 1;
            if depth > MAX_NESTING && too_deep.is_none() {
                too_deep = Some(range.start);
            }
            depth <= MAX_NESTING
        }
        Event::End(_) => {
            let keep = depth <= MAX_NESTING;
            depth = depth.saturating_sub(1);
            keep
        }
        _ => true,
    });
    let mut skip_depth: Vec<bool> = Vec::new();
    // Raw HTML as written, with where it starts; an HTML block comes one line per event, and
    // touching pieces are joined so a tag split over lines is read whole.
    let mut raw_html: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    // An HTML comment is an editor's private note: never published, in either mode. A block
    // comment comes a line per event, so the state carries until its `-->`.
    let mut in_comment = false;
    let events = parser.filter_map(|(event, range)| match event {
        Event::Html(raw) | Event::InlineHtml(raw) if in_comment || raw.trim_start().starts_with("<!--") => {
            in_comment = !raw.contains("-->");
            None
        }
        Event::Html(raw) | Event::InlineHtml(raw) if !options.allow_raw_html => Some(Event::Text(raw)),
        Event::Html(raw) | Event::InlineHtml(raw) => {
            match raw_html.last_mut() {
                Some((text, last)) if last.end == range.start => {
                    text.push_str(&raw);
                    last.end = range.end;
                }
                _ => raw_html.push((raw.to_string(), range)),
            }
            Some(Event::Html(raw))
        }
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            Some(Event::Start(Tag::Heading { level: shift(level, options.heading_offset), id, classes, attrs }))
        }
        Event::End(pulldown_cmark::TagEnd::Heading(level)) => {
            Some(Event::End(pulldown_cmark::TagEnd::Heading(shift(level, options.heading_offset))))
        }
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            let unsafe_target = is_unsafe_target(&dest_url);
            skip_depth.push(unsafe_target);
            if unsafe_target {
                refused.push(RefusedLink { target: dest_url.to_string(), offset: range.start });
                return None;
            }
            let kind = (link_type != pulldown_cmark::LinkType::Email).then(|| content_link_kind(&dest_url)).flatten();
            let dest_url = match kind {
                Some(kind) => {
                    let target = dest_url.trim().to_string();
                    let dest = if kind == ContentLinkKind::Id {
                        CowStr::from(format!("{ID_LINK_PREFIX}{target}"))
                    } else {
                        dest_url
                    };
                    links.push(ContentLink { target, offset: range.start, kind });
                    dest
                }
                None => dest_url,
            };
            Some(Event::Start(Tag::Link { link_type, dest_url, title, id }))
        }
        Event::End(pulldown_cmark::TagEnd::Link) => {
            if skip_depth.pop().unwrap_or(false) {
                None
            } else {
                Some(Event::End(pulldown_cmark::TagEnd::Link))
            }
        }
        Event::Start(Tag::Image { dest_url, .. }) if is_unsafe_target(&dest_url) => {
            refused.push(RefusedLink { target: dest_url.to_string(), offset: range.start });
            skip_depth.push(true);
            Some(Event::Text(CowStr::Borrowed("")))
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            skip_depth.push(false);
            Some(Event::Start(Tag::Image { link_type, dest_url, title, id }))
        }
        Event::End(pulldown_cmark::TagEnd::Image) => {
            if skip_depth.pop().unwrap_or(false) {
                None
            } else {
                Some(Event::End(pulldown_cmark::TagEnd::Image))
            }
        }
        other => Some(other),
    });
    let mut out = String::with_capacity(source.len() * 3 / 2);
    if source.contains("[^") {
        html::push_html(&mut out, place_footnotes(events.collect(), scope).into_iter());
    } else {
        html::push_html(&mut out, events);
    }
    let mut removed = Vec::new();
    if options.allow_raw_html {
        out = sanitise(&out);
        for (raw, range) in &raw_html {
            let written = &source[range.clone()];
            removed.extend(removed_from(raw, written, range.start));
            // A link in raw HTML is published as written, never resolved by id: any address
            // into the publication is right from one page only.
            links.extend(raw_html_links(written, range.start));
        }
    }
    Rendered { html: out, refused, removed, too_deep, links }
}

/// Footnote numbers in the order notes are first referred to.
struct NoteNumbers<'s> {
    scope: &'s str,
    /// A definition's label (in lower case) to its position among the definitions.
    by_label: HashMap<String, usize>,
    /// A definition's position to its number and how many references to it came so far.
    numbers: HashMap<usize, (usize, usize)>,
    /// Definition positions in number order.
    order: Vec<usize>,
}

impl NoteNumbers<'_> {
    /// A reference as a link to its note (or as the text written, when there is no such note);
    /// any other event as it is.
    fn event<'a>(&mut self, event: Event<'a>) -> Event<'a> {
        let Event::FootnoteReference(label) = event else {
            return event;
        };
        let Some(&index) = self.by_label.get(&label.to_lowercase()) else {
            return Event::Text(CowStr::from(format!("[^{label}]")));
        };
        let next = self.order.len() + 1;
        let (number, uses) = *self.numbers.entry(index).and_modify(|(_, uses)| *uses += 1).or_insert_with(|| (next, 1));
        if number == next && uses == 1 {
            self.order.push(index);
        }
        let scope = self.scope;
        let suffix = if uses > 1 { format!("-{uses}") } else { String::new() };
        Event::Html(CowStr::from(format!(
            "<sup class=\"footnote-ref\"><a href=\"#fn-{scope}-{number}\" id=\"fnref-{scope}-{number}{suffix}\"><span class=\"visually-hidden\">note </span>{number}</a></sup>"
        )))
    }
}

/// The `href` targets in a piece of raw HTML that lead into the publication, as file links.
fn raw_html_links(written: &str, offset: usize) -> Vec<ContentLink> {
    let mut found = Vec::new();
    let lower = written.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("href=").map(|i| from + i + "href=".len()) {
        from = at;
        let rest = &written[at..];
        let (value, start) = match rest.chars().next() {
            Some(quote @ ('"' | '\'')) => (rest[1..].split(quote).next().unwrap_or(""), at + 1),
            _ => (rest.split(|c: char| c.is_whitespace() || c == '>').next().unwrap_or(""), at),
        };
        let target = unescape(value).into_owned();
        // Addresses that could run code are the sanitiser's to report; a character reference
        // this reader does not decode is left to it too.
        if is_unsafe_target(&target) || target.contains("&#") {
            continue;
        }
        if content_link_kind(&target).is_some() {
            found.push(ContentLink { target, offset: offset + start, kind: ContentLinkKind::File });
        }
    }
    found
}

/// Moves footnote definitions to a numbered list at the end of the text, numbered in the order
/// they are first referred to, with a link from each reference to its note and back. Ids start
/// with `fn-` and `fnref-` and the scope, so notes of different texts on one page stay apart.
fn place_footnotes<'a>(events: Vec<Event<'a>>, scope: &str) -> Vec<Event<'a>> {
    let scope: String =
        scope.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let mut body = Vec::with_capacity(events.len());
    let mut definitions: Vec<(CowStr<'a>, Vec<Event<'a>>)> = Vec::new();
    let mut current: Option<(CowStr<'a>, Vec<Event<'a>>)> = None;
    for event in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) => current = Some((label, Vec::new())),
            Event::End(pulldown_cmark::TagEnd::FootnoteDefinition) => definitions.extend(current.take()),
            other => match current.as_mut() {
                Some((_, inner)) => inner.push(other),
                None => body.push(other),
            },
        }
    }
    let mut numbering =
        NoteNumbers { scope: &scope, by_label: HashMap::new(), numbers: HashMap::new(), order: Vec::new() };
    for (index, (label, _)) in definitions.iter().enumerate() {
        numbering.by_label.entry(label.to_lowercase()).or_insert(index);
    }
    let mut out: Vec<Event<'a>> = body.into_iter().map(|event| numbering.event(event)).collect();
    if definitions.is_empty() {
        return out;
    }
    // Notes in the order first referred to (a note may refer to a later one); notes never
    // referred to are still the editor's text, so they follow.
    let mut notes: Vec<(bool, Vec<Event<'a>>)> = Vec::new();
    let mut done = vec![false; definitions.len()];
    let mut listed = 0;
    loop {
        let (index, referred) = match numbering.order.get(listed) {
            Some(&index) => (index, true),
            None => match done.iter().position(|d| !d) {
                Some(index) => (index, false),
                None => break,
            },
        };
        if referred {
            listed += 1;
        }
        if std::mem::replace(&mut done[index], true) {
            continue;
        }
        let inner = std::mem::take(&mut definitions[index].1);
        notes.push((referred, inner.into_iter().map(|event| numbering.event(event)).collect()));
    }
    out.push(Event::Html(CowStr::Borrowed("<div class=\"footnotes\">\n<ol>\n")));
    for (position, (referred, mut inner)) in notes.into_iter().enumerate() {
        let number = position + 1;
        out.push(Event::Html(CowStr::from(format!("<li id=\"fn-{scope}-{number}\">"))));
        if referred {
            let back = Event::Html(CowStr::from(format!(
                " <a href=\"#fnref-{scope}-{number}\" class=\"footnote-back\">Back to the text<span class=\"visually-hidden\"> of note {number}</span></a>"
            )));
            match inner.iter().rposition(|e| matches!(e, Event::End(pulldown_cmark::TagEnd::Paragraph))) {
                Some(at) => inner.insert(at, back),
                None => inner.push(back),
            }
        }
        out.extend(inner);
        out.push(Event::Html(CowStr::Borrowed("</li>\n")));
    }
    out.push(Event::Html(CowStr::Borrowed("</ol>\n</div>\n")));
    out
}

/// Elements raw HTML in guidance may use: text structure, tables, links and pictures. Left out
/// on purpose: anything that runs code or loads a document (`script`, `iframe`, `object`,
/// `embed`), forms and their controls (`form`, `input`, `button`, which can submit to any
/// address), `style`, `svg` and `math` (foreign content, where the HTML rules of what is a tag
/// change), `base` and `meta`.
const HTML_ELEMENTS: &[&str] = &[
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "a",
    "abbr",
    "b",
    "strong",
    "i",
    "em",
    "br",
    "hr",
    "blockquote",
    "code",
    "pre",
    "sup",
    "sub",
    "span",
    "div",
    "details",
    "summary",
    "figure",
    "figcaption",
    "img",
    "del",
    "ins",
    "s",
    "mark",
    "small",
    "kbd",
    "q",
    "cite",
    "dfn",
    "time",
    "wbr",
];

/// Elements removed with everything in them, not just their tags: their content is code, or
/// markup whose meaning differs from HTML's (where mutation-XSS tricks live).
const HTML_REMOVED_WHOLE: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript", "noembed", "noframes",
    "template", "svg", "math", "textarea", "select", "xmp", "title",
];

/// Address schemes a link may use; relative addresses are allowed too. An `img` may use only
/// `https:` or a relative address (see [`image_source_is_allowed`]).
const HTML_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

fn html_sanitiser() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::empty();
    let mut tag_attributes: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (tag, attributes) in [
        ("a", &["href", "title", "id", "class"][..]),
        ("img", &["src", "alt", "title", "width", "height"]),
        ("ol", &["start", "reversed", "type"]),
        ("li", &["value", "id"]),
        ("sup", &["class"]),
        ("span", &["class"]),
        ("div", &["class"]),
        ("th", &["colspan", "rowspan", "scope"]),
        ("td", &["colspan", "rowspan"]),
        ("abbr", &["title"]),
        ("time", &["datetime"]),
        ("details", &["open"]),
    ] {
        tag_attributes.insert(tag, attributes.iter().copied().collect());
    }
    // pulldown-cmark aligns table columns with a style attribute: keep exactly those values.
    let alignments: HashSet<&str> =
        ["text-align: left", "text-align: center", "text-align: right"].into_iter().collect();
    let mut tag_attribute_values: HashMap<&str, HashMap<&str, HashSet<&str>>> = HashMap::new();
    for tag in ["th", "td"] {
        tag_attribute_values.insert(tag, [("style", alignments.clone())].into_iter().collect());
    }
    builder
        .tags(HTML_ELEMENTS.iter().copied().collect())
        .clean_content_tags(HTML_REMOVED_WHOLE.iter().copied().collect())
        .generic_attributes(["lang", "dir"].into_iter().collect())
        .tag_attributes(tag_attributes)
        .tag_attribute_values(tag_attribute_values)
        .url_schemes(HTML_SCHEMES.iter().copied().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true)
        .attribute_filter(|element, attribute, value| match attribute {
            "src" if element == "img" && !image_source_is_allowed(value) => None,
            // Only the footnotes' own ids and classes: raw HTML may not restyle the page or
            // claim the page's ids.
            "id" if !value.starts_with("fn-") && !value.starts_with("fnref-") => None,
            "class" if !FOOTNOTE_CLASSES.contains(&value) => None,
            _ => Some(Cow::Borrowed(value)),
        });
    builder
}

/// The classes footnotes are rendered with, the only ones kept when raw HTML is allowed.
const FOOTNOTE_CLASSES: &[&str] = &["footnote-ref", "footnotes", "footnote-back", "visually-hidden"];

/// Whether an `img` may load `src`: an `https:` address or a relative one (no scheme at all).
fn image_source_is_allowed(src: &str) -> bool {
    let src = src.trim();
    let lower = src.to_ascii_lowercase();
    if lower.starts_with("https://") {
        return true;
    }
    let path_end = src.find(['/', '?', '#']).unwrap_or(src.len());
    !src[..path_end].contains(':') && !src.starts_with("//")
}

/// The rendered HTML of a text with raw HTML, with only allowed elements, attributes and
/// addresses left.
fn sanitise(html: &str) -> String {
    html_sanitiser().clean(html).to_string()
}

/// Attributes that hold an address, by element, for reporting refused targets.
const ADDRESS_ATTRIBUTES: &[(&str, &str)] = &[
    ("a", "href"),
    ("area", "href"),
    ("img", "src"),
    ("iframe", "src"),
    ("frame", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("form", "action"),
    ("button", "formaction"),
    ("input", "formaction"),
    ("base", "href"),
    ("link", "href"),
];

/// What the sanitiser removes from one piece of raw HTML: elements that are not allowed, event
/// and style attributes, and addresses that could run code. `written` is the same piece as it
/// is in the source, to find the line of a target written plainly; otherwise the piece's start
/// is given. This only reports: the output is made safe by [`sanitise`] either way.
fn removed_from(raw: &str, written: &str, offset: usize) -> Vec<RemovedHtml> {
    let found: Arc<Mutex<Vec<(String, bool, String)>>> = Arc::default();
    let mut reporter = ammonia::Builder::empty();
    let mut tag_attributes: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (tag, attribute) in ADDRESS_ATTRIBUTES {
        tag_attributes.entry(tag).or_default().insert(attribute);
    }
    let tags: HashSet<&str> =
        HTML_ELEMENTS.iter().chain(ADDRESS_ATTRIBUTES.iter().map(|(tag, _)| tag)).copied().collect();
    let mut schemes: HashSet<&str> = HTML_SCHEMES.iter().copied().collect();
    // Let the executable schemes through to the filter below, which records them.
    schemes.extend(["javascript", "vbscript", "data"]);
    let record = Arc::clone(&found);
    reporter
        .tags(tags)
        .clean_content_tags(HashSet::new())
        .generic_attributes(["style"].into_iter().collect())
        .generic_attribute_prefixes(["on"].into_iter().collect())
        .tag_attributes(tag_attributes)
        .url_schemes(schemes)
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None)
        .attribute_filter(move |element, attribute, value| {
            let address = ADDRESS_ATTRIBUTES.iter().any(|(tag, name)| *tag == element && *name == attribute);
            let entry = if address && is_unsafe_target(value) {
                Some((
                    format!("the `{attribute}` target `{}` in `<{element}>`", value.escape_debug()),
                    true,
                    value.to_string(),
                ))
            } else if element == "img" && attribute == "src" && !image_source_is_allowed(value) {
                Some((
                    format!("the `<img>` address `{value}`, which is neither https: nor relative,"),
                    false,
                    value.to_string(),
                ))
            } else if attribute.starts_with("on") {
                Some((format!("the event attribute `{attribute}` in `<{element}>`"), false, format!("{attribute}=")))
            } else if attribute == "style" {
                Some((format!("the `style` attribute in `<{element}>`"), false, "style=".to_string()))
            } else {
                None
            };
            if let Some(entry) = entry {
                if let Ok(mut found) = record.lock() {
                    found.push(entry);
                }
            }
            None
        });
    let _ = reporter.clean(raw);
    let mut removed: Vec<RemovedHtml> = Vec::new();
    let lower = written.to_ascii_lowercase();
    let at = |needle: &str| offset + lower.find(&needle.to_ascii_lowercase()).map_or(0, |i| line_start(written, i));
    if let Ok(found) = found.lock() {
        for (what, executable, needle) in found.iter() {
            removed.push(RemovedHtml { what: what.clone(), executable: *executable, offset: at(needle) });
        }
    }
    // Elements that are not allowed, each name once, found by their tags as written.
    let mut seen = BTreeSet::new();
    let bytes = lower.as_bytes();
    for (i, _) in lower.match_indices('<') {
        let name: String =
            lower[i + 1..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ':').collect();
        if name.is_empty()
            || !bytes[i + 1].is_ascii_alphabetic()
            || HTML_ELEMENTS.contains(&name.as_str())
            || !seen.insert(name.clone())
        {
            continue;
        }
        removed.push(RemovedHtml {
            what: format!("the element `<{name}>`"),
            executable: false,
            offset: offset + line_start(written, i),
        });
    }
    removed.sort_by_key(|r| r.offset);
    removed
}

/// The start of the line of `text` that holds byte `at`.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

fn shift(level: HeadingLevel, by: u8) -> HeadingLevel {
    let n = (level as u8).saturating_add(by).min(6);
    match n {
        1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Undoes the escaping of [`escape`] and of the usual HTML escapers, in one pass, allocating only when
/// there is anything to undo. Other entities are left as written.
pub fn unescape(text: &str) -> std::borrow::Cow<'_, str> {
    const ENTITIES: [(&str, char); 8] = [
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&#39;", '\''),
        ("&#x27;", '\''),
        ("&#x2F;", '/'),
        ("&#x2f;", '/'),
    ];
    let Some(first) = text.find('&') else {
        return std::borrow::Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first]);
    let mut rest = &text[first..];
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match ENTITIES.iter().find(|(entity, _)| rest.starts_with(entity)) {
            Some((entity, c)) => {
                out.push(*c);
                rest = &rest[entity.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_never_published() {
        let source = "Text <!-- a private note --> more.\n\n<!--\nblock\nnote\n-->\n\nAfter.";
        for allow_raw_html in [false, true] {
            let html = render(source, MarkdownOptions { allow_raw_html, heading_offset: 0 }, "t").html;
            assert_eq!(html, "<p>Text  more.</p>\n<p>After.</p>\n", "allow_raw_html: {allow_raw_html}");
        }
    }

    #[test]
    fn links_in_content_are_read_as_ids_files_or_addresses_outside() {
        use ContentLinkKind::{File, Id};
        for (target, kind) in [
            ("qs-2", Some(Id)),
            (" rec-7 ", Some(Id)),
            ("QS-2", Some(Id)),
            ("qs-2.html", Some(File)),
            ("../law/x.html", Some(File)),
            ("qs-2#measures", Some(File)),
            ("https://www.gov.uk/", None),
            ("mailto:a@example.org", None),
            ("#measures", None),
            ("//example.org", None),
            ("", None),
        ] {
            assert_eq!(content_link_kind(target), kind, "{target:?}");
        }
        let out = render("[two](qs-2), [web](https://x.org) and <a@example.org>", SAFE, "t");
        assert!(out.html.contains("<a href=\"#guidepress:qs-2\">two</a>"), "{}", out.html);
        assert_eq!(out.links, [ContentLink { target: "qs-2".into(), offset: 0, kind: Id }]);
    }

    #[test]
    fn addresses_into_the_publication_in_raw_html_are_reported() {
        let out = render(
            "See <a href=\"qs-2.html\">two</a>, <a href='https://x.org'>web</a> and <A HREF=rec-1>one</A>.",
            RAW,
            "t",
        );
        let targets: Vec<(&str, ContentLinkKind)> = out.links.iter().map(|l| (l.target.as_str(), l.kind)).collect();
        assert_eq!(targets, [("qs-2.html", ContentLinkKind::File), ("rec-1", ContentLinkKind::File)]);
        assert_eq!(out.links[0].offset, "See <a href=\"".len());
    }

    #[test]
    fn links_by_id_are_resolved_or_lose_only_their_address() {
        assert_eq!(ID_LINK_ATTRIBUTE, format!(" href=\"{ID_LINK_PREFIX}"));
        let html =
            "<p><a href=\"#guidepress:qs-2\">two</a> <a href=\"#guidepress:rec-1\" rel=\"x\">one</a></p>".to_string();
        let resolved = resolve_id_links(html, |id| (id == "qs-2").then(|| "../qs-2.html".to_string()));
        assert_eq!(resolved, "<p><a href=\"../qs-2.html\">two</a> <a rel=\"x\">one</a></p>");
        let plain = "<p>no links</p>".to_string();
        assert_eq!(resolve_id_links(plain.clone(), |_| None), plain);
    }

    #[test]
    fn footnotes_are_numbered_in_order_of_reference_and_listed_after_the_text() {
        let source = "First[^b] and second[^a], first again[^b].\n\n[^a]: Note A.\n[^b]: Note B.\n[^c]: Never referred to.\n\nLast paragraph.\n";
        for options in [SAFE, RAW] {
            let html = render(source, options, "s").html.replace('\n', "").replace(" rel=\"noopener noreferrer\"", "");
            assert!(html.contains("First<sup class=\"footnote-ref\"><a href=\"#fn-s-1\" id=\"fnref-s-1\"><span class=\"visually-hidden\">note </span>1</a></sup>"), "{html}");
            assert!(html.contains("second<sup class=\"footnote-ref\"><a href=\"#fn-s-2\" id=\"fnref-s-2\">"), "{html}");
            assert!(
                html.contains("again<sup class=\"footnote-ref\"><a href=\"#fn-s-1\" id=\"fnref-s-1-2\">"),
                "{html}"
            );
            let list = html.find("<div class=\"footnotes\">").expect("a list of notes");
            assert!(html.find("Last paragraph").is_some_and(|at| at < list), "{html}");
            assert!(
                html.contains("<li id=\"fn-s-1\"><p>Note B. <a href=\"#fnref-s-1\" class=\"footnote-back\">"),
                "{html}"
            );
            assert!(html.contains("<li id=\"fn-s-2\"><p>Note A. <a href=\"#fnref-s-2\""), "{html}");
            assert!(html.contains("<li id=\"fn-s-3\"><p>Never referred to.</p>"), "{html}");
        }
        // Without a note of that name the reference stays as written.
        assert_eq!(render("See[^x].", SAFE, "s").html, "<p>See[^x].</p>\n");
        // Raw HTML keeps no ids or classes of its own.
        let raw = render("<p id=\"main\" class=\"big\">x</p>", RAW, "s").html;
        assert!(!raw.contains("main") && !raw.contains("big"), "{raw}");
    }

    #[test]
    fn unescape_undoes_escape_once() {
        let text = "a & b < c > \"d\" 'e' and/or &amp;lt; &copy;";
        assert_eq!(unescape(&escape(text)), text);
        assert_eq!(unescape("x&#x2F;y &#x27;z&#x27;"), "x/y 'z'");
        assert!(matches!(unescape("plain"), std::borrow::Cow::Borrowed(_)));
    }

    const SAFE: MarkdownOptions = MarkdownOptions { allow_raw_html: false, heading_offset: 2 };

    #[test]
    fn raw_html_is_escaped_by_default() {
        let out = render("Hello <script>alert(1)</script> <b onclick=\"x\">b</b>", SAFE, "t");
        assert!(!out.html.contains("<script"), "{}", out.html);
        assert!(out.html.contains("&lt;script&gt;"));
        assert!(!out.html.contains("<b onclick"));
    }

    #[test]
    fn raw_html_passes_when_allowed() {
        let out = render("<b>bold</b>", MarkdownOptions { allow_raw_html: true, heading_offset: 0 }, "t");
        assert!(out.html.contains("<b>bold</b>"));
        assert!(out.removed.is_empty());
    }

    const RAW: MarkdownOptions = MarkdownOptions { allow_raw_html: true, heading_offset: 2 };

    #[test]
    fn raw_html_is_sanitised_in_every_spelling() {
        let hostile = [
            "<a href=\"javascript:alert(1)\">a</a>",
            "<a href=\"&#106;avascript:alert(2)\">b</a>",
            "<a href=\"JaVaScRiPt&#x3A;alert(3)\">c</a>",
            "<a href=\"java\tscr\nipt:alert(4)\">d</a>",
            "<a href=\" \u{1}javascript:alert(5)\">e</a>",
            "<iframe src=\"javascript:alert(6)\"></iframe>",
            "<form action=\"javascript:alert(7)\"><button>go</button></form>",
            "<button formaction=\"javascript:alert(8)\">x</button>",
            "<svg><a xlink:href=\"javascript:alert(9)\"><text>x</text></a></svg>",
            "<img src=x onerror=alert(10)>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(11)></style></mglyph></table></mtext></math>",
            "<noscript><p title=\"</noscript><img src=x onerror=alert(12)>\"></noscript>",
            "<style><img src=x onerror=alert(13)></style>",
            "<!-- <img src=x onerror=alert(14)> -->",
            "<a href=\"data:text/html,<script>alert(15)</script>\">f</a>",
            "<object data=\"javascript:alert(16)\"></object><embed src=\"javascript:alert(17)\">",
            "<div style=\"background:url(javascript:alert(18))\" onclick=\"alert(19)\">g</div>",
            "<details open ontoggle=alert(20)><summary>s</summary></details>",
            "<img src=\"http://tracker.example/x.png\" alt=\"t\">",
            "<base href=\"javascript:alert(21)//\"><meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(22)\">",
            "<script>alert(23)</script>",
        ];
        for text in hostile {
            let out = render(text, RAW, "t");
            let lower = out.html.to_ascii_lowercase();
            for bad in [
                "javascript",
                "alert(",
                "<script",
                "<iframe",
                "<form",
                "<svg",
                "<math",
                "onerror",
                "onclick",
                "ontoggle",
                "style=",
                "<style",
                "data:",
                "<base",
                "<meta",
                "http://tracker",
            ] {
                assert!(!lower.contains(bad), "{text}\n-> {}", out.html);
            }
            assert!(!out.removed.is_empty() || text.starts_with("<!--"), "nothing reported for {text}");
        }
        for text in &hostile[..9] {
            let out = render(text, RAW, "t");
            assert!(out.removed.iter().any(|r| r.executable && r.what.contains("target")), "{text}: {:?}", out.removed);
        }
    }

    #[test]
    fn allowed_raw_html_is_kept_and_reported_where_it_is() {
        let source = "# Top\n\n<details><summary>More</summary>\n\n<abbr title=\"Looked after child\">LAC</abbr> <a href=\"../law/x.html\">law</a> <a href=\"https://example.org\">web</a> <a href=\"mailto:a@b.org\">mail</a>\n\n</details>\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\nText <b>bold</b> <img src=\"https://example.org/x.png\" alt=\"x\">\n\n<div>\n<a\nhref=\"javascript:alert(1)\">x</a>\n</div>\n";
        let out = render(source, RAW, "t");
        for kept in [
            "<h3>Top</h3>",
            "<details><summary>More</summary>",
            "<abbr title=\"Looked after child\">LAC</abbr>",
            "href=\"../law/x.html\"",
            "href=\"https://example.org\"",
            "href=\"mailto:a@b.org\"",
            "<th style=\"text-align: left\">",
            "<b>bold</b>",
            "<img src=\"https://example.org/x.png\" alt=\"x\">",
        ] {
            assert!(out.html.contains(kept), "{kept} is missing from {}", out.html);
        }
        assert!(!out.html.contains("javascript"), "{}", out.html);
        let refused: Vec<_> = out.removed.iter().filter(|r| r.executable).collect();
        assert_eq!(refused.len(), 1, "{:?}", out.removed);
        // Reported at the line the target is written on, though the tag starts a line earlier.
        assert!(source[refused[0].offset..].starts_with("href=\"javascript:"), "{}", &source[refused[0].offset..]);
        let deep = render(&("> ".repeat(100) + "<b>deep</b>"), RAW, "t");
        assert!(deep.too_deep.is_some() && deep.html.matches("<blockquote>").count() <= MAX_NESTING);
    }

    #[test]
    fn unsafe_links_are_dropped_and_reported() {
        let out =
            render("[click](javascript:alert(1)) and [ok](https://example.org) ![x]( DATA:text/html,hi)", SAFE, "t");
        assert!(!out.html.to_lowercase().contains("javascript"), "{}", out.html);
        assert!(out.html.contains("click"));
        assert!(out.html.contains("href=\"https://example.org\""));
        assert_eq!(out.refused.len(), 2);
    }

    #[test]
    fn deep_nesting_is_flattened_and_reported() {
        for source in
            ["> ".repeat(5000) + "deep", "- ".repeat(5000) + "x", "*a _b ".repeat(500) + &" c_ d*".repeat(500)]
        {
            let out = render(&source, SAFE, "t");
            assert!(out.too_deep.is_some(), "{}", &source[..20]);
            assert!(out.html.matches("<blockquote>").count() <= MAX_NESTING);
            assert!(out.html.matches("<li>").count() <= MAX_NESTING);
            assert_eq!(out.html.matches("<blockquote>").count(), out.html.matches("</blockquote>").count());
            assert_eq!(out.html.matches("<ul>").count(), out.html.matches("</ul>").count());
        }
        let shallow = render("> a\n> > b\n\n- x\n  - y\n", SAFE, "t");
        assert_eq!(shallow.too_deep, None);
        assert_eq!(render("a\n\nb", SAFE, "t").too_deep, None);
        let at = render(&format!("Fine.\n\n{}x", "> ".repeat(40)), SAFE, "t").too_deep.unwrap();
        assert!((7..7 + 80).contains(&at), "{at}");
        assert_eq!(shallow.html.matches("<blockquote>").count(), 2);
    }

    #[test]
    fn headings_shift_down() {
        let out = render("# Top\n\n#### Deep", SAFE, "t");
        assert!(out.html.contains("<h3>Top</h3>"));
        assert!(out.html.contains("<h6>Deep</h6>"));
    }

    #[test]
    fn unsafe_scheme_detection_ignores_case_and_spaces() {
        assert!(is_unsafe_target(" JavaScript:x"));
        assert!(is_unsafe_target("java\tscript:x"));
        assert!(is_unsafe_target("vbscript:x"));
        assert!(!is_unsafe_target("https://www.legislation.gov.uk"));
        assert!(!is_unsafe_target("../law/x.html"));
    }
}
