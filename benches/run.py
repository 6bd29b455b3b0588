#!/usr/bin/env python3
"""guidepress vs Hugo build benchmark (issue 7). See benches/README.md.

    python3 benches/run.py                      # N = 250 1000 4000 16000, 1 warm-up + 5 builds each
    python3 benches/run.py --sizes 250 1000     # fewer sizes
    python3 benches/run.py --runs 16000=1 --warmup 16000=0   # fewer builds at the largest size

For each N it generates the corpus (examples/corpus.rs, guidepress and Hugo versions of the same
texts), then times `guidepress build` and `hugo --minify`: one warm-up build, then the timed builds,
each into a fresh, empty output folder ("cold output folder": the page cache cannot be dropped
here, so the input files are warm). It records the median wall time, pages per second (HTML files
written / median time) and the peak resident memory reported by /usr/bin/time -v.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def sh(cmd, **kw):
    print("+ " + " ".join(str(c) for c in cmd), file=sys.stderr, flush=True)
    return subprocess.run([str(c) for c in cmd], check=True, **kw)


def ensure_tools():
    """Installs Debian's `time` and `hugo` packages when they are missing (the machine is root)."""
    missing = [pkg for pkg, path in (("time", "/usr/bin/time"), ("hugo", shutil.which("hugo"))) if not path or not Path(path).exists()]
    if missing:
        sh(["apt-get", "update", "-qq"])
        sh(["apt-get", "install", "-y", "-qq", *missing])


def count_pages(folder):
    return sum(1 for p in Path(folder).rglob("*.html"))


def timed(cmd, out_dir, cwd=None, env=None):
    """Runs one build into a fresh output folder. Returns (wall seconds, peak RSS in KiB)."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    time_file = out_dir.parent / (out_dir.name + ".time")
    full = ["/usr/bin/time", "-v", "-o", str(time_file), *[str(c) for c in cmd]]
    start = time.perf_counter()
    result = subprocess.run(full, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"build failed ({result.returncode}): {' '.join(full)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    rss = None
    for line in time_file.read_text().splitlines():
        if "Maximum resident set size" in line:
            rss = int(line.split(":")[1])
    return wall, rss


def measure(name, cmd_for, out_base, warmups, runs, cwd=None, env=None):
    for i in range(warmups):
        print(f"  {name}: warm-up {i + 1}/{warmups}", file=sys.stderr, flush=True)
        timed(cmd_for(out_base / "warm"), out_base / "warm", cwd, env)
    walls, rsses = [], []
    pages = None
    for i in range(runs):
        out = out_base / f"run{i}"
        wall, rss = timed(cmd_for(out), out, cwd, env)
        if pages is None:
            pages = count_pages(out)
        walls.append(wall)
        rsses.append(rss)
        print(f"  {name}: run {i + 1}/{runs}: {wall:.2f} s, {rss / 1024:.0f} MiB", file=sys.stderr, flush=True)
        shutil.rmtree(out)
    shutil.rmtree(out_base / "warm", ignore_errors=True)
    median = statistics.median(walls)
    return {"runs": walls, "median_s": median, "pages": pages, "pages_per_s": pages / median, "peak_rss_mib": max(rsses) / 1024}


def per_size(spec, default):
    """Parses ["16000=1", ...] into {16000: 1}."""
    table = {}
    for item in spec or []:
        n, value = item.split("=")
        table[int(n)] = int(value)
    return lambda n: table.get(n, default)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 1000, 4000, 16000])
    parser.add_argument("--runs", nargs="*", help="timed builds per size, e.g. 16000=1 (default 5)")
    parser.add_argument("--warmup", nargs="*", help="warm-up builds per size, e.g. 16000=0 (default 1)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/guidepress-bench"), help="where corpora and outputs go")
    parser.add_argument("--guidepress", type=Path, help="a guidepress binary (default: cargo build --release)")
    parser.add_argument("--corpus", type=Path, help="a corpus generator binary (default: cargo build --release --example corpus)")
    parser.add_argument("--theme", type=Path, default=REPO / "themes/default")
    parser.add_argument("--no-hugo", action="store_true", help="time guidepress only")
    parser.add_argument("--results", type=Path, help="also write the table to this file")
    parser.add_argument("--outputs", type=Path, help="where the built sites go (default: --work); e.g. /dev/shm to keep the disk out of the measurement")
    parser.add_argument("--serve-size", type=int, default=4000, help="the corpus size for the serve edit latency (0: skip)")
    parser.add_argument("--serve-edits", type=int, default=5, help="edits timed under serve")
    args = parser.parse_args()
    runs_for = per_size(args.runs, 5)
    warmups_for = per_size(args.warmup, 1)

    ensure_tools()
    if args.guidepress is None or args.corpus is None:
        sh(["cargo", "build", "--release", "--bin", "guidepress", "--example", "corpus"], cwd=REPO)
    guidepress = args.guidepress or REPO / "target/release/guidepress"
    corpus = args.corpus or REPO / "target/release/examples/corpus"
    args.work.mkdir(parents=True, exist_ok=True)
    # Snapshot the binaries so a rebuild during the run cannot change what is measured.
    gp_bin = args.work / "guidepress"
    shutil.copy2(guidepress, gp_bin)
    hugo_version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip()
    env = dict(os.environ, HUGO_CACHEDIR=str(args.work / "hugo-cache"))

    outputs = args.outputs or args.work
    outputs.mkdir(parents=True, exist_ok=True)
    results = {}
    for n in args.sizes:
        content, hugo_site = args.work / f"corpus-{n}", args.work / f"hugo-{n}"
        sh([corpus, "--statements", n, "--out", content, "--hugo", hugo_site])
        row = {}
        row["guidepress"] = measure(
            f"guidepress N={n}",
            lambda out: [gp_bin, "build", "--quiet", "--content", content, "--theme", args.theme, "--output", out],
            outputs / f"gp-out-{n}",
            warmups_for(n),
            runs_for(n),
        )
        if not args.no_hugo:
            row["hugo"] = measure(
                f"hugo N={n}",
                lambda out: ["hugo", "--minify", "--quiet", "--source", hugo_site, "--destination", out],
                outputs / f"hugo-out-{n}",
                warmups_for(n),
                runs_for(n),
                env=env,
            )
        row["warmups"], row["timed_runs"] = warmups_for(n), runs_for(n)
        results[n] = row

    serve = None
    if args.serve_size:
        content = args.work / f"corpus-{args.serve_size}"
        if not content.exists():
            sh([corpus, "--statements", args.serve_size, "--out", content])
        serve = serve_latency(gp_bin, content, args.theme, outputs / "serve-out", args.serve_edits)
        results["serve"] = serve
    lines = report(results, args, hugo_version)
    text = "\n".join(lines) + "\n"
    print(text)
    (args.work / "results.json").write_text(json.dumps({str(k): v for k, v in results.items()}, indent=2))
    if args.results:
        args.results.write_text(text)


def serve_latency(gp_bin, content, theme, out, edits):
    """Starts `guidepress serve`, edits one statement's plain-English summary `edits` times, and
    times each edit from the moment the file is written until the statement's carer page on disk
    has the new text, and until the server has finished the rebuild (its own log line)."""
    import re
    import tempfile
    work = Path(tempfile.mkdtemp(prefix="guidepress-serve-"))
    copy = work / "content"
    shutil.copytree(content, copy)
    if out.exists():
        shutil.rmtree(out)
    proc = subprocess.Popen(
        [str(gp_bin), "serve", "--content", str(copy), "--theme", str(theme), "--output", str(out), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)

    import queue
    import threading
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(l) for l in proc.stdout], daemon=True).start()

    seen = []

    def wait_line(pattern, timeout):
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            try:
                line = lines.get(timeout=0.05)
            except queue.Empty:
                continue
            seen.append(line)
            if re.search(pattern, line):
                return line
        raise SystemExit(f"serve: no line matching {pattern!r} within {timeout} s")

    try:
        wait_line(r"rendered .* pages", 600)
        statement = sorted((copy / "statements").glob("*.md"))[len(list((copy / "statements").glob("*.md"))) // 2]
        original = statement.read_text()
        statement_id = re.search(r"^id: *(\S+)", original, re.M).group(1)
        page = out / "carer" / "statements" / f"{statement_id}.html"
        on_disk, rebuilt, logged, quick_logged = [], [], [], []
        for i in range(edits):
            time.sleep(1.0)
            marker = f"Edit{i}marker"
            text = re.sub(r"(plain: >-\n(\s+))", lambda m: m.group(1) + marker + " ", original, count=1)
            if text == original:
                raise SystemExit(f"serve: {statement} has no `plain:` line to edit")
            seen.clear()
            start = time.perf_counter()
            statement.write_text(text)
            page_seen = None
            while time.perf_counter() - start < 600:
                if page.exists() and marker.encode() in page.read_bytes():
                    page_seen = time.perf_counter() - start
                    break
                time.sleep(0.002)
            line = wait_line(r"rendered .* pages", 600)
            done = time.perf_counter() - start
            ms = re.search(r"in (\d+) ms", line)
            # serve's own time for the edited statement's pages, from the change it saw to written.
            quick = next((re.search(r"in (\d+) ms", l) for l in seen if "of the edited statement" in l), None)
            on_disk.append(page_seen)
            rebuilt.append(done)
            logged.append(int(ms.group(1)) if ms else None)
            quick_logged.append(int(quick.group(1)) if quick else None)
            print(f"  serve edit {i + 1}/{edits}: page on disk after {page_seen * 1000:.0f} ms "
                  f"(serve's own time for it: {quick.group(1) + ' ms' if quick else 'no quick update'}); "
                  f"rebuild finished after {done * 1000:.0f} ms ({line.strip()})", file=sys.stderr, flush=True)
        return {"corpus": str(content), "page": str(page.relative_to(out)), "on_disk_ms": [s * 1000 for s in on_disk],
                "rebuild_ms": [d * 1000 for d in rebuilt], "logged_ms": logged, "quick_logged_ms": quick_logged,
                "median_on_disk_ms": statistics.median(s * 1000 for s in on_disk), "median_rebuild_ms": statistics.median(d * 1000 for d in rebuilt)}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def report(results, args, hugo_version):
    lines = []
    lines.append(f"guidepress vs Hugo, cold output folder, median of the timed builds ({os.cpu_count()} CPUs; {hugo_version})")
    lines.append("")
    head = f"{'N':>6} {'pages':>7} {'builds':>6} | {'gp s':>7} {'gp pages/s':>10} {'gp MiB':>7} | {'hugo s':>7} {'hugo pages/s':>12} {'hugo MiB':>8} | {'gp/hugo':>7}"
    lines.append(head)
    lines.append("-" * len(head))
    for n, row in results.items():
        if n == "serve":
            continue
        gp = row["guidepress"]
        builds = f"{row['warmups']}+{row['timed_runs']}"
        if "hugo" in row:
            hg = row["hugo"]
            ratio = gp["pages_per_s"] / hg["pages_per_s"]
            lines.append(
                f"{n:>6} {gp['pages']:>7} {builds:>6} | {gp['median_s']:>7.2f} {gp['pages_per_s']:>10.0f} {gp['peak_rss_mib']:>7.0f} | "
                f"{hg['median_s']:>7.2f} {hg['pages_per_s']:>12.0f} {hg['peak_rss_mib']:>8.0f} | {ratio:>6.2f}x"
            )
        else:
            lines.append(f"{n:>6} {gp['pages']:>7} {builds:>6} | {gp['median_s']:>7.2f} {gp['pages_per_s']:>10.0f} {gp['peak_rss_mib']:>7.0f} |")
    lines.append("")
    lines.append("builds = warm-up builds + timed builds; pages = HTML files written (Hugo's count is in results.json)")
    lines.append("scaling t(4N)/t(N) (target: at most 4.4):")
    sizes = [n for n in results if n != "serve"]
    for a, b in zip(sizes, sizes[1:]):
        if b == 4 * a:
            for tool in ("guidepress", "hugo"):
                if tool in results[a] and tool in results[b]:
                    lines.append(f"  {tool:<10} {a:>5} -> {b:>5}: {results[b][tool]['median_s'] / results[a][tool]['median_s']:.2f}")
    serve = results.get("serve")
    if serve:
        lines.append(f"serve edit latency ({serve['corpus']}, {serve['page']}; target 100 ms): "
                     f"median {serve['median_on_disk_ms']:.0f} ms until the page is on disk, "
                     f"{serve['median_rebuild_ms']:.0f} ms until every page that lists it was rebuilt "
                     f"(each: {', '.join(f'{x:.0f}' for x in serve['on_disk_ms'])} ms; serve's own time from "
                     f"seeing the change to the page written: {', '.join('-' if x is None else str(x) for x in serve['quick_logged_ms'])} ms)")
    return lines


if __name__ == "__main__":
    main()
