"""The query worker: a forked process that runs one SPARQL request at a time.

It receives a pickled ``(operation, arguments)`` over its pipe and answers with the result
already serialised in the negotiated format, so the serving process only copies bytes.
A worker is disposable: the pool kills it when a request overruns its time limit, and it
also arms its own alarm (default action: terminate) so that it cannot outlive a limit
even if the serving process has gone.
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import re
import signal
import struct
import traceback
from itertools import islice
from typing import Any, Callable

import pyoxigraph as ox

from .channel import Channel

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}
_HEAD_SIZE = struct.Struct("!I")
_POSITION = re.compile(r"^error at (\d+):(\d+): ")

Reply = tuple  # (status "ok" | "error", details: dict, body: bytes)


def main(channel: Channel, open_store: Callable[[], ox.Store]) -> None:
    """The body of a freshly forked worker; never returns."""
    status = 0
    try:
        _detach(keep=set(channel.fds))
        try:
            store = open_store()
        except Exception as exc:  # the pool reports it as "store unavailable"
            channel.send(pickle.dumps(("failed", f"{type(exc).__name__}: {exc}")))
            return
        channel.send(pickle.dumps(("ready", os.getpid())))
        serve(channel, store)
    except BaseException:
        status = 1
    finally:
        os._exit(status)


def _detach(keep: set[int]) -> None:
    """Drop what the worker inherited from the serving process but must not hold."""
    # Handlers installed by gunicorn or Flask would run their Python code here; the terminal's
    # Ctrl-C is for the serving process, which then closes our pipe and we leave.
    for signum in signal.valid_signals():
        try:
            if callable(signal.getsignal(signum)):
                signal.signal(signum, signal.SIG_DFL)
        except (OSError, ValueError):
            pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    # Inherited client sockets, the listening socket and other workers' pipes would stay
    # open as long as we live.  They are pointed at /dev/null rather than closed, so that a
    # stray finalizer closing "its" descriptor can never close one we open later.
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        inherited = [int(fd) for fd in os.listdir("/proc/self/fd")]
    except OSError:
        inherited = list(range(3, 256))
    for fd in inherited:
        if fd > 2 and fd not in keep and fd != devnull:
            try:
                os.dup2(devnull, fd)
            except OSError:
                pass
    # Objects inherited from the parent are never collected here: freezing them keeps the
    # collector from writing to (and so copying) the parent's memory pages.
    gc.freeze()


def serve(channel: Channel, store: ox.Store) -> None:
    """Answer requests until the serving process closes the channel.

    Each answer is one message: the length of a pickled ``(status, details)``, that pickle,
    and the body, so that a large body is never copied into a pickle.
    """
    while True:
        try:
            request = channel.recv()
        except (EOFError, OSError):
            return
        operation, args = pickle.loads(request)
        hard_limit = float(args.get("hard_limit") or 0)
        if hard_limit:
            signal.setitimer(signal.ITIMER_REAL, hard_limit)
        status, details, body = handle(store, operation, args)
        signal.setitimer(signal.ITIMER_REAL, 0)
        channel.send(*encode_reply(status, details, body))


def encode_reply(status: str, details: dict[str, Any], body: bytes) -> tuple[bytes, ...]:
    head = pickle.dumps((status, details), protocol=pickle.HIGHEST_PROTOCOL)
    return _HEAD_SIZE.pack(len(head)), head, body


def decode_reply(message: bytes | bytearray) -> tuple[str, dict[str, Any], bytes]:
    view = memoryview(message)
    (head_size,) = _HEAD_SIZE.unpack_from(view)
    status, details = pickle.loads(view[_HEAD_SIZE.size:_HEAD_SIZE.size + head_size])
    return status, details, bytes(view[_HEAD_SIZE.size + head_size:])


def handle(store: ox.Store, operation: str, args: dict[str, Any]) -> Reply:
    try:
        return OPERATIONS[operation](store, args)
    except SyntaxError as exc:
        return ("error", syntax_error(str(exc)), b"")
    except (RuntimeError, ValueError) as exc:
        # Evaluation errors Oxigraph raises for the query itself (an unbound SERVICE
        # variable, an unknown graph IRI form, ...): the user's to fix.
        return ("error", {"code": "query-error", "message": f"The query failed: {exc}"}, b"")
    except OSError as exc:
        return ("error", {"code": "query-io-error", "message": str(exc)}, b"")
    except Exception:
        return ("error", {"code": "internal", "message": traceback.format_exc()}, b"")


def syntax_error(text: str) -> dict[str, Any]:
    details: dict[str, Any] = {"code": "syntax-error", "message": f"SPARQL syntax error: {text}"}
    match = _POSITION.match(text)
    if match:
        details["position"] = {"line": int(match.group(1)), "column": int(match.group(2))}
    return details


def _dataset_options(args: dict[str, Any]) -> dict[str, Any]:
    default, named = args.get("default_graph"), args.get("named_graphs")
    if default is not None or named is not None:
        return {"default_graph": [ox.NamedNode(iri) for iri in default or []],
                "named_graphs": [ox.NamedNode(iri) for iri in named or []]}
    return {"use_default_graph_as_union": bool(args.get("union"))}


def run_query(store: ox.Store, args: dict[str, Any]) -> Reply:
    result = store.query(args["query"], **_dataset_options(args))
    limit = int(args["max_results"])
    if isinstance(result, ox.QueryBoolean):
        name = args.get("results_format")
        if name is None:
            return _not_acceptable("ask")
        return ("ok", {"format": name, "kind": "ask", "count": 1, "truncated": False},
                result.serialize(format=RESULT_FORMATS[name]))
    if isinstance(result, ox.QuerySolutions):
        name = args.get("results_format")
        if name is None:
            return _not_acceptable("select")
        body, count, truncated = _solutions(result, RESULT_FORMATS[name], limit)
        return ("ok", {"format": name, "kind": "select", "count": count, "truncated": truncated}, body)
    name = args.get("graph_format")
    if name is None:
        return _not_acceptable("graph")
    triples = list(islice(result, limit + 1))
    truncated = len(triples) > limit
    if truncated:
        del triples[limit:]
    body = ox.serialize(triples, format=GRAPH_FORMATS[name], prefixes=args.get("prefixes") or None)
    return ("ok", {"format": name, "kind": "graph", "count": len(triples), "truncated": truncated}, body)


def _solutions(result: ox.QuerySolutions, fmt: ox.QueryResultsFormat, limit: int):
    # TSV is one solution per line (newlines inside literals are escaped), so it can be
    # counted and cut without Python objects per row; Oxigraph then re-reads the cut TSV and
    # writes the target format.  For small results this costs microseconds.
    tsv = result.serialize(format=ox.QueryResultsFormat.TSV)
    rows = tsv.count(b"\n") - 1
    truncated = rows > limit
    if truncated:
        tsv = b"\n".join(tsv.split(b"\n", limit + 1)[:limit + 1]) + b"\n"
        rows = limit
    if fmt == ox.QueryResultsFormat.TSV:
        return tsv, rows, truncated
    return ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV).serialize(format=fmt), rows, truncated


def _not_acceptable(kind: str) -> Reply:
    return ("error", {"code": "not-acceptable", "kind": kind}, b"")


def _count(store: ox.Store, query: str, **options) -> int:
    for solution in store.query(query, **options):
        return int(solution[0].value)
    return 0


def statistics(store: ox.Store, args: dict[str, Any]) -> Reply:
    """Counts for the service description and VoID, computed once per loaded store."""
    union = {"use_default_graph_as_union": True}
    graphs = {}
    for solution in store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"):
        if isinstance(solution["g"], ox.NamedNode):
            graphs[solution["g"].value] = int(solution["n"].value)
    base = args.get("base_iri") or ""
    # JSON string syntax is valid SPARQL string syntax (same escapes).
    examples = [s["s"].value for s in store.query(
        "SELECT DISTINCT ?s WHERE { ?s a ?c FILTER(isIRI(?s) && STRSTARTS(STR(?s), %s)) } "
        "ORDER BY ?s LIMIT 3" % json.dumps(base), **union)]
    if not examples:
        examples = [s["s"].value for s in store.query(
            "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) } ORDER BY ?s LIMIT 3", **union)]
    stats = {
        "quads": len(store),
        "default_graph_triples": _count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
        "union_triples": _count(
            store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }", **union),
        "entities": _count(
            store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s)) }", **union),
        "classes": _count(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }", **union),
        "properties": _count(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }", **union),
        "distinct_subjects": _count(
            store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }", **union),
        "distinct_objects": _count(
            store, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }", **union),
        "graphs": graphs,
        "examples": examples,
    }
    return ("ok", stats, b"")


def ping(store: ox.Store, args: dict[str, Any]) -> Reply:
    empty = not store.query("ASK { ?s ?p ?o }", use_default_graph_as_union=True)
    return ("ok", {"empty": empty}, b"")


def update(store: ox.Store, args: dict[str, Any]) -> Reply:
    """Run an update on this worker's private copy: the serving process uses it as a dry run."""
    store.update(args["update"])
    return ("ok", {}, b"")


OPERATIONS: dict[str, Callable[[ox.Store, dict[str, Any]], Reply]] = {
    "query": run_query,
    "stats": statistics,
    "ping": ping,
    "update": update,
}
