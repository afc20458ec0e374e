"""Reading a design's YAML: YAML 1.2 (so ``65000:100`` stays a string), a key written twice refused, an error said
at its line and column; a large text read on both cores.

A 10,000-node design is some 15 MB of YAML, most of it the long lists of its top level (devices, links, the
attachments of networks), and a YAML parser reads it on one core. Cut between two top-level keys, or between two
items of a top-level list written at the left margin (as every YAML writer does), each half is a YAML document of
its own; the second is parsed in a forked process and comes back marshalled, which costs a third of parsing it.
The command line starts it before it imports the compiler, which it does meanwhile (``start_parsing``).

The cut never changes what is read: a half that does not parse, or does not read as the top of a mapping, and
any key found in both halves, put the cut aside and the whole text is parsed as usual, so an error in the text is
reported by that parse, at its own line and column. An alias in one half to an anchor in the other does not
parse either, and a half holding the end or start of a document of a stream reads as a list.

Only the standard library, the YAML reader and the text rule are imported here: nothing of the compiler.
"""

from __future__ import annotations

import marshal
import os
import re
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml_rs

from .errors import DesignError, Problem
from .runtime import may_fork
from .text import source_problems

# below this the second process costs more than it saves (parsing runs at some 20 MB/s)
SPLIT_FROM = 2_000_000
# how much of the text the first process parses: a little more than half, as it reads the second's answer after
# parsing its own; less when it has the compiler to import meanwhile
FIRST_SHARE, FIRST_SHARE_WHILE_IMPORTING = 0.55, 0.47
# the key the second half's list items are read under, before they join the list of the first half; if the text
# used it too, the second half would not parse (a duplicate key) and the cut would be put aside
CONTINUED = "weft:continued"
# a line at the left margin that starts a top-level key or an item of a top-level list
_TOP_LEVEL_LINE = re.compile(r"\n(?:- |[A-Za-z_][\w.-]*:[ \t\r\n])")
_ITEM = "\n- "
# lines (within so many characters) looked back over from a cut for the end of a document, past blank lines and
# comments
_LOOK_BACK, _WINDOW = 20, 4096


def read_design_text(path: str | Path) -> str:
    """The text of the design file ``path``; a file that cannot be read, or is not UTF-8, is a ``DesignError``."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise DesignError(Problem("", f"cannot read the design: {exc.strerror}"), source=str(path)) from None
    except UnicodeDecodeError:
        raise DesignError(Problem("", "the file is not UTF-8 text"), source=str(path)) from None


def parse_yaml(text: str, *, source: str = "") -> Any:
    """Parse YAML 1.2; duplicate keys are an error. The text is checked first: the YAML reader stops at a NUL as
    if the file ended there."""
    return start_parsing(text, source=source)()


def start_parsing(text: str, *, source: str = "", first_share: float = FIRST_SHARE) -> Callable[[], Any]:
    """``parse_yaml(text)``, started: the text is checked at once, and a large one's second half is parsed by a
    second process from now on; the function returned parses the rest and gives the data."""
    problems = source_problems(text)
    if problems:
        raise DesignError(problems, source=source)
    halves = start_in_halves(text, _yaml12_loads, first_share=first_share)

    def parsed() -> Any:
        data = halves() if halves is not None else None
        if data is not None:
            return data
        try:
            return _yaml12_loads(text)
        except yaml_rs.YAMLDecodeError as exc:
            raise DesignError(_yaml_problem(text, str(exc)), source=source) from None

    return parsed


def _yaml12_loads(text: str) -> Any:
    return yaml_rs.loads(text, parse_datetime=False)


def _yaml_problem(text: str, message: str) -> Problem:
    where = re.search(r"line (\d+),? column (\d+)", message)
    lines = [line for line in message.splitlines() if line.strip() and "|" not in line]
    problem = lines[-1].strip() if lines else message
    problem = re.sub(r"\s*at line \d+,? column \d+.*", "", problem)
    duplicate = re.search(r"duplicate mapping key: '(.*)'", problem)
    if duplicate and not where:
        where = _second_occurrence(text, duplicate[1])
    return Problem(f"line {where[1]}, column {where[2]}" if where else "", f"malformed YAML: {problem}",
                   "check the indentation and quoting there")


def _second_occurrence(text: str, key: str) -> tuple[str, str, str] | None:
    pattern = re.compile(rf"^(\s*(?:-\s+)?)['\"]?{re.escape(key)}['\"]?\s*:")
    seen: set[int] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        match = pattern.match(line)
        if match:
            indent = len(match[1])
            if indent in seen:
                return ("", str(number), str(indent + 1))
            seen.add(indent)
    return None


# --- a large text on both cores ------------------------------------------------------------------

def start_in_halves(text: str, loads: Callable[[str], Any], *, split_from: int = SPLIT_FROM,
                    first_share: float = FIRST_SHARE, middle: int | None = None,
                    fork: bool | None = None) -> Callable[[], dict | None] | None:
    """``loads(text)`` on two cores: the second half started now, in a second process. None where the text is not
    cut: shorter than ``split_from``, no line to cut at, or no second process to be had (``fork``: whether one may
    be forked; by default where no other thread runs, ``runtime.may_fork``: it only parses and answers). The
    function returned parses the first half here and joins the two: the mapping the whole would read as, or None
    where the halves do not read as they would within the whole. ``middle``: cut at the first line that may be cut
    at from there on, rather than at ``first_share`` of the text.
    """
    if fork is None:
        fork = may_fork()
    if len(text) < split_from or not fork or not hasattr(os, "fork"):
        return None
    cut = _cut(text, int(len(text) * first_share) if middle is None else middle)
    if cut is None or _ends_a_document(text, cut[0]):
        return None
    at, continued = cut
    second = f'"{CONTINUED}":\n{text[at:]}' if continued else text[at:]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the second process: answer, and end at once without running what the first set up for its end
        code = 1
        try:
            os.close(read)
            payload = marshal.dumps(loads(second))
            with os.fdopen(write, "wb") as out:
                out.write(payload)
            code = 0
        finally:
            os._exit(code)
    os.close(write)

    def joined() -> dict | None:
        first = None
        try:
            first = loads(text[:at])
        except Exception:  # the whole text's parse says what is wrong, and where
            os.kill(pid, signal.SIGKILL)
        finally:
            with os.fdopen(read, "rb") as answer:
                payload = answer.read()
            _, status = os.waitpid(pid, 0)
        if first is None or status != 0:
            return None
        return _joined(first, marshal.loads(payload), continued)  # noqa: S302 - written by our own child above

    return joined


def _ends_a_document(text: str, at: int) -> bool:
    """Whether a document of a stream ends right before ``at``: a line ``...``, then blank lines or comments at
    most (or more of those than are looked at). Cut anywhere else, a stream of documents reads as a list in one
    half or the other, as it does whole, and the cut is put aside."""
    window = text[max(0, at - _WINDOW):at].split("\n")
    for line in reversed(window[1 if at > _WINDOW else 0:-1][-_LOOK_BACK:]):  # whole lines only
        words = line.split()
        if words and not words[0].startswith("#"):
            return words[0] == "..." and (len(words) == 1 or words[1].startswith("#"))
    return True


def _cut(text: str, middle: int) -> tuple[int, bool] | None:
    """Where the second half starts, at or after ``middle``, and whether it continues a list of the first half."""
    found = _TOP_LEVEL_LINE.search(text, middle)
    if found is None:
        return None
    at = found.start() + 1
    if not found.group().startswith(_ITEM):
        return at, False
    # an item continues the list of the key above it when the lines back to the item before it are all indented
    previous = text.rfind(_ITEM, 0, found.start())
    if previous < 0:
        return None
    between = _TOP_LEVEL_LINE.search(text, previous + 1, found.start() + 1)  # a key: no item is (``rfind``)
    if between is None:
        return at, True
    return between.start() + 1, False  # the first item of a list: cut at its key instead


def _joined(first: Any, second: Any, continued: bool) -> dict | None:
    if not isinstance(first, dict) or not isinstance(second, dict) or not first:
        return None
    if continued:
        if next(iter(second), None) != CONTINUED:
            return None
        items = second.pop(CONTINUED)
        last = next(reversed(first))
        if not isinstance(items, list) or not isinstance(first[last], list):
            return None
        first[last] += items
    if not first.keys().isdisjoint(second):
        return None  # a key written twice: the whole text's parse refuses it
    first.update(second)
    return first
