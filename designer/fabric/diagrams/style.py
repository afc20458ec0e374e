"""The look every diagram shares: colours by role, ranks by role, the title band and HTML-like label pieces."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

import graphviz

from ..plan.model import DevicePlan, Plan, RackPlan

# Helvetica is what SVG viewers have; Graphviz measures it with its metric twin (Liberation Sans),
# so text fits its boxes in the PNG and the PDF as well as in a browser.
FONT = "Helvetica"

ROLE_COLOURS = {
    "gateway": "#b45309",
    "router": "#b45309",
    "border": "#6d28d9",
    "spine": "#1e3a8a",
    "leaf": "#2563eb",
    "hypervisor": "#15803d",
    "host": "#475569",
}
UNMANAGED = "#94a3b8"
INK = "#1f2937"
MUTED = "#64748b"
PAPER = "#ffffff"
RACK_FILL = "#f1f5f9"
RACK_LINE = "#cbd5e1"

# Higher tiers are drawn above lower ones: exits, then spines, then leaves, then servers.
ROLE_TIERS = {"gateway": 0, "router": 0, "spine": 1, "border": 2, "leaf": 2, "hypervisor": 3, "host": 3}
# Past this many edges their labels would pile up on each other (or, as Graphviz makes room for each
# as if it were a node, double the drawing's width): each edge keeps its text as a tooltip, shown on
# hover in the SVG, and the title band counts the edges by their text instead.
EDGE_LABELS_UP_TO = 60


def tier(device: DevicePlan) -> int:
    return ROLE_TIERS.get(device.role, max(ROLE_TIERS.values()))


def role_colour(device: DevicePlan) -> str:
    return ROLE_COLOURS.get(device.role, ROLE_COLOURS["host"]) if device.managed else UNMANAGED


def text(value: object) -> str:
    """Text made safe for an HTML-like label."""
    return escape(str(value), quote=True)


def small(value: str, colour: str = MUTED, size: int = 9) -> str:
    return f'<FONT POINT-SIZE="{size}" COLOR="{colour}">{value}</FONT>'


def header_cell(title: str, subtitle: str, colour: str) -> str:
    """The coloured name band at the top of a box: what the element is, then what kind."""
    return (f'<TD BGCOLOR="{colour}" CELLPADDING="5"><FONT COLOR="white" POINT-SIZE="12"><B>{title}</B></FONT>'
            f'<BR/><FONT COLOR="white" POINT-SIZE="9">{subtitle}</FONT></TD>')


def box(header: str, lines: Iterable[str], colour: str, *, dashed: bool = False,
        above: Sequence[Sequence[str]] = (), below: Sequence[Sequence[str]] = ()) -> str:
    """A titled box: a strip of cells (ports) above, the header band, one row per fact, a strip below.

    A strip is rows of cells in one grid of its own, so its cells line up with each other (a bond
    over its members) but not with the box's other rows.
    """
    facts = "".join(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT" CELLPADDING="1">{line}</TD></TR>' for line in lines)
    style = ' STYLE="dashed"' if dashed else ""
    return (f'<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4" COLOR="{colour}" '
            f'BGCOLOR="{PAPER}"{style}>{strip(above)}<TR>{header}</TR>{facts}{strip(below)}</TABLE>>')


def strip(rows: Sequence[Sequence[str]]) -> str:
    cells = "".join(f'<TR>{"".join(row)}</TR>' for row in rows if row)
    if not cells:
        return ""
    return (f'<TR><TD CELLPADDING="0"><TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3">'
            f'{cells}</TABLE></TD></TR>')


def device_subtitle(device: DevicePlan) -> str:
    subtitle = f"{device.role} · {device.platform}"
    return subtitle if device.managed else f"{subtitle} · unmanaged"


@dataclass(frozen=True, slots=True)
class Key:
    """One legend entry: a coloured box for a kind of element, a line (solid, dashed, dotted) for an edge."""

    meaning: str
    colour: str
    line: str = ""  # "" for a box, else the edge style


BOX_SWATCH = "\u25a0"
LINE_SWATCHES = {"solid": "——", "bold": "——", "dashed": "- - -", "dotted": "· · ·"}


def new_graph(plan: Plan, view: str, legend: Sequence[Key], *, note: str = "",
              is_crowded: bool = False) -> graphviz.Graph:
    """A graph with the shared look and a title band naming the design, the view and the legend."""
    graph = graphviz.Graph(name=f"{plan.name} {view}", strict=False)
    # A crowded drawing gets taller gaps between ranks so its many edges fan out instead of running flat.
    graph.attr("graph", label=title_band(plan, view, legend, note), labelloc="t", labeljust="l", fontname=FONT,
               bgcolor=PAPER, pad="0.3", nodesep="0.35", ranksep="1.6" if is_crowded else "0.8", newrank="true",
               outputorder="edgesfirst", fontcolor=INK)
    graph.attr("node", shape="plain", fontname=FONT, fontsize="10", fontcolor=INK)
    graph.attr("edge", fontname=FONT, fontsize="9", fontcolor=INK, color=MUTED)
    return graph


def title_band(plan: Plan, view: str, legend: Sequence[Key], note: str) -> str:
    entries = "    ".join(f'<FONT COLOR="{key.colour}"><B>{LINE_SWATCHES.get(key.line, BOX_SWATCH)}</B></FONT> '
                           f"{text(key.meaning)}" for key in legend)
    legend_row = f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="10">{entries}</FONT></TD></TR>' if legend else ""
    note_row = f'<TR><TD ALIGN="LEFT">{small(text(note), MUTED, 10)}</TD></TR>' if note else ""
    return (f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="2">'
            f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="18"><B>{text(plan.name)}</B></FONT>'
            f'<FONT POINT-SIZE="14" COLOR="{MUTED}">  {text(view)}</FONT></TD></TR>'
            f'{note_row}{legend_row}</TABLE>>')


def role_legend(devices: Iterable[DevicePlan]) -> list[Key]:
    """One swatch per role present, in tier order, so the legend never lists what is not drawn."""
    present = {(tier(d), d.role if d.managed else "unmanaged", role_colour(d)) for d in devices}
    return [Key(role, colour) for _, role, colour in sorted(present)]


def place_devices(graph: graphviz.Graph, devices: Sequence[DevicePlan],
                  label: Callable[[DevicePlan], str], *, racks: Mapping[str, RackPlan],
                  level: Callable[[DevicePlan], float] = tier) -> None:
    """Each device in its rack's frame (racks in design order), each level on a rank of its own.

    ``level`` is the device's tier unless a view orders devices its own way; ``racks`` gives the
    frames their names and multihoming.
    """
    members_of: dict[str | None, list[DevicePlan]] = {}
    for device in devices:
        members_of.setdefault(device.rack, []).append(device)
    for rack, members in members_of.items():
        if rack is None:
            for device in members:
                graph.node(device.name, label=label(device))
            continue
        with graph.subgraph(name=f"cluster_rack {rack}") as frame:
            title = text(rack_title(rack, racks))
            frame.attr(label=f"<<B>{title}</B>>", labeljust="l", style="rounded,filled", fillcolor=RACK_FILL,
                       color=RACK_LINE, fontcolor=MUTED, fontsize="12", margin="14")
            for device in members:
                frame.node(device.name, label=label(device))
    ranks: dict[float, list[str]] = {}
    for device in devices:
        ranks.setdefault(level(device), []).append(device.name)
    rank_levels(graph, [ranks[key] for key in sorted(ranks)])


def rack_title(rack_id: str, racks: Mapping[str, RackPlan]) -> str:
    rack = racks.get(rack_id)
    if rack is None:
        return rack_id
    multihoming = {"mlag": " · MLAG pair", "evpn-mh": " · EVPN multihoming"}.get(rack.multihoming, "")
    return f"{rack.name}{multihoming}"


def crowded(edges: int) -> bool:
    return edges > EDGE_LABELS_UP_TO


def edge_text(text_: str, ident: str, *, is_crowded: bool) -> dict[str, str]:
    """An edge's text as its label, or in a crowded drawing as its tooltip next to what it stands for."""
    if is_crowded:
        return {"tooltip": f"{ident}: {text_}" if text_ else ident}
    return {"label": text_, "tooltip": ident}


def tally(labels: Iterable[str]) -> str:
    """The edges of a crowded drawing counted by their text, most common first."""
    counts = Counter(label for label in labels if label)
    return ", ".join(f"{n} × {label}" for label, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def rank_levels(graph: graphviz.Graph, ranked: list[list[str]]) -> None:
    """One rank per level, top first; an invisible chain through the levels' first devices keeps them in
    order even where no edge joins them (``newrank`` lets a rank cross rack frames)."""
    for names in ranked:
        with graph.subgraph() as same:
            same.attr(rank="same")
            for name in names:
                same.node(name)
    firsts = [names[0] for names in ranked]
    for upper, lower in itertools.pairwise(firsts):
        graph.edge(upper, lower, style="invis", weight="0")
