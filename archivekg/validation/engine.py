"""Validation of archivekg data against the shapes of shapes/.

``validate_store`` checks the store the build made (its named graphs: one per document, the
registries, the entailments); ``validate_files`` and ``validate_bytes`` check RDF a user gives,
after applying our ontology's entailments (``--inference``).  Both cut the data as slices.py
explains: the compiled shapes run over the whole store, scope by scope (sparql_engine.py,
the default), or pyshacl runs on each piece with the shapes of the matching scope (``engine=
"pyshacl"``, the reference the compiled shapes are tested against).  The results are then
attributed to the document, data file and line they come from.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF

from archivekg.errors import ConfigError
from archivekg.namespaces import ENTITIES, INFERRED_INTERNAL, ONTOLOGY, graph_iri
from archivekg.pipeline import reasoning
from archivekg.validation import inputs, paths
from archivekg.validation.attribution import Attribution
from archivekg.validation.parallel import default_workers, map_bounded
from archivekg.validation.report import Part, Report, Result
from archivekg.validation.shapes import ScopedShapes, ShapeLibrary
from archivekg.validation.shapes import load as load_shapes
from archivekg.validation.slices import Layout, Slice, Unit, corpus_slice, graph_slice, node_slices
from archivekg.validation.terms import AKG, AKGSH, SH, plain, to_rdflib

INFERENCE = ("none", "rdfs", "owlrl")
DEFAULT_INFERENCE = "owlrl"
ENGINES = ("sparql", "pyshacl")
DEFAULT_ENGINE = "sparql"
# The RDFS part of our entailment rules: subclass, subproperty, domain and range.
RDFS_RULES = ("10-classes.ru", "20-properties.ru", "30-domain-range.ru")
_TEXTS_QUERY = f"""SELECT ?g ?document ?text ?file WHERE {{ GRAPH ?g {{
    ?document <{AKG.hasText}> ?text . OPTIONAL {{ ?text <{AKG.textFile}> ?file }} }} }}"""


# ---------------------------------------------------------------------- entry points
def validate_store(store: ox.Store, settings: dict, *, corpus=None, subject: str | None = None,
                   workers: int | None = None, engine: str = DEFAULT_ENGINE) -> Report:
    """Validate the store of a build: ``<BASE>graph/<doc-id>`` per document, ``graph/entities``,
    ``graph/inferred``; ``graph/ontology`` is not data.  With ``corpus`` (the build's
    ``Corpus``), texts and file lines come from it; without, texts are read from the
    ``akg:textFile`` paths under DATA_DIR.  ``workers``: processes (default: one per core from
    parallel.PARALLEL_FROM_TRIPLES triples on; pyshacl only).  The store is lent to the
    compiled engine and given back as it was (a read-only store is copied)."""
    _check_engine(engine)
    base = settings["BASE_IRI"]
    layout = store_layout(store, base, corpus)
    data_dir = Path(settings["DATA_DIR"]).resolve()
    texts: _CorpusTexts | _FileTexts
    if corpus is not None:
        texts = _CorpusTexts(corpus, base)
    else:
        texts = _FileTexts([(data_dir.parent, data_dir)])
    attribution = Attribution(store, layout, base_iri=base, corpus=corpus,
                              mappings_dir=Path(settings["MAPPINGS_DIR"]))
    subject = subject or (f"the graph of {len(corpus.documents)} document(s) of {settings['DATA_DIR']}"
                          if corpus is not None else "the built graph")
    return _validate(store, layout, settings, texts, attribution, subject, workers=workers, engine=engine)


def validate_files(files: list[Path], settings: dict, *, inference: str = DEFAULT_INFERENCE,
                   input_format: str | None = None, max_bytes: int, workers: int | None = None,
                   engine: str = DEFAULT_ENGINE) -> Report:
    """Validate RDF files (any of inputs.FORMATS) after ``inference`` (none, rdfs, owlrl)."""
    _check_inference(inference)
    _check_engine(engine)
    loaded = inputs.read_files(files, input_format=input_format, max_bytes=max_bytes)
    data_dir = Path(settings["DATA_DIR"]).resolve()
    roots = [(Path(f).resolve().parent, Path(f).resolve().parent) for f in files if str(f) != "-"]
    roots.append((data_dir.parent, data_dir))
    names = ", ".join(str(f) for f in files)
    return _validate_loaded(loaded, settings, inference, _FileTexts(roots),
                            f"{names} (inference: {inference})", workers, engine)


def validate_bytes(data: bytes, fmt: str, settings: dict, *, inference: str = DEFAULT_INFERENCE,
                   name: str = "request body", engine: str = DEFAULT_ENGINE) -> Report:
    """Validate RDF received over HTTP, in the serving process (no worker processes are forked
    from a web server).  Document texts are not read: a request cannot make the server open
    files."""
    _check_inference(inference)
    _check_engine(engine)
    loaded = inputs.read_bytes(data, fmt, name=name)
    return _validate_loaded(loaded, settings, inference, _NoTexts(), f"{name} (inference: {inference})", 1,
                            engine)


# ---------------------------------------------------------------------- layouts
def store_layout(store: ox.Store, base: str, corpus=None, names=None) -> Layout:
    """``names``: the store's graph IRIs, when known (listing an on-disk store's 10,000 graphs
    takes half a second)."""
    prefix = graph_iri(base, "")
    registry = graph_iri(base, ENTITIES)
    units: list[Unit] = []
    if names is None:
        names = [g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)]
    for graph in sorted(names):
        if not graph.startswith(prefix) or graph in (f"{prefix}inferred", f"{prefix}ontology"):
            continue
        if graph == registry:
            units.insert(0, Unit(graph, "registries", None, "data/entities"))
            continue
        doc_id = graph[len(prefix):]
        source = None
        if corpus is not None and doc_id in corpus.documents:
            document = corpus.documents[doc_id]
            source = (document.annotations or document.record).display
        units.append(Unit(graph, doc_id, f"{base}id/{doc_id}", source))
    return Layout(units, inferred=f"{prefix}inferred")


def _validate_loaded(loaded: inputs.Loaded, settings: dict, inference: str, texts, subject: str,
                     workers: int | None, engine: str = DEFAULT_ENGINE) -> Report:
    # A dump of the built graph carries the ontology as a graph of its own: it is not data, and
    # its annotations (language-tagged definitions) are not judged as if they were.
    ontology = graph_iri(settings["BASE_IRI"], ONTOLOGY)
    units = [unit for unit in loaded.units if unit.graph != ontology]
    notes = []
    if len(units) < len(loaded.units):
        loaded.store.update(f"DROP SILENT GRAPH <{ontology}>")
        notes.append(f"the graph <{ontology}> is the archivekg ontology, not data: it was not validated")
    inferred = entail(loaded.store, settings, inference)
    layout = Layout(units, inferred=inferred)
    attribution = Attribution(loaded.store, layout, base_iri=settings["BASE_IRI"])
    report = _validate(loaded.store, layout, settings, texts, attribution, subject, workers=workers,
                       engine=engine)
    report.notes[:0] = notes
    return report


# ---------------------------------------------------------------------- entailment
def entail(store: ox.Store, settings: dict, inference: str) -> str | None:
    """Apply our ontology's entailments to the data of ``store`` (all in named graphs) with the
    rules of mappings/rules/entail/, as the build does; returns the graph they went to."""
    _check_inference(inference)
    if inference == "none":
        return None
    folder = Path(settings["MAPPINGS_DIR"]) / "rules" / "entail"
    rules = sorted(folder.glob("*.ru"))
    if inference == "rdfs":
        missing = [name for name in RDFS_RULES if not (folder / name).is_file()]
        if missing:
            raise ConfigError(f"{folder}: the RDFS rules {', '.join(missing)} are missing "
                              "(--inference rdfs applies exactly those)")
        rules = [folder / name for name in RDFS_RULES]
    reasoning.load_tbox(store, _tbox(settings))
    texts = [(path, path.read_text(encoding="utf-8")) for path in rules]
    before = -1
    while before != len(store):
        before = len(store)
        for path, text in texts:
            try:
                store.update(text)
            except SyntaxError as exc:
                raise ConfigError(f"{path}: the rule does not parse: {exc}") from exc
    store.update(f"DROP SILENT GRAPH <{reasoning.TBOX_GRAPH}>")
    return INFERRED_INTERNAL


def _tbox(settings: dict) -> str:
    files = reasoning.ontology_files(Path(settings["ONTOLOGY_DIR"]))
    if not files:
        raise ConfigError(f"{settings['ONTOLOGY_DIR']}: no ontology (*.ttl) to take entailments from")
    cache = Path(settings["BUILD_DIR"]) / "cache"
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    return _closed_tbox(stamp, str(cache) if cache.is_dir() else None)


@functools.lru_cache(maxsize=2)
def _closed_tbox(stamp: tuple, cache: str | None) -> str:
    return reasoning.tbox_axioms([Path(entry[0]) for entry in stamp], Path(cache) if cache else None)


def _check_inference(inference: str) -> None:
    if inference not in INFERENCE:
        raise ConfigError(f"unknown inference {inference!r}: use one of {', '.join(INFERENCE)}")


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise ConfigError(f"unknown validation engine {engine!r}: use one of {', '.join(ENGINES)}")


# ---------------------------------------------------------------------- the passes
@dataclass
class _Job:
    """One pyshacl pass: the shapes of ``scope`` over ``piece`` (picklable for worker processes)."""

    scope: str
    piece: Slice
    shapes_dir: str


def _validate(store: ox.Store, layout: Layout, settings: dict, texts, attribution: Attribution,
              subject: str, *, workers: int | None = None, jobs=None, units=None,
              kept: Sequence = (), engine: str = DEFAULT_ENGINE) -> Report:
    """Run ``jobs`` (pyshacl passes; default: every pass over the whole layout, by ``engine``)
    on ``units`` (default: all); ``kept``: results of an earlier validation that the jobs do
    not redo."""
    started = time.perf_counter()
    library = load_shapes(settings["SHAPES_DIR"])
    report = Report(subject, base_iri=settings["BASE_IRI"])
    units = layout.units if units is None else units
    parts = {unit.name: Part(unit.name, _count(store, unit.graph)) for unit in units}
    total = sum(part.triples for part in parts.values())
    if layout.inferred and jobs is None:
        total += _count(store, layout.inferred)
    if workers is None:
        workers = default_workers(total)
    raw: list[tuple[dict, Unit | None, str]] = []
    if jobs is None and engine == "sparql":
        raw = _compiled(store, layout, library, texts, report, parts)
        jobs = ()
    elif jobs is None:
        jobs = _jobs(store, layout, library, texts, report, str(settings["SHAPES_DIR"]))
    elif engine == "sparql":
        raw = _compiled_slices(list(jobs), library, report)
        jobs = ()
    for job, (found, seconds) in map_bounded(_run_job, jobs, workers):
        unit = job.piece.unit if job.scope != str(AKGSH.WholeCorpus) else None
        raw += [(result, unit, job.scope) for result in found]
        if unit is not None and unit.name in parts:
            parts[unit.name].seconds += seconds
        elif unit is None:
            parts["whole corpus"] = Part("whole corpus", len(job.piece.triples), seconds)

    # Kept results (report.Stored) are about other nodes and graphs than the jobs': no
    # duplicates between the two (change.py).
    report.kept = list(kept)
    seen = set()
    for raw_result, unit, scope in raw:
        result = _result(raw_result, unit, library, attribution, scope)
        if result.key not in seen:
            seen.add(result.key)
            report.found.append(result)
    report.parts = list(parts.values())
    report.triples = total
    report.seconds = time.perf_counter() - started
    return report


def _compiled(store: ox.Store, layout: Layout, library: ShapeLibrary, texts, report: Report,
              parts: dict) -> list[tuple[dict, Unit | None, str]]:
    """Every scope by the compiled shapes, in the order of the pyshacl passes (per graph in
    layout order, per node, whole corpus), so that the same result is kept from the same
    pass; per-node results are given the unit of their focus node's home (slices.py)."""
    from archivekg.validation.change import _homes_of
    from archivekg.validation.sparql_engine import validate as validate_compiled

    passes = {p.scope: p for p in validate_compiled(store, layout, library, texts, report.notes)}
    order = {unit.graph: index for index, unit in enumerate(layout.units)}
    raw = []
    per_graph = passes.get(str(AKGSH.PerGraph))
    if per_graph is not None:
        found = sorted(per_graph.found, key=lambda item: (order.get(item[1].graph, len(order)), _sort_key(item[0])))
        raw += [(result, unit, per_graph.scope) for result, unit in found]
    per_node = passes.get(str(AKGSH.PerNode))
    if per_node is not None:
        units = list(layout.units) + ([layout.extra] if layout.extra else [])
        homes = _homes_of(store, layout, {_ox_node(result["focus"]) for result, _ in per_node.found})
        for result, _ in sorted(per_node.found, key=lambda item: _sort_key(item[0])):
            index = homes.get(_ox_node(result["focus"]))
            raw.append((result, units[index] if index is not None else None, per_node.scope))
    corpus = passes.get(str(AKGSH.WholeCorpus))
    if corpus is not None:
        raw += [(result, None, corpus.scope) for result, _ in sorted(corpus.found, key=lambda i: _sort_key(i[0]))]
        parts["whole corpus"] = Part("whole corpus", 0, corpus.seconds)
    return raw


def _compiled_slices(jobs: list[_Job], library: ShapeLibrary, report: Report) -> list[tuple[dict, Unit | None, str]]:
    """The passes of ``jobs`` (the slices of change.py) by the compiled shapes, each scope in
    a small store of its own: the per-graph pieces as named graphs, the per-node pieces'
    triples as one graph (results kept for the pieces' own nodes, as the pyshacl passes keep
    them), the whole-corpus piece alone."""
    from archivekg.validation.sparql_engine import validate as validate_compiled

    raw = []
    by_scope: dict[str, list[_Job]] = {}
    for job in jobs:
        by_scope.setdefault(job.scope, []).append(job)
    graphs = by_scope.get(str(AKGSH.PerGraph), [])
    if graphs:
        store = ox.Store()
        units: list[Unit] = []
        for job in graphs:
            piece_unit = job.piece.unit
            assert piece_unit is not None, "a per-graph piece is the graph of a unit"
            units.append(piece_unit)
            graph = ox.NamedNode(piece_unit.graph)
            store.extend(ox.Quad(s, p, o, graph) for s, p, o in job.piece.triples)
        order = {unit.graph: index for index, unit in enumerate(units)}
        for found in validate_compiled(store, Layout(units), library, _NoTexts(), report.notes,
                                       scopes=[AKGSH.PerGraph]):
            for result, unit in sorted(found.found, key=lambda i: (order[i[1].graph], _sort_key(i[0]))):
                raw.append((result, unit, found.scope))
    for scope in (str(AKGSH.PerNode), str(AKGSH.WholeCorpus)):
        pieces = by_scope.get(scope, [])
        if not pieces:
            continue
        slices = Unit("urn:archivekg:validation:slices", "slices")
        store = ox.Store()
        graph = ox.NamedNode(slices.graph)
        home: dict = {}
        for job in pieces:
            store.extend(ox.Quad(s, p, o, graph) for s, p, o in job.piece.triples)
            for node in job.piece.focus if job.piece.focus is not None else ():
                home.setdefault(to_rdflib(node), job.piece.unit)
        for found in validate_compiled(store, Layout([slices]), library, _NoTexts(), report.notes,
                                       scopes=[rdflib.URIRef(scope)]):
            for result, _ in sorted(found.found, key=lambda i: _sort_key(i[0])):
                if scope == str(AKGSH.WholeCorpus):
                    raw.append((result, None, scope))
                elif result["focus"] in home:
                    raw.append((result, home[result["focus"]], scope))
    return raw


def _sort_key(result: dict) -> tuple:
    return (str(result["shape"]), str(result["focus"]), str(result["path"]), str(result["value"]),
            str(result["component"]), result["message"])


def _ox_node(term):
    return ox.BlankNode(str(term)) if isinstance(term, rdflib.BNode) else ox.NamedNode(str(term))


def _jobs(store: ox.Store, layout: Layout, library: ShapeLibrary, texts, report: Report,
          shapes_dir: str) -> Iterator[_Job]:
    """Per graph, then per node, then the whole corpus (see slices.py)."""
    if AKGSH.PerGraph in library.scopes:
        for unit in layout.units:
            piece = graph_slice(store, unit)
            report.notes.extend(texts.add_to(piece, store, unit))
            yield _Job(str(AKGSH.PerGraph), piece, shapes_dir)
    if AKGSH.PerNode in library.scopes:
        for piece in node_slices(store, layout):
            yield _Job(str(AKGSH.PerNode), piece, shapes_dir)
    corpus = library.scopes.get(AKGSH.WholeCorpus)
    if corpus is not None:
        piece = corpus_slice(store, layout, corpus.target_classes, corpus.target_predicates)
        yield _Job(str(AKGSH.WholeCorpus), piece, shapes_dir)


def _run_job(job: _Job) -> tuple[list[dict], float]:
    clock = time.perf_counter()
    shapes = load_shapes(job.shapes_dir).scopes[rdflib.URIRef(job.scope)]
    return _run(shapes, job.piece), time.perf_counter() - clock


def _count(store: ox.Store, graph: str) -> int:
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert isinstance(rows, ox.QuerySolutions)
    return int(next(iter(rows))["n"].value)


def _run(shapes: ScopedShapes, piece: Slice) -> list[dict]:
    """pyshacl over one slice: core shapes on rdflib, SPARQL shapes on Oxigraph."""
    found = []
    if shapes.core is not None:
        graph = rdflib.Graph()
        for triple in piece.triples:
            graph.add(tuple(to_rdflib(term) for term in triple))
        found += _pyshacl(graph, shapes.core, advanced=False)
    if shapes.sparql is not None:
        store = ox.Store()
        store.extend(ox.Quad(*triple) for triple in piece.triples)
        found += _pyshacl(_oxigraph_data_graph(store), shapes.sparql, advanced=shapes.advanced)
    if piece.focus is not None:
        focus = {to_rdflib(node) for node in piece.focus}
        found = [r for r in found if r["focus"] in focus]
    return found


def _oxigraph_data_graph(store: ox.Store):
    """pyshacl's data graph over an Oxigraph store, always true.  pyshacl writes each result
    with ``datagraph or shapes_graph`` (three times); on its Oxigraph data graph that is
    ``__len__``, a COUNT(DISTINCT) over the whole store, so the cost grew as results times
    triples (benchmarks/upstream/pyshacl-bool-len.md)."""
    # Imported on first use, as in _pyshacl.
    from pyshacl.graph_abstraction import OxigraphDataGraph

    class TrueOxigraphDataGraph(OxigraphDataGraph):
        def __bool__(self) -> bool:
            return True

    return TrueOxigraphDataGraph(store)


def _pyshacl(data, shapes: rdflib.Graph, *, advanced: bool) -> list[dict]:
    # Imported on first use (a quarter second): the server and `archivekg --help` need not wait.
    import pyshacl

    # inplace: in advanced mode pyshacl would otherwise copy the data graph (for SHACL rules,
    # which our shapes do not have) into a data graph of its own, true only when counted.
    conforms, graph, text = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                             advanced=advanced, allow_warnings=False,
                                             abort_on_first=False, meta_shacl=False, inplace=True)
    if not isinstance(graph, rdflib.Graph):
        raise ConfigError(f"the shapes cannot be applied: {text.strip()}")
    found = []
    for node in graph.subjects(RDF.type, SH.ValidationResult):
        found.append({
            "focus": plain(graph.value(node, SH.focusNode)),
            "path": paths.read(graph, graph.value(node, SH.resultPath)),
            "value": plain(graph.value(node, SH.value)),
            "severity": str(graph.value(node, SH.resultSeverity) or SH.Violation).rsplit("#", 1)[-1],
            "shape": graph.value(node, SH.sourceShape),
            "component": graph.value(node, SH.sourceConstraintComponent),
            "message": str(graph.value(node, SH.resultMessage) or ""),
        })
    return found


def _result(found: dict, unit: Unit | None, library: ShapeLibrary, attribution: Attribution,
            scope: str) -> Result:
    info = library.describe(found["shape"])
    group, document, sources = attribution.locate(found["focus"], found["path"], found["value"], unit)
    return Result(severity=found["severity"], shape=found["shape"], shape_name=info.name,
                  message=found["message"] or info.message, focus=found["focus"],
                  path=found["path"], value=found["value"], component=found["component"],
                  group=group, document=document, sources=sources, scope=scope,
                  graph=unit.graph if unit is not None else None)


# ---------------------------------------------------------------------- document texts
class _CorpusTexts:
    """The texts the build read (Corpus.documents[...].text)."""

    def __init__(self, corpus, base: str):
        self.corpus, self.id_base = corpus, f"{base}id/"

    def add_to(self, piece: Slice, store: ox.Store, unit: Unit, rows=None) -> list[str]:
        for document, text, _ in _texts_of(store, unit) if rows is None else rows:
            doc_id = document.value[len(self.id_base):] if document.value.startswith(self.id_base) else None
            if doc_id in self.corpus.documents:
                piece.triples.add((text, ox.NamedNode(str(RDF.value)),
                                   ox.Literal(self.corpus.documents[doc_id].text)))
        return []


class _FileTexts:
    """Texts read from their ``akg:textFile`` path, resolved against each (root, allowed folder)
    pair in turn; a path that leaves its allowed folder is not followed."""

    def __init__(self, roots: list[tuple[Path, Path]]):
        self.roots = roots
        self._folders: dict = {}        # folder -> the folder resolved (once per folder, not per file)

    def add_to(self, piece: Slice, store: ox.Store, unit: Unit, rows=None) -> list[str]:
        """``rows``: the (document, text, file) of the unit's graph, when already read."""
        missing = []
        for _, text, file in _texts_of(store, unit) if rows is None else rows:
            content = self._read(file.value) if file is not None else None
            if content is None:
                missing.append(f"the text of {text.value} ({file.value if file else 'no akg:textFile'}) "
                               "is not at hand: its quotes were not checked against it")
                continue
            piece.triples.add((text, ox.NamedNode(str(RDF.value)), ox.Literal(content)))
        return missing

    def _read(self, relative: str) -> str | None:
        for root, allowed in self.roots:
            path = self._resolve(root / relative)
            if path.is_relative_to(allowed) and path.is_file():
                try:
                    return path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    return None
        return None


    def _resolve(self, path: Path) -> Path:
        """``path.resolve()``, resolving each folder once."""
        if path.name in ("", ".", "..") or path.is_symlink():
            return path.resolve()
        folder = self._folders.get(path.parent)
        if folder is None:
            folder = self._folders[path.parent] = path.parent.resolve()
        return folder / path.name


class _NoTexts:
    def add_to(self, piece: Slice, store: ox.Store, unit: Unit, rows=None) -> list[str]:
        return []


def _texts_of(store: ox.Store, unit: Unit):
    graph = ox.NamedNode(unit.graph)
    rows = store.query(_TEXTS_QUERY, substitutions={ox.Variable("g"): graph})
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        yield row["document"], row["text"], row["file"]
