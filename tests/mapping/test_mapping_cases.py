"""Mapping cases: each folder of tests/mapping/cases/ holds a small data/ tree and the
N-Quads its build must give (the document and registry graphs), compared graph-isomorphically.

To add a case: make the folder with its data/, write expected.nq by hand or from a build you
have read line by line, and keep the case small enough to read.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.compare import graph_diff, to_isomorphic

from archivekg import settings as settings_module
from archivekg.release.make import build

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

CASES = sorted(p for p in (Path(__file__).parent / "cases").iterdir() if p.is_dir())
COMPARED = ("graph/entities",)  # besides each document's own graph


def _graphs(path: Path, base: str) -> dict[str, rdflib.Graph]:
    dataset = rdflib.Dataset()
    dataset.parse(path, format="nquads")
    graphs = {}
    for context in dataset.graphs():
        name = str(context.identifier)
        if name.startswith(base + "graph/") and not name.endswith(("/inferred", "/ontology")):
            graphs[name] = to_isomorphic(context)
    return graphs


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_mapping_case(case, tmp_path):
    settings = settings_module.load({"DATA_DIR": str(case / "data"), "BUILD_DIR": str(tmp_path)},
                                    environ={})
    result = build(settings, validate=False)
    base = settings["BASE_IRI"]
    got = _graphs(result.release / "dataset.nq", base)
    want = _graphs(case / "expected.nq", base)
    assert sorted(got) == sorted(want), "named graphs differ"
    for name in want:
        if got[name] != want[name]:
            _, only_got, only_want = graph_diff(got[name], want[name])
            pytest.fail(f"{name} differs.\nonly in the build:\n"
                        f"{only_got.serialize(format='nt')}\nonly expected:\n"
                        f"{only_want.serialize(format='nt')}")
