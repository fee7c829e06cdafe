"""`archivekg publish`: the current release written into an external store, through the
standards only (server/stores.md).

1. The store's publication record (publication.py) says which release it serves and the
   digest of each of its graphs; the graphs whose digest differs from the release's, and the
   record itself, are to be sent, the graphs the release no longer has are to be dropped.
2. Each graph to send is uploaded with one Graph Store Protocol PUT, streamed from the
   release's dataset.nq, under a staging name (``urn:archivekg:staging:…``): the served graphs
   are not touched.
3. One SPARQL Update request switches: ``MOVE`` of every staged graph onto its real name,
   ``DROP`` of the removed ones, the new record last.  SPARQL 1.1 Update asks a store to run
   one request atomically (all its operations or none), so a reader sees the previous release
   or the new one.  The Graph Store Protocol itself has no transactions.  A switch of more
   than SWITCH_BATCH graphs (a first publish, a change to the registries) takes several
   requests, the record in the last: that one is not atomic, and says so.

Any failure before the switch leaves the served graphs and the record as they were (the
staged graphs are dropped when the store can still be reached, or by the next publish), and
the error says what failed and where.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from archivekg.errors import ConfigError
from archivekg.release import store as build_store
from archivekg.release.publication import (
    Part,
    parse_state,
    record_iri,
    record_ntriples,
    record_query,
    release_parts,
    staging_prefix,
)
from archivekg.release.remote import Client, Credentials, StoreError, StoreUnreachable
from archivekg.release.statistics import compute_statistics
from archivekg.release.writer import NQUADS

READ_BLOCK = 1 << 20
# Operations in one switching request.  Virtuoso 7.2.5 compiles a request into one procedure
# and refuses one of 1,004 MOVEs ("Query too large"); 600 pass.  A larger switch is made of
# several requests, the record in the last (server/stores.md).
SWITCH_BATCH = 500
RESULTS_JSON = "application/sparql-results+json"


class PublishError(StoreError):
    """A step of the publish failed; the store still serves what it served before."""


@dataclass
class Endpoints:
    query: str
    update: str
    graph_store: str

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Endpoints:
        query = settings["STORE_URL"]
        if not query:
            raise ConfigError("no store to publish to: give `archivekg publish --to URL` "
                              "(the store's SPARQL endpoint) or the setting STORE_URL")
        return cls(query, settings["STORE_UPDATE_URL"] or query,
                   settings["STORE_GRAPH_STORE_URL"] or query)


@dataclass
class PublishResult:
    release: str
    previous: str | None
    sent: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    bytes_sent: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def client_for(settings: dict[str, Any], *, timeout: float | None = None) -> Client:
    return Client(Credentials(settings["STORE_USER"], settings["STORE_PASSWORD"], settings["STORE_TOKEN"]),
                  timeout=float(settings["PUBLISH_TIMEOUT"]) if timeout is None else timeout)


def read_state(client: Client, query_url: str, base_iri: str) -> dict[str, Any] | None:
    """The store's publication record, or None when nothing of ours is published there."""
    rows = select(client, query_url, record_query(base_iri), what="reading the publication record")
    if not rows:
        return None
    return parse_state(rows[0]["state"].value, where=query_url)


def select(client: Client, url: str, query: str, *, what: str) -> list[dict[str, Any]]:
    reply = client.request("POST", url, body=urllib.parse.urlencode({"query": query}).encode(),
                           headers={"Content-Type": "application/x-www-form-urlencoded",
                                    "Accept": RESULTS_JSON})
    with reply:
        if reply.status != 200:
            raise PublishError(f"{what}: {_refusal(reply.status, reply.reason)}",
                               url=url, status=reply.status, detail=_store_text(reply))
        body = reply.read()
    try:
        solutions = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
        if not isinstance(solutions, ox.QuerySolutions):
            raise ValueError("a boolean, where the query asks for solutions")
        names = [v.value for v in solutions.variables]
        return [{n: s[n] for n in names} for s in solutions]
    except (SyntaxError, ValueError) as exc:
        raise PublishError(f"{what}: the store's answer is not SPARQL JSON results", url=url,
                           detail=str(exc)) from None


def publish(settings: dict[str, Any], *, echo: Callable[[str], None] | None = None) -> PublishResult:
    """Publish BUILD_DIR/current into the store of the settings; see the module's text."""
    say = echo or (lambda message: None)
    endpoints = Endpoints.from_settings(settings)
    base = settings["BASE_IRI"]
    release = build_store.current_release(settings["BUILD_DIR"])
    build_store.hold(release)        # a build meanwhile must not delete what we read
    manifest = build_store.manifest(release)
    if manifest.get("base_iri", base) != base:
        raise ConfigError(f"{release} was built for BASE_IRI {manifest['base_iri']!r}, "
                          f"not {base!r}")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    parts = release_parts(release, manifest)
    timings["digests"] = time.perf_counter() - started

    client = client_for(settings)
    try:
        return _publish(client, endpoints, base, release, manifest, parts, timings, say)
    finally:
        client.close()


def _publish(client: Client, endpoints: Endpoints, base: str, release: Path, manifest: dict,
             parts: dict[str, Part], timings: dict[str, float], say) -> PublishResult:
    step = time.perf_counter()
    previous = read_state(client, endpoints.query, base)
    published = (previous or {}).get("graphs", {})
    changed = [p for p in parts.values() if published.get(p.iri, {}).get("sha256") != p.sha256]
    removed = sorted(set(published) - set(parts))
    result = PublishResult(release.name, (previous or {}).get("release"),
                           removed=removed, unchanged=len(parts) - len(changed))
    if previous is not None and not changed and not removed and previous.get("release") == release.name:
        say(f"{endpoints.query} already serves release {release.name}: nothing to send")
        timings["compare"] = time.perf_counter() - step
        result.seconds = timings
        return result
    say(f"release {release.name}: {len(changed)} of {len(parts)} graphs to send, "
        f"{len(removed)} to drop" + (f" (the store serves {result.previous})" if previous else
                                     " (nothing of ours in the store yet)"))
    _drop_leftovers(client, endpoints, base)
    timings["compare"] = time.perf_counter() - step

    step = time.perf_counter()
    with _opened(release) as store:
        statistics = compute_statistics(store, base)
    timings["statistics"] = time.perf_counter() - step

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    prefix = f"{staging_prefix(base)}{stamp}:"
    staged: list[tuple[str, str]] = []          # (staging name, real name)
    step = time.perf_counter()
    try:
        for index, part in enumerate(changed, 1):
            name = f"{prefix}{index}"
            staged.append((name, part.iri))
            _put(client, endpoints.graph_store, name, _graph_body(release / NQUADS, part),
                 _ntriples_length(part),
                 what=f"uploading graph <{part.iri}> ({index} of {len(changed)}, "
                      f"{part.triples} triples)")
            result.sent.append(part.iri)
            result.bytes_sent += _ntriples_length(part)
            say(f"  sent {part.iri} ({part.triples} triples)")
        state = {"release": release.name, "version": manifest.get("version"),
                 "built": manifest.get("built"), "license": manifest.get("license"),
                 "base_iri": base, "triples": manifest.get("triples"),
                 "published": datetime.now(UTC).isoformat(timespec="seconds"),
                 "graphs": {p.iri: {"triples": p.triples, "sha256": p.sha256} for p in parts.values()},
                 "statistics": statistics}
        record = record_ntriples(base, state)
        staged.append((f"{prefix}record", record_iri(base)))
        _put(client, endpoints.graph_store, f"{prefix}record", lambda: iter((record,)), len(record),
             what="uploading the publication record")
        timings["upload"] = time.perf_counter() - step

        step = time.perf_counter()
        operations = [f"MOVE SILENT GRAPH <{name}> TO GRAPH <{real}>" for name, real in staged]
        operations[-1:-1] = [f"DROP SILENT GRAPH <{iri}>" for iri in removed]
        batches = [operations[i:i + SWITCH_BATCH] for i in range(0, len(operations), SWITCH_BATCH)]
        if len(batches) > 1:
            say(f"  {len(operations)} graphs to switch: more than one request takes "
                f"({SWITCH_BATCH} each, the record in the last), so readers of the store may see "
                "some graphs switched before others for the time the switch takes")
        for number, batch in enumerate(batches, 1):
            _update(client, endpoints.update, " ;\n".join(batch),
                    what=f"switching to release {release.name} (update request {number} of "
                         f"{len(batches)}, {len(batch)} operations)")
        timings["switch"] = time.perf_counter() - step
    except BaseException:
        _drop(client, endpoints, [name for name, _ in staged])
        raise

    step = time.perf_counter()
    now = read_state(client, endpoints.query, base)
    if now is None or now.get("release") != release.name:
        raise PublishError(f"the switch to release {release.name} was accepted, but the store "
                           f"now reports {(now or {}).get('release', 'nothing')}: another "
                           "publish may have run at the same time", url=endpoints.query)
    timings["verify"] = time.perf_counter() - step
    result.seconds = timings
    say(f"{endpoints.query} now serves release {release.name}: {len(result.sent)} graphs sent "
        f"({result.bytes_sent / 2**20:.1f} MiB), {len(removed)} dropped, {result.unchanged} unchanged")
    return result


class _opened:
    """The release's dataset in memory, dropped on leaving: the statistics scan it several
    times, which the on-disk store does about four times slower (docs: DESIGN)."""

    def __init__(self, release: Path):
        self.release = release

    def __enter__(self) -> ox.Store:
        self.store = ox.Store()
        self.store.bulk_load(path=str(self.release / NQUADS), format=ox.RdfFormat.N_QUADS)
        return self.store

    def __exit__(self, *exc) -> None:
        del self.store


def _ntriples_length(part: Part) -> int:
    # Each N-Quads line ends with " <graph> .\n"; the same line as N-Triples with " .\n".
    return (part.end - part.start) - part.triples * (len(part.iri.encode("utf-8")) + 3)


def _graph_body(path: Path, part: Part) -> Callable[[], Iterator[bytes]]:
    """The graph's lines of dataset.nq as N-Triples, read block by block."""
    suffix = f" <{part.iri}> .\n".encode()

    def blocks() -> Iterator[bytes]:
        with path.open("rb") as handle:
            handle.seek(part.start)
            left, carry = part.end - part.start, b""
            while left > 0:
                block = handle.read(min(READ_BLOCK, left))
                if not block:
                    raise OSError(f"{path} ended before byte {part.end}")
                left -= len(block)
                block = carry + block
                cut = block.rfind(b"\n") + 1
                carry = block[cut:]
                yield block[:cut].replace(suffix, b" .\n")
            if carry:
                raise OSError(f"{path}: the lines of <{part.iri}> do not end with a line break")
    return blocks


def _graph_url(graph_store: str, graph: str) -> str:
    joiner = "&" if urllib.parse.urlsplit(graph_store).query else "?"
    return f"{graph_store}{joiner}{urllib.parse.urlencode({'graph': graph})}"


def _put(client: Client, graph_store: str, name: str, body, length: int, *, what: str) -> None:
    url = _graph_url(graph_store, name)
    try:
        reply = client.request("PUT", url, body=body, length=length,
                               headers={"Content-Type": "application/n-triples"})
    except StoreError as exc:
        raise PublishError(f"{what}: {exc.message}", url=exc.url, status=exc.status,
                           detail=exc.detail) from None
    with reply:
        detail = _store_text(reply) if reply.status not in (200, 201, 204) else ""
        if reply.status in (200, 201, 204):
            reply.read()
            return
    raise PublishError(f"{what}: {_refusal(reply.status, reply.reason)}", url=graph_store,
                       status=reply.status, detail=detail)


def _update(client: Client, url: str, update: str, *, what: str) -> None:
    try:
        reply = client.request("POST", url, body=urllib.parse.urlencode({"update": update}).encode(),
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
    except StoreError as exc:
        raise PublishError(f"{what}: {exc.message}", url=exc.url, status=exc.status,
                           detail=exc.detail) from None
    with reply:
        if 200 <= reply.status < 300:
            reply.read()
            return
        detail = _store_text(reply)
    raise PublishError(f"{what}: {_refusal(reply.status, reply.reason)}", url=url,
                       status=reply.status, detail=detail)


def _refusal(status: int, reason: str) -> str:
    hints = {
        401: "the store refused our credentials (settings STORE_USER and STORE_PASSWORD, or "
             "ARCHIVEKG_STORE_PASSWORD)",
        403: "the store's user may not write (give it the right to update the store)",
        404: "there is no such endpoint on the store (settings STORE_URL, STORE_UPDATE_URL, "
             "STORE_GRAPH_STORE_URL)",
        413: "the store refused the request as too large (raise its request size limit)",
    }
    return f"the store answered {status} {reason}" + (f": {hints[status]}" if status in hints else "")


def _store_text(reply) -> str:
    text = reply.text(600)
    return " ".join(text.split())[:600]


def _drop_leftovers(client: Client, endpoints: Endpoints, base: str) -> None:
    """Staged graphs of publishes that were killed before they could clean up."""
    prefix = staging_prefix(base)
    rows = select(client, endpoints.query,
                  "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                  f"FILTER(STRSTARTS(STR(?g), {json.dumps(prefix)})) }}",
                  what="looking for graphs left by an interrupted publish")
    _drop(client, endpoints, [row["g"].value for row in rows if row.get("g") is not None])


def _drop(client: Client, endpoints: Endpoints, names: list[str]) -> None:
    if not names:
        return
    try:
        _update(client, endpoints.update,
                " ;\n".join(f"DROP SILENT GRAPH <{name}>" for name in names),
                what="dropping staged graphs")
    except (PublishError, StoreUnreachable):
        pass    # the next publish drops them (_drop_leftovers)
