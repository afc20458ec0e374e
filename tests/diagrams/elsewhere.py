"""A plan's diagrams drawn by another Python process with another hash seed, as a second export would be.

Run as ``python -m tests.diagrams.elsewhere EXAMPLE DIRECTORY``: it writes the bundle's diagrams under
``diagrams/`` and every view's DOT source, SVG and (for the underlay) PDF under ``views/``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from designer.fabric.diagrams import BUNDLE_VIEWS, VIEWS, bundle_diagrams, render_diagram
from tests.conftest import ROOT, compile_example

DRAW_TIMEOUT = 300


def drawings(name: str) -> dict[str, bytes]:
    """What the determinism tests compare, by path."""
    plan = compile_example(name).plan
    files = bundle_diagrams(plan)
    files |= {f"views/{view}.dot": render_diagram(plan, view, "dot") for view in VIEWS}
    files |= {f"views/{view}.svg": render_diagram(plan, view, "svg") for view in BUNDLE_VIEWS}
    files["views/underlay.pdf"] = render_diagram(plan, "underlay", "pdf")
    return files


def drawn_elsewhere(name: str, directory: Path) -> dict[str, bytes]:
    """``drawings(name)`` from a fresh interpreter whose string hashes differ from this one's."""
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    result = subprocess.run([sys.executable, "-m", "tests.diagrams.elsewhere", name, str(directory)], cwd=ROOT,
                            env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True,
                            timeout=DRAW_TIMEOUT, check=False)
    assert result.returncode == 0, result.stderr
    return {path.relative_to(directory).as_posix(): path.read_bytes()
            for path in directory.rglob("*") if path.is_file()}


if __name__ == "__main__":
    example, out = sys.argv[1], Path(sys.argv[2])
    for path, data in drawings(example).items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(data)
