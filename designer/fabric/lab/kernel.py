"""What the kernel offers the lab (vxlan, bridge, bond, 802.1q, VRF, WireGuard...) and what a plan needs."""

from __future__ import annotations

import shutil
from dataclasses import dataclass

from ..plan.model import Plan
from .adapt import interface_needs
from .process import fan_out, in_netns, run

# feature -> the `ip link add` arguments that create one; probe names stay inside the probe namespace
PROBES: dict[str, list[str]] = {
    "veth": ["p-veth", "type", "veth", "peer", "name", "p-veth-peer"],
    "bridge": ["p-bridge", "type", "bridge"],
    "vxlan": ["p-vxlan", "type", "vxlan", "id", "1", "dstport", "4789"],
    "bond": ["p-bond", "type", "bond"],
    "8021q": ["p-vlan", "link", "lo", "type", "vlan", "id", "10"],
    "vrf": ["p-vrf", "type", "vrf", "table", "10"],
    "wireguard": ["p-wg", "type", "wireguard"],
    "vlan-filtering": ["p-vfbridge", "type", "bridge", "vlan_filtering", "1"],
}
REQUIRED = ("veth", "bridge")  # without these there is no lab at all


@dataclass(frozen=True, slots=True)
class KernelFeatures:
    present: dict[str, bool]
    wireguard_go: bool  # userspace WireGuard over /dev/net/tun (and wg-quick to bring it up), where the kernel has none

    def has(self, feature: str) -> bool:
        return self.present.get(feature, False)

    def stood_in(self, feature: str) -> bool:
        """The kernel lacks ``feature`` but the lab runs its closest honest form instead."""
        if self.has(feature):
            return False
        return feature == "bond" or (feature == "wireguard" and self.wireguard_go)

    def builds(self, feature: str) -> bool:
        return self.has(feature) or self.stood_in(feature)

    def as_dict(self) -> dict[str, bool]:
        return {**self.present, "wireguard-go": self.wireguard_go}


def probe(namespace: str) -> KernelFeatures:
    """Try each device type, and an nftables table, inside ``namespace`` (a throwaway one): never on the host."""

    def attempt(feature: str) -> bool:
        return run(["ip", "-n", namespace, "link", "add", *PROBES[feature]], timeout=10).ok

    found = dict(zip(PROBES, fan_out(attempt, PROBES), strict=True))
    if shutil.which("nft"):  # without nft the kernel cannot be asked; the lab says nft is missing instead
        found["nftables"] = run(in_netns(namespace, ["nft", "add", "table", "inet", "probe"]), timeout=10).ok
    tun = run(["ip", "-n", namespace, "tuntap", "add", "mode", "tun", "name", "p-tun"], timeout=10).ok
    userspace = all(shutil.which(tool) for tool in ("wireguard-go", "wg-quick", "wg"))
    return KernelFeatures(found, wireguard_go=tun and userspace)


def needs(plan: Plan) -> dict[str, list[tuple[str, str]]]:
    """Feature -> the (device id, interface) elements of ``plan`` that need it."""
    out: dict[str, list[tuple[str, str]]] = {}
    for device in plan.devices.values():
        if not device.managed:
            continue
        for iface in device.interfaces:
            for feature in interface_needs(iface):
                out.setdefault(feature, []).append((device.id, iface.name))
        for mesh in device.wireguard:
            out.setdefault("wireguard", []).append((device.id, mesh.interface))
            if mesh.vxlan_interface:
                out.setdefault("vxlan", []).append((device.id, mesh.vxlan_interface))
    return out


def lacking(plan: Plan, features: KernelFeatures) -> dict[str, set[str]]:
    """Device -> the features it needs that the lab can neither build nor stand in for here."""
    out: dict[str, set[str]] = {}
    for feature, elements in needs(plan).items():
        if not features.builds(feature):
            for device_id, _ in elements:
                out.setdefault(device_id, set()).add(feature)
    return out
