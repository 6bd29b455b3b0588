//! Readability figures: words, sentences, average and longest sentence, Flesch reading ease and
//! Flesch–Kincaid grade.
//!
//! Formulas (research notes §3.1): FRE = 206.835 − 1.015·ASL − 84.6·ASW and
//! FKGL = 0.39·ASL + 11.8·ASW − 15.59, where ASL is words per sentence and ASW syllables per word.
//! Syllables are counted by the one rule-based counter below, pinned by fixture tests; every
//! counter is approximate, so the figures are advisory.

use serde::{Deserialize, Serialize};

use crate::text::sentences::{has_words, sentences};

/// Figures for a piece of text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Figures {
    pub words: usize,
    pub sentences: usize,
    pub syllables: usize,
    pub longest_sentence: usize,
}

impl Figures {
    /// Average words per sentence.
    pub fn average_sentence(&self) -> f64 {
        if self.sentences == 0 {
            0.0
        } else {
            self.words as f64 / self.sentences as f64
        }
    }

    fn syllables_per_word(&self) -> f64 {
        if self.words == 0 {
            0.0
        } else {
            self.syllables as f64 / self.words as f64
        }
    }

    /// Flesch reading ease: higher is easier; 60–70 is plain English.
    pub fn reading_ease(&self) -> f64 {
        if self.words == 0 {
            return 0.0;
        }
        206.835 - 1.015 * self.average_sentence() - 84.6 * self.syllables_per_word()
    }

    /// Flesch–Kincaid grade: a US school grade; a UK reading age is about this plus 5.
    pub fn grade(&self) -> f64 {
        if self.words == 0 {
            return 0.0;
        }
        0.39 * self.average_sentence() + 11.8 * self.syllables_per_word() - 15.59
    }

    /// Adds another text's figures to these.
    pub fn add(&mut self, other: &Figures) {
        self.words += other.words;
        self.sentences += other.sentences;
        self.syllables += other.syllables;
        self.longest_sentence = self.longest_sentence.max(other.longest_sentence);
    }
}

/// The words of a text: runs of letters, digits, apostrophes and inner hyphens and ampersands
/// ("B&B" is one word).
pub fn words(text: &str) -> Vec<&str> {
    let joiner = |c: char| c == '\'' || c == '’' || c == '-' || c == '&';
    text.split(|c: char| !(c.is_alphanumeric() || joiner(c)))
        .map(|w| w.trim_matches(joiner))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect()
}

/// Figures for a text.
pub fn measure(text: &str) -> Figures {
    let mut figures = Figures::default();
    for sentence in sentences(text).into_iter().filter(|s| has_words(s)) {
        figures.add(&measure_sentence(sentence));
    }
    figures
}

/// Figures for one sentence, already split from its text.
pub fn measure_sentence(sentence: &str) -> Figures {
    let words = words(sentence);
    Figures {
        words: words.len(),
        sentences: 1,
        syllables: words.iter().map(|w| syllables(w)).sum::<usize>(),
        longest_sentence: words.len(),
    }
}

/// Counts the syllables of an English word by rule: vowel groups, less a silent final `e`, plus
/// a final consonant-`le`, with `-ed` and `-es` endings treated as silent where English usually
/// makes them so. Numbers count as one syllable per digit group. Never less than 1.
pub fn syllables(word: &str) -> usize {
    // Pages repeat the same few thousand words: count each once per thread.
    thread_local! {
        static COUNTED: std::cell::RefCell<rustc_hash::FxHashMap<String, usize>> = Default::default();
    }
    COUNTED.with(|counted| {
        let mut counted = counted.borrow_mut();
        if let Some(count) = counted.get(word) {
            return *count;
        }
        if counted.len() > 200_000 {
            counted.clear();
        }
        let count = count_syllables(word);
        counted.insert(word.to_string(), count);
        count
    })
}

fn count_syllables(word: &str) -> usize {
    let lower: String = word.to_lowercase().chars().filter(|c| c.is_ascii_alphabetic()).collect();
    if lower.is_empty() {
        return 1;
    }
    if lower.len() <= 3 {
        return 1;
    }
    let chars: Vec<char> = lower.chars().collect();
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let mut count: usize = 0;
    let mut previous_vowel = false;
    for (i, &c) in chars.iter().enumerate() {
        // A leading y is a consonant ("young", "you").
        let vowel = is_vowel(c) && !(c == 'y' && i == 0);
        if vowel && !previous_vowel {
            count += 1;
        }
        previous_vowel = vowel;
    }
    let n = chars.len();
    let ends_with = |s: &str| lower.ends_with(s);
    // Silent final e ("care", "home"), but not "-le" after a consonant ("table") or "-ee".
    if ends_with("e") && !ends_with("le") && !ends_with("ee") && !ends_with("ye") && n > 2 && !is_vowel(chars[n - 2]) {
        count = count.saturating_sub(1);
    } else if ends_with("le") && n > 2 && is_vowel(chars[n - 3]) {
        // "-ale", "-ole" ("whale", "role"): the e is silent.
        count = count.saturating_sub(1);
    }
    // "-ed" is silent except after t or d ("looked" 1, "needed" 2).
    if ends_with("ed") && n > 3 && !matches!(chars[n - 3], 't' | 'd') && !is_vowel(chars[n - 3]) {
        count = count.saturating_sub(1);
    }
    // "-es" is silent except after s, x, z, ch, sh, ce, ge ("cares" 1, "boxes" 2, "places" 2).
    if ends_with("es")
        && n > 3
        && !matches!(chars[n - 3], 's' | 'x' | 'z' | 'c' | 'g')
        && !ends_with("ches")
        && !ends_with("shes")
        && !is_vowel(chars[n - 3])
    {
        count = count.saturating_sub(1);
    }
    // Vowel pairs that are usually two syllables.
    // A silent e before a suffix ("statement", "safely", "careful"): state-ment, not sta-te-ment.
    for suffix in ["ement", "ely", "eful", "eless", "eness"] {
        if let Some(stem) = lower.strip_suffix(suffix) {
            let stem: Vec<char> = stem.chars().collect();
            let k = stem.len();
            if k >= 3 && !is_vowel(stem[k - 1]) && is_vowel(stem[k - 2]) && !is_vowel(stem[k - 3]) {
                count = count.saturating_sub(1);
            }
        }
    }
    for pair in ["ia", "io", "ua", "uo", "iu"] {
        if lower.contains(pair)
            && !lower.contains("tion")
            && !lower.contains("sion")
            && !lower.contains("cial")
            && !lower.contains("tial")
        {
            count += lower.matches(pair).count();
        }
    }
    count.max(1)
}

/// The reading text of a rendered page: what is inside `<main>`, without tags, with a line break
/// wherever a block (paragraph, heading, list item, table cell) ends.
pub fn page_text(html: &str) -> String {
    let main =
        html.split_once("<main").and_then(|(_, rest)| rest.split_once('>')).map(|(_, rest)| rest).unwrap_or(html);
    let main = main.split("</main>").next().unwrap_or(main);
    let mut out = String::with_capacity(main.len());
    let mut rest = main;
    // Line breaks inside a paragraph are only the source's wrapping, not sentence ends: only the
    // ends of block elements break lines here.
    let push_text = |out: &mut String, text: &str| {
        for piece in text.split(['\n', '\r']) {
            out.push_str(piece);
            out.push(' ');
        }
        out.pop();
    };
    while let Some(open) = rest.find('<') {
        push_text(&mut out, &rest[..open]);
        let Some(close) = rest[open..].find('>') else { break };
        let tag = rest[open + 1..open + close].trim_start_matches('/');
        let name = &tag[..tag.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(tag.len())];
        let is = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(name));
        // Skip what readers do not read as text.
        if is(&["script", "style", "svg"]) {
            let end = format!("</{}>", name.to_ascii_lowercase());
            rest = rest[open..].find(&end).map_or("", |i| &rest[open + i + end.len()..]);
            continue;
        }
        if is(&[
            "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "td", "th", "div", "section", "br", "tr",
            "caption",
        ]) {
            out.push('\n');
        } else if !is(&["strong", "em", "b", "i", "a", "span", "abbr", "time", "code", "mark", "sup", "sub", "q"]) {
            // Inline marks sit inside words and sentences ("<strong>social worker</strong>,"):
            // only other tags stand for a space.
            out.push(' ');
        }
        rest = &rest[open + close + 1..];
    }
    push_text(&mut out, rest);
    match crate::text::markdown::unescape(&out) {
        std::borrow::Cow::Borrowed(_) => out,
        std::borrow::Cow::Owned(unescaped) => unescaped,
    }
}

/// A sentence, with where it was written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlacedSentence {
    pub sentence: String,
    pub words: usize,
    /// Its Flesch–Kincaid grade on its own.
    pub grade: f64,
    pub file: String,
    /// 1-based; 0 when it could not be found in the file.
    pub line: usize,
}

impl PlacedSentence {
    /// `file:line`, or the file alone when the line is not known.
    pub fn place(&self) -> String {
        if self.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}", self.file, self.line)
        }
    }
}

/// A page's reader's text, measured.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PageReading {
    pub figures: Figures,
    /// Words of quoted text (exact statement or recommendation wording), not measured.
    pub quoted_words: usize,
    /// Its longest sentence.
    pub longest: Option<PlacedSentence>,
    /// Its hardest sentence by grade, to show where a page's grade comes from.
    pub hardest: Option<PlacedSentence>,
    /// Every sentence longer than the edition's limit, in page order.
    pub too_long: Vec<PlacedSentence>,
}

/// Fewer words than this are too few for a grade or a reading ease to mean much (the formulas
/// were made on samples of 100 words): such a page is held only to the sentence limit.
pub const GRADED_WORDS: usize = 100;

/// A sentence in quotation marks, its first 12 words when it is long.
pub fn quote(sentence: &str) -> String {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    if words.len() > 14 {
        format!("“{} …”", words[..12].join(" "))
    } else {
        format!("“{}”", words.join(" "))
    }
}

/// One edition's figures and the limits it sets.
#[derive(Debug, Clone, Serialize)]
pub struct EditionFigures {
    pub edition: String,
    pub name: String,
    pub total: Figures,
    pub limits: crate::text::readability::ReadabilityLimits,
    /// (page path, the reader's text measured), in output order.
    pub pages: Vec<(String, PageReading)>,
}

impl EditionFigures {
    /// Pages that exceed a limit, with what they exceed and where in the content it comes from.
    pub fn exceeding(&self) -> Vec<(&str, String)> {
        let mut out = Vec::new();
        for (path, reading) in &self.pages {
            let figures = &reading.figures;
            let mut problems = Vec::new();
            if let Some(limit) = self.limits.sentence_words {
                for sentence in &reading.too_long {
                    problems.push(format!(
                        "a sentence of {} words (limit {limit}) at {}: {}",
                        sentence.words,
                        sentence.place(),
                        quote(&sentence.sentence)
                    ));
                }
            }
            let hardest = || {
                reading
                    .hardest
                    .as_ref()
                    .map(|s| format!("; its hardest sentence, at {}: {}", s.place(), quote(&s.sentence)))
                    .unwrap_or_default()
            };
            // Compared as shown (grade to one decimal, ease to a whole number), so a page is
            // never flagged with a figure that reads as within its limit: "80 (at least 80)".
            // A short text's grade swings with one long word: it counts in its edition's figures
            // but is not held to the limits alone.
            let graded = figures.words >= GRADED_WORDS;
            if let Some(limit) = self.limits.grade.filter(|_| graded) {
                if (figures.grade() * 10.0).round() / 10.0 > limit {
                    problems.push(format!("grade {:.1} (limit {limit}){}", figures.grade(), hardest()));
                }
            }
            if let Some(limit) = self.limits.reading_ease.filter(|_| graded) {
                if figures.reading_ease().round() < limit {
                    problems.push(format!(
                        "reading ease {:.0} (at least {limit}){}",
                        figures.reading_ease(),
                        hardest()
                    ));
                }
            }
            if !problems.is_empty() {
                out.push((path.as_str(), problems.join("; ")));
            }
        }
        out
    }

    /// One line for the build summary.
    pub fn summary(&self) -> String {
        let grade = match self.limits.grade {
            Some(limit) => format!("grade {:.1} (limit {limit})", self.total.grade()),
            None => format!("grade {:.1}", self.total.grade()),
        };
        let exceeding = self.exceeding();
        let mut line = format!(
            "{}: {} words, {:.1} words a sentence, longest {}, reading ease {:.0}, {grade}; {} of {} pages over a limit",
            self.edition,
            self.total.words,
            self.total.average_sentence(),
            self.total.longest_sentence,
            self.total.reading_ease(),
            exceeding.len(),
            self.pages.len()
        );
        // The first few, with where to look; the report has them all.
        const SHOWN: usize = 3;
        for (path, problems) in exceeding.iter().take(SHOWN) {
            line.push_str(&format!("\n    {path}: {problems}"));
        }
        if exceeding.len() > SHOWN {
            line.push_str(&format!("\n    and {} more pages: see the readability report", exceeding.len() - SHOWN));
        }
        line
    }
}

/// Readability limits of an edition (research notes §3.3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReadabilityLimits {
    /// Most words in any one sentence.
    #[serde(default)]
    pub sentence_words: Option<usize>,
    /// Highest Flesch–Kincaid grade for a page.
    #[serde(default)]
    pub grade: Option<f64>,
    /// Lowest Flesch reading ease for a page.
    #[serde(default)]
    pub reading_ease: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Syllable counts from a pronouncing dictionary for words guidance uses. The counter is pinned
    /// to these; change it only with the fixtures.
    const FIXTURES: &[(&str, usize)] = &[
        ("the", 1),
        ("care", 1),
        ("home", 1),
        ("looked", 1),
        ("young", 1),
        ("you", 1),
        ("cares", 1),
        ("children", 2),
        ("people", 2),
        ("table", 2),
        ("needed", 2),
        ("carer", 2),
        ("places", 2),
        ("boxes", 2),
        ("statement", 2),
        ("placement", 2),
        ("social", 2),
        ("worker", 2),
        ("doctor", 2),
        ("family", 3),
        ("history", 3),
        ("important", 3),
        ("decision", 3),
        ("another", 3),
        ("education", 4),
        ("information", 4),
        ("independence", 4),
        ("relationships", 4),
        ("identity", 4),
        ("authority", 4),
        ("commissioners", 4),
        ("community", 4),
        ("movement", 2),
        ("safely", 2),
        ("careful", 2),
        ("element", 3),
        ("implement", 3),
    ];

    #[test]
    fn syllable_counter_matches_the_fixtures() {
        let wrong: Vec<String> = FIXTURES
            .iter()
            .filter(|(word, expected)| syllables(word) != *expected)
            .map(|(word, expected)| format!("{word}: expected {expected}, got {}", syllables(word)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn sentences_and_words() {
        assert_eq!(
            words("It's the child's plan, 2 times - done."),
            vec!["It's", "the", "child's", "plan", "2", "times", "done"]
        );
        assert_eq!(words("A B&B, you & me."), vec!["A", "B&B", "you", "me"]);
    }

    #[test]
    fn page_text_reads_main_only_with_block_breaks() {
        let html = "<html><nav>Menu</nav><main id=x><h1>Title</h1><p>One &amp; <strong>two</strong>,\nthree.</p><ul><li>Item</li></ul><script>x()</script></main><footer>F</footer>";
        let text = page_text(html);
        assert_eq!(sentences(&text), vec!["Title", "One & two, three.", "Item"]);
    }

    #[test]
    fn a_figure_that_reads_as_within_its_limit_is_not_flagged() {
        // Reading ease 79.94, shown as 80, against "at least 80"; grade 4.59, shown as 4.6.
        let figures = Figures { words: 100, sentences: 10, syllables: 138, longest_sentence: 10 };
        assert_eq!(format!("{:.0} {:.1}", figures.reading_ease(), figures.grade()), "80 4.6");
        let edition = |ease: f64, grade: f64| EditionFigures {
            edition: "e".into(),
            name: "E".into(),
            total: figures,
            limits: ReadabilityLimits { sentence_words: None, grade: Some(grade), reading_ease: Some(ease) },
            pages: vec![("e/p.html".into(), PageReading { figures, ..PageReading::default() })],
        };
        assert!(edition(80.0, 4.6).exceeding().is_empty());
        assert_eq!(edition(81.0, 4.5).exceeding()[0].1, "grade 4.6 (limit 4.5); reading ease 80 (at least 81)");
    }

    #[test]
    fn a_short_page_is_held_only_to_the_sentence_limit_and_says_where_its_sentence_is() {
        let sentence = PlacedSentence {
            sentence: "One two three four five six.".into(),
            words: 6,
            grade: 9.0,
            file: "content/glossary.yaml".into(),
            line: 12,
        };
        let figures = Figures { words: 40, sentences: 2, syllables: 90, longest_sentence: 30 };
        let edition = EditionFigures {
            edition: "e".into(),
            name: "E".into(),
            total: figures,
            limits: ReadabilityLimits { sentence_words: Some(5), grade: Some(4.0), reading_ease: Some(80.0) },
            pages: vec![(
                "e/glossary.html".into(),
                PageReading { figures, too_long: vec![sentence], ..PageReading::default() },
            )],
        };
        // A grade far over 4 on 40 words is not flagged; the long sentence is, with its line.
        assert!(figures.grade() > 4.0);
        assert_eq!(
            edition.exceeding()[0].1,
            "a sentence of 6 words (limit 5) at content/glossary.yaml:12: “One two three four five six.”"
        );
    }

    #[test]
    fn flesch_figures_follow_the_formulas() {
        let figures = measure("The cat sat on the mat.");
        assert_eq!(figures.words, 6);
        assert_eq!(figures.sentences, 1);
        assert_eq!(figures.syllables, 6);
        assert!((figures.reading_ease() - (206.835 - 1.015 * 6.0 - 84.6)).abs() < 1e-9);
        assert!((figures.grade() - (0.39 * 6.0 + 11.8 - 15.59)).abs() < 1e-9);
        assert_eq!(measure("").reading_ease(), 0.0);
    }
}
