"""The designs the render tests compile (every example plus the feature designs here) and their bundles."""

from __future__ import annotations

import functools
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from designer.fabric.bundle import Bundle, build_bundle
from designer.fabric.document import load_file
from designer.fabric.pipeline import Compiled, compile_design
from tests.conftest import EXAMPLE_NAMES, EXAMPLES, fixed_keygen

DESIGNS_DIR = Path(__file__).resolve().parent / "designs"
FEATURE_DESIGNS = sorted(path.stem for path in DESIGNS_DIR.glob("*.yaml"))
ALL_DESIGNS = [*EXAMPLE_NAMES, *FEATURE_DESIGNS]
TOOL_TIMEOUT = 60
IFUPDOWN2_BUSY = "Another instance of this program is already running"


@functools.cache
def compiled(name: str) -> Compiled:
    """A design compiled with keys that are the same on every run."""
    path = EXAMPLES / f"{name}.yaml" if name in EXAMPLE_NAMES else DESIGNS_DIR / f"{name}.yaml"
    return compile_design(load_file(path), keygen=fixed_keygen(name))


@functools.cache
def bundle(name: str) -> Bundle:
    return build_bundle(compiled(name))


def text(name: str, path: str) -> str:
    return bundle(name).files[path].decode()


def need_tool(binary: str) -> str:
    """The tool's path; the test is skipped, saying so, only when the binary is not installed."""
    found = shutil.which(binary) or shutil.which(binary, path="/usr/sbin:/sbin:/usr/bin")
    if found is None:
        pytest.skip(f"{binary} is not installed (make test installs it)")
    return found


def run(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, timeout=TOOL_TIMEOUT, check=False, **kwargs)


def stanzas(interfaces: str) -> dict[str, dict[str, list[str]]]:
    """An interfaces file as ``name -> attribute -> values``; ``iface`` holds the method (static, dhcp...)."""
    out: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for line in interfaces.splitlines():
        words = line.split(None, 1)
        if not words or line.startswith("#"):
            continue
        if words[0] == "iface":
            name, *method = words[1].split()
            current = out.setdefault(name, {"iface": [" ".join(method)]})
        elif words[0] != "auto" and current is not None:
            current.setdefault(words[0], []).append(words[1] if len(words) > 1 else "")
    return out


def run_ifupdown2(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run something that calls ifup/ifquery, waiting (bounded) while another ifupdown2 holds its lock.

    ifupdown2 allows one instance per machine; parallel tests or a lab run may hold it briefly.
    """
    deadline = time.monotonic() + TOOL_TIMEOUT
    while True:
        result = run(argv, **kwargs)
        if IFUPDOWN2_BUSY not in result.stderr or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def variant(name: str, edit) -> Bundle:
    """The bundle of design ``name`` after ``edit(data)`` changed its document, allocations kept as planned."""
    from designer.fabric.document import to_data, validate

    data = to_data(compiled(name).design)
    edit(data)
    changed = compile_design(validate(data), compiled(name).plan.record, keygen=fixed_keygen(f"{name}-variant"))
    return build_bundle(changed)


def node_tree(built: Bundle, node: str) -> dict[str, bytes]:
    """One node's directory of a bundle: path below the node's directory -> bytes."""
    prefix = f"{node}/"
    return {path.removeprefix(prefix): data for path, data in built.files.items() if path.startswith(prefix)}
