"""Two plans' tables (IP, ASN, MTU, VNI, BGP, cabling) compared row by row, each row known by its key."""

from __future__ import annotations

from typing import Any

from designer.fabric.plan.model import Plan
from designer.fabric.tables import Table, all_tables

# The columns that name a row; rows whose key repeats are told apart by their order among equals.
ROW_KEYS: dict[str, tuple[str, ...]] = {
    "ip": ("device", "interface", "purpose"),
    "asn": ("device",),
    "mtu": ("device", "interface"),
    "vni": ("name", "type"),
    "bgp": ("session",),
    "cabling": ("link",),
}


def keyed_rows(table: Table) -> dict[str, tuple[str, ...]]:
    """Row key -> row; a key that repeats gets `` #2``, `` #3``... in the order the rows come."""
    positions = [table.columns.index(column) for column in ROW_KEYS[table.name]]
    seen: dict[tuple, int] = {}
    out = {}
    for row in table.rows:
        base = tuple(row[i] for i in positions)
        count = seen.get(base, 0)
        seen[base] = count + 1
        out[" ".join(base) + (f" #{count + 1}" if count else "")] = row
    return out


def tables_diff(old: Plan, new: Plan) -> list[dict[str, Any]]:
    """Per table: the rows added, removed and changed (with the columns that changed), by row key."""
    return [table_diff(before, after) for before, after in zip(all_tables(old), all_tables(new), strict=True)]


def table_diff(old: Table, new: Table) -> dict[str, Any]:
    before, after = keyed_rows(old), keyed_rows(new)
    columns = new.columns

    def named(row: tuple[str, ...]) -> dict[str, str]:
        return dict(zip(columns, row, strict=True))

    added = [{"key": key, "row": named(row)} for key, row in after.items() if key not in before]
    removed = [{"key": key, "row": named(row)} for key, row in before.items() if key not in after]
    changed = []
    for key, row in after.items():
        was = before.get(key)
        if was is not None and was != row:
            changed.append({"key": key, "old": named(was), "new": named(row),
                            "columns": [c for c, a, b in zip(columns, was, row, strict=True) if a != b]})
    return {"name": new.name, "title": new.title, "columns": list(new.columns), "added": added, "removed": removed,
            "changed": changed}

