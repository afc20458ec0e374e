"""Weft beside its peers: the same leaf-spine EVPN fabric (``peer_inputs``) turned into every device's configuration.

- Weft: ``weft compile FILE --format tar.gz --no-diagrams`` (run as ``python -m designer.fabric``, the
  entry point the ``weft`` script calls), with its lock file from an earlier run beside the design;
- Arista AVD: ``pyavd`` validating the inputs, building facts, structured and CLI configurations (``pyavd_build``);
- netlab: ``netlab create`` then ``netlab initial -o DIR`` (FRR devices: the configurations, no lab started).

Each is a whole process (or two, for netlab), run in turn, its CPU time (user + system, its children's
included) and wall time taken; the runs are interleaved, so a busy machine weighs on all alike, and the
medians are reported with their ratios. The peers live in a virtualenv of their own (``make bench`` makes
it from ``requirements-peers.txt``), never in the project's.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from . import peer_inputs
from .processes import timed

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEERS = ROOT / "var" / "bench-peers"  # made by `make bench`
LEAVES = {8: 3, 32: 3, 128: 1}  # leaves -> runs of each tool (netlab takes minutes at 128 leaves)
TOOLS = ("weft", "pyavd", "netlab")


class Fabric:
    """One size of the fabric written out in every tool's input, and how to run each tool on it."""

    def __init__(self, leaves: int, directory: Path):
        self.leaves, self.directory = leaves, directory
        self.design = directory / "weft" / f"peers-{leaves}.yaml"
        self.design.parent.mkdir(parents=True)
        self.design.write_text(json.dumps(peer_inputs.weft_design(leaves)))  # JSON is YAML
        self.avd = directory / "avd.json"
        self.avd.write_text(json.dumps(peer_inputs.avd_inputs(leaves)))
        self.netlab = directory / "netlab"
        self.netlab.mkdir()
        (self.netlab / "topology.yml").write_text(peer_inputs.netlab_topology(leaves))

    def run(self, tool: str) -> tuple[float, float]:
        """(wall, CPU) seconds of the tool making every device's configuration."""
        if tool != "netlab":
            run = self._run(tool)
            return run["wall_s"], run["cpu_s"]
        for made in self.netlab.iterdir():  # netlab refuses to create over an earlier lab's files
            if made.name != "topology.yml":
                shutil.rmtree(made) if made.is_dir() else made.unlink()
        created = timed([str(PEERS / "bin" / "netlab"), "create"], self.netlab)
        initial = timed([str(PEERS / "bin" / "netlab"), "initial", "-o", "configs"], self.netlab)
        return created["wall_s"] + initial["wall_s"], created["cpu_s"] + initial["cpu_s"]

    def _run(self, tool: str) -> dict:
        if tool == "weft":
            return timed([sys.executable, "-m", "designer.fabric", "compile", str(self.design), "--out",
                          str(self.directory / "weft-out"), "--format", "tar.gz", "--no-diagrams"], ROOT)
        shutil.rmtree(self.directory / "avd-out", ignore_errors=True)  # pyavd
        return timed([str(PEERS / "bin" / "python"), str(HERE / "pyavd_build.py"), str(self.avd),
                      str(self.directory / "avd-out")], self.directory)


def measure_size(leaves: int, runs: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="weft-peers-") as directory:
        fabric = Fabric(leaves, Path(directory))
        for tool in TOOLS:  # once each untimed: the lock file, Python's and the tools' caches
            fabric.run(tool)
        times: dict[str, list[tuple[float, float]]] = {tool: [] for tool in TOOLS}
        for run in range(runs):
            for tool in TOOLS[run % len(TOOLS):] + TOOLS[:run % len(TOOLS)]:
                times[tool].append(fabric.run(tool))
    row = {"leaves": leaves, "devices": leaves + peer_inputs.SPINES, "runs": runs}
    for tool, pairs in times.items():
        row[tool] = {"wall_s": statistics.median(w for w, _ in pairs), "cpu_s": statistics.median(c for _, c in pairs)}
    return row


def report(measure) -> str:
    if not (PEERS / "bin" / "netlab").exists():
        return f"Peers: not installed in {PEERS.relative_to(ROOT)} (`make bench` installs them)"
    rows = measure("peers")
    lines = ["The same leaf-spine EVPN fabric (2 spines, N leaves, 10 VNIs on every leaf) to every device's "
             "configuration, whole processes, interleaved, medians (CPU = user + system)", "",
             "| devices | weft CPU | weft wall | pyavd CPU | pyavd wall | netlab CPU | netlab wall "
             "| pyavd / weft (CPU) | netlab / weft (CPU) | pyavd / weft (wall) | netlab / weft (wall) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        weft, avd, netlab = row["weft"], row["pyavd"], row["netlab"]
        lines.append(
            f"| {row['devices']} | {weft['cpu_s']:.2f} s | {weft['wall_s']:.2f} s | {avd['cpu_s']:.2f} s | "
            f"{avd['wall_s']:.2f} s | {netlab['cpu_s']:.2f} s | {netlab['wall_s']:.2f} s | "
            f"{avd['cpu_s'] / weft['cpu_s']:.0f}x | {netlab['cpu_s'] / weft['cpu_s']:.0f}x | "
            f"{avd['wall_s'] / weft['wall_s']:.0f}x | {netlab['wall_s'] / weft['wall_s']:.0f}x |")
    return "\n".join(lines)


def main() -> None:
    json.dump([measure_size(leaves, runs) for leaves, runs in LEAVES.items()], sys.stdout)


if __name__ == "__main__":
    main()
