"""The lab's DHCP server: dnsmasq on the DHCP LAN, sending the router option unasked, as clouds do.

A node whose design keeps the DHCP default route gets it; one whose design drops it (an egress
client) must not, even though the server sends it anyway.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from .layout import DhcpLan
from .netns import SWITCH_BRIDGE, batch
from .process import LabError, alive, in_netns

READY_WITHIN = 10.0
LEASE_TIME = "1h"


def start(lan: DhcpLan, directory: Path) -> int:
    """dnsmasq serving ``lan`` from its switch; returns its pid (the lab stops it by that pid)."""
    if shutil.which("dnsmasq") is None:
        raise LabError("the design has NICs that take their address by DHCP: the lab serves them with dnsmasq "
                       "(Debian package dnsmasq-base)")
    batch([f"addr add {lan.server} dev {SWITCH_BRIDGE}"], namespace=lan.namespace, what="addressing the DHCP LAN")
    server = lan.server.split("/")[0]
    log = directory / "dnsmasq.log"
    argv = in_netns(lan.namespace, [
        "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--no-hosts", "--no-resolv", "--port=0",
        f"--interface={SWITCH_BRIDGE}", "--bind-interfaces", "--dhcp-authoritative",
        f"--dhcp-range={lan.first},{lan.last},{LEASE_TIME}", f"--dhcp-option-force=option:router,{server}",
        f"--dhcp-leasefile={directory / 'dhcp.leases'}", f"--log-facility={log}", "--log-dhcp",
        f"--pid-file={directory / 'dnsmasq.pid'}"])
    with (directory / "dnsmasq.out").open("ab") as out:
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=out, start_new_session=True)
    deadline = time.monotonic() + READY_WITHIN
    while not (directory / "dnsmasq.pid").exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise LabError(f"dnsmasq did not start on the DHCP LAN: {(directory / 'dnsmasq.out').read_text()[-400:]}")
        time.sleep(0.05)
    return process.pid


def is_ours(pid: int, directory: Path) -> bool:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return alive(pid) and b"dnsmasq" in argv and str(directory).encode() in argv
