"""Request parsers: YAML design files sent as the raw body, and fast JSON for large design documents."""

from __future__ import annotations

import orjson
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, JSONParser


class YamlTextParser(BaseParser):
    """Hands the body over as text: the compiler parses the YAML and reports problems by line."""

    media_type = "text/yaml"

    def parse(self, stream, media_type=None, parser_context=None) -> str:
        try:
            return stream.read().decode("utf-8")
        except UnicodeDecodeError:
            raise ParseError("the design file is not UTF-8 text") from None
        except AttributeError:  # an empty body comes as no stream at all
            return ""


class ApplicationYamlParser(YamlTextParser):
    media_type = "application/yaml"


class FastJsonParser(JSONParser):
    """JSON parsed by orjson: a 1,000-node document is parsed several times faster than by ``json``."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return orjson.loads(stream.read() if stream is not None else b"")
        except orjson.JSONDecodeError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
