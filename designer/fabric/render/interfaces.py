"""ifupdown2: ``/etc/network/interfaces`` with loopback, NICs, bonds, VLANs, bridges, VXLAN and VRFs."""

from __future__ import annotations

from ..plan.model import DevicePlan, InterfacePlan, Plan
from .target import Activation
from .templating import render

PATH = "/etc/network/interfaces"

ACTIVATIONS = (
    Activation(PATH, order=10, tool="ifreload",
               check=("mkdir -p /run/network", "ifup --syntax-check -a -i {file}"),
               load=("ifreload -a",), disruption="interface-reload"),
)


def node_files(plan: Plan, device: DevicePlan) -> dict[str, str]:
    interfaces = [iface for iface in device.interfaces if iface.role != "oob"]  # the BMC port: no OS config
    keep = {iface.name for iface in interfaces if _addresses_not_planned(iface)}
    return {PATH: render("interfaces/interfaces.j2", plan=plan, device=device, interfaces=interfaces,
                         keep_addresses=keep)}


def _addresses_not_planned(iface: InterfacePlan) -> bool:
    """A NIC the plan gives no address, no DHCP and no role in the fabric (an internet uplink).

    ifupdown2 removes every address a file does not list; for such a NIC the addresses the node
    already has (from its installer or cloud-init) must survive ``ifreload -a``.
    """
    return (iface.kind == "nic" and not iface.addresses and not iface.dhcp and iface.master is None
            and not iface.unnumbered)
