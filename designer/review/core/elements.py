"""Two design documents compared element by element, each known by its stable id: what the canvas diff shows.

An element is added, removed or changed; a change lists the fields that differ as paths such as
``nics[swp2].mtu`` with their old and new values. Lists of named things are matched by name, so
reordering NICs changes nothing and the path names the NIC.
"""

from __future__ import annotations

from typing import Any

# Collections of the document whose elements carry ids (and the canvas draws), in the order it draws them.
COLLECTIONS = ("racks", "devices", "links", "networks", "vrfs", "wireguard", "egress")
DESIGN = "design"  # the settings outside the collections: policies, pools, firewall, DNS
_MATCH_KEYS = ("id", "name", "device")


def elements_diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """``[{id, collection, status, name, fields: [{path, old, new}]}]`` for every element that differs,
    and one ``design`` entry when the settings outside the collections do."""
    out: list[dict[str, Any]] = []
    for collection in COLLECTIONS:
        before = {element["id"]: element for element in old.get(collection, [])}
        after = {element["id"]: element for element in new.get(collection, [])}
        for element_id, element in after.items():
            if element_id not in before:
                out.append(_entry(element_id, collection, "added", element, []))
            elif element != before[element_id]:
                out.append(_entry(element_id, collection, "changed", element, field_changes(before[element_id],
                                                                                          element)))
        out += [_entry(element_id, collection, "removed", element, [])
                for element_id, element in before.items() if element_id not in after]
    settings_old = {k: v for k, v in old.items() if k not in COLLECTIONS}
    settings_new = {k: v for k, v in new.items() if k not in COLLECTIONS}
    if settings_old != settings_new:
        out.append(_entry(DESIGN, DESIGN, "changed", {"name": new.get("name", "")},
                          field_changes(settings_old, settings_new)))
    return out


def _entry(element_id: str, collection: str, status: str, element: dict[str, Any],
           fields: list[dict[str, Any]]) -> dict[str, Any]:
    moved_only = status == "changed" and all(f["path"].startswith("position") for f in fields)
    return {"id": element_id, "collection": collection, "status": "moved" if moved_only else status,
            "name": str(element.get("name", element_id)), "fields": fields}


def field_changes(old: Any, new: Any, path: str = "") -> list[dict[str, Any]]:
    """The leaves that differ between two JSON values, as ``{path, old, new}`` (None: absent)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in [*old, *(k for k in new if k not in old)]:
            if old.get(key) != new.get(key):
                out += field_changes(old.get(key), new.get(key), f"{path}.{key}" if path else key)
        return out
    if isinstance(old, list) and isinstance(new, list):
        keyed_old, keyed_new = _keyed(old), _keyed(new)
        if keyed_old is not None and keyed_new is not None:
            out = []
            for key in [*keyed_old, *(k for k in keyed_new if k not in keyed_old)]:
                if keyed_old.get(key) != keyed_new.get(key):
                    out += field_changes(keyed_old.get(key), keyed_new.get(key), f"{path}[{key}]")
            return out
    return [{"path": path, "old": old, "new": new}]


def _keyed(items: list[Any]) -> dict[str, Any] | None:
    """A list of objects that each name themselves (by id, name or device), keyed by that; else None."""
    for match in _MATCH_KEYS:
        if items and all(isinstance(item, dict) and isinstance(item.get(match), str) for item in items):
            keys = [item[match] for item in items]
            if len(set(keys)) == len(keys):
                return dict(zip(keys, items, strict=True))
    if items and all(isinstance(item, str) for item in items) and len(set(items)) == len(items):
        return {item: item for item in items}
    return None
