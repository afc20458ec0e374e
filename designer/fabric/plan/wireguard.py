"""WireGuard meshes: keys, link-local VTEPs, overlay addresses, peers and MTUs (seed 003)."""

from __future__ import annotations

import base64
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import netaddr

from ..addresses import ip_address, ip_network
from ..errors import DesignError, Problem
from ..spec import Design, MeshMember, WireguardMesh
from .model import MeshPlan, WireguardPeer, WireguardPlan
from .overlay import VXLAN_OVERHEAD_V4
from .pools import AddressPool, Allocator, Request, by_device
from .topology import Topology

WIREGUARD_OVERHEAD_V4 = 60
WIREGUARD_OVERHEAD_V6 = 80
DEFAULT_MESH_VTEPS = "169.254.0.0/16"
# never mesh VTEPs: the first and last /24 of 169.254.0.0/16, which RFC 3927 reserves, and the block of
# the cloud's metadata service, DNS and NTP (169.254.169.254, .253, .123)
RESERVED_LINK_LOCAL = ("169.254.0.0/24", "169.254.255.0/24", "169.254.169.0/24")

KeyGen = Callable[[], str]


def generate_private_key() -> str:
    """A fresh X25519 private key, base64 as WireGuard writes it."""
    from cryptography.hazmat.primitives import serialization  # only designs with meshes need it
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    raw = X25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return base64.b64encode(raw).decode()


@functools.lru_cache(maxsize=16384)  # a pure function of the key; bounded so a long-lived process stays small
def public_key(private_key: str) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    key = X25519PrivateKey.from_private_bytes(base64.b64decode(private_key))
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def link_local_vtep(vtep_v4: str) -> str:
    """An IPv6 link-local VTEP that mirrors the IPv4 one, so both are unique together."""
    value = int(ip_address(vtep_v4))
    return str(netaddr.IPAddress((0xFE80 << 112) | value, 6))


def blacklisted_peers(mesh: WireguardMesh) -> dict[str, set[str]]:
    """Member -> the members its blacklist pairs keep it from peering with."""
    out: dict[str, set[str]] = {}
    for a, b in mesh.blacklist:
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return out


@dataclass(slots=True)
class MeshResult:
    """The planned meshes, each device's tunnels and the overlay addresses in each mesh."""

    meshes: list[MeshPlan] = field(default_factory=list)
    per_device: dict[str, list[WireguardPlan]] = field(default_factory=dict)
    overlay_v4: dict[str, dict[str, str]] = field(default_factory=dict)  # mesh -> device -> address


def plan_meshes(design: Design, topo: Topology, alloc: Allocator, keygen: KeyGen,
                announced: dict[str, list[str]]) -> MeshResult:
    out = MeshResult()
    pools = design.pools
    if design.wireguard and not (pools.wireguard_v4 or pools.wireguard_v6):
        raise DesignError(Problem("wireguard[0]", f"mesh {design.wireguard[0].name} needs overlay addresses",
                                  "set pools.wireguard_v4 and/or pools.wireguard_v6"))
    vtep_prefix = pools.vtep_v4 or DEFAULT_MESH_VTEPS
    vtep_pool = AddressPool("mesh vtep", vtep_prefix, excluded=RESERVED_LINK_LOCAL)
    overlay_v4_pool = AddressPool("wireguard_v4", pools.wireguard_v4) if pools.wireguard_v4 else None
    overlay_v6_pool = AddressPool("wireguard_v6", pools.wireguard_v6) if pools.wireguard_v6 else None
    v4_len = ip_network(pools.wireguard_v4).prefixlen if pools.wireguard_v4 else None
    v6_len = ip_network(pools.wireguard_v6).prefixlen if pools.wireguard_v6 else None
    for m_index, mesh in enumerate(design.wireguard):
        base = f"wireguard[{m_index}]"
        members = [m.device for m in mesh.members]
        requests = [Request(f"{mesh.id}@{d}", f"{base}.members[{i}]") for i, d in enumerate(members)]
        overlay_v4 = by_device(alloc.assign("wireguard_v4", overlay_v4_pool, requests,
                                            pool_path="pools.wireguard_v4")) if overlay_v4_pool else {}
        overlay_v6 = by_device(alloc.assign("wireguard_v6", overlay_v6_pool, requests,
                                            pool_path="pools.wireguard_v6")) if overlay_v6_pool else {}
        vteps = by_device(alloc.assign("mesh_vtep_v4", vtep_pool, requests,
                                       pool_path="pools.vtep_v4")) if mesh.vxlan else {}
        keys = {d: alloc.keep("wireguard_key", f"{mesh.id}@{d}", keygen) for d in members}
        v6_endpoints = any(m.endpoint and not _ipv4_endpoint(m.endpoint) for m in mesh.members)
        wg_mtu = mesh.path_mtu - (WIREGUARD_OVERHEAD_V6 if v6_endpoints else WIREGUARD_OVERHEAD_V4)
        vxlan_mtu = wg_mtu - VXLAN_OVERHEAD_V4 if mesh.vxlan else None
        blocked = blacklisted_peers(mesh)
        link_locals = {d: link_local_vtep(vtep) for d, vtep in vteps.items()}
        overlay_addresses: dict[str, list[str]] = {d: [] for d in members}
        for d, address in overlay_v4.items():
            overlay_addresses[d].append(f"{address}/{v4_len}")
        for d, address in overlay_v6.items():
            overlay_addresses[d].append(f"{address}/{v6_len}")
        # what every other member writes about this one, decided once per member
        as_peer = {member.device: _as_peer(mesh, member, topo, public_key(keys[member.device]),
                                           vteps.get(member.device), link_locals.get(member.device),
                                           overlay_addresses[member.device], announced.get(member.device, []))
                   for member in mesh.members}
        for member in mesh.members:
            device_id = member.device
            vtep = vteps.get(device_id)
            unreachable = blocked.get(device_id, set())
            peers = [peer for peer_id, peer in as_peer.items() if peer_id != device_id and peer_id not in unreachable]
            wg = WireguardPlan(
                mesh=mesh.id, interface=mesh.name, listen_port=member.listen_port or mesh.listen_port,
                private_key=keys[device_id], public_key=as_peer[device_id].public_key,
                # a /32: a connected route for the whole VTEP prefix would capture 169.254.169.254 too
                addresses=([f"{vtep}/32", f"{link_locals[device_id]}/64"]
                           if mesh.vxlan else overlay_addresses[device_id]),
                mtu=wg_mtu, peers=peers,
                vtep_routes=[f"{peer.vtep_v4}/32" for peer in peers] if mesh.vxlan else [],
                vtep_v4=vtep)
            if mesh.vxlan:
                wg.vxlan_interface = f"v{mesh.name}"
                wg.vxlan_vni = mesh.vxlan.vni
                wg.vxlan_port = mesh.vxlan.port
                wg.vxlan_mtu = vxlan_mtu
                wg.vxlan_addresses = overlay_addresses[device_id]
            out.per_device.setdefault(device_id, []).append(wg)
        out.overlay_v4[mesh.id] = dict(overlay_v4)
        out.meshes.append(MeshPlan(id=mesh.id, name=mesh.name, listen_port=mesh.listen_port, wireguard_mtu=wg_mtu,
                                   vxlan_mtu=vxlan_mtu, members=members,
                                   blacklist=[(a, b) for a, b in mesh.blacklist]))
    return out


def _as_peer(mesh: WireguardMesh, member: MeshMember, topo: Topology, public: str, vtep: str | None,
             link_local: str | None, overlay_addresses: list[str], announced: list[str]) -> WireguardPeer:
    """A member as the others see it: its key, where to reach it, and what it may send."""
    if vtep is not None:
        allowed = [f"{vtep}/32", f"{link_local}/128"]
    else:
        allowed = [a.split("/")[0] + ("/32" if ":" not in a else "/128") for a in overlay_addresses] + announced
    return WireguardPeer(device=member.device, name=topo.name(member.device), public_key=public,
                         endpoint=_endpoint(member.endpoint, member.listen_port or mesh.listen_port),
                         allowed_ips=allowed, vtep_v4=vtep or "", keepalive=mesh.keepalive)


def _ipv4_endpoint(endpoint: str) -> bool:
    """Whether an endpoint is an IPv4 address: a DNS name may resolve to IPv6, whose headers are larger."""
    host = endpoint.rsplit(":", 1)[0] if endpoint.count(":") == 1 else endpoint
    try:
        return ip_address(host).version == 4
    except (netaddr.AddrFormatError, ValueError, TypeError):
        return False


def _endpoint(endpoint: str | None, port: int) -> str | None:
    if endpoint is None:
        return None
    has_port = endpoint.rsplit("]", 1)[-1].count(":") == 1 if endpoint.startswith("[") else ":" in endpoint
    return endpoint if has_port else f"{endpoint}:{port}"
