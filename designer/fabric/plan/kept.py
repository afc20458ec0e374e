"""Each device's interfaces from earlier plans of a design, by everything they were planned from.

The canvas plans its working document after every edit, and an edit touches a device or a few: the other
devices' interfaces come out as they did before. ``plan_interfaces`` looks each device up here by its inputs:
the device and the links on it as validated (the same objects while their JSON is unchanged, see
``elements``), its peers' names, the MTU policy, its addresses, and the networks, VNIs, VRFs and routed
networks it carries. Planned interfaces are never changed afterwards, except an egress gateway's (its
gateway moves into FRR), so those are never kept.
"""

from __future__ import annotations

import threading

from ..spec import Design, MtuPolicy
from .addressing import Addressing
from .model import InterfacePlan, NetworkPlan, RoutedPlan, VniPlan, VrfPlan
from .topology import Topology

Interfaces = tuple[list[InterfacePlan], dict[str, InterfacePlan]]


class KeptInterfaces:
    """Planned interfaces by their inputs. Shared by the plans of one process; bounded."""

    def __init__(self, kept: int = 50_000):
        self.kept = kept
        self._entries: dict[tuple, tuple[tuple, Interfaces]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, inputs: tuple[tuple, tuple]) -> Interfaces | None:
        key, objects = inputs
        entry = self._entries.get(key)
        if entry is None or any(kept is not now for kept, now in zip(entry[0], objects, strict=True)):
            return None
        return entry[1]

    def put(self, inputs: tuple[tuple, tuple], interfaces: Interfaces) -> None:
        key, objects = inputs
        with self._lock:
            if len(self._entries) >= self.kept:
                self._entries.clear()
            self._entries[key] = (objects, interfaces)  # the objects stay alive, so their ids stay theirs


class PlanInputs:
    """What every device's interfaces are planned from, read once per plan: the MTU policy, each network's and
    VNI's own fields (a device adds only what it has of its own on them)."""

    def __init__(self, design: Design, networks: list[NetworkPlan]):
        self.mtu = tuple(getattr(design.mtu, name) for name in MtuPolicy.model_fields)
        self.networks = {id(net): (net.id, net.purpose, net.scope, net.mode, net.mtu, net.subnet, net.gateway,
                                   net.anycast_gateway, net.vni) for net in networks}
        self._vnis: dict[int, tuple] = {}

    def vni(self, vni: VniPlan) -> tuple:
        fields = self._vnis.get(id(vni))
        if fields is None:
            fields = self._vnis[id(vni)] = (vni.vni, vni.network, vni.mtu, vni.vrf)
        return fields


def interface_inputs(plan_inputs: PlanInputs, topo: Topology, device_id: str, addressing: Addressing,
                     on_device: dict[str, list[NetworkPlan]], vnis: list[VniPlan], vrfs: list[VrfPlan],
                     routed: list[RoutedPlan], egress_client: bool) -> tuple[tuple, tuple]:
    """(key, objects): everything a device's interfaces are planned from; the objects (the device and its
    links, as validated) are compared by identity, their ids being in the key."""
    networks = plan_inputs.networks
    index = topo.devices[device_id]
    device = index.device
    cables = index.cables.items()
    objects = (device, *(cable.link for _, cable in cables))
    key = (
        device_id, id(device), plan_inputs.mtu,
        tuple((nic, id(cable.link), cable.peer_device, cable.peer_interface, topo.name(cable.peer_device),
               addressing.links.get(cable.link.id)) for nic, cable in cables),
        addressing.loopback_v4.get(device_id), addressing.loopback_v6.get(device_id), addressing.vtep.get(device_id),
        tuple(addressing.bonds.get((device_id, bond.name)) for bond in device.bonds),
        tuple((name, *((networks[id(net)], net.node_subnets.get(device_id), net.host_addresses.get(device_id))
                       for net in nets)) for name, nets in on_device.items()),
        tuple((plan_inputs.vni(vni), vni.bridges[device_id]) for vni in vnis),
        tuple((vrf.id, vrf.name, vrf.table, vrf.l3vni) for vrf in vrfs),
        tuple((r.network, r.interface, r.subnet, r.gateway, r.table, r.table_name, r.priority, r.arp_address)
              for r in routed),
        egress_client,
    )
    return key, objects

