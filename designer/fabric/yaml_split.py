"""Reading a large YAML design on both cores: the text cut in two at a line of its top level, each half parsed by
a process of its own.

A 10,000-node design is some 15 MB of YAML, most of it the long lists of its top level (devices, links, the
attachments of networks), and a YAML parser reads it on one core. Cut between two top-level keys, or between two
items of a top-level list written at the left margin (as every YAML writer does), each half is a YAML document of
its own; the second is parsed in a forked process and comes back marshalled, which costs a third of parsing it.

The cut never changes what is read: a half that does not parse, or does not read as the top of a mapping, and
any key found in both halves, put the cut aside and the whole text is parsed as usual, so an error in the text is
reported by that parse, at its own line and column. An alias in one half to an anchor in the other does not
parse either, and a half holding the end or start of a document of a stream reads as a list.
"""

from __future__ import annotations

import marshal
import os
import re
import signal
from collections.abc import Callable
from typing import Any

from .runtime import may_fork

# below this the second process costs more than it saves (parsing runs at some 20 MB/s)
SPLIT_FROM = 2_000_000
# the first half a little longer: its process reads the second's answer after parsing its own
FIRST_SHARE = 0.55
# the key the second half's list items are read under, before they join the list of the first half; if the text
# used it too, the second half would not parse (a duplicate key) and the cut would be put aside
CONTINUED = "weft:continued"
# a line at the left margin that starts a top-level key or an item of a top-level list
_TOP_LEVEL_LINE = re.compile(r"\n(?:- |[A-Za-z_][\w.-]*:[ \t\r\n])")
_ITEM = "\n- "
# lines (within so many characters) looked back over from a cut for the end of a document, past blank lines and
# comments
_LOOK_BACK, _WINDOW = 20, 4096


def parse_in_halves(text: str, loads: Callable[[str], Any], *, split_from: int = SPLIT_FROM,
                    middle: int | None = None) -> dict | None:
    """``loads(text)`` parsed on two cores: the same mapping, or None where the text is not cut (shorter than
    ``split_from``, no line to cut at, no second process to be had, or a half that does not read as it would
    within the whole). ``middle``: cut at the first line that may be cut at from there on."""
    if len(text) < split_from or not may_fork():
        return None
    cut = _cut(text, int(len(text) * FIRST_SHARE) if middle is None else middle)
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
    between = _TOP_LEVEL_LINE.search(text, previous + 1, found.start() + 1)
    if between is None:
        return at, True
    if between.group().startswith(_ITEM):  # pragma: no cover - rfind found the last item before the cut
        return None
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
