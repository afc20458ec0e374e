"""Bundle benchmarks: load + plan + lint, then the bundle rendered and written as a .tar.gz, as ``weft compile``
writes it (every core for the 642-node fabric, this process alone for the 130-device core), in one process.
Weft beside its peers is ``benchmarks/peers.py``.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from . import compiler

SIZES = {"642": compiler.SIZES["642"], "130": (2, 128, 0)}
RUNS = 5  # odd, so the median run is one of the runs and its stages can be shown


def _cpu() -> float:
    """CPU seconds of this process and of the workers it waited for."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def _run(size: str) -> dict:
    from designer.fabric.bundle_writer import worker_count, write_bundle
    from designer.fabric.document import load_file
    from designer.fabric.pipeline import compile_design

    with tempfile.TemporaryDirectory() as directory:
        path = compiler.write_fabric(SIZES[size], Path(directory))
        totals, stages, cpu = [], [], []
        for _ in range(RUNS):
            gc.collect()
            start, started_cpu = time.perf_counter(), _cpu()
            compiled = compile_design(load_file(path))
            planned = time.perf_counter()
            archive = io.BytesIO()
            written = write_bundle(compiled, "tar.gz", archive)
            end = time.perf_counter()
            totals.append(end - start)
            cpu.append(_cpu() - started_cpu)
            stages.append((planned - start, end - planned))
    median = stages[totals.index(statistics.median(totals))]
    devices = len([d for d in compiled.plan.devices.values() if d.managed])
    return {"devices": len(compiled.plan.devices), "files": written.files, "workers": worker_count(devices, None),
            "median_s": statistics.median(totals), "cpu_s": statistics.median(cpu), "load_plan_lint_s": median[0],
            "bundle_s": median[1], "archive_mib": len(archive.getvalue()) / 2**20,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def report(measure) -> str:
    rows = {size: measure("bundle", "--size", size) for size in SIZES}
    lines = ["Load + plan + lint, then render and write the .tar.gz as `weft compile` does (median of 5 runs in one "
             "process; CPU includes the workers'; peak memory is this process's)", "",
             "| fabric | files | load+plan+lint | render + tar.gz | total | CPU | processes | archive | peak memory |",
             "|---|---|---|---|---|---|---|---|---|"]
    for row in rows.values():
        lines.append(f"| {row['devices']} devices | {row['files']} | {row['load_plan_lint_s'] * 1000:.0f} ms | "
                     f"{row['bundle_s'] * 1000:.0f} ms | {row['median_s'] * 1000:.0f} ms | "
                     f"{row['cpu_s'] * 1000:.0f} ms | {row['workers']} | {row['archive_mib']:.1f} MiB | "
                     f"{row['peak_rss_mib']:.0f} MiB |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=SIZES, required=True)
    json.dump(_run(parser.parse_args().size), sys.stdout)


if __name__ == "__main__":
    main()
