"""Bringing a lab up: namespaces and cables, stock node roots booted, each node's own apply.sh run, endpoints
plugged in; and a reboot of every node from what its apply.sh installed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..apply import NodeApply
from ..plan.model import Plan
from . import adapt, dhcp, frr, netns, nftables, services, wireguard
from .boot import BootReport, boot
from .files import NodeFiles, NodeRenderer, stage
from .kernel import KernelFeatures
from .layout import INTERNET, Endpoint, Layout, Node
from .noderoot import STOCK_UNITS, NodeRoot, write_standins
from .process import Outcome, fan_out
from .teardown import Teardown

APPLY_TIMEOUT = 300.0


@dataclass(slots=True)
class Lab:
    """A lab being built or up: what it is made of and what each step did, for the checks to read."""

    plan: Plan
    layout: Layout
    features: KernelFeatures
    teardown: Teardown
    files: dict[str, NodeFiles] = field(default_factory=dict)
    roots: dict[str, NodeRoot] = field(default_factory=dict)
    standins: dict[str, Path] = field(default_factory=dict)
    applied: dict[str, Outcome] = field(default_factory=dict)  # device -> its apply.sh
    booted: dict[str, BootReport] = field(default_factory=dict)  # device -> its last boot
    rebooted: bool = False  # the nodes were rebooted since their apply.sh ran
    bridge_mtus: dict[tuple[str, str], int] = field(default_factory=dict)
    unplugged: list[Endpoint] = field(default_factory=list)  # endpoints whose bridge is missing
    lacking: dict[str, set[str]] = field(default_factory=dict)  # device -> kernel features it needs but lacks
    left_out: dict[str, dict[str, str]] = field(default_factory=dict)  # device -> interface -> why not built
    edits: dict[str, adapt.NodeEdits] = field(default_factory=dict)  # what the staged interfaces copy changes
    filters: dict[str, Outcome] = field(default_factory=dict)  # device -> its BGP filter as nft lists it
    filters_refused: str = ""  # why no BGP filter could be loaded here at all
    findings: list = field(default_factory=list)  # the design checks' findings, to cite what they predicted
    stood_in: list[str] = field(default_factory=list)  # logs the lab created for services its nodes do not run

    @property
    def directory(self) -> Path:
        return self.teardown.directory

    def node(self, device_id: str) -> Node:
        return self.layout.nodes[device_id]

    def root(self, device_id: str) -> NodeRoot:
        return self.roots[device_id]

    def frr_state(self, device_id: str) -> frr.FrrState | None:
        files = self.files.get(device_id)
        if files is None or files.frr_conf is None or device_id not in self.roots:
            return None
        return frr.state(self.roots[device_id], files.daemons)

    def frr_running(self, device_id: str) -> bool:
        found = self.frr_state(device_id)
        return found is not None and found.ok

    def interfaces_applied(self, device_id: str) -> bool:
        """The node took its interfaces file in: its apply.sh succeeded, and after a reboot its networking too."""
        outcome = self.applied.get(device_id)
        if outcome is None or not outcome.ok:
            return False
        booted = self.booted.get(device_id)
        return not self.rebooted or (booted is not None and booted.ok)

    def wireguard_interfaces(self, device_id: str) -> dict[str, bool]:
        """Each of the node's mesh interfaces, and whether it exists now."""
        files = self.files.get(device_id)
        if not files or not files.wireguard:
            return {}
        present = netns.links(self.node(device_id).namespace)
        return {name: name in present for name in files.wireguard}

    def wireguard_running(self, device_id: str) -> bool:
        interfaces = self.wireguard_interfaces(device_id)
        return bool(interfaces) and all(interfaces.values())


def stage_bundles(lab: Lab, render: NodeRenderer, design_hash: str) -> None:
    """Each managed node's directory of the bundle, with the copy of its interfaces file this kernel can build."""
    node_apply = NodeApply(lab.plan, design_hash)
    for device in lab.plan.devices.values():
        if device.managed:
            edits = adapt.node_edits(device, left_out=lab.left_out.get(device.id, {}),
                                     carriers=[c for c in lab.layout.carriers if c.device_id == device.id],
                                     vlan_filtering=lab.features.has("vlan-filtering"))
            lab.edits[device.id] = edits
            lab.files[device.id] = stage(lab.plan, device.id, lab.directory / device.name / "bundle", render,
                                         node_apply, edits)


def lay_network(lab: Lab) -> None:
    """Namespaces for nodes and LANs, a veth per cable, a bridge wherever a switch stands."""
    layout = lab.layout
    names = [n.namespace for n in layout.nodes.values()] + [s.namespace for s in layout.segments]
    lab.teardown.add_namespaces(names)
    netns.create(names)
    netns.lay_cables(layout.cables)
    for namespace, ports in _switch_ports(layout).items():
        netns.build_switch(namespace, ports)
    servers = [dhcp.lan_server(layout.dhcp)] if layout.dhcp is not None else []
    internet = next((seg for seg in layout.segments if seg.network == INTERNET), None)
    if internet is not None:
        servers += [s for s in [dhcp.internet_server(internet.namespace, layout.uplinks)] if s is not None]
    for server in servers:
        lab.teardown.add_daemon(dhcp.start(server, lab.directory))


def _switch_ports(layout: Layout, cables=None) -> dict[str, list[str]]:
    """Namespace of each switch (an unmanaged device or a LAN segment) -> its ports among ``cables``."""
    switches = {n.namespace for n in layout.nodes.values() if not n.managed} | {s.namespace for s in layout.segments}
    ports: dict[str, list[str]] = {namespace: [] for namespace in switches}
    for cable in layout.cables if cables is None else cables:
        for namespace, interface in ((cable.a_namespace, cable.a_interface), (cable.b_namespace, cable.b_interface)):
            if namespace in switches:
                ports[namespace].append(interface)
    return ports


def make_roots(lab: Lab) -> None:
    """Each managed node's own filesystem, as a stock Debian 12 install leaves it, entered once."""
    lab.standins = write_standins(lab.directory)
    env = {}
    if lab.features.stood_in("wireguard"):
        env[wireguard.ENVIRONMENT] = str(wireguard.write_launcher(lab.directory))
    for device_id, files in lab.files.items():
        node = lab.node(device_id)
        lab.roots[device_id] = NodeRoot(node.name, node.namespace, files.bundle.parent, env=dict(env))
    lab.teardown.add_roots(list(lab.roots.values()))
    for root in lab.roots.values():
        root.seed()
    _enter_all(lab)
    # what installing FRR, ifupdown2 and fail2ban leaves enabled on a stock node
    fan_out(lambda root: root.run(["systemctl", "enable", *STOCK_UNITS]), list(lab.roots.values()))
    for device_id, root in lab.roots.items():
        made = services.stand_in_for_logs(root, lab.files[device_id].watched_logs)
        if made:
            lab.stood_in.append(f"{root.name}: {', '.join(made)}")


def _enter_all(lab: Lab) -> None:
    roots = list(lab.roots.values())
    fan_out(lambda root: root.enter(lab.standins, lab.directory / f"{root.name}.log"), roots)
    lab.teardown.add_roots(roots)


def boot_all(lab: Lab) -> None:
    """Every node boots from what is installed on it."""
    devices = list(lab.roots)
    reports = fan_out(lambda d: boot(lab.roots[d]), devices)
    lab.booted = dict(zip(devices, reports, strict=True))


def run_apply(lab: Lab) -> None:
    """Each node's own apply.sh, from its bundle directory, on the node, every node at once."""
    devices = list(lab.roots)

    def apply(device_id: str) -> Outcome:
        return lab.roots[device_id].run([str(lab.files[device_id].apply_script)], timeout=APPLY_TIMEOUT)

    lab.applied = dict(zip(devices, fan_out(apply, devices), strict=True))
    read_filters(lab)


def read_filters(lab: Lab) -> None:
    """Each node's BGP filter as nft lists it in the node's namespace: loaded by the node, not by the lab."""
    nodes = [d for d, files in lab.files.items() if files.bgp_filter]
    lab.filters_refused = nftables.refusal(lab.features) if nodes else ""
    if not lab.filters_refused:
        outcomes = fan_out(lambda d: nftables.list_chain(lab.node(d).namespace), nodes)
        lab.filters = dict(zip(nodes, outcomes, strict=True))


def address_uplinks(lab: Lab) -> None:
    """The mesh members' uplinks on the internet, at the addresses their peers dial: what the cloud gives them."""
    if lab.layout.uplinks:
        netns.address_uplinks(lab.layout.uplinks, {d: n.namespace for d, n in lab.layout.nodes.items()})


def reboot(lab: Lab) -> list[str]:
    """Power every node off and on: its processes stopped, a fresh network namespace with the same cables, an
    empty /run; its disk (what apply.sh installed) kept. Then each boots from its own files."""
    roots = list(lab.roots.values())
    problems = [problem for found in fan_out(lambda root: root.power_off(), roots) for problem in found]
    managed = {root.namespace for root in roots}
    cables = [c for c in lab.layout.cables if c.a_namespace in managed or c.b_namespace in managed]
    # The far ends of the nodes' cables (in switches, LANs, endpoints) go with their pairs now, not when
    # the kernel gets round to freeing a namespace another process may still pin.
    far_ends = {(c.b_namespace, c.b_interface) for c in cables if c.b_namespace not in managed}
    far_ends |= {(c.a_namespace, c.a_interface) for c in cables if c.a_namespace not in managed}
    far_ends |= {(e.namespace, "eth0") for e in lab.layout.endpoints if e.namespace in lab.teardown.namespaces}
    netns.delete_links(far_ends)
    netns.delete(sorted(managed))
    netns.create(sorted(managed))
    netns.lay_cables(cables)
    for namespace, ports in _switch_ports(lab.layout, cables).items():
        netns.attach_to_switch(namespace, ports)
    for root in roots:
        root.clear_run()
    _enter_all(lab)
    address_uplinks(lab)
    boot_all(lab)
    lab.rebooted = True
    read_filters(lab)
    return problems


def plug_endpoints(lab: Lab) -> None:
    """Each endpoint gets its bridge's MTU as the node set it, as a hypervisor does for a VM's NIC."""
    endpoints = lab.layout.endpoints
    vteps = sorted({e.device_id for e in endpoints})
    facts = dict(zip(vteps, fan_out(lambda d: netns.links(lab.node(d).namespace), vteps), strict=True))
    pluggable = []
    lab.unplugged = []
    for endpoint in endpoints:
        bridge = facts[endpoint.device_id].get(endpoint.bridge)
        if bridge is None:
            lab.unplugged.append(endpoint)
            continue
        lab.bridge_mtus[(endpoint.device_id, endpoint.bridge)] = int(bridge["mtu"])
        pluggable.append(endpoint)
    fresh = [e.namespace for e in pluggable if e.namespace not in lab.teardown.namespaces]
    lab.teardown.add_namespaces(fresh)
    netns.create(fresh)
    if pluggable:
        netns.plug_endpoints(pluggable, lab.bridge_mtus, {d: n.namespace for d, n in lab.layout.nodes.items()})
