//! `guidepress build` and `check`: run the pipeline, then write the output (or not), and sum up.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceMap};
use crate::pipeline::{render_site, BuildOptions, Destination, Site, Timings};
use crate::write::{self, WriteError};

/// How a build ended.
#[derive(Debug)]
pub struct BuildReport {
    pub diagnostics: Diagnostics,
    pub sources: SourceMap,
    /// Set when the output was written.
    pub written: Option<Summary>,
    /// Set when the output folder was refused or could not be written.
    pub write_error: Option<WriteError>,
    /// Notes for the user, such as "building the built-in sample".
    pub notes: Vec<String>,
    /// Whether warnings were counted as errors.
    pub strict: bool,
}

/// What was written.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Pages per edition, in site order.
    pub pages_per_edition: Vec<(String, usize)>,
    /// Pages outside any edition (the landing page and reports).
    pub other_pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    pub output: PathBuf,
    /// One readability line per edition.
    pub readability: Vec<String>,
    /// How long each stage took.
    pub timings: Timings,
}

impl Summary {
    /// The one-line summary printed at the end of a build.
    pub fn line(&self) -> String {
        let editions: Vec<String> = self.pages_per_edition.iter().map(|(e, n)| format!("{e} {n}")).collect();
        format!(
            "built {} editions ({}) and {} other page{} in {:.2}s into {}",
            self.pages_per_edition.len(),
            if editions.is_empty() { "none".to_string() } else { format!("pages: {}", editions.join(", ")) },
            self.other_pages,
            if self.other_pages == 1 { "" } else { "s" },
            self.elapsed.as_secs_f64(),
            self.output.display()
        )
    }
}

/// Whether this run fails: errors, or warnings under strict mode.
pub fn fails(diagnostics: &Diagnostics, strict: bool) -> bool {
    let (errors, warnings) = diagnostics.counts();
    errors > 0 || (strict && warnings > 0)
}

/// Builds the site into `options.output`.
pub fn build(options: &BuildOptions) -> BuildReport {
    let started = Instant::now();
    let mut diagnostics = Diagnostics::new();
    let mut sources = SourceMap::default();
    let mut notes = Vec::new();
    let report = |diagnostics, sources, notes, written, write_error, strict| BuildReport {
        diagnostics,
        sources,
        written,
        write_error,
        notes,
        strict,
    };

    // Refuse a dangerous output folder before doing any work, judged on what the path really is.
    let source_folders = [
        options.content.clone().unwrap_or_else(|| PathBuf::from("content")),
        options.theme.clone().unwrap_or_else(|| PathBuf::from("themes/default")),
    ];
    let source_refs: Vec<&Path> = source_folders.iter().filter(|p| p.exists()).map(PathBuf::as_path).collect();
    let target = match write::OutputTarget::resolve(&options.output, &source_refs, options.force) {
        Ok(target) => target,
        Err(error) => return report(diagnostics, sources, notes, None, Some(error), options.strict),
    };
    let staging = match write::Staging::create(&target) {
        Ok(staging) => staging,
        Err(error) => return report(diagnostics, sources, notes, None, Some(error), options.strict),
    };
    let write_error = std::sync::Mutex::new(None);
    let destination = Destination::Staging { staging: &staging, error: &write_error };
    let site = render_site(options, None, &mut diagnostics, &mut sources, &mut notes, &destination);
    let write_error = match write_error.into_inner() {
        Ok(error) => error,
        Err(poisoned) => poisoned.into_inner(),
    };
    let Some(site) = site else {
        if !diagnostics.has_errors() {
            diagnostics.push(
                Diagnostic::error(Code::Internal, "the build stopped without saying why")
                    .help("please report this as a bug"),
            );
        }
        return report(diagnostics, sources, notes, None, None, options.strict);
    };
    let strict = options.strict || site.strict;
    if fails(&diagnostics, strict) {
        return report(diagnostics, sources, notes, None, None, strict);
    }
    let readability = site.readability.iter().map(crate::text::readability::EditionFigures::summary).collect();
    if let Some(error) = write_error {
        return report(diagnostics, sources, notes, None, Some(error), strict);
    }
    let mut timings = site.timings;
    timings.lap("summaries");
    let count = site.written;
    match staging.commit() {
        Ok(()) => {
            timings.lap("write: swap in the new output");
            let summary = Summary {
                pages_per_edition: site.pages_per_edition,
                other_pages: site.other_pages,
                files: count,
                elapsed: started.elapsed(),
                output: options.output.clone(),
                readability,
                timings,
            };
            report(diagnostics, sources, notes, Some(summary), None, strict)
        }
        Err(error) => report(diagnostics, sources, notes, None, Some(error), strict),
    }
}

/// Checks everything a build checks, without writing.
pub fn check(options: &BuildOptions) -> (Diagnostics, SourceMap, Vec<String>, Option<Site>) {
    let mut diagnostics = Diagnostics::new();
    let mut sources = SourceMap::default();
    let mut notes = Vec::new();
    let site = render_site(options, None, &mut diagnostics, &mut sources, &mut notes, &Destination::Nowhere);
    (diagnostics, sources, notes, site)
}
