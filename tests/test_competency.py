"""The competency questions of tests/competency/ answered by the built graph.

Each `<slug>.rq` (and its CIDOC-CRM-only `.crm.rq` / schema.org-only `.schema.rq` twins)
must give exactly the rows of `<slug>.expected.json`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from archivekg.cli.query import run_query

FOLDER = Path(__file__).parent / "competency"
AKG = "https://w3id.org/archivekg/ontology#"
# A question's twins ask it again in one standard vocabulary only (with RDF, RDFS, OWL, XSD and
# SKOS for labels and concept schemes, and our resources' ids).
TWINS = {".crm.rq": "CIDOC-CRM", ".schema.rq": "schema.org"}
ALLOWED_PREFIXES = {".crm.rq": {"crm", "rdf", "rdfs", "owl", "xsd", "skos", "id"},
                    ".schema.rq": {"schema", "rdf", "rdfs", "owl", "xsd", "skos", "id"}}
REASON = re.compile(r"^# Not expressible in (CIDOC-CRM|schema\.org): (\S.{30,})$", re.MULTILINE)


def twin_suffix(path: Path) -> str | None:
    return next((suffix for suffix in TWINS if path.name.endswith(suffix)), None)


def has_query(path: Path) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#")
               for line in path.read_text(encoding="utf-8").splitlines())


ALL = sorted(FOLDER.glob("*.rq"))
QUESTIONS = [q for q in ALL if twin_suffix(q) is None]
QUERIES = [q for q in ALL if has_query(q)]
REASONS = [q for q in ALL if twin_suffix(q) and not has_query(q)]


def expected_for(query: Path) -> dict:
    slug = query.name[: -len(".rq")]
    for twin in (".crm", ".schema"):
        if slug.endswith(twin):
            slug = slug[: -len(twin)]
    return json.loads((FOLDER / f"{slug}.expected.json").read_text(encoding="utf-8"))


def normalise(term, base: str) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        if term.value.startswith(base + "id/"):
            return "id:" + term.value[len(base) + 3:]
        if term.value.startswith(AKG):
            return "akg:" + term.value[len(AKG):]
        return term.value
    return term.value


def test_there_are_enough_questions():
    assert len(QUESTIONS) >= 35
    assert len(QUERIES) > len(QUESTIONS) + 40     # most questions have twins that answer


def test_every_question_says_what_it_asks_and_answers():
    for query in ALL:
        text = query.read_text(encoding="utf-8")
        assert "# Q:" in text and ("# A:" in text or twin_suffix(query)), query.name
        if has_query(query):
            assert "# A:" in text, query.name


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.name for q in QUESTIONS])
def test_every_question_has_a_twin_in_each_standard_vocabulary(question):
    for suffix in TWINS:
        twin = question.with_name(question.name[: -len(".rq")] + suffix)
        assert twin.is_file(), f"{twin.name} is missing"


@pytest.mark.parametrize("twin", REASONS, ids=[q.name for q in REASONS])
def test_a_twin_without_a_query_says_why(twin):
    text = twin.read_text(encoding="utf-8")
    reasons = REASON.findall(text)
    assert len(reasons) == 1, f"{twin.name}: one line '# Not expressible in <vocabulary>: <why>'"
    assert reasons[0][0] == TWINS[twin_suffix(twin)], twin.name
    assert "# Q:" in text and not has_query(twin)


def _code(text: str) -> str:
    """The query without its comments, string literals and IRIs written in full."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    code = "\n".join(lines)
    code = re.sub(r'"[^"\n]*"', '""', code)
    return re.sub(r"<[^>\s]*>", "<>", code)


TWIN_QUERIES = [q for q in QUERIES if twin_suffix(q)]


@pytest.mark.parametrize("twin", TWIN_QUERIES, ids=[q.name for q in TWIN_QUERIES])
def test_a_twin_uses_only_its_vocabulary(twin):
    text = twin.read_text(encoding="utf-8")
    assert REASON.search(text) is None, f"{twin.name} has a query and says it cannot have one"
    allowed = ALLOWED_PREFIXES[twin_suffix(twin)]
    declared = dict(re.findall(r"PREFIX\s+(\w*):\s*<([^>]*)>", text, re.IGNORECASE))
    assert set(declared) <= allowed, f"{twin.name} declares {set(declared) - allowed}"
    used = set(re.findall(r"(?<![\w?$])([A-Za-z][\w-]*):(?=[A-Za-z_])", _code(text)))
    assert used <= set(declared), f"{twin.name} uses undeclared prefixes {used - set(declared)}"
    assert AKG not in text and "archivekg/ontology" not in text
    full_iris = re.findall(r"<([^>\s]*)>", "\n".join(
        line for line in text.splitlines() if not line.lstrip().startswith("#")))
    assert all(iri in declared.values() for iri in full_iris), full_iris


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_competency_question(query, store, built):
    base = built["settings"]["BASE_IRI"]
    expected = expected_for(query)
    results = run_query(store, query.read_text(encoding="utf-8"), base)
    if "boolean" in expected:
        assert isinstance(results, ox.QueryBoolean), "an ASK query was expected"
        assert bool(results) is expected["boolean"]
        return
    variables = [v.value for v in results.variables]
    rows = [{v: normalise(solution[v], base) for v in variables} for solution in results]
    want = [{k: (None if v is None else str(v)) for k, v in row.items()} for row in expected["rows"]]
    if expected.get("ordered"):
        assert rows == want
    else:
        key = lambda row: json.dumps(row, sort_keys=True)  # noqa: E731
        assert Counter(map(key, rows)) == Counter(map(key, want))


GRAPH_MODEL = Path(__file__).resolve().parent.parent / "docs" / "graph-model.md"


@pytest.mark.parametrize("suffix", list(TWINS))
def test_the_docs_say_which_questions_each_vocabulary_answers(suffix):
    """docs/graph-model.md lists, per vocabulary, the questions its twins answer and those it
    cannot express, with their numbers: they are the twin files as they are."""
    vocabulary = TWINS[suffix]
    text = GRAPH_MODEL.read_text(encoding="utf-8")
    name = re.escape(vocabulary)
    answers = re.search(rf"\*\*{name}\*\* answers (\d+) of the (\d+) questions: (.*?)\.\n", text)
    cannot = re.search(rf"\*\*{name}\*\* cannot express (\d+) \(each twin file says why\): (.*?)\.", text)
    assert answers and cannot, f"docs/graph-model.md does not list the questions of {vocabulary}"
    listed_yes = re.findall(r"`([a-z0-9-]+)`", answers[3])
    listed_no = re.findall(r"`([a-z0-9-]+)`", cannot[2])
    slug = lambda q: q.name[: -len(".rq")]  # noqa: E731
    twins = [q.with_name(slug(q) + suffix) for q in QUESTIONS]
    yes = sorted(slug(q) for q, t in zip(QUESTIONS, twins, strict=False) if has_query(t))
    no = sorted(slug(q) for q, t in zip(QUESTIONS, twins, strict=False) if not has_query(t))
    assert (int(answers[1]), int(answers[2]), sorted(listed_yes)) == (len(yes), len(QUESTIONS), yes)
    assert (int(cannot[1]), sorted(listed_no)) == (len(no), no)
