//! Safe rendering: hostile content in every field a writer controls reaches the output as text,
//! never as something a browser runs; hostile link targets and addresses are refused with a
//! diagnostic; hostile ids are refused before anything is written.

use std::fs;

use crate::common::safety::{check_script_file, executable_content_in_page};
use crate::common::*;

/// Text that would run code if any template or renderer passed it through.
const EVIL: &str = r#"<script>alert('x')</script><img src=x onerror=alert(1)>" onmouseover="alert(2)' onfocus='alert(3)<a href="javascript:alert(4)">j</a><svg/onload=alert(5)><iframe src=javascript:alert(6)>"#;

/// `EVIL` as a YAML double-quoted string.
fn quoted() -> String {
    format!("\"{}\"", EVIL.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Every file under the output folder holds nothing executable that the content put there: pages
/// hold no script but the theme's own (`<script src>` of a relative `.js` file), the theme's
/// scripts are copied unchanged, and any other script file is JSON data only.
fn assert_nothing_executable(output: &std::path::Path) -> usize {
    let files = snapshot(output);
    assert!(!files.is_empty(), "nothing was written");
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        if path.ends_with(".js") {
            match path.strip_prefix("assets/") {
                Some(asset) => {
                    // Assets carry a fingerprint before the extension: `search.1a2b3c4d.js`.
                    let mut parts: Vec<&str> = asset.split('.').collect();
                    if parts.len() >= 3 {
                        parts.remove(parts.len() - 2);
                    }
                    let theme = fs::read(default_theme().join("assets").join(parts.join("."))).unwrap_or_default();
                    assert_eq!(bytes, &theme, "{path} is not the theme's own script, unchanged");
                }
                None => {
                    if let Some(problem) = check_script_file(&text) {
                        panic!("{path} is not data only: {problem}");
                    }
                }
            }
            continue;
        }
        let found = executable_content_in_page(&text);
        assert!(found.is_empty(), "{path} holds something executable: {found:?}");
    }
    files.len()
}

#[test]
fn hostile_text_in_every_field_is_shown_as_text() {
    crate::common::safety::self_check();
    let fixture = Fixture::new();
    let evil = quoted();
    fixture.write(
        "site.yaml",
        &(SITE
            .replace("title: Fixture publication", &format!("title: {evil}"))
            .replace("short_title: Fixture", &format!("short_title: {evil}"))
            .replace("publisher: Test publisher", &format!("publisher: {evil}"))
            .replace("reference: Fixture standard", &format!("reference: {evil}"))
            + &format!("description: {evil}\n")),
    );
    fixture.write(
        "register.yaml",
        &REGISTER
            .replace("title: Children Act 1989", &format!("title: {evil}"))
            .replace("summary: The main law about children in care.", &format!("summary: {evil}"))
            .replace(
                "easy_read: The Children Act 1989 is a law. It says how councils look after children in care.",
                &format!("easy_read: {evil}"),
            )
            .replace("publisher: UK Parliament", &format!("publisher: {evil}"))
            .replace("label: section 22C", &format!("label: {evil}"))
            .replace(
                "title: General duty of local authority in relation to children looked after by them",
                &format!("title: {evil}"),
            )
            // Legitimate addresses with characters that must be escaped in an attribute.
            .replace(
                "url: https://www.legislation.gov.uk/ukpga/1989/41/section/22C",
                "url: \"https://www.legislation.gov.uk/ukpga/1989/41/section/22C?a=1&b='2'\"",
            ),
    );
    fixture.write(
        "glossary.yaml",
        &GLOSSARY
            .replace("term: social worker", &format!("term: {evil}"))
            .replace("definition: NHS mental health services for young people.", &format!("definition: {evil}"))
            .replace("easy_read: People who help with feelings.", &format!("easy_read: {evil}"))
            .replace("abbreviations: [CAMHS]", "abbreviations: [CAMHS, \"<b onclick=alert(7)>\"]"),
    );
    let markdown_evil = format!(
        "{EVIL}\n\n<div onclick=\"alert(8)\">raw block</div>\n\n<script>\nalert(9)\n</script>\n\n[ok](https://example.org/?q=\"><script>alert(10)</script>) and ![alt \" onerror=alert(11)](https://example.org/x.png \"t\\\" onload=alert(12)\")\n"
    );
    let statement = statement("qs-1", 1, &["children-act-1989 s22C"], &["qs-2"])
        .replace("title: Statement number 1", &format!("title: {evil}"))
        .replace("statement: Children in care get statement 1.", &format!("statement: {evil}"))
        .replace("headline: Children in care get statement 1.", "headline: \"<script>alert(13)</script> short\"")
        .replace("plain: Children in care get this.", &format!("plain: {evil}"))
        .replace("who_to_ask: Your social worker.", &format!("who_to_ask: {evil}"))
        .replace("- text: Evidence of local arrangements.", &format!("- text: {evil}"))
        .replace("numerator: who got it", "numerator: \"who got <script>alert(14)</script>\"")
        .replace("denominator: children in care", &format!("denominator: {evil}"))
        .replace("data_source: Local data collection.", &format!("data_source: {evil}"))
        .replace("alt: A hand", &format!("alt: {evil}"))
        .replace("Your social worker helps you.", "Your <script>alert(15)</script> helps you.")
        .replace("You can ask for help.", "You can ask \" onmouseover=\"alert(16).")
        .replace("commissioners: Commission it.", &format!("commissioners: {}", yaml_block(&markdown_evil)))
        .replace("Why statement 1 matters.", &markdown_evil);
    fixture.write("statements/qs-1.md", &statement);
    fixture.write(
        "recommendations/rec-1.md",
        &RECOMMENDATION
            .replace("title: Doing the thing", &format!("title: {evil}"))
            .replace("topic: Care planning", &format!("topic: {evil}"))
            .replace("who: [Social workers]", &format!("who: [{evil}]"))
            .replace("Do the thing, and record it.", &markdown_evil),
    );
    // A picture of the publication's own, plain SVG.
    fixture.write("pictures/own-picture.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><title>Own</title><rect width=\"10\" height=\"10\"/></svg>");

    let output = fixture.build(&[]);
    let err = stderr(&output);
    assert!(output.status.success(), "hostile text is still text: the build should succeed\n{err}");
    let written = assert_nothing_executable(&fixture.output());
    assert!(written > 20, "only {written} files were written");

    // The hostile text is really there, escaped: it was not silently dropped.
    let page = fs::read_to_string(fixture.output().join("commissioner/statements/qs-1.html")).unwrap();
    assert!(page.contains("&lt;script"), "the statement page does not show the text");
    assert!(page.contains("alert(9)"), "raw HTML in the body was dropped instead of shown");
    let law = fs::read_to_string(fixture.output().join("commissioner/law/children-act-1989.html")).unwrap();
    assert!(law.contains("&lt;script>") && law.contains("&lt;/script>"), "the law page does not show the text");
    let values = attribute_values(&law, "href");
    assert!(values.iter().any(|v| v.contains("section/22C?a=1")), "the pinpoint address is missing: {values:?}");
    let easy = fs::read_to_string(fixture.output().join("easy-read/statements/qs-1.html")).unwrap();
    assert!(easy.contains("(15)&lt;/script") && easy.contains("alert(16)"), "the easy-read text was dropped: {easy}");
}

/// A YAML literal block holding `text`, indented for a field at two spaces.
fn yaml_block(text: &str) -> String {
    let mut block = String::from("|\n");
    for line in text.lines() {
        block.push_str("    ");
        block.push_str(line);
        block.push('\n');
    }
    block.trim_end().to_string()
}

#[test]
fn hostile_link_targets_are_refused_with_file_and_line() {
    let fixture = Fixture::new();
    let targets = [
        "[a](javascript:alert(1))",
        "[b](JaVaScRiPt:alert(2))",
        "[c](vbscript:msgbox(3))",
        "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==)",
        "![e](javascript:alert(5))",
        "<javascript:alert(6)>",
        "[f][evil]",
        "[g](&#106;avascript:alert(7))",
        "[h](<java\tscript:alert(8)>)",
    ];
    let body = format!("{}\n\n[evil]: javascript:alert(9)\n", targets.join("\n\n"));
    let text = statement("qs-1", 1, &["children-act-1989 s22"], &["qs-2"]).replace("Why statement 1 matters.", &body);
    fixture.write("statements/qs-1.md", &text);
    fixture.write(
        "recommendations/rec-1.md",
        &RECOMMENDATION.replace("Do the thing, and record it.", "Do [the thing](  javascript:alert(10))."),
    );
    let register = REGISTER
        .replace("url: https://www.legislation.gov.uk/ukpga/1989/41\n", "url: javascript:alert(11)\n")
        .replace(
            "url: https://www.legislation.gov.uk/ukpga/1989/41/section/22C",
            "url: \"data:text/html,<script>alert(12)</script>\"",
        )
        .replace("url: https://www.gov.uk/government/publications/new", "url: \" vbscript:msgbox(13)\"");
    fixture.write("register.yaml", &register);

    let output = fixture.build(&[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(!fixture.output().exists(), "a refused build wrote output");
    for (index, target) in targets.iter().enumerate() {
        let line = line_of(&text, target);
        assert!(
            err.contains(&format!("statements/qs-1.md:{line}:")),
            "target {index} ({target}) on line {line} is not reported:\n{err}"
        );
    }
    // One per target (the `[evil]` definition is reported once, where `[f][evil]` uses it), and
    // the one in rec-1.
    let refused = err.matches("could run code in a reader's browser").count();
    assert_eq!(refused, targets.len() + 1, "{refused} refusals for {} hostile links:\n{err}", targets.len() + 1);
    assert!(err.contains("recommendations/rec-1.md:10:"), "{err}");
    for url in ["javascript:alert(11)", "data:text/html,<script>alert(12)</script>", " vbscript:msgbox(13)"] {
        assert!(err.contains(&format!("is not a web address: `{url}`")), "the address {url} is not refused:\n{err}");
        let line = line_of(&register, url.trim());
        assert!(err.contains(&format!("register.yaml:{line}:")), "{url} on line {line}:\n{err}");
    }
}

#[test]
fn hostile_ids_are_refused_and_nothing_is_written_anywhere() {
    let fixture = Fixture::new();
    let ids =
        ["../evil", "/etc/passwd", "CON", "index", "con", "a/b", ".hidden", "qs-1.html", "nul", "lpt1", "x\u{0}y"];
    for (n, id) in ids.iter().enumerate() {
        let number = 10 + n as u32;
        let quoted = format!("\"{}\"", id.replace('\0', "\\0"));
        fixture.write(
            &format!("statements/qs-{number}.md"),
            &statement("PLACEHOLDER", number, &["children-act-1989 s22"], &[])
                .replace("id: PLACEHOLDER", &format!("id: {quoted}")),
        );
    }
    // A register entry and a glossary term with hostile ids too.
    fixture.write("register.yaml", &REGISTER.replace("id: old-guidance-2009", "id: ../../old"));
    fixture.write("glossary.yaml", &GLOSSARY.replace("id: camhs", "id: \"/camhs\""));
    let before: Vec<_> = fs::read_dir(fixture.dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();

    let output = fixture.build(&[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    for (n, id) in ids.iter().enumerate() {
        let file = format!("statements/qs-{}.md:2:", 10 + n);
        assert!(err.contains(&file), "the id {id:?} in {file} is not refused:\n{err}");
    }
    assert!(err.contains("`index` cannot be used as an id: it is a reserved name"), "{err}");
    assert!(err.contains("`con` cannot be used as an id"), "{err}");
    assert!(err.contains("`../../old` is not a valid id"), "{err}");
    assert!(err.contains("`/camhs` is not a valid id"), "{err}");
    assert!(!fixture.output().exists());
    let after: Vec<_> = fs::read_dir(fixture.dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(before, after, "a refused build created files beside the output");
    assert!(!std::path::Path::new("/etc/passwd.html").exists());
}

/// The hostile inputs shared with the Chromium check (tests/browser/hostile.js).
fn hostile_fixtures() -> std::path::PathBuf {
    repo().join("tests/browser/fixtures/hostile")
}

#[test]
fn a_picture_that_could_run_code_is_refused_with_its_line() {
    let fixture = Fixture::new();
    let mut names = Vec::new();
    for entry in fs::read_dir(hostile_fixtures().join("pictures")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        fixture.write_bytes(&format!("pictures/{name}.svg"), &fs::read(&path).unwrap());
        names.push(name);
    }
    names.sort();
    // Each picture, the line of what is wrong in it, and what was found.
    let refusals = [
        ("namespace-script", 3, "element `s:script` (namespace http://www.w3.org/2000/svg) is not allowed"),
        ("xhtml-script", 3, "element `h:script` (namespace http://www.w3.org/1999/xhtml)"),
        ("utf16-script", 1, "the file is saved as UTF-16, not UTF-8"),
        ("entity-split", 2, "the file has a DTD"),
        ("entity-script", 2, "the file has a DTD"),
        ("onload", 2, "attribute `onload` on `svg`"),
        ("default-namespace", 3, "element `g` (namespace http://www.w3.org/1999/xhtml)"),
        ("foreign-object", 2, "element `foreignObject`"),
        ("animate-href", 2, "element `a`"),
        ("animate-href", 3, "element `set`"),
        ("character-reference", 2, "element `a`"),
    ];
    // Every picture in the folder (the Chromium check uses the same ones) has its refusal checked.
    let expected: std::collections::BTreeSet<&str> = refusals.iter().map(|(name, _, _)| *name).collect();
    assert_eq!(names, expected.into_iter().collect::<Vec<_>>());
    let blocks: String =
        names.iter().map(|n| format!("  - picture: {n}\n    alt: A picture\n    text: This is a picture.\n")).collect();
    let text = statement("qs-1", 1, &["children-act-1989 s22"], &["qs-2"])
        .replace("easy_read:\n", &format!("easy_read:\n{blocks}"));
    fixture.write("statements/qs-1.md", &text);

    let output = fixture.build(&[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(!fixture.output().exists(), "a refused build wrote output");
    for (name, line, found) in refusals {
        let at = format!("pictures/{name}.svg:{line}:");
        let reported = err
            .split("\n\n")
            .any(|d| d.contains(&at) && d.contains(&format!("the picture `{name}` is refused: {found}")));
        assert!(reported, "{at} {found} is not reported:\n{err}");
    }
    assert!(err.contains("save it as UTF-8"), "{err}");
}

#[test]
fn hostile_raw_html_is_sanitised_and_refused_targets_are_reported() {
    let fixture = Fixture::new();
    fixture.write("site.yaml", &format!("{SITE}allow_raw_html: true\n"));
    let payloads = fs::read_to_string(hostile_fixtures().join("raw-html.md")).unwrap();
    let text = statement("qs-1", 1, &["children-act-1989 s22"], &["qs-2"])
        .replace("Why statement 1 matters.", &format!("# A heading\n\nWhy it matters.\n\n{payloads}"));
    fixture.write("statements/qs-1.md", &text);

    let output = fixture.build(&[]);
    let err = stderr(&output);
    assert!(output.status.success(), "the sanitiser makes the text safe, so the build goes on:\n{err}");
    assert_nothing_executable(&fixture.output());
    let page = fs::read_to_string(fixture.output().join("commissioner/statements/qs-1.html")).unwrap();
    assert!(
        page.contains("a plain javascript link") && page.contains("Why it matters."),
        "the text around the payloads was lost"
    );
    assert!(!page.to_ascii_lowercase().contains("javascript:"), "{page}");
    assert!(page.contains("<h3>A heading</h3>"), "the heading offset is lost");
    // A warning at the line of each executable target written plainly.
    for target in [
        "javascript:alert('raw-a-href')",
        "JaVaScRiPt\t:alert('raw-mixed-case')",
        "javascript:alert('raw-iframe-src')",
        "javascript:alert('raw-form-action')",
        "javascript:alert('raw-svg-link')",
    ] {
        let line = line_of(&text, target);
        let at = format!("statements/qs-1.md:{line}:");
        let reported = err
            .split("\n\n")
            .any(|d| d.contains(&at) && d.contains("could run code in a reader's browser, so it was removed"));
        assert!(reported, "{target:?} on line {line} is not reported:\n{err}");
    }
    let entity = line_of(&text, "&#106;avascript:");
    assert!(
        err.contains(&format!("statements/qs-1.md:{entity}:")),
        "the entity-encoded target is not reported:\n{err}"
    );
    for element in ["<iframe>", "<form>", "<script>", "<svg>", "<math>", "<noscript>"] {
        assert!(
            err.contains(&format!("the element `{element}` is not allowed in guidance text")),
            "{element} removal is not reported:\n{err}"
        );
    }
    assert!(err.contains("the event attribute `onerror` in `<img>`"), "{err}");
    let strict = fixture.build(&["--strict"]);
    assert_eq!(strict.status.code(), Some(1), "strict mode fails on what the sanitiser removed");
}
