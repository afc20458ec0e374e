"""Where a comment on a line of a node's file stands in a newer revision of that file.

A line anchor keeps the line's text and a few lines around it. On a new head the line is looked for by
its text among the lines the new diff shows; among equal lines the one whose surroundings match best
wins, then the nearest to where it was. A line that is gone, or no longer part of the change, leaves the
comment outdated, shown with the text it was made on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

CONTEXT_LINES = 2


@dataclass(frozen=True, slots=True)
class LineAnchor:
    line: int  # 1-based
    text: str
    before: tuple[str, ...]
    after: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "text": self.text, "before": list(self.before), "after": list(self.after)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LineAnchor:
        return cls(int(data["line"]), str(data["text"]), tuple(data.get("before", ())), tuple(data.get("after", ())))


def anchor_at(lines: Mapping[int, str], line: int) -> LineAnchor:
    """The anchor of ``line`` among ``lines`` (line number -> text, the lines a diff shows of one side);
    KeyError when the diff does not show that line."""
    if line not in lines:
        raise KeyError(f"line {line} is not part of the change")
    before = tuple(lines[n] for n in range(line - CONTEXT_LINES, line) if n in lines)
    after = tuple(lines[n] for n in range(line + 1, line + 1 + CONTEXT_LINES) if n in lines)
    return LineAnchor(line, lines[line], before, after)


def reanchor(anchor: LineAnchor, lines: Mapping[int, str]) -> int | None:
    """The line the anchor now stands at among ``lines`` (as for ``anchor_at``), or None when its line is
    gone or no longer part of the change: the comment is then outdated."""
    candidates = [number for number, text in lines.items() if text == anchor.text]
    if not candidates:
        return None

    def score(number: int) -> tuple[int, int]:
        before = [lines.get(n) for n in range(number - len(anchor.before), number)]
        after = [lines.get(n) for n in range(number + 1, number + 1 + len(anchor.after))]
        matching = sum(a == b for a, b in zip(before, anchor.before, strict=True))
        matching += sum(a == b for a, b in zip(after, anchor.after, strict=True))
        return matching, -abs(number - anchor.line)

    return max(candidates, key=score)
