"""ifupdown2: ``/etc/network/interfaces`` with loopback, NICs, bonds, VLANs, bridges, VXLAN and VRFs."""

from __future__ import annotations

from ..plan.model import DevicePlan, Plan
from .target import Activation
from .templating import render

PATH = "/etc/network/interfaces"
SOURCED = "/etc/network/interfaces.d/*"  # Proxmox SDN and cloud-init keep their own files there

ACTIVATIONS = (
    Activation(PATH, order=10, tool="ifreload",
               check=("mkdir -p /run/network", "ifup --syntax-check -a -i {file}"),
               load=("ifreload -a",), disruption="interface-reload"),
)


def node_files(plan: Plan, device: DevicePlan) -> dict[str, str]:
    # the BMC port has no OS configuration; LXD configures its own bridges (the lxd target)
    interfaces = [iface for iface in device.interfaces if iface.role != "oob" and iface.managed_by == "ifupdown2"]
    return {PATH: render("interfaces/interfaces.j2", plan=plan, device=device, interfaces=interfaces,
                         sourced=SOURCED)}
