"""Bundle benchmarks: plan + lint + render + bundle (+ tar.gz) of the 642-node fabric and its 130-device core.

The bar: Arista's pyavd 6.4 takes 7.7 s on this machine to turn an equivalent 130-device EVPN fabric
(2 spines, 128 leaves) into CLI text.
"""

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

from . import compiler

PYAVD_130_DEVICES_S = 7.7
SIZES = {"642": compiler.SIZES["642"], "130": (2, 128, 0)}
RUNS = 5  # odd, so the median run is one of the runs and its stages can be shown


def _run(size: str) -> dict:
    from designer.fabric.bundle import build_bundle
    from designer.fabric.document import load_file
    from designer.fabric.pipeline import compile_design

    with tempfile.TemporaryDirectory() as directory:
        path = compiler.write_fabric(SIZES[size], Path(directory))
        totals, stages = [], []
        for _ in range(RUNS):
            gc.collect()
            start = time.perf_counter()
            compiled = compile_design(load_file(path))
            planned = time.perf_counter()
            bundle = build_bundle(compiled)
            bundled = time.perf_counter()
            bundle.to_tar_gz()
            end = time.perf_counter()
            totals.append(end - start)
            stages.append((planned - start, bundled - planned, end - bundled))
    median = stages[totals.index(statistics.median(totals))]
    return {"devices": len(compiled.plan.devices), "files": len(bundle.files),
            "median_s": statistics.median(totals), "load_plan_lint_s": median[0],
            "render_bundle_s": median[1], "tar_gz_s": median[2],
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def report(measure) -> str:
    rows = {size: measure("bundle", "--size", size) for size in SIZES}
    lines = ["Load + plan + lint + render + bundle + tar.gz (median of 5 runs in one process)", "",
             "| fabric | files | load+plan+lint | render+bundle | tar.gz | total | peak memory | vs pyavd 7.7 s |",
             "|---|---|---|---|---|---|---|---|"]
    for size, row in rows.items():
        ratio = f"{PYAVD_130_DEVICES_S / row['median_s']:.0f}x faster" if size == "130" else ""
        lines.append(f"| {row['devices']} devices | {row['files']} | {row['load_plan_lint_s'] * 1000:.0f} ms | "
                     f"{row['render_bundle_s'] * 1000:.0f} ms | {row['tar_gz_s'] * 1000:.0f} ms | "
                     f"{row['median_s'] * 1000:.0f} ms | {row['peak_rss_mib']:.0f} MiB | {ratio} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=SIZES, required=True)
    json.dump(_run(parser.parse_args().size), sys.stdout)


if __name__ == "__main__":
    main()
