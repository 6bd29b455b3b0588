//! Wall time and peak memory of each stage, and thread time inside the parallel render.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Wall time per pipeline stage, in the order they ran.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
    /// Resident memory after each stage, in MiB (where the system reports it).
    pub memory: Vec<Option<u64>>,
    /// Thread time (summed over threads) of steps inside the render stage.
    pub cpu: Vec<(&'static str, Duration)>,
    /// The pages that took longest, longest first.
    pub slowest: Vec<(Duration, String)>,
    pub(super) lap: Option<Instant>,
}

impl Timings {
    /// Starts timing the first stage.
    pub fn start() -> Timings {
        Timings {
            stages: Vec::new(),
            memory: Vec::new(),
            cpu: Vec::new(),
            slowest: Vec::new(),
            lap: Some(Instant::now()),
        }
    }

    /// Ends the current stage, names it, and starts the next.
    pub fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        if let Some(started) = self.lap.replace(now) {
            self.stages.push((stage, now - started));
            self.memory.push(resident_mib());
        }
    }

    /// Records the thread time of the steps inside the parallel render (they overlap in wall time).
    pub(super) fn note_cpu(&mut self, clock: &StageClock) {
        let nanos = |c: &AtomicU64| Duration::from_nanos(c.load(Ordering::Relaxed));
        self.cpu = vec![
            ("analyse pages (readability, search, links)", nanos(&clock.analyse)),
            ("minify", nanos(&clock.minify)),
            ("write files", nanos(&clock.write)),
        ];
    }

    /// One line per stage, for `--timings`.
    pub fn lines(&self) -> Vec<String> {
        let total: Duration = self.stages.iter().map(|(_, d)| *d).sum();
        let mut lines: Vec<String> = self
            .stages
            .iter()
            .zip(&self.memory)
            .map(|((stage, d), memory)| {
                let memory = memory.map(|m| format!("{m:>6} MiB peak")).unwrap_or_default();
                format!(
                    "{:>9.1} ms  {:>5.1}%  {memory}  {stage}",
                    d.as_secs_f64() * 1000.0,
                    100.0 * d.as_secs_f64() / total.as_secs_f64().max(1e-9)
                )
            })
            .collect();
        lines.push(format!("{:>9.1} ms  total", total.as_secs_f64() * 1000.0));
        for (step, d) in &self.cpu {
            lines.push(format!("{:>9.1} ms  thread time in render: {step}", d.as_secs_f64() * 1000.0));
        }
        for (d, path) in &self.slowest {
            lines.push(format!("{:>9.1} ms  slowest page: {path}", d.as_secs_f64() * 1000.0));
        }
        lines
    }
}

/// Thread time spent in the steps that run inside the parallel render, in nanoseconds.
#[derive(Default)]
pub(super) struct StageClock {
    pub(super) analyse: AtomicU64,
    pub(super) minify: AtomicU64,
    pub(super) write: AtomicU64,
}

impl StageClock {
    pub(super) fn add(&self, counter: &AtomicU64, started: Instant) {
        counter.fetch_add(u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }
}

/// The process's peak resident memory so far, in MiB (Linux reports it in /proc).
pub(super) fn resident_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}
