"""Hostile input to the build, and builds beside a running server (issue 10): nothing a
build meets in data/ is silently skipped, killed builds leave nothing behind, and a release
a server has open is never deleted."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from archivekg import settings as settings_module
from archivekg.errors import UnexpectedFileError, YamlSyntaxError
from archivekg.release.make import KEEP_RELEASES, build
from archivekg.release.store import RELEASES, current_release

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

CASE = Path(__file__).parent / "mapping" / "cases" / "basic" / "data"
ANNOTATIONS = "annotations/memo-test-1950.yaml"


@pytest.fixture
def workspace(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(CASE, data)
    settings = settings_module.load({"DATA_DIR": str(data), "BUILD_DIR": str(tmp_path / "build")},
                                    environ={})
    first = build(settings, validate=False)
    return data, settings, first.release


def test_regression_annotation_file_replaced_by_a_directory(workspace):
    data, settings, release = workspace
    (data / ANNOTATIONS).unlink()
    (data / ANNOTATIONS).mkdir()
    with pytest.raises(UnexpectedFileError) as caught:
        build(settings, validate=False)
    assert "annotations/memo-test-1950.yaml: is a folder" in str(caught.value)
    assert current_release(settings["BUILD_DIR"]) == release


@pytest.mark.parametrize("where, name, message", [
    ("annotations", "notes.txt", "is not a .yaml file"),
    ("entities", "people.yml", "is not a .yaml file"),
    (".", "stray.yaml", "not part of the data layout"),
])
def test_anything_unexpected_in_data_is_an_error(workspace, where, name, message):
    data, settings, release = workspace
    (data / where / name).write_text("x: 1\n", encoding="utf-8")
    with pytest.raises(UnexpectedFileError, match=message):
        build(settings, validate=False)
    assert current_release(settings["BUILD_DIR"]) == release


def test_hidden_files_are_not_data(workspace):
    data, settings, _ = workspace
    (data / "annotations" / ".memo.yaml.swp").write_bytes(b"\0\1")
    build(settings, validate=False)


def test_regression_yaml_string_over_16_mib(workspace):
    data, settings, release = workspace
    registry = data / "entities" / "persons.yaml"
    registry.write_text(registry.read_text(encoding="utf-8")
                        + "- id: long-note\n  type: Person\n  name: Long Note\n"
                        + '  note: "' + "a" * (17 * 2**20) + '"\n', encoding="utf-8")
    line = registry.read_text(encoding="utf-8").count("\n")      # the note is the last line
    with pytest.raises(YamlSyntaxError) as caught:
        build(settings, validate=False)
    assert f"entities/persons.yaml:{line}:" in str(caught.value)
    assert "17,825,792 characters" in str(caught.value)
    assert current_release(settings["BUILD_DIR"]) == release


def test_regression_killed_builds_leave_partial_folders(workspace):
    data, settings, _ = workspace
    releases = Path(settings["BUILD_DIR"]) / RELEASES
    # A build killed before it took its lock (its process is gone), one killed after, and one
    # that is still writing (another process holds the lock).
    dead = releases / ".partial-20200101T000000000000Z-999999999"
    (dead / "store").mkdir(parents=True)
    locked_dead = releases / ".partial-20200101T000000000001Z-1"
    locked_dead.mkdir()
    (locked_dead / ".writer.lock").write_text("")
    alive = releases / ".partial-20200101T000000000002Z-2"
    alive.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from archivekg.release.store import lock_partial
        lock_partial(Path({str(alive)!r}))
        print("locked", flush=True)
        time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        build(settings, validate=False, incremental=False)
        assert not dead.exists() and not locked_dead.exists()
        assert alive.exists()
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    build(settings, validate=False, incremental=False)
    assert not alive.exists()
    assert not list(releases.glob(".partial-*"))


def test_regression_pruning_deletes_the_release_a_server_serves(workspace):
    data, settings, first = workspace
    server = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from archivekg.release.store import hold
        hold({str(first)!r})
        print("serving", flush=True)
        time.sleep(120)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout.readline().strip() == "serving"
        for _ in range(KEEP_RELEASES + 2):
            time.sleep(0.01)        # release names are time stamps
            build(settings, validate=False, incremental=False)
        releases = sorted(p for p in (Path(settings["BUILD_DIR"]) / RELEASES).iterdir()
                          if not p.name.startswith("."))
        assert first in releases                      # held: kept
        assert len(releases) == KEEP_RELEASES + 1     # the others were pruned
    finally:
        server.kill()
        server.wait()
        server.stdout.close()
    build(settings, validate=False, incremental=False)
    assert not first.exists()                         # no longer held: pruned
