"""Exclusions: what a check shows apart from copying, as CNKI and Turnitin do.

Three kinds of shared text may be legitimate, and a report shows the copy
ratio without each beside the total:

* **quotations** (:mod:`detector.quotes`): always found and shown; with
  ``quotes=True`` the gate judges the ratio without them;
* **own work**: sources matching ``own`` (paths, folders or glob patterns:
  documents by the same author or office) are counted apart, and the gate
  judges the ratio without them;
* **base documents** (``base``, like MOSS ``-b``): templates every draft is
  meant to follow; text a draft shares with them never counts, anywhere.

Examples:
    >>> from detector import Document
    >>> ex = Exclusions(own=("archive/our-office/*",))
    >>> ex.is_own("archive/our-office/2023.txt"), ex.is_own("archive/other/2023.txt")
    (True, False)
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import numpy as np

from detector.canonical import matching_form
from detector.config import Config
from detector.normalize import FurnitureRules
from detector.passages import KgramTable, find_passages
from detector.sources import Document

__all__ = ["NO_EXCLUSIONS", "Exclusions"]

#: Length of the exact matches that find a draft's text in a base document.
_K = 8


@dataclass(frozen=True, eq=False)
class Exclusions:
    """What a check counts apart from copying.

    Args:
        quotes: The gate judges the copy ratio without quotations.
        own: Paths, folders or glob patterns of the author's own earlier work.
        base: Base (template) documents whose text never counts.
    """

    quotes: bool = False
    own: tuple[str, ...] = ()
    base: tuple[Document, ...] = ()
    _forms: dict[tuple[Config, int], list[tuple[np.ndarray, KgramTable]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def is_own(self, label: str) -> bool:
        """Whether a source (by path or id) is the author's own work.

        Args:
            label: The source's path or id.

        Returns:
            True when a pattern matches the path or its name, names the same
            file, or names a folder holding it.
        """
        if not self.own:
            return False
        path = PurePath(label)
        for pattern in self.own:
            if fnmatch.fnmatch(label, pattern) or fnmatch.fnmatch(path.name, pattern):
                return True
            if _within(label, pattern):
                return True
        return False

    def is_base(self, label: str) -> bool:
        """Whether a document (by path or id) is one of the base documents.

        Args:
            label: The document's path or id.

        Returns:
            True when it names the same file as a base document, or has its id.
        """
        return any(label == d.id or (d.path is not None and _within(label, d.path)) for d in self.base)

    def base_mask(self, codepoints: np.ndarray, config: Config, rules: FurnitureRules | None) -> np.ndarray:
        """Which characters of a draft's matching form a base document holds too.

        Args:
            codepoints: The draft's matching form as code points.
            config: Settings of the matching form.
            rules: Furniture rules.

        Returns:
            Boolean array, one value per character: runs of at least eight
            characters (small edits bridged) shared with a base document.
        """
        mask = np.zeros(len(codepoints), dtype=bool)
        if len(codepoints) < _K:
            return mask
        for cps, table in self._base_forms(config, rules):
            for d0, d1, _, _ in find_passages(codepoints, cps, k=_K, min_length=_K, table=table):
                mask[d0:d1] = True
        return mask

    def _base_forms(
        self, config: Config, rules: FurnitureRules | None
    ) -> list[tuple[np.ndarray, KgramTable]]:
        key = (config, id(rules))
        if key not in self._forms:
            forms = []
            for document in self.base:
                cps = matching_form(document.text, config, rules).codepoints()
                if len(cps) >= _K:
                    forms.append((cps, KgramTable.of(cps, _K)))
            self._forms[key] = forms
        return self._forms[key]

    def to_dict(self) -> dict[str, object]:
        """The exclusions as plain settings (base documents by path or id)."""
        return {
            "quotes": self.quotes,
            "own": list(self.own),
            "base": [d.path or d.id for d in self.base],
        }


def _within(label: str, pattern: str) -> bool:
    """Whether ``label`` is the file ``pattern`` names or lies in the folder it names."""
    if any(c in pattern for c in "*?["):
        return False
    try:
        target = Path(os.path.abspath(pattern))
        found = Path(os.path.abspath(label))
    except (OSError, ValueError):
        return False
    return found == target or target in found.parents


#: A check with nothing excluded beyond common phrases.
NO_EXCLUSIONS = Exclusions()
