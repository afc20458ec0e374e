"""A DHCP NIC whose default route the design drops never gets one, even from a server that sends a
router (or a classless default route) unasked, and apply removes the one dhclient installed already.

Proven with Debian's own dhclient and dhclient-script against dnsmasq, in namespaces this test creates;
`ip netns exec` puts the node's /etc/dhcp (from /etc/netns/NAME/dhcp) where dhclient-script reads it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from designer.fabric.bundle import build_bundle
from designer.fabric.document import to_data, validate
from designer.fabric.pipeline import compile_design
from tests.conftest import fixed_keygen, load_example
from tests.render.bundles import need_tool
from tests.render.netns import Namespace, namespaces

pytestmark = pytest.mark.tools

LEASE_WAIT = 20  # seconds dhclient may take to get a lease from a server on the same link
STOCK_DHCP = Path("/etc/dhcp")  # Debian's isc-dhcp-client: dhclient.conf and the rfc3442 exit hook


def _host_files() -> dict[str, bytes]:
    """host1 of the egress example with a second DHCP NIC (ens7) whose default route is dropped too."""
    data = to_data(load_example("egress-gateways"))
    host1 = next(d for d in data["devices"] if d["id"] == "host1")
    host1["nics"].append({"name": "ens7", "role": "management", "dhcp": True})  # an egress client: dropped
    files = build_bundle(compile_design(validate(data), keygen=fixed_keygen("dhcp"))).files
    return {path.removeprefix("host1"): body for path, body in files.items() if path.startswith("host1/etc/dhcp/")}


def _server(ns: Namespace, iface: str, address: str, option: str, directory: Path) -> subprocess.Popen:
    """dnsmasq answering on ``iface``, forcing ``option`` on every client whether it asks or not."""
    network = address.rsplit(".", 1)[0]
    return subprocess.Popen(
        ["ip", "netns", "exec", ns.name, need_tool("dnsmasq"), "--keep-in-foreground", "--conf-file=/dev/null",
         "--port=0", f"--interface={iface}", "--bind-interfaces", "--user=root", "--no-resolv", "--no-hosts",
         f"--dhcp-range={network}.50,{network}.60,255.255.255.0,1h", f"--dhcp-option-force={option}",
         f"--dhcp-leasefile={directory / f'{iface}.leases'}", f"--pid-file={directory / f'{iface}.pid'}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _lease(ns: Namespace, iface: str, directory: Path) -> None:
    """Ask for a lease once (dhclient then stays in the background, stopped by its pid file)."""
    ns.run(f"dhclient -1 -pf {directory / f'dhclient.{iface}.pid'} -lf {directory / f'dhclient.{iface}.leases'} "
           f"{iface}", timeout=LEASE_WAIT + 10)


def _routes(ns: Namespace) -> str:
    return ns.run("ip -4 route show").stdout


def test_dropped_default_routes_stay_dropped_and_apply_removes_the_one_installed(tmp_path):
    for tool in ("dhclient", "dnsmasq", "dhclient-script"):
        need_tool(tool)
    files = _host_files()
    servers: list[subprocess.Popen] = []
    # one DHCP server per namespace: each listens on port 67 of every address it has
    with namespaces("cloud5", "cloud7", "host") as ns:
        host = ns["host"]
        node_etc = Path("/etc/netns") / host.name / "dhcp"
        try:
            # ens5's server sends a router unasked; ens7's a classless default route and a metadata route
            for nic, address, option in (("ens5", "192.0.2.1", "3,192.0.2.1"),
                                         ("ens7", "198.51.100.1",
                                          "121,0.0.0.0/0,198.51.100.1,169.254.169.254/32,198.51.100.1")):
                cloud = ns[f"cloud{nic[-1]}"]
                subprocess.run(["ip", "link", "add", nic, "netns", host.name, "type", "veth", "peer", f"up{nic}",
                                "netns", cloud.name], check=True, timeout=10)
                cloud.run(f"ip address add {address}/24 dev up{nic} && ip link set up{nic} up")
                host.run(f"ip link set {nic} up")
                servers.append(_server(cloud, f"up{nic}", address, option, tmp_path))
            # the node as installed, before the bundle: Debian's stock dhclient files
            shutil.copytree(STOCK_DHCP, node_etc)
            _lease(host, "ens5", tmp_path)
            # what dhclient-script adds: a route of `proto boot`, the one iproute2 leaves unnamed
            assert host.run("ip -4 route show exact 0.0.0.0/0 proto boot").stdout.startswith(
                "default via 192.0.2.1 dev ens5")

            # apply installs the bundle's files and runs the hook's activation: the route goes at once
            for path, body in files.items():
                (node_etc / path.removeprefix("/etc/dhcp/")).write_bytes(body)
            from designer.fabric.render.dhclient import ACTIVATIONS, HOOK
            load = next(a for a in ACTIVATIONS if a.covers(HOOK)).load
            for command in load:
                host.run(command.format(path=HOOK, file=HOOK, name=Path(HOOK).stem))
            assert "default" not in _routes(host)

            # the next leases: neither the unasked router nor the classless default route comes back
            host.run(f"dhclient -x -pf {tmp_path / 'dhclient.ens5.pid'}")
            _lease(host, "ens5", tmp_path)
            _lease(host, "ens7", tmp_path)
            routes = _routes(host)
            for nic, network in (("ens5", "192.0.2"), ("ens7", "198.51.100")):  # both did get their lease
                assert f"inet {network}." in host.run(f"ip -4 address show dev {nic}").stdout
            assert "default" not in routes
            assert "169.254.169.254 via 198.51.100.1 dev ens7" in routes  # other classless routes stay
        finally:
            for pid_file in tmp_path.glob("dhclient.*.pid"):
                host.run(f"dhclient -x -pf {pid_file}", check=False)
            for server in servers:
                server.terminate()
                server.wait(timeout=10)
            shutil.rmtree(node_etc.parent, ignore_errors=True)
