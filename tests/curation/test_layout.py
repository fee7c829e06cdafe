"""The build reads no curation file: proposals and rejections beside the annotations are
allowed by name, change no release, and trigger no rebuild; anything else unexpected is still
refused."""

from __future__ import annotations

import pytest

from archivekg import settings as settings_module
from archivekg.errors import UnexpectedFileError
from archivekg.release import state
from archivekg.release.make import build

from .conftest import ROOT

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

CASE = ROOT / "tests" / "mapping" / "cases" / "basic" / "data"


@pytest.fixture
def case(tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(CASE, data)
    return data


def test_curation_files_are_allowed_and_not_read(case, tmp_path):
    settings = settings_module.load({"DATA_DIR": str(case), "BUILD_DIR": str(tmp_path / "build")}, environ={})
    first = build(settings, validate=False)
    dump = (first.release / "dataset.nq").read_bytes()
    # Not even valid annotations: the build must not read them.
    (case / "annotations" / "memo-test-1950.proposals.yaml").write_text("document: [not, an, id]\n")
    (case / "annotations" / "memo-test-1950.rejected.yaml").write_text("- {proposal: p-1}\n")
    state.check_layout(case)
    files = state.scan(case)
    assert not any("proposals" in f or "rejected" in f for f in files)
    second = build(settings, validate=False)
    assert (second.release / "dataset.nq").read_bytes() == dump


@pytest.mark.parametrize("folder, name, message", [
    ("documents", "memo-test-1950.proposals.yaml", None),          # a record named so is a record
    ("entities", "persons.rejected.yaml", None),
    ("annotations", ".proposals.yaml", None),                      # hidden: not data, as before
    ("annotations", "memo-test-1950.proposals.yml", "is not a .yaml file"),
    ("annotations", "memo-test-1950.proposals.txt", "is not a .yaml file"),
])
def test_only_the_curation_names_beside_the_annotations_are_skipped(case, folder, name, message):
    (case / folder / name).write_text("x: 1\n")
    if message is None:
        state.check_layout(case)
        skipped = name.startswith(".") or folder == "annotations"
        assert (f"{folder}/{name}" in state.scan(case)) is not skipped
    else:
        with pytest.raises(UnexpectedFileError, match=message):
            state.check_layout(case)


def test_a_curation_file_that_is_a_folder_is_refused(case):
    (case / "annotations" / "memo-test-1950.proposals.yaml").mkdir()
    with pytest.raises(UnexpectedFileError, match="is a folder"):
        state.check_layout(case)
