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

/// How many problems of one file are stepped over before the rest is left to the next run.
const MAX_REPAIRS: usize = 20;

/// Parses `text` as YAML into `T`, going on past the problems it can step over, so that one run
/// reports every problem of a file rather than only the first: an unknown field is read as the
/// field it most likely means (when that field is not there already) or else left out, and a
/// repeated field is left out. Returns the value, read with those repairs (`None` when a problem
/// could not be stepped over), and every problem, placed in `text`. A value with problems is
/// only for finding more problems (a misspelt citation, say), never for publishing.
pub fn parse_all<T: DeserializeOwned>(text: &str) -> (Option<T>, Vec<YamlError>) {
    let mut repaired = Repaired { text: text.to_string(), shifts: Vec::new() };
    let mut problems: Vec<YamlError> = Vec::new();
    for _ in 0..MAX_REPAIRS {
        let error = match yaml_serde::from_str::<T>(&repaired.text) {
            Ok(value) => return (Some(value), problems),
            Err(error) => error,
        };
        let mut problem = explain(&repaired.text, &error);
        let (message, _) = strip_locations(&error.to_string(), &repaired.text);
        let at = problem.offset;
        let stepped = at.and_then(|at| repaired.step_over(&message, at));
        problem.offset = at.map(|at| repaired.original(at).min(text.len()));
        problems.push(problem);
        if stepped.is_none() {
            break;
        }
    }
    (None, problems)
}

/// The text being parsed, with the repairs so far, and where they moved the text.
struct Repaired {
    text: String,
    /// Where a repair changed the length of the text (in the repaired text), and by how much.
    shifts: Vec<(usize, isize)>,
}

impl Repaired {
    /// The offset in the original text of `at` in the repaired one.
    fn original(&self, at: usize) -> usize {
        let moved: isize = self.shifts.iter().filter(|(place, _)| *place < at).map(|(_, by)| by).sum();
        at.saturating_add_signed(-moved)
    }

    /// Repairs the problem the parser stopped at (`at`, in the repaired text), if it is one to
    /// step over: a misspelt field is renamed to the field it means, when that one is missing
    /// (so a required field is not reported missing as well); any other unknown or repeated
    /// field is left out.
    fn step_over(&mut self, message: &str, at: usize) -> Option<()> {
        let line_start = self.text[..at.min(self.text.len())].rfind('\n').map_or(0, |i| i + 1);
        if let Some((unknown, expected)) = parse_unknown(message, "unknown field `") {
            let key_at = line_start + self.text[line_start..].find(&format!("{unknown}:"))?;
            let indent = key_at - line_start;
            // The first field of a list item (`- titel: x`) cannot be left out on its own.
            if self.text[line_start..key_at].contains('-') {
                return None;
            }
            let meant = closest(&unknown, expected.iter().map(String::as_str))
                .filter(|meant| !self.has_sibling(line_start, indent, meant));
            match meant {
                Some(meant) => {
                    self.text.replace_range(key_at..key_at + unknown.len(), meant);
                    self.shifts.push((key_at, meant.len() as isize - unknown.len() as isize));
                }
                None => self.comment_out(line_start, indent),
            }
            return Some(());
        }
        if let Some(repeated) = between(message, "duplicate field `", "`") {
            let indent = self.text[line_start..].len() - self.text[line_start..].trim_start().len();
            if !self.text[line_start + indent..].starts_with(&format!("{repeated}:")) {
                return None;
            }
            self.comment_out(line_start, indent);
            return Some(());
        }
        None
    }

    /// Whether the mapping holding the line at `line_start` (its fields at `indent`) has `key`.
    fn has_sibling(&self, line_start: usize, indent: usize, key: &str) -> bool {
        let sibling = |line: &str| {
            let trimmed = line.trim_start();
            line.len() - trimmed.len() == indent && trimmed.strip_prefix(key).is_some_and(|r| r.starts_with(':'))
        };
        let belongs = |line: &str| line.trim().is_empty() || line.len() - line.trim_start().len() >= indent;
        let before = self.text[..line_start].lines().rev().take_while(|l| belongs(l)).any(sibling);
        let after = self.text[line_start..].lines().skip(1).take_while(|l| belongs(l)).any(sibling);
        before || after
    }

    /// Turns the field on the line at `line_start` and the lines indented under it into comments,
    /// keeping every offset in place.
    fn comment_out(&mut self, line_start: usize, indent: usize) {
        let mut offset = line_start;
        let mut first = true;
        let mut places = Vec::new();
        for line in self.text[line_start..].split_inclusive('\n') {
            let trimmed = line.trim_start();
            let own_indent = line.len() - trimmed.len();
            if !first && !trimmed.trim().is_empty() && own_indent <= indent {
                break;
            }
            if !trimmed.trim().is_empty() {
                places.push(offset + own_indent);
            }
            first = false;
            offset += line.len();
        }
        for place in places {
            // The same number of bytes, so nothing after it moves.
            let width = self.text[place..].chars().next().map_or(1, char::len_utf8);
            self.text.replace_range(place..place + width, &format!("#{}", " ".repeat(width - 1)));
        }
    }
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

    if let Some(explained) = indentation(text, &message, offset, started) {
        return explained;
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
        // The parser's own message lists the fields too; say it once, in the help.
        message = format!("there is no field called `{unknown}`");
        field = Some(unknown);
    } else if let Some((unknown, expected)) = parse_unknown(&message, "unknown variant `") {
        help = Some(match closest(&unknown, expected.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`? The values allowed here are: {}", expected.join(", ")),
            None => format!("the values allowed here are: {}", expected.join(", ")),
        });
        message = format!("`{unknown}` is not one of the values allowed here");
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

/// A line of `text`: where it starts, its indentation in spaces and its text after that.
fn line_at(text: &str, offset: usize) -> (usize, usize, &str) {
    let offset = crate::diagnostics::floor_char_boundary(text, offset.min(text.len()));
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].split('\n').next().unwrap_or("");
    let content = line.trim_start_matches(' ');
    (start, line.len() - content.len(), content.trim_end())
}

/// The nearest line above `line_start` with something on it (not a comment).
fn line_above(text: &str, line_start: usize) -> Option<(usize, usize, &str)> {
    let mut end = line_start.checked_sub(1)?;
    loop {
        let (start, indent, content) = line_at(text, end);
        if !content.is_empty() && !content.starts_with('#') {
            return Some((start, indent, content));
        }
        end = start.checked_sub(1)?;
    }
}

/// The field name a line starts with (`title` of `title: x` or `- title: x`).
fn key_of(content: &str) -> Option<&str> {
    let content = content.trim_start_matches("- ").trim_start();
    let (key, _) = content.split_once(':')?;
    (!key.is_empty() && !key.contains(' ') && !key.starts_with(['"', '\'', '#', '-'])).then_some(key)
}

fn spaces(n: usize) -> String {
    match n {
        0 => "no spaces".to_string(),
        1 => "1 space".to_string(),
        n => format!("{n} spaces"),
    }
}

/// The parser's indentation errors ("did not find expected key", "could not find expected ':'",
/// "mapping values are not allowed" on an over-indented line) in an editor's words, at the line
/// that is out of line, with the likely fix.
fn indentation(text: &str, message: &str, offset: Option<usize>, started: Option<usize>) -> Option<YamlError> {
    let at = offset?;
    if message.starts_with("could not find expected ':'") {
        // A text run on to a line of its own, not indented under its field: the parser only
        // gives up a line later, at the next field, but the line to fix is where the key began.
        let (start, indent, _) = line_at(text, started.unwrap_or(at));
        let field = line_above(text, start).and_then(|(_, _, above)| key_of(above).map(str::to_string));
        let goes_on = match &field {
            Some(field) => format!(
                "if it goes on with the text of `{field}` above, indent it by {} more than `{field}:`",
                spaces(2)
            ),
            None => "if it goes on with the text above, indent it under its field".to_string(),
        };
        return Some(YamlError {
            message: "this line is not a field (`name: value`), and it is not indented under the field above it"
                .to_string(),
            offset: Some(start + indent),
            help: Some(format!("{goes_on}; if it starts a new field, write its name and a `:` first")),
            field,
        });
    }
    let (start, indent, content) = line_at(text, at);
    let (_, above_indent, above) = line_above(text, start)?;
    if message.starts_with("did not find expected key") && key_of(content).is_some() {
        // A field out of line with the field it should line up with: the nearest line above
        // that is not indented more than it.
        let mut place = start;
        while let Some((above_start, above_indent, above)) = line_above(text, place) {
            if above_indent <= indent {
                let (Some(this), Some(other)) = (key_of(content), key_of(above)) else { break };
                if above_indent == indent {
                    break;
                }
                return Some(YamlError {
                    message: format!(
                        "`{this}:` is indented by {}, but `{other}:` above it, in the same group, by {}",
                        spaces(indent),
                        spaces(above_indent)
                    ),
                    offset: Some(start + indent),
                    help: Some(format!(
                        "give `{other}:` and `{this}:` the same indentation, lined up with the other fields of their group"
                    )),
                    field: Some(this.to_string()),
                });
            }
            place = above_start;
        }
    }
    if message.starts_with("did not find expected key") && indent != above_indent {
        let (how, fix) = if indent < above_indent {
            ("less", format!("if it goes on with the text above, indent it by {} like that text", spaces(above_indent)))
        } else {
            ("more", format!("line it up with the line above ({})", spaces(above_indent)))
        };
        let is_field = key_of(content).is_some();
        let rest = if is_field {
            "; a field lines up with the other fields of its group"
        } else {
            "; if it starts a new field, write it as `name: value`, lined up with the other fields"
        };
        return Some(YamlError {
            message: format!(
                "this line is indented {how} than the line above it ({}, against {})",
                spaces(indent),
                spaces(above_indent)
            ),
            offset: Some(start + indent),
            help: Some(format!("{fix}{rest}")),
            field: None,
        });
    }
    if message.starts_with("mapping values are not allowed") && indent > above_indent && key_of(content).is_some() {
        let above_key = key_of(above)?;
        // `carers: x` then `  providers: y`: the second reads as more of the first's value.
        let value_above = above.split_once(':').map_or("", |(_, v)| v.trim());
        if value_above.is_empty() || value_above.starts_with(['|', '>']) {
            return None;
        }
        return Some(YamlError {
            message: format!(
                "this line is indented more than `{above_key}:` above it ({}, against {}), so it reads as part of that value",
                spaces(indent),
                spaces(above_indent)
            ),
            offset: Some(start + indent),
            help: Some(format!(
                "if it is a field of its own, line it up with `{above_key}:` ({}); if the value above goes on here, put that value in quotes",
                spaces(above_indent)
            )),
            field: key_of(content).map(str::to_string),
        });
    }
    None
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
    // "expected one of `a`, `b`", "expected `a` or `b`" or "expected `a`".
    let expected = match message.find("expected ") {
        Some(i) => message[i + "expected ".len()..]
            .trim_start_matches("one of ")
            .split(", ")
            .flat_map(|s| s.split(" or "))
            .map(|s| s.trim().trim_matches('`').to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        None => Vec::new(),
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
    pub(super) struct Sample {
        title: String,
        number: u32,
    }

    #[test]
    fn unknown_field_suggests_the_closest() {
        let error = parse::<Sample>("titel: x\nnumber: 1\n").unwrap_err();
        assert_eq!(error.message, "there is no field called `titel`");
        assert!(!error.message.contains(" at line "));
        assert_eq!(error.field.as_deref(), Some("titel"));
        assert!(error.help.unwrap().starts_with("did you mean `title`?"));
        assert_eq!(error.offset, Some(0));
    }

    #[test]
    fn every_unknown_and_repeated_field_of_a_file_is_reported_and_the_rest_still_read() {
        let text = "titel: x\nnumbr: 1\ncolour: red\n  shade: dark\nnumbr: 2\n";
        let (value, problems) = parse_all::<Sample>(text);
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "there is no field called `titel`",
                "there is no field called `numbr`",
                "there is no field called `colour`",
                "there is no field called `numbr`",
            ]
        );
        // Each is placed at its own line of the original text, after the repairs moved things.
        let lines: Vec<usize> =
            problems.iter().map(|p| crate::diagnostics::line_column(text, p.offset.unwrap()).0).collect();
        assert_eq!(lines, [1, 2, 3, 5]);
        assert!(problems[0]
            .help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `title`? The fields allowed here are: title, number"));
        // Read as meant, so that what follows in the file is checked too.
        let value = value.expect("read with the misspelt fields as meant");
        assert_eq!((value.title.as_str(), value.number), ("x", 1));
        // A misspelling of a field that is there already is left out; the missing field it
        // leaves is not reported again.
        let (value, problems) = parse_all::<Sample>("title: x\ntitel: y\n");
        assert!(value.is_none());
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[1].message.contains("number"), "{problems:?}");
        let (value, problems) = parse_all::<Sample>("titl: x\nnumber: 1\n");
        assert_eq!(value.map(|v| v.title), Some("x".to_string()));
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn indentation_slips_are_told_in_plain_words_at_the_line_to_fix() {
        let cases = [
            (
                "a: 1\nb: |\n    one\n    two\n two-less\n    three\nc: 2\n",
                5,
                "this line is indented less than the line above it (1 space, against 4 spaces)",
                "indent it by 4 spaces",
            ),
            (
                "title: Working together\nand sharing\nnumber: 1\n",
                2,
                "this line is not a field (`name: value`), and it is not indented under the field above it",
                "goes on with the text of `title`",
            ),
            (
                "audiences:\n  carers: x\n    providers: y\n",
                3,
                "this line is indented more than `carers:` above it (4 spaces, against 2 spaces)",
                "line it up with `carers:` (2 spaces)",
            ),
        ];
        for (text, line, message, help) in cases {
            let error = parse::<yaml_serde::Value>(text).unwrap_err();
            assert!(error.message.starts_with(message), "{text:?}: {}", error.message);
            assert!(error.help.as_deref().unwrap_or("").contains(help), "{text:?}: {:?}", error.help);
            assert_eq!(crate::diagnostics::line_column(text, error.offset.unwrap()).0, line, "{text:?}");
        }
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
