"""What an OPTIONS request is answered: the view's name and description, and what it renders and parses.

DRF's default also describes the fields each write action takes, and to find out whether the caller may
write it looks the object up: views that find their object another way (a design's policy, its push
inventory) have nothing for it to look up. The fields of every operation are in the OpenAPI schema
(``/api/schema/``), so OPTIONS leaves them out and never looks anything up.
"""

from __future__ import annotations

from rest_framework.metadata import SimpleMetadata


class ViewMetadata(SimpleMetadata):
    def determine_actions(self, request, view) -> dict:
        return {}
