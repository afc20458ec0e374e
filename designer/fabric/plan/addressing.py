"""Addresses: loopbacks and router-ids, VTEPs, /31s on numbered links, subnets and host addresses."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

from ..addresses import ip_network
from ..errors import DesignError, Problem
from ..spec import Design, Network
from .pools import AddressPool, Allocator, Request, by_device
from .topology import Topology

DEFAULT_SUBNET_LENGTH = 24
PURPOSE_POOL = {"management": "management_v4", "cluster": "cluster_v4", "storage": "storage_v4",
                "tenant": "tenant_v4"}


@dataclass(slots=True)
class Addressing:
    """Every address and subnet the planner handed out, by what it was handed to."""

    loopback_v4: dict[str, str] = field(default_factory=dict)
    loopback_v6: dict[str, str] = field(default_factory=dict)
    vtep: dict[str, str] = field(default_factory=dict)
    links: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # id -> subnet, a, b
    # (device, bond) -> subnet and its addresses: the bond's first, then each router it peers with
    bonds: dict[tuple[str, str], tuple[str, list[str]]] = field(default_factory=dict)
    subnets: dict[str, str] = field(default_factory=dict)  # network id -> subnet (fabric scope)
    node_subnets: dict[str, dict[str, str]] = field(default_factory=dict)  # network -> device -> subnet
    hosts: dict[str, dict[str, str]] = field(default_factory=dict)  # network -> device -> address
    gateways: dict[str, str] = field(default_factory=dict)  # network id -> gateway address

    def loopback_prefixes(self, device_id: str) -> list[str]:
        """What a device's loopback holds: its address, its VTEP when that differs, its IPv6 address."""
        out = []
        loopback = self.loopback_v4.get(device_id)
        if loopback is not None:
            out.append(f"{loopback}/32")
        vtep = self.vtep.get(device_id)
        if vtep is not None and vtep != loopback:
            out.append(f"{vtep}/32")
        if device_id in self.loopback_v6:
            out.append(f"{self.loopback_v6[device_id]}/128")
        return out


class SubnetSpace:
    """One pool prefix handing out subnets of varying lengths that never overlap."""

    def __init__(self, name: str, prefix: str):
        self.name = name
        self.net = ip_network(prefix)
        # the used space as disjoint ranges, sorted, so a lookup is two bisections however much is taken
        self._firsts: list[int] = []
        self._lasts: list[int] = []

    def view(self, length: int) -> _SubnetView:
        return _SubnetView(self, length)

    def overlaps(self, first: int, last: int) -> bool:
        below = bisect_right(self._firsts, last) - 1  # the last range starting at or before ``last``
        return below >= 0 and self._lasts[below] >= first

    def take(self, first: int, last: int) -> None:
        """Mark ``first..last`` used, merging it with the ranges it overlaps."""
        start, end = bisect_left(self._lasts, first), bisect_right(self._firsts, last)
        if start < end:
            first, last = min(first, self._firsts[start]), max(last, self._lasts[end - 1])
        self._firsts[start:end] = [first]
        self._lasts[start:end] = [last]


class _SubnetView(AddressPool):
    """An ``AddressPool`` of one subnet length whose used space is shared with its siblings."""

    def __init__(self, space: SubnetSpace, length: int):
        super().__init__(space.name, str(space.net.cidr), length=length)
        self.space = space

    def take(self, value: int) -> bool:
        last = value + self.step - 1
        if not self.contains(value) or self.space.overlaps(value, last):
            return False
        self.space.take(value, last)
        return True


def plan_addressing(design: Design, topo: Topology, routed: list[str], vteps: list[str],
                    alloc: Allocator) -> Addressing:
    """``routed`` devices get loopbacks and router-ids; ``vteps`` also get a VTEP address."""
    out = Addressing()
    pools = design.pools
    def requests(attr: str) -> list[Request]:
        return [Request(d, f"devices[{topo.position[d]}].{attr}", getattr(topo.device(d), attr)) for d in routed]

    out.loopback_v4 = alloc.assign("loopback_v4", AddressPool("loopback_v4", pools.loopback_v4),
                                   requests("loopback_v4"), pool_path="pools.loopback_v4")
    if pools.loopback_v6 is not None:
        out.loopback_v6 = alloc.assign("loopback_v6", AddressPool("loopback_v6", pools.loopback_v6),
                                       requests("loopback_v6"), pool_path="pools.loopback_v6")
    if pools.vtep_v4 is not None and vteps and not any(mesh.vxlan for mesh in design.wireguard):
        # with VXLAN over WireGuard the VTEP pool belongs to the mesh; EVPN VTEPs use loopbacks
        vtep_requests = [Request(d, f"devices[{topo.position[d]}]", None) for d in vteps]
        out.vtep = alloc.assign("vtep_v4", AddressPool("vtep_v4", pools.vtep_v4), vtep_requests,
                                pool_path="pools.vtep_v4")
    else:
        out.vtep = {d: out.loopback_v4[d] for d in vteps if d in out.loopback_v4}

    p2p_space = SubnetSpace("p2p_v4", pools.p2p_v4)  # /31s for links, larger ones for bonds, never overlapping
    numbered = [(i, link) for i, link in enumerate(design.links) if link.kind == "numbered"]
    if numbered:
        p2p = alloc.assign("p2p_v4", p2p_space.view(31),
                           [Request(link.id, f"links[{i}]") for i, link in numbered], pool_path="pools.p2p_v4")
        for _, link in numbered:
            subnet = ip_network(p2p[link.id])
            out.links[link.id] = (str(subnet.cidr), str(subnet[0]), str(subnet[1]))
    for device_id, bond in topo.bgp_bonds:
        peers = topo.devices[device_id].bond_peers(bond)
        if bond.bgp != "numbered" or not peers:
            continue
        length = 32 - (len(peers) + 2).bit_length()  # the bond, each peer, network and broadcast
        key = f"{device_id}:{bond.name}"
        drawn = alloc.assign("p2p_v4", p2p_space.view(length),
                             [Request(key, f"devices[{topo.position[device_id]}].bonds")],
                             pool_path="pools.p2p_v4")
        subnet = ip_network(drawn[key])
        out.bonds[(device_id, bond.name)] = (str(subnet.cidr), [str(subnet[i + 1]) for i in range(len(peers) + 1)])

    _plan_network_addresses(design, out, alloc)
    return out


def _plan_network_addresses(design: Design, out: Addressing, alloc: Allocator) -> None:
    spaces: dict[str, SubnetSpace] = {}
    written = [ip_network(net.subnet) for net in design.networks if net.subnet]

    def space(pool_field: str) -> SubnetSpace | None:
        prefix = getattr(design.pools, pool_field)
        if prefix is None:
            return None
        if pool_field not in spaces:
            spaces[pool_field] = SubnetSpace(pool_field, prefix)
            # subnets written into the document are taken first so nothing drawn overlaps them
            for sub in written:
                if sub in spaces[pool_field].net:
                    spaces[pool_field].take(sub.first, sub.last)
        return spaces[pool_field]

    for index, net in enumerate(design.networks):
        path = f"networks[{index}]"
        length = net.prefix_length or DEFAULT_SUBNET_LENGTH
        pool_field = PURPOSE_POOL.get(net.purpose)
        if net.scope == "node":
            source = space("tenant_v4")
            if source is None:
                raise DesignError(Problem(f"{path}.scope", f"network {net.name} gives each device its own "
                                          "subnet, but there is no pool to draw them from",
                                          "set pools.tenant_v4"))
            requests = [Request(f"{net.id}@{a.device}", f"{path}.attach[{i}]") for i, a in enumerate(net.attach)]
            drawn = alloc.assign("subnet", source.view(length), requests, pool_path="pools.tenant_v4")
            out.node_subnets[net.id] = {a.device: drawn[f"{net.id}@{a.device}"] for a in net.attach}
            continue
        subnet = net.subnet
        if subnet is None and _needs_subnet(net):
            source = space(pool_field) if pool_field else None
            if source is None:
                hint = f"set {path}.subnet" + (f" or pools.{pool_field}" if pool_field else "")
                raise DesignError(Problem(f"{path}.subnet", f"network {net.name} needs a subnet for its "
                                          "addresses and none is given", hint))
            subnet = alloc.assign("subnet", source.view(length), [Request(net.id, f"{path}.subnet")],
                                  pool_path=f"pools.{pool_field}")[net.id]
        if subnet is None:
            continue
        out.subnets[net.id] = subnet
        _plan_hosts(net, path, subnet, out, alloc)


def _needs_subnet(net: Network) -> bool:
    wants_hosts = net.wants_host_addresses and bool(net.attach)
    return wants_hosts or net.anycast_gateway or net.pins_addresses


def _plan_hosts(net: Network, path: str, subnet: str, out: Addressing, alloc: Allocator) -> None:
    pool = AddressPool(f"{net.name} hosts", subnet)
    requests: list[Request] = []
    if net.gateway is not None or net.anycast_gateway:
        requests.append(Request(f"{net.id}@gateway", f"{path}.gateway", net.gateway))
    wanted = net.wants_host_addresses
    for i, attachment in enumerate(net.attach if wanted or net.pins_addresses else ()):
        if wanted or attachment.address is not None:
            requests.append(Request(f"{net.id}@{attachment.device}", f"{path}.attach[{i}]", attachment.address))
    drawn: dict[str, Any] = alloc.assign("host", pool, requests, pool_path=f"{path}.subnet",
                                         hint=f"use a larger {path}.subnet")
    if f"{net.id}@gateway" in drawn:
        out.gateways[net.id] = drawn.pop(f"{net.id}@gateway")
    out.hosts[net.id] = by_device(drawn)
