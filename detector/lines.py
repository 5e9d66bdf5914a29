"""Offsets into a text as 1-based lines and columns, for reports.

Examples:
    >>> lines = LineIndex("第一行\\n第二行")
    >>> lines.line_column(0), lines.line_column(5)
    ((1, 1), (2, 2))
"""

from __future__ import annotations

import bisect
import re

__all__ = ["LineIndex", "line_column"]

_NEWLINE = re.compile("\n")


class LineIndex:
    """Where each line of a text starts, to turn offsets into lines and columns.

    Args:
        text: The original text; lines end at ``\\n``.

    Examples:
        >>> LineIndex("a\\nbc").line_column(3)
        (2, 2)
    """

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]

    def line_column(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of a character offset (columns count code points).

        Args:
            offset: A character offset into the text.

        Returns:
            ``(line, column)``.
        """
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def line_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of one offset of a text.

    Args:
        text: The text.
        offset: A character offset into it.

    Returns:
        ``(line, column)``.

    Examples:
        >>> line_column("ab\\ncd", 4)
        (2, 2)
    """
    return LineIndex(text).line_column(offset)
