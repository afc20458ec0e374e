"""WireGuard meshes: keys, link-local VTEPs, overlay addresses, peers and MTUs (seed 003)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field

import netaddr
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from ..addresses import ip_address, ip_network
from ..errors import DesignError, Problem
from ..spec import Design, WireguardMesh
from .model import MeshPlan, WireguardPeer, WireguardPlan
from .pools import AddressPool, Allocator, Request
from .topology import Topology

WIREGUARD_OVERHEAD_V4 = 60
WIREGUARD_OVERHEAD_V6 = 80
VXLAN_OVERHEAD_V4 = 50
DEFAULT_MESH_VTEPS = "169.254.0.0/16"

KeyGen = Callable[[], str]


def generate_private_key() -> str:
    """A fresh X25519 private key, base64 as WireGuard writes it."""
    raw = X25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return base64.b64encode(raw).decode()


def public_key(private_key: str) -> str:
    key = X25519PrivateKey.from_private_bytes(base64.b64decode(private_key))
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def link_local_vtep(vtep_v4: str) -> str:
    """An IPv6 link-local VTEP that mirrors the IPv4 one, so both are unique together."""
    value = int(ip_address(vtep_v4))
    return str(netaddr.IPAddress((0xFE80 << 112) | value, 6))


def _blocked(mesh: WireguardMesh) -> set[frozenset[str]]:
    return {frozenset(pair) for pair in mesh.blacklist}


@dataclass(slots=True)
class MeshResult:
    meshes: list[MeshPlan] = field(default_factory=list)
    per_device: dict[str, list[WireguardPlan]] = field(default_factory=dict)
    overlay_v4: dict[str, dict[str, str]] = field(default_factory=dict)  # mesh -> device -> address


def plan_meshes(design: Design, topo: Topology, alloc: Allocator, keygen: KeyGen,
                announced: dict[str, list[str]]) -> MeshResult:
    out = MeshResult()
    pools = design.pools
    vtep_prefix = pools.vtep_v4 or DEFAULT_MESH_VTEPS
    vtep_pool = AddressPool("mesh vtep", vtep_prefix)
    overlay_v4_pool = AddressPool("wireguard_v4", pools.wireguard_v4) if pools.wireguard_v4 else None
    overlay_v6_pool = AddressPool("wireguard_v6", pools.wireguard_v6) if pools.wireguard_v6 else None
    for m_index, mesh in enumerate(design.wireguard):
        base = f"wireguard[{m_index}]"
        members = [m.device for m in mesh.members]
        requests = [Request(f"{mesh.id}@{d}", f"{base}.members[{i}]") for i, d in enumerate(members)]
        if overlay_v4_pool is None and overlay_v6_pool is None:
            raise DesignError(Problem(f"{base}", f"mesh {mesh.name} needs overlay addresses",
                                      "set pools.wireguard_v4 and/or pools.wireguard_v6"))
        overlay_v4 = _by_device(alloc.assign("wireguard_v4", overlay_v4_pool, requests,
                                             pool_path="pools.wireguard_v4")) if overlay_v4_pool else {}
        overlay_v6 = _by_device(alloc.assign("wireguard_v6", overlay_v6_pool, requests,
                                             pool_path="pools.wireguard_v6")) if overlay_v6_pool else {}
        vteps = _by_device(alloc.assign("mesh_vtep_v4", vtep_pool, requests,
                                        pool_path="pools.vtep_v4")) if mesh.vxlan else {}
        keys = {d: alloc.keep("wireguard_key", f"{mesh.id}@{d}", keygen) for d in members}
        publics = {d: public_key(keys[d]) for d in members}
        v6_endpoints = any(m.endpoint and m.endpoint.startswith("[") for m in mesh.members)
        wg_mtu = mesh.path_mtu - (WIREGUARD_OVERHEAD_V6 if v6_endpoints else WIREGUARD_OVERHEAD_V4)
        vxlan_mtu = wg_mtu - VXLAN_OVERHEAD_V4 if mesh.vxlan else None
        blocked = _blocked(mesh)
        v4_len = ip_network(pools.wireguard_v4).prefixlen if pools.wireguard_v4 else None
        v6_len = ip_network(pools.wireguard_v6).prefixlen if pools.wireguard_v6 else None
        vtep_len = ip_network(vtep_prefix).prefixlen
        overlay_addresses: dict[str, list[str]] = {d: [] for d in members}
        for d, address in overlay_v4.items():
            overlay_addresses[d].append(f"{address}/{v4_len}")
        for d, address in overlay_v6.items():
            overlay_addresses[d].append(f"{address}/{v6_len}")
        by_device = {m.device: m for m in mesh.members}
        for device_id in members:
            peers = []
            for peer_id in members:
                if peer_id == device_id or frozenset((device_id, peer_id)) in blocked:
                    continue
                peer = by_device[peer_id]
                if mesh.vxlan:
                    allowed = [f"{vteps[peer_id]}/32", f"{link_local_vtep(vteps[peer_id])}/128"]
                else:
                    allowed = [a.split("/")[0] + ("/32" if ":" not in a else "/128")
                               for a in overlay_addresses[peer_id]] + announced.get(peer_id, [])
                peers.append(WireguardPeer(
                    device=peer_id, name=topo.name(peer_id), public_key=publics[peer_id],
                    endpoint=_endpoint(peer.endpoint, peer.listen_port or mesh.listen_port),
                    allowed_ips=allowed, vtep_v4=vteps.get(peer_id, ""), keepalive=mesh.keepalive))
            member = by_device[device_id]
            wg = WireguardPlan(
                mesh=mesh.id, interface=mesh.name, listen_port=member.listen_port or mesh.listen_port,
                private_key=keys[device_id], public_key=publics[device_id],
                addresses=([f"{vteps[device_id]}/{vtep_len}", f"{link_local_vtep(vteps[device_id])}/64"]
                           if mesh.vxlan else overlay_addresses[device_id]),
                mtu=wg_mtu, peers=peers)
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


def _by_device(drawn: dict[str, str]) -> dict[str, str]:
    return {key.split("@", 1)[1]: value for key, value in drawn.items()}


def _endpoint(endpoint: str | None, port: int) -> str | None:
    if endpoint is None:
        return None
    has_port = endpoint.rsplit("]", 1)[-1].count(":") == 1 if endpoint.startswith("[") else ":" in endpoint
    return endpoint if has_port else f"{endpoint}:{port}"
