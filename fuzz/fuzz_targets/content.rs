//! Fuzzes the content loader: front matter split, YAML, the model (ids, citations, references)
//! and Markdown rendering, with the checks of `tests/common/harness.rs`. The first byte picks the
//! slot (which file, or Markdown or a citation alone); the rest is that file's bytes.
//!
//! ```sh
//! GUIDEPRESS_FUZZ_SEEDS=fuzz/corpus/content cargo test --test testsuite -- --ignored write_fuzz_seeds
//! cargo +nightly fuzz run content fuzz/corpus/content -- -dict=fuzz/content.dict -max_total_time=600 -rss_limit_mb=1024 -timeout=10
//! ```
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/mod.rs"]
#[allow(dead_code, unused_imports)]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Some((&slot, bytes)) = data.split_first() {
        common::harness::check(usize::from(slot), bytes);
    }
});
