//! Every diagnostic code: the name an editor can search for, and the one list of them all.

use std::fmt;

/// A diagnostic's code, shown as `error[bad-url]`. Codes are stable: tests, the JSON output
/// and editors' searches rely on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// `bad-citation`: `…` is not a citation: …
    BadCitation,
    /// `bad-date`.
    BadDate,
    /// `bad-id`: `…` is not a valid id
    BadId,
    /// `bad-language`: `…` is not a language tag
    BadLanguage,
    /// `bad-number`: a … number starts at 1
    BadNumber,
    /// `bad-picture-name`: the picture file name `…` is not a valid picture name
    BadPictureName,
    /// `bad-pinpoint-key`: the pinpoint key `…` cannot contain spaces
    BadPinpointKey,
    /// `bad-url`: the address of `…` is not a web address: `…`
    BadUrl,
    /// `broken-link`: the page … links to `…`, but …
    BrokenLink,
    /// `cannot-append`: … has problems already, so the new entry was not added and the file was left as it was
    CannotAppend,
    /// `case-clash`: the file name differs only in case from …
    CaseClash,
    /// `control-character`: this file contains the invisible control character U+{:04X}
    ControlCharacter,
    /// `duplicate-abbreviation`: the abbreviation `…` is given for both `…` and `…`
    DuplicateAbbreviation,
    /// `duplicate-edition`: `…` is listed twice
    DuplicateEdition,
    /// `duplicate-id`.
    DuplicateId,
    /// `duplicate-number`: … number … is also used by …:…
    DuplicateNumber,
    /// `duplicate-pinpoint`: `…` lists the pinpoint `…` twice
    DuplicatePinpoint,
    /// `easy-read/abbreviation`: the sentence … uses the abbreviation …, which the glossary does not explain
    EasyReadAbbreviation,
    /// `easy-read/alt`: this picture has no alt text
    EasyReadAlt,
    /// `easy-read/block-length`: this block has … sentences; easy read allows … in a block
    EasyReadBlockLength,
    /// `easy-read/emphasis`: the sentence … uses italics or underlining
    EasyReadEmphasis,
    /// `easy-read/hard-word`: the sentence … uses … that may be hard to understand
    EasyReadHardWord,
    /// `easy-read/law-name`: the easy-read text of `…` does not say its name
    EasyReadLawName,
    /// `easy-read/numbers`: the sentence … writes numbers as words (…)
    EasyReadNumbers,
    /// `easy-read/one-idea`: the sentence … …: easy read has one idea in each sentence
    EasyReadOneIdea,
    /// `easy-read/picture`: this easy-read block has no picture
    EasyReadPicture,
    /// `easy-read/title`: this statement has no easy-read title
    EasyReadTitle,
    /// `easy-read/sentence-length`: the sentence … has … words; easy read allows …
    EasyReadSentenceLength,
    /// `edition-id`: the edition file … has the id `…`
    EditionId,
    /// `edition-link`: `…` names `…`, which has no such pages
    EditionLink,
    /// `empty-body`: this recommendation does not say what action to take
    EmptyBody,
    /// `empty-field`: `who` is empty: say who should take action
    EmptyField,
    /// `empty-file`: this file is empty
    EmptyFile,
    /// `empty-front-matter`: the front matter is empty
    EmptyFrontMatter,
    /// `empty-title`: the title {title:?} has no letters or digits, so it cannot name the new item
    EmptyTitle,
    /// `exists`: … already exists
    Exists,
    /// `external-link`: the address … does not work: …
    ExternalLink,
    /// `file-link`: the link `…` is a file address: the text is shown on several pages …
    FileLink,
    /// `file-too-large`: this file is … MB; guidepress reads files of up to … MB
    FileTooLarge,
    /// `half-ratio`: this measure has only one of numerator and denominator
    HalfRatio,
    /// `headline-too-long`: the headline has … words; the … allows …
    HeadlineTooLong,
    /// `insecure-url`: the address of `…` does not start with https://
    InsecureUrl,
    /// `internal`: the build stopped without saying why
    Internal,
    /// `invalid-utf8`: this file is not valid UTF-8 text: the byte at line …, column … is not a character
    InvalidUtf8,
    /// `missing-folder`: the … folder … cannot be opened: …
    MissingFolder,
    /// `missing-picture-file`: pictures.yaml lists `…` but there is no pictures/….svg
    MissingPictureFile,
    /// `missing-ratio`: a process measure needs a numerator and a denominator
    MissingRatio,
    /// `missing-register`: there is no register.yaml: citations cannot be checked
    MissingRegister,
    /// `missing-replacement`: `…` is superseded but does not say by what
    MissingReplacement,
    /// `missing-site`: there is no site.yaml in …
    MissingSite,
    /// `missing-strings`: the … edition has no words for …
    MissingStrings,
    /// `missing-template`: the theme has no template … (needed for …)
    MissingTemplate,
    /// `missing-text`: statement … has no …, so the editions that show it have a gap
    MissingText,
    /// `more-problems`.
    MoreProblems,
    /// `no-citations`: this statement cites no law or statutory guidance
    NoCitations,
    /// `no-editions`: `editions` is empty, so there is nothing to build
    NoEditions,
    /// `no-front-matter`.
    NoFrontMatter,
    /// `no-rationale`: this statement has no rationale
    NoRationale,
    /// `no-register`: the register has no entry with a pinpoint to cite yet
    NoRegister,
    /// `no-statements`: there are no statements, so every edition would be empty
    NoStatements,
    /// `no-templates`: … has no templates/ folder
    NoTemplates,
    /// `not-content`: `…/` is not a content folder, so … not read
    NotContent,
    /// `picture-licence`: the picture `…` does not record its source and licence
    PictureLicence,
    /// `placeholder`: this still has text to fill in
    Placeholder,
    /// `prospective`: … of … is not yet in force
    Prospective,
    /// `ratio-wording`: this numerator will not read well in the ratio sentence
    RatioWording,
    /// `removed-html`: … is not allowed in guidance text, so it was removed
    RemovedHtml,
    /// `replacement-loop`.
    ReplacementLoop,
    /// `reserved-id`: `…` cannot be used as an id: it is a reserved name
    ReservedId,
    /// `self-reference`: a statement cannot be related to itself
    SelfReference,
    /// `similar-group`: the group `…` is spelt nearly like `…`, which … statements use
    SimilarGroup,
    /// `stale-text`: the `…` text of … was written for an earlier wording of the statement
    StaleText,
    /// `superseded`: … has been superseded
    Superseded,
    /// `symlink-outside`: this symbolic link points outside the … folder, to …; it was not followed
    SymlinkOutside,
    /// `template`: the template syntax cannot be set up: …
    Template,
    /// `too-deep`: this text nests quotes, lists or emphasis more than … levels deep
    TooDeep,
    /// `unclosed-front-matter`: the front matter never closes
    UnclosedFrontMatter,
    /// `unknown-citation`: `…` is not in the statutory register
    UnknownCitation,
    /// `unknown-edition`: `…` is not an edition of this theme
    UnknownEdition,
    /// `unknown-footnote`: the footnote `[^…]` has no note
    UnknownFootnote,
    /// `unknown-link`: the link `…` is not the id of a statement, recommendation or law in the register
    UnknownLink,
    /// `unknown-picture`: there is no picture called `…`
    UnknownPicture,
    /// `unknown-pinpoint`: `…` has no pinpoint `…` in the register
    UnknownPinpoint,
    /// `unknown-recommendation`: there is no recommendation with the id `…`
    UnknownRecommendation,
    /// `unknown-replacement`: `…` is superseded by `…`, which is not in the register
    UnknownReplacement,
    /// `unknown-statement`: there is no statement with the id `…`
    UnknownStatement,
    /// `unknown-text`: `…` is not a derived text
    UnknownText,
    /// `unlisted-picture`: pictures/….svg is not listed in pictures.yaml, so it is not used
    UnlistedPicture,
    /// `unreadable`: … cannot be read, so the new entry was not added: …
    Unreadable,
    /// `unsafe-html`: … could run code in a reader's browser, so it was removed
    UnsafeHtml,
    /// `unsafe-link`: the link target `…` could run code in a reader's browser
    UnsafeLink,
    /// `unsafe-picture`: the picture `…` is refused: …
    UnsafePicture,
    /// `write`: could not write …: …
    Write,
    /// `yaml`.
    Yaml,
}

impl Code {
    /// Every code, in alphabetical order of its name.
    pub const ALL: [Code; 94] = [
        Code::BadCitation,
        Code::BadDate,
        Code::BadId,
        Code::BadLanguage,
        Code::BadNumber,
        Code::BadPictureName,
        Code::BadPinpointKey,
        Code::BadUrl,
        Code::BrokenLink,
        Code::CannotAppend,
        Code::CaseClash,
        Code::ControlCharacter,
        Code::DuplicateAbbreviation,
        Code::DuplicateEdition,
        Code::DuplicateId,
        Code::DuplicateNumber,
        Code::DuplicatePinpoint,
        Code::EasyReadAbbreviation,
        Code::EasyReadAlt,
        Code::EasyReadBlockLength,
        Code::EasyReadEmphasis,
        Code::EasyReadHardWord,
        Code::EasyReadLawName,
        Code::EasyReadNumbers,
        Code::EasyReadOneIdea,
        Code::EasyReadPicture,
        Code::EasyReadSentenceLength,
        Code::EasyReadTitle,
        Code::EditionId,
        Code::EditionLink,
        Code::EmptyBody,
        Code::EmptyField,
        Code::EmptyFile,
        Code::EmptyFrontMatter,
        Code::EmptyTitle,
        Code::Exists,
        Code::ExternalLink,
        Code::FileLink,
        Code::FileTooLarge,
        Code::HalfRatio,
        Code::HeadlineTooLong,
        Code::InsecureUrl,
        Code::Internal,
        Code::InvalidUtf8,
        Code::MissingFolder,
        Code::MissingPictureFile,
        Code::MissingRatio,
        Code::MissingRegister,
        Code::MissingReplacement,
        Code::MissingSite,
        Code::MissingStrings,
        Code::MissingTemplate,
        Code::MissingText,
        Code::MoreProblems,
        Code::NoCitations,
        Code::NoEditions,
        Code::NoFrontMatter,
        Code::NoRationale,
        Code::NoRegister,
        Code::NoStatements,
        Code::NoTemplates,
        Code::NotContent,
        Code::PictureLicence,
        Code::Placeholder,
        Code::Prospective,
        Code::RatioWording,
        Code::RemovedHtml,
        Code::ReplacementLoop,
        Code::ReservedId,
        Code::SelfReference,
        Code::SimilarGroup,
        Code::StaleText,
        Code::Superseded,
        Code::SymlinkOutside,
        Code::Template,
        Code::TooDeep,
        Code::UnclosedFrontMatter,
        Code::UnknownCitation,
        Code::UnknownEdition,
        Code::UnknownFootnote,
        Code::UnknownLink,
        Code::UnknownPicture,
        Code::UnknownPinpoint,
        Code::UnknownRecommendation,
        Code::UnknownReplacement,
        Code::UnknownStatement,
        Code::UnknownText,
        Code::UnlistedPicture,
        Code::Unreadable,
        Code::UnsafeHtml,
        Code::UnsafeLink,
        Code::UnsafePicture,
        Code::Write,
        Code::Yaml,
    ];

    /// The code as shown and searched for.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::BadCitation => "bad-citation",
            Code::BadDate => "bad-date",
            Code::BadId => "bad-id",
            Code::BadLanguage => "bad-language",
            Code::BadNumber => "bad-number",
            Code::BadPictureName => "bad-picture-name",
            Code::BadPinpointKey => "bad-pinpoint-key",
            Code::BadUrl => "bad-url",
            Code::BrokenLink => "broken-link",
            Code::CannotAppend => "cannot-append",
            Code::CaseClash => "case-clash",
            Code::ControlCharacter => "control-character",
            Code::DuplicateAbbreviation => "duplicate-abbreviation",
            Code::DuplicateEdition => "duplicate-edition",
            Code::DuplicateId => "duplicate-id",
            Code::DuplicateNumber => "duplicate-number",
            Code::DuplicatePinpoint => "duplicate-pinpoint",
            Code::EasyReadAbbreviation => "easy-read/abbreviation",
            Code::EasyReadAlt => "easy-read/alt",
            Code::EasyReadBlockLength => "easy-read/block-length",
            Code::EasyReadEmphasis => "easy-read/emphasis",
            Code::EasyReadHardWord => "easy-read/hard-word",
            Code::EasyReadLawName => "easy-read/law-name",
            Code::EasyReadNumbers => "easy-read/numbers",
            Code::EasyReadOneIdea => "easy-read/one-idea",
            Code::EasyReadPicture => "easy-read/picture",
            Code::EasyReadSentenceLength => "easy-read/sentence-length",
            Code::EasyReadTitle => "easy-read/title",
            Code::EditionId => "edition-id",
            Code::EditionLink => "edition-link",
            Code::EmptyBody => "empty-body",
            Code::EmptyField => "empty-field",
            Code::EmptyFile => "empty-file",
            Code::EmptyFrontMatter => "empty-front-matter",
            Code::EmptyTitle => "empty-title",
            Code::Exists => "exists",
            Code::ExternalLink => "external-link",
            Code::FileLink => "file-link",
            Code::FileTooLarge => "file-too-large",
            Code::HalfRatio => "half-ratio",
            Code::HeadlineTooLong => "headline-too-long",
            Code::InsecureUrl => "insecure-url",
            Code::Internal => "internal",
            Code::InvalidUtf8 => "invalid-utf8",
            Code::MissingFolder => "missing-folder",
            Code::MissingPictureFile => "missing-picture-file",
            Code::MissingRatio => "missing-ratio",
            Code::MissingRegister => "missing-register",
            Code::MissingReplacement => "missing-replacement",
            Code::MissingSite => "missing-site",
            Code::MissingStrings => "missing-strings",
            Code::MissingTemplate => "missing-template",
            Code::MissingText => "missing-text",
            Code::MoreProblems => "more-problems",
            Code::NoCitations => "no-citations",
            Code::NoEditions => "no-editions",
            Code::NoFrontMatter => "no-front-matter",
            Code::NoRationale => "no-rationale",
            Code::NoRegister => "no-register",
            Code::NoStatements => "no-statements",
            Code::NoTemplates => "no-templates",
            Code::NotContent => "not-content",
            Code::PictureLicence => "picture-licence",
            Code::Placeholder => "placeholder",
            Code::Prospective => "prospective",
            Code::RatioWording => "ratio-wording",
            Code::RemovedHtml => "removed-html",
            Code::ReplacementLoop => "replacement-loop",
            Code::ReservedId => "reserved-id",
            Code::SelfReference => "self-reference",
            Code::SimilarGroup => "similar-group",
            Code::StaleText => "stale-text",
            Code::Superseded => "superseded",
            Code::SymlinkOutside => "symlink-outside",
            Code::Template => "template",
            Code::TooDeep => "too-deep",
            Code::UnclosedFrontMatter => "unclosed-front-matter",
            Code::UnknownCitation => "unknown-citation",
            Code::UnknownEdition => "unknown-edition",
            Code::UnknownFootnote => "unknown-footnote",
            Code::UnknownLink => "unknown-link",
            Code::UnknownPicture => "unknown-picture",
            Code::UnknownPinpoint => "unknown-pinpoint",
            Code::UnknownRecommendation => "unknown-recommendation",
            Code::UnknownReplacement => "unknown-replacement",
            Code::UnknownStatement => "unknown-statement",
            Code::UnknownText => "unknown-text",
            Code::UnlistedPicture => "unlisted-picture",
            Code::Unreadable => "unreadable",
            Code::UnsafeHtml => "unsafe-html",
            Code::UnsafeLink => "unsafe-link",
            Code::UnsafePicture => "unsafe-picture",
            Code::Write => "write",
            Code::Yaml => "yaml",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_sorted_and_kebab_case() {
        let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted);
        assert!(names
            .iter()
            .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '/')));
    }
}
