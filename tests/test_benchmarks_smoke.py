"""The benchmark's generator and script, small: a 20-document corpus is generated, built with
validation, rebuilt after a change, served and asked every query (Jena's peer too).  No timing is asserted
(benchmarks/README.md: the figures are ratios measured by hand on a quiet machine).  That a
rebuild writes what a full build writes is tests/test_build.py's."""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import json
import random
import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest

from archivekg import settings as settings_module
from archivekg.pipeline import ingest, texts
from archivekg.release.make import build
from benchmarks import run
from benchmarks.generate import generate
from benchmarks.jena import peer

ROOT = Path(__file__).resolve().parent.parent


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_generator_is_deterministic(tmp_path):
    first = _digests(generate(20, 5, tmp_path / "a"))
    assert first == _digests(generate(20, 5, tmp_path / "b"))
    assert first != _digests(generate(20, 6, tmp_path / "c"))
    assert sum(name.startswith("annotations/") for name in first) == 20


@pytest.mark.slow
def test_a_rebuild_after_changed_figures_posts_and_statuses_writes_what_a_full_build_writes(tmp_path):
    """The entailments a change of figures, post titles and statuses touches (measurements,
    post types, schema.org statuses, the names of the entities the documents speak of) are
    recomputed as a full build computes them."""
    data = generate(20, 7, tmp_path / "corpus")
    settings = settings_module.load({"DATA_DIR": str(data), "BUILD_DIR": str(tmp_path / "build")},
                                    environ={})
    build(settings, validate=False)
    changed = 0
    for path in sorted((data / "annotations").glob("*.yaml"))[:8]:
        text = path.read_text(encoding="utf-8")
        new = re.sub(r"numberOfPeople: (\d+)", lambda m: f"numberOfPeople: {int(m[1]) + 1}", text)
        new = re.sub(r'positionTitle: "([^"]*)"', r'positionTitle: "\1 (acting)"', new)
        new = new.replace("executionStatus: planned", "executionStatus: cancelled", 1)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed += 1
    assert changed >= 2
    rebuilt = build(settings, validate=False)
    assert any("changed" in step for step in rebuilt.timings), "the rebuild was not incremental"
    full = build(dict(settings, BUILD_DIR=str(tmp_path / "full")), validate=False, incremental=False)
    for name in ("dataset.nq", "dataset.trig"):
        assert (rebuilt.release / name).read_bytes() == (full.release / name).read_bytes(), name


@pytest.mark.slow
def test_the_benchmark_builds_validates_serves_and_answers_every_query(tmp_path):
    out = tmp_path / "result.json"
    run.main(["--sizes", "20", "--work", str(tmp_path / "work"), "--out", str(out),
              "--skip", "virtuoso,rdflib,throughput", "--reps", "1", "--heavy-reps", "1"])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["builds"]["20"]["triples"] > 0
    assert report["rebuild"]["incremental"] and report["rebuild_without_validation"]["incremental"]
    assert report["rebuild_without_validation"]["identical_to_full_build"]
    assert report["validation"]["results"].get("Violation", 0) == 0
    latency = report["latency"]
    assert len(latency) == 4        # in-process (memory, disk), over HTTP, and the Jena peer
    assert report["jena"]["quads"] == report["builds"]["20"]["triples"]
    queries = len(run.COMPETENCY) + len(run.HEAVY)
    for engine, answers in latency.items():
        assert len(answers) == queries
        errors = {name: a["rows"] for name, a in answers.items() if isinstance(a["rows"], str)}
        assert not errors, (engine, errors)
    reference = latency["pyoxigraph in-process (memory)"]
    for answers in latency.values():
        assert {n: a["rows"] for n, a in answers.items()} == {n: a["rows"] for n, a in reference.items()}
    heavy = {name: reference[name]["rows"] for name in (p.name for p in run.HEAVY)}
    assert all(heavy.values()), f"heavy queries without an answer on the generated corpus: {heavy}"


@pytest.mark.slow
def test_the_jena_peer_gives_every_query_the_rows_in_memory_pyoxigraph_gives(built, tmp_path):
    """Jena's ARQ over the shipped corpus' dump, its default graph the union of the named graphs
    (as our endpoint answers), against pyoxigraph in memory: the same rows for every heavy and
    competency query.  The peer starts from Debian's jars only with the Xerces workaround."""
    release = Path(built["settings"]["BUILD_DIR"]) / "current"
    store = ox.Store()
    store.load(path=str(release / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    reference = run.InProcess("pyoxigraph in-process (memory)", store)
    jena = peer.Jena(tmp_path / "jena", heap="2g", query_timeout=120)
    loaded = jena.start(release / "dataset.nq")
    expected, answered = {}, {}
    try:
        assert loaded["quads"] == len(store)
        for path in run.HEAVY + run.COMPETENCY:
            text = run.query_text(path)
            expected[path.name] = run.rows_of(reference.run(text)[1])
            seconds, answered[path.name] = jena.run(text)
            assert seconds > 0
    finally:
        jena.stop()
    assert jena.process is None
    assert answered == expected
    heavy = {p.name: expected[p.name] for p in run.HEAVY}
    assert sum(bool(rows) for rows in heavy.values()) >= len(heavy) // 2, \
        f"too few heavy queries with an answer on the shipped corpus to compare: {heavy}"


def test_the_xerces_messages_of_debians_jena_core_are_copied_where_its_classes_look(tmp_path):
    """Debian's jena-core has Xerces' classes under xerces/ and their messages under
    org/apache/jena/ext/xerces/ (Jena fails to start: ExceptionInInitializerError)."""
    moved = tmp_path / "debian.jar"
    with zipfile.ZipFile(moved, "w") as jar:
        jar.writestr("xerces/impl/xpath/regex/RegexParser.class", b"")
        jar.writestr("org/apache/jena/ext/xerces/impl/xpath/regex/message.properties", "parser.parse.1=Wrong\n")
        jar.writestr("org/apache/jena/ext/xerces/impl/msg/DatatypeMessages.properties", "a=b\n")
        jar.writestr("org/apache/jena/ext/xerces/impl/dv/Other.class", b"")
    folder = peer.xerces_messages(moved, tmp_path / "fix")
    assert folder == tmp_path / "fix"
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) == [
        "xerces/impl/msg/DatatypeMessages.properties", "xerces/impl/xpath/regex/message.properties"]
    assert (folder / "xerces/impl/xpath/regex/message.properties").read_text() == "parser.parse.1=Wrong\n"

    upstream = tmp_path / "upstream.jar"     # Jena's own jar: classes and messages together
    with zipfile.ZipFile(upstream, "w") as jar:
        jar.writestr("org/apache/jena/ext/xerces/impl/xpath/regex/RegexParser.class", b"")
        jar.writestr("org/apache/jena/ext/xerces/impl/xpath/regex/message.properties", "")
    assert peer.xerces_messages(upstream, tmp_path / "none") is None
    assert not (tmp_path / "none").exists()


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_the_builds_fast_paths_agree_with_what_they_stand_for(seed):
    """EDTF bounds computed without the edtf library, and quotes found without a regular
    expression per quote, agree with the library and the expression."""
    rng = random.Random(seed)
    days = [dt.date(1900, 1, 1) + dt.timedelta(days=rng.randrange(30000)) for _ in range(300)]
    values = [d.isoformat()[:rng.choice((4, 7, 10))] for d in days]
    values += [f"{a}/{b}" for a, b in zip(values, reversed(values), strict=False)] + [f"{v}/.." for v in values[:20]]
    values += ["1955-02-29", "1956-13", "1956-21", "../1956", "1956-03-14/", "0999"]
    for value in values:
        fast = ingest._plain_bounds(value)
        if fast is not None:
            assert fast == ingest._library_bounds(value, None, None, None), value

    text = (ROOT / "data" / "documents" / "001_233c5a65db9d4a8b.txt").read_text(encoding="utf-8")
    words = text.split()
    for _ in range(300):
        start = rng.randrange(len(words))
        quote = (" " * rng.randint(1, 2)).join(words[start:start + rng.randint(1, 8)])
        pattern = re.compile(r"\s+".join(re.escape(w) for w in quote.split()))
        expected = [(m.start(), m.end()) for m in pattern.finditer(text)]
        assert [(s.start, s.end) for s in texts.find_all(text, quote)] == expected, quote


def test_the_generated_corpus_has_the_shape_the_benchmark_needs(tmp_path):
    data = generate(200, 1, tmp_path, shipped=False)
    annotations = "".join(p.read_text(encoding="utf-8") for p in (data / "annotations").glob("*.yaml"))
    for kind in ("Meeting", "Decree", "Resettlement", "Expulsion", "Appointment", "Criticism"):
        assert f"type: {kind}" in annotations, kind
    people = re.findall(r'participant: \[([^\]]*)\]', annotations)
    counts: dict[str, int] = {}
    for row in people:
        for person in re.findall(r'"([^"]+)"', row):
            counts[person] = counts.get(person, 0) + 1
    ranked = sorted(counts.values(), reverse=True)
    assert ranked[0] >= 5 * ranked[len(ranked) // 2], "no long tail: persons recur evenly"
    shutil.rmtree(data)


@pytest.mark.slow
def test_regression_the_bare_app_of_the_throughput_figure_starts(built, tmp_path):
    """Its gunicorn settings imported a module from where it was before the layers moved it:
    a 10,000-document run died at its last phase."""
    release = Path(built["settings"]["BUILD_DIR"]) / "current"
    child, port = run.serve_bare(release, tmp_path)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"}))
        reply = connection.getresponse()
        assert reply.status == 200 and json.loads(reply.read())["boolean"] is True
    finally:
        connection.close()
        child.stop()


def test_the_throughput_table_gives_each_server_against_the_bare_app():
    from benchmarks.throughput import table

    runs = [{"server": server, "clients": 16, "round": r, "requests_per_second": rate, "errors": 0}
            for r, rates in enumerate([(800, 1000), (600, 1000)])
            for server, rate in zip(("archivekg, QUERY_WORKERS=1", "bare Flask + pyoxigraph"), rates, strict=False)]
    lines = table({"runs": runs}).splitlines()
    ours = next(line for line in lines if "QUERY_WORKERS=1" in line).split()
    assert ours[-3:] == ["700", "70%", "0"]          # mean of the rounds; share of the sums


@pytest.mark.slow
def test_the_search_benchmark_builds_rebuilds_serves_and_asks_every_group(tmp_path):
    from benchmarks import search_bench
    out = tmp_path / "search.json"
    report = search_bench.main(["--documents", "20", "--reps", "3", "--no-validation",
                                "--work", str(tmp_path / "work"), "--out", str(out)])
    assert json.loads(out.read_text()) == json.loads(json.dumps(report))    # tuples are lists in JSON
    assert report["rebuild"]["search_index_seconds"] is not None
    assert report["build"]["search_index_seconds"] > 0
    groups = report["latency"]
    assert len(groups) == 10 and all(figures["n"] == 3 for figures in groups.values())
