"""Place names: PRC administrative divisions and administrative-level words.

Deprecated: the definitions live in :mod:`detector.entities`; this module
re-exports its former public names for one release.
"""

from __future__ import annotations

from detector.entities import ADMIN_LEVEL, gazetteer, is_admin_level, is_place, short_name

__all__ = ["ADMIN_LEVEL", "gazetteer", "is_admin_level", "is_place", "short_name"]
