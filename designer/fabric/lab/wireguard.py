"""WireGuard in the lab: each member's own wg-quick file brought up in its namespace, stopped by pid.

Where the kernel has no WireGuard, wg-quick falls back to the command in
``WG_QUICK_USERSPACE_IMPLEMENTATION``; the lab points it at a small launcher that starts wireguard-go
in a session of its own and writes its pid down, because wireguard-go itself daemonises without
telling anyone its pid. Every member's interface has the mesh's name, and wireguard-go and wg find
an interface by its control socket in /run/wireguard, so each node gets a private /run (a directory
of the run, bind-mounted in the mount namespace `ip netns exec` makes).
"""

from __future__ import annotations

import os
from pathlib import Path

from .process import Outcome, in_netns, pid_files, run, terminate

USERSPACE = "wireguard-go"
LAUNCHER = "wireguard-userspace"
MARK = "WEFT_LAB_NAMESPACE"  # in wireguard-go's environment: what proves a process is this namespace's
UP_TIMEOUT = 30.0

_LAUNCHER = """#!/bin/sh
# wg-quick's userspace WireGuard in the lab: wireguard-go in a session of its own (not killed with the
# lab's terminal), its pid written where the lab takes it down from; wg-quick carries on once the
# control socket exists, as it does after wireguard-go's own daemonising.
set -e
mkdir -p /run/wireguard
setsid wireguard-go -f "$1" </dev/null >>"/run/wireguard/$1.log" 2>&1 &
echo $! >"/run/wireguard/$1.pid"
tries=0
while [ ! -S "/run/wireguard/$1.sock" ]; do
    if ! kill -0 $! 2>/dev/null || [ $tries -ge 100 ]; then
        cat "/run/wireguard/$1.log" >&2
        echo "wireguard-go did not open its control socket for $1" >&2
        exit 1
    fi
    tries=$((tries + 1))
    sleep 0.05
done
"""

# $1: the node's private /run; the rest: the command to run with it
_WITH_RUN = """set -e
mount --bind "$1" /run
shift
exec "$@"
"""


def write_launcher(directory: Path) -> Path:
    launcher = directory / LAUNCHER
    launcher.write_text(_LAUNCHER, encoding="utf-8")
    launcher.chmod(0o755)
    return launcher


def private_run(node_root: Path) -> Path:
    """The directory a node sees as /run while wg-quick, wireguard-go and wg run for it."""
    return node_root / "run"


def _with_run(namespace: str, run_dir: Path, argv: list[str]) -> list[str]:
    return in_netns(namespace, ["env", f"{MARK}={namespace}", "sh", "-c", _WITH_RUN, "wg-lab", str(run_dir), *argv])


def up(namespace: str, conf: Path, run_dir: Path, launcher: Path) -> Outcome:
    """``wg-quick up`` on the node's file (its PreUp/PostUp build the VXLAN device and its fdb entries)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    argv = ["env", f"WG_QUICK_USERSPACE_IMPLEMENTATION={launcher}", "wg-quick", "up", str(conf)]
    return run(_with_run(namespace, run_dir, argv), timeout=UP_TIMEOUT)


def display_up(namespace: str, conf: Path) -> str:
    """How a person would type what ``up`` runs."""
    return f"ip netns exec {namespace} env WG_QUICK_USERSPACE_IMPLEMENTATION={USERSPACE} wg-quick up {conf}"


def latest_handshakes(namespace: str, run_dir: Path, interface: str) -> tuple[Outcome, dict[str, int]]:
    """``wg show IF latest-handshakes``: public key -> when each configured peer last completed one (seconds since
    the epoch, 0 for never)."""
    outcome = run(_with_run(namespace, run_dir, ["wg", "show", interface, "latest-handshakes"]), timeout=15)
    peers = {}
    for line in outcome.stdout.splitlines():
        fields = line.split()
        if len(fields) == 2 and fields[1].isdigit():
            peers[fields[0]] = int(fields[1])
    return outcome, peers


def display_show(namespace: str, interface: str) -> str:
    return f"ip netns exec {namespace} wg show {interface} latest-handshakes"


def pids(run_dir: Path) -> list[int]:
    """The wireguard-go processes the launcher started for this node, from their pid files."""
    return list(pid_files(run_dir / "wireguard").values())


def started_by_lab(pid: int, namespace: str) -> bool:
    """Only a wireguard-go whose environment names this namespace is ours to stop."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except OSError:
        return False
    return os.path.basename(argv[0]) == USERSPACE.encode() and f"{MARK}={namespace}".encode() in environ


def stop(namespace: str, run_dir: Path) -> list[str]:
    """Stop this node's wireguard-go processes by pid; return what would not go."""
    mine = [pid for pid in pids(run_dir) if started_by_lab(pid, namespace)]
    return [f"wireguard-go process {pid} of {namespace} did not stop" for pid in terminate(mine)]
