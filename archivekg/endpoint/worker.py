"""The query worker: a forked process that runs one request at a time.

It receives a pickled request (one of the dataclasses below) over its pipe and answers with
a ``Reply`` whose body is already serialised in the negotiated format, so the serving
process only copies bytes.  A worker is disposable: the pool kills it when a request
overruns its time or memory limit, and it also arms its own alarm (default action:
terminate) so that it cannot outlive a limit even if the serving process has gone.

Everything that reads the request's text runs here, not in the serving process: the
scanner (query_text.py), the nesting bound and, for the operations that may reach the
network, the full parser's check (network_check.py).  Hostile text then costs a worker
its time limit, never the serving process its responsiveness.
"""

from __future__ import annotations

import gc
import os
import pickle
import re
import signal
import struct
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

import pyoxigraph as ox

from archivekg import rdfformats
from archivekg.endpoint.channel import Channel
from archivekg.endpoint.query_text import QueryInfo, inspect
from archivekg.release.statistics import compute_statistics

RESULT_FORMATS = {fmt.name: fmt.oxigraph for fmt in rdfformats.RESULTS}
GRAPH_FORMATS = {fmt.name: fmt.oxigraph for fmt in rdfformats.GRAPHS}
# Oxigraph's parser recurses once per bracket: 2,000 levels parse on a worker's 8 MB stack,
# 5,000 crash it.  No real query nests a tenth of this.
MAX_QUERY_DEPTH = 1000
R = TypeVar("R")

_HEAD_SIZE = struct.Struct("!I")
_POSITION = re.compile(r"^error at (\d+):(\d+): ")


# -- requests and replies ---------------------------------------------------------------------

@dataclass(frozen=True)
class QueryRequest:
    query: str
    results_format: str | None            # a RESULT_FORMATS name, None: SELECT/ASK not acceptable
    graph_format: str | None              # a GRAPH_FORMATS name, None: CONSTRUCT not acceptable
    max_results: int
    base_iri: str | None = None           # relative IRIs resolve against the service's IRI
    default_graphs: tuple[str, ...] | None = None     # the protocol's dataset, when given
    named_graphs: tuple[str, ...] | None = None
    prefixes: tuple[tuple[str, str], ...] = ()        # for Turtle output, besides the query's
    allowlist: tuple[str, ...] = ()
    updates_enabled: bool = False         # only changes the wording of an update-as-query error
    network: bool = False                 # this worker may reach allowlisted endpoints


@dataclass(frozen=True)
class UpdateRequest:
    update: str
    allowlist: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatsRequest:
    base_iri: str


@dataclass(frozen=True)
class PingRequest:
    pass


@dataclass(frozen=True)
class ValidateRequest:
    body: bytes
    fmt: str
    inference: str
    report_format: str
    settings: tuple[tuple[str, Any], ...]


@dataclass
class Reply:
    ok: bool
    meta: dict[str, Any] = field(default_factory=dict)   # ok: what the body is; else code, message
    body: bytes = b""

    @property
    def code(self) -> str | None:
        return None if self.ok else self.meta.get("code")


def failure(code: str, message: str = "", **extra: Any) -> Reply:
    return Reply(False, {"code": code, "message": message, **extra})


# -- the process --------------------------------------------------------------------------

def main(channel: Channel, open_store: Callable[[], ox.Store] | None, seal: bool) -> None:
    """The body of a freshly forked worker; never returns."""
    status = 0
    try:
        _detach(keep=set(channel.fds))
        try:
            if seal:
                from archivekg.endpoint.sandbox import seal as seal_network
                seal_network()
            store = open_store() if open_store is not None else None
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


def serve(channel: Channel, store: ox.Store | None) -> None:
    """Answer requests until the serving process closes the channel.

    Each answer is one message: the length of a pickled ``(ok, meta)``, that pickle, and the
    body, so that a large body is never copied into a pickle.
    """
    while True:
        try:
            message = channel.recv()
        except (EOFError, OSError):
            return
        request, hard_limit = pickle.loads(message)
        if hard_limit:
            signal.setitimer(signal.ITIMER_REAL, hard_limit)
        reply = handle(store, request)
        signal.setitimer(signal.ITIMER_REAL, 0)
        channel.send(*encode_reply(reply))


def encode_request(request: Any, hard_limit: float) -> bytes:
    return pickle.dumps((request, hard_limit), protocol=pickle.HIGHEST_PROTOCOL)


def encode_reply(reply: Reply) -> tuple[bytes, ...]:
    head = pickle.dumps((reply.ok, reply.meta), protocol=pickle.HIGHEST_PROTOCOL)
    return _HEAD_SIZE.pack(len(head)), head, reply.body


def decode_reply(message: bytes | bytearray) -> Reply:
    view = memoryview(message)
    (head_size,) = _HEAD_SIZE.unpack_from(view)
    ok, meta = pickle.loads(view[_HEAD_SIZE.size:_HEAD_SIZE.size + head_size])
    return Reply(ok, meta, bytes(view[_HEAD_SIZE.size + head_size:]))


def handle(store: ox.Store | None, request: Any) -> Reply:
    return handle_errors(HANDLERS[type(request)], store, request)


def handle_errors(function: Callable[..., R], *args: Any) -> R | Reply:
    try:
        return function(*args)
    except SyntaxError as exc:
        return Reply(False, syntax_error(str(exc)))
    except (RuntimeError, ValueError) as exc:
        # Evaluation errors Oxigraph raises for the query itself (an unbound SERVICE
        # variable, an unknown graph IRI form, ...): the user's to fix.
        return failure("query-error", f"The query failed: {exc}")
    except OSError as exc:
        return failure("query-io-error", str(exc))
    except Exception:
        return failure("internal", traceback.format_exc())


def syntax_error(text: str) -> dict[str, Any]:
    details: dict[str, Any] = {"code": "syntax-error", "message": f"SPARQL syntax error: {text}"}
    match = _POSITION.match(text)
    if match:
        details["position"] = {"line": int(match.group(1)), "column": int(match.group(2))}
    return details


# -- queries ----------------------------------------------------------------------------------

def check_query(info: QueryInfo, request: QueryRequest) -> Reply | None:
    """The refusal for a query this service does not run, or None."""
    if info.is_update:
        return failure("update-as-query", form=info.form)
    if info.depth > MAX_QUERY_DEPTH:
        return failure("query-too-deep", f"The query nests brackets {info.depth} levels deep; "
                       f"the most this endpoint parses is {MAX_QUERY_DEPTH}.")
    refusal = refuse_services(info.services, request.allowlist)
    if refusal is not None:
        return refusal
    if info.form in ("SELECT", "ASK") and request.results_format is None:
        return _not_acceptable("select" if info.form == "SELECT" else "ask", info)
    if info.form in ("CONSTRUCT", "DESCRIBE") and request.graph_format is None:
        return _not_acceptable("graph", info)
    if info.services and not request.network:
        return failure("needs-network", endpoints=list(info.services))
    return None


def refuse_services(services: list[str | None], allowlist: tuple[str, ...]) -> Reply | None:
    allowed = set(allowlist)
    for endpoint in services:
        if endpoint is None:
            return failure("service-not-allowed",
                           "SERVICE is only allowed with a fixed endpoint IRI from the allowlist; "
                           "this query names its endpoint with a variable or an undeclared prefix.")
        if endpoint not in allowed:
            hint = (f"allowed endpoints: {', '.join(sorted(allowed))}" if allowed else
                    "no remote endpoint is allowed on this server (setting SERVICE_ALLOWLIST)")
            return failure("service-not-allowed",
                           f"SERVICE <{endpoint}> is refused: queries here never reach the network "
                           f"except allowlisted endpoints; {hint}.", endpoint=endpoint)
    return None


def _network_agrees(text: str, info: QueryInfo, *, update: bool) -> Reply | None:
    """Refuse unless the full parser finds exactly the endpoints the scanner found."""
    from archivekg.endpoint.network_check import Unchecked, targets
    try:
        found = targets(text, update=update)
    except Unchecked as exc:
        return failure("service-not-allowed",
                       f"This request would reach the network, and its endpoints could not be "
                       f"checked ({exc}); it is refused.")
    if found.loads:
        return failure("load-not-allowed")
    if sorted(map(str, found.services)) != sorted(map(str, info.services)):
        return failure("service-not-allowed",
                       "The SERVICE endpoints of this request read differently to two parsers; "
                       "write each endpoint as a full IRI <...>.")
    return None


def _dataset_options(request: QueryRequest, info: QueryInfo) -> dict[str, Any]:
    options: dict[str, Any] = {"base_iri": request.base_iri}
    if request.default_graphs is not None or request.named_graphs is not None:
        options["default_graph"] = [ox.NamedNode(iri) for iri in request.default_graphs or ()]
        options["named_graphs"] = [ox.NamedNode(iri) for iri in request.named_graphs or ()]
    else:
        options["use_default_graph_as_union"] = not info.has_dataset
    return options


def run_query(store: ox.Store, request: QueryRequest) -> Reply:
    info = inspect(request.query)
    reply = check_query(info, request)
    if reply is None and request.network:
        reply = _network_agrees(request.query, info, update=False)
    if reply is None:
        reply = handle_errors(_execute, store, request, info)
        if request.network and reply.code in ("query-error", "query-io-error"):
            reply = _remote_failure(info.services, reply.meta.get("message", ""))
    reply.meta.setdefault("form", info.form)
    return reply


def _remote_failure(endpoints: list[str | None], message: str) -> Reply:
    """A query that calls remote endpoints failed while it ran: in all but contrived cases
    it is the remote that did (refused the connection, answered an HTTP error or something
    that is not a SPARQL result), and the client must learn which one."""
    named = ", ".join(f"<{e}>" for e in dict.fromkeys(endpoints) if e)
    which = f"The remote SPARQL endpoint {named}" if len(set(endpoints)) == 1 else \
        f"One of the remote SPARQL endpoints {named}"
    detail = message.removeprefix("The query failed: ")
    return failure("service-error", f"{which} failed, so the query could not be answered: {detail}. "
                   "Write SERVICE SILENT to get the rest of the answer when the remote fails.",
                   endpoints=[e for e in dict.fromkeys(endpoints) if e])


def _execute(store: ox.Store, request: QueryRequest, info: QueryInfo) -> Reply:
    result = store.query(request.query, **_dataset_options(request, info))
    limit = int(request.max_results)
    meta: dict[str, Any] = {"form": info.form}
    if isinstance(result, ox.QueryBoolean):
        name = request.results_format
        if name is None:
            return _not_acceptable("ask", info)
        meta.update(format=name, kind="ask", count=1, truncated=False)
        return Reply(True, meta, rdfformats.serialized(result.serialize(format=RESULT_FORMATS[name])))
    if isinstance(result, ox.QuerySolutions):
        name = request.results_format
        if name is None:
            return _not_acceptable("select", info)
        body, count, truncated = _solutions(result, RESULT_FORMATS[name], limit)
        meta.update(format=name, kind="select", count=count, truncated=truncated)
        return Reply(True, meta, body)
    name = request.graph_format
    if name is None:
        return _not_acceptable("graph", info)
    triples = list(islice(result, limit + 1))
    truncated = len(triples) > limit
    if truncated:
        del triples[limit:]
    prefixes = {**info.prefixes, **dict(request.prefixes)}
    body = _serialize(triples, GRAPH_FORMATS[name], prefixes)
    meta.update(format=name, kind="graph", count=len(triples), truncated=truncated)
    return Reply(True, meta, body)


def _serialize(triples: list, fmt: ox.RdfFormat, prefixes: dict[str, str]) -> bytes:
    usable = {}
    for prefix, namespace in prefixes.items():
        try:
            ox.NamedNode(namespace)
        except ValueError:      # a relative namespace the engine resolved: keep full IRIs
            continue
        usable[prefix] = namespace
    return rdfformats.serialized(ox.serialize(triples, format=fmt, prefixes=usable or None))


def _solutions(result: ox.QuerySolutions, fmt: ox.QueryResultsFormat, limit: int) -> tuple[bytes, int, bool]:
    # TSV is one solution per line (newlines inside literals are escaped), so it can be
    # counted and cut without Python objects per row; Oxigraph then re-reads the cut TSV and
    # writes the target format.  For small results this costs microseconds.
    tsv = rdfformats.serialized(result.serialize(format=ox.QueryResultsFormat.TSV))
    rows = tsv.count(b"\n") - 1
    truncated = rows > limit
    if truncated:
        tsv = b"\n".join(tsv.split(b"\n", limit + 1)[:limit + 1]) + b"\n"
        rows = limit
    if fmt == ox.QueryResultsFormat.TSV:
        return tsv, rows, truncated
    written = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV).serialize(format=fmt)
    return rdfformats.serialized(written), rows, truncated


def _not_acceptable(kind: str, info: QueryInfo) -> Reply:
    return failure("not-acceptable", kind=kind, form=info.form)


# -- updates --------------------------------------------------------------------------------

def run_update(store: ox.Store, request: UpdateRequest) -> Reply:
    """Check an update and run it on this worker's private copy: the serving process uses it
    as a dry run before it applies the update to the served data.  The worker is sealed, so
    the dry run itself reaches nothing; the full parser's check comes after it, so that a
    syntax error is reported by the engine that would run the update."""
    info = inspect(request.update)
    if not info.is_update:
        reply = failure("query-as-update")
    elif info.loads:
        reply = failure("load-not-allowed")
    elif info.depth > MAX_QUERY_DEPTH:
        reply = failure("query-too-deep", f"The update nests brackets {info.depth} levels deep; "
                        f"the most this endpoint parses is {MAX_QUERY_DEPTH}.")
    else:
        refused = refuse_services(info.services, request.allowlist)
        reply = refused if refused is not None else handle_errors(_dry_run, store, request.update)
        if reply.ok:
            reply = _network_agrees(request.update, info, update=True) or reply
    reply.meta.setdefault("form", info.form)
    return reply


def _dry_run(store: ox.Store, update: str) -> Reply:
    store.update(update)
    return Reply(True)


# -- descriptions and health ----------------------------------------------------------------

def statistics(store: ox.Store, request: StatsRequest) -> Reply:
    """Counts for the service description and VoID, computed once per loaded store."""
    return Reply(True, compute_statistics(store, request.base_iri or ""))



def ping(store: ox.Store, request: PingRequest) -> Reply:
    empty = not store.query("ASK { ?s ?p ?o }", use_default_graph_as_union=True)
    return Reply(True, {"empty": empty})


def validate(store: ox.Store | None, request: ValidateRequest) -> Reply:
    """POST /validate's work, in a worker so that its time and memory are bounded."""
    from archivekg.errors import ArchiveKGError, SourceError
    from archivekg.validation.engine import validate_bytes
    try:
        report = validate_bytes(request.body, request.fmt, dict(request.settings),
                                inference=request.inference)
    except SourceError as exc:
        return failure("bad-rdf", exc.detail, **({"line": exc.line} if exc.line else {}))
    except ArchiveKGError as exc:
        return failure("bad-rdf", str(exc))
    return Reply(True, {"violations": report.violations, "warnings": report.warnings},
                 report.render(request.report_format).encode("utf-8"))


HANDLERS: dict[type, Callable[[Any, Any], Reply]] = {
    QueryRequest: run_query,
    UpdateRequest: run_update,
    StatsRequest: statistics,
    PingRequest: ping,
    ValidateRequest: validate,
}
