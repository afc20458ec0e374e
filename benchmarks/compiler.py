"""Compiler benchmarks: load + plan + lint of generated leaf-spine fabrics of growing size."""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

# (spines, leaves, hypervisors per leaf) -> 62, 642 and 6,402 nodes
SIZES = {"64": (2, 12, 4), "642": (2, 128, 4), "6400": (2, 1280, 4)}
RUNS = 5


def write_fabric(shape: tuple[int, int, int], directory: Path) -> Path:
    """A generated leaf-spine fabric of ``shape`` (spines, leaves, hypervisors per leaf) as a YAML design file."""
    from designer.fabric.document import dump_yaml
    from designer.fabric.generate import leaf_spine

    spines, leaves, per_leaf = shape
    path = directory / f"fabric-{spines}-{leaves}-{per_leaf}.yaml"
    path.write_text(dump_yaml(leaf_spine(spines=spines, leaves=leaves, hypervisors_per_leaf=per_leaf)))
    return path


def _load_plan_lint(path: Path) -> dict:
    from designer.fabric.document import load_file
    from designer.fabric.pipeline import compile_design

    times = []
    for _ in range(RUNS):
        gc.collect()
        start = time.perf_counter()
        design = load_file(path)
        compiled = compile_design(design)
        times.append(time.perf_counter() - start)
    return {"devices": len(compiled.plan.devices), "links": len(compiled.plan.links),
            "median_s": statistics.median(times),
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def report(measure) -> str:
    rows = [measure("compiler", "--size", size) for size in SIZES]
    lines = ["Load + plan + lint (median of 5 runs in one process; peak RSS of the whole process)",
             "", "| nodes | links | time | per node | peak memory |", "|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row['devices']} | {row['links']} | {row['median_s'] * 1000:.0f} ms | "
                     f"{row['median_s'] / row['devices'] * 1e6:.0f} µs | {row['peak_rss_mib']:.0f} MiB |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=SIZES, required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        path = write_fabric(SIZES[args.size], Path(directory))
        gc.collect()
        json.dump(_load_plan_lint(path), sys.stdout)


if __name__ == "__main__":
    main()
