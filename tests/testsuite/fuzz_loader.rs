//! Property test over the content loader: front matter split, YAML (site, register, glossary,
//! statements, recommendations), the model with its citations and cross-references, Markdown
//! rendering and citation parsing. Inputs are the fixture's valid files with random edits made
//! from a dictionary of YAML, Markdown and HTML tokens, plus raw bytes. See
//! `tests/common/harness.rs` for what is checked on each input.
//!
//! `cargo test` runs a short, fixed-seed run. For a long run with fresh seeds:
//!
//! ```sh
//! GUIDEPRESS_FUZZ_SECONDS=600 cargo test --release --test testsuite fuzz_loader:: -- --nocapture
//! ```
//!
//! `PROPTEST_CASES` sets the cases per round (default 512).

use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};

use crate::common::harness::{self, SLOTS};

/// Tokens that matter to YAML, front matter, Markdown, HTML, ids and citations.
const TOKENS: &[&str] = &[
    "\t",
    "  ",
    "\n",
    "\r\n",
    "\r",
    "\u{feff}",
    "---\n",
    "...\n",
    "---",
    "- ",
    ": ",
    ":",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'",
    "&a ",
    "*a",
    "&b [*a, *a, *a]",
    "!!str ",
    "!!binary ",
    "!!map ",
    "<<: *a\n",
    "# ",
    "|\n",
    ">-\n",
    "? ",
    "%YAML 1.2\n---\n",
    ",",
    "é",
    "😀",
    "\u{301}",
    "\u{0}",
    "\u{7f}",
    "\u{2028}",
    "\u{202e}",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "](",
    "javascript:",
    "data:text/html,",
    "&#106;",
    "&amp;",
    "<a href=\"javascript:x\">",
    "<javascript:alert(1)>",
    "[r]: javascript:alert(1)\n[y][r]",
    "![i](data:image/svg+xml,x)",
    "children-act-1989 s22",
    "children-act-1989",
    " s22C",
    " s99",
    "old-guidance-2009",
    "new-guidance-2015",
    "qs-1",
    "qs-2",
    "qs-9",
    "rec-1",
    "index",
    "con",
    "../",
    "/etc/passwd",
    "QS-1",
    "*",
    "_",
    "`",
    "```\n",
    "<",
    ">",
    "&",
    "id: ",
    "number: ",
    "related: [qs-1]\n",
    "related: [qs-9]\n",
    "cites: []\n",
    "recommendations: [rec-1]\n",
    "9999999999999999999999",
    "-1",
    "0",
    "~",
    "null",
    "true",
    "yes",
    "2024-13-45",
    "help",
    "allow_raw_html: true\n",
    "url: javascript:alert(1)\n",
    "url: https://example.org\n",
    "\\",
    "\"\\u0000\"",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "#####",
    "> ",
    "1. ",
];

/// One edit of a file's bytes.
#[derive(Debug, Clone)]
enum Edit {
    Insert(Index, &'static str),
    Delete(Index, usize),
    Replace(Index, usize, &'static str),
    DuplicateLine(Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    let token = proptest::sample::select(TOKENS);
    prop_oneof![
        4 => (any::<Index>(), token.clone()).prop_map(|(at, t)| Edit::Insert(at, t)),
        2 => (any::<Index>(), 1usize..24).prop_map(|(at, n)| Edit::Delete(at, n)),
        3 => (any::<Index>(), 1usize..12, token).prop_map(|(at, n, t)| Edit::Replace(at, n, t)),
        1 => any::<Index>().prop_map(Edit::DuplicateLine),
    ]
}

/// A position at a character boundary, so edits keep the text UTF-8 (raw bytes cover the rest).
fn boundary(bytes: &[u8], at: &Index) -> usize {
    let mut i = if bytes.is_empty() { 0 } else { at.index(bytes.len() + 1) };
    while i < bytes.len() && (bytes[i] & 0b1100_0000) == 0b1000_0000 {
        i += 1;
    }
    i
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for edit in edits {
        match edit {
            Edit::Insert(at, token) => {
                let i = boundary(&bytes, at);
                bytes.splice(i..i, token.bytes());
            }
            Edit::Delete(at, n) | Edit::Replace(at, n, _) => {
                let start = boundary(&bytes, at);
                let mut end = (start + n).min(bytes.len());
                while end < bytes.len() && (bytes[end] & 0b1100_0000) == 0b1000_0000 {
                    end += 1;
                }
                let with: &[u8] = if let Edit::Replace(_, _, token) = edit { token.as_bytes() } else { b"" };
                bytes.splice(start..end, with.iter().copied());
            }
            Edit::DuplicateLine(at) => {
                let i = boundary(&bytes, at);
                let start = bytes[..i].iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
                let end = bytes[i..].iter().position(|b| *b == b'\n').map_or(bytes.len(), |p| i + p + 1);
                let line = bytes[start..end].to_vec();
                bytes.splice(end..end, line);
            }
        }
    }
    bytes
}

/// A slot and the bytes to put in it.
fn input() -> impl Strategy<Value = (usize, Vec<u8>)> {
    prop_oneof![
        8 => (0..SLOTS.len(), proptest::collection::vec(edit(), 0..10)).prop_map(|(slot, edits)| (slot, apply(harness::seed(slot).into_bytes(), &edits))),
        1 => (0..SLOTS.len(), proptest::collection::vec(any::<u8>(), 0..400)),
        1 => (0..SLOTS.len(), proptest::collection::vec(proptest::sample::select(TOKENS), 0..60)).prop_map(|(slot, tokens)| (slot, tokens.concat().into_bytes())),
    ]
}

/// The longest one input may take before it counts as a hang (debug builds are slow; inputs are small).
const MAX_CASE_SECONDS: u64 = 10;

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

#[test]
fn the_loader_survives_anything() {
    let cases = env_number("PROPTEST_CASES").unwrap_or(512) as u32;
    let seconds = env_number("GUIDEPRESS_FUZZ_SECONDS");
    let deadline = seconds.map(|s| Instant::now() + Duration::from_secs(s));
    let started = Instant::now();
    let (mut total, mut clean, mut rounds) = (0u64, 0u64, 0u64);
    let mut worst = (Duration::ZERO, 0usize, 0usize);
    loop {
        let config = Config { cases, failure_persistence: None, max_shrink_iters: 2048, ..Config::default() };
        // The short run is fixed, so CI is repeatable; a long run draws fresh seeds each round.
        let seed: [u8; 32] = if deadline.is_some() {
            let nanos = started.elapsed().as_nanos() ^ u128::from(std::process::id()) ^ (u128::from(rounds) << 64);
            let mut s = [0u8; 32];
            s[..16].copy_from_slice(&nanos.to_le_bytes());
            s[16..24].copy_from_slice(&rounds.to_le_bytes());
            s
        } else {
            *b"guidepress fuzz the loader seed!"
        };
        let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
        let round_clean = std::cell::Cell::new(0u64);
        let slowest = std::cell::Cell::new((Duration::ZERO, 0usize, 0usize));
        let result = runner.run(&input(), |(slot, bytes)| {
            let case_started = Instant::now();
            if harness::check(slot, &bytes).clean {
                round_clean.set(round_clean.get() + 1);
            }
            let took = case_started.elapsed();
            if took > slowest.get().0 {
                slowest.set((took, slot, bytes.len()));
            }
            // A hang is a failure too: no input of this size may take seconds.
            prop_assert!(took < Duration::from_secs(MAX_CASE_SECONDS), "one input took {took:?}");
            Ok(())
        });
        if slowest.get().0 > worst.0 {
            worst = slowest.get();
        }
        match result {
            Ok(()) => {}
            Err(TestError::Fail(reason, (slot, bytes))) => panic!(
                "round {rounds} (seed {seed:?}) failed: {reason}\nslot {}\nminimal input: {:?}",
                SLOTS[slot],
                String::from_utf8_lossy(&bytes)
            ),
            Err(error) => panic!("round {rounds}: {error}"),
        }
        total += u64::from(cases);
        clean += round_clean.get();
        rounds += 1;
        if deadline.is_none_or(|d| Instant::now() >= d) {
            break;
        }
    }
    eprintln!(
        "fuzz_loader: {total} cases in {rounds} round(s), {clean} of them valid publications, {:.1}s, no failures; slowest case {:?} ({}, {} bytes)",
        started.elapsed().as_secs_f64(),
        worst.0,
        SLOTS[worst.1],
        worst.2
    );
    // The edits must leave some inputs valid, or the deeper stages are never reached.
    assert!(clean > 0, "no input was a valid publication: the mutations are too destructive to test the model");
}

/// Writes the seed corpus for the cargo-fuzz target (`fuzz/`): one valid input per slot, the
/// slot number as the first byte. Run with
/// `GUIDEPRESS_FUZZ_SEEDS=fuzz/corpus/content cargo test --test testsuite -- --ignored write_fuzz_seeds`.
#[test]
#[ignore = "writes files; run by hand before a cargo-fuzz run"]
fn write_fuzz_seeds() {
    let dir = std::path::PathBuf::from(
        std::env::var("GUIDEPRESS_FUZZ_SEEDS").expect("set GUIDEPRESS_FUZZ_SEEDS to the corpus folder"),
    );
    std::fs::create_dir_all(&dir).unwrap();
    for slot in 0..SLOTS.len() {
        let mut bytes = vec![u8::try_from(slot).unwrap()];
        bytes.extend_from_slice(harness::seed(slot).as_bytes());
        std::fs::write(dir.join(format!("seed-{slot}")), bytes).unwrap();
    }
}

#[test]
fn the_safety_scanner_finds_what_it_should() {
    crate::common::safety::self_check();
}
