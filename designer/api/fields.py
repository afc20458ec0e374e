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


class _OfItsType:
    """In a JSON body a value has its type: ``"5"`` is no number and ``5`` no text, though DRF takes either."""

    json_types: tuple[type, ...] = ()

    def to_internal_value(self, data: Any):
        if not isinstance(data, self.json_types) or (isinstance(data, bool) and bool not in self.json_types):
            self.fail("invalid")
        return super().to_internal_value(data)


class Text(_OfItsType, serializers.CharField):
    json_types = (str,)


class Slug(_OfItsType, serializers.SlugField):
    json_types = (str,)


class Integer(_OfItsType, serializers.IntegerField):
    json_types = (int,)


class Boolean(_OfItsType, serializers.BooleanField):
    json_types = (bool,)


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
