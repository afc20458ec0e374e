"""Serializer fields of the API: a design document, checked by the compiler rather than by DRF; a name."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .schema import DOCUMENT_REF


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


class NameField(serializers.CharField):
    """A name shown in lists and titles: one line. (Control characters never get past the parsers.)"""

    default_error_messages = {"not_one_line": "must be one line, without tabs or line breaks"}

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if any(character in value for character in "\t\n\r"):
            self.fail("not_one_line")
        return value
