//! Sentences: the one splitter that lint, pages and readability share.

/// Splits easy-read text into sentences: one per line, and lines with several sentences split at
/// sentence ends.
pub fn split_sentences(text: &str) -> Vec<String> {
    let mut sentences = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let mut start = 0;
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        for (i, (offset, c)) in chars.iter().enumerate() {
            let next_is_space = chars.get(i + 1).is_some_and(|(_, n)| n.is_whitespace());
            if matches!(c, '.' | '?' | '!') && next_is_space {
                let end = offset + c.len_utf8();
                let sentence = line[start..end].trim();
                if !sentence.is_empty() {
                    sentences.push(sentence.to_string());
                }
                start = end;
            }
        }
        let rest = line[start..].trim();
        if !rest.is_empty() {
            sentences.push(rest.to_string());
        }
    }
    sentences
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_on_lines_and_stops() {
        assert_eq!(
            split_sentences("You can ask. We will help.\nCall us?\n\n  Done  "),
            vec!["You can ask.", "We will help.", "Call us?", "Done"]
        );
    }
}
