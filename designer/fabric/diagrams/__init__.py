"""Diagrams of a plan: physical, underlay and overlay views in SVG, PNG, PDF or DOT, and an NVIDIA Air topology.

Every view is built from the plan alone, in a fixed order, so the same plan gives the same file.
"""

from __future__ import annotations

from ..errors import DesignError, Problem
from ..plan.model import Plan
from .air import air_topology
from .graphviz_run import GraphvizError, render
from .overlay import overlay_graph
from .physical import physical_graph
from .selection import select
from .underlay import underlay_graph

__all__ = ["FORMATS", "VIEWS", "GraphvizError", "bundle_diagrams", "diagram_source", "render_diagram"]

VIEWS = ("physical", "underlay", "overlay", "air")
FORMATS = ("svg", "png", "pdf", "dot")
BUNDLE_VIEWS = ("physical", "underlay", "overlay")
BUNDLE_FORMATS = ("svg", "png")


def diagram_source(plan: Plan, view: str, *, vni: int | None = None, vrf: str | None = None) -> str:
    """The DOT source of one view; ``vni`` or ``vrf`` narrow the overlay to one segment or one VRF."""
    if view not in VIEWS:
        raise DesignError(Problem("view", f"unknown diagram view '{view}'", f"choose one of {', '.join(VIEWS)}"))
    if (vni is not None or vrf is not None) and view != "overlay":
        raise DesignError(Problem("view", f"--vni and --vrf narrow the overlay view, not the {view} view",
                                  "use the overlay view"))
    if view == "air":
        return air_topology(plan)
    if view == "physical":
        return physical_graph(plan).source
    if view == "underlay":
        return underlay_graph(plan).source
    return overlay_graph(plan, select(plan, vni=vni, vrf=vrf)).source


def render_diagram(plan: Plan, view: str, fmt: str, *, vni: int | None = None, vrf: str | None = None) -> bytes:
    """One view in one format: the drawing, or for ``dot`` the UTF-8 DOT source."""
    if fmt not in FORMATS:
        raise DesignError(Problem("format", f"unknown diagram format '{fmt}'", f"choose one of {', '.join(FORMATS)}"))
    if view == "air" and fmt != "dot":
        raise DesignError(Problem("format", f"the air view is a topology file for NVIDIA Air, not a {fmt} drawing",
                                  "ask for it in the dot format"))
    source = diagram_source(plan, view, vni=vni, vrf=vrf)
    if fmt == "dot":
        return source.encode()
    return render(source, [fmt], what=view)[fmt]


def bundle_diagrams(plan: Plan) -> dict[str, bytes]:
    """The SVG and PNG of the physical, underlay and overlay views, by their path in a bundle."""
    files: dict[str, bytes] = {}
    for view in BUNDLE_VIEWS:
        drawn = render(diagram_source(plan, view), BUNDLE_FORMATS, what=view)
        files.update({f"diagrams/{view}.{fmt}": drawn[fmt] for fmt in BUNDLE_FORMATS})
    return files
