"""`archivekg link`: our registries reconciled against a second archivekg serving a partner's
dataset on 127.0.0.1; the proposals it writes (outside data/), a curator accepting one, and the
accepted links published as owl:sameAs and skos:closeMatch, counted in VoID and shown on pages."""

from __future__ import annotations

import hashlib
import re
import shutil
import socket
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from click.testing import CliRunner
from sparql.conftest import start_server

from archivekg import settings as settings_module
from archivekg.cli import main
from archivekg.errors import SchemaError
from archivekg.release.make import build
from archivekg.release.state import check_layout
from archivekg.release.store import current_release, open_store

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

ROOT = Path(__file__).resolve().parents[2]
PARTNER_ID = "https://partner.example/id/"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
SKOS_CLOSE_MATCH = "http://www.w3.org/2004/02/skos/core#closeMatch"


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_data(folder: Path) -> Path:
    data = folder / "data"
    shutil.copytree(ROOT / "data", data)
    for path in data.rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)
    return data


def run_link(*arguments: str):
    return CliRunner().invoke(main, ["link", *arguments])


@pytest.fixture(scope="module")
def linked(partner, tmp_path_factory):
    """`archivekg link` run once over a copy of data/ for persons and for places."""
    data = copy_data(tmp_path_factory.mktemp("link"))
    before = digests(data)
    persons = run_link("--service", partner.base + "/reconcile", "--type", "Person", "--data", str(data),
                       "--property", "wikidata=wikidata")
    places = run_link("--service", partner.base + "/reconcile", "--type", "Place", "--data", str(data))
    return {"data": data, "before": before, "persons": persons, "places": places,
            "folder": data.parent / "proposals" / "links"}


def entries(path: Path) -> dict[str, dict]:
    return {item["entry"]: item for item in yaml.safe_load(path.read_text(encoding="utf-8"))}


def test_proposals_are_written_beside_the_registries_outside_data_and_data_is_untouched(linked, partner):
    assert linked["persons"].exit_code == 0, linked["persons"].output
    assert linked["places"].exit_code == 0, linked["places"].output
    slug = f"127.0.0.1-{partner.port}-reconcile"
    assert sorted(p.name for p in linked["folder"].iterdir()) == [f"persons.{slug}.yaml", f"places.{slug}.yaml"]
    assert "data/entities/persons.yaml: 39 entries sent" in linked["persons"].output
    assert digests(linked["data"]) == linked["before"]
    check_layout(linked["data"])          # the build still accepts data/ as it is


def test_each_candidate_comes_with_its_score_its_evidence_and_what_to_copy_to_accept_it(linked, partner):
    path = next(linked["folder"].glob("persons.*.yaml"))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Links proposed by `archivekg link`")
    assert "Nothing here is published and nothing was linked" in text
    found = entries(path)
    kim = found["kim-il-sung"]
    assert re.fullmatch(r"data/entities/persons\.yaml:\d+", kim["registry"])
    assert kim["query"]["query"] == "Kim Il Sung" and kim["query"]["type"] == "Person"
    assert kim["query"]["properties"] == [{"pid": "wikidata", "v": "Q41117"}]
    first = kim["candidates"][0]
    assert first["iri"] == PARTNER_ID + "p-kim-ir-sen" and first["name"] == "Ким Ир Сен"
    assert first["service_match"] is True and first["score"] > 90
    assert any(e.startswith("our names: a form of our name:") for e in first["evidence"])
    assert any("wikidata: agrees (Q41117)" in e for e in first["evidence"])
    assert first["accept"]["sameAs"] == [PARTNER_ID + "p-kim-ir-sen"]
    source = first["accept"]["linkSource"][0]
    assert source.startswith(PARTNER_ID + "p-kim-ir-sen: proposed by `archivekg link`")
    assert f"{partner.base}/reconcile" in source
    # The partner's two Nam Ils both come back; the Wikidata id tells the service which.
    nam = found["nam-il"]["candidates"]
    assert [c["iri"] for c in nam[:2]] == [PARTNER_ID + "p-nam-il-general", PARTNER_ID + "p-nam-il-teacher"]
    assert [c["service_match"] for c in nam[:2]] == [True, False]
    # Someone the partner has and we do not is never proposed as a match; an entry with
    # nothing like it at the partner is listed with no candidate.
    assert not any(c["service_match"] and c["iri"].endswith("p-kim-tu-bong")
                   for item in found.values() for c in item["candidates"])
    assert found["byakov-i"]["candidates"] == []


def test_places_are_sent_with_the_partners_type_for_them(linked):
    found = entries(next(linked["folder"].glob("places.*.yaml")))
    assert found["sunido"]["query"]["type"] == "Place"        # Island is ours; the partner has Place
    kaesong = found["kaesong"]["candidates"][0]
    assert kaesong["iri"] == PARTNER_ID + "p-kaesong" and kaesong["name"] == "Кэсон"
    assert found["pyongyang"]["candidates"][0]["iri"] == PARTNER_ID + "p-pyongyang"


def test_proposals_are_never_written_into_data(partner, tmp_path):
    data = copy_data(tmp_path)
    result = run_link("--service", partner.base + "/reconcile", "--data", str(data),
                      "--out", str(data / "entities" / "proposals"))
    assert result.exit_code == 2
    assert "is inside the data folder" in result.output
    assert not (data / "entities" / "proposals").exists()


def test_a_service_that_cannot_be_reached_or_is_not_one_is_reported_clearly(ours, tmp_path):
    data = copy_data(tmp_path)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    unreachable = run_link("--service", f"http://127.0.0.1:{closed}/reconcile", "--data", str(data))
    assert unreachable.exit_code == 2
    assert f"cannot reach the reconciliation service at http://127.0.0.1:{closed}/reconcile" in unreachable.output
    not_one = run_link("--service", ours.base + "/health", "--data", str(data))
    assert not_one.exit_code == 2
    assert "is not a reconciliation service: its manifest has no name, identifierSpace, schemaSpace" in not_one.output
    rdf = run_link("--service", ours.base + "/.well-known/void", "--data", str(data))
    assert rdf.exit_code == 2 and "answered a manifest that is not a JSON object" in rdf.output
    bad_option = run_link("--service", ours.base + "/reconcile", "--data", str(data), "--property", "wikidata")
    assert bad_option.exit_code == 2 and "write FIELD=PID" in bad_option.output


def accept(registry: Path, entry_id: str, fields: dict) -> None:
    """What a curator does: the accept fields copied into the entry, after its first line."""
    text = registry.read_text(encoding="utf-8")
    block = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1000)
    indented = "".join(f"  {line}\n" for line in block.splitlines())
    anchor = f"- id: {entry_id}\n"
    assert anchor in text
    registry.write_text(text.replace(anchor, anchor + indented, 1), encoding="utf-8")


def test_an_accepted_link_is_published_counted_in_void_and_shown_on_the_page(linked, tmp_path):
    data = copy_data(tmp_path)
    persons = entries(next(linked["folder"].glob("persons.*.yaml")))
    places = entries(next(linked["folder"].glob("places.*.yaml")))
    same = persons["kim-il-sung"]["candidates"][0]["accept"]
    accept(data / "entities" / "persons.yaml", "kim-il-sung", same)
    near = dict(places["pyongyang"]["candidates"][0]["accept"])
    near = {"closeMatch": near["sameAs"], "linkSource": near["linkSource"]}     # the curator's choice
    accept(data / "entities" / "places.yaml", "pyongyang", near)

    values = {"DATA_DIR": str(data), "BUILD_DIR": str(tmp_path / "build")}
    build(settings_module.load(values, environ={}))
    store = open_store(current_release(values["BUILD_DIR"]))
    entities = ox.NamedNode("https://w3id.org/archivekg/graph/entities")
    ours = "https://w3id.org/archivekg/id/"
    assert ox.Quad(ox.NamedNode(ours + "kim-il-sung"), ox.NamedNode(OWL_SAME_AS),
                   ox.NamedNode(PARTNER_ID + "p-kim-ir-sen"), entities) in store
    assert ox.Quad(ox.NamedNode(ours + "pyongyang"), ox.NamedNode(SKOS_CLOSE_MATCH),
                   ox.NamedNode(PARTNER_ID + "p-pyongyang"), entities) in store
    sources = [q.object.value for q in store.quads_for_pattern(
        ox.NamedNode(ours + "kim-il-sung"), ox.NamedNode("https://w3id.org/archivekg/ontology#linkSource"), None)]
    assert sources == same["linkSource"]
    # Nothing states anything about the partner's IRIs (no symmetric closure of the links).
    assert list(store.quads_for_pattern(ox.NamedNode(PARTNER_ID + "p-pyongyang"), None, None)) == []

    server = start_server(tmp_path, settings={"BUILD_DIR": values["BUILD_DIR"]}, workers=1)
    try:
        void = server.get("/.well-known/void", headers={"Accept": "application/n-triples"}).text
        graph = ox.Store()
        graph.load(void.encode(), format=ox.RdfFormat.N_TRIPLES)
        rows = {(r["p"].value, r["space"].value): int(r["n"].value) for r in graph.query("""
            PREFIX void: <http://rdfs.org/ns/void#>
            SELECT ?p ?space ?n WHERE { ?d void:subset ?l . ?l a void:Linkset ; void:linkPredicate ?p ;
              void:subjectsTarget ?d ; void:objectsTarget ?t ; void:triples ?n . ?t void:uriSpace ?space }""")}
        assert rows[(OWL_SAME_AS, PARTNER_ID)] == 1
        assert rows[(SKOS_CLOSE_MATCH, PARTNER_ID)] == 1
        assert rows[(OWL_SAME_AS, "http://www.wikidata.org/entity/")] == 8     # from the registries' wikidata ids
        page = server.get("/page/kim-il-sung", headers={"Accept": "text/html"}).text
        section = page[page.index("In other datasets"):]
        assert f'href="{PARTNER_ID}p-kim-ir-sen"' in section[:2000] and "same as" in section[:2000]
        assert "proposed by `archivekg link`" in section[:4000]
        place = server.get("/page/pyongyang", headers={"Accept": "text/html"}).text
        assert "close match" in place and f'href="{PARTNER_ID}p-pyongyang"' in place
    finally:
        server.stop()


@pytest.mark.parametrize("fields, message", [
    ("  sameAs:\n  - https://partner.example/id/p-kim-ir-sen\n", "'linkSource' is a dependency of 'sameAs'"),
    ("  closeMatch:\n  - partner:p-kim-ir-sen\n  linkSource:\n  - x\n", "does not match"),
])
def test_a_link_without_its_source_or_not_an_iri_stops_the_build(tmp_path, fields, message):
    data = copy_data(tmp_path)
    registry = data / "entities" / "persons.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace(
        "- id: kim-il-sung\n", "- id: kim-il-sung\n" + fields, 1), encoding="utf-8")
    values = {"DATA_DIR": str(data), "BUILD_DIR": str(tmp_path / "build")}
    with pytest.raises(SchemaError) as caught:
        build(settings_module.load(values, environ={}), validate=False)
    assert message in str(caught.value) and "data/entities/persons.yaml:" in str(caught.value)
