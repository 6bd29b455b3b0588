//! Checks an editor's SVG picture before it is published.
//!
//! SVG is XML that a browser runs scripts in when the file is opened on its own, and there are
//! many spellings of a script (namespace prefixes, other encodings, entities, animation of an
//! `href`). A text scan cannot catch them all, so the file is parsed as XML (roxmltree, which
//! refuses DTDs and so every entity but the five built-in ones) and only an allow-list of static
//! drawing elements and attributes is kept. Values are checked after XML decoding, so character
//! references hide nothing. Anything else is refused, with its line and column.

use roxmltree::{Document, Node, NodeType, ParsingOptions};

const SVG_NAMESPACE: &str = "http://www.w3.org/2000/svg";
const XLINK_NAMESPACE: &str = "http://www.w3.org/1999/xlink";
const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

/// Elements that only draw. Left out on purpose: `script`, `a` (a link can be `javascript:`),
/// `foreignObject` (embeds HTML), every animation element (`animate`, `set`, ... can rewrite an
/// `href` into `javascript:` after the check), `image` and `feImage` (load other files, which may
/// be SVG with script), `iframe`/`object`/`embed`-like and `handler`/`listener` elements, and
/// filters (rarely needed for a pictogram; `feImage` loads files).
const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "title",
    "desc",
    "symbol",
    "use",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textPath",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
    "mask",
    "pattern",
    "marker",
    "style",
    "switch",
];

/// Attributes (without a namespace) that set geometry, paint, text layout or accessibility.
/// Event attributes (`on...`) are not here, and neither is anything that loads a file.
const ATTRIBUTES: &[&str] = &[
    "id",
    "class",
    "style",
    "lang",
    "role",
    "tabindex",
    "focusable",
    "version",
    "baseProfile",
    "aria-label",
    "aria-labelledby",
    "aria-describedby",
    "aria-hidden",
    "viewBox",
    "preserveAspectRatio",
    "width",
    "height",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "fx",
    "fy",
    "fr",
    "d",
    "points",
    "pathLength",
    "transform",
    "href",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-opacity",
    "opacity",
    "color",
    "display",
    "visibility",
    "overflow",
    "clip-path",
    "clip-rule",
    "clipPathUnits",
    "mask",
    "maskUnits",
    "maskContentUnits",
    "marker-start",
    "marker-mid",
    "marker-end",
    "markerWidth",
    "markerHeight",
    "markerUnits",
    "refX",
    "refY",
    "orient",
    "gradientUnits",
    "gradientTransform",
    "spreadMethod",
    "offset",
    "stop-color",
    "stop-opacity",
    "patternUnits",
    "patternContentUnits",
    "patternTransform",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "font-variant",
    "font-stretch",
    "text-anchor",
    "text-decoration",
    "dominant-baseline",
    "alignment-baseline",
    "baseline-shift",
    "letter-spacing",
    "word-spacing",
    "writing-mode",
    "direction",
    "dx",
    "dy",
    "rotate",
    "textLength",
    "lengthAdjust",
    "startOffset",
    "method",
    "spacing",
    "side",
    "vector-effect",
    "shape-rendering",
    "text-rendering",
    "color-interpolation",
    "paint-order",
    "mix-blend-mode",
    "isolation",
    "systemLanguage",
    "type",
    "media",
];

/// One reason a picture is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SvgProblem {
    /// 1-based line in the file.
    pub line: u32,
    /// 1-based column (in characters).
    pub column: u32,
    /// Byte range in the file's text as [`crate::source::decode`] reads it (BOM removed, line
    /// ends normalised), so a diagnostic can underline it; empty for an encoding problem.
    pub span: std::ops::Range<usize>,
    /// What was found, e.g. "element `s:script` (namespace http://www.w3.org/2000/svg) is not
    /// allowed in a picture".
    pub message: String,
    /// What would fix it, when there is something more specific than "remove it".
    pub help: Option<&'static str>,
}

/// Checks an SVG file: `Ok` if it is only drawing, otherwise every problem found (a file that is
/// not well-formed XML stops at its first error).
pub fn check_svg(bytes: &[u8]) -> Result<(), Vec<SvgProblem>> {
    let text = match utf8_text(bytes) {
        Ok(text) => text,
        Err(problem) => return Err(vec![problem]),
    };
    let options = ParsingOptions { allow_dtd: false, ..ParsingOptions::default() };
    let document = match Document::parse_with_options(&text, options) {
        Ok(document) => document,
        Err(error) => {
            let mut position = error.pos();
            if matches!(error, roxmltree::Error::DtdDetected) {
                // roxmltree reports a DTD at the start of the file; point at the DOCTYPE itself.
                if let Some(at) = text.find("<!DOCTYPE") {
                    let before = &text[..at];
                    let line = before.matches('\n').count() + 1;
                    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..].chars().count() + 1;
                    position = roxmltree::TextPos::new(
                        u32::try_from(line).unwrap_or(u32::MAX),
                        u32::try_from(column).unwrap_or(u32::MAX),
                    );
                }
            }
            let message = match error {
                roxmltree::Error::DtdDetected => {
                    "the file has a DTD (`<!DOCTYPE ...>`), which can define entities that hide a script".to_string()
                }
                roxmltree::Error::UnknownEntityReference(name, _) => {
                    format!("the file uses the entity `&{name};`, which pictures may not use")
                }
                other => format!("the file is not well-formed XML: {other}"),
            };
            let start = offset_of(&text, position.row, position.col);
            return Err(vec![SvgProblem {
                line: position.row,
                column: position.col,
                span: start..start,
                message,
                help: Some("save the picture as plain SVG, without a DOCTYPE or entities"),
            }]);
        }
    };
    let mut problems = Vec::new();
    let root = document.root_element();
    if root.tag_name().namespace() != Some(SVG_NAMESPACE) || root.tag_name().name() != "svg" {
        problems.push(problem_at(
            &document,
            root.range(),
            format!("the root element is `{}`, not an SVG `svg` element", qualified_name(&document, root)),
            None,
        ));
    }
    for node in document.root().descendants() {
        match node.node_type() {
            NodeType::PI => {
                let name = node.pi().map_or("", |pi| pi.target);
                problems.push(problem_at(
                    &document,
                    node.range(),
                    format!("the processing instruction `<?{name} ...?>` is not allowed in a picture"),
                    None,
                ));
            }
            NodeType::Element => check_element(&document, node, &mut problems),
            _ => {}
        }
    }
    problems.sort_by_key(|p| (p.span.start, p.span.end));
    problems.dedup();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The file as UTF-8 text the way the loader reads it: a UTF-8 BOM removed, line ends made `\n`.
/// Anything else (UTF-16 with or without a BOM, Latin-1 ...) is refused: a browser would read
/// it in that encoding while a UTF-8 check would see something else.
fn utf8_text(bytes: &[u8]) -> Result<String, SvgProblem> {
    let encoding_problem = |message: String| SvgProblem {
        line: 1,
        column: 1,
        span: 0..0,
        message,
        help: Some("save it as UTF-8 (in Inkscape: Save As, Plain SVG; in a text editor: encoding UTF-8)"),
    };
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) || bytes.iter().take(64).any(|&b| b == 0) {
        return Err(encoding_problem("the file is saved as UTF-16, not UTF-8".to_string()));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let declared = declared_encoding(text);
            if let Some(encoding) =
                declared.filter(|e| !e.eq_ignore_ascii_case("utf-8") && !e.eq_ignore_ascii_case("utf8"))
            {
                return Err(encoding_problem(format!("the file declares the encoding `{encoding}`, not UTF-8")));
            }
            Ok(if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text.to_string() })
        }
        Err(error) => {
            let before = String::from_utf8_lossy(&bytes[..error.valid_up_to()]);
            let line = before.matches('\n').count() + 1;
            let mut problem = encoding_problem(String::new());
            problem.line = u32::try_from(line).unwrap_or(u32::MAX);
            problem.message = format!("the file is not valid UTF-8 (line {line})");
            Err(problem)
        }
    }
}

/// The `encoding="..."` of an XML declaration at the start of the text, if any.
fn declared_encoding(text: &str) -> Option<&str> {
    let declaration = text.strip_prefix("<?xml")?;
    let declaration = &declaration[..declaration.find("?>")?];
    let after = &declaration[declaration.find("encoding")? + "encoding".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let value = &after[1..];
    value.find(quote).map(|end| &value[..end])
}

fn check_element(document: &Document<'_>, node: Node<'_, '_>, problems: &mut Vec<SvgProblem>) {
    let name = node.tag_name();
    let shown = qualified_name(document, node);
    let namespace = name.namespace().unwrap_or("none");
    if name.namespace() != Some(SVG_NAMESPACE) {
        let help = Some("pictures may hold only SVG elements: in Inkscape, save as Plain SVG or Optimised SVG, which leave out editor data");
        problems.push(problem_at(
            document,
            node.range(),
            format!("element `{shown}` (namespace {namespace}) is not allowed in a picture"),
            help,
        ));
        return;
    }
    if !ELEMENTS.contains(&name.name()) {
        let why = match name.name() {
            "script" | "handler" | "listener" => " (it runs code)",
            "foreignObject" | "iframe" | "object" | "embed" => " (it embeds HTML or another document)",
            "a" => " (a link in a picture could run code)",
            "image" | "feImage" => " (it loads another file)",
            other if other.starts_with("animate") || other == "set" || other == "discard" => {
                " (animation can rewrite a link into a script)"
            }
            _ => "",
        };
        problems.push(problem_at(
            document,
            node.range(),
            format!("element `{shown}` (namespace {namespace}) is not allowed in a picture{why}"),
            None,
        ));
    }
    if name.name() == "style" {
        let css: String = node.children().filter_map(|child| child.text()).collect();
        if let Some(found) = unsafe_css(&css) {
            problems.push(problem_at(document, node.range(), format!("the `<style>` element {found}"), Some(CSS_HELP)));
        }
    }
    for attribute in node.attributes() {
        let range = attribute.range();
        let shown_attribute = attribute_name(document, &range).unwrap_or(attribute.name());
        let value = attribute.value();
        let allowed = match attribute.namespace() {
            None => ATTRIBUTES.contains(&attribute.name()),
            Some(XLINK_NAMESPACE) => matches!(attribute.name(), "href" | "title"),
            Some(XML_NAMESPACE) => matches!(attribute.name(), "space" | "lang"),
            Some(_) => false,
        };
        if !allowed {
            let why = if attribute.name().to_ascii_lowercase().starts_with("on") {
                " (an event attribute runs code)"
            } else {
                ""
            };
            let namespace = attribute.namespace().map(|n| format!(" (namespace {n})")).unwrap_or_default();
            problems.push(problem_at(
                document,
                range,
                format!("attribute `{shown_attribute}`{namespace} on `{shown}` is not allowed in a picture{why}"),
                None,
            ));
            continue;
        }
        if attribute.name() == "href" && !is_local_reference(value) {
            problems.push(problem_at(
                document,
                range,
                format!("attribute `{shown_attribute}` on `{shown}` points to `{}`: a picture may only refer to its own parts (`#id`)", shorten(value)),
                Some("draw the part in this file and refer to it as `#id`"),
            ));
        } else if attribute.name() == "style" {
            if let Some(found) = unsafe_css(value) {
                problems.push(problem_at(
                    document,
                    range,
                    format!("attribute `style` on `{shown}` {found}"),
                    Some(CSS_HELP),
                ));
            }
        } else if let Some(found) = non_local_url(value) {
            problems.push(problem_at(
                document,
                range,
                format!("attribute `{shown_attribute}` on `{shown}` refers to `url({})`: a picture may only refer to its own parts (`url(#id)`)", shorten(found)),
                None,
            ));
        }
    }
}

const CSS_HELP: &str = "styles in a picture may set colours and lines only: no url() but url(#id), @import, @font-face, image-set() or backslash escapes";

/// Why CSS text could load a file or run code, if it could. Escapes (`\`) are refused because
/// they can spell any of the other words.
fn unsafe_css(css: &str) -> Option<String> {
    let lower = css.to_ascii_lowercase();
    for (needle, what) in [
        ("\\", "a backslash escape"),
        ("@import", "`@import`"),
        ("@font-face", "`@font-face`"),
        ("image-set", "`image-set()`"),
        ("expression", "`expression()`"),
        ("javascript", "`javascript`"),
        ("behavior", "`behavior`"),
        ("binding", "`-moz-binding`"),
    ] {
        if lower.contains(needle) {
            return Some(format!("uses {what}, which pictures may not use"));
        }
    }
    non_local_url(css).map(|target| {
        format!("refers to `url({})`: a picture may only refer to its own parts (`url(#id)`)", shorten(target))
    })
}

/// The first `url(...)` in a value (an attribute or CSS) that is not a `#fragment` of this file.
fn non_local_url(value: &str) -> Option<&str> {
    let lower = value.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find("url(") {
        let start = from + found + 4;
        let rest = &value[start..];
        let end = rest.find(')').unwrap_or(rest.len());
        let target = rest[..end].trim().trim_matches(|c| c == '"' || c == '\'');
        if !is_local_reference(target) {
            return Some(&rest[..end]);
        }
        from = start;
    }
    None
}

/// Whether a reference is to a part of the same file: `#` and an id, nothing a browser could
/// read as an address.
fn is_local_reference(value: &str) -> bool {
    value.strip_prefix('#').is_some_and(|id| {
        !id.is_empty() && id.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
    })
}

fn shorten(value: &str) -> String {
    let mut short: String = value.chars().take(60).collect();
    if short.len() < value.len() {
        short.push_str("...");
    }
    short
}

/// The element's name as written (`s:script`), read from the source so the prefix shows.
fn qualified_name(document: &Document<'_>, node: Node<'_, '_>) -> String {
    let text = document.input_text();
    let written = text.get(node.range().start + 1..).unwrap_or("");
    let end = written.find(|c: char| c.is_whitespace() || c == '/' || c == '>').unwrap_or(written.len());
    if end == 0 {
        node.tag_name().name().to_string()
    } else {
        written[..end].to_string()
    }
}

/// The attribute's name as written (`xlink:href`).
fn attribute_name<'a>(document: &'a Document<'_>, range: &std::ops::Range<usize>) -> Option<&'a str> {
    let written = document.input_text().get(range.clone())?;
    let end = written.find(|c: char| c.is_whitespace() || c == '=')?;
    Some(&written[..end])
}

fn problem_at(
    document: &Document<'_>,
    range: std::ops::Range<usize>,
    message: String,
    help: Option<&'static str>,
) -> SvgProblem {
    let position = document.text_pos_at(range.start);
    // Underline the start tag only, not a whole element with its children.
    let text = document.input_text();
    let end = text.get(range.clone()).and_then(|t| t.find('>')).map_or(range.end, |i| range.start + i + 1);
    SvgProblem { line: position.row, column: position.col, span: range.start..end.min(range.end), message, help }
}

/// The byte offset of a 1-based line and column (in characters).
fn offset_of(text: &str, line: u32, column: u32) -> usize {
    let mut offset = 0;
    for _ in 1..line {
        match text[offset..].find('\n') {
            Some(i) => offset += i + 1,
            None => return text.len(),
        }
    }
    let rest = &text[offset..];
    offset + rest.char_indices().nth(column.saturating_sub(1) as usize).map_or(rest.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str =
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">"#;

    /// The problems of `svg`, which must be refused.
    fn refused(svg: &[u8]) -> Vec<SvgProblem> {
        match check_svg(svg) {
            Ok(()) => panic!("accepted: {}", String::from_utf8_lossy(svg)),
            Err(problems) => problems,
        }
    }

    fn refused_at(svg: &str, line: u32, found: &str) {
        let problems = refused(svg.as_bytes());
        assert!(
            problems.iter().any(|p| p.line == line && p.message.contains(found)),
            "{svg}\nwanted line {line} with {found:?}: {problems:#?}"
        );
    }

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut bytes = Vec::new();
        if bom {
            bytes.extend_from_slice(if big_endian { &[0xFE, 0xFF] } else { &[0xFF, 0xFE] });
        }
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
        }
        bytes
    }

    #[test]
    fn the_themes_pictures_and_plain_drawings_are_accepted() {
        let pictures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/pictures");
        let mut checked = 0;
        for entry in std::fs::read_dir(&pictures).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "svg") {
                assert_eq!(check_svg(&std::fs::read(&path).unwrap()), Ok(()), "{}", path.display());
                checked += 1;
            }
        }
        assert!(checked >= 40, "only {checked} theme pictures");
        let rich = format!(
            "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<!-- drawn by hand -->\n{HEAD}<title>A house</title><desc>x</desc>\
             <defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"#fff\"/></linearGradient><clipPath id=\"c\"><rect width=\"5\" height=\"5\"/></clipPath>\
             <symbol id=\"s\"><circle r=\"2\"/></symbol><style><![CDATA[ .a {{ fill: url(#g); stroke: #000 }} ]]></style></defs>\
             <g clip-path=\"url(#c)\" style=\"fill: url('#g')\"><path class=\"a\" d=\"M0 0h10\" fill=\"url(#g)\"/><use href=\"#s\" x=\"1\"/><use xlink:href=\"#s\"/>\
             <text xml:space=\"preserve\" font-size=\"2\">Hi &amp; &#60;bye&#62;<tspan dx=\"1\">!</tspan></text></g></svg>"
        );
        assert_eq!(check_svg(rich.as_bytes()), Ok(()));
    }

    #[test]
    fn the_bypasses_of_the_old_text_scan_are_refused() {
        // The four from the issue: each ran script in Chromium.
        refused_at("<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:s=\"http://www.w3.org/2000/svg\">\n<s:script>alert(1)</s:script>\n</svg>", 2, "element `s:script` (namespace http://www.w3.org/2000/svg) is not allowed");
        refused_at(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:h=\"http://www.w3.org/1999/xhtml\">\n\n<h:script>alert(1)</h:script></svg>",
            3,
            "element `h:script` (namespace http://www.w3.org/1999/xhtml)",
        );
        let plain = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
        for (big_endian, bom) in [(false, true), (true, true), (false, false), (true, false)] {
            let problems = refused(&utf16(plain, big_endian, bom));
            assert_eq!(problems.len(), 1);
            assert_eq!((problems[0].line, problems[0].message.as_str()), (1, "the file is saved as UTF-16, not UTF-8"));
            assert!(problems[0].help.is_some_and(|h| h.contains("save it as UTF-8")));
        }
        refused_at(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [<!ENTITY a \"java\"><!ENTITY b \"script:alert(1)\">]>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"&a;&b;\"><text>x</text></a></svg>",
            2,
            "has a DTD",
        );
    }

    #[test]
    fn variants_are_refused_with_their_line() {
        let cases = [
            (format!("{HEAD}\n<SCRIPT>alert(1)</SCRIPT></svg>"), 2, "element `SCRIPT`"),
            (format!("{HEAD}\n<g xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(1)</script></g></svg>"), 2, "element `g` (namespace http://www.w3.org/1999/xhtml)"),
            (format!("{HEAD}<rect id=\"r\" width=\"1\" height=\"1\"/>\n<a href=\"#r\">\n<set attributeName=\"href\" to=\"javascript:alert(1)\"/></a></svg>"), 3, "element `set`"),
            (format!("{HEAD}\n<animate attributeName=\"href\" values=\"javascript:alert(1)\"/></svg>"), 2, "element `animate`"),
            (format!("{HEAD}\n\n\n<foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\">x</div></foreignObject></svg>"), 4, "element `foreignObject`"),
            ("<svg xmlns=\"http://www.w3.org/2000/svg\"\n  onload=\"alert(1)\"/>".to_string(), 2, "attribute `onload` on `svg` is not allowed in a picture (an event attribute runs code)"),
            (format!("{HEAD}\n<use xlink:href=\"data:image/svg+xml;base64,PHN2Zz4=\"/></svg>"), 2, "attribute `xlink:href` on `use` points to `data:image/svg+xml"),
            (format!("{HEAD}\n<use href=\"other.svg#x\"/></svg>"), 2, "points to `other.svg#x`"),
            (format!("{HEAD}\n<use href=\"&#106;avascript:alert(1)\"/></svg>"), 2, "points to `javascript:alert(1)`"),
            (format!("{HEAD}<style>\n<![CDATA[ rect {{ fill: url(javascript:alert(1)) }} ]]></style></svg>"), 1, "the `<style>` element uses `javascript`"),
            (format!("{HEAD}<style>rect {{ fill: url(https://tracker.example/x.svg#a) }}</style></svg>"), 1, "refers to `url(https://tracker.example/x.svg#a)`"),
            (format!("{HEAD}<rect\nstyle=\"background: u\\72l(x)\"/></svg>"), 2, "attribute `style` on `rect` uses a backslash escape"),
            (format!("{HEAD}<rect\nfill=\"url(other.svg#g)\"/></svg>"), 2, "refers to `url(other.svg#g)`"),
            (format!("<?xml version=\"1.0\"?>\n<?xml-stylesheet href=\"evil.css\"?>\n{HEAD}</svg>"), 2, "the processing instruction `<?xml-stylesheet ...?>`"),
            (format!("{HEAD}\n<text>&nbsp;</text></svg>"), 2, "uses the entity `&nbsp;`"),
            (format!("{HEAD}\n<image href=\"x.png\"/></svg>"), 2, "element `image`"),
            (format!("{HEAD}\n<a href=\"#x\"><text>x</text></a></svg>"), 2, "element `a`"),
            (format!("{HEAD}\n<rect inkscape:label=\"x\" xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\"/></svg>"), 2, "attribute `inkscape:label` (namespace http://www.inkscape.org/namespaces/inkscape)"),
            ("<html xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(1)</script></html>".to_string(), 1, "the root element is `html`"),
            ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_string(), 1, "declares the encoding `ISO-8859-1`"),
            (format!("{HEAD}\n<rect></svg>"), 2, "is not well-formed XML"),
        ];
        for (svg, line, found) in &cases {
            refused_at(svg, *line, found);
        }
        let invalid = [HEAD.as_bytes(), b"\n<text>\xE9</text></svg>"].concat();
        assert!(refused(&invalid)[0].message.contains("is not valid UTF-8 (line 2)"));
    }

    #[test]
    fn every_problem_is_reported_with_a_span_into_the_decoded_text() {
        let svg = format!("\u{feff}{HEAD}\r\n<script>1</script>\r\n<rect onclick=\"x\" onmouseover=\"y\"/>\r\n</svg>");
        let problems = refused(svg.as_bytes());
        assert_eq!(problems.iter().map(|p| p.line).collect::<Vec<_>>(), [2, 3, 3], "{problems:#?}");
        let text = svg.trim_start_matches('\u{feff}').replace("\r\n", "\n");
        assert_eq!(&text[problems[0].span.clone()], "<script>");
        assert_eq!(&text[problems[1].span.clone()], "onclick=\"x\"");
        assert_eq!(problems[2].column, 19);
        assert_eq!(offset_of("ab\ncé\nx", 2, 3), 6);
        assert_eq!(declared_encoding("<?xml version='1.0' encoding = 'utf-8' ?>"), Some("utf-8"));
    }
}
