"""Network namespaces a test creates for itself, so generated files are proven by what they do."""

from __future__ import annotations

import contextlib
import os
import subprocess
import uuid
from collections.abc import Iterator

import pytest

from tests.render.bundles import TOOL_TIMEOUT


def needs_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("network namespaces need root")


class Namespace:
    """One namespace, named for this test alone; commands run inside it with a bounded wait."""

    def __init__(self, name: str):
        self.name = name

    def run(self, command: str, *, check: bool = True, timeout: float = TOOL_TIMEOUT,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        result = subprocess.run(["ip", "netns", "exec", self.name, "sh", "-c", command], capture_output=True,
                                text=True, timeout=timeout, check=False, env=env)
        if check and result.returncode != 0:
            raise AssertionError(f"{command!r} in {self.name} exited {result.returncode}: "
                                 f"{result.stdout}{result.stderr}")
        return result


@contextlib.contextmanager
def namespaces(*roles: str) -> Iterator[dict[str, Namespace]]:
    """Fresh namespaces (``wt-<random>-<role>``) with loopback up; removed on the way out, whatever happened."""
    needs_root()
    tag = uuid.uuid4().hex[:6]
    made: dict[str, Namespace] = {}
    try:
        for role in roles:
            name = f"wt-{tag}-{role}"
            subprocess.run(["ip", "netns", "add", name], check=True, timeout=TOOL_TIMEOUT)
            made[role] = Namespace(name)
            made[role].run("ip link set lo up")
        yield made
    finally:
        for namespace in made.values():
            subprocess.run(["ip", "netns", "delete", namespace.name], check=False, timeout=TOOL_TIMEOUT)
