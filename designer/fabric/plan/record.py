"""The allocation record: what was handed to which element, kept like a lock file between plans."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import DesignError, Problem

RECORD_VERSION = 1


@dataclass(slots=True)
class AllocationRecord:
    """``namespace -> element key -> value``. Planning with a record never moves what it holds."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    def get(self, namespace: str, key: str) -> Any:
        return self.entries.get(namespace, {}).get(key)

    def put(self, namespace: str, key: str, value: Any) -> None:
        self.entries.setdefault(namespace, {})[key] = value

    def namespace(self, namespace: str) -> dict[str, Any]:
        return self.entries.get(namespace, {})

    def to_data(self) -> dict[str, Any]:
        return {"version": RECORD_VERSION,
                "allocations": {ns: dict(sorted(values.items()))
                                for ns, values in sorted(self.entries.items()) if values}}

    @classmethod
    def from_data(cls, data: Any, *, source: str = "allocation record") -> AllocationRecord:
        if data is None:
            return cls()
        if not isinstance(data, dict) or data.get("version") != RECORD_VERSION:
            raise DesignError(Problem("version", f"not an allocation record of version {RECORD_VERSION}"),
                              source=source)
        allocations = data.get("allocations", {})
        if not isinstance(allocations, dict) or not all(
                isinstance(values, dict) for values in allocations.values()):
            raise DesignError(Problem("allocations", "must map each namespace to element keys"),
                              source=source)
        return cls({ns: dict(values) for ns, values in allocations.items()})
