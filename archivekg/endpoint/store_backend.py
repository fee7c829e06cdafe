"""The backend of `archivekg serve --store URL`: queries answered by an external triple store
through the SPARQL 1.1 Protocol, with this server's guarantees kept.

``StoreBackend.call`` is ``Backend.call`` for the same typed requests (worker.py), so that the
endpoint, the pages and every other view read through it unchanged and nothing can fall back
to the embedded store.  A query

1. is checked in a sealed worker exactly as for the embedded store (store_check.py), under
   the same time limit;
2. is sent to the store with the protocol's dataset (``default-graph-uri``/``named-graph-uri``)
   and the address the client used as its base, asking for SPARQL JSON results or N-Triples;
3. is read as it streams in, under what is left of the time limit: past it the connection is
   closed (the store's request is cut) and the client gets our 503; past ``MAX_RESULTS`` rows
   the rest is not read, and the answer says it was truncated;
4. is written by Oxigraph in the format the client negotiated, as the embedded store's are.

The service description, VoID and the pages' counts come from the publication record the
store holds (publication.py): they describe the dataset we published, whatever else the store
holds.  Store differences: server/stores.md.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
import urllib.parse
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from archivekg import rdfformats
from archivekg.endpoint.backend import Backend, client_gone_error, timeout_error
from archivekg.endpoint.errors import ApiError
from archivekg.endpoint.pool import QueryPool, StoreUnavailable
from archivekg.endpoint.store_check import ForwardCheck
from archivekg.endpoint.worker import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    PingRequest,
    QueryRequest,
    Reply,
    StatsRequest,
    _serialize,
)
from archivekg.errors import ArchiveKGError
from archivekg.release import store as build_store
from archivekg.release.publish import read_state
from archivekg.release.remote import Cancelled, Client, Credentials, StoreError, StoreTimeout

log = logging.getLogger("archivekg.web")

RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.8"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, text/plain;q=0.5"
# A published record is re-read this often, so that a new release shows within seconds.
RECORD_SECONDS = 5.0
_SAFE_BASE = re.compile(r"^[^\s<>\"{}|^`\\]+$")

_RESULT_TYPES = {media: fmt for fmt in rdfformats.RESULTS for media in fmt.media_types}
_GRAPH_TYPES = {**rdfformats.BY_MEDIA_TYPE, "text/plain": rdfformats.BY_MEDIA_TYPE["application/n-triples"]}


class StoreNotReady(ArchiveKGError):
    """`serve --store` cannot start: the store cannot be read, or holds nothing of ours."""

    exit_code = 3


class StoreSource:
    """What `serve --store` serves, in the terms the views ask DataSource for."""

    kind = "store"
    memory_store = None
    files: list[str] = []

    def __init__(self, backend: StoreBackend):
        self._backend = backend

    def prepare(self) -> None:
        """Reach the store and read what is published there (raises when it cannot)."""
        try:
            self._backend.state(required=True)
        except ApiError as exc:
            raise StoreNotReady(exc.message) from None

    def describe(self) -> str:
        return self._backend.url

    def manifest(self) -> dict | None:
        state = self._backend.state(required=False)
        if state is None:
            return None
        manifest = {key: state.get(key) for key in ("version", "built", "license", "triples")}
        local = self.release_folder()
        if local is not None:
            manifest["dumps"] = build_store.manifest(local).get("dumps")
        return manifest

    def release_folder(self) -> Path | None:
        """The published release's own folder when this machine has it (its dumps are the
        store's data, byte for byte), else None."""
        state = self._backend.state(required=False)
        if state is None or not state.get("release"):
            return None
        folder = Path(self._backend.settings["BUILD_DIR"]) / build_store.RELEASES / state["release"]
        try:
            if build_store.manifest(folder).get("built") == state.get("built"):
                return folder
        except (OSError, ValueError):
            pass
        return None

    def cache_key(self) -> str | None:
        state = self._backend.state(required=False)
        return None if state is None else f"{self._backend.url} {state.get('release')} {state.get('published')}"


class StoreBackend(Backend):
    def __init__(self, settings: dict[str, Any]):
        super().__init__(settings)
        self.url = settings["STORE_URL"]
        self.source = StoreSource(self)
        self._client: tuple[int, Client] | None = None
        self._checks: tuple[int, QueryPool] | None = None
        self._record: tuple[float, dict | None] | None = None
        self._record_lock = threading.Lock()

    # -- processes and connections (one of each per serving process, never across a fork) --

    def client(self) -> Client:
        pid = os.getpid()
        if self._client is None or self._client[0] != pid:
            self._client = (pid, Client(Credentials(self.settings["STORE_USER"],
                                                    self.settings["STORE_PASSWORD"],
                                                    self.settings["STORE_TOKEN"]),
                                        timeout=self.timeout))
        return self._client[1]

    def pool(self) -> QueryPool:
        """The sealed, store-less workers that check queries before they are forwarded."""
        pid = os.getpid()
        if self._checks is None or self._checks[0] != pid:
            with self._lock:
                if self._checks is None or self._checks[0] != pid:
                    pool = QueryPool(self.settings["QUERY_WORKERS"], None,
                                     max_size=self.settings["QUERY_WORKERS_MAX"],
                                     seal=bool(self.settings["QUERY_NETWORK_SANDBOX"]),
                                     memory_limit=self.memory_limit)
                    self._checks = (pid, pool)
        return self._checks[1]

    # -- requests ------------------------------------------------------------------------

    def call(self, request: Any, *, timeout: float | None = None,
             cancelled: Callable[[], bool] | None = None, private: str | None = None,
             limit_setting: str = "QUERY_TIMEOUT") -> Reply:
        if private == "no-store":          # validation needs no data: as for the embedded store
            return super().call(request, timeout=timeout, cancelled=cancelled, private=private,
                                limit_setting=limit_setting)
        if isinstance(request, QueryRequest):
            return self._query(request, self.timeout if timeout is None else timeout, cancelled,
                               limit_setting)
        if isinstance(request, StatsRequest):
            return Reply(True, self.statistics())
        if isinstance(request, PingRequest):
            return self.ping()
        raise ApiError(403, "read-only-store", _READ_ONLY)

    def _query(self, request: QueryRequest, limit: float, cancelled, limit_setting: str) -> Reply:
        deadline = time.monotonic() + limit
        checked = super().call(ForwardCheck(request), timeout=limit, cancelled=cancelled,
                               limit_setting=limit_setting)
        if not checked.ok:
            return checked
        form = checked.meta["form"]
        graph = form in ("CONSTRUCT", "DESCRIBE")
        params = [("query", _with_base(request.query, request.base_iri))]
        if request.default_graphs is not None:
            params += [("default-graph-uri", iri) for iri in request.default_graphs]
        if request.named_graphs is not None:
            params += [("named-graph-uri", iri) for iri in request.named_graphs]
        try:
            response = self.client().request(
                "POST", self.url, body=urllib.parse.urlencode(params).encode("utf-8"),
                headers={"Content-Type": "application/x-www-form-urlencoded",
                         "Accept": GRAPH_ACCEPT if graph else RESULTS_ACCEPT},
                timeout=max(0.001, deadline - time.monotonic()), deadline=deadline,
                cancelled=cancelled)
        except StoreTimeout:
            raise timeout_error(limit, limit_setting) from None
        except StoreError as exc:
            raise _unavailable(exc) from None
        try:
            with response:
                if response.status != 200:
                    raise _refused(response)
                meta = {"form": form}
                if graph:
                    body = self._graph(response, request, checked.meta.get("prefixes") or {}, meta)
                else:
                    body = self._results(response, request, meta)
                return Reply(True, meta, body)
        except StoreTimeout:
            raise timeout_error(limit, limit_setting) from None
        except Cancelled:
            raise client_gone_error() from None
        except StoreError as exc:
            raise _unavailable(exc) from None
        except (SyntaxError, ValueError) as exc:
            if response.timed_out:
                raise timeout_error(limit, limit_setting) from None
            raise ApiError(502, "store-bad-answer",
                           f"The store at {self.url} sent an answer that cannot be read: {exc}") from None

    def _results(self, response, request: QueryRequest, meta: dict) -> bytes:
        fmt = _RESULT_TYPES.get(response.content_type)
        if fmt is None:
            raise ApiError(502, "store-bad-answer",
                           f"The store at {self.url} answered a query with {response.content_type or 'no type'}, "
                           "not SPARQL results.")
        parsed = ox.parse_query_results(response, fmt.oxigraph)
        assert request.results_format is not None, "the forward check refuses a SELECT or ASK without one"
        target = RESULT_FORMATS[request.results_format]
        if isinstance(parsed, ox.QueryBoolean):
            _drain(response)
            meta.update(format=request.results_format, kind="ask", count=1, truncated=False)
            return rdfformats.serialized(parsed.serialize(format=target))
        limit = int(request.max_results)
        variables = parsed.variables
        rows = list(islice(parsed, limit + 1))
        truncated = len(rows) > limit
        if truncated:
            del rows[limit:]       # the rest is never read: closing the connection cuts it
        else:
            _drain(response)
        # Written as TSV (one line per row, as the embedded store's answers are cut), then by
        # Oxigraph in the negotiated format.
        lines = ["\t".join(str(v) for v in variables)]
        lines += ["\t".join("" if row[v] is None else _tsv_term(row[v]) for v in variables) for row in rows]
        tsv = ("\n".join(lines) + "\n").encode("utf-8")
        meta.update(format=request.results_format, kind="select", count=len(rows), truncated=truncated)
        if target == ox.QueryResultsFormat.TSV:
            return tsv
        return rdfformats.serialized(ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV).serialize(format=target))

    def _graph(self, response, request: QueryRequest, prefixes: dict[str, str], meta: dict) -> bytes:
        fmt = _GRAPH_TYPES.get(response.content_type)
        if fmt is None or fmt.datasets:
            raise ApiError(502, "store-bad-answer",
                           f"The store at {self.url} answered a CONSTRUCT with "
                           f"{response.content_type or 'no type'}, not N-Triples or Turtle.")
        limit = int(request.max_results)
        quads = ox.parse(response, format=fmt.oxigraph)
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in islice(quads, limit + 1)]
        truncated = len(triples) > limit
        if truncated:
            del triples[limit:]
        else:
            _drain(response)
        meta.update(format=request.graph_format, kind="graph", count=len(triples), truncated=truncated)
        assert request.graph_format is not None, "the forward check refuses a CONSTRUCT or DESCRIBE without one"
        return _serialize(triples, GRAPH_FORMATS[request.graph_format],
                          {**prefixes, **dict(request.prefixes)})

    # -- what is published -----------------------------------------------------------------

    def state(self, *, required: bool) -> dict | None:
        """The store's publication record (re-read every RECORD_SECONDS)."""
        now = time.monotonic()
        known = self._record
        if known is None or now - known[0] > RECORD_SECONDS:
            with self._record_lock:
                known = self._record
                if known is None or now - known[0] > RECORD_SECONDS:
                    try:
                        found = read_state(self.client(), self.url, self.settings["BASE_IRI"])
                    except StoreError as exc:
                        if required:
                            raise ApiError(503, "store-unavailable",
                                           f"The store cannot be read: {exc}") from None
                        log.warning("the store's publication record cannot be read: %s", exc)
                        return known[1] if known else None
                    except ArchiveKGError as exc:
                        raise ApiError(503, "store-unavailable", str(exc)) from None
                    known = self._record = (now, found)
        if known[1] is None and required:
            raise ApiError(503, "not-published",
                           f"Nothing of this dataset ({self.settings['BASE_IRI']}) is published in "
                           f"the store at {self.url}: run `archivekg publish --to {self.url}`.")
        return known[1]

    def statistics(self) -> dict[str, Any]:
        state = self.state(required=True)
        assert state is not None, "a required state is there or raises"
        return state["statistics"]

    def ping(self) -> Reply:
        try:
            reply = self.client().request(
                "POST", self.url, body=b"query=ASK%20%7B%7D",
                headers={"Content-Type": "application/x-www-form-urlencoded",
                         "Accept": RESULTS_ACCEPT},
                timeout=min(5.0, self.timeout), deadline=time.monotonic() + min(5.0, self.timeout))
            with reply:
                reply.read()
                if reply.status != 200:
                    raise StoreUnavailable(f"the store at {self.url} answered {reply.status} {reply.reason}")
        except StoreError as exc:
            raise StoreUnavailable(str(exc)) from None
        return Reply(True, {"empty": False})

    def apply_update(self, text: str) -> None:
        raise ApiError(403, "read-only-store", _READ_ONLY)


_READ_ONLY = ("This server answers from an external triple store, which it never changes: "
              "publish a new release into the store with `archivekg publish`.")


def _with_base(query: str, base: str | None) -> str:
    # Relative IRIs resolve against the address the client used, as with the embedded store;
    # a BASE of the query's own comes later and wins.
    if not base or not _SAFE_BASE.match(base):
        return query
    return f"BASE <{base}>\n{query}"


def _tsv_term(term) -> str:
    # N-Triples syntax escapes line breaks but not tabs, which TSV needs escaped.
    return str(term).replace("\t", "\\t")


def _drain(response) -> None:
    """Read what follows the parsed answer, so that the connection can be used again."""
    try:
        while response.read(1 << 16):
            pass
    except (StoreError, Cancelled):
        pass


def _unavailable(exc: StoreError) -> ApiError:
    return ApiError(503, "store-unavailable", f"The triple store cannot be queried: {exc}")


def _refused(response) -> ApiError:
    text = " ".join(response.text(1000).split())[:1000]
    if response.status in (400, 406, 413, 414, 415, 422, 501):     # the query, not our access
        return ApiError(400, "store-refused",
                        f"The triple store behind this server cannot run this query, although it is "
                        f"valid SPARQL 1.1 (server/stores.md lists the known differences); it "
                        f"answered {response.status} {response.reason}: {text}", store_status=response.status)
    return ApiError(502, "store-error",
                    f"The triple store behind this server failed on this query: it answered "
                    f"{response.status} {response.reason}: {text}", store_status=response.status)
