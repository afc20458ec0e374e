"""What the lab builds for a plan: a namespace per node, a veth per cable, an endpoint per VNI attachment.

Pure: it decides names and addresses only, so it is the same on every run but for the run id.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import netaddr

from ..addresses import ip_address, ip_network
from ..plan.model import DevicePlan, Plan, VniPlan
from .adapt import BondCarrier
from .process import LabError

PREFIX = "wl-"
# Tenant networks without a subnet get test addresses from the benchmarking range (RFC 2544),
# which no design uses for tenants: one /24 per VNI.
TEST_RANGE = netaddr.IPNetwork("198.18.0.0/15")
# A mesh member the design gives no endpoint sits behind carrier-grade NAT (RFC 6598): it can call out only.
NAT_RANGE = netaddr.IPNetwork("100.64.0.0/10")
INTERNET = "internet"  # the namespace where mesh members' uplinks meet
DHCP = "dhcp"  # the namespace of the LAN where NICs that take their address by DHCP get one
# The DHCP LAN's addresses come from TEST-NET-2 (RFC 5737), which no design uses: the server is .1 and
# says it is the router too, without being asked, as clouds do; leases go from .10 up.
DHCP_SUBNET = netaddr.IPNetwork("198.51.100.0/24")
DEFAULT_MTU = 1500


@dataclass(frozen=True, slots=True)
class Node:
    device_id: str
    name: str
    namespace: str
    managed: bool


@dataclass(frozen=True, slots=True)
class Cable:
    """One veth pair; ``link`` is the plan's link id, or None for a port on a LAN segment."""

    a_namespace: str
    a_interface: str
    a_mtu: int
    b_namespace: str
    b_interface: str
    b_mtu: int
    link: str | None = None
    a_mac: str | None = None  # the a end's MAC when the lab must know it (a DHCP server's static lease)


@dataclass(frozen=True, slots=True)
class Segment:
    """A LAN without cables in the design (a cloud subnet): a bridge in its own namespace."""

    network: str
    namespace: str
    ports: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A VM stand-in on a VTEP's VNI bridge."""

    network: str
    vni: int
    device_id: str
    namespace: str
    bridge: str
    port: str  # its veth end in the node's namespace, enslaved to ``bridge``
    address: str  # with prefix length


@dataclass(frozen=True, slots=True)
class Uplink:
    """A mesh member's NIC to the internet, with the endpoint address its peers' files dial."""

    device_id: str
    interface: str
    address: str  # without prefix length: a host address the internet routes to this NIC
    dhcp: bool = False  # the NIC takes that address by DHCP: the internet's DHCP server leases it to its MAC
    mac: str | None = None


@dataclass(frozen=True, slots=True)
class DhcpLan:
    """The cloud's DHCP for the NICs a design says take their address by DHCP and nothing else cables."""

    namespace: str
    server: str  # with prefix length, on the LAN's switch
    first: str
    last: str


@dataclass(slots=True)
class Layout:
    run_id: str
    nodes: dict[str, Node]
    cables: list[Cable] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    endpoints: list[Endpoint] = field(default_factory=list)
    uplinks: list[Uplink] = field(default_factory=list)
    carriers: list[BondCarrier] = field(default_factory=list)  # bonds stood in for by one member
    offline: list[str] = field(default_factory=list)  # mesh members with no NIC left to put on the internet
    dhcp: DhcpLan | None = None

    def owners(self) -> list[tuple[str, str]]:
        """Each namespace the lab creates, with what it stands for."""
        return ([(n.namespace, f"device {n.name}") for n in self.nodes.values()]
                + [(s.namespace, f"the {s.network} switch") for s in self.segments]
                + [(e.namespace, f"the endpoint of {self.nodes[e.device_id].name} on VNI {e.vni}")
                   for e in self.endpoints])


def namespace_prefix(run_id: str) -> str:
    return f"{PREFIX}{run_id}-"


def lay_out(plan: Plan, run_id: str, *, carriers: list[BondCarrier] = ()) -> Layout:
    """``carriers``: bonds the kernel cannot build, whose carrying member's cable takes the bond's name."""
    prefix = namespace_prefix(run_id)
    nodes = {d.id: Node(d.id, d.name, f"{prefix}{d.name}", d.managed) for d in plan.devices.values()}
    layout = Layout(run_id, nodes, carriers=list(carriers))
    renamed = {(c.device_id, c.member): c.bond for c in carriers}
    for link in plan.links:
        layout.cables.append(Cable(
            nodes[link.a_device].namespace, renamed.get((link.a_device, link.a_interface), link.a_interface),
            link.a_mtu or DEFAULT_MTU,
            nodes[link.b_device].namespace, renamed.get((link.b_device, link.b_interface), link.b_interface),
            link.b_mtu or DEFAULT_MTU, link.id))
    _segments(plan, layout, prefix)
    _internet(plan, layout, prefix)
    _dhcp_lan(plan, layout, prefix)
    planned = _interface_addresses(plan)
    for index, vni in enumerate(plan.vnis):
        _endpoints(plan, layout, vni, endpoint_addresses(vni, index, planned), prefix)
    _refuse_clashes(layout)
    return layout


def _refuse_clashes(layout: Layout) -> None:
    """Two things given one namespace name would make `ip netns add` fail half way through building the lab."""
    owners: dict[str, list[str]] = {}
    for namespace, owner in layout.owners():
        owners.setdefault(namespace, []).append(owner)
    clashes = [f"{namespace} would be both {' and '.join(found)}" for namespace, found in owners.items()
               if len(found) > 1]
    if clashes:
        raise LabError(f"the lab cannot name its namespaces: {'; '.join(clashes)}; rename the device")


def _segments(plan: Plan, layout: Layout, prefix: str) -> None:
    cabled = {(link.a_device, link.a_interface) for link in plan.links}
    cabled |= {(link.b_device, link.b_interface) for link in plan.links}
    for number, network in enumerate(n for n in plan.networks if n.vni is None):
        ports = []
        namespace = f"{prefix}lan{number + 1}"
        for device_id, ifname in network.interfaces.items():
            iface = plan.devices[device_id].interface(ifname)
            if iface is None or iface.kind != "nic" or (device_id, ifname) in cabled:
                continue  # carried over cables or bridges the design already has
            port = f"p{len(ports) + 1}"
            mtu = iface.mtu or DEFAULT_MTU
            layout.cables.append(Cable(layout.nodes[device_id].namespace, ifname, mtu, namespace, port, mtu))
            cabled.add((device_id, ifname))
            ports.append(port)
        if len(ports) > 1:
            layout.segments.append(Segment(network.id, namespace, tuple(ports)))
        elif ports:
            layout.cables.pop()  # a LAN with one member has nobody to talk to


def _internet(plan: Plan, layout: Layout, prefix: str) -> None:
    """Every mesh member's uplink on one bridge, at the endpoint address its peers' files dial."""
    members = sorted({d for mesh in plan.meshes for d in mesh.members}, key=list(plan.devices).index)
    if not members:
        return
    endpoints = mesh_endpoints(plan)
    natted = (NAT_RANGE[n] for n in range(1, NAT_RANGE.size - 1))
    namespace = f"{prefix}{INTERNET}"
    ports = []
    for device_id in members:
        device = plan.devices[device_id]
        iface = _uplink_nic(layout, device)
        if iface is None:
            layout.offline.append(device_id)
            continue
        address = endpoints.get(device_id) or str(next(natted))
        port = f"p{len(ports) + 1}"
        nic = device.interface(iface)
        mtu = nic.mtu or DEFAULT_MTU
        mac = stable_mac(device_id, iface) if nic.dhcp else None
        layout.cables.append(Cable(layout.nodes[device_id].namespace, iface, mtu, namespace, port, mtu, a_mac=mac))
        layout.uplinks.append(Uplink(device_id, iface, address, dhcp=nic.dhcp, mac=mac))
        ports.append(port)
    if ports:
        layout.segments.append(Segment(INTERNET, namespace, tuple(ports)))


def _dhcp_lan(plan: Plan, layout: Layout, prefix: str) -> None:
    """Every uncabled NIC of a managed device that takes its address by DHCP, on one LAN with a DHCP server."""
    namespace = f"{prefix}{DHCP}"
    ports = []
    for device in plan.devices.values():
        if not device.managed:
            continue
        cabled = _cabled(layout, layout.nodes[device.id].namespace)
        for iface in device.interfaces:
            if iface.kind == "nic" and iface.dhcp and iface.name not in cabled:
                port = f"p{len(ports) + 1}"
                mtu = iface.mtu or DEFAULT_MTU
                layout.cables.append(Cable(layout.nodes[device.id].namespace, iface.name, mtu, namespace, port, mtu))
                ports.append(port)
    if ports:
        layout.segments.append(Segment(DHCP, namespace, tuple(ports)))
        layout.dhcp = DhcpLan(namespace, f"{DHCP_SUBNET[1]}/{DHCP_SUBNET.prefixlen}", str(DHCP_SUBNET[10]),
                              str(DHCP_SUBNET[250]))


def _cabled(layout: Layout, namespace: str) -> set[str]:
    return ({c.a_interface for c in layout.cables if c.a_namespace == namespace}
            | {c.b_interface for c in layout.cables if c.b_namespace == namespace})


def stable_mac(device_id: str, interface: str) -> str:
    """A locally administered unicast MAC that is the same on every run and after every reboot."""
    digest = hashlib.sha256(f"{device_id}:{interface}".encode()).digest()
    return ":".join(f"{b:02x}" for b in (0x02, *digest[:5]))


def mesh_endpoints(plan: Plan) -> dict[str, str]:
    """Device -> the endpoint address (no port) its mesh peers dial, as their files give it."""
    found = {}
    for device in plan.devices.values():
        for wg in device.wireguard:
            for peer in wg.peers:
                if peer.endpoint:
                    host = peer.endpoint.rsplit(":", 1)[0].strip("[]")
                    found.setdefault(peer.device, host)
    return found


def _uplink_nic(layout: Layout, device: DevicePlan) -> str | None:
    """The NIC that faces the internet: an uncabled one with the uplink role, else the first uncabled one."""
    cabled = _cabled(layout, layout.nodes[device.id].namespace)
    free = [i for i in device.interfaces if i.kind == "nic" and i.name not in cabled]
    return next((i.name for i in free if i.role == "uplink"), free[0].name if free else None)


def _endpoints(plan: Plan, layout: Layout, vni: VniPlan, addresses: list[str], prefix: str) -> None:
    for device_id, address in zip(vni.vteps, addresses, strict=True):
        device = plan.devices[device_id]
        port = f"epv{vni.vni}"  # at most 11 characters: VNIs have 24 bits
        if device.interface(port) is not None:
            raise LabError(f"{device.name} already has an interface {port}; the lab names its endpoint ports so")
        layout.endpoints.append(Endpoint(
            vni.network, vni.vni, device_id, f"{prefix}{device.name}-v{vni.vni}", vni.bridges[device_id], port,
            address))


def endpoint_addresses(vni: VniPlan, index: int, planned: set[netaddr.IPAddress]) -> list[str]:
    """One free address per VTEP: from the top of the VNI's subnet clear of ``planned``, or from the test range."""
    if vni.subnet is not None and ":" not in vni.subnet:
        subnet = ip_network(vni.subnet)
        taken = {ip_address(a) for a in vni.host_addresses.values()}
        taken |= {ip_address(vni.gateway)} if vni.gateway else set()
        taken |= {ip for ip in planned if ip in subnet}
        free = (ip for ip in (subnet[i] for i in range(subnet.size - 2, 0, -1)) if ip not in taken)
        chosen = [ip for ip, _ in zip(free, vni.vteps, strict=False)]
        if len(chosen) < len(vni.vteps):
            raise LabError(f"VNI {vni.vni}: subnet {vni.subnet} has no free address for a test endpoint "
                           "on every VTEP")
        return [f"{ip}/{subnet.prefixlen}" for ip in chosen]
    if index >= TEST_RANGE.size // 256 or len(vni.vteps) > 253:
        raise LabError(f"VNI {vni.vni}: too many VNIs or VTEPs for the lab's test range {TEST_RANGE}")
    base = TEST_RANGE.first + index * 256
    return [f"{netaddr.IPAddress(base + n + 1)}/24" for n in range(len(vni.vteps))]


def _interface_addresses(plan: Plan) -> set[netaddr.IPAddress]:
    """Every address the plan puts on an interface: a test endpoint must take none of them."""
    return {ip_network(address).ip for device in plan.devices.values() for iface in device.interfaces
            for address in iface.addresses}
