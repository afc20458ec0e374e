"""Checks on cabling, NICs, bonds, bridges, VLANs and MTUs."""

from __future__ import annotations

import functools
from collections.abc import Iterator

from ..plan.model import LinkPlan
from .findings import Context, Issue, check

SWITCH_ROLES = {"spine", "leaf", "border"}
AGGREGATING_BOND_MODES = {"802.3ad", "balance-xor"}
MULTIHOMED = {"mlag", "evpn-mh"}


def port_label(ctx: Context, device_id: str, interface: str) -> str:
    """How a person names an interface: ``device:interface``."""
    return f"{ctx.name(device_id)}:{interface}"


def _is_switch(ctx: Context, device_id: str) -> bool:
    device = ctx.topo.device(device_id)
    return device.role in SWITCH_ROLES or device.platform == "cumulus"


def _lan_drops(ctx: Context, link: LinkPlan) -> bool:
    """On an L2 cable only the host end sending more than the switch takes loses frames."""
    a_switch, b_switch = _is_switch(ctx, link.a_device), _is_switch(ctx, link.b_device)
    if a_switch == b_switch:
        return True  # both ends send to an equal: whichever is larger overruns the other
    host_mtu, switch_mtu = (link.b_mtu, link.a_mtu) if a_switch else (link.a_mtu, link.b_mtu)
    return (host_mtu or 0) > (switch_mtu or 0)


@check("link-mtu-mismatch", "error", "The two ends of a link have MTUs that drop frames", details=True)
def link_mtu_mismatch(ctx: Context) -> Iterator[Issue]:
    for link in ctx.links():
        if link.a_mtu == link.b_mtu or (link.kind == "lan" and not _lan_drops(ctx, link)):
            continue
        yield Issue(
            f"link {link.id}: {port_label(ctx, link.a_device, link.a_interface)} has MTU {link.a_mtu} but "
            f"{port_label(ctx, link.b_device, link.b_interface)} has {link.b_mtu}; frames above "
            f"{min(link.a_mtu or 0, link.b_mtu or 0)} bytes are dropped",
            (link.id, link.a_device, link.b_device),
            "set the same MTU on both NICs, or set it once on the link")


@check("link-speed-mismatch", "warning", "The two ends of a link have different speeds", details=True)
def link_speed_mismatch(ctx: Context) -> Iterator[Issue]:
    for link in ctx.links():
        if link.a_speed and link.b_speed and link.a_speed != link.b_speed:
            yield Issue(
                f"link {link.id}: {port_label(ctx, link.a_device, link.a_interface)} is {link.a_speed} but "
                f"{port_label(ctx, link.b_device, link.b_interface)} is {link.b_speed}; the link runs at the "
                "lower speed at best, or stays down without a forced speed or a breakout",
                (link.id, link.a_device, link.b_device),
                "cable NICs of the same speed together, or correct the speed in the design")


@check("interface-cabled-twice", "error", "A NIC is at the end of more than one cable")
def interface_cabled_twice(ctx: Context) -> Iterator[Issue]:
    # each link end that found its NIC free became one of the topology's cables: when every end did, none has two
    if sum(len(index.cables) for index in ctx.topo.devices.values()) == 2 * len(ctx.design.links):
        return
    cables: dict[tuple[str, str], list[str]] = {}
    for link in ctx.design.links:
        for end in (link.a, link.b):
            cables.setdefault((end.device, end.interface), []).append(link.id)
    for (device_id, interface), links in cables.items():
        if len(links) > 1:
            yield Issue(f"{port_label(ctx, device_id, interface)} is cabled {len(links)} times: links "
                        f"{', '.join(links)}", (device_id, *links),
                        "a NIC takes one cable: move the extra links to free NICs")


@check("interface-enslaved-twice", "error", "An interface is a member of two bonds or a port of two bridges")
def interface_enslaved_twice(ctx: Context) -> Iterator[Issue]:
    for device_id, index in ctx.topo.devices.items():
        for kind, masters in (("bond", index.device.bonds), ("bridge", index.device.bridges)):
            owners: dict[str, list[str]] = {}
            for master in masters:
                for slave in (master.members if kind == "bond" else master.ports):
                    owners.setdefault(slave, []).append(master.name)
            for slave, names in owners.items():
                if len(names) > 1:
                    yield Issue(f"{port_label(ctx, device_id, slave)} is enslaved to {len(names)} {kind}s "
                                f"({', '.join(names)}); the kernel gives an interface one master",
                                (device_id,), f"keep {slave} in one {kind} and remove it from the others")


@check("bond-member-in-use", "error", "A bond member is also used on its own")
def bond_member_in_use(ctx: Context) -> Iterator[Issue]:
    for device_id, index in ctx.topo.devices.items():
        if not index.bond_of:
            continue
        planned = ctx.plan.devices[device_id]
        for nic, bond in index.bond_of.items():
            uses = []
            if nic in index.bridge_of:
                uses.append(f"a port of bridge {index.bridge_of[nic]}")
            if nic in index.vlans_on:
                uses.append(f"the parent of {', '.join(index.vlans_on[nic])}")
            iface = planned.interface(nic)
            if iface is not None and (iface.addresses or iface.networks):
                uses.append("carries " + ", ".join(iface.addresses or iface.networks))
            cable = index.cables.get(nic)
            if cable is not None and cable.link.kind != "lan":
                uses.append(f"a BGP link ({cable.link.id})")
            if uses:
                yield Issue(f"{port_label(ctx, device_id, nic)} is a member of {bond} and also {'; '.join(uses)}: "
                            "a bond member passes all its traffic to the bond", (device_id,),
                            f"put bridges, VLANs and addresses on {bond} instead of {nic}")


@check("bond-split-without-multihoming", "error",
       "An LACP or XOR bond spans two switches that do not act as one (no MLAG or EVPN multihoming)")
def bond_split_without_multihoming(ctx: Context) -> Iterator[Issue]:
    for device_id, index in ctx.topo.devices.items():
        for bond in index.device.bonds:
            if bond.mode not in AGGREGATING_BOND_MODES:
                continue
            cables = [index.cables[m] for m in bond.members if m in index.cables]
            switches = sorted({c.peer_device for c in cables}, key=ctx.topo.position.__getitem__)
            if len(switches) < 2:
                continue
            racks = {ctx.topo.device(s).rack for s in switches}
            rack = racks.pop() if len(racks) == 1 else None
            if rack is not None and ctx.topo.rack_multihoming.get(rack) in MULTIHOMED:
                continue
            yield Issue(
                f"{port_label(ctx, device_id, bond.name)} ({bond.mode}) has members on "
                f"{', '.join(ctx.name(s) for s in switches)}, which are not an MLAG or EVPN-multihoming "
                "pair: each switch sees half a LAG and traffic is lost",
                (device_id, *switches, *(c.link.id for c in cables)),
                "set multihoming (mlag or evpn-mh) on the switches' rack, cable all members to one "
                "switch, or use mode active-backup")


@check("bond-member-speed-mismatch", "warning", "LACP bond members have different speeds", details=True)
def bond_member_speed_mismatch(ctx: Context) -> Iterator[Issue]:
    for device_id, index in ctx.topo.devices.items():
        if not ctx.checks(device_id):
            continue
        for bond in index.device.bonds:
            speeds = {m: index.nics[m].speed for m in bond.members if index.nics[m].speed}
            if bond.mode == "802.3ad" and len(set(speeds.values())) > 1:
                shown = ", ".join(f"{m} {s}" for m, s in speeds.items())
                yield Issue(f"{port_label(ctx, device_id, bond.name)} aggregates members of different speeds "
                            f"({shown}): LACP only bundles ports of one speed, the others stay idle",
                            (device_id,), "use members of the same speed in an 802.3ad bond")


@check("bond-single-member", "warning", "A bond has one member and no redundancy")
def bond_single_member(ctx: Context) -> Iterator[Issue]:
    for device_id, index in ctx.topo.devices.items():
        for bond in index.device.bonds:
            if len(bond.members) == 1:
                yield Issue(f"{port_label(ctx, device_id, bond.name)} has one member ({bond.members[0]}): "
                            "losing that NIC or its cable takes the bond down", (device_id,),
                            "add a second member, ideally cabled to another switch")


@check("network-mtu-exceeds-interface", "error", "A network's MTU is larger than the interface carrying it",
       details=True)
def network_mtu_exceeds_interface(ctx: Context) -> Iterator[Issue]:
    mtus = {net.id: net.mtu for net in ctx.plan.networks}
    for device_id, device in ctx.plan.devices.items():
        if not ctx.checks(device_id):
            continue
        for iface in device.interfaces:  # a VTEP has a bridge and a VXLAN device per VNI, most carry one network
            if not iface.networks or iface.mtu is None:
                continue
            for network_id in iface.networks:
                if mtus[network_id] > iface.mtu:
                    yield Issue(
                        f"network {network_id} asks for MTU {mtus[network_id]} but "
                        f"{port_label(ctx, device_id, iface.name)} carries it with MTU {iface.mtu} "
                        f"({iface.mtu_reason}): larger frames are dropped",
                        (network_id, device_id),
                        f"raise the MTU of {iface.name} and what is under it, or lower the network's MTU")


@functools.lru_cache(maxsize=256)
def _vid_ranges(vids: str) -> tuple[tuple[int, int], ...]:
    """``bridge-vids`` text such as ``100 200-210`` as (first, last) pairs."""
    return tuple((int(part.split("-")[0]), int(part.split("-")[-1])) for part in vids.split())


def _vlan_attachments(ctx: Context) -> Iterator[tuple[str, int, str, str]]:
    """(network id, VLAN id, device id, interface) for every VLAN network on a named interface."""
    for net, planned in zip(ctx.design.networks, ctx.plan.networks, strict=True):
        if planned.vlan is None:
            continue
        for attachment in net.attach:
            if attachment.interface is not None:
                yield net.id, planned.vlan, attachment.device, attachment.interface


@check("vlan-duplicate", "error", "One VLAN id is used twice on the same trunk")
def vlan_duplicate(ctx: Context) -> Iterator[Issue]:
    for device_id, index in ctx.topo.devices.items():
        seen: dict[tuple[str, int], str] = {}
        for vlan in index.device.vlans:
            first = seen.setdefault((vlan.parent, vlan.vid), vlan.ifname)
            if first != vlan.ifname:
                yield Issue(f"{port_label(ctx, device_id, first)} and {vlan.ifname} are both VLAN {vlan.vid} on "
                            f"{vlan.parent}: the kernel creates one", (device_id,),
                            "remove one of them, or give it another VLAN id")
    trunks: dict[tuple[str, int], list[tuple[str, set[str]]]] = {}
    for network_id, vid, device_id, interface in _vlan_attachments(ctx):
        nics = set(ctx.topo.devices[device_id].physical(interface))
        for other_id, other_nics in trunks.get((device_id, vid), ()):
            if other_id != network_id and nics & other_nics:
                yield Issue(f"networks {other_id} and {network_id} both use VLAN {vid} on {ctx.name(device_id)} "
                            f"over {', '.join(sorted(nics & other_nics))}: their traffic merges",
                            (other_id, network_id, device_id), "give one of the networks another VLAN id")
        trunks.setdefault((device_id, vid), []).append((network_id, nics))


@check("vlan-not-allowed-on-bridge", "error", "A VLAN network is attached to a VLAN-aware bridge that excludes it")
def vlan_not_allowed_on_bridge(ctx: Context) -> Iterator[Issue]:
    for network_id, vid, device_id, interface in _vlan_attachments(ctx):
        bridge = ctx.topo.devices[device_id].bridges.get(interface)
        # without 'vids' the renderer's default range applies, so only a written list can exclude
        if bridge is None or not bridge.vlan_aware or bridge.vids is None:
            continue
        if not any(first <= vid <= last for first, last in _vid_ranges(bridge.vids)):
            yield Issue(f"network {network_id} is VLAN {vid} on {port_label(ctx, device_id, interface)}, whose "
                        f"bridge-vids are {bridge.vids}: the bridge drops its frames",
                        (network_id, device_id), f"add {vid} to the vids of {interface}")


@check("network-vlan-mismatch", "error", "A VLAN network sits on a sub-interface of another VLAN")
def network_vlan_mismatch(ctx: Context) -> Iterator[Issue]:
    for network_id, vid, device_id, interface in _vlan_attachments(ctx):
        index = ctx.topo.devices[device_id]
        under = [interface] if interface in index.vlans else list(getattr(index.bridges.get(interface), "ports", ()))
        tagged = {index.vlans[name].vid: name for name in under if name in index.vlans}
        if tagged and vid not in tagged:
            shown = ", ".join(f"{name} (VLAN {v})" for v, name in tagged.items())
            yield Issue(f"network {network_id} is VLAN {vid} but {port_label(ctx, device_id, interface)} carries "
                        f"{shown}", (network_id, device_id),
                        f"attach the network where VLAN {vid} arrives, or correct its VLAN id")

