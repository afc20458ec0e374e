"""Checks on host services: WireGuard meshes, egress, the Proxmox firewall, management and cluster networks."""

from __future__ import annotations

from collections.abc import Iterator

from ..addresses import ip_address, ip_network
from ..plan.services import FIREWALL_PLATFORMS
from ..plan.wireguard import blacklisted_peers
from ..spec import WireguardMesh
from .findings import Context, Issue, check
from .physical import port_label
from .routing import listing, sessions_of

EPHEMERAL_PORTS = (49152, 65535)


def _member_ports(mesh: WireguardMesh) -> Iterator[tuple[str | None, int]]:
    yield None, mesh.listen_port
    for member in mesh.members:
        if member.listen_port is not None:
            yield member.device, member.listen_port


@check("wireguard-port-out-of-range", "warning", "A WireGuard listen port is outside the ephemeral range")
def wireguard_port_out_of_range(ctx: Context) -> Iterator[Issue]:
    first, last = EPHEMERAL_PORTS
    for mesh in ctx.design.wireguard:
        for device_id, port in _member_ports(mesh):
            if not first <= port <= last:
                whose = f"{ctx.name(device_id)} in mesh {mesh.name}" if device_id else f"mesh {mesh.name}"
                yield Issue(f"{whose} listens on UDP {port}, outside {first}-{last}: it can clash with a "
                            "registered service, and firewalls often treat it as one",
                            (mesh.id, *((device_id,) if device_id else ())),
                            f"pick a port in {first}-{last}, such as 51820")


@check("wireguard-port-duplicate", "error", "Two WireGuard meshes on one device listen on the same port")
def wireguard_port_duplicate(ctx: Context) -> Iterator[Issue]:
    for device_id, device in ctx.plan.devices.items():
        meshes: dict[int, list[str]] = {}
        for wg in device.wireguard:
            meshes.setdefault(wg.listen_port, []).append(wg.mesh)
        for port, ids in meshes.items():
            if len(ids) > 1:
                yield Issue(f"{device.name} is in meshes {', '.join(ids)}, all listening on UDP {port}: only the "
                            "first interface comes up", (device_id, *ids),
                            "give each mesh its own listen_port, or set listen_port on this member")


@check("wireguard-no-endpoint", "error", "Two mesh members that peer have no endpoint to reach each other")
def wireguard_no_endpoint(ctx: Context) -> Iterator[Issue]:
    for mesh in ctx.design.wireguard:
        hidden = [m.device for m in mesh.members if m.endpoint is None]
        blocked = blacklisted_peers(mesh)
        pairs = [(a, b) for i, a in enumerate(hidden) for b in hidden[i + 1:] if b not in blocked.get(a, ())]
        if pairs:
            shown = listing([f"{ctx.name(a)}-{ctx.name(b)}" for a, b in pairs])
            yield Issue(f"in mesh {mesh.name}, neither side of {shown} has an endpoint, so neither can start "
                        "the handshake and the pair never connects",
                        (mesh.id, *dict.fromkeys(d for pair in pairs for d in pair)),
                        "give one member of each pair a reachable endpoint, or blacklist the pair")


def _islands(mesh: WireguardMesh) -> list[list[str]]:
    """Members that can reach each other through peers the blacklist leaves in place."""
    blocked = blacklisted_peers(mesh)
    unvisited = [m.device for m in mesh.members]
    islands = []
    while unvisited:
        island, frontier = [unvisited[0]], [unvisited[0]]
        rest = set(unvisited[1:])
        while frontier:
            # each member peers with everyone not blacklisted, so a step reaches all but those
            reached = rest - blocked.get(frontier.pop(), set())
            rest -= reached
            island += reached
            frontier += reached
        islands.append(island)
        unvisited = [d for d in unvisited if d in rest]
    return islands


@check("wireguard-mesh-partitioned", "error", "The blacklist splits a WireGuard mesh")
def wireguard_mesh_partitioned(ctx: Context) -> Iterator[Issue]:
    for mesh in ctx.design.wireguard:
        islands = _islands(mesh)
        if len(islands) > 1:
            shown = " | ".join(", ".join(sorted(ctx.name(d) for d in island)) for island in islands)
            yield Issue(f"the blacklist of mesh {mesh.name} splits it into {len(islands)} groups that cannot "
                        f"reach each other: {shown}", (mesh.id, *(d for island in islands for d in island)),
                        "remove blacklist pairs until every member peers with at least one of the others")


@check("wireguard-blacklisted-next-hop", "warning",
       "Blacklisted mesh members still learn each other's routes through a route reflector")
def wireguard_blacklisted_next_hop(ctx: Context) -> Iterator[Issue]:
    reflectors = set(ctx.design.underlay.route_reflectors)
    mesh = ctx.topo.underlay_mesh
    if mesh is None or ctx.plan.underlay_style != "ibgp" or not reflectors:
        return
    rewrites = any(group.route_reflector_client and group.next_hop_self
                   for r in reflectors if ctx.plan.devices[r].bgp for group in ctx.plan.devices[r].bgp.peer_groups)
    if rewrites:
        return
    by_device = sessions_of(ctx)

    def reflected_to(device_id: str) -> set[str]:
        return {s.a if s.b == device_id else s.b for s in by_device.get(device_id, ())} & reflectors

    def announces(device_id: str) -> bool:
        bgp = ctx.plan.devices[device_id].bgp
        return bgp is not None and bool(bgp.networks_v4 or bgp.networks_v6)

    for a, b in mesh.blacklist:
        # reflectors pass a client's routes to every other client and to each other, next hop untouched
        a_via, b_via = reflected_to(a) - {b}, reflected_to(b) - {a}
        via = a_via | b_via
        if a_via and b_via and (announces(a) or announces(b)):
            yield Issue(f"{ctx.name(a)} and {ctx.name(b)} are blacklisted in mesh {mesh.name}, yet route reflector "
                        f"{', '.join(sorted(ctx.name(r) for r in via))} passes each the other's routes with the "
                        "other as next hop, which it has no tunnel to: that traffic is dropped",
                        (mesh.id, a, b),
                        "lift the blacklist, or accept that the two nodes' networks stay unreachable from each other")


@check("egress-client-outside-listen-range", "error", "An egress client is outside the gateways' listen range")
def egress_client_outside_listen_range(ctx: Context) -> Iterator[Issue]:
    for egress in ctx.plan.egress:
        listen = ip_network(egress.listen_range)
        for client, address in egress.clients.items():
            if ip_address(address) not in listen:
                yield Issue(f"{ctx.name(client)} peers from {address}, outside the listen range {listen} of "
                            f"egress {egress.name}: the gateways refuse its BGP session", (egress.id, client),
                            f"widen listen_range to cover {address}, or give the client an address inside {listen}")


@check("egress-member-not-on-network", "error", "An egress client or gateway has no address on the egress network")
def egress_member_not_on_network(ctx: Context) -> Iterator[Issue]:
    for spec, egress in zip(ctx.design.egress, ctx.plan.egress, strict=True):
        attached = {a.device for a in ctx.topo.networks[spec.network].attach}
        for role, members, planned in (("gateway", spec.gateways, egress.gateways),
                                       ("client", spec.clients, egress.clients)):
            for device_id in members:
                if device_id not in planned:
                    why = ("has no address there" if device_id in attached else "is not attached to it")
                    yield Issue(f"{role} {ctx.name(device_id)} of egress {egress.name} {why} (network "
                                f"{spec.network}): it has no BGP session with the others",
                                (egress.id, device_id, spec.network),
                                f"attach {ctx.name(device_id)} to {spec.network} with an address")


@check("egress-single-gateway", "warning", "An egress has one gateway and no redundancy")
def egress_single_gateway(ctx: Context) -> Iterator[Issue]:
    for egress in ctx.design.egress:
        if len(egress.gateways) == 1:
            yield Issue(f"egress {egress.name} has one gateway ({ctx.name(egress.gateways[0])}): when it fails "
                        "every client loses its default route", (egress.id, egress.gateways[0]),
                        "add a second gateway so clients spread flows over both")


@check("egress-gateway-without-upstream", "error", "An egress gateway has no default route of its own to offer",
       details=True)
def egress_gateway_without_upstream(ctx: Context) -> Iterator[Issue]:
    for egress in ctx.design.egress:
        for gateway in egress.gateways:
            device = ctx.plan.devices[gateway]
            if ctx.checks(gateway) and device.managed and device.bgp is not None and not device.bgp.upstream_default:
                yield Issue(f"egress gateway {device.name} of {egress.name} has no default route of its own (no DHCP "
                            "NIC keeping the default route, no management gateway, no static default route): it "
                            "announces a default route only while it has one, so it never does",
                            (egress.id, gateway),
                            f"give {device.name} its upstream: dhcp: true on its internet NIC, a management network "
                            "with a gateway, or a static route to 0.0.0.0/0")


@check("egress-client-default-gateway", "error", "An egress client also has a default gateway of its own", details=True)
def egress_client_default_gateway(ctx: Context) -> Iterator[Issue]:
    for egress in ctx.plan.egress:
        for client in (client for client in egress.clients if ctx.checks(client)):
            device = ctx.plan.devices[client]
            fixed = [f"gateway {i.gateway} on {i.name}" for i in device.interfaces if i.gateway]
            fixed += [f"the default route DHCP gives {i.name}" for i in device.interfaces
                      if i.dhcp and i.dhcp_default_route]
            fixed += [f"static route {r.prefix} via {r.via}" for r in device.static_routes
                      if r.prefix in ("0.0.0.0/0", "::/0")]
            if fixed:
                yield Issue(f"{device.name} is a client of egress {egress.name} but also has {', '.join(fixed)}: "
                            "that route wins over the BGP default, so the gateways are never used",
                            (egress.id, client), "drop the gateway or default route on the client "
                            "(dhcp_default_route: false on a DHCP NIC)")


@check("firewall-no-management-ipset", "warning", "The Proxmox firewall is on without a 'management' IPSet")
def firewall_no_management_ipset(ctx: Context) -> Iterator[Issue]:
    firewall = ctx.plan.firewall
    if firewall is None or not firewall.enabled:
        return
    nodes = [d for d in firewall.devices if ctx.plan.devices[d].platform == "proxmox"]
    if nodes and not firewall.ipsets.get("management"):
        missing = "is empty" if "management" in firewall.ipsets else "is missing"
        yield Issue(f"the firewall is enabled on {listing([ctx.name(d) for d in nodes])} but the IPSet "
                    f"'management' {missing}: only the local subnet may reach the web UI and SSH, so you can "
                    "lock yourself out", tuple(nodes),
                    "add an IPSet named 'management' with the subnets you administer from")


@check("firewall-device-without-pve-firewall", "warning", "The Proxmox firewall lists a device that does not run it")
def firewall_device_without_pve_firewall(ctx: Context) -> Iterator[Issue]:
    firewall = ctx.design.firewall
    if firewall is None or not firewall.enabled or firewall.devices is None:
        return
    for device_id in firewall.devices:
        device = ctx.topo.device(device_id)
        if device.platform not in FIREWALL_PLATFORMS:
            yield Issue(f"the Proxmox firewall lists {device.name}, a {device.platform} device: pve-firewall does "
                        "not run there and nothing reads a host.fw, so none is written and the rules do not "
                        f"protect {device.name}", (device_id,),
                        f"drop {device.name} from firewall.devices and filter its traffic another way "
                        "(its nftables BGP filter covers BGP)")


def _nics_under(ctx: Context, device_id: str, interface: str) -> set[str]:
    """The NICs an interface's frames leave by; a planned VNI bridge rides on the routed uplinks."""
    index = ctx.topo.devices[device_id]
    if index.kind(interface) is not None:
        return set(index.physical(interface))
    return {nic for nic, cable in index.cables.items() if cable.link.kind != "lan"}


@check("management-on-vm-bridge", "warning", "A management address sits on an interface that carries VM traffic")
def management_on_vm_bridge(ctx: Context) -> Iterator[Issue]:
    purposes = {net.id: net.purpose for net in ctx.plan.networks}
    for net in ctx.plan.networks:
        if net.purpose != "management":
            continue
        for device_id, interface in net.interfaces.items():
            index = ctx.topo.devices[device_id]
            iface = ctx.plan.devices[device_id].interface(interface)
            if iface is None:
                continue
            reasons = [f"carries tenant network {n}" for n in iface.networks if purposes[n] == "tenant"]
            if iface.vlan_aware:
                reasons.append("is a VLAN-aware bridge")
            trunks = sorted(n for n in _nics_under(ctx, device_id, interface) if index.nics[n].role == "vm-trunk")
            if trunks:
                reasons.append(f"sits on VM trunk NIC(s) {', '.join(trunks)}")
            if reasons:
                yield Issue(f"management network {net.id} is on {port_label(ctx, device_id, interface)}, which "
                            f"{' and '.join(reasons)}: VM traffic shares its path, so a busy or hostile VM can "
                            "reach or starve the management address", (device_id, net.id),
                            "put the management address on its own NIC or bridge, with no VMs on it")


@check("cluster-shares-storage-nic", "warning", "Corosync shares a NIC with storage traffic")
def cluster_shares_storage_nic(ctx: Context) -> Iterator[Issue]:
    nics: dict[tuple[str, str], dict[str, set[str]]] = {}  # (device, purpose) -> network -> NICs
    for net in ctx.plan.networks:
        if net.purpose in ("cluster", "storage"):
            for device_id, interface in net.interfaces.items():
                nics.setdefault((device_id, net.purpose), {})[net.id] = _nics_under(ctx, device_id, interface)
    for (device_id, purpose), cluster in nics.items():
        if purpose != "cluster":
            continue
        for storage_id, storage_nics in nics.get((device_id, "storage"), {}).items():
            for cluster_id, cluster_nics in cluster.items():
                shared = sorted(cluster_nics & storage_nics)
                if shared:
                    yield Issue(f"on {ctx.name(device_id)}, cluster network {cluster_id} and storage network "
                                f"{storage_id} both leave by {', '.join(shared)}: a storage burst delays corosync "
                                "and can fence the node", (device_id, cluster_id, storage_id),
                                "give corosync a NIC of its own (1G is plenty)")


# fail2ban bans the address a filter captures; a regex without one of these tags captures nobody
FAIL2BAN_HOST_TAGS = ("<HOST>", "<ADDR>", "<IP4>", "<IP6>", "<DNS>", "<CIDR>", "<SUBNET>", "<F-ID>")


@check("fail2ban-filter-without-host", "error", "A fail2ban filter captures no address to ban")
def fail2ban_filter_without_host(ctx: Context) -> Iterator[Issue]:
    for jail in ctx.design.fail2ban:
        devices = tuple(d.id for d in ctx.plan.devices.values() if jail.name in d.jails)
        for regex in jail.failregex:
            if not any(tag in regex for tag in FAIL2BAN_HOST_TAGS):
                yield Issue(f"jail {jail.name}: failregex {regex!r} captures no address, so fail2ban refuses "
                            "the filter and bans nobody", devices,
                            'mark where the client address is with <HOST>, e.g. ^<HOST> -.*" 401')


@check("dns-nameserver-without-dns", "warning", "The zone's nameserver is a node that runs no DNS server")
def dns_nameserver_without_dns(ctx: Context) -> Iterator[Issue]:
    dns = ctx.plan.dns
    if dns is None:
        return
    asked = [name.lower() for name in ctx.design.dns.nameservers]
    by_name = {device.name.lower(): device_id for device_id, device in ctx.plan.devices.items()}
    for name in dns.nameservers:
        if name.lower() not in asked:
            yield Issue(f"zone {dns.zone} names no nameserver with an address in the design "
                        f"({', '.join(ctx.design.dns.nameservers)}), so its NS record points at {name}, a node "
                        "that runs no DNS server: resolvers sent there get no answer",
                        (by_name[name.lower()],) if name.lower() in by_name else (),
                        "list the real nameservers in dns.nameservers: a node of the zone that serves it, or a "
                        "full name ending in a dot (ns1.example.net.)")
