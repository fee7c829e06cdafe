"""archivekg in front of an external store (issue 16), measured in one run:

1. a synthetic corpus generated and built once (validation off: its cost is measured by
   run.py, and the data is the same);
2. Virtuoso started on loopback; `archivekg publish` of the release into it, timed (all the
   graphs), then one document changed, rebuilt and published again (only what changed);
3. `archivekg serve --store` (gunicorn, the project's settings) beside Virtuoso queried
   directly, both over HTTP on one kept-alive connection, round-robin: the competency and
   heavy queries, with our prefixes declared, one untimed run then ``--reps`` timed runs.

    .venv/bin/python -m benchmarks.store --documents 1000

Prints a table and writes ``results/<date>-<host>-store.json``.  Targets: through archivekg,
at most 1.3x Virtuoso's own time on the heavy queries and at most 2 ms more on the
competency ones.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import time
from datetime import date
from pathlib import Path

from archivekg import settings as settings_module
from archivekg.release.publish import publish

from .generate import generate
from .run import (
    COMPETENCY,
    HEAVY,
    PY,
    Child,
    Http,
    build,
    change_one_document,
    free_port,
    latency,
    log,
    machine,
    percentile,
    wait_answered,
)
from .virtuoso.server import Virtuoso

HERE = Path(__file__).resolve().parent
THROUGH, DIRECT = "archivekg serve --store", "Virtuoso directly"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=HERE / "work" / "store")
    parser.add_argument("--reps", type=int, default=20, help="timed runs of each competency query")
    parser.add_argument("--heavy-reps", type=int, default=10, help="timed runs of each heavy query")
    args = parser.parse_args(argv)
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    report: dict = {"machine": machine(), "documents": args.documents}

    data = work / f"corpus-{args.documents}" / "data"
    if not data.is_dir():
        log(f"generate {args.documents} documents")
        generate(args.documents, args.seed, work / f"corpus-{args.documents}")
    out = work / f"build-{args.documents}"
    log("build (validation off)")
    report["build"] = {k: v for k, v in build(data, out, validate=False, incremental=False).items()
                       if k != "dumps"}

    virtuoso = Virtuoso(work / "virtuoso", free_port(), free_port())
    children: list[Child] = []
    try:
        report["virtuoso"] = {"version": virtuoso.version(),
                              "start_seconds": round(virtuoso.start(work), 2)}
        root = f"http://127.0.0.1:{virtuoso.http_port}"
        settings = settings_module.load({
            "BUILD_DIR": str(out), "STORE_URL": root + "/sparql-auth",
            "STORE_GRAPH_STORE_URL": root + "/sparql-graph-crud-auth",
            "STORE_USER": "dba", "STORE_PASSWORD": "dba"}, environ={})
        report["publish"] = {"full": _publish(settings, "publish: every graph")}
        changed = change_one_document(data, 1)
        log(f"rebuild after a change to {changed}")
        report["rebuild_seconds"] = build(data, out, validate=False)["seconds"]
        report["publish"]["one_document_changed"] = _publish(settings, "publish: what changed")

        port = free_port()
        env = dict(os.environ, ARCHIVEKG_BUILD_DIR=str(work / "no-build"), ARCHIVEKG_LOG_LEVEL="WARNING",
                   ARCHIVEKG_STORE_URL=root + "/sparql")
        child = Child([PY, "-m", "archivekg.cli.serve", "--host", "127.0.0.1", "--port", str(port)],
                      env=env, log_path=work / "archivekg-serve-store.log")
        children.append(child)
        wait_answered("127.0.0.1", port, "/sparql", 120, child)
        engines = [Http(THROUGH, "127.0.0.1", port), Http(DIRECT, "127.0.0.1", virtuoso.http_port)]
        # A shared machine: the load beside the run says how far the figures can be trusted.
        report["load_average_before"] = os.getloadavg()
        report["latency"] = latency(engines, {"competency": COMPETENCY, "heavy": HEAVY},
                                    {"competency": args.reps, "heavy": args.heavy_reps})
        report["load_average_after"] = os.getloadavg()
    finally:
        for child in children:
            child.stop()
        virtuoso.stop()

    report["summary"] = summary(report["latency"])
    results = HERE / "results" / f"{date.today()}-{socket.gethostname()}-store.json"
    results.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print_table(report)
    log(f"written {results}")


def _publish(settings: dict, what: str) -> dict:
    log(what)
    started = time.perf_counter()
    result = publish(settings)
    return {"seconds": round(time.perf_counter() - started, 2), "graphs_sent": len(result.sent),
            "graphs_unchanged": result.unchanged, "mib_sent": round(result.bytes_sent / 2**20, 1),
            "steps": {k: round(v, 2) for k, v in result.seconds.items()}}


def summary(figures: dict) -> dict:
    """Per query: the two p50s, their ratio and difference; pooled p50 per group."""
    out: dict = {"queries": {}, "groups": {}}
    for name, ours in figures[THROUGH].items():
        theirs = figures[DIRECT].get(name, {})
        if "p50_ms" not in ours or "p50_ms" not in theirs:
            out["queries"][name] = {"group": ours.get("group"), "rows": [ours.get("rows"), theirs.get("rows")]}
            continue
        out["queries"][name] = {
            "group": ours["group"], "through_ms": round(ours["p50_ms"], 2), "direct_ms": round(theirs["p50_ms"], 2),
            "ratio": round(ours["p50_ms"] / theirs["p50_ms"], 2),
            "extra_ms": round(ours["p50_ms"] - theirs["p50_ms"], 2),
            "same_rows": ours["rows"] == theirs["rows"]}
    for group in ("competency", "heavy"):
        pooled = {engine: [s for entry in figures[engine].values() if entry.get("group") == group
                           for s in entry.get("samples_ms", [])] for engine in (THROUGH, DIRECT)}
        rows = [q for q in out["queries"].values() if q["group"] == group and "ratio" in q]
        if not rows:
            continue
        out["groups"][group] = {
            "pooled_p50_through_ms": round(percentile(pooled[THROUGH], 50), 2),
            "pooled_p50_direct_ms": round(percentile(pooled[DIRECT], 50), 2),
            "median_extra_ms": round(percentile([q["extra_ms"] for q in rows], 50), 2),
            "worst_extra_ms": max(q["extra_ms"] for q in rows),
            "worst_ratio": max(q["ratio"] for q in rows)}
    return out


def print_table(report: dict) -> None:
    print(f"\n{report['documents']} documents, {report['build']['triples']:,} triples; "
          f"{report['virtuoso']['version']}; load average {report['load_average_before'][0]:.1f} "
          f"before the queries, {report['load_average_after'][0]:.1f} after")
    for kind, figures in report["publish"].items():
        print(f"publish ({kind}): {figures['seconds']} s, {figures['graphs_sent']} graphs sent "
              f"({figures['mib_sent']} MiB), {figures['graphs_unchanged']} unchanged; {figures['steps']}")
    print(f"\n{'query':<48} {'through ms':>11} {'direct ms':>10} {'ratio':>6} {'extra ms':>9}")
    for name, q in sorted(report["summary"]["queries"].items(), key=lambda item: (item[1]["group"], item[0])):
        if "ratio" in q:
            flag = "" if q["same_rows"] else "  rows differ"
            print(f"{name:<48} {q['through_ms']:>11.2f} {q['direct_ms']:>10.2f} {q['ratio']:>6.2f} "
                  f"{q['extra_ms']:>9.2f}{flag}")
        else:
            print(f"{name:<48} {q['rows']}")
    for group, g in report["summary"]["groups"].items():
        print(f"{group}: pooled p50 {g['pooled_p50_through_ms']} ms through archivekg vs "
              f"{g['pooled_p50_direct_ms']} ms direct; extra per query median {g['median_extra_ms']} ms, "
              f"worst {g['worst_extra_ms']} ms; worst ratio {g['worst_ratio']}")


if __name__ == "__main__":
    main()
