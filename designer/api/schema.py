"""What the OpenAPI schema says beyond what drf-spectacular reads from the views: how callers sign in, the
design document's own schema, and the refusals every operation can answer (so none comes undocumented)."""

from __future__ import annotations

import re

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerExtension

from designer.fabric.spec import Design
from designer.fabric.text import ALLOWED_PATTERN

DOCUMENT = "DesignDocument"
DOCUMENT_REF = {"$ref": f"#/components/schemas/{DOCUMENT}"}
DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
RECORD_SCHEMA = {"type": "object", "required": ["version"], "properties": {
    "version": {"const": 1},
    "allocations": {"type": "object", "description": "namespace -> element key -> what it was given",
                    "additionalProperties": {"type": "object"}}}}


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "designer.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema) -> dict:
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <token>`, with a token from `POST /api/auth/token/`"}


class CompileRequestScheme(OpenApiSerializerExtension):
    """A live plan keeps the allocations of a record or of a revision: one of them, never both."""

    target_class = "designer.api.serializers.CompileRequestSerializer"

    def map_serializer(self, auto_schema, direction) -> dict:
        schema = auto_schema._map_basic_serializer(self.target, direction)
        schema["not"] = {"required": ["record", "revision"],
                         "properties": {"record": {"type": "object"}, "revision": {"type": "integer"}}}
        return schema


def design_document_and_refusals(result: dict, generator, request, public) -> dict:
    """A drf-spectacular postprocessing hook: adds the design document's components and, to each operation,
    the answers it can give without its view saying so."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(_document_components())
    schemas["Detail"] = DETAIL
    for name, schema in schemas.items():
        if name.endswith("Request"):
            schema.setdefault("additionalProperties", False)  # serializers.KnownFieldsOnly
        if name.endswith("Request") or name.startswith(DOCUMENT):
            _text_rule(schema)
    for path, item in result.get("paths", {}).items():
        for operation in item.values():
            _add_refusals(path, operation)
    return result


def _text_rule(schema: dict) -> None:
    """Say in the schema what every parser enforces: text without control characters, keys included."""
    types = schema.get("type")
    types = types if isinstance(types, list) else [types]
    if "string" in types and not {"pattern", "enum", "const", "format"} & set(schema):
        schema["pattern"] = ALLOWED_PATTERN
    if "object" in types and "propertyNames" not in schema:
        schema["propertyNames"] = {"pattern": ALLOWED_PATTERN}
    for value in schema.values():
        for part in value if isinstance(value, list) else [value]:
            if isinstance(part, dict):
                _text_rule(part)


def _document_components() -> dict[str, dict]:
    document = Design.model_json_schema(by_alias=True, ref_template=f"#/components/schemas/{DOCUMENT}{{model}}")
    parts = document.pop("$defs", {})
    return {DOCUMENT: document, **{f"{DOCUMENT}{name}": part for name, part in parts.items()}}


def _add_refusals(path: str, operation: dict) -> None:
    responses = operation.setdefault("responses", {})

    def answer(status: int, schema: str, description: str) -> None:
        responses.setdefault(str(status), {"description": description})
        responses[str(status)].setdefault("content", {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{schema}"}}})

    security = operation.get("security", [{}])
    if any(security):  # a token or a session is read: a bad one answers 401, even where none is needed
        answer(401, "Detail", "no valid token or session was sent")
    if {} not in security:
        answer(403, "Detail", "your role on the design does not allow this")
    if re.search(r"\{\w+\}", path):
        answer(404, "Detail", "no such object among yours (an id that is no number too)")
    if "requestBody" in operation or any(p.get("in") == "query" for p in operation.get("parameters", [])):
        answer(400, "Problems", "bad input: each problem names its path")
    if "requestBody" in operation:
        answer(413, "Problems", "the body is larger than the server takes (WEFT_MAX_REQUEST_MB)")
        answer(415, "Problems", "the body is of a content type this operation does not take")
