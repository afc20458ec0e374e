"""The plan: every address, ASN, MTU, VNI, session and key decided, as plain values renderers read."""

from __future__ import annotations

from dataclasses import dataclass, field

from .record import AllocationRecord


@dataclass(slots=True)
class InterfacePlan:
    """One interface as the node's OS will see it, with everything ifupdown2 and FRR need."""

    name: str
    kind: str  # loopback, nic, bond, vlan, bridge, vxlan, vrf, wireguard
    mtu: int | None = None
    mtu_reason: str = ""
    addresses: list[str] = field(default_factory=list)
    gateway: str | None = None
    purpose: str = ""
    networks: list[str] = field(default_factory=list)
    master: str | None = None  # the bond or bridge this interface is enslaved to
    vrf: str | None = None
    # bond
    bond_mode: str | None = None
    members: list[str] = field(default_factory=list)
    primary: str | None = None
    xmit_hash_policy: str | None = None
    lacp_rate: str | None = None
    miimon: int | None = None
    # 802.1Q sub-interface
    parent: str | None = None
    vid: int | None = None
    # bridge
    ports: list[str] = field(default_factory=list)
    vlan_aware: bool = False
    vids: str | None = None
    stp: bool = False
    managed_by: str = "ifupdown2"  # or "lxd": LXD creates the bridge and holds its address (seed 003)
    hwaddress: str | None = None
    dhcp: bool = False  # the address comes from DHCP
    dhcp_default_route: bool = False  # with DHCP: the default route the server offers is installed
    keeps_addresses: bool = False  # a NIC the plan gives no address: whatever it has now is left on it
    # vxlan (its local address is its device's VTEP)
    vni: int | None = None
    # vrf
    table: int | None = None
    # link facts
    speed: str | None = None
    role: str | None = None
    unnumbered: bool = False
    peer: str | None = None  # "device:interface" at the other end of the cable
    link: str | None = None
    # routed networks (seed 002): per-VLAN table, rules and proxy ARP, as ifupdown2 post-up lines
    post_up: list[str] = field(default_factory=list)
    pre_down: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RoutedPlan:
    """A routed network on one device (seed 002): the host routes its VLAN through a table of its own."""

    network: str
    interface: str  # the VLAN interface it arrives on, such as bond0.993
    subnet: str
    gateway: str
    table: int
    table_name: str  # its name in rt_tables, which Ganeti's own scripts refer to
    priority: int  # of the ip rule that sends the VLAN's traffic to the table
    arp_address: str | None  # the source address of the host's ARP requests on the VLAN

    @property
    def rule(self) -> str:
        return f"iif {self.interface} lookup {self.table} priority {self.priority}"


@dataclass(slots=True)
class PeerGroup:
    """A BGP peer group of one speaker: how its members are spoken to."""

    name: str
    remote_as: str  # "external" or "internal"
    route_reflector_client: bool = False
    next_hop_self: bool = False
    default_originate: bool = False  # the group's peers take their default route from this speaker
    evpn: bool = False
    ipv6: bool = False
    # the speaker does not forward: it sends this group its own prefixes only, never offering itself as
    # the next hop towards others' (a reflector passing routes on with their next hop untouched needs no filter)
    own_routes_only: bool = False


@dataclass(slots=True)
class Neighbor:
    """One BGP neighbor of a speaker, by interface (unnumbered) or address, in its peer group."""

    peer: str  # interface name (unnumbered) or address
    interface: bool
    peer_group: str
    description: str
    session: str


@dataclass(slots=True)
class ListenRange:
    """Addresses a speaker accepts sessions from without naming the peers (dynamic neighbors)."""

    prefix: str
    peer_group: str


@dataclass(slots=True)
class EvpnVni:
    """A layer-2 VNI the speaker advertises in EVPN, with its route targets."""

    vni: int
    route_targets_import: list[str]
    route_targets_export: list[str]


@dataclass(slots=True)
class BgpVrf:
    """A VRF's BGP instance on a VTEP: its L3VNI, route targets and the subnets it originates."""

    name: str
    l3vni: int | None
    route_targets_import: list[str]
    route_targets_export: list[str]
    networks_v4: list[str] = field(default_factory=list)  # the VRF's subnets this VTEP originates


@dataclass(slots=True)
class BgpPlan:
    """Everything FRR's ``router bgp`` of one device says: ASN, router-id, groups, neighbors, EVPN, VRFs."""

    asn: int
    router_id: str
    peer_groups: list[PeerGroup] = field(default_factory=list)
    neighbors: list[Neighbor] = field(default_factory=list)
    listen_ranges: list[ListenRange] = field(default_factory=list)
    networks_v4: list[str] = field(default_factory=list)
    networks_v6: list[str] = field(default_factory=list)
    evpn: bool = False
    advertise_all_vni: bool = False
    evpn_vnis: list[EvpnVni] = field(default_factory=list)
    vrfs: list[BgpVrf] = field(default_factory=list)
    maximum_paths: int = 1
    multipath_relax: bool = False
    connect_retry: int = 120
    own_routes_only: bool = False  # some peer group gets only the speaker's own prefixes (it does not forward)
    # an egress gateway's own default route, redistributed from these zebra sources ("kernel": DHCP's,
    # "static"): announced while it exists, withdrawn when the upstream is gone
    upstream_default: list[str] = field(default_factory=list)


@dataclass(slots=True)
class StaticRoutePlan:
    """A static route of one device, with why it is there."""

    prefix: str
    via: str | None
    interface: str | None = None
    reason: str = ""


@dataclass(slots=True)
class WireguardPeer:
    """Another member of a WireGuard mesh, as one device's tunnel sees it."""

    device: str
    name: str
    public_key: str
    endpoint: str | None
    allowed_ips: list[str]
    vtep_v4: str
    keepalive: int | None


@dataclass(slots=True)
class WireguardPlan:
    """One device's interface in a WireGuard mesh: keys, addresses, MTU, peers and VXLAN over it."""

    mesh: str
    interface: str
    listen_port: int
    private_key: str
    public_key: str
    addresses: list[str]  # the link-local VTEP addresses on the WireGuard interface
    mtu: int
    peers: list[WireguardPeer]
    vtep_v4: str | None = None  # this node's own mesh VTEP, when VXLAN runs over the mesh
    vtep_routes: list[str] = field(default_factory=list)  # the peers' VTEPs, each routed into the tunnel
    vxlan_interface: str | None = None
    vxlan_vni: int | None = None
    vxlan_port: int = 4789
    vxlan_mtu: int | None = None
    vxlan_addresses: list[str] = field(default_factory=list)  # overlay addresses from the pools


@dataclass(slots=True)
class DevicePlan:
    """One device with everything decided for it: ASN, addresses, interfaces, BGP, routes, tunnels."""

    id: str
    name: str
    role: str
    platform: str
    rack: str | None
    managed: bool
    asn: int | None = None
    router_id: str | None = None
    loopback_v4: str | None = None
    loopback_v6: str | None = None
    vtep: str | None = None
    interfaces: list[InterfacePlan] = field(default_factory=list)
    bgp: BgpPlan | None = None
    static_routes: list[StaticRoutePlan] = field(default_factory=list)
    wireguard: list[WireguardPlan] = field(default_factory=list)
    vnis: list[int] = field(default_factory=list)
    vrfs: list[str] = field(default_factory=list)
    sysctl: dict[str, str] = field(default_factory=dict)
    ip_forwarding: bool = False
    bgp_allowed_interfaces: list[str] = field(default_factory=list)
    bgp_allowed_sources: list[str] = field(default_factory=list)
    firewall: bool = False
    jails: list[str] = field(default_factory=list)
    routed: list[RoutedPlan] = field(default_factory=list)

    # name -> interface: the planner hands over the index it built; otherwise it is built on first use
    interface_index: dict[str, InterfacePlan] | None = field(default=None, repr=False, compare=False)

    def interface(self, name: str) -> InterfacePlan | None:
        if self.interface_index is None:
            self.interface_index = {iface.name: iface for iface in self.interfaces}
        return self.interface_index.get(name)


@dataclass(slots=True)
class RackPlan:
    """A rack and how its hosts are multihomed to its leaves: not at all, by MLAG or by EVPN multihoming."""

    id: str
    name: str
    multihoming: str


@dataclass(slots=True)
class LinkPlan:
    """A cable with both ends' MTU and speed and, when numbered, its subnet and addresses."""

    id: str
    kind: str
    a_device: str
    a_interface: str
    b_device: str
    b_interface: str
    a_mtu: int | None
    b_mtu: int | None
    a_speed: str | None
    b_speed: str | None
    a_address: str | None = None
    b_address: str | None = None
    subnet: str | None = None


@dataclass(slots=True)
class BgpSession:
    """One BGP session between two devices: its kind, how each side names the other, their ASNs."""

    id: str
    kind: str  # unnumbered, numbered, ibgp, rr-client, dynamic
    a: str
    b: str
    a_peer: str  # what a configures to reach b: an interface or b's address
    b_peer: str
    a_asn: int
    b_asn: int
    evpn: bool
    link: str | None = None
    interface: bool = False  # peers address each other by interface (BGP unnumbered)


@dataclass(slots=True)
class VniPlan:
    """A layer-2 VNI: its VLAN, subnet and gateway, VTEPs, bridges and route targets."""

    network: str
    name: str
    vni: int
    vlan: int | None
    vrf: str | None
    subnet: str | None
    gateway: str | None
    anycast_gateway: bool
    mtu: int
    vteps: list[str]
    host_addresses: dict[str, str]
    bridges: dict[str, str]  # device id -> bridge name
    route_targets_import: list[str]
    route_targets_export: list[str]
    explicit_route_targets: bool


@dataclass(slots=True)
class VrfPlan:
    """A VRF: its L3VNI, routing table, members and route targets."""

    id: str
    name: str
    l3vni: int | None
    table: int
    members: list[str]
    route_targets_import: list[str]
    route_targets_export: list[str]


@dataclass(slots=True)
class NetworkPlan:
    """Every network with its subnet(s) and who has which address on it."""

    id: str
    name: str
    purpose: str
    mode: str
    scope: str
    vni: int | None
    vlan: int | None
    vrf: str | None
    subnet: str | None
    gateway: str | None
    anycast_gateway: bool
    mtu: int
    node_subnets: dict[str, str]  # scope: node
    host_addresses: dict[str, str]
    interfaces: dict[str, str]  # device id -> interface carrying the network


@dataclass(slots=True)
class MeshPlan:
    """A WireGuard mesh: its members, MTUs and the pairs left without a tunnel."""

    id: str
    name: str
    listen_port: int
    wireguard_mtu: int
    vxlan_mtu: int | None
    members: list[str]
    blacklist: list[tuple[str, str]]


@dataclass(slots=True)
class EgressPlan:
    """Redundant egress gateways: each one's address and the clients that peer with them."""

    id: str
    name: str
    gateways: dict[str, str]  # device id -> address on the egress network
    clients: dict[str, str]
    listen_range: str


@dataclass(slots=True)
class FirewallPlan:
    """The Proxmox cluster firewall: policies, IPSets and rules, and the devices it is enabled on."""

    enabled: bool
    policy_in: str
    policy_out: str
    ipsets: dict[str, list[str]]
    ipset_comments: dict[str, str]
    rules: list[dict]
    devices: list[str]


@dataclass(slots=True)
class DnsRecord:
    """One record of the design's DNS zone."""

    name: str
    type: str
    value: str


@dataclass(slots=True)
class DnsPlan:
    """The design's DNS zone: its nameservers, contact, records and serial."""

    zone: str
    ttl: int
    nameservers: list[str]  # in-zone names with address records, or full names ending in "."
    contact: str
    records: list[DnsRecord]
    serial: int = 1  # raised whenever the zone's content changes, kept in the allocation record


@dataclass(slots=True)
class JailPlan:
    """A fail2ban jail and its filter, as the devices in ``DevicePlan.jails`` install them."""

    name: str
    failregex: list[str]
    ignoreregex: list[str]
    logpath: str
    port: str
    action: str
    bantime: int
    findtime: int
    maxretry: int
    ignoreip: list[str]


@dataclass(slots=True)
class Plan:
    """The whole plan of a design: every device, link, session, network and service, and the record of
    what was allocated."""

    name: str
    underlay_style: str
    devices: dict[str, DevicePlan]
    links: list[LinkPlan]
    sessions: list[BgpSession]
    networks: list[NetworkPlan]
    vnis: list[VniPlan]
    vrfs: list[VrfPlan]
    meshes: list[MeshPlan]
    egress: list[EgressPlan]
    firewall: FirewallPlan | None
    dns: DnsPlan | None
    record: AllocationRecord
    notes: list[str] = field(default_factory=list)
    jails: dict[str, JailPlan] = field(default_factory=dict)
    racks: dict[str, RackPlan] = field(default_factory=dict)

    def device_by_name(self, name: str) -> DevicePlan | None:
        for device in self.devices.values():
            if device.name == name:
                return device
        return None
