"""Errors the compiler raises for input it cannot use: each problem names where and what."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a design, at a path such as ``devices[3].bonds[0].members[1]``."""

    path: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        text = f"{where}{self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message, "hint": self.hint}


class DesignError(Exception):
    """The design cannot be loaded or planned; ``problems`` says the first MOST_SHOWN reasons found and
    ``more`` how many others there were (a file of 90,000 copies of one device has 180,000 problems)."""

    MOST_SHOWN = 100

    def __init__(self, problems: list[Problem] | Problem, *, source: str = ""):
        found = [problems] if isinstance(problems, Problem) else list(problems)
        self.problems = found[:self.MOST_SHOWN]
        self.more = len(found) - len(self.problems)
        self.source = source
        super().__init__(self.render())

    def __reduce__(self):
        # Raised in a planner process, it crosses to the server process whole: problems, count and source.
        return _design_error, (self.problems, self.more, self.source)

    def render(self) -> str:
        head = f"{self.source}: " if self.source else ""
        if len(self.problems) == 1 and not self.more:
            return f"{head}{self.problems[0]}"
        lines = [f"{head}{len(self.problems) + self.more} problems:"]
        lines += [f"  - {p}" for p in self.problems]
        if self.more:
            lines.append(f"  ... and {self.more} more problems")
        return "\n".join(lines)


def _design_error(problems: list[Problem], more: int, source: str) -> DesignError:
    error = DesignError(problems, source=source)
    error.more = more
    error.args = (error.render(),)
    return error


def format_path(loc: tuple[str | int, ...] | list[str | int]) -> str:
    """``('devices', 3, 'bonds', 0)`` -> ``devices[3].bonds[0]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
