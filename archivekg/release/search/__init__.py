"""The search index of a release: full text (Tantivy) and names (``archivekg.names``).

``build(store, release, settings)`` writes it into a release being built, ``update(...)``
into a rebuilt one from the previous release's index; ``load_name_index(release)`` gives
the entity name index (search, autocomplete, reconciliation); ``SearchIndex(release)``
answers searches, index pages and completions (reader.py).
"""

from pathlib import Path

from archivekg.release.search.build import Summary, build, update
from archivekg.release.search.names import load_name_index


def write_search_index(store, release: Path, settings: dict, *, previous: Path | None = None,
                       changed_graphs: set[str] | None = None) -> Summary:
    """The build's one call: the index of the release being written in ``release`` from its
    ``store``; from the ``previous`` release's index when only ``changed_graphs`` changed."""
    if previous is None or changed_graphs is None:
        return build(store, release, settings)
    return update(store, release, previous, changed_graphs, settings)


__all__ = ["Summary", "build", "load_name_index", "update", "write_search_index"]
