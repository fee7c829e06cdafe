"""The Turtle files of the ontology and of the shapes, read for the pages that document
them: parsed with rdflib (the pages need RDF lists: unions, sh:in, paths), once per change
of the files, each file kept apart as well so that a page can follow the files' order."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDFS, SKOS

from archivekg.endpoint.errors import ApiError
from archivekg.site.render import iris


@dataclass
class File:
    path: Path
    graph: rdflib.Graph
    comment: str          # the comment block the file opens with: its authors' own notes


@dataclass
class Files:
    paths: list[Path]
    graph: rdflib.Graph
    files: list[File]


def leading_comment(text: str) -> str:
    lines: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped or lines:
                break
            continue
        lines.append(stripped[1:].removeprefix(" "))
    return "\n".join(lines).strip()


_loaded: dict[str, tuple[tuple, Files]] = {}
_lock = threading.Lock()


def load(folder: str) -> Files:
    """The Turtle files of ``folder`` parsed into one graph, re-read when a file changes."""
    paths = sorted(Path(folder).rglob("*.ttl"))
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
    with _lock:
        cached = _loaded.get(folder)
        if cached and cached[0] == stamp:
            return cached[1]
    graph, parsed = rdflib.Graph(), []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        one = rdflib.Graph()
        try:
            one.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
        except Exception as exc:  # rdflib raises a parser-specific type
            raise ApiError(500, "vocabulary-unreadable",
                           f"{path.name} does not parse as Turtle: {exc}") from None
        graph += one
        for prefix, namespace in one.namespaces():
            graph.bind(prefix, namespace, override=False)
        parsed.append(File(path, one, leading_comment(text)))
    files = Files(paths, graph, parsed)
    with _lock:
        _loaded[folder] = (stamp, files)
    return files


@dataclass
class Ref:
    text: str
    href: str | None
    external: bool = False


def ref(node, graph: rdflib.Graph) -> Ref:
    """A term, or a class expression written out (A or B; some p C)."""
    if isinstance(node, rdflib.URIRef):
        value = str(node)
        if value.startswith(iris.ONTOLOGY_NS):
            return Ref(iris.compact(value), "#" + value[len(iris.ONTOLOGY_NS):])
        if value.startswith(iris.SHAPES_NS):
            return Ref("shapes:" + value[len(iris.SHAPES_NS):], iris.href(value))
        link = iris.href(value)
        return Ref(iris.compact(value), link, external=link is not None and not iris.is_ours(value))
    if isinstance(node, rdflib.Literal):
        return Ref(str(node), None)
    for operator, word in ((OWL.unionOf, " or "), (OWL.intersectionOf, " and "), (OWL.oneOf, ", ")):
        members = graph.value(node, operator)
        if members is not None:
            return Ref(word.join(ref(m, graph).text for m in Collection(graph, members)), None)
    restricted = graph.value(node, OWL.onProperty)
    if restricted is not None:
        for predicate, word in ((OWL.someValuesFrom, "some"), (OWL.allValuesFrom, "only"),
                                (OWL.hasValue, "value"), (OWL.minCardinality, "min"),
                                (OWL.maxCardinality, "max"), (OWL.cardinality, "exactly"),
                                (OWL.qualifiedCardinality, "exactly")):
            value = graph.value(node, predicate)
            if value is not None:
                return Ref(f"{ref(restricted, graph).text} {word} {ref(value, graph).text}", None)
    complement = graph.value(node, OWL.complementOf)
    if complement is not None:
        return Ref("not " + ref(complement, graph).text, None)
    return Ref("(anonymous class expression)", None)


def texts(graph: rdflib.Graph, node, predicates) -> list[str]:
    return [str(o) for p in predicates for o in graph.objects(node, p)]


def first_label(graph, node) -> str | None:
    for predicate in (RDFS.label, SKOS.prefLabel, DCTERMS.title):
        for value in graph.objects(node, predicate):
            return str(value)
    return None
