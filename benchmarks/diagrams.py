"""Diagram benchmarks: each view of the 642-node fabric rendered by Graphviz, per format."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

VIEWS = ("physical", "underlay", "overlay")
FORMATS = ("svg", "png", "pdf")
RUNS = 3


def _run() -> dict:
    from designer.fabric.diagrams import render_diagram
    from designer.fabric.generate import leaf_spine
    from designer.fabric.pipeline import compile_design

    plan = compile_design(leaf_spine(spines=2, leaves=128, hypervisors_per_leaf=4)).plan
    out: dict[str, dict[str, float]] = {}
    for view in VIEWS:
        for fmt in FORMATS:
            times = []
            for _ in range(RUNS):
                start = time.perf_counter()
                render_diagram(plan, view, fmt)
                times.append(time.perf_counter() - start)
            out.setdefault(view, {})[fmt] = statistics.median(times)
    return {"devices": len(plan.devices), "views": out}


def report(measure) -> str:
    result = measure("diagrams")
    lines = [f"Diagrams of the {result['devices']}-node fabric (median of {RUNS} runs; Graphviz `dot`)", "",
             "| view | " + " | ".join(FORMATS) + " |", "|---|" + "---|" * len(FORMATS)]
    for view, times in result["views"].items():
        lines.append(f"| {view} | " + " | ".join(f"{times[fmt]:.2f} s" for fmt in FORMATS) + " |")
    return "\n".join(lines)


def main() -> None:
    argparse.ArgumentParser().parse_args()
    json.dump(_run(), sys.stdout)


if __name__ == "__main__":
    main()
