"""The compiled engine borrows the store it validates: the graphs that are not data are set
aside and the texts added while it runs; the store must come back as it was, and a
read-only store (a published release) must give the same report from a copy."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from archivekg.release.store import current_release
from archivekg.validation.engine import validate_store


def _quads(store: ox.Store) -> set:
    return set(store.quads_for_pattern(None, None, None))


def _seen(report) -> list:
    return sorted((r.key, r.severity, r.message, r.group, tuple(map(str, r.sources))) for r in report.results)


def test_the_store_lent_to_validation_is_given_back_as_it_was(built):
    settings = built["settings"]
    release = Path(current_release(settings["BUILD_DIR"]))
    store = ox.Store()
    store.load(path=str(release / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    extra = ox.NamedNode("http://example.org/not-data")
    store.add(ox.Quad(extra, extra, ox.Literal("x")))                        # the default graph
    store.add(ox.Quad(extra, extra, ox.Literal("y"), extra))                  # a graph that is not data
    store.add_graph(ox.NamedNode("http://example.org/empty"))
    before, graphs = _quads(store), set(store.named_graphs())
    assert any(q.graph_name.value.endswith("/graph/ontology") for q in before if isinstance(q.graph_name, ox.NamedNode))

    report = validate_store(store, settings, workers=1)

    assert report.results, "the shipped corpus has warnings: nothing was validated"
    assert _quads(store) == before
    assert set(store.named_graphs()) == graphs


def test_a_read_only_release_gives_the_report_of_the_store_in_memory(built, store):
    settings = built["settings"]
    release = Path(current_release(settings["BUILD_DIR"]))
    memory = ox.Store()
    memory.load(path=str(release / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    assert _seen(validate_store(store, settings, workers=1)) == _seen(validate_store(memory, settings, workers=1))
