"""The query worker pool on its own (forked from the test process): busy, timeout,
replacement, renewal after a change of the served data, an unopenable store."""

from __future__ import annotations

import threading
import time

import pyoxigraph as ox
import pytest

from archivekg.endpoint.pool import PoolBusy, QueryPool, QueryTimeout, StoreUnavailable
from archivekg.endpoint.worker import QueryRequest

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

EX = "http://example.org/"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def query_args(text: str) -> QueryRequest:
    return QueryRequest(query=text, results_format="json", graph_format="turtle", max_results=1000)


@pytest.fixture()
def store():
    s = ox.Store()
    s.extend(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal(str(i)))
             for i in range(2000))
    return s


@pytest.fixture()
def pool(store):
    p = QueryPool(1, lambda: store)
    yield p
    p.close()


def test_timeout_kills_and_replaces(pool):
    pool.start()
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        pool.call(query_args(RUNAWAY), timeout=1.0, queue_timeout=1.0)
    assert time.monotonic() - started < 3.0
    assert pool.status() == {"workers": 1, "idle": 1, "missing": 0}
    reply = pool.call(query_args("ASK { ?s ?p ?o }"), timeout=5, queue_timeout=1)
    assert (reply.ok, reply.body) == (True, b'{"head":{},"boolean":true}')


def test_busy_when_every_worker_stays_busy(pool):
    pool.start()
    outcome = []
    runaway = threading.Thread(target=lambda: outcome.append(
        _raises(lambda: pool.call(query_args(RUNAWAY), timeout=2.0, queue_timeout=1.0))))
    runaway.start()
    time.sleep(0.3)
    with pytest.raises(PoolBusy):
        pool.call(query_args("ASK {}"), timeout=5, queue_timeout=0.5)
    runaway.join()
    assert outcome == [QueryTimeout]


def _raises(call):
    try:
        call()
    except Exception as exc:
        return type(exc)
    return None


def test_renew_serves_the_changed_data(store, pool):
    ask = query_args(f"ASK {{ <{EX}new> ?p ?o }}")
    assert pool.call(ask, timeout=5, queue_timeout=1).body.endswith(b"false}")
    with pool.fork_lock:
        store.add(ox.Quad(ox.NamedNode(EX + "new"), ox.NamedNode(EX + "p"), ox.Literal("x")))
    assert pool.call(ask, timeout=5, queue_timeout=1).body.endswith(b"false}")   # old copy
    pool.renew()
    assert pool.call(ask, timeout=5, queue_timeout=1).body.endswith(b"true}")


def test_a_store_that_cannot_open():
    def broken():
        raise OSError("no store here")
    pool = QueryPool(2, broken)
    with pytest.raises(StoreUnavailable, match="no store here"):
        pool.start()
    pool.close()


def test_syntax_error_keeps_the_worker(pool):
    reply = pool.call(query_args("SELECT ?x WHERE { ?x }"), timeout=5, queue_timeout=1)
    assert not reply.ok
    assert reply.code == "syntax-error"
    assert reply.meta["position"]["line"] == 1
    assert pool.status()["workers"] == 1
