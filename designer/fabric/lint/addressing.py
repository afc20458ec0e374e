"""Checks on pools, subnets, addresses and gateways."""

from __future__ import annotations

from collections.abc import Iterator

from ..addresses import ip_address, ip_network
from ..plan.model import NetworkPlan
from .findings import Context, Issue, check
from .physical import SWITCH_ROLES

V4_POOLS = ("loopback_v4", "vtep_v4", "p2p_v4", "management_v4", "cluster_v4", "storage_v4", "tenant_v4",
            "wireguard_v4")
V6_POOLS = ("loopback_v6", "wireguard_v6")


def _address_owners(ctx: Context) -> dict[tuple[str | None, str], dict[str, str]]:
    """(VRF, address) -> {owning element: what the address is there}."""
    owners: dict[tuple[str | None, str], dict[str, str]] = {}

    def own(vrf: str | None, address: str | None, element: str, what: str) -> None:
        if address is not None:
            owners.setdefault((vrf, address), {}).setdefault(element, what)

    for device in ctx.plan.devices.values():
        own(None, device.loopback_v4, device.id, f"the loopback of {device.name}")
        own(None, device.loopback_v6, device.id, f"the loopback of {device.name}")
        own(None, device.vtep, device.id, f"the VTEP of {device.name}")
        for wg in device.wireguard:
            for address in (*wg.addresses, *wg.vxlan_addresses):
                ip = address.split("/")[0]
                if not ip.startswith("fe80:"):  # mirrors the IPv4 VTEP, unique when that is
                    own(None, ip, device.id, f"{device.name} on {wg.interface}")
    for link in ctx.plan.links:
        for device_id, address in ((link.a_device, link.a_address), (link.b_device, link.b_address)):
            if address is not None:  # the ends of an unnumbered link, most of a fabric's, have none to describe
                own(None, address, device_id, f"{ctx.name(device_id)} on link {link.id}")
    for net in ctx.plan.networks:
        for device_id, address in net.host_addresses.items():
            own(net.vrf, address, device_id, f"{ctx.name(device_id)} on network {net.id}")
        if not net.anycast_gateway:  # an anycast gateway is the same address on every VTEP by design
            own(net.vrf, net.gateway, net.id, f"the gateway of network {net.id}")
    return owners


@check("allocation-moved", "info", "A value the allocation record kept no longer fits its pool and is drawn anew")
def allocation_moved(ctx: Context) -> Iterator[Issue]:
    for note in ctx.plan.notes:
        yield Issue(note, (), "a pool changed under an existing allocation")


@check("address-duplicate", "error", "One address is given to two elements")
def address_duplicate(ctx: Context) -> Iterator[Issue]:
    for (_vrf, address), owners in _address_owners(ctx).items():
        if len(owners) > 1:
            yield Issue(f"{address} is {' and '.join(owners.values())}", tuple(owners),
                        "pin another address on one of them, or drop the pin and let the plan choose")


@check("pool-overlap", "warning", "Two address pools overlap")
def pool_overlap(ctx: Context) -> Iterator[Issue]:
    pools = ctx.design.pools
    unused = set()
    if not any(link.kind == "numbered" for link in ctx.design.links):
        unused.add("p2p_v4")
    if not any(device.loopback_v4 for device in ctx.plan.devices.values()):
        unused.add("loopback_v4")
    for names in (V4_POOLS, V6_POOLS):
        given = [(name, ip_network(getattr(pools, name))) for name in names
                 if getattr(pools, name) is not None and name not in unused]
        for i, (name, prefix) in enumerate(given):
            for other, other_prefix in given[i + 1:]:
                if prefix.first <= other_prefix.last and other_prefix.first <= prefix.last:
                    yield Issue(f"pools.{name} ({prefix}) and pools.{other} ({other_prefix}) overlap: each hands "
                                "out addresses without knowing the other, so the same address can be given twice",
                                (), f"move pools.{other} to space of its own")


def _routed_by_fabric(net: NetworkPlan) -> bool:
    """Whether the fabric's own devices hold addresses on the network, so it is in their routing tables.

    Tenant subnets only VMs use may repeat on separate VLANs: nothing of ours routes between them.
    """
    return bool(net.host_addresses or net.node_subnets) or net.anycast_gateway or net.mode == "routed"


@check("subnet-overlap", "error", "Two subnets in one routing table overlap")
def subnet_overlap(ctx: Context) -> Iterator[Issue]:
    spans: list[tuple[str, int, int, int, str, str]] = []  # vrf, version, first, last, element, label
    for net in ctx.plan.networks:
        if not _routed_by_fabric(net):
            continue
        subnets = [(net.subnet, f"network {net.id}")] if net.subnet else []
        subnets += [(subnet, f"network {net.id} on {ctx.name(d)}") for d, subnet in net.node_subnets.items()]
        for subnet, label in subnets:
            prefix = ip_network(subnet)
            spans.append((net.vrf or "", prefix.version, prefix.first, prefix.last, net.id, f"{label} ({subnet})"))
    for link in ctx.plan.links:
        if link.subnet:
            prefix = ip_network(link.subnet)
            spans.append(("", 4, prefix.first, prefix.last, link.id, f"link {link.id} ({link.subnet})"))
    spans.sort()
    widest = None
    for span in spans:
        vrf, version, first, last, element, label = span
        if widest is not None and widest[:2] == (vrf, version) and first <= widest[3] and widest[4] != element:
            yield Issue(f"{widest[5]} and {label} overlap in {'VRF ' + vrf if vrf else 'the default VRF'}: "
                        "traffic for the shared range goes to only one of them", (widest[4], element),
                        "give one of them a subnet of its own, or put them in separate VRFs")
        if widest is None or widest[:2] != (vrf, version) or last > widest[3]:
            widest = span


def _host_problem(subnet: str | None, address: str | None) -> str | None:
    """Why ``address`` cannot be a host on ``subnet``, or None when it can (or either is not given)."""
    if subnet is None or address is None:
        return None
    prefix, ip = ip_network(subnet), ip_address(address)
    if ip.version != prefix.version or ip not in prefix:
        return f"outside {prefix}"
    edge = prefix.prefixlen < (31 if prefix.version == 4 else 127)
    if edge and ip == prefix.network:
        return f"the network address of {prefix}"
    if edge and prefix.version == 4 and ip == prefix.broadcast:
        return f"the broadcast address of {prefix}"
    return None


@check("address-outside-subnet", "error", "A pinned address is not a usable host address of its network")
def address_outside_subnet(ctx: Context) -> Iterator[Issue]:
    for net, planned in zip(ctx.design.networks, ctx.plan.networks, strict=True):
        for attachment in (a for a in net.attach if a.address is not None) if net.pins_addresses else ():
            problem = _host_problem(planned.subnet, attachment.address)
            if problem:
                yield Issue(f"{ctx.name(attachment.device)} is pinned to {attachment.address} on network {net.id}, "
                            f"which is {problem}", (net.id, attachment.device),
                            f"pick a host address inside {planned.subnet}, or drop the pin")


@check("gateway-outside-subnet", "error", "A gateway is not a usable host address of its subnet")
def gateway_outside_subnet(ctx: Context) -> Iterator[Issue]:
    subnets = {net.id: net.subnet for net in ctx.plan.networks}
    for net in ctx.design.networks:
        problem = _host_problem(subnets[net.id], net.gateway)
        if problem:
            yield Issue(f"network {net.id} has gateway {net.gateway}, which is {problem}: hosts cannot reach it "
                        "on the link", (net.id,), f"use an address inside {subnets[net.id]} as the gateway")
    for egress in ctx.design.egress:
        problem = _host_problem(subnets.get(egress.network), egress.subnet_gateway)
        if problem:
            yield Issue(f"egress {egress.id} reaches {egress.supernet} via {egress.subnet_gateway}, which is "
                        f"{problem} (network {egress.network})", (egress.id, egress.network),
                        f"use the router of {subnets[egress.network]} as subnet_gateway")


@check("multiple-default-gateways", "error", "A device gets default gateways from two management networks")
def multiple_default_gateways(ctx: Context) -> Iterator[Issue]:
    gateways: dict[str, list[NetworkPlan]] = {}
    for net in ctx.plan.networks:
        if net.purpose == "management" and net.gateway is not None and net.mode != "routed":
            for device_id in net.interfaces:
                gateways.setdefault(device_id, []).append(net)
    for device_id, nets in gateways.items():
        if len(nets) > 1:
            shown = ", ".join(f"{net.gateway} on {net.id}" for net in nets)
            yield Issue(f"{ctx.name(device_id)} has a default gateway on {len(nets)} management networks "
                        f"({shown}); only the first is installed, so replies leave by the wrong network",
                        (device_id, *(net.id for net in nets)),
                        "keep the gateway on one management network and use static routes for the others")


@check("nic-address-unmanaged", "warning",
       "A NIC gets no address from the design and would lose the one it has at reboot", details=True)
def nic_address_unmanaged(ctx: Context) -> Iterator[Issue]:
    for device_id, device in ctx.plan.devices.items():
        # a switch port left free has no address to keep
        if not device.managed or device.role in SWITCH_ROLES or not ctx.checks(device_id):
            continue
        index = ctx.topo.devices[device_id]
        for iface in map(device.interface, index.nics):  # only a NIC keeps addresses; a VTEP has many interfaces
            # a VLAN parent carries its sub-interfaces' addresses; the BMC port is not the OS's
            if iface.keeps_addresses and iface.name not in index.vlans_on and iface.role != "oob":
                yield Issue(f"{device.name}:{iface.name} gets no address from the design (no network address, no "
                            "DHCP): apply leaves the address it has now, but at the next boot it comes up without "
                            "one unless a file in /etc/network/interfaces.d configures it", (device_id,),
                            f"say how {iface.name} gets its address: dhcp: true on the NIC, or attach it to a "
                            "network that gives it one")
