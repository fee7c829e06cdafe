"""The checks a query passes before it is forwarded to an external store, run in a sealed
query worker like every query of the embedded store.

The worker reads the query as it would for the embedded store (query_text.py: the form,
SERVICE endpoints, depth) and refuses what it would refuse there (updates, SERVICE not on the
allowlist, formats the client does not accept).  Then Oxigraph parses the query, so that only
standard SPARQL 1.1 reaches the store (no vendor pragma such as Virtuoso's ``DEFINE``) and a
syntax error is reported as the embedded store reports it, with its position.  A SELECT,
CONSTRUCT or DESCRIBE is only parsed (Oxigraph evaluates lazily); an ASK is evaluated over an
empty store, which the worker's time limit bounds.  A query whose SERVICE endpoints are all
allowlisted is read by rdflib's parser as well (network_check.py), as before it runs here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from archivekg.endpoint import worker
from archivekg.endpoint.query_text import inspect
from archivekg.endpoint.worker import QueryRequest, Reply


@dataclass(frozen=True)
class ForwardCheck:
    request: QueryRequest


def check(store, job: ForwardCheck) -> Reply:
    request = job.request
    info = inspect(request.query)
    meta = {"form": info.form, "prefixes": info.prefixes}
    reply = worker.check_query(info, request)
    if reply is not None and reply.code == "needs-network":
        # Allowlisted endpoints: the store calls them; both parsers must agree on which.
        reply = worker._network_agrees(request.query, info, update=False)
    if reply is None and not (info.services and info.form == "ASK"):
        reply = worker.handle_errors(_parse, request)
    if reply is None:
        return Reply(True, meta)
    reply.meta.setdefault("form", info.form)
    return reply


_empty: list[ox.Store] = []


def _parse(request: QueryRequest) -> None:
    if not _empty:
        _empty.append(ox.Store())
    _empty[0].query(request.query, base_iri=request.base_iri)
    return None


worker.HANDLERS[ForwardCheck] = check
