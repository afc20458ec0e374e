"""Serializer fields of the API: a design document and an allocation record, checked by the compiler rather
than by DRF; text, numbers and switches of the type the schema gives them; a name."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .schema import DOCUMENT_REF, RECORD_SCHEMA


@extend_schema_field(DOCUMENT_REF)
class DocumentField(serializers.Field):
    """A design document as plain data. Only its shape is checked here: the compiler checks the rest
    and names every problem's path, and copying a large document through DRF's JSON checks is slow."""

    default_error_messages = {"not_a_document": "must be a design document: a JSON object with at least 'name'"}

    def to_internal_value(self, data: Any) -> dict:
        if not isinstance(data, dict):
            self.fail("not_a_document")
        return data

    def to_representation(self, value: Any) -> Any:
        return value


# The JSON type each kind of DRF field stands for in a body, most specific first (a BooleanField is no
# IntegerField, but True is an int to Python).
JSON_TYPES: tuple[tuple[type[serializers.Field], tuple[type, ...], str], ...] = (
    (serializers.BooleanField, (bool,), "true or false"),
    (serializers.IntegerField, (int,), "a whole number"),
    (serializers.FloatField, (int, float), "a number"),
    (serializers.CharField, (str,), "text"),
    (serializers.ChoiceField, (str,), "text"),
    (serializers.ListField, (list,), "a list"),
    (serializers.DictField, (dict,), "an object"),
)


def json_type_error(field: serializers.Field, value: Any) -> str | None:
    """Why ``value`` in a JSON body is not of the type ``field`` stands for (None when it is, or when the
    field stands for no one JSON type): ``"5"`` is no number and ``5`` no text, though DRF takes either."""
    if value is None:
        return None  # null is the field's own business (allow_null)
    for kind, types, name in JSON_TYPES:
        if isinstance(field, kind):
            if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
                return f"must be {name}"
            return None
    return None


class _OfItsType:
    """A field that takes only values of its own JSON type (``json_type_error``)."""

    def to_internal_value(self, data: Any):
        if json_type_error(self, data) is not None:
            self.fail("invalid")
        return super().to_internal_value(data)


class Text(_OfItsType, serializers.CharField):
    """Text, and only text."""


class Slug(_OfItsType, serializers.SlugField):
    """A slug, sent as text."""


class Integer(_OfItsType, serializers.IntegerField):
    """A whole number, and not true or false."""


class Boolean(_OfItsType, serializers.BooleanField):
    """true or false, and not 0 or 1."""


class NameField(Text):
    """A name shown in lists and titles: one line. (Control characters never get past the parsers.)"""

    default_error_messages = {"not_one_line": "must be one line, without tabs or line breaks"}

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if any(character in value for character in "\t\n\r"):
            self.fail("not_one_line")
        return value


@extend_schema_field(RECORD_SCHEMA)
class RecordField(serializers.DictField):
    """An allocation record as ``fabric compile`` writes it; the compiler checks what is inside."""
