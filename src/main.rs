#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
//! The `guidepress` command.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{BufferedStandardStream, ColorChoice};

use guidepress::commands::build;
use guidepress::diagnostics::{Diagnostics, SourceMap};
use guidepress::pipeline::BuildOptions;
use guidepress::write::WriteError;

/// mimalloc, not the system allocator: a build allocates millions of short-lived strings on every
/// thread, and glibc's per-thread arenas kept freed memory resident (see benches/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit status when the content has errors.
const EXIT_CONTENT: u8 = 1;
/// Exit status for a usage error (clap uses it too).
const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "guidepress",
    version,
    about = "Builds audience editions of guidance (commissioner, carer, easy read, pocket) from one source, linked to the law.",
    after_help = "Examples:\n  guidepress build                 build content/ with themes/default/ into output/\n  guidepress check                 report every problem without writing anything\n  guidepress serve                 preview in a browser, rebuilding on every change\n  guidepress new statement         start a new statement from a template\n  guidepress init my-guidance      start a new publication in my-guidance/"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the content and theme are.
#[derive(Args, Clone)]
struct Sources {
    /// The content folder [default: content, or the built-in sample if there is none]
    #[arg(long, value_name = "DIR")]
    content: Option<PathBuf>,
    /// The theme folder [default: themes/default, or the built-in theme if there is none]
    #[arg(long, value_name = "DIR")]
    theme: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Build every edition into the output folder.
    #[command(
        after_help = "Example:\n  guidepress build --content content --theme themes/default --output output\n\nExit status: 0 built, 1 the content has errors (output/ is left as it was), 2 usage error."
    )]
    Build {
        #[command(flatten)]
        sources: Sources,
        /// Where to write the site
        #[arg(long, short = 'o', value_name = "DIR", default_value = "output")]
        output: PathBuf,
        /// The address the site will be published at, e.g. https://example.org/guidance/
        #[arg(long, short = 'u', value_name = "URL", value_parser = parse_base_url)]
        base_url: Option<String>,
        /// Replace the output folder even if guidepress did not create it
        #[arg(long)]
        force: bool,
        /// Count warnings as errors, so nothing is published while any remain
        #[arg(long)]
        strict: bool,
        /// Publish text still marked FILL IN, with a banner on every page saying it is a draft
        #[arg(long)]
        draft: bool,
        /// Print only problems, not the summary
        #[arg(long, short)]
        quiet: bool,
        /// Print how long each stage of the build took (on standard error)
        #[arg(long)]
        timings: bool,
    },
    /// Check everything a build checks, without writing anything.
    #[command(
        after_help = "Examples:\n  guidepress check\n  guidepress check --strict --format json > diagnostics.json\n\nExit status: 0 clean, 1 errors (or warnings with --strict), 2 usage error."
    )]
    Check {
        #[command(flatten)]
        sources: Sources,
        /// Count warnings as errors
        #[arg(long)]
        strict: bool,
        /// How to report
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Also check that every web address in the content still answers (needs the network)
        #[arg(long)]
        external: bool,
        /// Do not print the coverage report
        #[arg(long, short)]
        quiet: bool,
    },
    /// Show which derived texts of a statement are stale, and mark them reviewed.
    #[command(
        after_help = "Examples:\n  guidepress review qs-3            show what changed and which texts are stale\n  guidepress review qs-3 --done     mark every text of qs-3 as reviewed against the current wording\n  guidepress review qs-3 --done --text carers --text easy_read\n  guidepress review --all --done    mark everything (e.g. when starting to track reviews)"
    )]
    Review {
        /// The statement ids to review
        #[arg(value_name = "STATEMENT", required_unless_present = "all")]
        statements: Vec<String>,
        /// Review every statement
        #[arg(long, conflicts_with = "statements")]
        all: bool,
        /// Mark the texts as reviewed against the current wording
        #[arg(long)]
        done: bool,
        /// With --done, mark only these derived texts (headline, plain, commissioners, providers, carers, young_people, easy_read)
        #[arg(long = "text", value_name = "TEXT", requires = "done")]
        texts: Vec<String>,
        /// The content folder
        #[arg(long, value_name = "DIR", default_value = "content")]
        content: PathBuf,
    },
    /// Build, serve the site on 127.0.0.1, and rebuild and reload on every change.
    #[command(
        after_help = "Example:\n  guidepress serve --port 8000\n  guidepress serve --open          and open it in the web browser\n\nThen open the address it prints. Content errors do not stop the server: the page shows them until the file is fixed."
    )]
    Serve {
        #[command(flatten)]
        sources: Sources,
        /// Where to write the site
        #[arg(long, short = 'o', value_name = "DIR", default_value = "output")]
        output: PathBuf,
        /// The port to listen on (0 picks a free one)
        #[arg(long, short = 'p', default_value_t = 8000)]
        port: u16,
        /// Replace the output folder even if guidepress did not create it
        #[arg(long)]
        force: bool,
        /// Count warnings as errors
        #[arg(long)]
        strict: bool,
        /// Show text still marked FILL IN, with a banner on every page saying it is a draft
        #[arg(long)]
        draft: bool,
        /// Open the site in the default web browser once it is served
        #[arg(long)]
        open: bool,
    },
    /// Start a new publication in a folder: a small one that builds at once, or the whole sample.
    #[command(
        after_help = "Examples:\n  guidepress init fostering-guide\n  guidepress init fostering-guide --title \"Fostering guide\"\n  guidepress init my-copy --sample\n\nThen `cd` into the folder and run `guidepress build` or `guidepress serve`."
    )]
    Init {
        /// The folder to start it in (made if it does not exist)
        #[arg(value_name = "DIR", default_value = ".")]
        dir: PathBuf,
        /// The publication's title [default: the folder's name, in words]
        #[arg(long)]
        title: Option<String>,
        /// Write the whole sample publication (12 statements) instead of a small starter
        #[arg(long)]
        sample: bool,
    },
    /// Start a new statement, recommendation, register entry or glossary term from a template.
    #[command(
        after_help = "Examples:\n  guidepress new statement --title \"Mental health support\"\n  guidepress new recommendation\n  guidepress new citation --title \"Children and Families Act 2014\"\n  guidepress new term --title \"pathway plan\"\n\nThe new item is valid at once; `guidepress check` lists every text still marked FILL IN."
    )]
    New {
        /// What to create
        #[arg(value_enum)]
        kind: NewKind,
        /// Its title (or the term, for a glossary term); also used for its id and file name
        #[arg(long)]
        title: Option<String>,
        /// The content folder
        #[arg(long, value_name = "DIR", default_value = "content")]
        content: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum NewKind {
    /// A quality statement file in statements/
    Statement,
    /// A recommendation file in recommendations/
    Recommendation,
    /// An entry in the statutory register (register.yaml)
    Citation,
    /// An entry in the glossary (glossary.yaml)
    Term,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// For people: snippets with the problem underlined
    Human,
    /// For tools: one JSON document on standard output
    Json,
}

fn parse_base_url(value: &str) -> Result<String, String> {
    if (value.starts_with("https://") || value.starts_with("http://"))
        && value.len() > "https://".len()
        && !value.contains(char::is_whitespace)
    {
        Ok(value.to_string())
    } else {
        Err("expected an absolute http:// or https:// address, such as https://example.org/guidance/".to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { sources, output, base_url, force, strict, draft, quiet, timings } => {
            let progress = !quiet && std::io::stderr().is_terminal();
            let options = BuildOptions {
                content: sources.content,
                theme: sources.theme,
                output,
                base_url,
                force,
                strict,
                draft,
                progress,
                timings,
                superseded: None,
            };
            run_build(&options, quiet)
        }
        Command::Check { sources, strict, format, external, quiet } => {
            let progress = !quiet && format == Format::Human && std::io::stderr().is_terminal();
            let options = BuildOptions {
                content: sources.content,
                theme: sources.theme,
                output: PathBuf::from("output"),
                base_url: None,
                force: false,
                strict,
                draft: false,
                progress,
                timings: false,
                superseded: None,
            };
            run_check(&options, format, external, quiet)
        }
        Command::Review { statements, all: _, done, texts, content } => run_review(&content, &statements, done, &texts),
        Command::New { kind, title, content } => run_new(&content, kind, title.as_deref()),
        Command::Init { dir, title, sample } => run_init(&dir, title.as_deref(), sample),
        Command::Serve { sources, output, port, force, strict, draft, open } => {
            let options = BuildOptions {
                content: sources.content,
                theme: sources.theme,
                output,
                base_url: None,
                force,
                strict,
                draft,
                progress: false,
                timings: false,
                superseded: None,
            };
            match guidepress::commands::serve::serve(&options, port, open) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    let mut stream = stderr();
                    let _ = writeln!(stream, "error: {error}");
                    ExitCode::from(EXIT_USAGE)
                }
            }
        }
    }
}

fn stderr() -> BufferedStandardStream {
    // Buffered: diagnostics are written in pieces, and unbuffered stderr makes each piece a system call.
    BufferedStandardStream::stderr(if std::io::stderr().is_terminal() { ColorChoice::Auto } else { ColorChoice::Never })
}

fn emit(diagnostics: &Diagnostics, sources: &SourceMap, notes: &[String]) -> BufferedStandardStream {
    emit_with(diagnostics, sources, notes, true)
}

/// Prints the run's notes and diagnostics; advice-level notes only when `advice` is true.
fn emit_with(diagnostics: &Diagnostics, sources: &SourceMap, notes: &[String], advice: bool) -> BufferedStandardStream {
    let mut stream = stderr();
    for note in notes {
        let _ = writeln!(stream, "note: {note}");
    }
    let _ = diagnostics.emit_filtered(sources, &mut stream, advice);
    stream
}

fn counts_line(diagnostics: &Diagnostics) -> String {
    let (errors, warnings) = diagnostics.counts();
    format!("{errors} error{} and {warnings} warning{}", plural(errors), plural(warnings))
}

fn run_build(options: &BuildOptions, quiet: bool) -> ExitCode {
    let report = build::build(options);
    // A build shows what must be fixed; the advice notes are for `check`.
    let mut stderr = emit_with(&report.diagnostics, &report.sources, &report.notes, false);
    let (_, warnings) = report.diagnostics.counts();
    if let Some(error) = &report.write_error {
        let _ = writeln!(stderr, "error: {error}");
        return match error {
            WriteError::Refused { help, .. } => {
                let _ = writeln!(stderr, "  = help: {help}");
                ExitCode::from(EXIT_USAGE)
            }
            WriteError::Io { output_kept, .. } => {
                let output = options.output.display();
                let _ = if *output_kept {
                    writeln!(stderr, "  = the previous {output} was left as it was")
                } else {
                    writeln!(
                        stderr,
                        "  = the previous {output} could not be put back; run the build again to write it whole"
                    )
                };
                ExitCode::from(EXIT_CONTENT)
            }
        };
    }
    match &report.written {
        Some(summary) => {
            if options.timings {
                let _ = writeln!(stderr, "guidepress: time per stage");
                for line in summary.timings.lines() {
                    let _ = writeln!(stderr, "  {line}");
                }
                let _ = stderr.flush();
            }
            if !quiet {
                let warned =
                    if warnings > 0 { format!(" with {warnings} warning{}", plural(warnings)) } else { String::new() };
                println!("guidepress: {}{warned}", summary.line());
                let advice = report.diagnostics.notes();
                if advice > 0 {
                    println!("  {advice} note{} of advice: run `guidepress check` to see them", plural(advice));
                }
                for line in &summary.readability {
                    println!("  readability {line}");
                }
                println!(
                    "  reports: {}/reports/readability.html, {}/reports/coverage.html",
                    summary.output.display(),
                    summary.output.display()
                );
            }
            ExitCode::SUCCESS
        }
        None => {
            let strict = if report.strict && !report.diagnostics.has_errors() {
                " (warnings count as errors in strict mode)"
            } else {
                ""
            };
            let _ = writeln!(
                stderr,
                "guidepress: found {}{strict}; nothing was written and {} was left as it was",
                counts_line(&report.diagnostics),
                options.output.display()
            );
            ExitCode::from(EXIT_CONTENT)
        }
    }
}

fn run_check(options: &BuildOptions, format: Format, external: bool, quiet: bool) -> ExitCode {
    let (mut diagnostics, sources, notes, site) = build::check(options);
    if external {
        let files = sources
            .names()
            .filter(|name| name.ends_with(".md") || name.ends_with(".yaml"))
            .map(str::to_string)
            .collect::<Vec<_>>();
        let checked = guidepress::commands::external::check(&sources, &files, &mut diagnostics);
        if format == Format::Human {
            let _ = writeln!(stderr(), "note: checked {checked} web addresses");
        }
    }
    let strict = options.strict || site.as_ref().is_some_and(|s| s.strict);
    let failed = build::fails(&diagnostics, strict) || site.is_none();
    match format {
        Format::Json => {
            let mut document = diagnostics.to_json(&sources);
            document["strict"] = serde_json::Value::Bool(strict);
            document["ok"] = serde_json::Value::Bool(!failed);
            if let Some(site) = &site {
                document["coverage"] = serde_json::to_value(&site.coverage).unwrap_or_default();
            }
            println!("{}", serde_json::to_string_pretty(&document).unwrap_or_default());
        }
        Format::Human => {
            let mut stream = emit(&diagnostics, &sources, &notes);
            if let (Some(site), false) = (&site, quiet) {
                println!("{}", guidepress::editions::coverage::coverage_text(&site.coverage));
            }
            let verdict = if failed { "not ready to publish" } else { "ready to publish" };
            let strict_note = if strict { " (strict: warnings count as errors)" } else { "" };
            let _ = writeln!(stream, "guidepress check: {}{strict_note}: {verdict}", counts_line(&diagnostics));
        }
    }
    if failed {
        ExitCode::from(EXIT_CONTENT)
    } else {
        ExitCode::SUCCESS
    }
}

fn run_review(content: &std::path::Path, statements: &[String], done: bool, texts: &[String]) -> ExitCode {
    let label = content.display().to_string();
    let mark = if done { Some(texts) } else { None };
    match guidepress::commands::review::review(content, &label, statements, mark) {
        Ok(reports) => {
            let mut stale = false;
            for report in &reports {
                print!("{}", report.text());
                stale |= report
                    .texts
                    .iter()
                    .any(|(_, s, marked)| matches!(s, guidepress::model::review::TextState::Stale { .. }) && !marked);
            }
            if !done && stale {
                println!(
                    "Update or confirm the stale texts, then run `guidepress review {} --done`.",
                    if statements.is_empty() { "--all".to_string() } else { statements.join(" ") }
                );
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            let mut stream = emit(&diagnostics, &SourceMap::default(), &[]);
            let _ = writeln!(stream, "guidepress review: {}", counts_line(&diagnostics));
            ExitCode::from(EXIT_CONTENT)
        }
    }
}

fn run_new(content: &std::path::Path, kind: NewKind, title: Option<&str>) -> ExitCode {
    use guidepress::commands::new::{create, Kind};
    let kind = match kind {
        NewKind::Statement => Kind::Statement,
        NewKind::Recommendation => Kind::Recommendation,
        NewKind::Citation => Kind::Citation,
        NewKind::Term => Kind::Term,
    };
    match create(content, &content.display().to_string(), kind, title) {
        Ok(created) => {
            let verb = if created.appended { "added" } else { "created" };
            println!(
                "{verb} `{}` in {}: replace each text marked FILL IN, then run `guidepress check`",
                created.id,
                created.path.display()
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            let mut stream = emit(&diagnostics, &SourceMap::default(), &[]);
            let _ = writeln!(stream, "guidepress new: {}", counts_line(&diagnostics));
            ExitCode::from(EXIT_CONTENT)
        }
    }
}

fn run_init(dir: &std::path::Path, title: Option<&str>, sample: bool) -> ExitCode {
    match guidepress::commands::init::init(dir, title, sample) {
        Ok(started) => {
            println!("started {} in {} ({} files)", started.title, started.content.display(), started.files);
            let here = dir == std::path::Path::new(".");
            let step = if here { String::new() } else { format!("cd {} && ", dir.display()) };
            println!(
                "next: {step}guidepress serve     (or `guidepress build`); content/README.md describes every file"
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            let mut stream = emit(&diagnostics, &SourceMap::default(), &[]);
            let _ = writeln!(stream, "guidepress init: {}", counts_line(&diagnostics));
            ExitCode::from(EXIT_CONTENT)
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
