"""Reading a drawn SVG the way a person reads the picture: boxes and edges, their words and where they sit."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


@dataclass
class Cell:
    fill: str
    stroke: str
    left: float
    right: float
    top: float
    bottom: float


@dataclass
class Shape:
    """A node, an edge or a cluster of the drawing, with what it says and where."""

    kind: str
    title: str
    classes: list[str]
    texts: list[tuple[str, float, float]] = field(default_factory=list)  # words, x, y
    tooltips: list[str] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    dashed: bool = False

    @property
    def words(self) -> str:
        return " ".join(words for words, _, _ in self.texts)

    def text_at(self, words: str) -> tuple[float, float]:
        return next((x, y) for found, x, y in self.texts if found == words)

    @property
    def ends(self) -> tuple[str, str]:
        """An edge's two node names, from its title ``tail:port--head:port``."""
        tail, head = self.title.split("--")
        return tail.split(":")[0], head.split(":")[0]


def parse(svg: bytes) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - the drawing was made by the test itself, from a known design


def shapes(svg: bytes, kind: str | None = None) -> list[Shape]:
    out = []
    for group in parse(svg).iter(f"{SVG}g"):
        classes = (group.get("class") or "").split()
        if not classes or classes[0] not in ("node", "edge", "cluster") or (kind and classes[0] != kind):
            continue
        title = group.find(f"{SVG}title")
        shape = Shape(kind=classes[0], title=title.text if title is not None else "", classes=classes[1:])
        for element in group.iter():
            if element.tag == f"{SVG}text":
                shape.texts.append((element.text or "", float(element.get("x")), float(element.get("y"))))
            elif element.tag == f"{SVG}a" and element.get(f"{XLINK}title"):
                shape.tooltips.append(element.get(f"{XLINK}title"))
            elif element.tag == f"{SVG}polygon" and element.get("points"):
                points = [tuple(map(float, pair.split(","))) for pair in element.get("points").split()]
                xs, ys = [p[0] for p in points], [p[1] for p in points]
                shape.cells.append(Cell(element.get("fill", ""), element.get("stroke", ""), min(xs), max(xs),
                                        min(ys), max(ys)))
            elif element.tag == f"{SVG}path" and element.get("stroke-dasharray"):
                shape.dashed = True
        out.append(shape)
    return out


def node(svg: bytes, name: str) -> Shape:
    return next(shape for shape in shapes(svg, "node") if shape.title == name)


def all_words(svg: bytes) -> str:
    return " ".join(element.text or "" for element in parse(svg).iter(f"{SVG}text"))


def unnamed(svg: bytes, names: list[str]) -> list[str]:
    """The names the drawing never writes as a word of its own."""
    words = all_words(svg)
    return [name for name in names if not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", words)]
