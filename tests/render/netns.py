"""Network namespaces a test creates for itself, so generated files are proven by what they do."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

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


FRR_DAEMONS = ("zebra", "staticd", "bgpd")
FRR_START_WAIT = 10  # seconds for a daemon to write its pid file


@contextlib.contextmanager
def frr(namespace: Namespace, config: str) -> Iterator[None]:
    """FRR of one node in its namespace, from that node's own frr.conf (a path space of its own, as
    `-N` gives it); every daemon is stopped by its pid file and its directories removed on the way out."""
    etc, state = Path("/etc/frr") / namespace.name, Path("/var/run/frr") / namespace.name
    try:
        for directory in (etc, state):
            directory.mkdir(parents=True)
        (etc / "frr.conf").write_text(config)
        (etc / "vtysh.conf").write_text("")
        for path in (etc, state, etc / "frr.conf", etc / "vtysh.conf"):
            shutil.chown(path, "frr", "frr")
        for daemon in FRR_DAEMONS:
            subprocess.run(["ip", "netns", "exec", namespace.name, f"/usr/lib/frr/{daemon}", "-N", namespace.name,
                            "-d", "-F", "datacenter", "-f", str(etc / "frr.conf"), "-i", str(state / f"{daemon}.pid")],
                           check=True, timeout=TOOL_TIMEOUT, capture_output=True)
        yield
    finally:
        for daemon in FRR_DAEMONS:
            pid_file = state / f"{daemon}.pid"
            deadline = time.monotonic() + FRR_START_WAIT
            while not pid_file.exists() and time.monotonic() < deadline and state.exists():
                time.sleep(0.1)
            if pid_file.exists():
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
        shutil.rmtree(etc, ignore_errors=True)
        shutil.rmtree(state, ignore_errors=True)


def vtysh_json(namespace: Namespace, command: str) -> dict:
    shown = namespace.run(f"vtysh -N {namespace.name} -c '{command} json'").stdout
    return json.loads(shown or "{}")


def wait_for(condition, timeout: float, step: float = 0.5) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` seconds pass; whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return bool(condition())
