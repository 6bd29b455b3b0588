#!/usr/bin/env python3
"""`guidepress serve` under load, on 127.0.0.1 only (Trust issue, item 6). See benches/README.md.

    python3 benches/serve_load.py                     # builds the release binary if it is missing
    python3 benches/serve_load.py --guidepress BIN    # measures a given binary

It serves the sample publication, then measures:

1. idle: the latency of --requests sequential keep-alive requests on one connection (the home
   page, and the status endpoint the reload script polls);
2. under attack: one client pipelines requests for the largest page (16 MiB of answers) and never
   reads, 5 clients send a request head one byte every 200 ms, and --idle connections sit open;
   meanwhile a fresh client's GET / (--fresh times, 250 ms apart) and keep-alive requests are timed.

Every loop is bounded; the server is stopped at the end, and the whole run takes about 15 s.
"""

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def read_response(reader):
    """Reads one HTTP/1.1 response with a Content-Length body; returns (status, body)."""
    status_line = reader.readline()
    if not status_line:
        raise ConnectionError("the server closed the connection")
    status = int(status_line.split()[1])
    length = 0
    while True:
        line = reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    body = reader.read(length)
    return status, body


def connect(port, timeout=10.0):
    sock = socket.create_connection((HOST, port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def keep_alive(port, paths, count):
    """Latencies in ms of `count` sequential requests on one kept-alive connection."""
    sock = connect(port)
    reader = sock.makefile("rb")
    times = []
    for i in range(count):
        path = paths[i % len(paths)]
        started = time.perf_counter()
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
        status, _ = read_response(reader)
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    sock.close()
    return times


def fresh_get(port, path="/"):
    """Milliseconds from connect to the end of a `Connection: close` response, and its status."""
    started = time.perf_counter()
    sock = connect(port)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    sock.close()
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    return (time.perf_counter() - started) * 1000, status


def summary(times):
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return {"n": len(ordered), "median_ms": round(statistics.median(ordered), 3), "p95_ms": round(p95, 3), "max_ms": round(ordered[-1], 3)}


def slow_sender(port, stop, cut):
    """Sends a request head one byte every 200 ms, for at most 10 s; records when it was cut off."""
    sock = connect(port)
    head = f"GET / HTTP/1.1\r\nHost: {HOST}\r\nX-Slow: {'a' * 40}\r\n".encode()
    started = time.perf_counter()
    for byte in head:
        if stop.is_set():
            break
        try:
            sock.send(bytes([byte]))
        except OSError:
            cut.append(time.perf_counter() - started)
            break
        time.sleep(0.2)
    sock.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--guidepress", type=Path, default=REPO / "target/release/guidepress")
    parser.add_argument("--work", type=Path, default=Path("/tmp/guidepress-serve-load"))
    parser.add_argument("--requests", type=int, default=1000, help="keep-alive requests on the idle server")
    parser.add_argument("--idle", type=int, default=300, help="idle connections during the attack")
    parser.add_argument("--fresh", type=int, default=20, help="fresh clients timed during the attack")
    args = parser.parse_args()

    if not args.guidepress.exists():
        subprocess.run(["cargo", "build", "--release", "--bin", "guidepress"], cwd=REPO, check=True)
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    binary = args.work / "guidepress"
    shutil.copy2(args.guidepress, binary)

    server = subprocess.Popen(
        [binary, "serve", "--port", "0", "--content", REPO / "content", "--theme", REPO / "themes/default", "--output", args.work / "output"],
        cwd=args.work, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        first = server.stdout.readline()
        port = int(first.split("http://")[1].split("/")[0].rsplit(":", 1)[1])
        deadline = time.monotonic() + 120
        while "rendered" not in server.stdout.readline():
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("serve did not finish its first build")
        threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
        results = {}

        keep_alive(port, ["/"], 50)  # warm-up
        results["idle keep-alive GET /"] = summary(keep_alive(port, ["/"], args.requests))
        results["idle keep-alive status"] = summary(keep_alive(port, ["/__guidepress/status"], args.requests))
        results["idle fresh connection GET /"] = summary([fresh_get(port)[0] for _ in range(args.fresh)])

        big = "/commissioner/print.html"
        keep_alive(port, [big], 1)
        big_size = (args.work / "output/commissioner/print.html").stat().st_size
        pipelined = max(300, (16 << 20) // big_size + 1)
        attack_started = time.perf_counter()
        pipeliner = connect(port)
        pipeliner.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        pipeliner.sendall(f"GET {big} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode() * pipelined)
        stop, cut = threading.Event(), []
        slow = [threading.Thread(target=slow_sender, args=(port, stop, cut)) for _ in range(5)]
        for thread in slow:
            thread.start()
        idle = [connect(port) for _ in range(args.idle)]
        fresh, statuses = [], []
        for _ in range(args.fresh):
            waited, status = fresh_get(port)
            fresh.append(waited)
            statuses.append(status)
            time.sleep(0.25)
        results["attack fresh connection GET /"] = summary(fresh)
        results["attack keep-alive GET /"] = summary(keep_alive(port, ["/"], 200))
        for thread in slow:
            thread.join(timeout=15)
        stop.set()

        # The pipeliner is dropped once a write has waited 5 s; count what it was sent.
        time.sleep(max(0.0, 8 - (time.perf_counter() - attack_started)))
        pipeliner.settimeout(1)
        received, closed = b"", False
        limit = time.monotonic() + 30
        while time.monotonic() < limit:
            try:
                chunk = pipeliner.recv(1 << 16)
            except socket.timeout:
                continue
            except OSError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            received += chunk
        for sock in idle + [pipeliner]:
            sock.close()

        print(f"\n{'measure':34} {'n':>5} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
        for name, row in results.items():
            print(f"{name:34} {row['n']:>5} {row['median_ms']:>10.3f} {row['p95_ms']:>8.3f} {row['max_ms']:>8.3f}")
        print(f"fresh clients answered 200 during the attack: {statuses.count(200)} of {len(statuses)}")
        print(f"slow senders cut off: {len(cut)} of 5, after {', '.join(f'{c:.1f}' for c in sorted(cut))} s")
        answers = received.count(b"HTTP/1.1 ")
        print(f"the client that never read: {answers} of {pipelined} answers, then {'closed' if closed else 'STILL OPEN'}")
        results.update({"fresh_ok": statuses.count(200), "slow_cut_s": cut, "pipelined": pipelined, "pipeliner_answers": answers, "pipeliner_closed": closed})
        (args.work / "results.json").write_text(json.dumps(results, indent=2))
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
