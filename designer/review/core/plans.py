"""Two plans' tables (IP, ASN, MTU, VNI, BGP, cabling) compared row by row, each row known by its key."""

from __future__ import annotations

from collections.abc import Iterable
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


def row_key(table: str, row: dict[str, str], seen: dict[tuple, int]) -> str:
    base = tuple(row[column] for column in ROW_KEYS[table])
    count = seen.get(base, 0)
    seen[base] = count + 1
    return " ".join(base) + (f" #{count + 1}" if count else "")


def keyed_rows(table: Table) -> dict[str, dict[str, str]]:
    seen: dict[tuple, int] = {}
    rows = (dict(zip(table.columns, row, strict=True)) for row in table.rows)
    return {row_key(table.name, row, seen): row for row in rows}


def tables_diff(old: Plan, new: Plan) -> list[dict[str, Any]]:
    """Per table: the rows added, removed and changed (with the columns that changed), by row key."""
    return [table_diff(before, after) for before, after in zip(all_tables(old), all_tables(new), strict=True)]


def table_diff(old: Table, new: Table) -> dict[str, Any]:
    before, after = keyed_rows(old), keyed_rows(new)
    added = [{"key": key, "row": after[key]} for key in after if key not in before]
    removed = [{"key": key, "row": before[key]} for key in before if key not in after]
    changed = []
    for key in after.keys() & before.keys():
        columns = [column for column in new.columns if before[key].get(column) != after[key].get(column)]
        if columns:
            changed.append({"key": key, "old": before[key], "new": after[key], "columns": columns})
    changed.sort(key=lambda item: list(after).index(item["key"]))
    return {"name": new.name, "title": new.title, "columns": list(new.columns), "added": added, "removed": removed,
            "changed": changed}


def row_count(diffs: Iterable[dict[str, Any]]) -> int:
    return sum(len(diff["added"]) + len(diff["removed"]) + len(diff["changed"]) for diff in diffs)
