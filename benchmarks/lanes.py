"""Lookups while slow queries run, beside 16-client throughput, in one run (issue 10).

Over a build (made by `archivekg build` or by benchmarks.run), with the default settings:

1. the p50 and p90 latency of a lookup (benchmarks/queries/lookup-place.rq, one client,
   one request after another) with 0, 2 and 4 slow queries running (an unbounded cross
   product, each held open by a client that hangs up when the sampling ends);
2. 16-client throughput of the same lookup with wrk, against the bare Flask + pyoxigraph
   app (benchmarks/bare_app.py), in interleaved rounds.

    .venv/bin/python -m benchmarks.lanes --build build            # the shipped corpus
    .venv/bin/python -m benchmarks.lanes --build benchmarks/work/build-10000
"""

from __future__ import annotations

import argparse
import http.client
import json
import platform
import shutil
import socket
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from . import run

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def lookup_latency(port: int, seconds: float) -> list[float]:
    """Milliseconds of each lookup, one after another on a kept-alive connection."""
    path = "/sparql?" + urlencode({"query": run.LOOKUP.read_text(encoding="utf-8")})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    samples = []
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            connection.request("GET", path, headers={"Accept": run.JSON_RESULTS})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"lookup answered {response.status}")
            samples.append((time.perf_counter() - started) * 1000)
    finally:
        connection.close()
    return samples


def start_slow(port: int, count: int) -> list[socket.socket]:
    """``count`` slow queries in flight, each on its own connection (closed to stop it)."""
    request = (f"GET /sparql?{urlencode({'query': SLOW})} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               f"Accept: {run.JSON_RESULTS}\r\n\r\n").encode()
    clients = []
    for _ in range(count):
        client = socket.create_connection(("127.0.0.1", port))
        client.sendall(request)
        clients.append(client)
    return clients


def measure(port: int, bare_port: int | None, *, seconds: float, duration: int, reps: int) -> dict:
    figures: dict = {"lookups": {}, "throughput": {}}
    for slow in (0, 2, 4):
        clients = start_slow(port, slow)
        try:
            time.sleep(1.5 if slow else 0)          # past the first lane decision
            samples = lookup_latency(port, seconds)
        finally:
            for client in clients:
                client.close()
        time.sleep(1.0)                             # the hung-up queries are stopped
        figures["lookups"][slow] = {"count": len(samples),
                                    "p50_ms": round(run.percentile(samples, 0.5), 2),
                                    "p90_ms": round(run.percentile(samples, 0.9), 2)}
        run.log(f"lookups with {slow} slow queries: p50 {figures['lookups'][slow]['p50_ms']} ms")
    if shutil.which("wrk") is None:
        figures["throughput"] = {"missing": "wrk is not installed (apt-get install wrk)"}
        return figures
    lookup = urlencode({"query": run.LOOKUP.read_text(encoding="utf-8")})
    urls = {"archivekg": f"http://127.0.0.1:{port}/sparql?{lookup}"}
    if bare_port is not None:
        urls["bare Flask + pyoxigraph"] = f"http://127.0.0.1:{bare_port}/sparql?{lookup}"
    for rep in range(reps):
        for name, url in urls.items():
            result = run.wrk(url, 16, duration)
            figures["throughput"].setdefault(name, []).append(result)
            run.log(f"16 clients, {name}, round {rep + 1}: {result['requests_per_second']:,.0f} req/s")
    return figures


def table(figures: dict) -> str:
    lines = ["slow queries running   lookup p50   lookup p90   lookups"]
    for slow, entry in figures["lookups"].items():
        lines.append(f"{slow:>20}   {entry['p50_ms']:>7.2f} ms   {entry['p90_ms']:>7.2f} ms   {entry['count']:>7}")
    rates = {name: sum(r["requests_per_second"] for r in runs) / len(runs)
             for name, runs in figures["throughput"].items() if isinstance(runs, list)}
    if rates:
        lines.append("")
        bare = rates.get("bare Flask + pyoxigraph")
        for name, rate in rates.items():
            share = f"  ({rate / bare:.0%} of bare)" if bare else ""
            lines.append(f"16 clients, {name}: {rate:,.0f} req/s{share}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, required=True, help="a BUILD_DIR with a current release")
    parser.add_argument("--seconds", type=float, default=5.0, help="lookup sampling per case")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--reps", type=int, default=3, help="interleaved wrk rounds")
    parser.add_argument("--work", type=Path, default=run.HERE / "work" / "lanes")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    release = (args.build / "current").resolve()
    if not release.is_dir():
        sys.exit(f"{args.build}: no current release (run `archivekg build` first)")
    args.work.mkdir(parents=True, exist_ok=True)
    children = []
    try:
        server, port, _ = run.serve_archivekg(args.build, args.work)
        children.append(server)
        bare, bare_port = run.serve_bare(release, args.work)
        children.append(bare)
        figures = measure(port, bare_port, seconds=args.seconds, duration=args.duration, reps=args.reps)
    finally:
        for child in children:
            child.stop()
    report = {"date": datetime.now(UTC).isoformat(timespec="seconds"),
              "machine": run.machine(), "build": str(release), **figures}
    print(table(figures))
    out = args.out or run.HERE / "results" / f"{datetime.now():%Y-%m-%d}-{platform.node()}-lanes.json"
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    run.log(f"wrote {out}")
    return report


if __name__ == "__main__":
    main()
