//! What `serve` keeps between builds, so an edited statement's own pages show at once.

use crate::diagnostics::Diagnostics;
use crate::editions::{self, EditionSet, Page};
use crate::load;
use crate::model::{self, ThemeFacts};
use crate::outputs::html::{links, render};
use crate::write::{self};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::Duration;

/// What `serve` keeps of a build so that an edited statement's own pages can be re-rendered
/// without reading and modelling the whole library again.
pub struct Kept {
    pub(super) corpus: model::Corpus,
    pub(super) editions: Vec<editions::EditionFile>,
    pub(super) templates: render::Templates,
    pub(super) facts: ThemeFacts,
    pub(super) reviews: BTreeMap<String, crate::load::StatementReview>,
    pub(super) theme_label: String,
    /// The content folder, and how its files are named in messages.
    pub(super) content: Option<(PathBuf, String)>,
    /// Every path the build writes, for checking links.
    pub(super) known: links::PathSet,
    /// A draft build: re-rendered pages keep the draft banner.
    pub(super) draft: bool,
}

impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kept")
            .field("statements", &self.corpus.statements.len())
            .field("content", &self.content)
            .finish_non_exhaustive()
    }
}

/// Why an edit cannot be shown by re-rendering the edited statements' own pages first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotQuick {
    /// A changed file is not an existing statement file of the content folder.
    NotAStatement,
    /// A statement's id or number changed, or it is new.
    Reordered,
    /// The edited file has errors (the full rebuild reports them).
    Problems,
}

/// Re-reads and re-resolves edited statement files against the kept model, and renders (and
/// minifies) only their own pages, one per edition. The rest of the site, which may list these
/// statements too, is left to the full rebuild that follows. Returns each page's path and bytes.
pub fn rerender_statements(
    kept: &mut Kept,
    changed: &BTreeSet<String>,
    base_url: Option<&str>,
    diagnostics: &mut Diagnostics,
) -> Result<Vec<(String, Vec<u8>)>, NotQuick> {
    let Some((folder, label)) = kept.content.clone() else {
        return Err(NotQuick::NotAStatement);
    };
    let prefix = format!("{}/", label.trim_end_matches('/'));
    let mut positions = Vec::new();
    for name in changed {
        let rel = name.strip_prefix(&prefix).ok_or(NotQuick::NotAStatement)?;
        let path = folder.join(rel);
        // Only plain files are read here; links are left to the full rebuild's checks.
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            return Err(NotQuick::NotAStatement);
        }
        let Ok(Ok(bytes)) = crate::source::read_file(&path) else {
            return Err(NotQuick::Problems);
        };
        let raw = crate::source::RawFile { rel: rel.to_string(), bytes: bytes.into() };
        let parsed = match load::parse_statement(&raw, &label) {
            None => return Err(NotQuick::NotAStatement),
            Some(Err(_)) => return Err(NotQuick::Problems),
            Some(Ok(parsed)) => parsed,
        };
        let review = kept.reviews.get(&parsed.value.id);
        let position = model::resolve_edited_statement(&mut kept.corpus, &parsed, &kept.facts, review, diagnostics)
            .map_err(|_| NotQuick::Reordered)?;
        positions.push(position);
    }
    if diagnostics.has_errors() {
        return Err(NotQuick::Problems);
    }
    let edition_set = EditionSet::new(&kept.corpus, &kept.editions, base_url).draft(kept.draft);
    let pages: Vec<Page> = positions.iter().flat_map(|&p| edition_set.statement_pages(p)).collect();
    let to_render: Vec<&Page> = pages.iter().collect();
    let known = &kept.known;
    let finish = |page: &Page, html: String, _: Duration| {
        let found = links::check_page(&page.path, &html, known);
        (page.path.clone(), write::minify_page(html.as_bytes()), found.problems)
    };
    let rendered = render::render(&kept.templates, &edition_set, &to_render, &kept.theme_label, &finish, diagnostics);
    let mut files = Vec::with_capacity(rendered.len());
    for (path, bytes, problems) in rendered {
        diagnostics.extend_from(problems);
        files.push((path, bytes));
    }
    if diagnostics.has_errors() {
        return Err(NotQuick::Problems);
    }
    Ok(files)
}
