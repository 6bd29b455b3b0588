//! The only module that touches the YAML parser.
//!
//! The parser is yaml_serde, the YAML organisation's maintained fork of the archived serde_yaml
//! (same parser, same messages). Keeping it behind this one function means it can be swapped
//! without touching the rest of the code. Errors come back as plain sentences with a
//! byte offset, never in debug form.

use serde::de::DeserializeOwned;

use crate::diagnostics::closest;

/// A YAML problem, ready to show to a content editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// What is wrong, without the parser's own "at line N column M" suffix.
    pub message: String,
    /// Byte offset into the parsed text, when the parser knows it.
    pub offset: Option<usize>,
    /// What would fix it, when we can tell.
    pub help: Option<String>,
    /// The field concerned, when the parser names one.
    pub field: Option<String>,
}

/// Parses `text` as YAML into `T`.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    yaml_serde::from_str(text).map_err(|error| explain(text, &error))
}

/// Writes `value` as YAML.
pub fn to_string<T: serde::Serialize>(value: &T) -> Result<String, String> {
    yaml_serde::to_string(value).map_err(|e| e.to_string())
}

/// Turns a parser error into a sentence an editor can act on, with the place and a fix. It is one
/// long function on purpose: each step recognises one shape of the parser's messages (unknown
/// field, wrong type, empty text, unclosed quote...), tried in order, and they read best side by
/// side.
fn explain(text: &str, error: &yaml_serde::Error) -> YamlError {
    let mut offset = error.location().map(|l| l.index());
    let raw = error.to_string();
    // The parser's message may name two places ("... at line 6 column 1, while scanning a
    // quoted scalar at line 3 column 8"), counted from the start of the YAML, which is not the
    // start of a Markdown file. The diagnostic shows the place itself, so drop them all, but keep
    // where the construct started: for an unclosed quote that is the place worth showing.
    let (mut message, started) = strip_locations(&raw, text);
    if let Some(i) = message.rfind(" at position ") {
        let digits = &message[i + " at position ".len()..];
        if let Ok(position) = digits.parse::<usize>() {
            offset = Some(position.min(text.len()));
            message.truncate(i);
        }
    }
    let mut help = None;
    let mut field = None;

    if message.contains("while scanning a quoted scalar") {
        if let Some(start) = started {
            offset = Some(start);
        }
        return YamlError {
            message: "this quoted text is never closed".to_string(),
            offset,
            help: Some(
                "close the quote with the same mark (\" or ') before the end of the value, or remove it; a quote inside the text can be written twice ('') in single quotes"
                    .to_string(),
            ),
            field,
        };
    }
    if message.contains("while parsing a flow sequence") || message.contains("while parsing a flow mapping") {
        let (open, close) = if message.contains("flow sequence") { ('[', ']') } else { ('{', '}') };
        // Show where the list opened: the line after it, where the parser gave up, is not wrong.
        if let Some(start) = started {
            offset = Some(start);
        }
        let what = if open == '[' { "list" } else { "group of fields" };
        return YamlError {
            message: format!("this {what} opened with `{open}` is never closed with `{close}`"),
            offset,
            help: Some(format!("a {what} opened with `{open}` must be closed with `{close}` on the same value, with `,` between the items")),
            field,
        };
    }

    // Our own schema errors say "must ...": name the field first, as a sentence.
    if let Some((path, rest)) = message.split_once(": must ") {
        if !path.contains(' ') && !rest.ends_with("not be empty") {
            let field_name = path.rsplit('.').next().unwrap_or(path).to_string();
            return YamlError {
                message: format!("`{path}` must {rest}"),
                offset,
                help: Some(format!("write one value after `{field_name}:`, in quotes if it is text")),
                field: Some(field_name),
            };
        }
    }
    if message.ends_with(EMPTY_TEXT) {
        // The parser points at the start of the mapping; find the empty field in it.
        let from = offset.unwrap_or(0);
        return match empty_value(text, from) {
            Some((at, key)) => YamlError {
                message: format!("`{key}` is empty"),
                offset: Some(at),
                help: Some(format!("write the text of `{key}`; it is required, so it cannot be left empty or blank")),
                field: Some(key),
            },
            None => YamlError {
                message: "a required text here is empty".to_string(),
                offset,
                help: Some(
                    "write the missing text; required fields and list items cannot be empty or blank".to_string(),
                ),
                field,
            },
        };
    }
    if let Some((unknown, expected)) = parse_unknown(&message, "unknown field `") {
        let suggestion = closest(&unknown, expected.iter().map(String::as_str));
        help = Some(match suggestion {
            Some(s) => format!("did you mean `{s}`? The fields allowed here are: {}", expected.join(", ")),
            None => format!("the fields allowed here are: {}", expected.join(", ")),
        });
        field = Some(unknown);
    } else if let Some((unknown, expected)) = parse_unknown(&message, "unknown variant `") {
        help = Some(match closest(&unknown, expected.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`? The values allowed here are: {}", expected.join(", ")),
            None => format!("the values allowed here are: {}", expected.join(", ")),
        });
    } else if let Some(missing) = between(&message, "missing field `", "`") {
        help = Some(format!("add a `{missing}:` line"));
        field = Some(missing);
    } else if message.contains("invalid type") || message.contains("invalid value") {
        help = Some(type_help(&message));
    } else if message.contains("repetition limit") {
        help = Some(
            "this file repeats anchors and aliases (`&name`, `*name`) so often that reading it would take too much memory; write the values out instead"
                .to_string(),
        );
    } else if message.contains("recursion limit") {
        help = Some(
            "lists or maps are nested too deeply here; no guidepress file needs more than a few levels".to_string(),
        );
    } else if message.contains("control characters are not allowed") {
        help = Some(
            "remove the invisible control character (often pasted from another program) from this line".to_string(),
        );
    } else if message.contains("duplicate entry") || message.contains("duplicate field") {
        help = Some("each field may appear once; remove or merge the repeated one".to_string());
        // The parser points at the start of the mapping; point at the repeated key instead.
        if let Some(key) = between(&message, "duplicate field `", "`") {
            let from = offset.unwrap_or(0);
            let mut lines = key_lines(text, &key).filter(|(at, _)| *at >= from);
            if let Some((_, indent)) = lines.next() {
                if let Some((second, _)) = lines.find(|(_, i)| *i == indent) {
                    offset = Some(second);
                }
            }
        }
    } else if message.contains("mapping values are not allowed") {
        help = Some("a value that contains `: ` must be put in quotes, e.g. title: \"Care: planning\"; or, if this line is a new field, check its indentation".to_string());
    }

    // A tab where indentation is expected is the commonest YAML slip; say so plainly.
    if help.is_none() {
        if let Some(at) = offset {
            if line_has_tab(text, at) || line_has_tab(text, at.saturating_sub(1)) {
                help = Some(
                    "YAML is indented with spaces; replace the tab characters on this line with spaces".to_string(),
                );
            }
        }
    }
    if help.is_none() && (message.contains("did not find expected") || message.contains("could not find expected")) {
        help = Some(
            "check the indentation and that every quote you open is closed; in a list, each item starts with `- ` at the same indentation"
                .to_string(),
        );
    }
    YamlError { message, offset, help, field }
}

/// Removes every " at line N column M" from a parser message. Returns the message and the byte
/// offset in `text` of the second place named, if any (where the construct being parsed began).
fn strip_locations(message: &str, text: &str) -> (String, Option<usize>) {
    let mut out = String::with_capacity(message.len());
    let mut places = Vec::new();
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let line_digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let column_part = after[line_digits..].strip_prefix(" column ");
        match column_part {
            Some(column_text) if line_digits > 0 => {
                let column_digits = column_text.bytes().take_while(u8::is_ascii_digit).count();
                let line = after[..line_digits].parse::<usize>().ok();
                let column = column_text[..column_digits].parse::<usize>().ok();
                if let (Some(line), Some(column)) = (line, column) {
                    places.push(offset_of(text, line, column));
                }
                rest = &column_text[column_digits..];
            }
            _ => {
                out.push_str(" at line ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    // The parser prefixes type errors with the path, e.g. "measures.process[0]: invalid type ...".
    (out.trim().to_string(), places.get(1).copied().flatten())
}

/// The byte offset of a 1-based line and column (in characters) in `text`, if it is there.
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let line_start = if line <= 1 { 0 } else { text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)? };
    let line_text = text[line_start..].split('\n').next().unwrap_or("");
    let within = line_text.char_indices().nth(column.saturating_sub(1)).map_or(line_text.len(), |(i, _)| i);
    Some(line_start + within)
}

fn parse_unknown(message: &str, marker: &str) -> Option<(String, Vec<String>)> {
    let unknown = between(message, marker, "`")?;
    let expected = match message.find("expected one of ") {
        Some(i) => message[i + "expected one of ".len()..]
            .split(", ")
            .map(|s| s.trim().trim_matches('`').to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        None => match between(message, "expected `", "`") {
            Some(one) => vec![one],
            None => Vec::new(),
        },
    };
    Some((unknown, expected))
}

fn between(text: &str, start: &str, end: &str) -> Option<String> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(text[from..from + len].to_string())
}

fn type_help(message: &str) -> String {
    if message.contains("expected a sequence") {
        "this field takes a list: write each item on its own line starting with `- `, or use [a, b]".to_string()
    } else if message.contains("expected u32") || message.contains("expected u16") || message.contains("integer") {
        "this field takes a whole number, such as 3".to_string()
    } else if message.contains("expected a string") {
        "this field takes text; put it in quotes if it looks like a number, date or list".to_string()
    } else if message.contains("expected a boolean") {
        "this field takes true or false".to_string()
    } else if message.contains("map") || message.contains("struct") {
        "this field takes named sub-fields, each on its own indented line".to_string()
    } else {
        "check the value's type against content/README.md".to_string()
    }
}

/// The first field at or after byte `from` whose value is empty: `key:`, `key: ""`, `key: ''`,
/// or an item of it that is (`key: [a, ""]`, or a `- ""` line under it). Returns the offset of
/// the empty value (of the key when there is no value) and the key.
fn empty_value(text: &str, from: usize) -> Option<(usize, String)> {
    let from = crate::diagnostics::floor_char_boundary(text, from.min(text.len()));
    let line_start = text[..from].rfind('\n').map_or(0, |i| i + 1);
    let mut offset = line_start;
    let mut last_key: Option<(usize, String)> = None;
    for line in text[line_start..].split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start().trim_start_matches("- ").trim_start();
        let indent = line.len() - trimmed.len();
        let bare = trimmed.trim_end();
        let blank = |v: &str| {
            let v = v.trim();
            let unquoted = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')));
            unquoted.unwrap_or(v).trim().is_empty() || matches!(v, "~" | "null")
        };
        if let Some((key, value)) = bare.split_once(':') {
            if !key.is_empty() && !key.contains(' ') && !key.starts_with(['"', '\'', '#']) {
                let value_at = start + indent + key.len() + 1 + (value.len() - value.trim_start().len());
                if blank(value) {
                    // `key:` followed by a more indented block is not empty.
                    let next = text[offset..].lines().find(|l| !l.trim().is_empty());
                    let nested = next
                        .is_some_and(|n| n.len() - n.trim_start().len() > indent || n.trim_start().starts_with("- "));
                    if !nested || !value.trim().is_empty() {
                        return Some((value_at, key.to_string()));
                    }
                }
                let items = value.trim();
                if let Some(inner) = items.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
                    if inner.split(',').any(blank) && !inner.trim().is_empty() {
                        return Some((value_at, key.to_string()));
                    }
                }
                last_key = Some((value_at, key.to_string()));
                continue;
            }
        }
        if line.trim_start().starts_with('-') && blank(line.trim_start().trim_start_matches('-')) {
            if let Some((_, key)) = &last_key {
                return Some((start + (line.len() - line.trim_start().len()), key.clone()));
            }
        }
    }
    None
}

/// The offset and indentation (in bytes, counting a leading `- ` as indentation) of each line
/// that starts with `key:`.
fn key_lines<'a>(text: &'a str, key: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
    let mut offset = 0;
    text.split_inclusive('\n').filter_map(move |line| {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start().trim_start_matches("- ").trim_start();
        let indent = line.len() - trimmed.len();
        trimmed.strip_prefix(key).filter(|rest| rest.starts_with(':')).map(|_| (start + indent, indent))
    })
}

fn line_has_tab(text: &str, offset: usize) -> bool {
    let offset = crate::diagnostics::floor_char_boundary(text, offset.min(text.len()));
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    text[start..end].contains('\t')
}

/// The error of a required text left empty; [`crate::source::yaml`] adds the field's name and a fix.
pub const EMPTY_TEXT: &str = "must not be empty";

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        title: String,
        number: u32,
    }

    #[test]
    fn unknown_field_suggests_the_closest() {
        let error = parse::<Sample>("titel: x\nnumber: 1\n").unwrap_err();
        assert!(error.message.contains("unknown field `titel`"), "{}", error.message);
        assert!(!error.message.contains(" at line "));
        assert_eq!(error.field.as_deref(), Some("titel"));
        assert!(error.help.unwrap().starts_with("did you mean `title`?"));
        assert_eq!(error.offset, Some(0));
    }

    #[test]
    fn missing_field_says_what_to_add() {
        let error = parse::<Sample>("title: x\n").unwrap_err();
        assert_eq!(error.help.as_deref(), Some("add a `number:` line"));
    }

    #[test]
    fn tabs_are_explained() {
        let error = parse::<Sample>("title: x\n\tnumber: 1\n").unwrap_err();
        assert!(error.help.unwrap().contains("tab"));
    }

    #[test]
    fn wrong_type_is_explained() {
        let error = parse::<Sample>("title: x\nnumber: three\n").unwrap_err();
        assert!(error.help.unwrap().contains("whole number"));
        let (line, _) = crate::diagnostics::line_column("title: x\nnumber: three\n", error.offset.unwrap());
        assert_eq!(line, 2);
    }

    #[test]
    fn an_unclosed_quote_points_at_the_quote() {
        let text = "title: x\nnumber: 1\nother: \"never closed\nmore: 2\n";
        let error = parse::<yaml_serde::Value>(text).unwrap_err();
        assert_eq!(error.message, "this quoted text is never closed");
        assert_eq!(error.offset, Some(text.find('"').unwrap()));
        assert!(error.help.unwrap().contains("close the quote"));
    }

    #[test]
    fn messages_carry_no_line_numbers_of_their_own() {
        for text in ["a:\n  b: 1\n c: 2\n", "a: [1, 2\nb: 3\n", "a: b: c\n", "- a\nb: 1\n"] {
            let error = parse::<yaml_serde::Value>(text).unwrap_err();
            assert!(!error.message.contains(" at line "), "{}", error.message);
            assert!(!error.message.contains("column"), "{}", error.message);
            assert!(error.offset.is_some(), "{text:?}");
        }
        let error = parse::<yaml_serde::Value>("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(error.help.unwrap().contains("closed with `]`"));
    }

    #[test]
    fn a_repeated_field_points_at_the_repeat() {
        let text = "title: x\nnumber: 1\ntitle: y\n";
        let error = parse::<Sample>(text).unwrap_err();
        assert!(error.message.contains("duplicate field `title`"), "{}", error.message);
        assert_eq!(error.offset, Some(text.rfind("title").unwrap()));
    }

    #[test]
    fn a_control_character_is_pointed_at() {
        let text = "title: x\u{1}y\nnumber: 1\n";
        let error = parse::<Sample>(text).unwrap_err();
        assert_eq!(error.message, "control characters are not allowed");
        assert_eq!(error.offset, Some(8));
        assert!(error.help.unwrap().contains("control character"));
    }

    #[test]
    fn an_empty_required_text_is_named_at_its_line() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Term {
            #[serde(deserialize_with = "crate::load::tests_text")]
            term: String,
            number: u32,
        }
        for (text, line) in [("number: 1\nterm: \"\"\n", 2), ("term: '  '\nnumber: 1\n", 1), ("number: 1\nterm:\n", 2)]
        {
            let error = parse::<Term>(text).unwrap_err();
            assert_eq!(error.message, "`term` is empty", "{text:?}");
            assert_eq!(error.field.as_deref(), Some("term"));
            assert_eq!(crate::diagnostics::line_column(text, error.offset.unwrap()).0, line, "{text:?}");
        }
        assert_eq!(empty_value("who: [a, \"\"]\n", 0), Some((5, "who".to_string())));
        assert_eq!(empty_value("who:\n  - a\n  - ''\n", 0), Some((13, "who".to_string())));
        assert_eq!(empty_value("who:\n  - a\n", 0), None);
    }

    #[test]
    fn a_colon_in_a_value_says_to_quote_it() {
        let error = parse::<Sample>("title: Care: planning\nnumber: 1\n").unwrap_err();
        assert!(error.help.unwrap().contains("quotes"));
    }

    #[test]
    fn offsets_of_lines_and_columns() {
        assert_eq!(offset_of("ab\ncd", 2, 2), Some(4));
        assert_eq!(offset_of("ab\ncd", 1, 1), Some(0));
        assert_eq!(offset_of("é\nx", 1, 2), Some(2));
        assert_eq!(offset_of("ab", 5, 1), None);
        assert_eq!(strip_locations("bad at line 1 column 2, while x at line 1 column 1", "ab").0, "bad, while x");
        assert_eq!(strip_locations("at line three", "").0, "at line three");
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut text =
            String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
        let mut prev = "a";
        for name in names {
            text.push_str(&format!(
                "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
            prev = name;
        }
        let result = parse::<yaml_serde::Value>(&text);
        assert!(result.is_err());
    }
}
