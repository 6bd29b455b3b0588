//! The content stages of the build (load and model), run in this process. A content mistake stops
//! the build after them, so they report exactly what `guidepress build` prints for it, in about a
//! tenth of the time: the binary also starts a process and compiles the theme's templates before
//! it stops. For tests that only look at those diagnostics; the last test here checks that the two
//! agree.

use std::path::Path;
use std::sync::OnceLock;

use codespan_reporting::term::termcolor::NoColor;
use guidepress::diagnostics::Diagnostics;
use guidepress::editions::theme;
use guidepress::model::{self, ThemeFacts};
use guidepress::source::Root;

use crate::common::*;

/// What the content stages found in a content folder.
pub struct Report {
    pub errors: usize,
    pub warnings: usize,
    /// The diagnostics as `build` prints them (no advice notes), files named `content/...`.
    pub text: String,
}

/// What the model needs of the default theme, read once (as `build` makes it from the theme).
fn default_theme_facts() -> &'static ThemeFacts {
    static FACTS: OnceLock<ThemeFacts> = OnceLock::new();
    FACTS.get_or_init(|| {
        let mut diagnostics = Diagnostics::new();
        let theme = theme::load(&Root::Dir(default_theme()), "theme", &mut diagnostics);
        assert!(diagnostics.is_empty(), "the default theme has problems: {diagnostics:?}");
        guidepress::pipeline::theme_facts(&theme)
    })
}

/// Loads and resolves `content` with the default theme's facts.
pub fn check_content(content: &Path) -> Report {
    let mut diagnostics = Diagnostics::new();
    let loaded = guidepress::load::load(&Root::Dir(content.to_path_buf()), "content", &mut diagnostics);
    let sources = loaded.sources.clone();
    model::resolve(loaded, default_theme_facts(), &mut diagnostics);
    let mut printed = NoColor::new(Vec::new());
    diagnostics.emit_filtered(&sources, &mut printed, false).expect("diagnostics print to memory");
    let (errors, warnings) = diagnostics.counts();
    Report { errors, warnings, text: String::from_utf8(printed.into_inner()).expect("diagnostics are UTF-8") }
}

#[test]
fn the_content_stages_report_what_the_binary_prints() {
    // Errors of every stage a content mistake can reach (decoding, YAML, fields, ids, citations,
    // cross-references, pictures) and warnings, across every kind of file.
    let fixture = Fixture::new();
    fixture.write("site.yaml", &SITE.replace("date: 2024-01-31", "date: 2012-02-30"));
    fixture.write("register.yaml", &REGISTER.replace("    year: 2009", "\tyear: 2009"));
    fixture.write("glossary.yaml", &GLOSSARY.replace("term: social worker", "term: [social worker"));
    fixture.write(
        "statements/qs-1.md",
        &statement("qs-1", 1, &["children-act-1989 s99", "old-guidance-2009"], &["qs-9"])
            .replace("picture: help", "picture: hlep"),
    );
    fixture.write_bytes("statements/qs-2.md", b"\xEF\xBB\xBF");
    fixture.write("recommendations/rec-1.md", &RECOMMENDATION.replace("topic:", "topik:"));
    fixture.write("statement/qs-3.md", "not read");

    let report = check_content(&fixture.content());
    let binary = guidepress(fixture.dir.path())
        .args(["build", "--content", "content", "--output", "output", "--theme"])
        .arg(default_theme())
        .output()
        .expect("guidepress runs");
    let err = stderr(&binary);
    assert_eq!(binary.status.code(), Some(1), "{err}");
    let (printed, last) = err.trim_end().rsplit_once('\n').expect("diagnostics, then the summary line");
    assert_eq!(report.text.trim_end(), printed.trim_end(), "the content stages in process and the binary disagree");
    let summary = format!(
        "guidepress: found {} errors and {} warning{}; nothing was written and output was left as it was",
        report.errors,
        report.warnings,
        if report.warnings == 1 { "" } else { "s" }
    );
    assert_eq!(last, summary);
    // Seven errors: the date, the register's tab, the glossary's list, `topik`, the picture, `qs-9`
    // and the empty qs-2. qs-1's citations add none: they are not checked against a register that
    // did not parse. The warning is the `statement/` folder.
    assert_eq!((report.errors, report.warnings), (7, 1), "{err}");
}
