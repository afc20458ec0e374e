"""LXD: the bridges LXD owns on an LXD host (lxdbr0, seed 003), configured the way LXD takes them.

LXD creates its bridges itself and runs their DHCP and NAT; an address given behind its back (by
ifupdown2) fights its own ``ipv4.address``. So the planned address goes into LXD's own network
configuration, a preseed that ``lxd init --preseed`` applies (for an existing network, as a whole:
what it does not say returns to LXD's default), with NAT off: the subnet is announced over BGP and
routed as it is, so containers keep their addresses beyond the host.
"""

from __future__ import annotations

from ..addresses import ip_network
from ..plan.model import DevicePlan, Plan
from .target import Activation
from .templating import render

PATH = "/etc/lxd/fabric-preseed.yaml"

ACTIVATIONS = (
    Activation(PATH, order=11, load=("lxd init --preseed < {path}",), disruption="interface-reload"),
)


def node_files(plan: Plan, device: DevicePlan) -> dict[str, str]:
    bridges = [iface for iface in device.interfaces if iface.kind == "bridge" and iface.managed_by == "lxd"]
    if not bridges:
        return {}
    networks = [{"name": bridge.name, "config": _config(bridge.addresses, bridge.mtu)} for bridge in bridges]
    return {PATH: render("lxd/preseed.yaml.j2", plan=plan, device=device, networks=networks)}


def _config(addresses: list[str], mtu: int | None) -> dict[str, str]:
    """LXD's network keys, as strings: every one the design decides, so a PUT leaves nothing stale."""
    v4 = [a for a in addresses if ip_network(a).version == 4]
    v6 = [a for a in addresses if ip_network(a).version == 6]
    config = {"ipv4.address": v4[0] if v4 else "none", "ipv4.nat": "false",
              "ipv6.address": v6[0] if v6 else "none", "ipv6.nat": "false"}
    if mtu is not None:
        config["bridge.mtu"] = str(mtu)
    return config
