"""Proxmox firewall: ``cluster.fw`` with the IPSets and rules, ``host.fw`` per node (seed 001).

``/etc/pve`` is the cluster's shared filesystem, so ``cluster.fw`` is one design-wide file; each
node's ``host.fw`` enables the firewall there and opens what the fabric itself needs on that node
(BGP from its peers, VXLAN from the other VTEPs, the WireGuard port), since the cluster's input
policy would otherwise drop it.
"""

from __future__ import annotations

from ..addresses import ip_address
from ..plan.model import DevicePlan, Plan
from ..plan.overlay import VXLAN_PORT
from .target import Activation, BundleFolder
from .templating import render

BUNDLE_FOLDER = BundleFolder("cluster", "copy to `{installed}` on any one Proxmox node; `/etc/pve` is shared by "
                                        "the cluster.")
CLUSTER = f"{BUNDLE_FOLDER.name}/etc/pve/firewall/cluster.fw"
VTEP_IPSET = "fabric-vteps"

# pve-firewall picks changed files up by itself within seconds; pmxcfs (/etc/pve) takes only modes 0600 and 0640
ACTIVATIONS = (Activation("/etc/pve/nodes/*/host.fw", order=35, mode=0o640),)


def design_files(plan: Plan) -> dict[str, str]:
    firewall = plan.firewall
    if firewall is None or (firewall.enabled and not firewall.devices):
        return {}  # no Proxmox node to enable it on: nothing would read it
    ipsets = dict(firewall.ipsets)
    comments = dict(firewall.ipset_comments)
    vteps = _firewalled_vteps(plan)
    if vteps:
        ipsets[VTEP_IPSET] = vteps
        comments[VTEP_IPSET] = "VTEPs of the fabric: VXLAN comes from these"
    return {CLUSTER: render("pve_firewall/cluster.fw.j2", plan=plan, firewall=firewall, ipsets=ipsets,
                           comments=comments, rules=[_rule(rule) for rule in firewall.rules])}


def node_files(plan: Plan, device: DevicePlan) -> dict[str, str]:
    if not device.firewall:
        return {}
    return {f"/etc/pve/nodes/{device.name}/host.fw": render(
        "pve_firewall/host.fw.j2", plan=plan, device=device, rules=[_rule(r) for r in _fabric_rules(device)])}


def _firewalled_vteps(plan: Plan) -> list[str]:
    """Every VTEP of the fabric, once a firewalled node carries a VNI and so must accept VXLAN from them."""
    if not any(d.firewall and d.vnis for d in plan.devices.values()):
        return []
    return sorted({d.vtep for d in plan.devices.values() if d.vtep and d.vnis}, key=ip_address)


def _fabric_rules(device: DevicePlan) -> list[dict]:
    rules: list[dict] = []
    peers = {iface.name: iface.peer for iface in device.interfaces}
    for name in device.bgp_allowed_interfaces:
        rules.append({"direction": "in", "action": "ACCEPT", "iface": name, "proto": "tcp", "dport": "179",
                      "comment": f"BGP unnumbered from {peers.get(name) or name}"})
    for source in device.bgp_allowed_sources:
        rules.append({"direction": "in", "action": "ACCEPT", "source": source, "proto": "tcp", "dport": "179",
                      "comment": "BGP from a planned peer"})
    if device.vnis:
        rules.append({"direction": "in", "action": "ACCEPT", "source": f"+{VTEP_IPSET}", "proto": "udp",
                      "dport": str(VXLAN_PORT), "comment": "VXLAN from the fabric's VTEPs"})
    for wg in device.wireguard:
        rules.append({"direction": "in", "action": "ACCEPT", "proto": "udp", "dport": str(wg.listen_port),
                      "comment": f"WireGuard mesh {wg.mesh}"})
    return rules


def _rule(rule: dict) -> str:
    """One rule line as pve-firewall reads it: ``IN ACCEPT -source +management -p tcp -dport 22``."""
    action = f"{rule['macro']}({rule['action']})" if rule.get("macro") else rule["action"]
    words = [rule["direction"].upper(), action]
    for key, option in (("iface", "-i"), ("source", "-source"), ("dest", "-dest"), ("proto", "-p"),
                        ("dport", "-dport")):
        if rule.get(key):
            words += [option, str(rule[key])]
    comment = rule.get("comment")
    return " ".join(words) + (f" # {comment}" if comment else "")
