"""Writing systems: text written with spaces between words, and text without.

Chinese (and Japanese, Korean) run words together; English and most other
languages put spaces between them. What a reader takes as a passage, a
number or a context depends on it: 20 characters are a clause in Chinese
but three or four words in English. A document is written with spaces when
fewer than half of its letters are Han, kana or Hangul.

Examples:
    >>> spaced_char("a"), spaced_char("全"), spaced_char("½"), spaced_char("，")
    (True, False, True, False)
    >>> written_with_spaces("thecashratetarget"), written_with_spaces("坚决打赢污染防治攻坚战")
    (True, False)
"""

from __future__ import annotations

import unicodedata

import numpy as np

__all__ = ["SPACED_PASSAGE_FACTOR", "spaced_char", "spaced_codepoints", "whole_words", "written_with_spaces"]

#: How many times longer a passage must be, in characters, in text written
#: with spaces than in Chinese to be a comparable stretch of text.
SPACED_PASSAGE_FACTOR = 3

#: Code point ranges of Han characters, kana and Hangul (start, end exclusive).
_UNSPACED = (
    (0x1100, 0x1200),
    (0x3040, 0x3100),
    (0x3130, 0x3190),
    (0x3400, 0xA000),
    (0xAC00, 0xD7B0),
    (0xF900, 0xFB00),
    (0x20000, 0x32000),
)


def _unspaced(codepoints: np.ndarray) -> np.ndarray:
    found = np.zeros(len(codepoints), dtype=bool)
    for start, end in _UNSPACED:
        found |= (codepoints >= start) & (codepoints < end)
    return found


def spaced_char(ch: str) -> bool:
    """Whether a character is a letter or digit of text written with spaces (or ASCII)."""
    if ch.isascii():
        return True
    if unicodedata.category(ch)[0] not in "LN":
        return False
    return not bool(_unspaced(np.array([ord(ch)], dtype=np.int64))[0])


def written_with_spaces(text: str) -> bool:
    """Whether fewer than half of a text's characters are Han, kana or Hangul.

    Args:
        text: A normalised text (letters and digits only: spaces and
            punctuation would count on the side of text written with spaces).
    """
    return spaced_codepoints(np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32))


def spaced_codepoints(codepoints: np.ndarray) -> bool:
    """:func:`written_with_spaces` of a normalised text given as code points."""
    cps = codepoints.astype(np.int64, copy=False)
    return len(cps) > 0 and int(_unspaced(cps).sum()) * 2 < len(cps)


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` of ``text`` so that it neither starts nor ends inside a word.

    Only words of text written with spaces are completed; a span between
    Chinese characters is left as it is.

    Examples:
        >>> text = "The cash rate target is unchanged."
        >>> start, end = whole_words(text, 6, 15)
        >>> text[start:end]
        'cash rate target'
        >>> whole_words("坚决打赢污染防治", 2, 4)
        (2, 4)
    """
    if start >= end:
        return start, end
    while 0 < start < len(text) and _in_word(text[start - 1]) and _in_word(text[start]):
        start -= 1
    while 0 < end < len(text) and _in_word(text[end - 1]) and _in_word(text[end]):
        end += 1
    return start, end


def _in_word(ch: str) -> bool:
    return ch.isalnum() and spaced_char(ch)
