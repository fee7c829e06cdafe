"""The build: data/ → checked JSON-LD → RDF dataset → OWL RL → SHACL → store and dumps.

Everything happens in an in-memory Oxigraph store (fast updates); the result is written as a
new release folder which replaces ``BUILD_DIR/current`` only when every step succeeded, so a
failed build changes nothing that is served.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from .. import __version__
from ..store import RELEASES, switch_current
from . import reasoning
from .ingest import Ingest

RAW = "urn:archivekg:raw#"
INFERRED_INTERNAL = "urn:archivekg:inferred"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
PREFIXES = {
    "akg": "https://w3id.org/archivekg/ontology#",
    "crm": "http://www.cidoc-crm.org/cidoc-crm/",
    "dcterms": "http://purl.org/dc/terms/",
    "edtf": "http://id.loc.gov/datatypes/edtf/",
    "oa": "http://www.w3.org/ns/oa#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
KEEP_RELEASES = 3


@dataclass
class BuildResult:
    release: Path
    triples: int
    graphs: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict)
    validation: object = None


class Progress:
    """Step lines with their duration on stderr; quiet when asked."""

    def __init__(self, echo: Callable[[str], None] | None):
        self.echo = echo
        self.timings: dict[str, float] = {}

    def step(self, name: str):
        progress = self

        class _Step:
            def __enter__(self):
                self.start = time.perf_counter()
                return self

            def __exit__(self, *exc):
                elapsed = time.perf_counter() - self.start
                progress.timings[name] = elapsed
                if progress.echo and exc[0] is None:
                    progress.echo(f"  {name:<34} {elapsed:7.2f} s")
        return _Step()


def run_rules(store: ox.Store, folder: Path) -> None:
    for path in sorted(folder.glob("*.ru")):
        try:
            store.update(path.read_text(encoding="utf-8"))
        except SyntaxError as exc:
            raise SyntaxError(f"{path}: {exc}") from exc


def _count(store: ox.Store) -> int:
    return len(store)


def build(settings: dict, *, echo: Callable[[str], None] | None = None,
          validate: bool = True) -> BuildResult:
    progress = Progress(echo)
    base = settings["BASE_IRI"]
    mappings = Path(settings["MAPPINGS_DIR"])
    build_dir = Path(settings["BUILD_DIR"])
    files = reasoning.ontology_files(Path(settings["ONTOLOGY_DIR"]))

    with progress.step("read and check data/"):
        ingest = Ingest(Path(settings["DATA_DIR"]), mappings, files, base)
        corpus = ingest.load()

    store = ox.Store()
    with progress.step("close the ontology (owlrl)"):
        reasoning.load_tbox(store, reasoning.tbox_axioms(files, build_dir / "cache"))

    with progress.step(f"map {len(corpus.documents)} documents (JSON-LD)"):
        store.load(json.dumps(ingest.registry_jsonld(corpus)).encode("utf-8"),
                   format=ox.RdfFormat.JSON_LD)
        for doc_id in sorted(corpus.documents):
            payload = json.dumps(ingest.document_jsonld(corpus.documents[doc_id]))
            store.load(payload.encode("utf-8"), format=ox.RdfFormat.JSON_LD)
        run_rules(store, mappings / "rules" / "document")
        store.update(f"""PREFIX akgr: <{RAW}>
            DELETE {{ GRAPH ?st {{ ?s ?p ?o }} }} WHERE {{ ?st a akgr:Statement . GRAPH ?st {{ ?s ?p ?o }} }}""")

    with progress.step("derive and entail (OWL RL)"):
        before = -1
        while before != _count(store):
            before = _count(store)
            run_rules(store, mappings / "rules" / "derive")
            run_rules(store, mappings / "rules" / "entail")
        store.update(f"DROP DEFAULT ; DROP GRAPH <{reasoning.TBOX_GRAPH}> ;"
                     f"MOVE <{INFERRED_INTERNAL}> TO <{base}graph/inferred>")
        for path in files:
            store.load(path=str(path), format=ox.RdfFormat.TURTLE,
                       to_graph=ox.NamedNode(f"{base}graph/ontology"))

    report = None
    if validate:
        with progress.step("validate (SHACL)"):
            from ..validation.engine import validate_store
            report = validate_store(store, settings, corpus=corpus)
            report.raise_for_violations()

    with progress.step("write store and dumps"):
        release, graphs, total = write_release(store, build_dir, base)
    switch_current(build_dir, release)
    _prune(build_dir, keep=release)
    return BuildResult(release, total, graphs, progress.timings, report)


def write_release(store: ox.Store, build_dir: Path, base: str) -> tuple[Path, dict, int]:
    releases = build_dir / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    tmp = releases / f".partial-{stamp}-{os.getpid()}"
    final = releases / stamp
    try:
        tmp.mkdir()
        quads = sorted(store, key=lambda q: (str(q.graph_name), str(q.subject),
                                             str(q.predicate), str(q.object)))
        graphs: dict[str, int] = {}
        for quad in quads:
            graphs[quad.graph_name.value] = graphs.get(quad.graph_name.value, 0) + 1
        nquads = "".join(_nquad(q) for q in quads)
        (tmp / "dataset.nq").write_text(nquads, encoding="utf-8")
        ox.serialize(quads, str(tmp / "dataset.trig"), ox.RdfFormat.TRIG, prefixes=PREFIXES)
        disk = ox.Store(str(tmp / "store"))
        disk.bulk_extend(quads)
        disk.flush()
        disk.optimize()
        del disk
        dumps = {}
        for name in ("dataset.nq", "dataset.trig"):
            data = (tmp / name).read_bytes()
            dumps[name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        manifest = {"version": __version__, "base_iri": base,
                    "built": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "triples": len(quads), "graphs": dict(sorted(graphs.items())),
                    "dumps": dumps, "license": LICENSE}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final, graphs, len(quads)


def _nquad(quad: ox.Quad) -> str:
    return f"{quad.subject} {quad.predicate} {quad.object} {quad.graph_name} .\n"


def _prune(build_dir: Path, keep: Path) -> None:
    """Keep the newest releases (a server may still be reading the previous one)."""
    releases = sorted(p for p in (build_dir / RELEASES).iterdir()
                      if p.is_dir() and not p.name.startswith("."))
    for old in releases[:-KEEP_RELEASES]:
        if old.resolve() != keep.resolve():
            shutil.rmtree(old, ignore_errors=True)


def default_echo(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
