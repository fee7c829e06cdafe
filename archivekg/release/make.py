"""The build: data/ → checked JSON-LD → RDF dataset → OWL RL → SHACL → store and dumps.

Everything happens in an in-memory Oxigraph store (fast updates); the result is written as a
new release folder which replaces ``BUILD_DIR/current`` only when every step succeeded, so a
failed build changes nothing that is served.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from archivekg.namespaces import INFERRED, INFERRED_INTERNAL, LICENSE, ONTOLOGY, PREFIXES, graph_iri
from archivekg.pipeline import reasoning
from archivekg.pipeline.ingest import Ingest
from archivekg.pipeline.mapping import entail, map_documents, not_in_ontology, run_rules
from archivekg.release import incremental as increments
from archivekg.release.search import write_search_index
from archivekg.release.store import RELEASES, remove_if_unused, switch_current
from archivekg.release.writer import ReleaseWriter

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
        with progress.step("search index (changed documents)"):
            write_search_index(done.store, writer.folder, settings, changed_graphs=done.graphs,
                               previous=Path(settings["BUILD_DIR"]) / RELEASES / state.release)
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
        from archivekg.validation.change import validate_change
        return validate_change(done.store, settings, corpus=done.corpus, graphs=done.graphs,
                               changed=done.changed, previous=state.validation,
                               names=done.writer.graphs)
    from archivekg.validation.engine import validate_store
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
                     f"MOVE <{INFERRED_INTERNAL}> TO <{graph_iri(base, INFERRED)}>")
        for path in ontology:
            store.load(path=str(path), format=ox.RdfFormat.TURTLE,
                       to_graph=ox.NamedNode(graph_iri(base, ONTOLOGY)))
        store.update(not_in_ontology(base))

    report = None
    writer = ReleaseWriter(build_dir)
    try:
        with progress.step("write dumps"):
            writer.write_dumps(store, PREFIXES)
        writer.load_store()
        with progress.step("search index"):
            write_search_index(store, writer.folder, settings)
        if validate:
            with progress.step("validate (SHACL)"):
                from archivekg.validation.engine import validate_store
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
    """Keep the newest releases, and every release a server still serves."""
    releases = sorted(p for p in (build_dir / RELEASES).iterdir()
                      if p.is_dir() and not p.name.startswith("."))
    for old in releases[:-KEEP_RELEASES]:
        if old.resolve() != keep.resolve():
            remove_if_unused(old)     # a release a server still has open stays


def default_echo(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
