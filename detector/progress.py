"""Progress reporting for long library calls, without printing.

A workflow that reads or sketches many documents takes a :class:`Progress`
and tells it what it is doing; the command line shows a bar, a library
caller may pass nothing.

Examples:
    >>> advance = NO_PROGRESS.task("reading", 10)
    >>> advance(3)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

__all__ = ["NO_PROGRESS", "Advance", "Progress"]

#: Called with the number of items just done.
Advance = Callable[[int], None]


class Progress(Protocol):
    """Something that shows how far a long call has come."""

    def task(self, description: str, total: int) -> Advance:
        """Start a task of ``total`` items; returns the function to call as items are done."""
        ...


class _Silent:
    def task(self, description: str, total: int) -> Advance:
        return _ignore


def _ignore(done: int) -> None:
    return None


#: A progress that shows nothing.
NO_PROGRESS: Progress = _Silent()
