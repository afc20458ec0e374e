"""WireGuard on a lab node: brought up by wg-quick from the node's own file, through its init.

Where the kernel has no WireGuard, wg-quick falls back to the command in
``WG_QUICK_USERSPACE_IMPLEMENTATION``; the lab sets it, in every node's environment, to a small
launcher that starts wireguard-go in a session of its own (it is stopped with the node's other
processes) and waits for its control socket in the node's own /run/wireguard.
"""

from __future__ import annotations

from pathlib import Path

from .noderoot import NodeRoot
from .process import Outcome

USERSPACE = "wireguard-go"
LAUNCHER = "wireguard-userspace"
ENVIRONMENT = "WG_QUICK_USERSPACE_IMPLEMENTATION"

_LAUNCHER = """#!/bin/sh
# wg-quick's userspace WireGuard in the lab: wireguard-go in a session of its own, its log and pid in
# the node's /run/wireguard; wg-quick carries on once the control socket exists, as it does after
# wireguard-go's own daemonising.
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


def write_launcher(directory: Path) -> Path:
    launcher = directory / LAUNCHER
    launcher.write_text(_LAUNCHER, encoding="utf-8")
    launcher.chmod(0o755)
    return launcher


def latest_handshakes(root: NodeRoot, interface: str) -> tuple[Outcome, dict[str, int]]:
    """``wg show IF latest-handshakes``: public key -> when each configured peer last completed one (seconds since
    the epoch, 0 for never)."""
    outcome = root.run(["wg", "show", interface, "latest-handshakes"], timeout=15)
    peers = {}
    for line in outcome.stdout.splitlines():
        fields = line.split()
        if len(fields) == 2 and fields[1].isdigit():
            peers[fields[0]] = int(fields[1])
    return outcome, peers


def display_show(root: NodeRoot, interface: str) -> str:
    return root.display(f"wg show {interface} latest-handshakes")
