"""What text a design may hold: printable Unicode with tabs and line breaks, nested no deeper than a design is.

This is the one place that decides it, for YAML files, JSON bodies and the canvas alike. A NUL or another
control character, or half of a UTF-16 surrogate pair, can be carried by neither PostgreSQL, UTF-8, YAML
nor the configuration files a design becomes; a YAML reader even stops at a NUL without a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import orjson

from .errors import Problem, format_path

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls; UTF-16 surrogates.
FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# The same rule as a JSON Schema pattern a whole string matches (JSON text cannot hold a lone surrogate).
ALLOWED_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
# No design comes near it; past it JSON writers refuse (orjson at 255) and recursive readers in Python fail.
MAX_DEPTH = 254

# The same characters as they come out of orjson: DEL and C1 raw in UTF-8, C0 controls escaped (\b and \f
# too), the escape's backslash not itself escaped. Most documents hold no backslash at all.
_C1_IN_JSON = re.compile(rb"\x7f|\xc2[\x80-\x9f]")
_ESCAPED_IN_JSON = re.compile(rb"(?<!\\)(?:\\\\)*\\(?:u00(?:0[0-8bcef]|1[0-9a-f])|[bf])")
_HINT = "remove it: a design holds printable text, tabs and line breaks only"
# the ASCII characters a design may hold, as bytes: what is left of an ASCII text without them is forbidden
_ASCII_ALLOWED = bytes(code for code in range(128) if not FORBIDDEN.match(chr(code)))


def character_name(character: str) -> str:
    """``a NUL character (U+0000)``: how a person is told which character, without printing it."""
    code = f"U+{ord(character):04X}"
    if character == "\x00":
        return f"a NUL character ({code})"
    if "\ud800" <= character <= "\udfff":
        return f"a lone UTF-16 surrogate ({code})"
    return f"a control character ({code})"


def visible(text: str) -> str:
    """``text`` with each forbidden character written as its escape, safe to show and to store."""
    return FORBIDDEN.sub(lambda match: f"\\u{ord(match[0]):04x}", text)


def source_problems(text: str) -> list[Problem]:
    """Forbidden characters in the text of a design file, each at its line and column."""
    if text.isascii() and not text.encode("ascii").translate(None, _ASCII_ALLOWED):
        return []  # the usual file, looked through in C several times faster than by the pattern
    problems = []
    for match in FORBIDDEN.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        problems.append(Problem(f"line {line}, column {column}",
                                f"the file holds {character_name(match[0])}", _HINT))
    return problems


def data_problems(data: Any) -> list[Problem]:
    """Forbidden characters in the strings and keys of plain data, and nesting deeper than MAX_DEPTH."""
    if _plainly_fine(data):
        return []
    return list(_walk(data))


def _plainly_fine(data: Any) -> bool:
    """One pass in C over a well-formed document, so the walk in Python is only for data with a problem."""
    try:
        encoded = orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)
    except (orjson.JSONEncodeError, TypeError):  # a surrogate, nesting past orjson's limit, or no JSON type
        return False
    # the bytes that begin DEL and the C1 controls in UTF-8, looked for in C before the pattern is
    if (b"\x7f" in encoded or b"\xc2" in encoded) and _C1_IN_JSON.search(encoded):
        return False
    return b"\\" not in encoded or _ESCAPED_IN_JSON.search(encoded) is None


def _walk(data: Any) -> Iterator[Problem]:
    stack: list[tuple[Any, tuple]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict | list) and len(path) >= MAX_DEPTH:
            yield Problem(format_path(path), f"is nested deeper than {MAX_DEPTH} levels, deeper than any design",
                          "check the document's structure")
            continue
        if isinstance(value, str):
            yield from _string_problems(value, path)
        elif isinstance(value, dict):
            children = []
            for key, item in value.items():
                name = visible(key) if isinstance(key, str) else key
                if isinstance(key, str):
                    yield from _string_problems(key, (*path, name), what="its key")
                children.append((item, (*path, name)))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend((item, (*path, index)) for index, item in reversed(list(enumerate(value))))


def _string_problems(text: str, path: tuple, what: str = "") -> Iterator[Problem]:
    match = FORBIDDEN.search(text)
    if match is not None:
        subject = f"{what} holds" if what else "holds"
        yield Problem(format_path(path), f"{subject} {character_name(match[0])} at character {match.start() + 1}",
                      _HINT)
