//! The theme: templates, edition files, pictures and static assets, read into memory once.
//!
//! A theme folder holds `templates/` (MiniJinja), `editions/*.yaml` (what each edition shows),
//! `pictures/` (SVG pictograms listed in `pictures.yaml`) and `assets/` (copied as they are).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceMap};
use crate::editions::strings::StringsFile;
use crate::editions::EditionFile;
use crate::source::yaml;
use crate::source::Document;
use crate::source::{decode, read_tree, Root};

/// A template's name (its path under `templates/`) and text.
#[derive(Debug, Clone)]
pub struct Template {
    pub name: String,
    pub text: String,
}

/// A picture the theme ships.
#[derive(Debug, Clone)]
pub struct ThemePicture {
    pub alt: String,
    pub bytes: Vec<u8>,
}

/// A file copied to the output as it is.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path under `assets/`.
    pub rel: String,
    pub bytes: Vec<u8>,
}

/// Everything a theme provides.
#[derive(Debug, Default)]
pub struct Theme {
    pub templates: Vec<Template>,
    /// Sorted by `order`, then id.
    pub editions: Vec<EditionFile>,
    /// Ids of edition files that did not parse, so the content is not also blamed for naming them.
    pub broken_editions: std::collections::BTreeSet<String>,
    pub pictures: BTreeMap<String, ThemePicture>,
    pub assets: Vec<Asset>,
    pub sources: SourceMap,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PicturesFile {
    pictures: Vec<PictureEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PictureEntry {
    name: String,
    alt: String,
    source: String,
    licence: String,
}

/// Reads a theme. `display_prefix` is put before each relative path in messages.
pub fn load(root: &Root, display_prefix: &str, diagnostics: &mut Diagnostics) -> Theme {
    let files = read_tree(root, "theme", diagnostics);
    let mut theme = Theme::default();
    let mut svgs: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut pictures_list: Option<(PicturesFile, Document)> = None;
    let mut edition_docs: Vec<Document> = Vec::new();
    let mut strings: Option<StringsFile> = None;
    for file in &files {
        let display = format!("{}/{}", display_prefix.trim_end_matches('/'), file.rel);
        if let Some(name) = file.rel.strip_prefix("templates/") {
            match decode(&display, &file.bytes) {
                Ok(text) => {
                    theme.sources.insert(&display, text.clone());
                    theme.templates.push(Template { name: name.to_string(), text: text.to_string() });
                }
                Err(d) => diagnostics.push(d),
            }
        } else if let Some(name) = file.rel.strip_prefix("editions/").filter(|n| n.ends_with(".yaml")) {
            let stem = name.trim_end_matches(".yaml");
            match parse_yaml::<EditionFile>(&display, &file.bytes, &mut theme.sources, diagnostics) {
                Some((Some(edition), doc)) => {
                    check_edition_id(&edition, stem, &doc, diagnostics);
                    theme.editions.push(edition);
                    edition_docs.push(doc);
                }
                Some((None, doc)) => {
                    theme.broken_editions.insert(stem.to_string());
                    edition_docs.push(doc);
                }
                None => {}
            }
        } else if file.rel == "strings.yaml" {
            strings = parse_yaml(&display, &file.bytes, &mut theme.sources, diagnostics).and_then(|(file, _)| file);
        } else if file.rel == "pictures/pictures.yaml" {
            pictures_list = parse_yaml(&display, &file.bytes, &mut theme.sources, diagnostics)
                .and_then(|(list, doc)| list.map(|list| (list, doc)));
        } else if let Some(name) = file.rel.strip_prefix("pictures/").and_then(|n| n.strip_suffix(".svg")) {
            svgs.insert(name.to_string(), file.bytes.to_vec());
        } else if let Some(rel) = file.rel.strip_prefix("assets/") {
            theme.assets.push(Asset { rel: rel.to_string(), bytes: file.bytes.to_vec() });
        }
    }
    check_edition_links(&theme.editions, &edition_docs, diagnostics);
    resolve_strings(&mut theme.editions, strings, display_prefix, diagnostics);
    if let Some((list, doc)) = pictures_list {
        theme.pictures = listed_pictures(list, &doc, &mut svgs, diagnostics);
    }
    for name in svgs.keys() {
        diagnostics.push(
            Diagnostic::warning(
                Code::UnlistedPicture,
                format!("pictures/{name}.svg is not listed in pictures.yaml, so it is not used"),
            )
            .in_file(format!("{}/pictures/{name}.svg", display_prefix.trim_end_matches('/')))
            .help("add it to pictures.yaml with its alt text, source and licence"),
        );
    }
    if theme.templates.is_empty() && !files.is_empty() {
        diagnostics.push(
            Diagnostic::error(Code::NoTemplates, format!("{} has no templates/ folder", root.describe())).help(
                "a theme needs templates/ with at least base.html and the page templates; copy themes/default to start",
            ),
        );
    }
    theme.editions.sort_by(|a, b| a.order.cmp(&b.order).then(a.id.cmp(&b.id)));
    theme
}

/// Decodes and parses one YAML file of the theme, keeping its text for messages. Returns `None`
/// when it cannot be decoded, and `(None, doc)` when it does not parse (both reported).
fn parse_yaml<T: serde::de::DeserializeOwned>(
    display: &str,
    bytes: &[u8],
    sources: &mut SourceMap,
    diagnostics: &mut Diagnostics,
) -> Option<(Option<T>, Document)> {
    let text = decode(display, bytes).map_err(|d| diagnostics.push(d)).ok()?;
    sources.insert(display, text.clone());
    let doc = Document { file: display.to_string(), text: text.clone(), yaml: 0..text.len(), body_start: text.len() };
    match yaml::parse::<T>(&text) {
        Ok(value) => Some((Some(value), doc)),
        Err(error) => {
            diagnostics.push(
                Diagnostic::error(Code::Yaml, error.message)
                    .in_file(display)
                    .at(error.offset.map(|o| o..o + 1))
                    .maybe_help(error.help),
            );
            Some((None, doc))
        }
    }
}

/// An edition's id is its file name.
fn check_edition_id(edition: &EditionFile, stem: &str, doc: &Document, diagnostics: &mut Diagnostics) {
    if edition.id != stem {
        diagnostics.push(
            doc.diagnostic(
                Diagnostic::error(Code::EditionId, format!("the edition file {stem}.yaml has the id `{}`", edition.id))
                    .field("id")
                    .help(format!("an edition's id is its file name: write `id: {stem}` or rename the file")),
                doc.find_key("id"),
            ),
        );
    }
}

/// The pictures `pictures.yaml` lists, each with its SVG file and a record of its source and
/// licence. The SVGs it takes are removed from `svgs`, which leaves the unlisted ones.
fn listed_pictures(
    list: PicturesFile,
    doc: &Document,
    svgs: &mut BTreeMap<String, Vec<u8>>,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, ThemePicture> {
    let mut pictures = BTreeMap::new();
    for entry in list.pictures {
        let anchor = format!("name: {}", entry.name);
        if entry.source.trim().is_empty() || entry.licence.trim().is_empty() {
            diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error(
                        Code::PictureLicence,
                        format!("the picture `{}` does not record its source and licence", entry.name),
                    )
                    .help("fill in `source` and `licence`: a theme may only ship pictures it is allowed to"),
                    doc.find(&[&anchor]),
                ),
            );
        }
        match svgs.remove(&entry.name) {
            Some(bytes) => {
                pictures.insert(entry.name, ThemePicture { alt: entry.alt, bytes });
            }
            None => diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error(
                        Code::MissingPictureFile,
                        format!("pictures.yaml lists `{}` but there is no pictures/{}.svg", entry.name, entry.name),
                    )
                    .help("add the SVG file or remove the entry"),
                    doc.find(&[&anchor]),
                ),
            ),
        }
    }
    pictures
}

/// An edition that names another (`full_version`, `recommendations_in`) must name one that
/// exists and has what is asked of it.
fn check_edition_links(editions: &[EditionFile], docs: &[Document], diagnostics: &mut Diagnostics) {
    let ids: Vec<&str> = editions.iter().map(|e| e.id.as_str()).collect();
    for edition in editions {
        let Some(doc) = docs.iter().find(|d| d.file.ends_with(&format!("/editions/{}.yaml", edition.id))) else {
            continue;
        };
        let links = [
            ("full_version", edition.full_version.as_deref(), "leads with the full statement (`statement_text: full`)"),
            (
                "recommendations_in",
                edition.recommendations_in.as_deref(),
                "has recommendation pages (`recommendations: true`)",
            ),
        ];
        for (field, named, needs) in links {
            let Some(named) = named else { continue };
            let target = editions.iter().find(|e| e.id == named);
            let fits = match field {
                "full_version" => target.is_some_and(|e| e.statement_text == crate::editions::StatementText::Full),
                _ => target.is_some_and(|e| e.recommendations),
            };
            if target.is_none() {
                diagnostics.push(
                    doc.diagnostic(
                        Diagnostic::error(Code::UnknownEdition, format!("`{named}` is not an edition of this theme"))
                            .field(field)
                            .maybe_help(crate::diagnostics::did_you_mean(named, ids.iter().copied()))
                            .help(format!("the editions are: {}", ids.join(", "))),
                        doc.find_key(field),
                    ),
                );
            } else if !fits {
                diagnostics.push(
                    doc.diagnostic(
                        Diagnostic::error(
                            Code::EditionLink,
                            format!("`{field}` names `{named}`, which has no such pages"),
                        )
                        .field(field)
                        .help(format!("name an edition that {needs}, or remove `{field}`")),
                        doc.find_key(field),
                    ),
                );
            }
        }
    }
}

/// Gives each edition its words: its own `strings:`, then the theme's `strings.yaml`. A string
/// that neither gives is an error at the theme's file (or its absence), naming the edition.
fn resolve_strings(
    editions: &mut [EditionFile],
    strings: Option<StringsFile>,
    display_prefix: &str,
    diagnostics: &mut Diagnostics,
) {
    let file = format!("{}/strings.yaml", display_prefix.trim_end_matches('/'));
    let theme_strings = strings.unwrap_or_default();
    for edition in editions {
        match edition.strings.resolve(&theme_strings, &edition.name) {
            Ok(words) => edition.words = std::sync::Arc::new(words),
            Err(missing) => {
                let names = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
                let base = Diagnostic::error(
                    Code::MissingStrings,
                    format!("the {} edition has no words for {names}", edition.id),
                )
                .help(format!(
                    "give them in {file} (every edition uses those), or under `strings:` in editions/{}.yaml",
                    edition.id
                ));
                diagnostics.push(base.in_file(&file));
            }
        }
    }
}
