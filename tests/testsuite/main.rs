//! The integration tests, in one binary (as mdBook's testsuite is): the crate is linked once, and
//! every test shares one thread pool, so the slow serve tests overlap with the rest instead of
//! running in a binary of their own. One module per area; run one with its name as a filter, for
//! example `cargo test --test testsuite fuzz_loader`.

// Shared with the cargo-fuzz target (`fuzz/`), which includes this folder by path.
#[path = "../common/mod.rs"]
mod common;

mod bad_input;
mod contents;
mod easy_read;
mod editions;
mod errors;
mod fuzz_loader;
mod hostile;
mod in_process;
mod links;
mod nothing_lost;
mod sample;
mod shared;
mod snapshots;
mod workflow;
