"""Every device's interfaces as its OS will have them (their MTUs decided by ``mtus``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import fields, replace
from operator import attrgetter

from ..addresses import ip_network
from ..spec import Bridge, Design
from .addressing import Addressing
from .kept import KeptInterfaces, PlanInputs, interface_inputs
from .membership import by_device
from .model import InterfacePlan, NetworkPlan, RoutedPlan, VniPlan, VrfPlan
from .mtus import Mtus
from .overlay import tenant_mtu, vni_bridge_name
from .routed import post_up, pre_down
from .topology import DeviceIndex, Topology

# what an interface is for until a network it carries says better (a NIC's role is kept)
GENERIC_PURPOSES = frozenset({"", "bridge", "vlan", "vni", "bond"})

_NAME = attrgetter("name")


def anycast_mac(vni: int) -> str:
    """One MAC per anycast gateway, the same on every VTEP (locally administered)."""
    return f"02:00:5e:{(vni >> 16) & 0xFF:02x}:{(vni >> 8) & 0xFF:02x}:{vni & 0xFF:02x}"


def plan_interfaces(design: Design, topo: Topology, addressing: Addressing, networks: list[NetworkPlan],
                    vnis_by_device: dict[str, list[VniPlan]], vrfs_by_device: dict[str, list[VrfPlan]],
                    routed: dict[str, list[RoutedPlan]], kept: KeptInterfaces | None = None,
                    only: Iterable[str] | None = None,
                    ) -> dict[str, tuple[list[InterfacePlan], dict[str, InterfacePlan]]]:
    """Device -> its interfaces in order, and the same by name. ``kept``: interfaces of earlier plans, reused
    for the devices planned from the same inputs. ``only``: these devices' alone."""
    if only is not None:
        only = list(only)
    attached = _carried_networks(networks, only)
    egress_clients = {client for egress in design.egress for client in egress.clients}
    gateways = egress_gateways(design)  # their interfaces change later
    plan_inputs = PlanInputs(design, networks) if kept is not None else None
    overlay_parts = _OverlayParts(routed, networks)
    several_gateways = _several_default_gateways(networks)
    out = {}
    chosen = topo.devices.items() if only is None else [(device_id, topo.devices[device_id]) for device_id in only]
    for device_id, index in chosen:
        on_device = attached.get(device_id, {})
        inputs = None
        if kept is not None and device_id not in gateways:
            inputs = interface_inputs(plan_inputs, topo, device_id, addressing, on_device,
                                      vnis_by_device.get(device_id, []), vrfs_by_device.get(device_id, []),
                                      routed.get(device_id, []), device_id in egress_clients)
            out[device_id] = kept.get(inputs)
            if out[device_id] is not None:
                continue
        # what the networks on an interface ask for decides the MTU of the device's own interfaces only
        own = on_device.keys() & index.names
        carried = {iface: max(net.mtu for net in on_device[iface]) for iface in own}
        mtus = Mtus(design, index, carried)
        interfaces = [_loopback(device_id, addressing), *_physical(index, mtus, topo, addressing)]
        by_name = {iface.name: iface for iface in interfaces}
        physical = len(interfaces)
        overlay, complete, named = _overlay(design, topo, device_id, vnis_by_device.get(device_id, []),
                                            vrfs_by_device.get(device_id, []), by_name, on_device, overlay_parts)
        interfaces += overlay
        # a VTEP's hundreds by name, from its VNIs' run most often; any order will do when no two names are alike
        named.update(by_name)
        if len(named) == len(interfaces):
            by_name = named
        else:
            by_name.update(zip(map(_NAME, overlay), overlay, strict=True))
        for iface_name in on_device.keys() - complete:
            if iface_name in by_name:
                _apply_networks(overlay_parts.own(iface_name, interfaces, by_name), device_id, on_device[iface_name])
        for network in routed.get(device_id, ()):
            if network.interface in by_name:
                iface = overlay_parts.own(network.interface, interfaces, by_name)
                iface.post_up += post_up(network)
                iface.pre_down += pre_down(network)
        if device_id in several_gateways:
            _single_default_gateway(interfaces)
        _nic_addressing(index, interfaces[:physical], device_id in egress_clients)
        out[device_id] = interfaces, by_name
        if inputs is not None:
            kept.put(inputs, out[device_id])
    return out


class _OverlayParts:
    """The VXLAN devices and bridges of the overlay, each made once per VNI and bridge name.

    A large fabric has every VNI on thousands of VTEPs, and the bridge of a VNI comes out the same on
    each of them unless the device gives it something of its own (an address, a gateway, routing): such
    a bridge is planned once and the same object is every VTEP's (nothing changes an interface without
    a gateway once it is planned). So is a VNI's VXLAN device: its local address is its device's VTEP
    (``DevicePlan.vtep``). Planning changes no shared interface: one a device changes is made its own first
    (``own``).
    """

    def __init__(self, routed: dict[str, list[RoutedPlan]], networks: list[NetworkPlan]):
        self.routed = {device_id: {r.interface for r in plans} for device_id, plans in routed.items()}
        self.networks = networks
        self.names_used: dict[str, list[str]] | None = None  # interface name -> the networks on it, anywhere
        self.alone: dict[tuple[int, str], bool] = {}
        self.bridges: dict[tuple, InterfacePlan] = {}
        self.vxlans: dict[tuple, InterfacePlan] = {}
        self.entries: dict[tuple[int, str], _VniOnBridge] = {}
        self.shared: dict[int, InterfacePlan] = {}  # by id: what is shared, kept alive with its id
        self.runs: dict[int, _VniRun] = {}  # by the id of a list of VNIs (``membership.by_device`` shares equal ones)

    def share(self, iface: InterfacePlan) -> InterfacePlan:
        self.shared[id(iface)] = iface
        return iface

    def own(self, name: str, interfaces: list[InterfacePlan], by_name: dict[str, InterfacePlan]) -> InterfacePlan:
        """The device's interface ``name``, its own copy when it was shared, for the device to change."""
        iface = by_name[name]
        if id(iface) in self.shared:
            copy = replace(iface, **{field: list(getattr(iface, field)) for field in _LIST_FIELDS})
            interfaces[next(i for i, other in enumerate(interfaces) if other is iface)] = by_name[name] = copy
            return copy
        return iface

    def vxlan(self, vni: int, bridge: str, mtu: int, purpose: str) -> InterfacePlan:
        key = (vni, bridge, mtu, purpose)
        vxlan = self.vxlans.get(key)
        if vxlan is None:
            vxlan = self.vxlans[key] = self.share(_vxlan(vni, bridge, mtu, purpose))
        return vxlan

    def vni_interfaces(self, device_id: str, vnis: list[VniPlan], existing: dict[str, InterfacePlan],
                       vrf_names: dict[str, str], on_device: dict[str, list[NetworkPlan]],
                       complete: set[str]) -> tuple[list[InterfacePlan], dict[str, InterfacePlan] | None]:
        """Each VNI's VXLAN device and the bridge it hangs on, and the same by name when they are a run's (``_VniRun``);
        the bridges that need nothing more go in ``complete``.

        A fabric has as many of these as VTEPs times VNIs, most of them alike: a VTEP whose VNIs all come out as
        an earlier VTEP's with the same VNIs did (``_VniRun``) gets that one's interfaces.
        """
        run = self.runs.get(id(vnis))
        if run is not None and run.vnis is vnis and run.fits(device_id, existing, self.routed.get(device_id)):
            complete.update(run.names)
            return run.interfaces, run.by_name
        out = self._vni_interfaces(device_id, vnis, existing, vrf_names, on_device, complete)
        if run is None and vnis:
            run = _VniRun(self, device_id, vnis, out)
            if run.fits(device_id, existing, self.routed.get(device_id)):
                self.runs[id(vnis)] = run
        return out, None

    def alone_on(self, vni: VniPlan, name: str) -> bool:
        """Whether ``name`` is the bridge of ``vni`` on all its VTEPs, and no other network's anywhere."""
        if self.names_used is None:
            self.names_used = {}
            for network in self.networks:
                for used in set(network.interfaces.values()):
                    self.names_used.setdefault(used, []).append(network.id)
        key = (id(vni), name)
        if key not in self.alone:
            self.alone[key] = self.names_used.get(name) == [vni.network] and set(vni.bridges.values()) == {name}
        return self.alone[key]

    def _vni_interfaces(self, device_id: str, vnis: list[VniPlan], existing: dict[str, InterfacePlan],
                        vrf_names: dict[str, str], on_device: dict[str, list[NetworkPlan]],
                        complete: set[str]) -> list[InterfacePlan]:
        out: list[InterfacePlan] = []
        append, entries = out.append, self.entries
        routed_here = self.routed.get(device_id, ())
        for vni in vnis:
            name = vni.bridges[device_id]
            entry = entries.get((id(vni), name))
            if entry is None:
                entry = entries[(id(vni), name)] = _VniOnBridge(self, vni, name, vrf_names, on_device.get(name))
            append(entry.vxlan)
            bridge = existing.get(name)
            if bridge is not None:  # the design put the VNI on a bridge it already has
                bridge.ports.append(entry.vxlan.name)
                continue
            carried = on_device.get(name)
            if (entry.shared is not None and carried is not None and len(carried) == 1
                    and carried[0].id == vni.network and device_id not in entry.own_addresses
                    and name not in routed_here):
                bridge = entry.shared  # the usual case, kept short: the bridge carries its own network alone
            else:
                bridge = self.bridge(device_id, name, (vni.network, entry.vrf), carried,
                                     lambda vni=vni, name=name, vrf=entry.vrf: _vni_bridge(vni, name, vrf))
            if bridge is None:
                bridge = _vni_bridge(vni, name, entry.vrf)
            else:
                complete.add(name)
            append(bridge)
        return out

    def bridge(self, device_id: str, name: str, key: tuple, carried: list[NetworkPlan] | None,
               make: Callable[[], InterfacePlan]) -> InterfacePlan | None:
        """The shared bridge ``name`` that ``make()`` plans, ``key`` saying what it is made from, with the
        networks it carries applied; None when the bridge on ``device_id`` is its own."""
        if name in self.routed.get(device_id, ()):
            return None
        if carried is not None:
            if not all(_same_on_every_device(device_id, net) for net in carried):
                return None
            key = (*key, *(net.id for net in carried))
        key = (name, *key)
        bridge = self.bridges.get(key)
        if bridge is None:
            bridge = self.bridges[key] = self.share(make())
            _apply_networks(bridge, device_id, carried or [])
        return bridge


class _VniRun:
    """A list of VNIs as one VTEP has them, each on its shared bridge: the interfaces of every other VTEP with the
    same list, when each VNI has one bridge name on all its VTEPs and no other network on that bridge, and the
    VTEP has nothing of its own there (an address, routing, a bridge of that name)."""

    __slots__ = ("addressed", "by_name", "interfaces", "names", "vnis")

    def __init__(self, parts: _OverlayParts, device_id: str, vnis: list[VniPlan], interfaces: list[InterfacePlan]):
        self.vnis = vnis  # kept alive: its id stays its own
        names = [vni.bridges[device_id] for vni in vnis]
        self.names = frozenset(names)
        self.interfaces = interfaces
        self.by_name = {iface.name: iface for iface in interfaces}
        entries = [parts.entries[(id(vni), name)] for vni, name in zip(vnis, names, strict=True)]
        alike = ([x for entry in entries for x in (entry.vxlan, entry.shared)] == interfaces
                 and all(parts.alone_on(vni, name) for vni, name in zip(vnis, names, strict=True)))
        # a VTEP the VNIs' networks give an address of its own has bridges of its own
        self.addressed = {d for entry in entries for d in entry.own_addresses} if alike else None

    def fits(self, device_id: str, existing: dict[str, InterfacePlan], routed: set[str] | None) -> bool:
        """Whether ``device_id`` (a VTEP of these VNIs) gets these interfaces."""
        return (self.addressed is not None and device_id not in self.addressed and not routed
                and self.names.isdisjoint(existing))


class _VniOnBridge:
    """A VNI on a bridge of a given name, as every VTEP that has it there starts from: its VXLAN device, its VRF's
    name, and the bridge shared by the VTEPs its network gives nothing of their own (when one may be)."""

    __slots__ = ("own_addresses", "shared", "vrf", "vxlan")

    def __init__(self, parts: _OverlayParts, vni: VniPlan, name: str, vrf_names: dict[str, str],
                 carried: list[NetworkPlan] | None):
        self.vxlan = parts.vxlan(vni.vni, name, vni.mtu, "vni")
        self.vrf = vrf_names[vni.vrf] if vni.vrf is not None else None
        self.shared: InterfacePlan | None = None
        self.own_addresses: dict[str, str] = {}
        network = carried[0] if carried is not None and len(carried) == 1 and carried[0].id == vni.network else None
        if network is not None and network.scope != "node" and (network.gateway is None or network.anycast_gateway):
            self.own_addresses = network.host_addresses
            key = (name, vni.network, self.vrf, vni.network)
            self.shared = parts.bridges.get(key)
            if self.shared is None:
                self.shared = parts.bridges[key] = parts.share(_vni_bridge(vni, name, self.vrf))
                _apply_networks(self.shared, "", [network])


def _same_on_every_device(device_id: str, net: NetworkPlan) -> bool:
    """Whether ``net`` gives what carries it on ``device_id`` nothing of the device's own."""
    return (net.scope != "node" and net.host_addresses.get(device_id) is None
            and (net.gateway is None or net.anycast_gateway))


_LIST_FIELDS = tuple(item.name for item in fields(InterfacePlan) if item.default_factory is list)


def _overlay(design: Design, topo: Topology, device_id: str, vnis: list[VniPlan], vrfs: list[VrfPlan],
             existing: dict[str, InterfacePlan], on_device: dict[str, list[NetworkPlan]],
             parts: _OverlayParts) -> tuple[list[InterfacePlan], set[str], dict[str, InterfacePlan]]:
    """A VTEP's VRF devices, VXLAN devices and the bridges they hang on, the bridges already complete, and the
    interfaces by name (in no order to rely on where two names are alike)."""
    out = [InterfacePlan(name=vrf.name, kind="vrf", table=vrf.table, purpose="vrf") for vrf in vrfs]
    complete: set[str] = set()
    run, run_by_name = parts.vni_interfaces(device_id, vnis, existing, {vrf.id: vrf.name for vrf in vrfs}, on_device,
                                            complete)
    named = dict(run_by_name) if run_by_name is not None else dict(zip(map(_NAME, run), run, strict=True))
    named.update(zip(map(_NAME, out), out, strict=True))
    out += run
    first_extra = len(out)
    for vrf in vrfs:
        if vrf.l3vni is not None:
            name = vni_bridge_name(design, topo, device_id, vrf.l3vni, None)
            mtu = tenant_mtu(design)
            out.append(parts.vxlan(vrf.l3vni, name, mtu, "l3vni"))
            def make(name: str = name, mtu: int = mtu, vrf: VrfPlan = vrf) -> InterfacePlan:
                return InterfacePlan(name=name, kind="bridge", ports=[f"vxlan{vrf.l3vni}"], mtu=mtu,
                                     mtu_reason="tenant MTU", vrf=vrf.name, purpose="l3vni", vni=vrf.l3vni)

            bridge = parts.bridge(device_id, name, ("l3vni", vrf.id), on_device.get(name), make)
            if bridge is None:
                bridge = make()
            else:
                complete.add(name)
            out.append(bridge)
    named.update(zip(map(_NAME, out[first_extra:]), out[first_extra:], strict=True))
    return out, complete, named


def egress_gateways(design: Design) -> set[str]:
    """The egress gateways: planning host services changes their interfaces and BGP after the rest."""
    return {gateway for egress in design.egress for gateway in egress.gateways}


def _carried_networks(networks: list[NetworkPlan], only: list[str] | None = None,
                      ) -> dict[str, dict[str, list[NetworkPlan]]]:
    """device -> interface -> the networks that interface carries (on the devices ``only`` names, or all).

    Devices with the same networks, each on one interface name wherever it is, share one mapping: never change one.
    """
    out: dict[str, dict[str, list[NetworkPlan]]] = {}
    if only is not None:
        for planned in networks:
            for device_id in only:
                if device_id in planned.interfaces:
                    out.setdefault(device_id, {}).setdefault(planned.interfaces[device_id], []).append(planned)
        return out
    # a network on the same interface name on every device it is on: most VNIs, with one platform
    uniform = {id(planned): names.pop() for planned in networks
               if len(names := set(planned.interfaces.values())) == 1}
    shared: dict[int, dict[str, list[NetworkPlan]]] = {}  # by the id of a list of networks
    for device_id, nets in by_device(networks, lambda planned: planned.interfaces).items():
        carried = shared.get(id(nets))
        if carried is None:
            alike = all(id(planned) in uniform for planned in nets)
            carried = {}
            for planned in nets:
                iface = uniform[id(planned)] if alike else planned.interfaces[device_id]
                carried.setdefault(iface, []).append(planned)
            if alike:
                shared[id(nets)] = carried
        out[device_id] = carried
    return out


def _loopback(device_id: str, addressing: Addressing) -> InterfacePlan:
    return InterfacePlan(name="lo", kind="loopback", addresses=addressing.loopback_prefixes(device_id),
                         purpose="loopback")


def _physical(index: DeviceIndex, mtus: Mtus, topo: Topology, addressing: Addressing) -> list[InterfacePlan]:
    out = []
    names, cables, bond_of, bridge_of = topo.names, index.cables, index.bond_of, index.bridge_of
    for nic in index.device.nics:
        # a fabric has tens of thousands of NICs, and keywords cost a dict each, made and matched to 36 fields
        iface = InterfacePlan(nic.name, "nic")
        iface.mtu, iface.mtu_reason = mtus.nic(nic)
        iface.speed, iface.role, iface.purpose = nic.speed, nic.role, nic.role or ""
        iface.master = bond_of.get(nic.name) or bridge_of.get(nic.name)
        cable = cables.get(nic.name)
        if cable is not None:
            link = cable.link
            iface.link = link.id
            iface.peer = f"{names[cable.peer_device]}:{cable.peer_interface}"
            iface.unnumbered = link.kind == "unnumbered"
            if link.kind == "numbered":
                _, a_addr, b_addr = addressing.links[link.id]
                mine = a_addr if (link.a.device, link.a.interface) == (index.device.id, nic.name) else b_addr
                iface.addresses.append(f"{mine}/31")
        out.append(iface)
    for bond in index.device.bonds:
        mtu, reason = mtus.of(bond.name)
        iface = InterfacePlan(
            name=bond.name, kind="bond", mtu=mtu, mtu_reason=reason, bond_mode=bond.mode,
            members=list(bond.members), primary=bond.primary, xmit_hash_policy=bond.xmit_hash_policy,
            lacp_rate=bond.lacp_rate, miimon=bond.miimon, master=index.bridge_of.get(bond.name),
            purpose="bond")
        if bond.bgp is not None:
            iface.peer = ", ".join(f"{topo.name(peer)}:{port}" for peer, port in index.bond_peers(bond))
            iface.unnumbered = bond.bgp == "unnumbered"
            numbered = addressing.bonds.get((index.device.id, bond.name))
            if numbered is not None:
                subnet, addresses = numbered
                iface.addresses.append(f"{addresses[0]}/{ip_network(subnet).prefixlen}")
        out.append(iface)
    for vlan in index.device.vlans:
        mtu, reason = mtus.of(vlan.ifname)
        out.append(InterfacePlan(name=vlan.ifname, kind="vlan", mtu=mtu, mtu_reason=reason, parent=vlan.parent,
                                 vid=vlan.vid, master=index.bridge_of.get(vlan.ifname), purpose="vlan"))
    for bridge in index.device.bridges:
        mtu, reason = mtus.of(bridge.name)
        out.append(InterfacePlan(name=bridge.name, kind="bridge", mtu=mtu, mtu_reason=reason,
                                 ports=list(bridge.ports), vlan_aware=bridge.vlan_aware, vids=bridge.vids,
                                 stp=bridge.stp, purpose="bridge", managed_by=_bridge_manager(index, bridge)))
    return out


def _bridge_manager(index: DeviceIndex, bridge: Bridge) -> str:
    """LXD creates the port-less bridges of an LXD host (lxdbr0) and runs their DHCP and NAT itself."""
    if bridge.managed_by is not None:
        return bridge.managed_by
    return "lxd" if index.device.platform == "lxd" and not bridge.ports else "ifupdown2"


def _vxlan(vni: int, bridge: str, mtu: int, purpose: str) -> InterfacePlan:
    return InterfacePlan(name=f"vxlan{vni}", kind="vxlan", vni=vni, master=bridge, mtu=mtu, mtu_reason="tenant MTU",
                         purpose=purpose)


def _vni_bridge(vni: VniPlan, name: str, vrf: str | None) -> InterfacePlan:
    return InterfacePlan(name=name, kind="bridge", ports=[f"vxlan{vni.vni}"], mtu=vni.mtu, mtu_reason="tenant MTU",
                         purpose="vni", vni=vni.vni, vrf=vrf)


def _apply_networks(iface: InterfacePlan, device_id: str, nets: list[NetworkPlan]) -> None:
    for net in nets:
        iface.networks.append(net.id)
        if net.purpose != "tenant" and iface.purpose in GENERIC_PURPOSES:
            iface.purpose = net.purpose
        if net.scope == "node":
            subnet = ip_network(net.node_subnets[device_id])
            iface.addresses.append(f"{subnet[1]}/{subnet.prefixlen}")
            continue
        length = int(net.subnet.rsplit("/", 1)[1]) if net.subnet else None
        address = net.host_addresses.get(device_id)
        if address is not None and length is not None and net.mode != "routed":
            iface.addresses.append(f"{address}/{length}")
        if net.anycast_gateway and net.gateway is not None:
            iface.addresses.append(f"{net.gateway}/{length}")
            iface.hwaddress = anycast_mac(net.vni)
        elif _gives_default_gateway(net):
            iface.gateway = net.gateway


def _gives_default_gateway(net: NetworkPlan) -> bool:
    """Whether ``net`` gives the interface carrying it the device's default gateway (a management network's)."""
    return net.gateway is not None and not net.anycast_gateway and net.purpose == "management" and net.mode != "routed"


def _several_default_gateways(networks: list[NetworkPlan]) -> set[str]:
    """The devices two or more networks give a default gateway: only theirs have one to drop (a VTEP has
    hundreds of interfaces, and the networks giving one are few)."""
    found = Counter(device_id for net in networks if _gives_default_gateway(net) for device_id in net.interfaces)
    return {device_id for device_id, count in found.items() if count > 1}


def _single_default_gateway(interfaces: list[InterfacePlan]) -> None:
    seen = False
    for iface in interfaces:
        if iface.gateway is not None:
            if seen:
                iface.gateway = None
            seen = True


def _nic_addressing(index: DeviceIndex, interfaces: list[InterfacePlan], egress_client: bool) -> None:
    """Where each stand-alone NIC's address comes from when no network gives it one.

    DHCP where the design says so (a management NIC the design gives no address does by default),
    with the server's default route unless the node is an egress client; any other NIC keeps what it
    has, since ifupdown2 would otherwise remove addresses the file does not list.
    """
    for iface in interfaces:
        if iface.kind != "nic" or iface.master is not None:
            continue
        nic = index.nics[iface.name]
        unplanned = not iface.addresses and not iface.networks
        iface.dhcp = nic.dhcp if nic.dhcp is not None else (iface.role == "management" and unplanned)
        if iface.dhcp:
            iface.dhcp_default_route = (nic.dhcp_default_route if nic.dhcp_default_route is not None
                                        else not egress_client)
        iface.keeps_addresses = unplanned and not iface.dhcp and not iface.unnumbered
