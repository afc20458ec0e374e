"""Which things belong together, as the checks ask of devices joined by links or sessions (union-find)."""

from __future__ import annotations

from collections.abc import Hashable


class Groups:
    """Union-find over hashable items: ``join`` two, and ``root`` names the group an item is in."""

    def __init__(self) -> None:
        self.parent: dict = {}

    def root(self, item: Hashable):
        parent = self.parent
        up = parent.setdefault(item, item)
        while up != item:  # each step points the item at its grandparent and goes there
            parent[item] = grandparent = parent[up]
            item, up = grandparent, parent[grandparent]
        return item

    def join(self, a: Hashable, b: Hashable) -> None:
        self.parent[self.root(a)] = self.root(b)
