"""The shipped corpus conforms, and its warnings are exactly those docs/data-quality.md lists."""

from __future__ import annotations

import re
from pathlib import Path

from archivekg.validation.terms import Namer

DATA_QUALITY = Path(__file__).resolve().parents[2] / "docs" / "data-quality.md"


def listed_warnings(text: str) -> set[tuple[str, str]]:
    """(shape, focus id) for each id in backticks on a bullet line under a heading that names a
    shape (``## akgsh:EntityWikidataId — …``)."""
    listed, shape = set(), None
    for line in text.splitlines():
        heading = re.match(r"#+ .*?akgsh:(\w+)", line)
        if heading:
            shape = heading.group(1)
        elif line.startswith("#"):
            shape = None
        elif shape and line.startswith("- "):
            listed |= {(shape, focus) for focus in re.findall(r"`([^`]+)`", line)}
    return listed


def test_the_build_validates_the_corpus_with_zero_violations(built):
    report = built["result"].validation
    assert report is not None, "the build ran without validation"
    violations = [result for result in report.results if result.severity == "Violation"]
    assert not violations, report.to_text(limit=5)


def test_every_warning_of_the_corpus_is_listed_with_its_reason(built):
    report = built["result"].validation
    name = Namer(built["settings"]["BASE_IRI"])
    reported = {(str(r.shape).rsplit("#", 1)[-1], name(r.focus)) for r in report.results
                if r.severity == "Warning"}
    listed = listed_warnings(DATA_QUALITY.read_text(encoding="utf-8"))
    assert reported == listed, (f"reported but not listed in {DATA_QUALITY.name}: {sorted(reported - listed)}\n"
                                f"listed but no longer reported: {sorted(listed - reported)}")


def test_the_report_points_at_the_data_files(built):
    """Warnings about registry entries name the registry file and the entry's line; warnings
    about a document's things name its annotation file."""
    report = built["result"].validation
    for result in report.results:
        assert result.sources, f"{result.shape} on {result.focus}: no source"
        for source in result.sources:
            assert source.file.startswith("data/") and source.line, (result.shape, result.focus, source)
