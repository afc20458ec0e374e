"""The lab's DHCP servers (dnsmasq), where a design's NICs take their address by DHCP as clouds give it.

- On the DHCP LAN (NICs nothing else cables), leases from a test range, and the server sends itself
  as the router unasked, as clouds do: a node whose design keeps the DHCP default route gets it, one
  whose design drops it (an egress client) must not, though the server sends it anyway.
- On the internet of a WireGuard mesh, each member whose uplink takes its address by DHCP gets the
  endpoint address its peers dial, by its MAC, in a /24 of its own whose router is the internet's
  namespace (which forwards between them), as a cloud instance's public address comes.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import netaddr

from .layout import DhcpLan, Uplink
from .netns import SWITCH_BRIDGE, batch
from .process import LabError, alive, in_netns

READY_WITHIN = 10.0
LEASE_TIME = "1h"
UPLINK_PREFIX = 24  # each DHCP uplink's own subnet on the lab's internet


@dataclass(frozen=True, slots=True)
class Server:
    """One dnsmasq: where it listens, the addresses it holds there, what it leases."""

    name: str
    namespace: str
    addresses: tuple[str, ...]  # with prefix length, on the switch
    ranges: tuple[str, ...]  # dnsmasq --dhcp-range values
    hosts: tuple[str, ...] = ()  # --dhcp-host values: MAC,address
    force_router: str | None = None  # the router option, sent whether the client asks or not
    forwards: bool = False  # the namespace routes between its subnets


def lan_server(lan: DhcpLan) -> Server:
    return Server("dhcp-lan", lan.namespace, (lan.server,), (f"{lan.first},{lan.last},{LEASE_TIME}",),
                  force_router=lan.server.split("/")[0])


def internet_server(namespace: str, uplinks: list[Uplink]) -> Server | None:
    """Static leases of each DHCP uplink's endpoint address, each in a /24 whose router is the internet."""
    leased = [u for u in uplinks if u.dhcp and u.mac and netaddr.IPAddress(u.address).version == 4]
    if not leased:
        return None
    subnets = sorted({netaddr.IPNetwork(f"{u.address}/{UPLINK_PREFIX}").cidr for u in leased})
    taken = {netaddr.IPAddress(u.address) for u in uplinks}
    addresses = []
    for subnet in subnets:  # the router of each subnet: its highest address no member holds
        router = next(ip for ip in reversed(list(subnet.iter_hosts())) if ip not in taken)
        addresses.append(f"{router}/{subnet.prefixlen}")
    return Server("internet", namespace, tuple(addresses),
                  tuple(f"{subnet.network},static,{subnet.netmask},{LEASE_TIME}" for subnet in subnets),
                  tuple(f"{u.mac},{u.address}" for u in leased), forwards=True)


def start(server: Server, directory: Path) -> int:
    """dnsmasq serving ``server``'s switch; returns its pid (the lab stops it by that pid)."""
    if shutil.which("dnsmasq") is None:
        raise LabError("the design has NICs that take their address by DHCP: the lab serves them with dnsmasq "
                       "(Debian package dnsmasq-base)")
    lines = [f"addr add {address} dev {SWITCH_BRIDGE}" for address in server.addresses]
    batch(lines, namespace=server.namespace, what=f"addressing the {server.name} DHCP server")
    if server.forwards:
        subprocess.run(in_netns(server.namespace, ["sysctl", "-q", "-w", "net.ipv4.ip_forward=1"]), check=True,
                       capture_output=True, timeout=20)
    files = {kind: directory / f"dnsmasq-{server.name}.{kind}" for kind in ("pid", "log", "leases", "out")}
    argv = ["dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--no-hosts", "--no-resolv", "--port=0",
            f"--interface={SWITCH_BRIDGE}", "--bind-interfaces", "--dhcp-authoritative", "--log-dhcp",
            f"--dhcp-leasefile={files['leases']}", f"--log-facility={files['log']}", f"--pid-file={files['pid']}",
            *(f"--dhcp-range={value}" for value in server.ranges), *(f"--dhcp-host={value}" for value in server.hosts)]
    if server.force_router:
        argv.append(f"--dhcp-option-force=option:router,{server.force_router}")
    with files["out"].open("ab") as out:
        process = subprocess.Popen(in_netns(server.namespace, argv), stdin=subprocess.DEVNULL, stdout=out,
                                   stderr=out, start_new_session=True)
    deadline = time.monotonic() + READY_WITHIN
    while not files["pid"].exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise LabError(f"dnsmasq did not start for the {server.name}: {files['out'].read_text()[-400:]}")
        time.sleep(0.05)
    return process.pid


def is_ours(pid: int, directory: Path) -> bool:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return alive(pid) and b"dnsmasq" in argv and str(directory).encode() in argv
