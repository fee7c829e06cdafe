"""Throughput of simple lookups against an existing build, by QUERY_WORKERS, run by hand.

`benchmarks.run` measures throughput once, with the default settings, after building the
corpora (an hour).  This measures only that, over a build already made (by run.py or by
`archivekg build`), for several QUERY_WORKERS values in turn, each beside the bare Flask +
pyoxigraph baseline (benchmarks/bare_app.py) in the same run, interleaved so that noise
falls on all alike:

    .venv/bin/python -m benchmarks.throughput --build benchmarks/work/build-10000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from . import run


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, required=True, help="a BUILD_DIR with a current release")
    parser.add_argument("--query-workers", default="1,2", help="QUERY_WORKERS values to compare")
    parser.add_argument("--clients", default="16")
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run")
    parser.add_argument("--reps", type=int, default=2, help="rounds over all servers")
    parser.add_argument("--work", type=Path, default=run.HERE / "work" / "throughput")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    release = (args.build / "current").resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    lookup = urlencode({"query": run.LOOKUP.read_text(encoding="utf-8")})
    report: dict = {"date": datetime.now(UTC).isoformat(timespec="seconds"),
                    "machine": run.machine(), "build": str(release), "runs": []}
    children, urls = [], {}
    saved = os.environ.get("ARCHIVEKG_QUERY_WORKERS")
    try:
        for workers in args.query_workers.split(","):
            os.environ["ARCHIVEKG_QUERY_WORKERS"] = workers
            child, port, _ = run.serve_archivekg(args.build, args.work)
            children.append(child)
            urls[f"archivekg, QUERY_WORKERS={workers}"] = f"http://127.0.0.1:{port}/sparql?{lookup}"
        os.environ.pop("ARCHIVEKG_QUERY_WORKERS")
        bare, port = run.serve_bare(release, args.work)
        children.append(bare)
        urls["bare Flask + pyoxigraph"] = f"http://127.0.0.1:{port}/sparql?{lookup}"
        for clients in (int(n) for n in args.clients.split(",")):
            for rep in range(args.reps):
                for name, url in urls.items():
                    figures = run.wrk(url, clients, args.duration)
                    report["runs"].append({"server": name, "clients": clients, "round": rep, **figures})
                    run.log(f"{name}, {clients} clients, round {rep + 1}: "
                            f"{figures['requests_per_second']:,.0f} req/s, {figures['errors']} errors")
    finally:
        for child in children:
            child.stop()
        if saved is not None:
            os.environ["ARCHIVEKG_QUERY_WORKERS"] = saved
    print(table(report))
    out = args.out or run.HERE / "results" / f"{datetime.now():%Y-%m-%d}-{platform.node()}-throughput.json"
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    run.log(f"wrote {out}")
    return report


def table(report: dict) -> str:
    """Each server's requests per second summed over the rounds, against the baseline's."""
    lines = ["clients  server                                 req/s   of bare  errors"]
    for clients in sorted({r["clients"] for r in report["runs"]}):
        runs = [r for r in report["runs"] if r["clients"] == clients]
        total = {}
        for r in runs:
            rate, errors = total.get(r["server"], (0.0, 0))
            total[r["server"]] = (rate + r["requests_per_second"], errors + r["errors"])
        bare = total.get("bare Flask + pyoxigraph", (0.0, 0))[0]
        for server, (rate, errors) in total.items():
            share = f"{rate / bare:7.0%}" if bare else "      -"
            lines.append(f"{clients:>7}  {server:<37} {rate / report_rounds(runs, server):8,.0f} {share}  {errors:>6}")
    return "\n".join(lines)


def report_rounds(runs: list[dict], server: str) -> int:
    return max(1, sum(1 for r in runs if r["server"] == server))


if __name__ == "__main__":
    main()
