//! Finds anything executable in a written file: script-like elements, event-handler attributes,
//! and links or sources whose address would run code. Text that merely *mentions* `<script>` or
//! `onerror=` (escaped, so shown as text) is not executable and is not reported.
//!
//! Dependency-free, so the fuzz target (`fuzz/`) can include it by path.

/// Elements that run code or load other documents.
const DANGEROUS_ELEMENTS: &[&str] =
    &["script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "foreignobject", "handler"];

/// Attributes that hold an address.
const ADDRESS_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "srcset",
    "poster",
    "background",
    "codebase",
    "cite",
    "longdesc",
    "ping",
];

/// Each executable thing found in `text` (an HTML fragment that must hold no script at all),
/// described with its place.
pub fn executable_content(text: &str) -> Vec<String> {
    scan(text, false)
}

/// Like [`executable_content`], for a whole page written by a theme: the theme's own scripts are
/// allowed, that is `<script src="...">` elements with no body whose address is a relative
/// `.js` file of the site (check those files with [`check_script_file`]). Anything else that
/// runs is reported.
pub fn executable_content_in_page(text: &str) -> Vec<String> {
    scan(text, true)
}

/// Checks a `.js` file written into the output that is not a copy of a theme asset: it must be
/// data only, `window.NAME=<JSON>;`, so content in it cannot run. Returns what is wrong.
pub fn check_script_file(text: &str) -> Option<String> {
    let Some(rest) = text.strip_prefix("window.") else { return Some("it does not start with `window.`".to_string()) };
    let Some((name, json)) = rest.split_once('=') else { return Some("it is not an assignment".to_string()) };
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Some(format!("`{name}` is not a plain variable name"));
    }
    let json = json.trim_end().strip_suffix(';').unwrap_or(json).trim();
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(_) => None,
        Err(error) => Some(format!("its value is not JSON data: {error}")),
    }
}

/// Elements whose content is text to the browser (RCDATA and raw text): tags in them are not tags.
const TEXT_ELEMENTS: &[&str] = &["title", "textarea", "style", "xmp", "noembed", "noframes", "plaintext"];

fn scan(text: &str, allow_theme_scripts: bool) -> Vec<String> {
    let mut found = Vec::new();
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        if lower[i..].starts_with("<!--") {
            i = lower[i..].find("-->").map_or(bytes.len(), |end| i + end + 3);
            continue;
        }
        let name_start = i + 1 + usize::from(bytes.get(i + 1) == Some(&b'/'));
        let name_len =
            lower[name_start..].bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b':' || *b == b'-').count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let closing = bytes[i + 1] == b'/';
        let name = &lower[name_start..name_start + name_len];
        let local = name.rsplit(':').next().unwrap_or(name);
        let tag_end = tag_end(&lower, name_start + name_len);
        let tag = &text[i..tag_end.min(text.len())];
        if DANGEROUS_ELEMENTS.contains(&local)
            && !closing
            && !(allow_theme_scripts && local == "script" && is_theme_script(&lower, i, tag))
        {
            found.push(format!("a <{name}> element at byte {i}: {}", tag.chars().take(120).collect::<String>()));
        }
        if name == "meta"
            && tag.to_ascii_lowercase().contains("http-equiv")
            && tag.to_ascii_lowercase().contains("refresh")
        {
            found.push(format!("a <meta> refresh at byte {i}"));
        }
        // Attributes, up to the end of the tag.
        let mut at = name_start + name_len;
        loop {
            while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
                at += 1;
            }
            if at >= bytes.len() || bytes[at] == b'>' {
                break;
            }
            let attr_start = at;
            while at < bytes.len() && !bytes[at].is_ascii_whitespace() && !matches!(bytes[at], b'=' | b'>' | b'/') {
                at += 1;
            }
            let attr = &lower[attr_start..at];
            while at < bytes.len() && bytes[at].is_ascii_whitespace() {
                at += 1;
            }
            let mut value = "";
            if at < bytes.len() && bytes[at] == b'=' {
                at += 1;
                while at < bytes.len() && bytes[at].is_ascii_whitespace() {
                    at += 1;
                }
                match bytes.get(at) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        let end = lower[at + 1..].find(quote as char).map_or(bytes.len(), |e| at + 1 + e);
                        value = &text[at + 1..end];
                        at = (end + 1).min(bytes.len());
                    }
                    _ => {
                        let end = lower[at..]
                            .find(|c: char| c.is_ascii_whitespace() || c == '>')
                            .map_or(bytes.len(), |e| at + e);
                        value = &text[at..end];
                        at = end;
                    }
                }
            }
            if attr.starts_with("on") && attr.len() > 2 {
                found.push(format!("an event attribute `{attr}` on <{name}> at byte {attr_start}"));
            }
            let cleaned = clean_address(value);
            if ADDRESS_ATTRIBUTES.contains(&attr) && is_script_address(&cleaned) {
                found.push(format!("`{attr}={value}` on <{name}> at byte {attr_start}"));
            }
            if attr == "style" && (cleaned.contains("javascript:") || cleaned.contains("expression(")) {
                found.push(format!("a script in a style attribute on <{name}> at byte {attr_start}"));
            }
        }
        i = at.max(i + 1);
        // The content of title, textarea, style (and an allowed script) is text, up to its end tag.
        if !closing && (TEXT_ELEMENTS.contains(&local) || local == "script") {
            let end_tag = format!("</{local}");
            i = lower[i..].find(&end_tag).map_or(bytes.len(), |e| i + e);
        }
    }
    found
}

/// The byte offset just past the `>` that ends the tag whose attributes start at `from`,
/// skipping quoted values.
fn tag_end(lower: &str, from: usize) -> usize {
    let bytes = lower.as_bytes();
    let mut at = from;
    let mut quote = None;
    while at < bytes.len() {
        match (quote, bytes[at]) {
            (None, b'>') => return at + 1,
            (None, q @ (b'"' | b'\'')) => quote = Some(q),
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
        at += 1;
    }
    bytes.len()
}

/// Whether the `<script` at `at` is a theme's own: a relative `.js` address and no body.
fn is_theme_script(lower: &str, at: usize, tag: &str) -> bool {
    let tag_lower = tag.to_ascii_lowercase();
    let Some(src) = tag_lower.split(|c: char| c.is_ascii_whitespace()).find_map(|part| part.strip_prefix("src="))
    else {
        return false;
    };
    let src = src.trim_end_matches('>').trim_matches(|c| c == '"' || c == '\'');
    let relative_js = src.ends_with(".js") && !src.contains(':') && !src.starts_with("//") && !src.contains('&');
    let body_start = at + tag.len();
    let empty_body = lower[body_start.min(lower.len())..].trim_start().starts_with("</script");
    relative_js && empty_body
}

/// An attribute value as a browser reads it: character references decoded, whitespace and
/// control characters removed, lower case.
fn clean_address(value: &str) -> String {
    let decoded = value
        .replace("&colon;", ":")
        .replace("&tab;", "")
        .replace("&Tab;", "")
        .replace("&newline;", "")
        .replace("&NewLine;", "")
        .replace("&amp;", "&");
    let mut out = String::new();
    let mut rest = decoded.as_str();
    while let Some(i) = rest.find("&#") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let (digits, radix) = match after.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (after, 10),
        };
        let len = digits.chars().take_while(|c| c.is_digit(radix)).count();
        match u32::from_str_radix(&digits[..len], radix).ok().and_then(char::from_u32) {
            Some(c) if len > 0 => {
                out.push(c);
                rest = digits[len..].strip_prefix(';').unwrap_or(&digits[len..]);
            }
            _ => {
                out.push_str("&#");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase()
}

fn is_script_address(cleaned: &str) -> bool {
    ["javascript:", "vbscript:", "data:", "livescript:", "mocha:"].iter().any(|scheme| cleaned.starts_with(scheme))
}

/// Checks the scanner itself: it must find what it claims to find, and not flag escaped text.
pub fn self_check() {
    let bad = [
        "<script>alert(1)</script>",
        "<SCRIPT src=x>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=' JaVa&#115;cript:alert(1)'>x</a>",
        "<a href=java&Tab;script:x>x</a>",
        "<a href=\"&#x6A;avascript:x\">x</a>",
        "<img src=\"data:text/html,<b>\">",
        "<svg/onload=alert(1)>",
        "<div style=\"background:url(javascript:alert(1))\">",
        "<iframe src=https://example.org></iframe>",
        "<a href=vbscript:x>x</a>",
        "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
        "<svg><foreignObject></foreignObject></svg>",
    ];
    for sample in bad {
        assert!(!executable_content(sample).is_empty(), "the scanner missed {sample:?}");
    }
    let good = [
        "<p>Why &lt;script&gt;alert(1)&lt;/script&gt; matters. &lt;img src=x onerror=alert(1)&gt;</p>",
        "<p>javascript:alert(1) is only text here, and so is onclick=x</p>",
        "<a href=https://www.legislation.gov.uk/ukpga/1989/41 title=\"javascript: a title\">Children Act</a>",
        "<img alt=\"x onerror=alert(1)\" src=../assets/pictures/help.svg>",
        "<!-- <script> in a comment is not run -->",
        "<p>a < b and c > d</p>",
    ];
    for sample in good {
        assert!(
            executable_content(sample).is_empty(),
            "the scanner flagged safe HTML {sample:?}: {:?}",
            executable_content(sample)
        );
    }
    // The text of a title is text; so are quoted attribute values.
    for sample in [
        "<title><script>alert(1)</script> – Guide</title><p>x</p>",
        "<meta content=\"<script>alert(1)</script>\" name=description>",
        "<textarea><img src=x onerror=alert(1)></textarea>",
    ] {
        assert!(executable_content(sample).is_empty(), "{sample:?}: {:?}", executable_content(sample));
    }
    assert!(!executable_content("<title>x</title><script>alert(1)</script>").is_empty());
    // A theme's own script is allowed in a page, and nothing else.
    let theme_script = "<p>x</p><script src=../assets/search.js></script><script src=\"search-index.js\"></script>";
    assert!(executable_content_in_page(theme_script).is_empty(), "{:?}", executable_content_in_page(theme_script));
    assert!(!executable_content(theme_script).is_empty());
    for bad in [
        "<script src=../assets/search.js>alert(1)</script>",
        "<script src=https://evil.example/x.js></script>",
        "<script src=//evil.example/x.js></script>",
        "<script src=\"data:text/javascript,alert(1)\"></script>",
        "<script>alert(1)</script>",
    ] {
        assert!(!executable_content_in_page(bad).is_empty(), "the scanner allowed {bad:?}");
    }
    assert_eq!(check_script_file("window.GUIDEPRESS_SEARCH=[{\"a\":\"<\\/script>\"}];\n"), None);
    assert!(check_script_file("window.X=[1];alert(1);").is_some());
    assert!(check_script_file("alert(1)").is_some());
}
