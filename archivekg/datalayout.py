"""What data/ holds besides what the build reads: the curation files kept beside a document's
annotations.

``archivekg annotate`` writes the statements it proposes for a document to
``annotations/<doc-id>.proposals.yaml`` and ``archivekg review`` remembers the proposals a
person rejected in ``annotations/<doc-id>.rejected.yaml``, so that they are not proposed again.
Neither is data of the graph: the build reads neither, and a change to them changes no release.
Any other file the build does not read is still refused (release/state.py)."""

from __future__ import annotations

PROPOSALS_SUFFIX = ".proposals.yaml"
REJECTED_SUFFIX = ".rejected.yaml"
CURATION_SUFFIXES = (PROPOSALS_SUFFIX, REJECTED_SUFFIX)


def is_curation_file(folder: str, name: str) -> bool:
    """Whether ``folder/name`` (folder relative to data/) is a curation file the build skips."""
    return folder == "annotations" and name.endswith(CURATION_SUFFIXES) \
        and len(name) > max(len(s) for s in CURATION_SUFFIXES if name.endswith(s))


def proposals_name(doc_id: str) -> str:
    return f"{doc_id}{PROPOSALS_SUFFIX}"


def rejected_name(doc_id: str) -> str:
    return f"{doc_id}{REJECTED_SUFFIX}"
