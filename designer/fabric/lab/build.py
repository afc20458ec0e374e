"""Bringing a lab up: namespaces and cables, each node's files applied, BGP filters loaded, FRR started, endpoints
plugged in."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..plan.model import Plan
from . import adapt, frr, ifupdown, netns, nftables, wireguard
from .files import NodeFiles, NodeRenderer, write_edited_network, write_node_files
from .kernel import KernelFeatures
from .layout import Endpoint, Layout, Node
from .process import Outcome, fan_out
from .teardown import Teardown


@dataclass(slots=True)
class Lab:
    """A lab being built or up: what it is made of and what each step did, for the checks to read."""

    plan: Plan
    layout: Layout
    features: KernelFeatures
    teardown: Teardown
    files: dict[str, NodeFiles] = field(default_factory=dict)
    applied: dict[str, Outcome] = field(default_factory=dict)  # device -> ifup -a
    sysctl: dict[str, Outcome] = field(default_factory=dict)
    frr_started: dict[str, dict[str, Outcome]] = field(default_factory=dict)  # device -> daemon -> its start
    bridge_mtus: dict[tuple[str, str], int] = field(default_factory=dict)
    unplugged: list[Endpoint] = field(default_factory=list)  # endpoints whose bridge is missing
    lacking: dict[str, set[str]] = field(default_factory=dict)  # device -> kernel features it needs but lacks
    left_out: dict[str, dict[str, str]] = field(default_factory=dict)  # device -> interface -> why not built
    edits: dict[str, adapt.NodeEdits] = field(default_factory=dict)  # what the applied interfaces copy changes
    wireguard_up: dict[str, dict[str, Outcome]] = field(default_factory=dict)  # device -> interface -> wg-quick up
    filters: dict[str, Outcome] = field(default_factory=dict)  # device -> nft -f of its BGP filter
    filters_refused: str = ""  # why no BGP filter could be loaded here at all
    findings: list = field(default_factory=list)  # the design checks' findings, to cite what they predicted

    @property
    def directory(self) -> Path:
        return self.teardown.directory

    def node(self, device_id: str) -> Node:
        return self.layout.nodes[device_id]

    def frr_running(self, device_id: str) -> bool:
        outcomes = self.frr_started.get(device_id)
        return bool(outcomes) and all(o.ok for o in outcomes.values())

    def interfaces_applied(self, device_id: str) -> bool:
        outcome = self.applied.get(device_id)
        return outcome is not None and outcome.ok

    def wireguard_running(self, device_id: str) -> bool:
        outcomes = self.wireguard_up.get(device_id)
        return bool(outcomes) and all(o.ok for o in outcomes.values())


def render_files(lab: Lab, render: NodeRenderer) -> None:
    """Each node's files, and where this kernel cannot build all of its interfaces file, the copy it can."""
    for device in lab.plan.devices.values():
        if device.managed:
            files = write_node_files(lab.plan, device.id, lab.directory / device.name, render)
            edits = adapt.node_edits(device, left_out=lab.left_out.get(device.id, {}),
                                     carriers=[c for c in lab.layout.carriers if c.device_id == device.id],
                                     vlan_filtering=lab.features.has("vlan-filtering"))
            write_edited_network(files, edits)
            lab.edits[device.id] = edits
            lab.files[device.id] = files


def lay_network(lab: Lab) -> None:
    """Namespaces for nodes and LANs, a veth per cable, a bridge wherever a switch stands."""
    layout = lab.layout
    names = [n.namespace for n in layout.nodes.values()] + [s.namespace for s in layout.segments]
    lab.teardown.add_namespaces(names)
    netns.create(names)
    netns.lay_cables(layout.cables)
    for node in layout.nodes.values():
        if not node.managed:
            ports = [c.a_interface for c in layout.cables if c.a_namespace == node.namespace]
            ports += [c.b_interface for c in layout.cables if c.b_namespace == node.namespace]
            netns.build_switch(node.namespace, ports)
    for segment in layout.segments:
        netns.build_switch(segment.namespace, segment.ports)


def apply_interfaces(lab: Lab) -> None:
    """The node's sysctls, then ifupdown2 on its interfaces file, every node at once."""
    nodes = [d for d, files in lab.files.items() if files.has_interfaces]

    def apply(device_id: str) -> tuple[Outcome, Outcome]:
        namespace = lab.node(device_id).namespace
        files = lab.files[device_id]
        return (netns.set_sysctls(namespace, files.sysctl),
                ifupdown.apply(namespace, files.etc_network, exclude=files.dhcp))

    for device_id, (sysctl, applied) in zip(nodes, fan_out(apply, nodes), strict=True):
        lab.sysctl[device_id] = sysctl
        lab.applied[device_id] = applied


def bring_up_meshes(lab: Lab) -> None:
    """The members' uplinks on the internet, then each member's wg-quick file, every node at once."""
    node_namespace = {d: n.namespace for d, n in lab.layout.nodes.items()}
    if lab.layout.uplinks:
        netns.address_uplinks(lab.layout.uplinks, node_namespace)
    members = [d for d, files in lab.files.items() if files.wireguard and "wireguard" not in lab.lacking.get(d, ())]
    if not members:
        return
    launcher = wireguard.write_launcher(lab.directory)
    for device_id in members:
        lab.teardown.add_wireguard(node_namespace[device_id], wireguard.private_run(lab.files[device_id].root))

    def up(device_id: str) -> dict[str, Outcome]:
        files = lab.files[device_id]
        return {interface: wireguard.up(node_namespace[device_id], conf, wireguard.private_run(files.root), launcher)
                for interface, conf in sorted(files.wireguard.items())}

    for device_id, outcomes in zip(members, fan_out(up, members), strict=True):
        lab.wireguard_up[device_id] = outcomes


def load_filters(lab: Lab) -> None:
    """Each node's own BGP filter with ``nft -f`` in its namespace, every node at once: FRR starts behind it."""
    nodes = [d for d, files in lab.files.items() if files.bgp_filter is not None]
    lab.filters_refused = nftables.refusal(lab.features) if nodes else ""
    if lab.filters_refused:
        return
    outcomes = fan_out(lambda d: nftables.load(lab.node(d).namespace, lab.files[d].bgp_filter), nodes)
    lab.filters = dict(zip(nodes, outcomes, strict=True))


def start_frr(lab: Lab) -> None:
    """FRR in each node's namespace, every node at once; the record of what to stop is kept by this thread alone."""
    nodes = [d for d, files in lab.files.items() if files.frr_conf is not None]
    namespaces = [lab.node(d).namespace for d in nodes]
    installed = frr.installed_daemons()

    def start(device_id: str) -> dict[str, Outcome]:
        namespace = lab.node(device_id).namespace
        files = lab.files[device_id]
        setup = frr.read_setup(files.daemons, files.frr_conf, installed)
        return frr.start(namespace, setup, frr.prepare(namespace, files.frr_conf))

    lab.teardown.add_frr({namespace: [] for namespace in namespaces})  # the path spaces are recorded before they exist
    for device_id, outcomes in zip(nodes, fan_out(start, nodes), strict=True):
        lab.frr_started[device_id] = outcomes
    lab.teardown.add_frr({namespace: list(frr.pids(namespace).values()) for namespace in namespaces})


def plug_endpoints(lab: Lab) -> None:
    """Each endpoint gets its bridge's MTU as the node set it, as a hypervisor does for a VM's NIC."""
    endpoints = lab.layout.endpoints
    vteps = sorted({e.device_id for e in endpoints})
    facts = dict(zip(vteps, fan_out(lambda d: netns.links(lab.node(d).namespace), vteps), strict=True))
    pluggable = []
    for endpoint in endpoints:
        bridge = facts[endpoint.device_id].get(endpoint.bridge)
        if bridge is None:
            lab.unplugged.append(endpoint)
            continue
        lab.bridge_mtus[(endpoint.device_id, endpoint.bridge)] = int(bridge["mtu"])
        pluggable.append(endpoint)
    lab.teardown.add_namespaces([e.namespace for e in pluggable])
    netns.create([e.namespace for e in pluggable])
    if pluggable:
        netns.plug_endpoints(pluggable, lab.bridge_mtus, {d: n.namespace for d, n in lab.layout.nodes.items()})
