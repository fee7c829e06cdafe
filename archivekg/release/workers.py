"""Work that parts share nothing in, on every core: mapping and per-document entailment.

The workers are forked from the build (they inherit what it has read: no input is pickled)
and send back bytes (N-Triples), which pickle at the speed of a copy.  Below a size where a
fork costs more than it saves, the work runs in the build's own process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
PARALLEL_FROM = 50        # parts

_task: Callable | None = None


def _run(index: int):
    return _task(index)  # type: ignore[misc]  # set before the workers fork


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
