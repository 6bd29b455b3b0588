//! The register of law: each instrument, its address, pinpoints, audiences and replacement.

use std::collections::BTreeSet;

use crate::diagnostics::{did_you_mean, join_list, Code, Diagnostic, Diagnostics};
use crate::kinds::LegalStatus;
use crate::load::{InstrumentFile, LoadedContent};
use crate::model::checks::register::report_replacement_cycles;
use crate::model::ids::{check_id, EntryAnchors, IdRegistry};
use crate::model::site::is_web_address;
use crate::model::{Instrument, Pinpoint, ThemeFacts};
use crate::source::Document;
/// The register: each instrument checked, its id claimed, its pinpoints and replacements
/// checked. A missing register is an error when there is a site to build.
pub(super) fn resolve_register(
    loaded: &LoadedContent,
    has_site: bool,
    theme: &ThemeFacts,
    ids: &mut IdRegistry,
    diagnostics: &mut Diagnostics,
) -> Vec<Instrument> {
    let mut instruments = Vec::new();
    if let Some(register) = &loaded.register {
        let anchors = EntryAnchors::new(&register.doc);
        for (index, file) in register.value.instruments.iter().enumerate() {
            let doc = &register.doc;
            let anchor = format!("id: {}", file.id);
            let span = anchors.find(doc, &file.id, &anchor).or_else(|| doc.find_key("instruments"));
            check_id(&file.id, doc, span.clone(), &format!("instruments[{index}].id"), diagnostics);
            ids.claim(&file.id, "register entry", doc, span.clone(), diagnostics);
            check_url(file, doc, &anchor, diagnostics);
            let pinpoints = resolve_pinpoints(file, doc, &anchor, diagnostics);
            let audiences = audiences(file, doc, &anchor, theme, diagnostics);
            instruments.push(Instrument {
                id: file.id.clone(),
                title: file.title.clone(),
                kind: file.kind,
                year: file.year,
                publisher: file.publisher.clone(),
                status: file.status,
                superseded_by: file.superseded_by.clone(),
                url: file.url.clone(),
                summary: file.summary.clone(),
                easy_read: file.easy_read.clone(),
                easy_read_name: file.easy_read_name.clone().unwrap_or_else(|| file.title.clone()),
                audiences,
                pinpoints,
                source_offset: span.map_or(0, |s| s.start),
            });
        }
        check_replacements(&instruments, &register.doc, diagnostics);
        report_replacement_cycles(&instruments, &register.doc, diagnostics);
    } else if !loaded.register_failed && has_site {
        diagnostics.push(
            Diagnostic::error(Code::MissingRegister, "there is no register.yaml: citations cannot be checked")
                .in_file("register.yaml")
                .help("add a register.yaml listing the Acts and guidance the statements cite; see content/README.md"),
        );
    }

    instruments
}

/// An instrument's address is a web address, and a secure one.
fn check_url(file: &InstrumentFile, doc: &Document, anchor: &str, diagnostics: &mut Diagnostics) {
    if !is_web_address(&file.url) {
        diagnostics.push(
            doc.diagnostic(
                Diagnostic::error(
                    Code::BadUrl,
                    format!("the address of `{}` is not a web address: `{}`", file.id, file.url),
                )
                .field("url")
                .help("write the full https:// address of the instrument (legislation.gov.uk or gov.uk)"),
                doc.find(&[anchor, "url:"]),
            ),
        );
    } else if !file.url.starts_with("https://") {
        diagnostics.push(
            doc.diagnostic(
                Diagnostic::warning(
                    Code::InsecureUrl,
                    format!("the address of `{}` does not start with https://", file.id),
                )
                .field("url")
                .help("use the canonical https:// address (legislation.gov.uk or gov.uk)"),
                doc.find(&[anchor, "url:"]),
            ),
        );
    }
}

/// An instrument's pinpoints: each key once, without spaces, and any address of its own a web
/// address. A pinpoint's status is the instrument's unless it gives its own.
fn resolve_pinpoints(
    file: &InstrumentFile,
    doc: &Document,
    anchor: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<Pinpoint> {
    let mut keys = BTreeSet::new();
    let mut pinpoints = Vec::new();
    for pinpoint in &file.pinpoints {
        if !keys.insert(pinpoint.key.as_str()) {
            diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error(
                        Code::DuplicatePinpoint,
                        format!("`{}` lists the pinpoint `{}` twice", file.id, pinpoint.key),
                    )
                    .field("pinpoints")
                    .help("remove one of them"),
                    doc.find(&[anchor, &format!("key: {}", pinpoint.key), &format!("key: {}", pinpoint.key)]),
                ),
            );
        }
        if let Some(url) = pinpoint.url.as_deref().filter(|url| !is_web_address(url)) {
            diagnostics.push(doc.diagnostic(
                Diagnostic::error(Code::BadUrl, format!("the address of `{} {}` is not a web address: `{url}`", file.id, pinpoint.key))
                    .field("pinpoints.url")
                    .help("write the full https:// address of the section, or leave `url` out to use the instrument's own address"),
                doc.find(&[anchor, &format!("key: {}", pinpoint.key), "url:"]),
            ));
        }
        if pinpoint.key.is_empty() || pinpoint.key.chars().any(char::is_whitespace) {
            diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error(
                        Code::BadPinpointKey,
                        format!("the pinpoint key `{}` cannot contain spaces", pinpoint.key),
                    )
                    .field("pinpoints.key")
                    .help("write it without spaces, e.g. `s22C`, `reg5`, `para2.45`"),
                    doc.find(&[anchor, &format!("key: {}", pinpoint.key)]),
                ),
            );
        }
        pinpoints.push(Pinpoint {
            key: pinpoint.key.clone(),
            label: pinpoint.label.clone(),
            title: pinpoint.title.clone(),
            url: pinpoint.url.clone(),
            status: pinpoint.status.unwrap_or(file.status),
        });
    }
    pinpoints
}

/// The editions an entry is for: its own list, or the editions marked `register_default`.
/// Each must be an edition of the theme.
fn audiences(
    file: &InstrumentFile,
    doc: &Document,
    anchor: &str,
    theme: &ThemeFacts,
    diagnostics: &mut Diagnostics,
) -> Vec<String> {
    let audiences = file.audiences.clone().unwrap_or_else(|| theme.register_default.clone());
    for audience in &audiences {
        if !theme.editions.contains(audience) {
            diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error(Code::UnknownEdition, format!("`{audience}` is not an edition of this theme"))
                        .field("audiences")
                        .maybe_help(did_you_mean(audience, theme.editions.iter().map(String::as_str)))
                        .help(format!("the editions are: {}", join_list(&theme.editions))),
                    doc.find(&[anchor, "audiences:", audience]),
                ),
            );
        }
    }
    audiences
}

/// Superseded entries must name a replacement that exists (and only superseded ones one).
fn check_replacements(instruments: &[Instrument], doc: &Document, diagnostics: &mut Diagnostics) {
    let known: BTreeSet<&str> = instruments.iter().map(|i| i.id.as_str()).collect();
    for instrument in instruments {
        let anchor = format!("id: {}", instrument.id);
        match (&instrument.status, &instrument.superseded_by) {
            (LegalStatus::Superseded, None) => diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error(
                        Code::MissingReplacement,
                        format!("`{}` is superseded but does not say by what", instrument.id),
                    )
                    .field("superseded_by")
                    .help("add `superseded_by:` with the id of the entry that replaced it"),
                    doc.find(&[&anchor, "status:"]),
                ),
            ),
            (_, Some(by)) if !known.contains(by.as_str()) => diagnostics.push(
                doc.diagnostic(
                    Diagnostic::error(
                        Code::UnknownReplacement,
                        format!("`{}` is superseded by `{by}`, which is not in the register", instrument.id),
                    )
                    .field("superseded_by")
                    .maybe_help(did_you_mean(by, known.iter().copied())),
                    doc.find(&[&anchor, "superseded_by:"]),
                ),
            ),
            _ => {}
        }
    }
}
