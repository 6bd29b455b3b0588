//! Finding glossary terms in text: the one matcher that the easy-read lint (which words are
//! explained) and the pages (which words are bold, with their meaning beside) share, so the two
//! never disagree. Case is folded for every script, not only ASCII.

use std::collections::BTreeSet;
use std::ops::Range;

use aho_corasick::AhoCorasick;

/// One glossary entry as the matcher sees it.
pub struct Entry<'a> {
    /// Phrases matched whatever their case ("personal adviser").
    pub phrases: Vec<String>,
    /// Abbreviations matched only as written ("IRO").
    pub abbreviations: &'a [String],
}

/// A term found in a text: where (byte range of the original text), and which entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub range: Range<usize>,
    pub entry: usize,
}

struct Needle {
    text: String,
    case_sensitive: bool,
    entry: usize,
}

/// The glossary, ready to search many texts.
pub struct GlossaryMatcher {
    /// Longest first, so "personal adviser" wins over "adviser".
    needles: Vec<Needle>,
    /// Which needles occur in a text at all, found in one pass so only those are looked for in
    /// priority order: (automaton, needle index of each pattern), for folded and exact needles.
    folded: Option<(AhoCorasick, Vec<usize>)>,
    exact: Option<(AhoCorasick, Vec<usize>)>,
}

impl GlossaryMatcher {
    /// A matcher for the entries, numbered in the order given.
    pub fn new<'a>(entries: impl IntoIterator<Item = Entry<'a>>) -> Self {
        let mut needles = Vec::new();
        for (entry, item) in entries.into_iter().enumerate() {
            for phrase in item.phrases {
                needles.push(Needle { text: fold(&phrase).0, case_sensitive: false, entry });
            }
            for abbreviation in item.abbreviations {
                needles.push(Needle { text: abbreviation.clone(), case_sensitive: true, entry });
            }
        }
        needles.retain(|n| !n.text.is_empty());
        needles.sort_by(|a, b| b.text.len().cmp(&a.text.len()).then_with(|| a.text.cmp(&b.text)));
        let automaton = |case_sensitive: bool| {
            let indexes: Vec<usize> = needles
                .iter()
                .enumerate()
                .filter(|(_, n)| n.case_sensitive == case_sensitive)
                .map(|(i, _)| i)
                .collect();
            // Without an automaton every needle is looked for, which gives the same result.
            AhoCorasick::new(indexes.iter().map(|&i| needles[i].text.as_str())).ok().map(|a| (a, indexes))
        };
        let (folded, exact) = (automaton(false), automaton(true));
        GlossaryMatcher { needles, folded, exact }
    }

    /// Every place a term occurs, at word boundaries (a plural "s" included), not overlapping,
    /// in text order.
    pub fn all(&self, text: &str) -> Vec<Found> {
        self.search(text, None)
    }

    /// The first place each entry occurs, for entries not yet in `used`, which gains them: a
    /// term is explained once, at its first use.
    pub fn first_of_each(&self, text: &str, used: &mut BTreeSet<usize>) -> Vec<Found> {
        self.search(text, Some(used))
    }

    fn search(&self, text: &str, mut used: Option<&mut BTreeSet<usize>>) -> Vec<Found> {
        let (folded, origin) = fold(text);
        // The original byte offset of a folded offset (folding can change a character's length).
        let original = |at: usize| origin.get(at).copied().unwrap_or(text.len());
        let present = self.present(text, &folded);
        let mut taken: Vec<Found> = Vec::new();
        for (needle, present) in self.needles.iter().zip(present) {
            if !present || used.as_ref().is_some_and(|u| u.contains(&needle.entry)) {
                continue;
            }
            let haystack = if needle.case_sensitive { text } else { folded.as_str() };
            let mut from = 0;
            while let Some(found) = haystack[from..].find(needle.text.as_str()) {
                let at = from + found;
                from = at + needle.text.len();
                let (start, mut end) = if needle.case_sensitive { (at, from) } else { (original(at), original(from)) };
                let before_ok = text[..start].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
                // A plural "s" after a phrase belongs to it.
                if !needle.case_sensitive
                    && text[end..].starts_with('s')
                    && text[end + 1..].chars().next().is_none_or(|c| !c.is_alphanumeric())
                {
                    end += 1;
                }
                let after_ok = text[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
                let overlaps = taken.iter().any(|f| f.range.start < end && start < f.range.end);
                if before_ok && after_ok && !overlaps {
                    taken.push(Found { range: start..end, entry: needle.entry });
                    if let Some(used) = used.as_deref_mut() {
                        used.insert(needle.entry);
                        break;
                    }
                }
            }
        }
        taken.sort_by_key(|f| f.range.start);
        taken
    }

    /// Which needles occur somewhere in the text.
    fn present(&self, text: &str, folded: &str) -> Vec<bool> {
        let mut present = vec![self.folded.is_none() || self.exact.is_none(); self.needles.len()];
        for (automaton, haystack) in [(&self.folded, folded), (&self.exact, text)] {
            if let Some((automaton, indexes)) = automaton {
                for found in automaton.find_overlapping_iter(haystack) {
                    present[indexes[found.pattern().as_usize()]] = true;
                }
            }
        }
        present
    }
}

/// The text in lower case for every script, and for each byte of it the byte offset in `text`
/// of the character it came from.
fn fold(text: &str) -> (String, Vec<usize>) {
    let mut folded = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        let before = folded.len();
        folded.extend(c.to_lowercase());
        origin.resize(origin.len() + folded.len() - before, at);
    }
    (folded, origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(entries: &[(&[&str], &[String])]) -> GlossaryMatcher {
        GlossaryMatcher::new(entries.iter().map(|(phrases, abbreviations)| Entry {
            phrases: phrases.iter().map(|p| p.to_string()).collect(),
            abbreviations,
        }))
    }

    fn words<'t>(text: &'t str, found: &[Found]) -> Vec<&'t str> {
        found.iter().map(|f| &text[f.range.clone()]).collect()
    }

    #[test]
    fn longest_phrase_wins_and_plurals_count() {
        let m = matcher(&[(&["adviser"], &[]), (&["personal adviser"], &[])]);
        let text = "Your Personal Adviser and other advisers help.";
        assert_eq!(words(text, &m.all(text)), vec!["Personal Adviser", "advisers"]);
        assert_eq!(m.all(text)[0].entry, 1);
    }

    #[test]
    fn whole_words_only_and_abbreviations_by_case() {
        let iro = ["IRO".to_string()];
        let m = matcher(&[(&["care"], &iro)]);
        let text = "Careful: the iro and the IRO take care.";
        assert_eq!(words(text, &m.all(text)), vec!["IRO", "care"]);
    }

    #[test]
    fn case_is_folded_beyond_ascii() {
        // Before: ASCII-only folding missed "ÉVALUATION"; a length-changing fold ("İ" is two
        // characters in lower case) made the lint give up on the whole sentence.
        let m = matcher(&[(&["évaluation"], &[]), (&["plan"], &[])]);
        let text = "İstanbul ÉVALUATION plan";
        assert_eq!(words(text, &m.all(text)), vec!["ÉVALUATION", "plan"]);
    }

    #[test]
    fn first_of_each_explains_a_term_once() {
        let m = matcher(&[(&["plan"], &[])]);
        let mut used = BTreeSet::new();
        assert_eq!(words("A plan, a plan.", &m.first_of_each("A plan, a plan.", &mut used)), vec!["plan"]);
        assert!(m.first_of_each("Your plan.", &mut used).is_empty());
    }
}
