"""A very large fabric, whole process: 10,004 nodes (4 spines, 1,000 leaves, 9 hypervisors per leaf) with 50 VNIs
on every hypervisor: ``weft lint`` and ``weft compile --format tar.gz --no-diagrams`` on every core, their wall
and CPU time and the peak memory of the largest process; and the archive compared with one written by a single
process (``--jobs 1``), which must be byte-identical.
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from .peers import ROOT
from .processes import ENVIRONMENT, TIMEOUT, timed

SHAPE = {"spines": 4, "leaves": 1000, "hypervisors_per_leaf": 9, "vnis": 50}
RUNS = 3


def median(runs: list[dict]) -> dict:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main() -> None:
    weft = [sys.executable, "-m", "designer.fabric"]
    with tempfile.TemporaryDirectory(prefix="weft-large-") as directory:
        design = Path(directory) / "fabric.yaml"
        subprocess.run([*weft, "generate", "leaf-spine", "--spines", str(SHAPE["spines"]), "--leaves",
                        str(SHAPE["leaves"]), "--hypervisors-per-leaf", str(SHAPE["hypervisors_per_leaf"]),
                        "--vnis", str(SHAPE["vnis"]), "--out", str(design)], cwd=ROOT, check=True,
                       capture_output=True, timeout=TIMEOUT, env=ENVIRONMENT)
        compile_ = [*weft, "compile", str(design), "--out", str(Path(directory) / "out"), "--format", "tar.gz",
                    "--no-diagrams"]
        lint = [*weft, "lint", str(design)]
        timed(compile_, ROOT)  # writes the lock file
        runs: dict[str, list[dict]] = {"lint": [], "compile": []}
        for _ in range(RUNS):
            runs["lint"].append(timed(lint, ROOT))
            runs["compile"].append(timed(compile_, ROOT))
        archive = next((Path(directory) / "out").glob("*.tar.gz"))
        parallel = hashlib.sha256(archive.read_bytes()).hexdigest()
        single = timed([*compile_, "--jobs", "1"], ROOT)
        same = hashlib.sha256(archive.read_bytes()).hexdigest() == parallel
        json.dump({"size_mb": design.stat().st_size / 1e6, "archive_mb": archive.stat().st_size / 1e6,
                   "lint": median(runs["lint"]), "compile": median(runs["compile"]), "compile_one_process": single,
                   "identical": same, "workers": len(os.sched_getaffinity(0))}, sys.stdout)


def report(measure) -> str:
    row = measure("large")
    lines = [f"10,004 nodes, 22,000 links, 50 VNIs on each of 9,000 hypervisors ({row['size_mb']:.1f} MB of YAML; "
             f"medians of {RUNS} interleaved runs; peak memory of the largest process)", "",
             "| command | wall | CPU | peak memory |", "|---|---|---|---|"]
    for name, label in (("lint", "weft lint"), ("compile", f"weft compile --format tar.gz ({row['workers']} workers)"),
                        ("compile_one_process", "weft compile --format tar.gz --jobs 1")):
        run = row[name]
        lines.append(f"| `{label}` | {run['wall_s']:.1f} s | {run['cpu_s']:.1f} s | {run['peak_mib']:.0f} MiB |")
    lines += ["", f"The archive ({row['archive_mb']:.0f} MB) from one process is "
              f"{'byte-identical to' if row['identical'] else 'DIFFERENT from'} the one from every core."]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
