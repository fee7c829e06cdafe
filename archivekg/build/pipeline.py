"""The build: data/ → checked JSON-LD → RDF dataset → OWL RL → SHACL → store and dumps.

Everything happens in an in-memory Oxigraph store (fast updates); the result is written as a
new release folder which replaces ``BUILD_DIR/current`` only when every step succeeded, so a
failed build changes nothing that is served.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from ..store import RELEASES, switch_current
from . import incremental as increments
from . import reasoning
from .ingest import Ingest
from .release import ReleaseWriter

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
    "schema": "http://schema.org/",
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


def run_rules(store: ox.Store, folder: Path | list[Path]) -> None:
    paths = sorted(folder.glob("*.ru")) if isinstance(folder, Path) else folder
    for path in paths:
        try:
            store.update(path.read_text(encoding="utf-8"))
        except SyntaxError as exc:
            raise SyntaxError(f"{path}: {exc}") from exc


def entailment_rules(mappings: Path) -> tuple[list[Path], list[Path]]:
    """The rules of derive/ and entail/ that add triples, and those that only delete.

    Deleting rules (``90-not-again``: an entailment a document already asserts is not
    repeated) remove copies of triples that stay in another graph, and every rule reads the
    union of the graphs: so they change nothing a rule sees, and running them once after
    the fixpoint leaves the same graph as running them in every round, at a fraction of the
    cost (they join the whole inferred graph with every other graph).
    """
    adding, deleting = [], []
    for folder in ("derive", "entail"):
        for path in sorted((mappings / "rules" / folder).glob("*.ru")):
            code = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                             if not line.lstrip().startswith("#"))
            (adding if re.search(r"\bINSERT\b", code, re.IGNORECASE) else deleting).append(path)
    return adding, deleting


def entail(store: ox.Store, mappings: Path, after_first_round: Callable[[], None] | None = None) -> None:
    """Apply the rules until they add nothing (their fixpoint), then the deleting ones.

    ``after_first_round`` runs between the first round and the others (a rebuild adds the
    unchanged entailments there, see delta.py)."""
    adding, deleting = entailment_rules(mappings)
    run_rules(store, adding)
    if after_first_round is not None:
        after_first_round()
    before = -1
    while before != len(store):
        before = len(store)
        run_rules(store, adding)
    run_rules(store, deleting)


def not_in_ontology(base: str) -> str:
    """An entailment the ontology states as written (the units are akg:Unit and skos:Concept
    there) is not repeated in the inferred graph: no triple is stated in two graphs, so the
    union default graph returns each once (docs/graph-model.md, "Each triple once")."""
    return f"""DELETE {{ GRAPH <{base}graph/inferred> {{ ?s ?p ?o }} }}
        WHERE {{ GRAPH <{base}graph/inferred> {{ ?s ?p ?o }} GRAPH <{base}graph/ontology> {{ ?s ?p ?o }} }}"""


def map_documents(store: ox.Store, ingest: Ingest, corpus, mappings: Path) -> None:
    """Each document's JSON-LD, then the document rules: one named graph per document.
    Every rule of rules/document/ reads one statement's (or one document's) raw nodes, so
    mapping documents one at a time or all together gives the same graphs."""
    for doc_id in sorted(corpus.documents):
        payload = json.dumps(ingest.document_jsonld(corpus.documents[doc_id]))
        store.load(payload.encode("utf-8"), format=ox.RdfFormat.JSON_LD)
    run_rules(store, mappings / "rules" / "document")
    store.update(f"""PREFIX akgr: <{RAW}>
        DELETE {{ GRAPH ?st {{ ?s ?p ?o }} }} WHERE {{ ?st a akgr:Statement . GRAPH ?st {{ ?s ?p ?o }} }}""")


def build(settings: dict, *, echo: Callable[[str], None] | None = None,
          validate: bool = True, incremental: bool = True) -> BuildResult:
    """Build the release of DATA_DIR.  When only a few documents changed since the served
    release was built, only they and what they touch are redone (incremental.py); the
    release is the same, byte for byte, as a full build's.  ``incremental=False`` forces
    the full build."""
    progress = Progress(echo)
    build_dir = Path(settings["BUILD_DIR"])
    # Hashed before anything is read: a file changed during the build is seen as changed next time.
    with progress.step("find what changed"):
        state = increments.load(build_dir, settings) if incremental else None
        files = increments.scan(Path(settings["DATA_DIR"]), state.files if state else None)
    if state is not None:
        # Nothing changed: a full build (a build asked for twice is made twice, and its
        # dumps are the same: that is how determinism is checked).
        changed = increments.changed_documents(state, files)
        if changed and len(changed) <= increments.MAX_CHANGED:
            result = _rebuild(settings, state, files, changed, progress, validate)
            if result is not None:
                return result
    return _full_build(settings, files, progress, validate)


def _rebuild(settings, state, files, changed, progress, validate) -> BuildResult | None:
    base = settings["BASE_IRI"]
    ingest = Ingest(Path(settings["DATA_DIR"]), Path(settings["MAPPINGS_DIR"]),
                    reasoning.ontology_files(Path(settings["ONTOLOGY_DIR"])), base)
    done = increments.rebuild(settings, state, changed, ingest, progress)
    if done is None:
        return None
    writer, corpus = done.writer, done.corpus
    report = None
    try:
        if validate:
            with progress.step("validate (SHACL)"):
                report = _validate_rebuilt(settings, state, done)
                report.raise_for_violations()
        del done.store
        with progress.step("write the manifest"):
            release = writer.finish(base, LICENSE)
    except BaseException:
        writer.abort()
        raise
    return _publish(settings, release, writer, files, corpus, progress, report,
                    previous=state, removed=changed - set(corpus.documents))


def _validate_rebuilt(settings: dict, state, done):
    """What the change can alter, with the previous results for the rest; all of it when the
    previous release was built without validation."""
    if state.validation is not None:
        from ..validation.change import validate_change
        return validate_change(done.store, settings, corpus=done.corpus, graphs=done.graphs,
                               changed=done.changed, previous=state.validation,
                               names=done.writer.graphs)
    from ..validation.engine import validate_store
    store = ox.Store()
    store.load(path=str(done.writer.folder / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    return validate_store(store, settings)


def _full_build(settings: dict, files: dict[str, tuple], progress: Progress, validate: bool) -> BuildResult:
    base = settings["BASE_IRI"]
    mappings = Path(settings["MAPPINGS_DIR"])
    build_dir = Path(settings["BUILD_DIR"])
    ontology = reasoning.ontology_files(Path(settings["ONTOLOGY_DIR"]))

    with progress.step("read and check data/"):
        ingest = Ingest(Path(settings["DATA_DIR"]), mappings, ontology, base)
        corpus = ingest.load()

    store = ox.Store()
    with progress.step("close the ontology (owlrl)"):
        reasoning.load_tbox(store, reasoning.tbox_axioms(ontology, build_dir / "cache"))

    with progress.step(f"map {len(corpus.documents)} documents (JSON-LD)"):
        store.load(json.dumps(ingest.registry_jsonld(corpus)).encode("utf-8"),
                   format=ox.RdfFormat.JSON_LD)
        run_rules(store, mappings / "rules" / "registry")
        map_documents(store, ingest, corpus, mappings)

    with progress.step("derive and entail (OWL RL)"):
        entail(store, mappings)
        store.update(f"DROP DEFAULT ; DROP GRAPH <{reasoning.TBOX_GRAPH}> ;"
                     f"MOVE <{INFERRED_INTERNAL}> TO <{base}graph/inferred>")
        for path in ontology:
            store.load(path=str(path), format=ox.RdfFormat.TURTLE,
                       to_graph=ox.NamedNode(f"{base}graph/ontology"))
        store.update(not_in_ontology(base))

    report = None
    writer = ReleaseWriter(build_dir)
    try:
        with progress.step("write dumps"):
            writer.write_dumps(store, PREFIXES)
        writer.load_store()
        if validate:
            with progress.step("validate (SHACL)"):
                from ..validation.engine import validate_store
                report = validate_store(store, settings, corpus=corpus)
                report.raise_for_violations()
        with progress.step("write the on-disk store (rest)"):
            release = writer.finish(base, LICENSE)
    except BaseException:
        writer.abort()
        raise
    return _publish(settings, release, writer, files, corpus, progress, report)


def _publish(settings: dict, release: Path, writer, files, corpus, progress: Progress, report,
             **rebuilt) -> BuildResult:
    """Serve the finished release, and remember what the next build needs (incremental.py)."""
    build_dir = Path(settings["BUILD_DIR"])
    switch_current(build_dir, release)
    _prune(build_dir, keep=release)
    with progress.step("remember what was built"):
        increments.save(build_dir, release, settings, files, corpus, writer.offsets,
                        validation=report.stored() if report is not None else None, **rebuilt)
    return BuildResult(release, sum(writer.graphs.values()), writer.graphs, progress.timings, report)


def _prune(build_dir: Path, keep: Path) -> None:
    """Keep the newest releases (a server may still be reading the previous one)."""
    releases = sorted(p for p in (build_dir / RELEASES).iterdir()
                      if p.is_dir() and not p.name.startswith("."))
    for old in releases[:-KEEP_RELEASES]:
        if old.resolve() != keep.resolve():
            shutil.rmtree(old, ignore_errors=True)


def default_echo(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
