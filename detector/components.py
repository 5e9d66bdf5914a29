"""Connected components: a small union-find shared by grouping, phrase families and spin folding."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

__all__ = ["DisjointSets"]

T = TypeVar("T", bound=Hashable)


class DisjointSets(Generic[T]):
    """Union-find over hashable items, with path halving.

    The root of each set is the member seen first, so roots are stable and
    meaningful (the earliest document, the first word of a lexicon group).

    Args:
        items: Items to start with, each in a set of its own, in order.

    Examples:
        >>> sets = DisjointSets()
        >>> sets.union("a", "b"); sets.union("c", "b"); sets.union("d", "e")
        >>> sets.find("c"), sets.groups()
        ('a', [['a', 'b', 'c'], ['d', 'e']])
    """

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._parent: dict[T, T] = {}
        self._seen: dict[T, int] = {}
        for item in items:
            self.add(item)

    def add(self, item: T) -> None:
        """Put an item in a set of its own, unless it is known already."""
        if item not in self._parent:
            self._parent[item] = item
            self._seen[item] = len(self._seen)

    def __contains__(self, item: object) -> bool:
        return item in self._parent

    def find(self, item: T) -> T:
        """The root of the item's set (the item is added when unknown)."""
        self.add(item)
        parent = self._parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: T, b: T) -> None:
        """Join the sets of ``a`` and ``b``; the root seen first stays the root."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if self._seen[rb] < self._seen[ra]:
                ra, rb = rb, ra
            self._parent[rb] = ra

    def groups(self) -> list[list[T]]:
        """Every set, members in the order seen, sets in the order of their roots."""
        members: dict[T, list[T]] = {}
        for item in self._parent:
            members.setdefault(self.find(item), []).append(item)
        return list(members.values())
