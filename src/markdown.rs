//! Markdown to HTML, once per text, with the safety rules applied on the way.
//!
//! Raw HTML is shown as text unless the publication allows it, and link targets that could run
//! code (`javascript:`, `data:`, `vbscript:`) are dropped and reported. Headings are shifted down
//! so a body's `#` sits under the page's own headings.

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

/// Rendered HTML and any refused links.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub refused: Vec<RefusedLink>,
    /// Where (a byte offset in the source) the text first nests block quotes, lists or emphasis
    /// deeper than [`MAX_NESTING`]; the elements below that depth are flattened into their text.
    pub too_deep: Option<usize>,
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

/// Renders Markdown to HTML.
pub fn render(source: &str, options: MarkdownOptions) -> Rendered {
    let mut refused = Vec::new();
    let parser = Parser::new_ext(source, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).into_offset_iter();
    // Drop the tags (not the text) of elements nested deeper than MAX_NESTING. Start and End
    // events come in balanced pairs, so dropping both ends keeps the HTML well formed.
    let mut depth = 0usize;
    let mut too_deep = None;
    let parser = parser
        .filter(|(event, range)| match event {
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
    let events = parser.filter_map(|(event, range)| match event {
        Event::Html(raw) | Event::InlineHtml(raw) if !options.allow_raw_html => Some(Event::Text(raw)),
        Event::Start(Tag::Heading { level, id, classes, attrs }) => Some(Event::Start(Tag::Heading {
            level: shift(level, options.heading_offset),
            id,
            classes,
            attrs,
        })),
        Event::End(pulldown_cmark::TagEnd::Heading(level)) => {
            Some(Event::End(pulldown_cmark::TagEnd::Heading(shift(level, options.heading_offset))))
        }
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            let unsafe_target = is_unsafe_target(&dest_url);
            skip_depth.push(unsafe_target);
            if unsafe_target {
                refused.push(RefusedLink { target: dest_url.to_string(), offset: range.start });
                None
            } else {
                Some(Event::Start(Tag::Link { link_type, dest_url, title, id }))
            }
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
    html::push_html(&mut out, events);
    Rendered { html: out, refused, too_deep }
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

/// Undoes the escaping of [`escape`] and of Tera's autoescape, in one pass, allocating only when
/// there is anything to undo. Other entities are left as written.
pub fn unescape(text: &str) -> std::borrow::Cow<'_, str> {
    const ENTITIES: [(&str, char); 8] =
        [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>'), ("&quot;", '"'), ("&#39;", '\''), ("&#x27;", '\''), ("&#x2F;", '/'), ("&#x2f;", '/')];
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
    fn unescape_undoes_escape_once() {
        let text = "a & b < c > \"d\" 'e' and/or &amp;lt; &copy;";
        assert_eq!(unescape(&escape(text)), text);
        assert_eq!(unescape("x&#x2F;y &#x27;z&#x27;"), "x/y 'z'");
        assert!(matches!(unescape("plain"), std::borrow::Cow::Borrowed(_)));
    }

    const SAFE: MarkdownOptions = MarkdownOptions { allow_raw_html: false, heading_offset: 2 };

    #[test]
    fn raw_html_is_escaped_by_default() {
        let out = render("Hello <script>alert(1)</script> <b onclick=\"x\">b</b>", SAFE);
        assert!(!out.html.contains("<script"), "{}", out.html);
        assert!(out.html.contains("&lt;script&gt;"));
        assert!(!out.html.contains("<b onclick"));
    }

    #[test]
    fn raw_html_passes_when_allowed() {
        let out = render("<b>bold</b>", MarkdownOptions { allow_raw_html: true, heading_offset: 0 });
        assert!(out.html.contains("<b>bold</b>"));
    }

    #[test]
    fn unsafe_links_are_dropped_and_reported() {
        let out = render("[click](javascript:alert(1)) and [ok](https://example.org) ![x]( DATA:text/html,hi)", SAFE);
        assert!(!out.html.to_lowercase().contains("javascript"), "{}", out.html);
        assert!(out.html.contains("click"));
        assert!(out.html.contains("href=\"https://example.org\""));
        assert_eq!(out.refused.len(), 2);
    }

    #[test]
    fn deep_nesting_is_flattened_and_reported() {
        for source in ["> ".repeat(5000) + "deep", "- ".repeat(5000) + "x", "*a _b ".repeat(500) + &" c_ d*".repeat(500)] {
            let out = render(&source, SAFE);
            assert!(out.too_deep.is_some(), "{}", &source[..20]);
            assert!(out.html.matches("<blockquote>").count() <= MAX_NESTING);
            assert!(out.html.matches("<li>").count() <= MAX_NESTING);
            assert_eq!(out.html.matches("<blockquote>").count(), out.html.matches("</blockquote>").count());
            assert_eq!(out.html.matches("<ul>").count(), out.html.matches("</ul>").count());
        }
        let shallow = render("> a\n> > b\n\n- x\n  - y\n", SAFE);
        assert_eq!(shallow.too_deep, None);
        assert_eq!(render("a\n\nb", SAFE).too_deep, None);
        let at = render(&format!("Fine.\n\n{}x", "> ".repeat(40)), SAFE).too_deep.unwrap();
        assert!((7..7 + 80).contains(&at), "{at}");
        assert_eq!(shallow.html.matches("<blockquote>").count(), 2);
    }

    #[test]
    fn headings_shift_down() {
        let out = render("# Top\n\n#### Deep", SAFE);
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
