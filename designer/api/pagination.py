"""Pages of a list: ``?limit=`` and ``?offset=``, whole numbers as the schema says, else bad input."""

from __future__ import annotations

from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """DRF's, except that a limit or offset that is no number is refused instead of quietly ignored."""

    max_limit = 1000

    def get_limit(self, request) -> int:
        return self._number(request, self.limit_query_param, least=1, default=self.default_limit)

    def get_offset(self, request) -> int:
        return self._number(request, self.offset_query_param, least=0, default=0)

    def _number(self, request, name: str, *, least: int, default: int) -> int:
        given = request.query_params.get(name)
        if given is None:
            return default
        if not given.isascii() or not given.isdigit() or int(given) < least:
            raise ValidationError({name: f"must be a whole number of {least} or more, not '{given[:20]}'"})
        return min(int(given), self.max_limit) if name == self.limit_query_param else int(given)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1 if parameter["name"] == self.limit_query_param else 0
        return parameters
