"""The readers-writer lock of an index, shared by every process that uses it.

SQLite keeps each transaction whole, but an addition commits its documents
in batches (so that a crash keeps what was done). A reader that must see an
addition whole or not at all (``detector serve`` answering a check while
``detector index add`` runs) takes this lock shared; :meth:`Index.add
<detector.store.Index.add>` and :meth:`Index.remove
<detector.store.Index.remove>` take it exclusively for their whole run.

The lock is ``flock`` on a small file in the temporary folder, named after
the index's resolved path, so an index in a read-only folder can be locked
too. Where ``flock`` is missing (Windows) the lock does nothing.

Examples:
    >>> import tempfile, os
    >>> lock = IndexLock(os.path.join(tempfile.mkdtemp(), "archive.db"))
    >>> with lock.shared(), lock.shared():
    ...     pass
    >>> with lock.exclusive():
    ...     pass
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["IndexLock"]


class IndexLock:
    """A readers-writer lock on one index file.

    Args:
        index: The index file (it need not exist yet).
    """

    def __init__(self, index: str | os.PathLike[str]) -> None:
        resolved = str(Path(index).resolve())
        name = hashlib.sha256(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:20]
        self.path = Path(tempfile.gettempdir()) / f"detector-index-{name}.lock"

    @contextlib.contextmanager
    def _held(self, exclusive: bool) -> Iterator[None]:
        if fcntl is None:  # pragma: no cover - Windows
            yield
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            yield
        finally:
            os.close(fd)

    def shared(self) -> contextlib.AbstractContextManager[None]:
        """Held while reading: waits for a running addition or removal to end."""
        return self._held(exclusive=False)

    def exclusive(self) -> contextlib.AbstractContextManager[None]:
        """Held while writing: waits until no reader or writer holds the lock.

        Each call opens the lock file anew, so two threads of one process
        wait for each other as two processes do. Do not take it while this
        thread holds the lock already.
        """
        return self._held(exclusive=True)
