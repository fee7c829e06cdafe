"""Queries of the pages, run by the same worker pool as the SPARQL endpoint.

Every query a page needs goes through ``Backend.call`` so that the endpoint's time limit
and worker isolation hold for pages too (a page can never hang the serving process).
Measured on the smoke corpus: one call costs 0.15-0.25 ms (pipe round trip, JSON results
parsed back by Oxigraph), against 0.04 ms for the same query on a store opened in the
serving process; the difference is small next to rendering, and the serving process must
not hold the RocksDB store anyway (workers fork from it).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from flask import current_app, request

from archivekg.endpoint.backend import backend, worker_error
from archivekg.endpoint.protocol import client_gone
from archivekg.endpoint.worker import QueryRequest, Reply
from archivekg.namespaces import PREFIXES

PROLOGUE = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())


def user_prologue() -> str:
    """The prefixes preset for people: ours, and ``id:`` for the resources, as the command
    line's ``archivekg query`` declares them."""
    return PROLOGUE + f"PREFIX id: <{current_app.config['BASE_IRI']}id/>\n"


Term = ox.NamedNode | ox.BlankNode | ox.Literal
Row = dict[str, Term | None]            # None: the variable is not bound in this solution


def _call(query: str, *, results: str | None, graph: str | None, limit: int | None,
          default_graph: list[str] | None = None) -> Reply:
    engine = backend()
    reply = engine.call(QueryRequest(
        query=query, results_format=results, graph_format=graph,
        max_results=limit if limit is not None else engine.max_results,
        default_graphs=tuple(default_graph) if default_graph is not None else None,
        named_graphs=() if default_graph is not None else None,
        prefixes=tuple(PREFIXES.items()),
    ))
    if not reply.ok:
        raise worker_error(reply.meta)
    return reply


def select(body: str, *, limit: int | None = None) -> list[Row]:
    """The solutions of a SELECT (our prefixes are declared for it) as dicts of terms."""
    reply = _call(PROLOGUE + body, results="json", graph=None, limit=limit)
    solutions = ox.parse_query_results(reply.body, ox.QueryResultsFormat.JSON)
    assert isinstance(solutions, ox.QuerySolutions), "a SELECT answers solutions"
    names = [v.value for v in solutions.variables]
    return [{name: solution[name] for name in names} for solution in solutions]


def declared_for(text: str) -> str:
    """The PREFIX lines of ours (and ``id:``) that ``text`` does not declare itself, as
    ``archivekg query`` adds them: a query without PREFIX lines runs."""
    from archivekg.endpoint.query_text import inspect
    own = inspect(text).prefixes
    wanted = {**PREFIXES, "id": current_app.config["BASE_IRI"] + "id/"}
    return "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in wanted.items() if prefix not in own)


def select_raw(text: str, *, limit: int) -> tuple[list[str], list[Row], bool, str]:
    """A user's query (our prefixes declared where it does not declare them): (variables,
    rows, truncated, kind) for SELECT/ASK/CONSTRUCT/DESCRIBE."""
    engine = backend()
    settings = current_app.config
    reply = engine.call(QueryRequest(
        query=declared_for(text) + text, results_format="json", graph_format="ntriples", max_results=limit,
        base_iri=request.url_root + "sparql", allowlist=tuple(settings["SERVICE_ALLOWLIST"]),
        updates_enabled=bool(settings["UPDATE_TOKEN"])), cancelled=client_gone())
    if not reply.ok:
        raise worker_error(reply.meta, updates_enabled=bool(settings["UPDATE_TOKEN"]))
    meta, body = reply.meta, reply.body
    if meta["kind"] == "graph":
        triples = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        rows = [{"subject": t.subject, "predicate": t.predicate, "object": t.object} for t in triples]
        return ["subject", "predicate", "object"], rows, meta["truncated"], "graph"
    parsed = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
    if isinstance(parsed, ox.QueryBoolean):
        return ["boolean"], [{"boolean": ox.Literal("true" if parsed else "false")}], False, "ask"
    names = [v.value for v in parsed.variables]
    return names, [{n: s[n] for n in names} for s in parsed], meta["truncated"], "select"


def ask(body: str) -> bool:
    reply = _call(PROLOGUE + body, results="json", graph=None, limit=1)
    return bool(ox.parse_query_results(reply.body, ox.QueryResultsFormat.JSON))


def construct(body: str, *, fmt: str, limit: int | None = None,
              default_graph: list[str] | None = None) -> tuple[bytes, bool]:
    """A CONSTRUCT serialised by the worker in ``fmt``; (bytes, truncated)."""
    reply = _call(PROLOGUE + body, results=None, graph=fmt, limit=limit,
                  default_graph=default_graph)
    return reply.body, reply.meta["truncated"]


def iri(value: str) -> str:
    """``<value>`` for a query, after checking that it is an IRI (ValueError otherwise)."""
    return str(ox.NamedNode(value))


def values(variable: str, iris: Iterable[str]) -> str:
    """A VALUES block binding ``?variable`` to each IRI."""
    return f"VALUES ?{variable} {{ {' '.join(iri(i) for i in iris)} }}"


def bound(row: Row, name: str) -> str:
    """The value of ``?name``, which the query binds in every solution."""
    term = row[name]
    if term is None:
        raise LookupError(f"?{name} is unbound in a solution of a query that binds it in every one")
    return term.value


def text(term: Term | None) -> str | None:
    return None if term is None else term.value


def integer(term: Term | None) -> int | None:
    try:
        return None if term is None else int(term.value)
    except ValueError:
        return None
