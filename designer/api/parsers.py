"""Request parsers: YAML design files sent as the raw body, and fast JSON for large design documents."""

from __future__ import annotations

import orjson
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, JSONParser


class YamlTextParser(BaseParser):
    """Hands the body over as it came: the import decodes it, and the compiler reports problems by line."""

    media_type = "text/yaml"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        return stream.read() if stream is not None else b""  # an empty body comes as no stream at all


class ApplicationYamlParser(YamlTextParser):
    media_type = "application/yaml"


class FastJsonParser(JSONParser):
    """JSON parsed by orjson: a 1,000-node document is parsed several times faster than by ``json``."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return orjson.loads(stream.read() if stream is not None else b"")
        except orjson.JSONDecodeError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
