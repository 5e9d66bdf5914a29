"""Worker processes: batches of work spread over the cores, results in order.

``scan``, ``check --against`` and ``index add`` fingerprint documents in
batches. With more than one job, the batches go to worker processes and come
back in the order they were sent, so the results are the same for any number
of jobs. At most ``2 × jobs`` batches are pending at a time (memory stays
bounded), and each worker dies with the process that started it.

Examples:
    >>> list(ordered_map(sum, [[1, 2], [3]], 1, lambda batch: (batch,)))
    [([1, 2], 3), ([3], 3)]
    >>> workers(1, 10_000), workers(0, 10) == 1
    (1, True)
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

__all__ = ["MAX_WORKERS", "MIN_PER_WORKER", "cores", "ordered_map", "workers"]

T = TypeVar("T")
R = TypeVar("R")

#: Most worker processes chosen by default.
MAX_WORKERS = 8
#: Documents each worker should have before a default run starts more than one.
MIN_PER_WORKER = 256


def cores() -> int:
    """The cores this process may run on.

    Examples:
        >>> cores() >= 1
        True
    """
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers(jobs: int, items: int) -> int:
    """How many processes work on ``items`` documents.

    Args:
        jobs: Processes asked for; 0 chooses one per core (at most
            :data:`MAX_WORKERS`), fewer when there are too few documents to
            keep them busy.
        items: The number of documents.

    Returns:
        At least 1.
    """
    if jobs > 0:
        return jobs
    return max(1, min(cores(), MAX_WORKERS, items // MIN_PER_WORKER))


def _die_with_parent() -> None:
    """Make a worker die with the process that started it (Linux), never linger."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            return


def ordered_map(
    function: Callable[..., R],
    items: Iterable[T],
    jobs: int,
    arguments: Callable[[T], tuple[Any, ...]],
    prepare: Callable[[], object] | None = None,
) -> Iterator[tuple[T, R]]:
    """``function(*arguments(item))`` for each item, in order, on ``jobs`` processes.

    Args:
        function: A module-level function (worker processes run it).
        items: The items, taken as they are needed.
        jobs: Processes; with 1 or fewer, everything runs in this process.
        arguments: What to send for an item (it must pickle).
        prepare: Called here before the workers start (with more than one
            job), so that they inherit what it loads (lookup tables) instead
            of each loading it again.

    Yields:
        Each item with its result, in the order of ``items``.
    """
    if jobs <= 1:
        for item in items:
            yield item, function(*arguments(item))
        return
    if prepare is not None:
        prepare()
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_die_with_parent)
    pending: deque[tuple[T, Future[R]]] = deque()
    try:
        for item in items:
            pending.append((item, pool.submit(function, *arguments(item))))
            while len(pending) > 2 * jobs:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
    finally:
        pool.shutdown(cancel_futures=True)
