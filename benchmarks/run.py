"""The archivekg benchmark, run by hand: builds, rebuild, validation and the served graph, each
figure beside baselines measured in the same run, so that ratios hold on a noisy machine.

    .venv/bin/python -m benchmarks.run                       # everything (~30 min on 2 cores)
    .venv/bin/python -m benchmarks.run --sizes 100,1000 --skip serve,virtuoso,rdflib

It prints a table and writes ``benchmarks/results/<date>-<host>.json``.  Servers (archivekg,
the bare Flask app, Virtuoso) are started on 127.0.0.1 on free ports and stopped by their
process ids, as is the JVM of the Jena peer; every wait is bounded.  README.md says what each
figure means.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

from archivekg.namespaces import PREFIXES
from archivekg.release.dumps import INDEX

from .generate import generate

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# A twin that a vocabulary cannot express holds only comments (its reason): nothing to ask.
COMPETENCY = sorted(p for p in (ROOT / "tests" / "competency").glob("*.rq")
                    if any(line.strip() and not line.lstrip().startswith("#")
                           for line in p.read_text(encoding="utf-8").splitlines()))
HEAVY = sorted(p for p in (HERE / "queries").glob("*.rq") if not p.name.startswith("lookup-"))
LOOKUP = HERE / "queries" / "lookup-place.rq"
BASE = "https://w3id.org/archivekg/"
JENA = "jena ARQ in-process (memory)"
# The peers our heavy queries are to beat: engine -> (the target's words, the ratio's).
PEERS = {"virtuoso over HTTP": ("Virtuoso", "Virtuoso"), JENA: ("Apache Jena ARQ (in memory)", "Jena")}
JSON_RESULTS = "application/sparql-results+json"
PY = sys.executable


# --------------------------------------------------------------------------- small helpers
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def query_text(path: Path) -> str:
    """The query as every engine receives it: our prefixes declared (as `archivekg query` does)."""
    text = path.read_text(encoding="utf-8")
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items()
                       if f"PREFIX {p}:" not in text and f"prefix {p}:" not in text)
    prologue += f"PREFIX id: <{BASE}id/>\n" if "PREFIX id:" not in text else ""
    return prologue + text


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


class Child:
    """A process we started; stopped by its id (SIGTERM, then SIGKILL after a bound)."""

    def __init__(self, args: list[str], *, env=None, cwd=None, log_path: Path | None = None):
        self.log = open(log_path, "wb") if log_path else subprocess.DEVNULL
        self.process = subprocess.Popen(args, env=env, cwd=cwd, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self, timeout: float = 30) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)   # its own session: it and its workers
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=timeout)
        if self.log is not subprocess.DEVNULL:
            self.log.close()


def measured(args: list[str], *, env=None, timeout: float = 3600) -> dict:
    """Run a command to its end: wall time, CPU time and peak memory of that process alone."""
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = started + timeout
    out, err = b"", b""
    selector = selectors.DefaultSelector()   # read both pipes, so a chatty child never blocks
    selector.register(process.stdout, selectors.EVENT_READ, "out")
    selector.register(process.stderr, selectors.EVENT_READ, "err")
    try:
        while selector.get_map():
            if time.perf_counter() > deadline:
                process.kill()
                raise TimeoutError(f"{args[:4]} ran longer than {timeout:.0f} s")
            for key, _ in selector.select(timeout=1):
                chunk = key.fileobj.read1(1 << 16)
                if not chunk:
                    selector.unregister(key.fileobj)
                elif key.data == "out":
                    out += chunk
                else:
                    err += chunk
    finally:
        selector.close()
        process.stdout.close()
        process.stderr.close()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return {"seconds": time.perf_counter() - started, "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "peak_mib": usage.ru_maxrss / 1024, "returncode": process.returncode,
            "stdout": out.decode("utf-8", "replace"), "stderr": err.decode("utf-8", "replace")}


# --------------------------------------------------------------------------- builds
STEP = re.compile(r"^\s{2}(\S.*?)\s{2,}(\d+\.\d+) s$")
# The build's steps that apply the rules of mappings/rules/derive and entail (archivekg/release/make.py).
ENTAILMENT = ("entail per document", "entail over the union", "the inferred graph")


BUILD = """import sys
from archivekg import settings
from archivekg.release.make import build, default_echo
result = build(settings.load({"DATA_DIR": sys.argv[1], "BUILD_DIR": sys.argv[2]}),
               validate=sys.argv[3] == "1", incremental=sys.argv[4] == "1", echo=default_echo)
"""


def build(data: Path, out: Path, *, validate: bool = True, incremental: bool = True) -> dict:
    """One build in a child process (what `archivekg build` runs), measured."""
    result = measured([PY, "-c", BUILD, str(data), str(out), str(int(validate)), str(int(incremental))])
    if result["returncode"] != 0:
        raise RuntimeError(f"the build of {data} failed:\n{result['stderr'][-3000:]}")
    steps = {m[1]: float(m[2]) for line in result["stderr"].splitlines() if (m := STEP.match(line))}
    manifest = json.loads((out / "current" / "manifest.json").read_text(encoding="utf-8"))
    return {"seconds": round(result["seconds"], 2), "cpu_seconds": round(result["cpu_seconds"], 2),
            "peak_mib": round(result["peak_mib"]), "triples": manifest["triples"],
            "triples_per_second": round(manifest["triples"] / result["seconds"]),
            "validated": validate, "incremental": any("changed" in step for step in steps),
            "entailment_seconds": round(sum(steps.get(step, 0) for step in ENTAILMENT), 2),
            "steps": steps, "dumps": {name: info["sha256"] for name, info in json.loads(
                (out / "current" / INDEX).read_text(encoding="utf-8")).items()}}


def _steps(figures: dict) -> str:
    """A build's steps for the log (a run stopped later keeps them)."""
    return ", ".join(f"{step} {seconds:.2f} s" for step, seconds in figures["steps"].items())


def change_one_document(data: Path, which: int) -> str:
    """Edit one synthetic annotation file as a curator would (a label), deterministically."""
    memos = sorted((data / "annotations").glob("memo-*.yaml"))
    path = memos[(len(memos) // 3 * which) % len(memos)]
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(r'(\n    label: "[^"\n]*)"', r'\1 (revised)"', text, count=1)
    if not count:
        raise RuntimeError(f"{path}: no label to revise")
    path.write_text(edited, encoding="utf-8")
    return str(path.relative_to(data))


def validation_alone(release: Path, data: Path) -> dict:
    """validate_store over the built graph, loaded in memory as the build has it (not timed)."""
    result = measured([PY, "-m", "benchmarks.run", "--worker", "validate", str(release), str(data)])
    if result["returncode"] != 0:
        raise RuntimeError(f"validation failed to run:\n{result['stderr'][-3000:]}")
    figures = json.loads(result["stdout"])
    figures["peak_mib"] = round(result["peak_mib"])
    return figures


def _worker_validate(release: str, data: str) -> None:
    from archivekg import settings
    from archivekg.validation.engine import validate_store
    store = ox.Store()
    store.load(path=str(Path(release) / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    config = settings.load({"DATA_DIR": data, "BUILD_DIR": str(Path(release).parent.parent)})
    started, cpu = time.perf_counter(), time.process_time()
    report = validate_store(store, config)
    seconds = time.perf_counter() - started
    counts = {}
    for result in report.results:
        counts[result.severity] = counts.get(result.severity, 0) + 1
    print(json.dumps({"seconds": round(seconds, 2), "cpu_seconds": round(time.process_time() - cpu, 2),
                      "triples": len(store), "results": counts}))


# --------------------------------------------------------------------------- query engines
class InProcess:
    """pyoxigraph called directly: the query and the serialisation of its results (what the
    server does for a request), nothing else."""

    def __init__(self, name: str, store: ox.Store):
        self.name, self.store = name, store

    def run(self, text: str) -> tuple[float, bytes]:
        started = time.perf_counter()
        results = self.store.query(text, use_default_graph_as_union=True)
        body = results.serialize(format=ox.QueryResultsFormat.JSON)
        return time.perf_counter() - started, body


class Http:
    """A SPARQL endpoint over HTTP/1.1 with one kept-alive connection (the query is POSTed)."""

    def __init__(self, name: str, host: str, port: int, path: str = "/sparql", timeout: float = 600):
        self.name, self.host, self.port, self.path, self.timeout = name, host, port, path, timeout
        self.connection = http.client.HTTPConnection(host, port, timeout=timeout)

    def run(self, text: str) -> tuple[float, bytes]:
        body = urlencode({"query": text}).encode("ascii")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON_RESULTS}
        for attempt in (1, 2):
            try:
                started = time.perf_counter()
                self.connection.request("POST", self.path, body, headers)
                response = self.connection.getresponse()
                payload = response.read()
                elapsed = time.perf_counter() - started
                break
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()   # the server closed a kept-alive connection: reconnect
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                if attempt == 2:
                    raise
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {payload[:300]!r}")
        return elapsed, payload

    def close(self) -> None:
        self.connection.close()


def rows_of(body: bytes | int | bool) -> int | bool:
    """The rows of an answer: a SPARQL JSON body, or the count an engine made itself (the Jena
    peer counts inside its JVM; a boolean for an ASK)."""
    if isinstance(body, (int, bool)):
        return body
    data = json.loads(body)
    return data["boolean"] if "boolean" in data else len(data["results"]["bindings"])


def latency(engines: list, queries: dict[str, list[Path]], reps: dict[str, int],
            once_over: float = 5.0) -> dict:
    """Every query on every engine, round-robin (so that noise falls on all alike): one
    untimed run, then ``reps`` timed runs.  Errors are recorded, not raised.  An engine whose
    untimed run of a query took more than ``once_over`` seconds is not asked that query again:
    that run is its one sample (``"once": true``), so that an engine that needs minutes for a
    query (Jena on three competency questions at 10,000 documents) does not hold the run for
    hours."""
    figures: dict = {engine.name: {} for engine in engines}
    for group, paths in queries.items():
        log(f"latency: {len(paths)} {group} queries x {reps[group]} on {len(engines)} engines")
        for path in paths:
            text = query_text(path)
            samples: dict[str, list[float]] = {engine.name: [] for engine in engines}
            rows: dict[str, object] = {}
            once: set[str] = set()
            for rep in range(reps[group] + 1):
                for engine in engines:
                    if engine.name in rows and isinstance(rows[engine.name], str) or engine.name in once:
                        continue   # it failed once, or took long enough once: leave it
                    try:
                        seconds, body = engine.run(text)
                        if rep == 0:
                            rows[engine.name] = rows_of(body)
                            if seconds > once_over:
                                once.add(engine.name)
                                samples[engine.name].append(seconds)
                                log(f"  {path.name} on {engine.name}: {seconds:.1f} s, run once")
                        else:
                            samples[engine.name].append(seconds)
                    except Exception as exc:  # an engine's error is a figure too
                        rows[engine.name] = f"error: {str(exc)[:200]}"
            for engine in engines:
                entry = {"group": group, "rows": rows.get(engine.name)}
                if engine.name in once:
                    entry["once"] = True
                if samples[engine.name]:
                    entry.update(p50_ms=percentile(samples[engine.name], 50) * 1000,
                                 p99_ms=percentile(samples[engine.name], 99) * 1000,
                                 samples_ms=[round(s * 1000, 3) for s in samples[engine.name]])
                figures[engine.name][path.name] = entry
    return figures


def rdflib_latency(nquads: Path, queries: dict[str, list[Path]], per_query: float,
                   reps: int) -> dict:
    """rdflib's own SPARQL engine over the same graph (a Dataset whose default graph is the
    union), in a child process: its load time, then each query (stopped after ``per_query`` s)."""
    plan = {path.name: {"group": group, "text": query_text(path)}
            for group, paths in queries.items() for path in paths}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(plan, handle)
    result = measured([PY, "-m", "benchmarks.run", "--worker", "rdflib", str(nquads), handle.name,
                       str(per_query), str(reps)], timeout=4 * 3600)
    os.unlink(handle.name)
    if result["returncode"] != 0:
        raise RuntimeError(f"the rdflib run failed:\n{result['stderr'][-3000:]}")
    figures = json.loads(result["stdout"])
    figures["peak_mib"] = round(result["peak_mib"])
    return figures


def _worker_rdflib(nquads: str, plan_path: str, per_query: str, reps: str) -> None:
    import rdflib

    class Stop(Exception):
        pass

    def stop(signum, frame):
        raise Stop()

    signal.signal(signal.SIGALRM, stop)   # rdflib's engine is Python: an alarm interrupts it
    started = time.perf_counter()
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(nquads, format="nquads")
    out = {"load_seconds": round(time.perf_counter() - started, 2), "queries": {}}
    for name, item in json.load(open(plan_path)).items():
        entry = {"group": item["group"]}
        samples = []
        for _ in range(int(reps)):
            signal.setitimer(signal.ITIMER_REAL, float(per_query))
            try:
                clock = time.perf_counter()
                result = dataset.query(item["text"])
                body = result.serialize(format="json")
                samples.append(time.perf_counter() - clock)
                entry["rows"] = rows_of(body)
            except Stop:
                entry["timeout_s"] = float(per_query)
                break
            except Exception as exc:
                entry["rows"] = f"error: {str(exc)[:200]}"
                break
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            if sum(samples) > float(per_query):
                break   # slow enough: one or two samples say it
        if samples:
            entry["p50_ms"] = percentile(samples, 50) * 1000
            entry["samples_ms"] = [round(s * 1000, 1) for s in samples]
        out["queries"][name] = entry
    print(json.dumps(out))


# --------------------------------------------------------------------------- servers
def wait_answered(host: str, port: int, path: str, timeout: float, child: Child) -> float:
    """Poll with a trivial query until it is answered; the seconds since the child started."""
    started = time.perf_counter()
    url = f"{path}?{urlencode({'query': 'ASK {}'})}"
    while time.perf_counter() - started < timeout:
        if child.process.poll() is not None:
            raise RuntimeError(f"the server exited with {child.process.returncode}")
        try:
            connection = http.client.HTTPConnection(host, port, timeout=5)
            connection.request("GET", url, headers={"Accept": JSON_RESULTS})
            if connection.getresponse().status == 200:
                return time.perf_counter() - started
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.01)
    raise TimeoutError(f"no answer on port {port} within {timeout:.0f} s")


def serve_archivekg(build_dir: Path, work: Path) -> tuple[Child, int, float]:
    """`archivekg serve` (gunicorn with the project's settings) over a built release."""
    port = free_port()
    env = dict(os.environ, ARCHIVEKG_BUILD_DIR=str(build_dir), ARCHIVEKG_LOG_LEVEL="WARNING")
    started = time.perf_counter()
    child = Child([PY, "-m", "archivekg.cli.serve", "--host", "127.0.0.1", "--port", str(port)],
                  env=env, log_path=work / "archivekg-serve.log")
    wait_answered("127.0.0.1", port, "/sparql", 120, child)
    return child, port, time.perf_counter() - started


def serve_bare(release: Path, work: Path) -> tuple[Child, int]:
    """benchmarks/bare_app.py under gunicorn with the same settings as `archivekg serve`."""
    port = free_port()
    config = work / "bare_gunicorn.py"
    config.write_text(
        "from archivekg import settings\nfrom archivekg.endpoint import gunicorn_config\n"
        f"globals().update(gunicorn_config.options(settings.load(), bind='127.0.0.1:{port}', "
        "workers=2))\n", encoding="utf-8")
    env = dict(os.environ, BARE_STORE=str(release / "store"), ARCHIVEKG_LOG_LEVEL="WARNING",
               PYTHONPATH=str(ROOT))
    child = Child([PY, "-m", "gunicorn", "-c", str(config), "benchmarks.bare_app:app"], env=env,
                  cwd=ROOT, log_path=work / "bare-app.log")
    wait_answered("127.0.0.1", port, "/sparql", 120, child)
    return child, port


WRK_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_NON2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
WRK_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
WRK_LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)


def wrk(url: str, clients: int, seconds: int) -> dict:
    """wrk: ``clients`` kept-alive connections for ``seconds``; requests/s and errors."""
    done = subprocess.run(["wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{seconds}s",
                           "--timeout", "10s", "--latency", "-H", f"Accept: {JSON_RESULTS}", url],
                          capture_output=True, text=True, timeout=seconds + 60)
    text = done.stdout
    socket_errors = WRK_SOCKET.search(text)
    unit = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    non_2xx = WRK_NON2XX.search(text)
    return {"requests_per_second": float(WRK_RATE.search(text)[1]),
            "errors": (int(non_2xx[1]) if non_2xx else 0)
            + (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0),
            **{f"p{m[1]}_ms": float(m[2]) * unit[m[3]] for m in WRK_LATENCY.finditer(text)}}


# --------------------------------------------------------------------------- the run
def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    meminfo = Path("/proc/meminfo").read_text(encoding="utf-8").splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
               platform.processor())
    memory = next(int(line.split()[1]) // 1024 for line in meminfo if line.startswith("MemTotal"))
    versions = {name: metadata.version(name) for name in ("pyoxigraph", "rdflib", "flask", "gunicorn")}
    return {"host": platform.node(), "cpu": cpu, "cores": os.cpu_count(), "memory_mib": memory,
            "python": platform.python_version(), **versions,
            "load_average_at_start": os.getloadavg()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="documents per corpus")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=HERE / "work",
                        help="corpora, builds and server folders (several GB at 10,000 documents)")
    parser.add_argument("--out", type=Path, help="the JSON file (default benchmarks/results/<date>-<host>.json)")
    parser.add_argument("--skip", default="", help="comma-separated: rebuild, validation, serve, "
                        "virtuoso, jena, rdflib, throughput, verify")
    parser.add_argument("--no-validation", action="store_true",
                        help="build without SHACL validation (the rest of the build, measured alone)")
    parser.add_argument("--duration", type=int, default=30, help="seconds per throughput run")
    parser.add_argument("--clients", default="1,4,16")
    parser.add_argument("--reps", type=int, default=20, help="timed runs of each competency query")
    parser.add_argument("--heavy-reps", type=int, default=10, help="timed runs of each heavy query")
    parser.add_argument("--once-over", type=float, default=5.0,
                        help="seconds: an engine slower than this on a query's first run runs it only once")
    parser.add_argument("--rdflib-timeout", type=float, default=120, help="seconds per rdflib query")
    parser.add_argument("--jena-heap", default="12g",
                        help="the Jena peer's JVM heap (-Xmx; 12g holds 10,000 documents)")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        {"rdflib": _worker_rdflib, "validate": _worker_validate}[args.worker[0]](*args.worker[1:])
        return
    skip = set(filter(None, args.skip.split(",")))
    sizes = [int(n) for n in args.sizes.split(",")]
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    report: dict = {"date": datetime.now(UTC).isoformat(timespec="seconds"),
                    "machine": machine(), "seed": args.seed, "builds": {}}

    for size in sizes:
        log(f"generate {size} documents")
        data = generate(size, args.seed, work / f"corpus-{size}")
        out = work / f"build-{size}"
        shutil.rmtree(out, ignore_errors=True)
        log(f"full build of {size} documents" + (" (no validation)" if args.no_validation else ""))
        report["builds"][size] = build(data, out, validate=not args.no_validation)
        log(f"  {report['builds'][size]['seconds']} s, {report['builds'][size]['triples']} triples, "
            f"peak {report['builds'][size]['peak_mib']:,} MiB; " + _steps(report["builds"][size]))

    largest = max(sizes)
    data, out = work / f"corpus-{largest}" / "data", work / f"build-{largest}"
    if "rebuild" not in skip:
        # Twice: what `archivekg build` does, then the build's own work (validation off).  In
        # this order: a release built without validation leaves no results for the next
        # rebuild to keep, and that one validates everything.
        plan = (("rebuild", True), ("rebuild_without_validation", False))
        for key, validate in plan[1:] if args.no_validation else plan:
            changed = change_one_document(data, len(report))
            log(f"rebuild after changing {changed} (validation {'on' if validate else 'off'})")
            report[key] = build(data, out, validate=validate)
            report[key]["changed"] = changed
            log(f"  {report[key]['seconds']} s; " + _steps(report[key]))
        if "verify" not in skip:
            log("verify: a full build of the changed corpus gives the same dumps as the last rebuild")
            fresh = work / f"build-{largest}-verify"
            shutil.rmtree(fresh, ignore_errors=True)
            last = report["rebuild_without_validation"]
            last["identical_to_full_build"] = \
                build(data, fresh, validate=False, incremental=False)["dumps"] == last["dumps"]
            shutil.rmtree(fresh, ignore_errors=True)
    release = (out / "current").resolve()

    if "validation" not in skip:
        log("validation alone")
        report["validation"] = validation_alone(release, data)

    if "serve" not in skip:
        report.update(serving(release, out, work, args, skip))

    report["targets"] = targets(report, largest)
    destination = args.out or HERE / "results" / f"{datetime.now():%Y-%m-%d}-{platform.node()}.json"
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print_table(report, largest)
    log(f"wrote {destination}")


def serving(release: Path, build_dir: Path, work: Path, args, skip: set) -> dict:
    figures: dict = {}
    queries = {"competency": COMPETENCY, "heavy": HEAVY}
    children: list = []
    virtuoso = jena = None
    try:
        log("in-process pyoxigraph: loading the dump into memory")
        started = time.perf_counter()
        memory = ox.Store()
        memory.load(path=str(release / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
        figures["pyoxigraph_memory_load_seconds"] = round(time.perf_counter() - started, 2)
        engines = [InProcess("pyoxigraph in-process (memory)", memory),
                   InProcess("pyoxigraph in-process (disk)", ox.Store.read_only(str(release / "store")))]

        log("archivekg serve: start to first answer")
        server, port, start_seconds = serve_archivekg(build_dir, work)
        children.append(server)
        figures["server_start_seconds"] = round(start_seconds, 3)
        engines.append(Http("archivekg over HTTP", "127.0.0.1", port))

        if "virtuoso" not in skip:
            from .virtuoso.server import Virtuoso, VirtuosoMissing
            try:
                virtuoso = Virtuoso(work / "virtuoso", free_port(), free_port())
                figures["virtuoso"] = {"version": virtuoso.version()}
                log("virtuoso: start and bulk load")
                figures["virtuoso"]["start_seconds"] = round(virtuoso.start(release), 2)
                figures["virtuoso"]["load_seconds"] = round(virtuoso.bulk_load(release), 2)
                engines.append(Http("virtuoso over HTTP", *virtuoso.endpoint))
            except VirtuosoMissing as exc:
                figures["virtuoso"] = {"missing": str(exc)}
                virtuoso = None

        if "jena" not in skip:
            from .jena.peer import Jena, JenaMissing, version
            try:
                jena = Jena(work / "jena", heap=args.jena_heap, name=JENA)
                figures["jena"] = {"version": version(), "heap": args.jena_heap}
                log("jena: start the JVM and load the dump into memory")
                loaded = jena.start(release / "dataset.nq")
                figures["jena"].update(load_seconds=round(loaded["load_seconds"], 2), quads=loaded["quads"],
                                       start_and_load_seconds=round(loaded["start_and_load_seconds"], 2))
                engines.append(jena)
            except JenaMissing as exc:
                figures["jena"] = {"missing": str(exc)}
                jena = None

        figures["latency"] = latency(engines, queries, once_over=args.once_over, reps=
                                     {"competency": args.reps, "heavy": args.heavy_reps})
        for engine in engines:
            if isinstance(engine, Http):
                engine.close()
        del engines, memory
        if jena is not None:
            jena.stop()   # its heap is not needed by what follows

        if "rdflib" not in skip:
            log("rdflib: loading the dump and running the same queries (slow)")
            figures["rdflib"] = rdflib_latency(release / "dataset.nq", queries,
                                               args.rdflib_timeout, 3)

        # What is measured so far is kept if a later phase fails (a run takes half an hour).
        (work / "partial-report.json").write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
        if "throughput" not in skip:
            if shutil.which("wrk") is None:
                figures["throughput"] = {"missing": "wrk is not installed (apt-get install wrk)"}
            else:
                bare, bare_port = serve_bare(release, work)
                children.append(bare)
                lookup = urlencode({"query": LOOKUP.read_text(encoding="utf-8")})
                targets_ = {"archivekg": f"http://127.0.0.1:{port}/sparql?{lookup}",
                            "bare Flask + pyoxigraph": f"http://127.0.0.1:{bare_port}/sparql?{lookup}",
                            "bare Flask, constant answer": f"http://127.0.0.1:{bare_port}/constant"}
                figures["throughput"] = {}
                for clients in (int(n) for n in args.clients.split(",")):
                    for name, url in targets_.items():
                        log(f"throughput: {name}, {clients} client(s), {args.duration} s")
                        figures["throughput"].setdefault(name, {})[clients] = wrk(url, clients, args.duration)
    finally:
        for child in children:
            child.stop()
        if virtuoso is not None:
            virtuoso.stop()
        if jena is not None:
            jena.stop()
    return figures


# --------------------------------------------------------------------------- targets and table
def _p50s(figures: dict, engine: str, group: str) -> dict[str, float]:
    return {name: entry["p50_ms"] for name, entry in figures.get(engine, {}).items()
            if entry.get("group") == group and "p50_ms" in entry}


def _pooled(figures: dict, engine: str, group: str, q: float) -> float | None:
    samples = [s for entry in figures.get(engine, {}).values() if entry.get("group") == group
               for s in entry.get("samples_ms", [])]
    return percentile(samples, q) if samples else None


def targets(report: dict, largest: int) -> list[dict]:
    rows = []

    def add(target, figure, met, note=""):
        rows.append({"target": target, "figure": figure, "met": met, "note": note})

    full = report["builds"].get(largest)
    if full:
        if full["validated"]:
            add(f"full build, {largest} documents: < 120 s", f"{full['seconds']:.1f} s "
                f"({full['triples']:,} triples, {full['triples_per_second']:,}/s)", full["seconds"] < 120)
        else:
            add(f"full build, {largest} documents: < 120 s with validation",
                f"{full['seconds']:.1f} s without validation ({full['triples']:,} triples); "
                "validation measured apart", None)
        add("entailment (the rules of derive/ and entail/): < 15 s", f"{full['entailment_seconds']:.1f} s ("
            + ", ".join(f"{step} {full['steps'].get(step, 0):.1f} s" for step in ENTAILMENT) + ")",
            full["entailment_seconds"] < 15)
        add("full build peak memory: < 4 GiB", f"{full['peak_mib']:,} MiB", full["peak_mib"] < 4096)
    if "validation" in report:
        v = report["validation"]
        add("validation alone: < 30 s", f"{v['seconds']:.1f} s over {v['triples']:,} triples "
            f"({largest} documents)", v["seconds"] < 30)
    if "rebuild_without_validation" in report:
        bare = report["rebuild_without_validation"]
        rebuild = report.get("rebuild", bare)
        same = bare.get("identical_to_full_build")
        validation = rebuild["steps"].get("validate (SHACL)", 0)
        add("rebuild after a one-document change: < 3 s (aim 1 s)", f"{rebuild['seconds']:.2f} s, of which "
            f"validation {validation:.2f} s; without validation {bare['seconds']:.2f} s",
            rebuild["seconds"] < 3 and same is not False,
            ("incremental" if rebuild["incremental"] else "NOT incremental")
            + ("" if same is None else f", dumps identical to a full build: {same}"))
    if "server_start_seconds" in report:
        add("server start to first answered query: < 2 s", f"{report['server_start_seconds']:.2f} s",
            report["server_start_seconds"] < 2)
    lat = report.get("latency", {})
    ours, floor = "archivekg over HTTP", "pyoxigraph in-process (memory)"
    if ours in lat and floor in lat:
        http_p50, mem_p50 = _pooled(lat, ours, "competency", 50), _pooled(lat, floor, "competency", 50)
        gaps = sorted(h - _p50s(lat, floor, "competency")[n]
                      for n, h in _p50s(lat, ours, "competency").items()
                      if n in _p50s(lat, floor, "competency"))
        add("competency queries: HTTP p50 within 2 ms of in-process pyoxigraph",
            f"pooled p50 {http_p50:.2f} ms vs {mem_p50:.2f} ms (+{http_p50 - mem_p50:.2f} ms); "
            f"per query +{percentile(gaps, 50):.2f} ms median, +{gaps[-1]:.2f} ms worst",
            http_p50 - mem_p50 <= 2 and percentile(gaps, 50) <= 2)
        heavy_ours, heavy_floor = _p50s(lat, ours, "heavy"), _p50s(lat, floor, "heavy")
        ratios = {n: heavy_ours[n] / heavy_floor[n] for n in heavy_ours if n in heavy_floor}
        if ratios:
            worst = max(ratios, key=ratios.get)
            add("heavy queries: within 1.3x of in-process pyoxigraph",
                f"{min(ratios.values()):.2f}x to {ratios[worst]:.2f}x ({worst})",
                max(ratios.values()) <= 1.3)
        for peer, (label, short) in PEERS.items():
            heavy_peer = _p50s(lat, peer, "heavy")
            if heavy_peer:
                vs = {n: heavy_ours[n] / heavy_peer[n] for n in heavy_ours if n in heavy_peer}
                slower = [n for n, r in vs.items() if r >= 1]
                unanswered = [n for n in heavy_ours if n not in heavy_peer]
                add(f"heavy queries: faster than {label}", f"ours/{short} {min(vs.values()):.2f}x to "
                    f"{max(vs.values()):.2f}x", not slower,
                    "; ".join(filter(None, [slower and f"slower on {', '.join(slower)}",
                                            unanswered and f"{short} gave no time for {', '.join(unanswered)}"])))
    rdf = report.get("rdflib", {}).get("queries", {})
    if rdf and ours in lat:
        heavy_ours = _p50s(lat, ours, "heavy")
        speedups = {}
        for name, entry in rdf.items():
            if name in heavy_ours and (name.startswith(("join-", "aggregate-"))):
                slow = entry.get("p50_ms") or (entry.get("timeout_s", 0) * 1000) or None
                if slow:
                    speedups[name] = (slow / heavy_ours[name], "p50_ms" not in entry)
        if speedups:
            low = min(speedups, key=lambda n: speedups[n][0])
            add("joins and aggregates: >= 50x faster than rdflib's engine",
                f"{speedups[low][0]:,.0f}x{'+' if speedups[low][1] else ''} at least ({low})",
                speedups[low][0] >= 50)
    tp = report.get("throughput", {})
    if "archivekg" in tp:
        top = max(tp["archivekg"])
        ours_rate, bare_rate = tp["archivekg"][top]["requests_per_second"], \
            tp["bare Flask + pyoxigraph"][top]["requests_per_second"]
        errors = tp["archivekg"][top]["errors"]
        add(f"lookups with {top} clients: >= 70% of the bare Flask + pyoxigraph app, no errors",
            f"{ours_rate:,.0f} vs {bare_rate:,.0f} req/s = {ours_rate / bare_rate:.0%}, {errors} errors",
            ours_rate >= 0.7 * bare_rate and errors == 0)
    return rows


def print_table(report: dict, largest: int) -> None:
    out = []
    out.append(f"archivekg benchmark, {report['date']}, {report['machine']['cpu']} "
               f"({report['machine']['cores']} cores, {report['machine']['memory_mib']:,} MiB)")
    out.append("\nBuilds (wall / CPU / peak memory / triples / triples per second):")
    for size, b in report["builds"].items():
        out.append(f"  {int(size):>6} documents  {b['seconds']:8.1f} s  {b['cpu_seconds']:8.1f} s  "
                   f"{b['peak_mib']:6,} MiB  {b['triples']:>10,}  {b['triples_per_second']:>8,}/s")
        out.append("      " + ", ".join(f"{k} {v:.1f} s" for k, v in b["steps"].items())
                   + f"; entailment {b['entailment_seconds']:.1f} s")
    for key in ("rebuild_without_validation", "rebuild"):
        if key in report:
            r = report[key]
            out.append(f"  rebuild after changing {r['changed']} (validation "
                       f"{'on' if r['validated'] else 'off'}): {r['seconds']:.2f} s, "
                       f"{'incremental' if r['incremental'] else 'full'}, peak {r['peak_mib']:,} MiB"
                       + (f", identical to a full build: {r['identical_to_full_build']}"
                          if "identical_to_full_build" in r else ""))
            out.append("      " + ", ".join(f"{k} {v:.2f} s" for k, v in r["steps"].items()))
    if "validation" in report:
        v = report["validation"]
        out.append(f"  validation alone: {v['seconds']:.1f} s over {v['triples']:,} triples "
                   f"({v['peak_mib']:,} MiB), results {v['results']}")
    lat = report.get("latency")
    if lat:
        engines = list(lat)
        rdf = report.get("rdflib", {}).get("queries", {})
        out.append("\nLatency p50 in ms (" + " | ".join(engines + (["rdflib"] if rdf else [])) + "):")
        loads = [f"pyoxigraph in memory {report['pyoxigraph_memory_load_seconds']:.1f} s"]
        if "virtuoso" in report:
            v = report["virtuoso"]
            loads.append(f"Virtuoso: {v['missing']}" if "missing" in v else
                         f"Virtuoso bulk load {v['load_seconds']:.1f} s (start {v['start_seconds']:.1f} s)")
        if "jena" in report:
            j = report["jena"]
            loads.append(f"Jena: {j['missing']}" if "missing" in j else
                         f"Jena {j['load_seconds']:.1f} s (with the JVM's start {j['start_and_load_seconds']:.1f} s, "
                         f"{j['quads']:,} quads, {j['version']}, -Xmx{j['heap']})")
        out.append("  loads: " + "; ".join(loads))
        for group in ("competency", "heavy"):
            pooled = [(_pooled(lat, e, group, 50), _pooled(lat, e, group, 99)) for e in engines]
            out.append(f"  {group} pooled p50/p99: " + " | ".join(
                f"{a:.2f}/{b:.2f}" if a is not None else "-" for a, b in pooled))
        names = [n for n, e in lat[engines[0]].items() if e["group"] == "heavy"]
        for name in names:
            cells = [lat[e].get(name, {}) for e in engines]
            text = " | ".join(f"{c['p50_ms']:.1f}{'*' if c.get('once') else ''}" if "p50_ms" in c
                              else str(c.get("rows"))[:20] for c in cells)
            if rdf:
                r = rdf.get(name, {})
                text += " | " + (f"{r['p50_ms']:.0f}" if "p50_ms" in r else
                                 f">{r['timeout_s']:.0f}s" if "timeout_s" in r else str(r.get("rows")))
            counts = {str(c.get("rows")) for c in cells}
            out.append(f"  {name:45} {text}" + ("" if len(counts) == 1 else f"   rows differ: {counts}"))
        slow_once = sorted({f"{n} ({e})" for e in engines for n, c in lat[e].items() if c.get("once")})
        if slow_once:
            out.append("  * run once (its first run took longer than --once-over): " + ", ".join(slow_once))
        mismatched = [n for n in lat[engines[0]] if len({str(lat[e].get(n, {}).get("rows"))
                                                          for e in engines}) > 1]
        if mismatched:
            out.append(f"  answers differ between engines on: {', '.join(mismatched)}")
    if report.get("throughput") and "missing" not in report["throughput"]:
        out.append("\nThroughput of a lookup (requests/s, errors):")
        for name, by_clients in report["throughput"].items():
            out.append(f"  {name:30} " + "  ".join(f"{c} clients: {f['requests_per_second']:8,.0f} "
                                                   f"({f['errors']})" for c, f in by_clients.items()))
    out.append("\nTargets:")
    for row in report["targets"]:
        verdict = "measured" if row["met"] is None else "met" if row["met"] else "MISSED"
        out.append(f"  [{verdict}] {row['target']}: {row['figure']}"
                   + (f" — {row['note']}" if row["note"] else ""))
    print("\n".join(out))


if __name__ == "__main__":
    main()
