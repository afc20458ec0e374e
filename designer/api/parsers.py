"""Request parsers: JSON by orjson; YAML design files as raw text or as file uploads.

Every parser hands on only text a design may hold (``designer.fabric.text``), so a NUL, a control character
or a lone surrogate in any field of any endpoint is refused with its path before a view sees it. Bodies
over the size limit never reach a parser (``designer.middleware.RequestChecks``).
"""

from __future__ import annotations

from typing import Any

import orjson
from django.http import QueryDict
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from designer.fabric.errors import DesignError
from designer.fabric.runtime import gc_paused
from designer.fabric.text import data_problems


def checked(data: Any) -> Any:
    """``data`` if every string and key in it is text a design may hold; else every problem, by path."""
    problems = data_problems(data)
    if problems:
        raise DesignError(problems)
    return data


def _fields(form: QueryDict) -> dict[str, list[str]]:
    return {key: form.getlist(key) for key in form}


class JsonParser(parsers.JSONParser):
    """JSON parsed by orjson: a 1,000-node document is parsed several times faster than by ``json``, and it
    refuses what the standard reader lets through (lone surrogates, nesting past 1,024 levels)."""

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        body = stream.read() if stream is not None else b""
        # A design's body is some 30,000 containers and no cycles: the collector, run again and again while
        # they are made, would scan the whole server's memory each time (several times the parse itself).
        with gc_paused():
            try:
                data = orjson.loads(body)
            except orjson.JSONDecodeError as exc:
                raise ParseError(f"the body is not valid JSON: {exc}") from None
            # Nested past 254 levels, a body would make DRF's or pickle's recursion fail before any check.
            return checked(data)


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None) -> parsers.DataAndFiles:
        parsed = super().parse(stream, media_type, parser_context)
        checked({**_fields(parsed.data), **{key: [upload.name for upload in parsed.files.getlist(key)]
                                            for key in parsed.files}})
        return parsed


class YamlTextParser(parsers.BaseParser):
    """Hands the body over as it came: the import decodes it, and the compiler reports problems by line."""

    media_type = "text/yaml"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        return stream.read() if stream is not None else b""  # an empty body comes as no stream at all


class ApplicationYamlParser(YamlTextParser):
    media_type = "application/yaml"
