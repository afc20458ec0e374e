"""The design document: the typed, versioned schema every part of the product reads and writes.

It is strict on purpose: an unknown key, a wrong type or a malformed address is an error that names
its path. Cross-references (a link to a NIC that does not exist) are checked in ``document.py``.
"""

import re
from functools import cached_property
from operator import attrgetter
from typing import Annotated, Literal, Self

import netaddr
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from .addresses import ip_address, ip_network

SCHEMA_VERSION = 1

PRIVATE_ASN_RANGES = ((64512, 65534), (4200000000, 4294967294))

# Building these models is a large part of a command line run's start-up, so the module is written for it:
# annotations are evaluated as Python reads them (no `from __future__ import annotations`, whose strings
# pydantic would parse and evaluate field by field), and a model is built when it first validates something
# (`defer_build`): a design's first validation builds the one schema of the whole document.


def _empty_list() -> list:
    """A new empty list, as ``list()`` makes: pydantic reads a default factory's signature, which a plain
    function gives at once and the builtin only by parsing its text signature."""
    return []


# --- scalar types -------------------------------------------------------------------------------

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")]
"""A stable element id. Ids never change when an element is renamed, so allocations stay put."""

IfName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$")]
"""A Linux interface name: at most 15 characters (IFNAMSIZ)."""

Hostname = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]

Mtu = Annotated[int, Field(ge=576, le=65535)]
Port = Annotated[int, Field(ge=1, le=65535)]
VlanId = Annotated[int, Field(ge=1, le=4094)]
VniNumber = Annotated[int, Field(ge=1, le=16777215)]
Asn = Annotated[int, Field(ge=1, le=4294967295)]

Role = Literal["spine", "leaf", "border", "gateway", "hypervisor", "router", "host"]
Platform = Literal["proxmox", "debian", "lxd", "ganeti", "frr", "cumulus"]
NicRole = Literal["uplink", "vm-trunk", "storage", "management", "cluster", "oob"]
Speed = Literal["1G", "10G", "25G", "40G", "50G", "100G", "200G", "400G"]
AsnScope = Literal["node", "rack", "shared"]


def _network(value: str) -> str:
    if "/" not in value:
        raise ValueError(f"'{value}' is not a prefix: write it with a length, such as 10.0.0.0/24")
    try:
        net = ip_network(value)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise ValueError(f"'{value}' is not a valid IPv4 or IPv6 prefix") from None
    if net.ip != net.network:
        raise ValueError(f"'{value}' has host bits set: did you mean {net.cidr}?")
    return str(net.cidr)


def _interface_address(value: str) -> str:
    if "/" not in value:
        raise ValueError(f"'{value}' needs a prefix length, such as 192.0.2.10/24")
    try:
        return str(ip_network(value))
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise ValueError(f"'{value}' is not a valid address with prefix length") from None


def _address(value: str) -> str:
    try:
        return str(ip_address(value))
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise ValueError(f"'{value}' is not a valid IPv4 or IPv6 address") from None


def _number_range(value: str, low: int, high: int, what: str) -> str:
    match = re.fullmatch(r"\s*(\d+)\s*-\s*(\d+)\s*", value)
    if not match:
        raise ValueError(f"'{value}' is not a {what} range: write it as FIRST-LAST")
    first, last = int(match[1]), int(match[2])
    if not low <= first <= last <= high:
        raise ValueError(f"{what} range {value} must lie within {low}-{high} with FIRST <= LAST")
    return f"{first}-{last}"


def _asn_range(value: str) -> str:
    return _number_range(value, 1, 4294967295, "ASN")


def _vni_range(value: str) -> str:
    return _number_range(value, 1, 16777215, "VNI")


def _vlan_range(value: str) -> str:
    return _number_range(value, 1, 4094, "VLAN")


def _vlan_list(value: str) -> str:
    """ifupdown2's ``bridge-vids`` syntax: ``2-4094`` or ``100 200-210``."""
    parts = value.replace(",", " ").split()
    if not parts:
        raise ValueError("an empty VLAN list; write VLANs like '2-4094' or '100 200-210'")
    for part in parts:
        _vlan_range(part if "-" in part else f"{part}-{part}")
    return " ".join(parts)


def _endpoint(value: str) -> str:
    match = re.fullmatch(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?", value)
    if not match:
        raise ValueError(f"'{value}' is not an endpoint: write host, host:port or [v6]:port")
    if match[2] and not 1 <= int(match[2]) <= 65535:
        raise ValueError(f"port {match[2]} in endpoint '{value}' is outside 1-65535")
    return value


def _route_target(value: str) -> str:
    match = re.fullmatch(r"(\d+|\d+\.\d+\.\d+\.\d+):(\d+)", value)
    if not match:
        raise ValueError(f"'{value}' is not a route target: write ASN:NN or IP:NN")
    return value


Prefix = Annotated[str, AfterValidator(_network)]
InterfaceAddress = Annotated[str, AfterValidator(_interface_address)]
Address = Annotated[str, AfterValidator(_address)]
AsnRange = Annotated[str, AfterValidator(_asn_range)]
VniRange = Annotated[str, AfterValidator(_vni_range)]
VlanRange = Annotated[str, AfterValidator(_vlan_range)]
VlanList = Annotated[str, AfterValidator(_vlan_list)]
Endpoint = Annotated[str, AfterValidator(_endpoint)]
RouteTarget = Annotated[str, AfterValidator(_route_target)]


class Model(BaseModel):
    """Base of every document element: unknown keys and wrong types are errors, never dropped."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True, defer_build=True)


class Position(Model):
    """Where the element sits on the canvas. The compiler ignores it."""

    x: float
    y: float


# --- devices ------------------------------------------------------------------------------------

class Nic(Model):
    name: IfName
    speed: Speed | None = None
    role: NicRole | None = None
    mtu: Mtu | None = None
    # The address comes from DHCP. Unset: a management NIC no network gives an address uses DHCP.
    dhcp: bool | None = None
    # With DHCP, install the default route the server offers. Unset: kept, except on egress clients,
    # whose default route comes from their gateways over BGP.
    dhcp_default_route: bool | None = None
    description: str = ""

    @model_validator(mode="after")
    def _default_route_needs_dhcp(self) -> Self:
        if self.dhcp_default_route is not None and not self.dhcp:
            raise ValueError("'dhcp_default_route' needs 'dhcp: true'")
        return self


class Bond(Model):
    name: IfName
    mode: Literal["active-backup", "802.3ad", "balance-xor"] = "802.3ad"
    members: list[IfName] = Field(min_length=1)
    primary: IfName | None = None
    xmit_hash_policy: Literal["layer2", "layer2+3", "layer3+4", "encap2+3", "encap3+4"] | None = None
    lacp_rate: Literal["slow", "fast"] | None = None
    miimon: int = Field(default=100, ge=0, le=10000)
    mtu: Mtu | None = None
    # BGP over the bond with the routers its members are cabled to (an LACP bond to an MLAG pair, so a
    # hypervisor on one can be a VTEP): "numbered" gives the bond and each router an address of one
    # small subnet; "unnumbered" peers over IPv6 link-local, with the one router a bond can reach so.
    bgp: Literal["unnumbered", "numbered"] | None = None

    @model_validator(mode="after")
    def _mode_options(self) -> Self:
        if self.primary is not None and self.mode != "active-backup":
            raise ValueError(f"'primary' only applies to active-backup bonds, not {self.mode}")
        if self.primary is not None and self.primary not in self.members:
            raise ValueError(f"primary '{self.primary}' is not one of the members {self.members}")
        if self.lacp_rate is not None and self.mode != "802.3ad":
            raise ValueError(f"'lacp_rate' only applies to 802.3ad bonds, not {self.mode}")
        if self.xmit_hash_policy is not None and self.mode == "active-backup":
            raise ValueError("'xmit_hash_policy' does not apply to active-backup bonds")
        if len(set(self.members)) != len(self.members):
            raise ValueError("a bond lists the same member twice")
        return self


class VlanInterface(Model):
    """An 802.1Q sub-interface such as ``bond0.104``."""

    parent: IfName
    vid: VlanId
    name: IfName | None = None
    mtu: Mtu | None = None

    @property
    def ifname(self) -> str:
        return self.name or f"{self.parent}.{self.vid}"


class Bridge(Model):
    name: IfName
    ports: list[IfName] = Field(default_factory=_empty_list)
    vlan_aware: bool = False
    vids: VlanList | None = None
    stp: bool = False
    mtu: Mtu | None = None
    # Who configures the bridge. Unset: LXD on an LXD host for a bridge without ports (LXD creates its
    # own, such as lxdbr0, and runs their DHCP and NAT), ifupdown2 otherwise.
    managed_by: Literal["ifupdown2", "lxd"] | None = None

    @model_validator(mode="after")
    def _vids_need_vlan_aware(self) -> Self:
        if self.vids is not None and not self.vlan_aware:
            raise ValueError("'vids' needs 'vlan_aware: true'")
        if self.managed_by == "lxd" and (self.ports or self.vlan_aware):
            raise ValueError("an LXD bridge has no ports and no VLANs of the design: LXD creates it on its own")
        return self


class StaticRoute(Model):
    prefix: Prefix
    via: Address | None = None
    interface: IfName | None = None

    @model_validator(mode="after")
    def _has_nexthop(self) -> Self:
        if self.via is None and self.interface is None:
            raise ValueError("a static route needs 'via', 'interface' or both")
        return self


class Device(Model):
    id: Id
    name: Hostname
    role: Role
    platform: Platform
    rack: Id | None = None
    managed: bool = True
    # IP forwarding; unset, the plan decides: routers forward, hosts only when they route for what is
    # behind them (VRFs, routed networks, announced subnets). A host that does not forward announces
    # only its own prefixes, so it is never a transit path.
    forwarding: bool | None = None
    asn: Asn | None = None
    loopback_v4: Address | None = None
    loopback_v6: Address | None = None
    nics: list[Nic] = Field(default_factory=_empty_list)
    bonds: list[Bond] = Field(default_factory=_empty_list)
    vlans: list[VlanInterface] = Field(default_factory=_empty_list)
    bridges: list[Bridge] = Field(default_factory=_empty_list)
    static_routes: list[StaticRoute] = Field(default_factory=_empty_list)
    description: str = ""
    position: Position | None = None

    @model_validator(mode="after")
    def _lxd_bridges_on_lxd(self) -> Self:
        for bridge in self.bridges:
            if bridge.managed_by == "lxd" and self.platform != "lxd":
                raise ValueError(f"bridge {bridge.name} is managed by LXD, but {self.name} is a {self.platform} "
                                 "device: set platform: lxd, or managed_by: ifupdown2")
        return self


class Rack(Model):
    id: Id
    name: str = Field(min_length=1)
    multihoming: Literal["none", "mlag", "evpn-mh"] = "none"
    position: Position | None = None


# --- cabling ------------------------------------------------------------------------------------

class LinkEnd(Model):
    device: Id
    interface: IfName


class Link(Model):
    """A cable between two NICs. ``unnumbered`` and ``numbered`` links carry BGP; ``lan`` is L2."""

    id: Id
    a: LinkEnd
    b: LinkEnd
    kind: Literal["unnumbered", "numbered", "lan"] = "unnumbered"
    mtu: Mtu | None = None


# --- networks -----------------------------------------------------------------------------------

class RouteTargets(Model):
    import_: list[RouteTarget] = Field(default_factory=_empty_list, alias="import")
    export: list[RouteTarget] = Field(default_factory=_empty_list)


class DeviceMember(Model):
    """A device taking part in a network or mesh; a bare device id is short for ``{device: id}``
    (``_members_written_out``)."""

    device: Id


def _members_written_out(value: object, field: str, model: type[DeviceMember]) -> object:
    """A network or mesh as given, with each bare device id in its list ``field`` written as ``{device: id}``.

    Done by the list's owner rather than by each member: a large fabric's networks have thousands of members,
    and a validator of the member's own is a call into Python for every one of them. (Members may be ``model``s
    already, see ``_attachments_validated_once``.)
    """
    if isinstance(value, dict):
        members = value.get(field)
        if isinstance(members, list) and set(map(type, members)) - {dict, model}:
            return {**value, field: [{"device": m} if isinstance(m, str) else m for m in members]}
    return value


class Attachment(DeviceMember):
    """A device on a network; for VNIs the bridge is planned, for VLANs name the interface."""

    interface: IfName | None = None
    address: Address | None = None


def _attachments_validated_once(value: object) -> object:
    """A design as given, with each attachment validated once however many networks it is in: a large fabric
    attaches the same thousands of devices to each of its VNIs. An attachment is its ``Attachment``, which strict
    validation takes as it is (a model is never changed once made); one that does not validate is left as given,
    for the design's validation to say what is wrong and where.
    """
    if not isinstance(value, dict) or not isinstance(networks := value.get("networks"), list):
        return value
    known: dict[object, Attachment | None] = {}  # an attachment's content -> its model (None: it does not validate)
    # the last list of members of each length whose every member validated, and their models: the next network
    # with an equal list has the same attachments (compared in C, several times faster than validating each once)
    earlier: dict[int, tuple[list, list[Attachment]]] = {}
    written = []
    for network in networks:
        members = network.get("attach") if isinstance(network, dict) else None
        if not isinstance(members, list):
            written.append(network)
            continue
        same = earlier.get(len(members))
        if same is not None and same[0] == members:
            models = list(same[1])
        else:
            models = [_validated_once(member, known) for member in members]
            if all(type(model) is Attachment for model in models):
                earlier[len(members)] = (members, models)
        written.append({**network, "attach": models})
    return {**value, "networks": written}


def _validated_once(member: object, known: dict[object, Attachment | None]) -> object:
    if type(member) is str:
        key: object = member
    elif type(member) is dict:
        device = member.get("device")
        if len(member) == 1 and type(device) is str:
            key = device  # the usual attachment, the same as its bare id
        elif all(type(item) is str or item is None for item in member.values()):  # equal only when the same
            key = tuple(member.items())
        else:
            return member
    else:
        return member
    if key not in known:
        try:
            known[key] = Attachment.model_validate({"device": member} if key is member else member)
        except ValidationError:
            known[key] = None
    return known[key] or member


_ATTACHED_DEVICE = attrgetter("device")
_ATTACHED_INTERFACE = attrgetter("interface")
_ATTACHED_ADDRESS = attrgetter("address")


class Network(Model):
    id: Id
    name: str = Field(min_length=1)
    purpose: Literal["tenant", "management", "cluster", "storage", "transit"] = "tenant"
    vni: VniNumber | Literal["auto"] | None = None
    vlan: VlanId | Literal["auto"] | None = None
    subnet: Prefix | None = None
    subnet_v6: Prefix | None = None
    gateway: Address | None = None
    anycast_gateway: bool = False
    vrf: Id | None = None
    mode: Literal["bridged", "routed"] = "bridged"
    scope: Literal["fabric", "node"] = "fabric"
    prefix_length: int | None = Field(default=None, ge=8, le=30)
    host_addresses: bool | None = None
    announce: bool | None = None
    bridge: IfName | None = None
    mtu: Mtu | None = None
    route_targets: RouteTargets | None = None
    attach: list[Attachment] = Field(default_factory=_empty_list)
    position: Position | None = None

    @model_validator(mode="before")
    @classmethod
    def _attach_shorthand(cls, value: object) -> object:
        return _members_written_out(value, "attach", Attachment)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.anycast_gateway and self.vni is None:
            raise ValueError("'anycast_gateway' needs a VNI: the gateway lives on every VTEP's bridge")
        if self.mode == "routed" and self.vlan is None:
            raise ValueError("a routed network needs a 'vlan': the host routes per VLAN (table, rules)")
        if self.mode == "routed" and self.gateway is None:
            raise ValueError("a routed network needs the upstream 'gateway' of its VLAN")
        if self.scope == "node" and self.subnet is not None:
            raise ValueError("'scope: node' gives each device its own subnet from the tenant pool; "
                             "drop 'subnet' or use 'scope: fabric'")
        if self.route_targets is not None and self.vni is None:
            raise ValueError("'route_targets' need a VNI")
        return self

    @property
    def wants_host_addresses(self) -> bool:
        return self.host_addresses if self.host_addresses is not None else self.purpose != "tenant"

    # worked out once per network: a large fabric's VNI is on thousands of devices, and the references, the
    # planner and the checks each ask (a network is never changed once made)
    @cached_property
    def device_ids(self) -> tuple[str, ...]:
        """The attached devices, in order."""
        return tuple(map(_ATTACHED_DEVICE, self.attach))

    @cached_property
    def names_interfaces(self) -> bool:
        """Whether an attachment names the interface that carries the network on its device."""
        return any(map(_ATTACHED_INTERFACE, self.attach))  # a name is never empty

    @cached_property
    def pins_addresses(self) -> bool:
        """Whether an attachment pins the device's address on the network."""
        return any(map(_ATTACHED_ADDRESS, self.attach))  # an address is never empty


class Vrf(Model):
    id: Id
    name: IfName
    l3vni: VniNumber | Literal["auto"] | None = "auto"
    table: int | None = Field(default=None, ge=1, le=4294967294)
    route_targets: RouteTargets | None = None
    position: Position | None = None


# --- overlays, egress, services -----------------------------------------------------------------

class MeshMember(DeviceMember):
    endpoint: Endpoint | None = None
    listen_port: Port | None = None


class MeshVxlan(Model):
    vni: VniNumber = 1
    port: Port = 4789


class WireguardMesh(Model):
    id: Id
    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,13}$")]
    listen_port: Port = 51820
    path_mtu: Mtu = 1500
    keepalive: int | None = Field(default=25, ge=1, le=65535)
    members: list[MeshMember] = Field(default_factory=_empty_list)
    blacklist: list[Annotated[list[Id], Field(min_length=2, max_length=2)]] = Field(default_factory=_empty_list)
    vxlan: MeshVxlan | None = None
    position: Position | None = None

    @model_validator(mode="before")
    @classmethod
    def _members_shorthand(cls, value: object) -> object:
        return _members_written_out(value, "members", MeshMember)


class Egress(Model):
    """Redundant egress gateways: clients peer with every gateway and spread flows by ECMP."""

    id: Id
    name: str = Field(min_length=1)
    network: Id
    gateways: list[Id] = Field(min_length=1)
    clients: list[Id] = Field(default_factory=_empty_list)
    listen_range: Prefix
    hash_policy: Literal["l3", "l4"] = "l4"
    supernet: Prefix | None = None
    subnet_gateway: Address | None = None
    position: Position | None = None

    @model_validator(mode="after")
    def _supernet_needs_gateway(self) -> Self:
        if self.supernet is not None and self.subnet_gateway is None:
            raise ValueError("'supernet' needs 'subnet_gateway': the cloud router that reaches it")
        return self


class IpSet(Model):
    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")]
    cidrs: list[InterfaceAddress | Address] = Field(default_factory=_empty_list)
    networks: list[Id] = Field(default_factory=_empty_list)
    comment: str = ""


class FirewallRule(Model):
    action: Literal["ACCEPT", "DROP", "REJECT"]
    direction: Literal["in", "out"] = "in"
    source: str | None = None
    dest: str | None = None
    proto: Literal["tcp", "udp", "icmp", "ipv6-icmp"] | None = None
    dport: str | None = None
    macro: str | None = None
    comment: str = ""


class Firewall(Model):
    """The Proxmox firewall: cluster-wide IPSets and rules, enabled on the listed devices."""

    enabled: bool = True
    policy_in: Literal["ACCEPT", "DROP", "REJECT"] = "DROP"
    policy_out: Literal["ACCEPT", "DROP", "REJECT"] = "ACCEPT"
    ipsets: list[IpSet] = Field(default_factory=_empty_list)
    rules: list[FirewallRule] = Field(default_factory=_empty_list)
    devices: list[Id] | None = None


class Jail(Model):
    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    failregex: list[str] = Field(min_length=1)
    ignoreregex: list[str] = Field(default_factory=_empty_list)
    logpath: str
    port: str = "http,https"
    action: str = "iptables-allports"
    bantime: int = Field(default=3600, ge=1)
    findtime: int = Field(default=600, ge=1)
    maxretry: int = Field(default=5, ge=1)
    ignoreip: list[str] = Field(default_factory=lambda: ["127.0.0.1/8"])
    devices: list[Id] | None = None


class Dns(Model):
    zone: Annotated[str, StringConstraints(pattern=r"^([A-Za-z0-9-]+\.)+[A-Za-z]{2,}$")]
    ttl: int = Field(default=3600, ge=60)
    nameservers: list[str] = Field(default_factory=lambda: ["ns1"])
    contact: str = "hostmaster"


# --- policies -----------------------------------------------------------------------------------

class Underlay(Model):
    style: Literal["ebgp", "ibgp"] = "ebgp"
    asn: Asn | None = None
    route_reflectors: list[Id] = Field(default_factory=_empty_list)
    mesh: Id | None = None
    peer_group: Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")] = "fabric"
    # seconds between attempts to open a session that failed (FRR's datacenter value; BGP's own is 120)
    connect_retry: int = Field(default=10, ge=1, le=65535)

    @model_validator(mode="after")
    def _style_options(self) -> Self:
        if self.style == "ebgp" and (self.asn is not None or self.route_reflectors):
            raise ValueError("'asn' and 'route_reflectors' belong to 'style: ibgp'; "
                             "eBGP takes ASNs from the 'asn' policy")
        return self


class AsnPolicy(Model):
    """How ASNs are handed out: per role, unique per node, shared per rack, or one for all."""

    range: AsnRange = "4200000000-4294967294"
    spine: AsnScope = "shared"
    leaf: AsnScope = "node"
    border: AsnScope = "node"
    gateway: AsnScope = "shared"
    hypervisor: AsnScope = "node"
    router: AsnScope = "node"
    host: AsnScope = "node"


class MtuPolicy(Model):
    underlay: Mtu = 9216
    tenant: Mtu | None = None
    default: Mtu = 1500


class Pools(Model):
    loopback_v4: Prefix = "10.255.0.0/16"
    loopback_v6: Prefix | None = None
    vtep_v4: Prefix | None = None
    p2p_v4: Prefix = "10.254.0.0/16"
    management_v4: Prefix | None = None
    cluster_v4: Prefix | None = None
    storage_v4: Prefix | None = None
    tenant_v4: Prefix | None = None
    wireguard_v4: Prefix | None = None
    wireguard_v6: Prefix | None = None
    vni: VniRange = "10000-19999"
    l3vni: VniRange = "50000-50999"
    vlan: VlanRange = "100-3999"


class Design(Model):
    """A whole fabric: the single source of truth the planner, checks and renderers read."""

    version: Literal[1] = SCHEMA_VERSION
    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    description: str = ""
    underlay: Underlay = Field(default_factory=Underlay)
    asn: AsnPolicy = Field(default_factory=AsnPolicy)
    mtu: MtuPolicy = Field(default_factory=MtuPolicy)
    pools: Pools = Field(default_factory=Pools)
    racks: list[Rack] = Field(default_factory=_empty_list)
    devices: list[Device] = Field(default_factory=_empty_list)
    links: list[Link] = Field(default_factory=_empty_list)
    networks: list[Network] = Field(default_factory=_empty_list)
    vrfs: list[Vrf] = Field(default_factory=_empty_list)
    wireguard: list[WireguardMesh] = Field(default_factory=_empty_list)
    egress: list[Egress] = Field(default_factory=_empty_list)
    firewall: Firewall | None = None
    fail2ban: list[Jail] = Field(default_factory=_empty_list)
    dns: Dns | None = None

    @model_validator(mode="before")
    @classmethod
    def _attachments_shared(cls, value: object) -> object:
        return _attachments_validated_once(value)


def json_schema() -> dict:
    """The JSON Schema of the document, for the canvas inspector and for editors."""
    return Design.model_json_schema(by_alias=True)
