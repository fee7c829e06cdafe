"""Search and the index pages over HTTP, beside the same lookups in SPARQL, on a synthetic corpus.

``python -m benchmarks.search_bench --documents 1000 [--seed 1] [--reps 200] [--work DIR]
[--no-validation]`` generates the corpus (benchmarks/generate.py), builds it as `archivekg build`
does (in a child process, with validation unless told), changes one document and builds
again (the rebuild), serves the release with `archivekg serve` and asks it, one request at a
time on a kept-alive connection:

- search: single words of the texts (common and rare) and names in the forms people type them
  (as written, lower case, other word order, another script, a typo), as JSON and as the
  HTML page;
- autocomplete: prefixes of 1-8 letters of names;
- index pages of 50 rows: persons by name, events by date, statements, a later page;
- the same lookups in SPARQL on /sparql: CONTAINS over the literals a search reads, REGEX on
  the names, STRSTARTS for a prefix, ORDER BY/LIMIT/OFFSET for a page.

It prints p50/p99 of each and the build figures (the search index step against the whole
build, and against a one-document rebuild), and writes them to
``results/<date>-<host>-search-<N>.json``.  Every request is checked to succeed (200).
"""

from __future__ import annotations

import argparse
import http.client
import json
import platform
import random
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import yaml

from benchmarks.generate import generate
from benchmarks.names_bench import OTHER_SCRIPTS, typo
from benchmarks.run import build, change_one_document, machine, percentile, serve_archivekg

HERE = Path(__file__).resolve().parent
AKG = "https://w3id.org/archivekg/ontology#"
WORDS = ["procurement", "sowing", "resettlement", "border", "grain", "advisers", "embezzlement",
         "railways", "fishing", "cadres", "secret", "families", "plenum", "criticism", "copy"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Client:
    """One kept-alive connection; ``get`` returns the seconds until the whole answer is read."""

    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, path: str, accept: str) -> float:
        started = time.perf_counter()
        try:
            self.connection.request("GET", path, headers={"Accept": accept})
            response = self.connection.getresponse()
            body = response.read()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            raise
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.status}: {body[:300]!r}")
        return elapsed


def names_of(data: Path) -> list[tuple[str, str]]:
    """(name, type) of every registry entry of the corpus."""
    found = []
    for path in sorted((data / "entities").glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            found.append((entry["name"], entry["type"]))
    return found


def name_queries(rng: random.Random, names: list[tuple[str, str]], count: int) -> list[str]:
    made = []
    persons = [n for n, t in names if t == "Person"]
    for _ in range(count):
        kind = rng.choice(["as written", "lower case", "other order", "other script", "typo"])
        name = rng.choice(persons if kind == "other order" else [n for n, _ in names])
        if kind == "lower case":
            name = name.lower()
        elif kind == "other order":
            words = name.split()
            name = " ".join(words[-1:] + words[:-1])
        elif kind == "other script":
            name = rng.choice(OTHER_SCRIPTS)
        elif kind == "typo":
            name = typo(rng, name)
        made.append(name)
    return made


def sparql(text: str) -> str:
    return "/sparql?" + urlencode({"query": f"PREFIX akg: <{AKG}>\n{text}"})


def literal(text: str) -> str:
    return json.dumps(text.lower(), ensure_ascii=False)


def plan(rng: random.Random, names: list[tuple[str, str]], reps: int, persons: int) -> dict[str, list[tuple]]:
    """(path, Accept) of each request of each group."""
    json_type, html = "application/json", "text/html"
    words = [rng.choice(WORDS) for _ in range(reps)]
    people = name_queries(rng, names, reps)
    prefixes = []
    for _ in range(reps):
        name = rng.choice(names)[0]
        prefixes.append(name[:rng.randint(1, min(8, len(name)))])
    pages = max(1, persons // 50)
    groups = {
        "search: a word (JSON)": [(f"/search?{urlencode({'q': w, 'format': 'json'})}", json_type) for w in words],
        "search: a word (page)": [(f"/search?{urlencode({'q': w})}", html) for w in words],
        "search: a name (JSON)": [(f"/search?{urlencode({'q': n, 'format': 'json'})}", json_type) for n in people],
        "search: a name (page)": [(f"/search?{urlencode({'q': n})}", html) for n in people],
        "autocomplete": [(f"/search/complete?{urlencode({'q': p})}", json_type) for p in prefixes],
        "index page, 50 rows": [
            rng.choice([(f"/browse/persons?page={rng.randint(1, pages)}", html),
                        ("/browse/events?sort=date", html), ("/browse/statements?page=2", html),
                        (f"/browse/persons?sort=mentions&page={rng.randint(1, pages)}", html)])
            for _ in range(reps)],
        "SPARQL: a word (CONTAINS)": [(sparql(
            f"SELECT ?s ?text WHERE {{ VALUES ?p {{ akg:quote akg:label akg:name akg:title }} ?s ?p ?text "
            f"FILTER(CONTAINS(LCASE(STR(?text)), {literal(w)})) }} LIMIT 20"), "application/sparql-results+json")
            for w in words],
        "SPARQL: a name (REGEX)": [(sparql(
            f"SELECT ?s ?name WHERE {{ VALUES ?p {{ akg:name akg:nameVariant }} ?s ?p ?name "
            f"FILTER(REGEX(STR(?name), {json.dumps(_regex(n), ensure_ascii=False)}, \"i\")) }} LIMIT 20"),
            "application/sparql-results+json") for n in people],
        "SPARQL: a prefix (STRSTARTS)": [(sparql(
            f"SELECT DISTINCT ?s ?name WHERE {{ VALUES ?p {{ akg:name akg:nameVariant }} ?s ?p ?name "
            f"FILTER(STRSTARTS(LCASE(STR(?name)), {literal(p)})) }} LIMIT 8"), "application/sparql-results+json")
            for p in prefixes],
        "SPARQL: a page of 50 (ORDER BY)": [(sparql(
            f"SELECT ?p ?name WHERE {{ ?p a akg:Person ; akg:name ?name }} ORDER BY LCASE(?name) LIMIT 50 "
            f"OFFSET {50 * rng.randint(0, pages - 1)}"), "application/sparql-results+json") for _ in range(reps)],
    }
    return groups


def _regex(name: str) -> str:
    special = set("\\^$.|?*+()[]{}")
    return "".join("\\" + c if c in special else c for c in name)


def measure(port: int, groups: dict[str, list[tuple]]) -> dict[str, dict]:
    """Each group's requests, interleaved round-robin so that load falls on all alike; the
    first request of each group is a warm-up and not counted."""
    client = Client(port)
    times: dict[str, list[float]] = {name: [] for name in groups}
    try:
        for requests in groups.values():
            client.get(*requests[0])
        longest = max(len(r) for r in groups.values())
        for position in range(longest):
            for name, requests in groups.items():
                if position < len(requests):
                    times[name].append(client.get(*requests[position]))
    finally:
        client.connection.close()
    return {name: {"n": len(values), "p50_ms": round(percentile(values, 50) * 1000, 2),
                   "p99_ms": round(percentile(values, 99) * 1000, 2),
                   "max_ms": round(max(values) * 1000, 2)} for name, values in times.items()}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reps", type=int, default=200, help="requests per group")
    parser.add_argument("--work", type=Path, default=HERE / "work" / "search")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--no-validation", action="store_true", help="build without SHACL validation")
    args = parser.parse_args(argv)
    work = args.work / str(args.documents)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    log(f"generating {args.documents} documents")
    data = generate(args.documents, args.seed, work / "corpus")
    validate = not args.no_validation
    log(f"full build ({'with' if validate else 'without'} validation)")
    full = build(data, work / "build", validate=validate)
    changed = change_one_document(data, 1)
    log(f"one-document rebuild ({changed})")
    rebuilt = build(data, work / "build", validate=validate)
    if not rebuilt["incremental"]:
        raise RuntimeError("the rebuild was not incremental")
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine(),
        "documents": args.documents, "seed": args.seed, "reps": args.reps, "validated": validate,
        "build": {"seconds": full["seconds"], "search_index_seconds": full["steps"].get("search index"),
                  "steps": full["steps"], "triples": full["triples"]},
        "rebuild": {"seconds": rebuilt["seconds"], "changed": changed,
                    "search_index_seconds": rebuilt["steps"].get("search index (changed documents)"),
                    "steps": rebuilt["steps"]},
    }
    index = full["steps"].get("search index") or 0
    report["build"]["search_index_share"] = round(index / (full["seconds"] - index), 4)
    log("serving")
    child, port, started = serve_archivekg(work / "build", work)
    try:
        report["server_start_seconds"] = round(started, 2)
        rng = random.Random(args.seed)
        persons = sum(1 for _, t in names_of(data) if t == "Person")
        report["latency"] = measure(port, plan(rng, names_of(data), args.reps, persons))
    finally:
        child.stop()
    print_table(report)
    out = args.out or HERE / "results" / (
        f"{datetime.now(UTC):%Y-%m-%d}-{platform.node() or 'host'}-search-{args.documents}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    log(f"written to {out}")
    return report


def print_table(report: dict) -> None:
    build_, rebuild = report["build"], report["rebuild"]
    print(f"{report['documents']} documents, {build_['triples']:,} triples; "
          f"{'with' if report['validated'] else 'without'} validation")
    print(f"full build {build_['seconds']:.1f} s, of which the search index {build_['search_index_seconds']:.2f} s "
          f"({100 * build_['search_index_share']:.1f}% added to the rest of the build)")
    print(f"one-document rebuild {rebuild['seconds']:.2f} s, of which the search index "
          f"{rebuild['search_index_seconds']:.2f} s")
    print(f"server start {report['server_start_seconds']:.2f} s")
    print(f"{'requests':<36} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name, figures in report["latency"].items():
        print(f"{name:<36} {figures['n']:>5} {figures['p50_ms']:>8.2f} {figures['p99_ms']:>8.2f} "
              f"{figures['max_ms']:>8.2f}")


if __name__ == "__main__":
    main()
