"""The reconciliation service at scale: a 50-name batch and entity suggest over HTTP.

Over a build of the synthetic corpus (``benchmarks.generate``, which heads its registries with
the shipped ones), ``archivekg serve --workers 1`` is started and asked:

1. the first reconciliation query, which builds the entity index of the release (cold);
2. the 50-name partner sheet of the tests (``tests/reconcile/partner_sheet.tsv``: other
   romanizations, Cyrillic, Hangul, initials, surname first, with types and properties), sent
   as one batch by POST, ``--batches`` times; the time until the whole answer is read;
3. ``--suggests`` entity suggest requests, prefixes of 1-8 characters of the registries' names,
   one after another on a kept-alive connection.

It prints the figures, and how many of the 50 names came back right first at that size (the
corpus adds thousands of namesakes).

    .venv/bin/python -m benchmarks.reconcile_bench --documents 1000      # generates and builds
    .venv/bin/python -m benchmarks.reconcile_bench --build benchmarks/work/build-10000
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import random
import statistics
import time
from pathlib import Path
from urllib.parse import urlencode

import yaml

from . import run

ROOT = Path(__file__).resolve().parent.parent
SHEET = ROOT / "tests" / "reconcile" / "partner_sheet.tsv"
WORK = ROOT / "benchmarks" / "work"


def sheet_batch() -> tuple[dict, dict[str, str]]:
    with SHEET.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader([line for line in handle if line.strip() and not line.startswith("#")],
                                   delimiter="\t", quoting=csv.QUOTE_NONE))
    batch, expected = {}, {}
    for number, row in enumerate(rows):
        query = {"query": row["query"], "type": row["type"], "type_strict": "should", "limit": 5}
        if row["properties"]:
            query["properties"] = json.loads(row["properties"])
        batch[f"q{number}"] = query
        expected[f"q{number}"] = row["expected"]
    return batch, expected


def prefixes(data: Path, count: int, seed: int) -> list[str]:
    names = []
    for path in sorted((data / "entities").glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            names.append(entry["name"])
    rng = random.Random(seed)
    return [name[:rng.randint(1, 8)] for name in rng.choices(names, k=count)]


class Client:
    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def call(self, method: str, path: str, body: bytes | None = None) -> tuple[float, bytes]:
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # The server closes a kept-alive connection idle for a few seconds: open another.
            self.connection.close()
            started = time.perf_counter()
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        answer = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise RuntimeError(f"{method} {path[:80]} answered {response.status}: {answer[:300]!r}")
        return elapsed, answer

    def close(self) -> None:
        self.connection.close()


def figures(samples: list[float]) -> str:
    return (f"p50 {run.percentile(samples, 50):.1f} ms, p90 {run.percentile(samples, 90):.1f} ms, "
            f"p99 {run.percentile(samples, 99):.1f} ms, mean {statistics.mean(samples):.1f} ms (n={len(samples)})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--build", type=Path, help="a build folder of a generated corpus")
    where.add_argument("--documents", type=int, help="generate a corpus of this size and build it (no validation)")
    parser.add_argument("--data", type=Path, help="the data/ of the build (default: beside the build)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batches", type=int, default=20, help="times the 50-name batch is sent")
    parser.add_argument("--suggests", type=int, default=1000, help="suggest requests")
    arguments = parser.parse_args(argv)

    if arguments.documents:
        data = WORK / f"gen{arguments.documents}" / "data"
        build_dir = WORK / f"build-{arguments.documents}"
        if not data.is_dir():
            from .generate import generate
            run.log(f"generating {arguments.documents} documents")
            generate(arguments.documents, arguments.seed, data.parent)
        if not (build_dir / "current").exists():
            run.log("building (no validation)")
            result = run.build(data, build_dir, validate=False)
            run.log(f"built in {result.get('seconds', 0):.0f} s")
    else:
        build_dir = arguments.build
        data = arguments.data or build_dir.parent / build_dir.name.replace("build-", "gen") / "data"
    if not data.is_dir():
        parser.error(f"no data folder at {data}: give --data")

    words = prefixes(data, arguments.suggests, arguments.seed)
    port = run.free_port()
    env = dict(os.environ, ARCHIVEKG_BUILD_DIR=str(build_dir), ARCHIVEKG_LOG_LEVEL="WARNING")
    child = run.Child([run.PY, "-m", "archivekg.cli.serve", "--host", "127.0.0.1", "--port", str(port),
                       "--workers", "1"], env=env, log_path=build_dir.parent / "reconcile-bench-serve.log")
    client = None
    try:
        run.wait_answered("127.0.0.1", port, "/sparql", 300, child)
        client = Client(port)
        batch, expected = sheet_batch()
        body = urlencode({"queries": json.dumps(batch, ensure_ascii=False)}).encode()
        cold, answer = client.call("POST", "/reconcile", body)
        print(f"corpus: {build_dir} ({data})")
        print(f"first batch (builds the entity index of the release): {cold / 1000:.1f} s")
        found = json.loads(answer)
        right = sum(bool(found[k]["result"]) and found[k]["result"][0]["id"] == v for k, v in expected.items())
        wrong = sum(c["match"] and c["id"] != expected[k] for k in expected for c in found[k]["result"])
        print(f"partner sheet at this size: {right}/{len(expected)} right first, {wrong} wrong match")
        samples = [client.call("POST", "/reconcile", body)[0] for _ in range(arguments.batches)]
        print(f"50-name batch: {figures(samples)}")
        client.call("GET", "/reconcile/suggest/entity?" + urlencode({"prefix": "warm"}))
        samples = [client.call("GET", "/reconcile/suggest/entity?" + urlencode({"prefix": prefix}))[0]
                   for prefix in words]
        print(f"entity suggest: {figures(samples)}")
    finally:
        if client is not None:
            client.close()
        child.stop()


if __name__ == "__main__":
    main()
