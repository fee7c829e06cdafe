"""The views of issue 14 at scale: how fast the map, the network and the timeline answer on a
generated corpus, and how much they draw (the target: the map and network pages under 300 ms on
10,000 documents, and still readable).

``python -m benchmarks.views_bench --documents 10000`` generates the corpus (or reuses one in
``--work``), builds it without SHACL validation (the pages do not depend on it; ``--validate``
to validate too), serves it with ``archivekg serve`` on 127.0.0.1 and requests each page: once
first (the first answer after the start: the server has begun reading the views' data in the
background at its first request, the health check, and the page waits for what it needs) and
``--reps`` times warm.  It prints a table and writes ``results/<date>-views-<N>.json``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PAGES = ("/map", "/map.json", "/network", "/network.json", "/timeline")
TARGET_MS = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(documents: int, work: Path, validate: bool) -> Path:
    """The build folder of a corpus of ``documents`` (generated and built when not yet there)."""
    corpus, build_dir = work / f"corpus-{documents}", work / f"build-{documents}"
    if not (corpus / "data").is_dir():
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "benchmarks.generate", "--documents", str(documents),
                        "--out", str(corpus)], check=True, cwd=ROOT)
        print(f"generated {documents} documents in {time.perf_counter() - started:.0f} s", flush=True)
    if not (build_dir / "current").exists():
        started = time.perf_counter()
        code = ("import sys\nfrom archivekg import settings\nfrom archivekg.release.make import build\n"
                f"build(settings.load({{'DATA_DIR': {str(corpus / 'data')!r}, 'BUILD_DIR': {str(build_dir)!r}}},"
                f" environ={{}}), validate={validate!r})\n")
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
    return build_dir


def get(port: int, path: str) -> tuple[int, bytes, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        started = time.perf_counter()
        connection.request("GET", path, headers={"Accept": "text/html,application/json"})
        response = connection.getresponse()
        body = response.read()
        return response.status, body, (time.perf_counter() - started) * 1000
    finally:
        connection.close()


def serve(build_dir: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVEKG_")}
    env.update({"ARCHIVEKG_BUILD_DIR": str(build_dir), "ARCHIVEKG_LOG_LEVEL": "WARNING"})
    process = subprocess.Popen([sys.executable, "-m", "archivekg.cli.serve", "--host", "127.0.0.1",
                                "--port", str(port), "--workers", "1"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            if get(port, "/health")[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    stop(process)
    raise RuntimeError("the server did not answer /health within 120 s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def drawn(path: str, body: bytes) -> dict:
    """What the page draws: markers and lines of the map, nodes and edges of the network."""
    if path == "/map":
        text = body.decode()
        return {"markers": text.count('class="marker-link"'), "lines": text.count('class="flow-link"'),
                "places_listed": len(re.findall(r'<tr id="place-', text))}
    if path == "/map.json":
        data = json.loads(body)
        return {"places": len(data["places"]), "flows": len(data["flows"])}
    if path == "/network.json":
        data = json.loads(body)
        return {"nodes": len(data["nodes"]), "edges": len(data["edges"]), "agents_in_all": data["total"]}
    if path == "/network":
        return {"relations_listed": body.decode().count('<li id="edge-')}
    if path == "/timeline":
        return {"bars": body.decode().count('<rect class="bar') // 2}
    return {}


def measure(port: int, paths: list[str], reps: int) -> list[dict]:
    rows = []
    for path in paths:
        status, body, cold = get(port, path)
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status}: {body[:500]!r}")
        warm = sorted(get(port, path)[2] for _ in range(reps))
        rows.append({"path": path, "cold_ms": round(cold, 1), "warm_p50_ms": round(statistics.median(warm), 1),
                     "warm_p90_ms": round(warm[int(0.9 * (len(warm) - 1))], 1), "warm_max_ms": round(warm[-1], 1),
                     "bytes": len(body), **drawn(path, body)})
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=HERE / "work" / "views")
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--validate", action="store_true", help="validate the build with SHACL too")
    args = parser.parse_args(argv)
    build_dir = prepare(args.documents, args.work, args.validate)
    port = free_port()
    process = serve(build_dir, port)
    try:
        rows = measure(port, list(PAGES), args.reps)
        people = json.loads(get(port, "/network.json")[1])["nodes"]
        ego = [n["data"]["href"] for n in people if n["data"]["kind"] == "person"][:1]
        rows += measure(port, [h.replace(f"http://127.0.0.1:{port}", "") for h in ego], args.reps)
    finally:
        stop(process)
    print(f"\n{args.documents:,} documents; {args.reps} warm requests a page; target: map and network "
          f"under {TARGET_MS} ms")
    print(f"{'page':<34} {'cold ms':>8} {'p50 ms':>8} {'p90 ms':>8} {'max ms':>8} {'KB':>7}  drawn")
    for row in rows:
        extra = ", ".join(f"{k} {v}" for k, v in row.items() if k not in
                          ("path", "cold_ms", "warm_p50_ms", "warm_p90_ms", "warm_max_ms", "bytes"))
        print(f"{row['path'][:34]:<34} {row['cold_ms']:>8} {row['warm_p50_ms']:>8} {row['warm_p90_ms']:>8} "
              f"{row['warm_max_ms']:>8} {row['bytes'] / 1024:>7.0f}  {extra}")
    out = HERE / "results" / f"{datetime.now(UTC):%Y-%m-%d}-views-{args.documents}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"documents": args.documents, "reps": args.reps, "validated": args.validate,
                               "host": socket.gethostname(), "pages": rows}, indent=1) + "\n")
    print(f"\nwritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
