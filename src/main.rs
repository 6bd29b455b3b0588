#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
//! The `guidepress` command.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use guidepress::build::{build, BuildOptions};
use guidepress::write::WriteError;

/// Exit status when the content has errors.
const EXIT_CONTENT: u8 = 1;
/// Exit status for a usage error (clap uses it too).
const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "guidepress",
    version,
    about = "Builds audience editions of guidance (commissioner, carer, easy read, pocket) from one source, linked to the law.",
    after_help = "Example:\n  guidepress build                 build content/ with themes/default/ into output/\n  guidepress build --output public --base-url https://example.org/guidance/"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build every edition into the output folder.
    #[command(after_help = "Example:\n  guidepress build --content content --theme themes/default --output output\n\nExit status: 0 built, 1 the content has errors (output/ is left as it was), 2 usage error.")]
    Build {
        /// The content folder [default: content, or the built-in sample if there is none]
        #[arg(long, value_name = "DIR")]
        content: Option<PathBuf>,
        /// The theme folder [default: themes/default, or the built-in theme if there is none]
        #[arg(long, value_name = "DIR")]
        theme: Option<PathBuf>,
        /// Where to write the site
        #[arg(long, value_name = "DIR", default_value = "output")]
        output: PathBuf,
        /// The address the site will be published at, e.g. https://example.org/guidance/
        #[arg(long, value_name = "URL", value_parser = parse_base_url)]
        base_url: Option<String>,
        /// Replace the output folder even if guidepress did not create it
        #[arg(long)]
        force: bool,
        /// Print only problems, not the summary
        #[arg(long, short)]
        quiet: bool,
    },
}

fn parse_base_url(value: &str) -> Result<String, String> {
    if (value.starts_with("https://") || value.starts_with("http://")) && value.len() > "https://".len() && !value.contains(char::is_whitespace) {
        Ok(value.to_string())
    } else {
        Err("expected an absolute http:// or https:// address, such as https://example.org/guidance/".to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { content, theme, output, base_url, force, quiet } => {
            let options = BuildOptions { content, theme, output, base_url, force };
            run_build(&options, quiet)
        }
    }
}

fn run_build(options: &BuildOptions, quiet: bool) -> ExitCode {
    let report = build(options);
    let mut stderr = StandardStream::stderr(if std::io::stderr().is_terminal() { ColorChoice::Auto } else { ColorChoice::Never });
    for note in &report.notes {
        let _ = writeln!(stderr, "note: {note}");
    }
    if report.diagnostics.emit(&report.sources, &mut stderr).is_err() {
        return ExitCode::from(EXIT_CONTENT);
    }
    let (errors, warnings) = report.diagnostics.counts();
    if let Some(error) = &report.write_error {
        let _ = writeln!(stderr, "error: {error}");
        return match error {
            WriteError::Refused { help, .. } => {
                let _ = writeln!(stderr, "  = help: {help}");
                ExitCode::from(EXIT_USAGE)
            }
            WriteError::Io { .. } => {
                let _ = writeln!(stderr, "  = the previous {} was left as it was", options.output.display());
                ExitCode::from(EXIT_CONTENT)
            }
        };
    }
    match &report.written {
        Some(summary) => {
            if !quiet {
                let warned = if warnings > 0 { format!(" with {warnings} warning{}", plural(warnings)) } else { String::new() };
                println!("guidepress: {}{warned}", summary.line());
            }
            ExitCode::SUCCESS
        }
        None => {
            let _ = writeln!(
                stderr,
                "guidepress: found {errors} error{} and {warnings} warning{}; nothing was written and {} was left as it was",
                plural(errors),
                plural(warnings),
                options.output.display()
            );
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
