"""Running independent validation passes on several cores.

pyshacl is pure Python, so one process validates on one core; the passes of slices.py share
nothing, so they can run in worker processes.  Workers are forked after the shapes are loaded
(they inherit them) and receive each slice pickled; at most two passes per worker wait in the
queue, so memory stays bounded by a few slices, not by the data.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many triples a pool costs more (fork, pickling) than it saves.
PARALLEL_FROM_TRIPLES = 50_000


def default_workers(triples: int) -> int:
    if triples < PARALLEL_FROM_TRIPLES or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def map_bounded(function: Callable[[T], R], items: Iterable[T], workers: int) -> Iterator[tuple[T, R]]:
    """(item, function(item)) for every item, in order; in ``workers`` processes when > 1."""
    if workers <= 1:
        for item in items:
            yield item, function(item)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        pending: deque = deque()
        for item in items:
            pending.append((item, pool.submit(function, item)))
            if len(pending) >= 2 * workers:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
