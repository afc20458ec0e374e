"""WireGuard: ``/etc/wireguard/<mesh>.conf`` per node, with VXLAN over the mesh when planned (seed 003)."""

from __future__ import annotations

from ..plan.model import DevicePlan, Plan
from .target import Activation
from .templating import render

ACTIVATIONS = (
    Activation("/etc/wireguard/*.conf", order=15, tool="wg-quick", mode=0o600, disruption="interface-reload",
               check=("wg-quick strip {file} >/dev/null",),
               load=("systemctl enable wg-quick@{name}", "systemctl restart wg-quick@{name}"),
               # a mesh the node leaves: its tunnel goes down and stays down after a reboot
               unload=("systemctl disable --now wg-quick@{name}",),
               ensure=("systemctl is-enabled --quiet wg-quick@{name} || systemctl enable wg-quick@{name}",)),
)


def node_files(plan: Plan, device: DevicePlan) -> dict[str, str]:
    return {f"/etc/wireguard/{wg.interface}.conf": render(
                "wireguard/mesh.conf.j2", plan=plan, device=device, wg=wg)
            for wg in device.wireguard}
