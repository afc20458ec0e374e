"""Command line benchmark: ``weft lint`` of an example, whole process, beside ``python manage.py fabric lint``.

Both run the same code; ``manage.py`` first sets Django up. Interleaved runs, medians of wall and CPU time.
"""

from __future__ import annotations

import json
import statistics
import sys

from .peers import ROOT
from .processes import timed

RUNS = 11
EXAMPLE = "examples/proxmox-evpn.yaml"
COMMANDS = {
    "weft lint": [sys.executable, "-m", "designer.fabric", "lint", EXAMPLE],
    "python manage.py fabric lint": [sys.executable, "manage.py", "fabric", "lint", EXAMPLE],
}


def main() -> None:
    for command in COMMANDS.values():  # once each untimed: Python's own caches
        timed(command, ROOT)
    times: dict[str, list[dict]] = {name: [] for name in COMMANDS}
    for _ in range(RUNS):
        for name, command in COMMANDS.items():
            times[name].append(timed(command, ROOT))
    json.dump([{"command": name, "wall_s": statistics.median(run["wall_s"] for run in runs),
                "cpu_s": statistics.median(run["cpu_s"] for run in runs)} for name, runs in times.items()], sys.stdout)


def report(measure) -> str:
    rows = measure("cli")
    lines = [f"`{EXAMPLE}` checked, whole process ({RUNS} interleaved runs, medians; `weft` run as "
             "`python -m designer.fabric`, the entry point the script calls)", "",
             "| command | wall | CPU |", "|---|---|---|"]
    lines += [f"| `{row['command']}` | {row['wall_s'] * 1000:.0f} ms | {row['cpu_s'] * 1000:.0f} ms |" for row in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
