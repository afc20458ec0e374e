"""Diagrams of a design's plan over the API."""

from __future__ import annotations

import shutil

import pytest

from .base import EndpointTests

needs_graphviz = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) is not installed")


@needs_graphviz
class TestPhysicalDiagram(EndpointTests):
    bad_inputs = [({"vni": "many"}, "vni"), ({"revision": "first"}, "revision")]

    def url(self, design):
        return f"/api/designs/{design.pk}/diagrams/physical.svg"

    def check_success(self, response, design):
        assert response["Content-Type"] == "image/svg+xml"
        svg = response.content.decode()
        assert svg.lstrip().startswith("<?xml") or "<svg" in svg
        assert "pve1" in svg and "leaf2" in svg


def test_dot_source_of_the_overlay_needs_no_graphviz(design, client_for):
    response = client_for("viewer").get(f"/api/designs/{design.pk}/diagrams/overlay.dot")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vnd.graphviz"
    assert "graph" in response.content.decode()


def test_an_unknown_view_or_format_names_it(design, client_for):
    client = client_for("viewer")
    assert client.get(f"/api/designs/{design.pk}/diagrams/sideways.svg").data["problems"][0]["path"] == "view"
    assert client.get(f"/api/designs/{design.pk}/diagrams/physical.gif").data["problems"][0]["path"] == "format"
