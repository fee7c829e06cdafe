"""Work that parts share nothing in, on every core: mapping and per-document entailment, and
rendering the dumps' blocks.

The workers are forked from the build (they inherit what it has read: no input is pickled)
and send back bytes (N-Triples), which pickle at the speed of a copy.  Below a size where a
fork costs more than it saves, the work runs in the build's own process.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import os
from collections import deque
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
PARALLEL_FROM = 50        # parts

_task: Callable | None = None


def _run(index: int):
    assert _task is not None, "the task is set before the workers fork"
    return _task(index)


def workers() -> int:
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def run(task: Callable[[int], T], count: int, parts: int) -> list[T]:
    """``task(i)`` for i in range(count), in worker processes when there are ``parts`` enough."""
    global _task
    processes = workers() if parts >= PARALLEL_FROM else 1
    if processes <= 1 or count <= 1:
        return [task(i) for i in range(count)]
    _task = task
    try:
        with multiprocessing.get_context("fork").Pool(min(processes, count)) as pool:
            return pool.map(_run, range(count), chunksize=1)
    finally:
        _task = None


def share(items: list, sizes: dict, count: int) -> list[list]:
    """``items`` in ``count`` lists of about the same total size (largest first, to the lightest)."""
    shares: list[list] = [[] for _ in range(count)]
    loads = [0] * count
    for item in sorted(items, key=lambda i: -sizes.get(i, 1)):
        lightest = loads.index(min(loads))
        shares[lightest].append(item)
        loads[lightest] += sizes.get(item, 1)
    return [share for share in shares if share]


class Ordered:
    """``task(i)`` for i in range(count), given back in order, computed ahead by forked workers
    with at most ``ahead`` answers waiting (their memory is bounded), or here when ``parallel``
    is false.  The workers are forked when the ``with`` block is entered: enter it before
    starting threads (a fork copies no thread, and a lock a thread held stays locked)."""

    def __init__(self, task: Callable[[int], T], count: int, *, parallel: bool, ahead: int = 64):
        self.task, self.count, self.ahead = task, count, ahead
        self.processes = workers() if parallel and count > 1 else 1
        self.pool: multiprocessing.pool.Pool | None = None

    def __enter__(self) -> Ordered:
        global _task
        if self.processes > 1:
            _task = self.task
            try:
                self.pool = multiprocessing.get_context("fork").Pool(self.processes)
            finally:
                _task = None
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()

    def __iter__(self):
        if self.pool is None:
            yield from (self.task(i) for i in range(self.count))
            return
        waiting: deque = deque()
        submitted = 0
        while submitted < self.count or waiting:
            while submitted < self.count and len(waiting) < self.ahead:
                waiting.append(self.pool.apply_async(_run, (submitted,)))
                submitted += 1
            yield waiting.popleft().get()
