"""A small pool of forked query workers, and the only place a query can be stopped.

Oxigraph's ``Store.query`` has no time limit and cannot be interrupted from Python, so a
query runs in a worker process: the serving thread sends it over a pipe and watches it in
short slices.  A worker is killed (SIGKILL, the work stops at once) and replaced when its
request overruns the time limit, when the memory it has allocated since it started passes
the memory limit, or when the client that asked has hung up.  Forking from the serving
process costs a few milliseconds and shares the in-memory data copy-on-write; the hop itself
is one pickled request out and the finished bytes back.

Lanes.  The pool keeps ``size`` workers (one by default: on two cores, fewer processes
competing for them serve lookups fastest).  When every worker is held by a request that has
run longer than a lookup (``LOOKUP_SECONDS``), a waiting request gets an extra worker, up to
``max_size``; an extra that stays idle is retired.  A request that runs longer than
``SLOW_SECONDS`` has its worker's priority lowered (nice), so that lookups win the cores
from it, and that worker is replaced once it answers.  So slow queries cannot starve
lookups, and a flood of lookups does not multiply processes.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from archivekg.endpoint import worker as worker_main
from archivekg.endpoint.channel import Channel

log = logging.getLogger("archivekg.endpoint.pool")

# A worker arms its own alarm this long after the pool's limit, in case the pool is gone.
HARD_LIMIT_MARGIN = 5.0
STARTUP_TIMEOUT = 60.0
SLICE_SECONDS = 0.05          # how often a running request is checked (memory, client)
LOOKUP_SECONDS = 0.05         # a request running longer is not a lookup: it may get a new lane
SLOW_SECONDS = 1.0            # a request running longer yields the cores (nice)
SLOW_NICE = 10
EXTRA_IDLE_SECONDS = 10.0     # an extra worker idle this long is retired


class PoolError(Exception):
    pass


class StoreUnavailable(PoolError):
    """Workers cannot open the data (no build, unreadable store)."""


class QueryTimeout(PoolError):
    pass


class MemoryLimitExceeded(PoolError):
    def __init__(self, used: int, limit: int):
        super().__init__(f"{used} bytes allocated, limit {limit}")
        self.used, self.limit = used, limit


class ClientGone(PoolError):
    """The client closed its connection; its request was stopped."""


class PoolBusy(PoolError):
    """Every worker stayed busy for as long as a request may wait."""


class WorkerCrashed(PoolError):
    pass


def anonymous_memory(pid: int) -> int | None:
    """Bytes of private anonymous memory of a process (RssAnon), None if it is gone."""
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"RssAnon:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


@dataclass(eq=False)
class _Worker:
    pid: int
    channel: Channel
    generation: int
    baseline: int = 0                 # RssAnon when it became ready (inherited pages included)
    busy_since: float | None = None
    idle_since: float = field(default_factory=time.monotonic)
    spent: bool = False               # lowered priority or grown: replace after this request

    def exchange(self, request: bytes, timeout: float, *, memory_limit: int = 0,
                 cancelled: Callable[[], bool] | None = None):
        """Send one request and watch it; the Reply, or raise QueryTimeout,
        MemoryLimitExceeded, ClientGone or WorkerCrashed (the caller then kills the worker)."""
        started = time.monotonic()
        deadline = started + timeout
        try:
            self.channel.send(request)
            while True:
                now = time.monotonic()
                remaining = deadline - now
                if remaining <= 0:
                    raise QueryTimeout(timeout)
                if self.channel.wait(min(SLICE_SECONDS, remaining)):
                    return worker_main.decode_reply(self.channel.recv())
                self._watch(time.monotonic() - started, memory_limit, cancelled)
        except (EOFError, OSError, pickle.UnpicklingError, struct.error) as exc:
            raise WorkerCrashed(f"{type(exc).__name__}: {exc}") from exc

    def _watch(self, elapsed: float, memory_limit: int,
               cancelled: Callable[[], bool] | None) -> None:
        if memory_limit:
            used = anonymous_memory(self.pid)
            if used is not None and used - self.baseline > memory_limit:
                raise MemoryLimitExceeded(used - self.baseline, memory_limit)
        if cancelled is not None and cancelled():
            raise ClientGone()
        if elapsed > SLOW_SECONDS and not self.spent:
            self.spent = True
            try:
                os.setpriority(os.PRIO_PROCESS, self.pid, SLOW_NICE)
            except OSError:
                pass


class QueryPool:
    def __init__(self, size: int, open_store: Callable[[], Any] | None, *, max_size: int | None = None,
                 seal: bool = False, memory_limit: int = 0):
        self.size = max(1, int(size))
        self.max_size = max(self.size, int(max_size or self.size))
        self.seal = seal
        self.memory_limit = int(memory_limit)
        self._open_store = open_store
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []       # a stack: the most recently used worker is warmest
        self._live: set[_Worker] = set()
        self._busy: set[_Worker] = set()
        self._spawning = 0
        self._missing = 0                     # workers that died and could not be replaced yet
        self._generation = 0
        self._started = False
        self._closed = False
        self._start_lock = threading.Lock()
        # Held while forking and while the serving process writes to data the workers
        # inherit, so that no worker is ever forked in the middle of a write.
        self.fork_lock = threading.Lock()

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> None:
        if self._started:
            return
        with self._start_lock:
            if self._started:
                return
            if self._closed:
                raise StoreUnavailable("the query pool is shut down")
            workers = []
            try:
                for _ in range(self.size):
                    workers.append(self._spawn())
            except StoreUnavailable:
                for w in workers:
                    self._kill(w)
                raise
            with self._cond:
                self._idle.extend(workers)
                self._live.update(workers)
                self._started = True
                self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            workers = list(self._live)
            self._live.clear()
            self._idle.clear()
            self._busy.clear()
        for w in workers:
            self._kill(w)

    def status(self) -> dict[str, int]:
        with self._cond:
            return {"workers": len(self._live), "idle": len(self._idle), "missing": self._missing}

    def renew(self) -> None:
        """Replace every worker by one forked from the current state of the serving process."""
        with self._cond:
            self._generation += 1
            stale = [w for w in self._idle]
            self._idle.clear()
            for w in stale:
                self._live.discard(w)
        for w in stale:
            self._kill(w)
            self._replace()

    # -- requests ----------------------------------------------------------------------

    def call(self, request: Any, *, timeout: float, queue_timeout: float,
             cancelled: Callable[[], bool] | None = None) -> worker_main.Reply:
        """Run one request on a worker; raises QueryTimeout, MemoryLimitExceeded, ClientGone,
        PoolBusy, WorkerCrashed."""
        self.start()
        worker = self._acquire(queue_timeout)
        try:
            reply = self._run(worker, request, timeout, cancelled)
        except BaseException:
            with self._cond:
                self._busy.discard(worker)
                self._cond.notify_all()
            self._retire(worker)
            raise
        self._release(worker)
        return reply

    def call_private(self, request: Any, *, timeout: float, seal: bool, with_store: bool = True,
                     cancelled: Callable[[], bool] | None = None) -> worker_main.Reply:
        """Run one request on a worker forked for it alone (unsealed for an allowlisted
        SERVICE, store-less for validation), under the same limits."""
        worker = self._spawn(seal=seal, with_store=with_store)
        try:
            return self._run(worker, request, timeout, cancelled)
        finally:
            self._kill(worker)

    def _run(self, worker: _Worker, request: Any, timeout: float,
             cancelled: Callable[[], bool] | None) -> worker_main.Reply:
        message = worker_main.encode_request(request, timeout + HARD_LIMIT_MARGIN)
        try:
            return worker.exchange(message, timeout, memory_limit=self.memory_limit,
                                   cancelled=cancelled)
        except QueryTimeout:
            log.warning("query worker %d overran the %g s limit; killing it", worker.pid, timeout)
            raise
        except MemoryLimitExceeded as exc:
            log.warning("query worker %d passed the memory limit (%d MiB); killing it",
                        worker.pid, exc.used // 2**20)
            raise
        except ClientGone:
            log.info("the client of query worker %d hung up; stopping its request", worker.pid)
            raise
        except WorkerCrashed as exc:
            log.error("query worker %d died during a request (%s); replacing it", worker.pid, exc)
            raise

    def _acquire(self, queue_timeout: float) -> _Worker:
        while True:
            w = self._take(queue_timeout)
            # An idle worker has nothing to say: if its pipe is readable, it has died (killed
            # from outside, out of memory...).  Replace it rather than fail this request.
            if not w.channel.wait(0):
                return w
            log.error("idle query worker %d has died; replacing it", w.pid)
            with self._cond:
                self._busy.discard(w)
            self._retire(w)

    def _take(self, queue_timeout: float) -> _Worker:
        deadline = time.monotonic() + queue_timeout
        with self._cond:
            while True:
                if self._closed:
                    raise StoreUnavailable("the query pool is shut down")
                now = time.monotonic()
                if self._idle:
                    w = self._idle.pop()
                    w.busy_since = now
                    self._busy.add(w)
                    return w
                if self._missing:           # a worker died and its replacement failed: retry
                    self._missing -= 1
                    extra = False
                    break
                # Every worker busy: a new lane when all of them are held by slow work.
                youngest = min((now - (w.busy_since or now) for w in self._busy), default=0.0)
                room = len(self._live) + self._spawning < self.max_size
                if room and youngest >= LOOKUP_SECONDS:
                    extra = True
                    break
                remaining = deadline - now
                if remaining <= 0:
                    raise PoolBusy()
                wait = remaining if not room else min(remaining, LOOKUP_SECONDS - youngest + 0.001)
                self._cond.wait(wait)
            self._spawning += 1
        try:
            w = self._spawn()
        except StoreUnavailable:
            with self._cond:
                self._spawning -= 1
                if not extra:
                    self._missing += 1
            raise
        with self._cond:
            self._spawning -= 1
            w.busy_since = time.monotonic()
            self._live.add(w)
            self._busy.add(w)
        return w

    def _release(self, w: _Worker) -> None:
        now = time.monotonic()
        retire: list[_Worker] = []
        with self._cond:
            self._busy.discard(w)
            w.busy_since = None
            keep = (w.generation == self._generation and not self._closed and not w.spent
                    and not self._grown(w))
            if keep:
                w.idle_since = now
                self._idle.append(w)
            else:
                self._live.discard(w)
                retire.append(w)
            # Extra lanes that nobody needed for a while go away (the oldest idle first).
            while len(self._live) > self.size and self._idle and \
                    now - self._idle[0].idle_since > EXTRA_IDLE_SECONDS:
                old = self._idle.pop(0)
                self._live.discard(old)
                retire.append(old)
            self._cond.notify_all()
            short = not self._closed and len(self._live) + self._spawning < self.size
        for old in retire:
            self._kill(old)
        if short:
            self._replace()

    def _grown(self, w: _Worker) -> bool:
        # A worker whose allocator kept much of a large query's memory is replaced, so that
        # the next query starts with its full allowance.
        if not self.memory_limit:
            return False
        used = anonymous_memory(w.pid)
        return used is not None and used - w.baseline > self.memory_limit // 2

    def _retire(self, w: _Worker) -> None:
        with self._cond:
            self._live.discard(w)
            short = not self._closed and len(self._live) + self._spawning < self.size
        self._kill(w)
        if short:
            self._replace()

    def _replace(self) -> None:
        try:
            w = self._spawn()
        except StoreUnavailable as exc:
            log.error("could not start a replacement query worker: %s", exc)
            with self._cond:
                self._missing += 1
                self._cond.notify()
            return
        with self._cond:
            if self._closed:
                closed = True
            else:
                closed = False
                self._live.add(w)
                self._idle.append(w)
                self._cond.notify()
        if closed:
            self._kill(w)

    # -- processes ---------------------------------------------------------------------

    def _spawn(self, *, seal: bool | None = None, with_store: bool = True) -> _Worker:
        ours, theirs = Channel.pair()
        sealed = self.seal if seal is None else seal
        open_store = self._open_store if with_store else None
        with self.fork_lock:
            generation = self._generation
            pid = os.fork()
            if pid == 0:
                worker_main.main(theirs, open_store, sealed)   # never returns
        theirs.close()
        w = _Worker(pid, ours, generation)
        try:
            if not ours.wait(STARTUP_TIMEOUT):
                raise StoreUnavailable(f"a query worker did not start within {STARTUP_TIMEOUT:.0f} s")
            status, detail = pickle.loads(ours.recv())
        except (EOFError, OSError) as exc:
            self._kill(w)
            raise StoreUnavailable(f"a query worker exited while starting: {exc}") from exc
        except StoreUnavailable:
            self._kill(w)
            raise
        if status != "ready":
            self._kill(w)
            raise StoreUnavailable(detail)
        w.baseline = anonymous_memory(pid) or 0
        return w

    @staticmethod
    def _kill(w: _Worker) -> None:
        try:
            os.kill(w.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(w.pid, 0)
        except ChildProcessError:
            pass
        w.channel.close()
