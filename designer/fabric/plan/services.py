"""Host services around the fabric: routes, sysctl, DHCP, firewalls, fail2ban and DNS records."""

from __future__ import annotations

import hashlib
import json

from ..addresses import ip_address, ip_network
from ..spec import Design
from .model import (
    BgpPlan,
    DevicePlan,
    DnsPlan,
    DnsRecord,
    EgressPlan,
    FirewallPlan,
    JailPlan,
    StaticRoutePlan,
    WireguardPlan,
)
from .pools import Allocator
from .topology import Topology


def plan_egress(design: Design, hosts: dict[str, dict[str, str]]) -> list[EgressPlan]:
    out = []
    for egress in design.egress:
        on_network = hosts.get(egress.network, {})
        out.append(EgressPlan(
            id=egress.id, name=egress.name,
            gateways={d: on_network[d] for d in egress.gateways if d in on_network},
            clients={d: on_network[d] for d in egress.clients if d in on_network},
            listen_range=egress.listen_range))
    return out


def apply_host_services(design: Design, topo: Topology, devices: dict[str, DevicePlan],
                        egress: list[EgressPlan], firewall: FirewallPlan | None) -> None:
    """Fill in each device's static routes, sysctl, DHCP and BGP filter from what it does."""
    ipv6 = design.pools.loopback_v6 is not None
    clients = {}
    for spec, planned in zip(design.egress, egress, strict=True):
        for client in planned.clients:
            clients[client] = spec
    gateways = {gateway: spec.name for spec in design.egress for gateway in spec.gateways}
    jails = {jail.name: set(jail.devices) if jail.devices is not None else None for jail in design.fail2ban}
    firewall_devices = set(firewall.devices) if firewall is not None else set()
    for device_id, device in devices.items():
        spec = topo.device(device_id)
        device.static_routes = [StaticRoutePlan(r.prefix, r.via, r.interface, "set in the design")
                                for r in spec.static_routes]
        if device.ip_forwarding:
            device.sysctl["net.ipv4.ip_forward"] = "1"
            if ipv6:
                device.sysctl["net.ipv6.conf.all.forwarding"] = "1"
        egress_spec = clients.get(device_id)
        if egress_spec is not None:
            policy = "1" if egress_spec.hash_policy == "l4" else "0"
            device.sysctl["net.ipv4.fib_multipath_hash_policy"] = policy
            if egress_spec.supernet is not None:
                device.static_routes.append(StaticRoutePlan(
                    egress_spec.supernet, egress_spec.subnet_gateway, None,
                    f"the supernet stays reachable without the cloud's default route ({egress_spec.name})"))
        elif device.bgp is not None and device.bgp.maximum_paths > 1:
            device.sysctl["net.ipv4.fib_multipath_hash_policy"] = "1"
            if ipv6:
                device.sysctl["net.ipv6.fib_multipath_hash_policy"] = "1"
        if device.bgp is not None:
            _bgp_filter(device, device.bgp)
            if device_id in gateways:
                _upstream_default(device, device.bgp, gateways[device_id])
        device.firewall = device_id in firewall_devices
        device.jails = [name for name, only in jails.items() if device.managed and (only is None or device_id in only)]
        device.sysctl = dict(sorted(device.sysctl.items()))


def _upstream_default(device: DevicePlan, bgp: BgpPlan, egress: str) -> None:
    """An egress gateway announces a default route only while it has one of its own (seed 004).

    FRR redistributes the gateway's own default route, so it withdraws it from the clients the moment
    the upstream is gone: one DHCP installed (zebra's kernel routes), or a static one. A management
    gateway moves from the interfaces file into FRR, since zebra does not see routes ifupdown2 adds.
    """
    for iface in device.interfaces:
        if iface.gateway is not None:
            device.static_routes.append(StaticRoutePlan(
                "0.0.0.0/0", iface.gateway, None,
                f"the upstream of egress {egress}: in FRR, so the default route is announced only while it is up"))
            iface.gateway = None
    if any(iface.dhcp and iface.dhcp_default_route for iface in device.interfaces):
        bgp.upstream_default.append("kernel")
    if any(route.prefix == "0.0.0.0/0" for route in device.static_routes):
        bgp.upstream_default.append("static")


def _bgp_filter(device: DevicePlan, bgp: BgpPlan) -> None:
    interfaces, sources = [], []
    for neighbor in bgp.neighbors:
        (interfaces if neighbor.interface else sources).append(neighbor.peer)
    sources += [listen.prefix for listen in bgp.listen_ranges]
    device.bgp_allowed_interfaces = sorted(set(interfaces))
    device.bgp_allowed_sources = sorted(set(sources), key=lambda s: (":" in s, s))


FIREWALL_PLATFORMS = frozenset({"proxmox"})  # where pve-firewall runs and reads host.fw


def firewall_members(design: Design) -> set[str]:
    """The devices whose ``host.fw`` the plan writes: listed (or all) managed nodes that run pve-firewall."""
    firewall = design.firewall
    if firewall is None or not firewall.enabled:
        return set()
    listed = set(firewall.devices) if firewall.devices is not None else {d.id for d in design.devices}
    return {d.id for d in design.devices if d.id in listed and d.managed and d.platform in FIREWALL_PLATFORMS}


def plan_firewall(design: Design, subnets: dict[str, str]) -> FirewallPlan | None:
    firewall = design.firewall
    if firewall is None:
        return None
    ipsets = {s.name: [*s.cidrs, *(subnets[n] for n in s.networks if n in subnets)] for s in firewall.ipsets}
    return FirewallPlan(
        enabled=firewall.enabled, policy_in=firewall.policy_in, policy_out=firewall.policy_out, ipsets=ipsets,
        ipset_comments={s.name: s.comment for s in firewall.ipsets},
        rules=[rule.model_dump(exclude_defaults=True) | {"action": rule.action, "direction": rule.direction}
               for rule in firewall.rules],
        devices=sorted(firewall_members(design)))


def plan_jails(design: Design) -> dict[str, JailPlan]:
    return {jail.name: JailPlan(
        name=jail.name, failregex=list(jail.failregex), ignoreregex=list(jail.ignoreregex), logpath=jail.logpath,
        port=jail.port, action=jail.action, bantime=jail.bantime, findtime=jail.findtime, maxretry=jail.maxretry,
        ignoreip=list(jail.ignoreip)) for jail in design.fail2ban}


def plan_dns(design: Design, devices: dict[str, DevicePlan], management: dict[str, str],
             alloc: Allocator) -> DnsPlan | None:
    if design.dns is None:
        return None
    records: list[DnsRecord] = []
    for device in devices.values():
        name = device.name.lower()
        overlay = [a for wg in device.wireguard for a in (wg.vxlan_addresses or wg.addresses)]
        primary_v4 = (management.get(device.id) or device.loopback_v4
                      or next((a.split("/")[0] for a in overlay if ":" not in a), None))
        if primary_v4:
            records.append(DnsRecord(name, "A", primary_v4))
        if device.loopback_v4 and device.loopback_v4 != primary_v4:
            records.append(DnsRecord(f"{name}-lo", "A", device.loopback_v4))
        if device.loopback_v6:
            records.append(DnsRecord(name, "AAAA", device.loopback_v6))
        if device.vtep and device.vtep != device.loopback_v4:
            records.append(DnsRecord(f"{name}-vtep", "A", device.vtep))
        for wg in device.wireguard:
            records += _mesh_records(name, wg)
    dns = DnsPlan(zone=design.dns.zone, ttl=design.dns.ttl, nameservers=_nameservers(design, records),
                  contact=design.dns.contact, records=records)
    dns.serial = _zone_serial(dns, alloc)
    return dns


def _nameservers(design: Design, records: list[DnsRecord]) -> list[str]:
    """Nameservers the zone can name: a zone that names one without an address does not load.

    A name ending in a dot lies outside the zone and is kept; a name inside the zone with no
    address record in the design is replaced by the first node that has one.
    """
    addressed = [r.name for r in records if r.type in ("A", "AAAA")]
    out: list[str] = []
    for name in design.dns.nameservers:
        chosen = name if name.endswith(".") or name.lower() in addressed else next(iter(addressed), name)
        if chosen not in out:
            out.append(chosen)
    return out


def _zone_serial(dns: DnsPlan, alloc: Allocator) -> int:
    """The SOA serial: kept while the zone's content stays the same, one higher when it changes."""
    content = [dns.ttl, dns.contact, dns.nameservers, [(r.name, r.type, r.value) for r in dns.records]]
    digest = hashlib.sha256(json.dumps(content).encode()).hexdigest()
    previous = alloc.previous.get("dns_serial", dns.zone)
    if isinstance(previous, dict) and previous.get("digest") == digest:
        serial = int(previous["serial"])
    else:
        serial = int(previous["serial"]) + 1 if isinstance(previous, dict) else 1
    alloc.record.put("dns_serial", dns.zone, {"serial": serial, "digest": digest})
    return serial


def _mesh_records(name: str, wg: WireguardPlan) -> list[DnsRecord]:
    out = []
    if wg.vxlan_interface:
        out.append(DnsRecord(f"{name}-vtep", "A", wg.vtep_v4))
    for address in wg.vxlan_addresses or wg.addresses:
        ip = ip_network(address).ip
        if not ip.is_link_local():
            out.append(DnsRecord(f"{name}-{wg.interface}".lower(), "AAAA" if ip.version == 6 else "A", str(ip)))
    return out


def reverse_zones(dns: DnsPlan) -> dict[str, list[tuple[str, str]]]:
    """PTR records grouped by reverse zone: /24s for IPv4, /64s for IPv6; the first name wins."""
    zones: dict[str, list[tuple[str, str]]] = {}
    seen: set[str] = set()
    for record in dns.records:
        if record.type not in ("A", "AAAA") or record.value in seen:
            continue
        seen.add(record.value)
        labels = ip_address(record.value).reverse_dns.rstrip(".").split(".")
        cut = 1 if record.type == "A" else 16
        zone = ".".join(labels[cut:])
        zones.setdefault(zone, []).append((".".join(labels[:cut]), f"{record.name}.{dns.zone}."))
    return dict(sorted(zones.items()))
