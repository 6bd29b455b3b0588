//! Sentences: the one splitter that the easy-read lint, the pages and the readability figures
//! share, so a block the lint counts as four sentences is shown as four lines.

/// Splits text into sentences: at `.`, `?` or `!` followed by white space (any Unicode space) or
/// the end of a line, and at line breaks (headings and list items end without a stop). Each
/// sentence is trimmed; empty ones are dropped. A sentence may hold no words (a lone "–"): the
/// page still shows it, and [`has_words`] tells the figures to leave it out.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut start = 0;
        let mut chars = line.char_indices().peekable();
        while let Some((offset, c)) = chars.next() {
            let at_end = chars.peek().is_none_or(|(_, next)| next.is_whitespace());
            if matches!(c, '.' | '?' | '!') && at_end {
                let end = offset + c.len_utf8();
                push_trimmed(&mut out, &line[start..end]);
                start = end;
            }
        }
        push_trimmed(&mut out, &line[start..]);
    }
    out
}

fn push_trimmed<'a>(out: &mut Vec<&'a str>, sentence: &'a str) {
    let sentence = sentence.trim();
    if !sentence.is_empty() {
        out.push(sentence);
    }
}

/// Whether a sentence holds a word: a letter or digit in any script.
pub fn has_words(sentence: &str) -> bool {
    sentence.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_stops_and_lines() {
        assert_eq!(
            sentences("You can ask. We will help.\nCall us?\n\n  Done  "),
            vec!["You can ask.", "We will help.", "Call us?", "Done"]
        );
        assert_eq!(
            sentences("You can ask. We help!\nA heading\nMr. Smith? No"),
            vec!["You can ask.", "We help!", "A heading", "Mr.", "Smith?", "No"]
        );
    }

    #[test]
    fn any_unicode_space_ends_a_sentence() {
        // A no-break space and an ideographic space, as pasted from a word processor.
        assert_eq!(sentences("Ask us.\u{a0}We help.\u{3000}Always."), vec!["Ask us.", "We help.", "Always."]);
        // A stop inside a word or number does not.
        assert_eq!(sentences("Call 0800.1111 or visit nhs.uk today."), vec!["Call 0800.1111 or visit nhs.uk today."]);
    }

    #[test]
    fn sentences_without_words_are_kept_but_marked() {
        let found = sentences("Yes. – \nÉcoute. 学校。");
        assert_eq!(found, vec!["Yes.", "–", "Écoute.", "学校。"]);
        assert_eq!(found.iter().filter(|s| has_words(s)).count(), 3);
    }
}
