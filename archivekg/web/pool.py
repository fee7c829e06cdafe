"""A small pool of forked query workers, and the only place a query can be stopped.

Oxigraph's ``Store.query`` has no time limit and cannot be interrupted from Python, so a
query runs in a worker process: the serving thread sends it over a pipe and waits on the
pipe for at most the time limit.  A worker that overruns is killed (SIGKILL, the work
stops at once) and a new one is forked, while the other workers keep serving.  Forking
from the serving process costs a few milliseconds and shares the in-memory data
copy-on-write; the hop itself is one pickled request out and the finished bytes back.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import struct
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from . import worker as worker_main
from .channel import Channel

log = logging.getLogger("archivekg.web.pool")

# A worker arms its own alarm this long after the pool's limit, in case the pool is gone.
HARD_LIMIT_MARGIN = 5.0
STARTUP_TIMEOUT = 60.0


class PoolError(Exception):
    pass


class StoreUnavailable(PoolError):
    """Workers cannot open the data (no build, unreadable store)."""


class QueryTimeout(PoolError):
    pass


class PoolBusy(PoolError):
    """Every worker stayed busy for as long as a request may wait."""


class WorkerCrashed(PoolError):
    pass


@dataclass(eq=False)
class _Worker:
    pid: int
    channel: Channel
    generation: int

    def exchange(self, request: bytes, timeout: float) -> tuple[str, dict, bytes | None]:
        """Send one request; the reply, or raise QueryTimeout / WorkerCrashed."""
        try:
            self.channel.send(request)
            if not self.channel.wait(timeout):
                raise QueryTimeout(timeout)
            return worker_main.decode_reply(self.channel.recv())
        except (EOFError, OSError, pickle.UnpicklingError, struct.error) as exc:
            raise WorkerCrashed(f"{type(exc).__name__}: {exc}") from exc


class QueryPool:
    def __init__(self, size: int, open_store: Callable[[], Any]):
        self.size = max(1, int(size))
        self._open_store = open_store
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []       # a stack: the most recently used worker is warmest
        self._live: set[_Worker] = set()
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

    def call(self, operation: str, args: dict[str, Any], *, timeout: float,
             queue_timeout: float) -> tuple[str, dict, bytes | None]:
        """Run one operation on a worker; raises QueryTimeout, PoolBusy, WorkerCrashed."""
        self.start()
        worker = self._acquire(queue_timeout)
        request = pickle.dumps((operation, dict(args, hard_limit=timeout + HARD_LIMIT_MARGIN)),
                               protocol=pickle.HIGHEST_PROTOCOL)
        try:
            reply = worker.exchange(request, timeout)
        except QueryTimeout:
            log.warning("query worker %d overran the %g s limit; killing it", worker.pid, timeout)
            self._retire(worker)
            raise
        except WorkerCrashed as exc:
            log.error("query worker %d died during a request (%s); replacing it", worker.pid, exc)
            self._retire(worker)
            raise
        self._release(worker)
        return reply

    def spawn_private(self) -> _Worker:
        """A worker outside the pool, for one-off work; the caller must ``discard`` it."""
        return self._spawn()

    def discard(self, w: _Worker) -> None:
        self._kill(w)

    def _acquire(self, queue_timeout: float) -> _Worker:
        while True:
            w = self._take(queue_timeout)
            # An idle worker has nothing to say: if its pipe is readable, it has died (killed
            # from outside, out of memory...).  Replace it rather than fail this request.
            if not w.channel.wait(0):
                return w
            log.error("idle query worker %d has died; replacing it", w.pid)
            self._retire(w)

    def _take(self, queue_timeout: float) -> _Worker:
        deadline = time.monotonic() + queue_timeout
        with self._cond:
            while True:
                if self._closed:
                    raise StoreUnavailable("the query pool is shut down")
                if self._idle:
                    return self._idle.pop()
                if self._missing:
                    self._missing -= 1
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._cond.wait(remaining):
                    if not self._idle and not self._missing:
                        raise PoolBusy()
        # A worker died earlier and its replacement failed: try again now, for this request.
        try:
            w = self._spawn()
        except StoreUnavailable:
            with self._cond:
                self._missing += 1
            raise
        with self._cond:
            self._live.add(w)
        return w

    def _release(self, w: _Worker) -> None:
        with self._cond:
            if w.generation == self._generation and not self._closed:
                self._idle.append(w)
                self._cond.notify()
                return
            self._live.discard(w)
        self._kill(w)
        if not self._closed:
            self._replace()

    def _retire(self, w: _Worker) -> None:
        with self._cond:
            self._live.discard(w)
        self._kill(w)
        if not self._closed:
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

    def _spawn(self) -> _Worker:
        ours, theirs = Channel.pair()
        with self.fork_lock:
            generation = self._generation
            pid = os.fork()
            if pid == 0:
                worker_main.main(theirs, self._open_store)   # never returns
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
