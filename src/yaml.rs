//! The only module that touches the YAML parser.
//!
//! serde_yaml is deprecated upstream but stable; keeping it behind this one function means it can
//! be swapped without touching the rest of the code. Errors come back as plain sentences with a
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
    serde_yaml::from_str(text).map_err(|error| explain(text, &error))
}

fn explain(text: &str, error: &serde_yaml::Error) -> YamlError {
    let offset = error.location().map(|l| l.index());
    let raw = error.to_string();
    let message = strip_location(&raw);
    let mut help = None;
    let mut field = None;

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
    } else if message.contains("repetition limit") || message.contains("recursion limit") {
        help = Some(
            "this file nests or repeats anchors and aliases too deeply; write the values out instead of using `&` and `*`"
                .to_string(),
        );
    } else if message.contains("duplicate entry") || message.contains("duplicate field") {
        help = Some("each field may appear once; remove or merge the repeated one".to_string());
    }

    // A tab where indentation is expected is the commonest YAML slip; say so plainly.
    if help.is_none() {
        if let Some(at) = offset {
            if line_has_tab(text, at) || line_has_tab(text, at.saturating_sub(1)) {
                help = Some("YAML is indented with spaces; replace the tab characters on this line with spaces".to_string());
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

fn strip_location(message: &str) -> String {
    let trimmed = match message.rfind(" at line ") {
        Some(i) if message[i..].contains(" column ") => &message[..i],
        _ => message,
    };
    // serde_yaml prefixes type errors with the path, e.g. "measures.process[0]: invalid type ...".
    trimmed.trim().to_string()
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

fn line_has_tab(text: &str, offset: usize) -> bool {
    let offset = crate::diagnostics::floor_char_boundary(text, offset.min(text.len()));
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    text[start..end].contains('\t')
}

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
    fn billion_laughs_is_refused() {
        let mut text = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
        let mut prev = "a";
        for name in names {
            text.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
            prev = name;
        }
        let result = parse::<serde_yaml::Value>(&text);
        assert!(result.is_err());
    }
}
