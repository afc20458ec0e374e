"""Which part of the overlay a diagram shows: all of it, one VNI, or one VRF with its VNIs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import DesignError, Problem
from ..plan.model import MeshPlan, NetworkPlan, Plan, VniPlan, VrfPlan, WireguardPlan


@dataclass(frozen=True, slots=True)
class Selection:
    vnis: list[VniPlan]
    vrfs: list[VrfPlan]
    meshes: list[MeshPlan]
    lans: list[NetworkPlan]  # networks without a VNI: VLANs and LAN segments
    focus: str = ""  # what a narrowed view shows, such as "VNI 201"; empty for the whole overlay


def mesh_interfaces(plan: Plan, mesh: MeshPlan) -> Iterator[tuple[str, WireguardPlan]]:
    """Each member of a WireGuard mesh with its interface on that mesh, in the mesh's order."""
    for device_id in mesh.members:
        for wireguard in plan.devices[device_id].wireguard:
            if wireguard.mesh == mesh.id:
                yield device_id, wireguard


def mesh_vni(plan: Plan, mesh: MeshPlan) -> int | None:
    """The VXLAN segment riding on a WireGuard mesh, as its members' plans carry it."""
    return next((wireguard.vxlan_vni for _, wireguard in mesh_interfaces(plan, mesh)
                 if wireguard.vxlan_vni is not None), None)


def select(plan: Plan, *, vni: int | None = None, vrf: str | None = None) -> Selection:
    if vni is not None and vrf is not None:
        raise DesignError(Problem("vni", "give a VNI or a VRF, not both"))
    if vni is not None:
        return select_vni(plan, vni)
    if vrf is not None:
        return select_vrf(plan, vrf)
    return Selection(vnis=list(plan.vnis), vrfs=list(plan.vrfs), meshes=list(plan.meshes),
                     lans=[net for net in plan.networks if net.vni is None and net.interfaces])


def select_vni(plan: Plan, number: int) -> Selection:
    for segment in plan.vnis:
        if segment.vni == number:
            vrfs = [vrf for vrf in plan.vrfs if vrf.id == segment.vrf]
            return Selection(vnis=[segment], vrfs=vrfs, meshes=[], lans=[], focus=f"VNI {number}")
    for vrf in plan.vrfs:
        if vrf.l3vni == number:
            return select_vrf(plan, vrf.name)
    meshes = [mesh for mesh in plan.meshes if mesh_vni(plan, mesh) == number]
    if meshes:
        return Selection(vnis=[], vrfs=[], meshes=meshes, lans=[], focus=f"VNI {number}")
    known = sorted({segment.vni for segment in plan.vnis} | {vrf.l3vni for vrf in plan.vrfs if vrf.l3vni}
                   | {n for n in (mesh_vni(plan, mesh) for mesh in plan.meshes) if n is not None})
    hint = f"its VNIs are {', '.join(map(str, known))}" if known else "it has no VNI at all"
    raise DesignError(Problem("vni", f"design '{plan.name}' has no VNI {number}", hint))


def select_vrf(plan: Plan, name: str) -> Selection:
    for vrf in plan.vrfs:
        if name in (vrf.name, vrf.id):
            vnis = [segment for segment in plan.vnis if segment.vrf == vrf.id]
            return Selection(vnis=vnis, vrfs=[vrf], meshes=[], lans=[], focus=f"VRF {vrf.name}")
    known = ", ".join(vrf.name for vrf in plan.vrfs)
    hint = f"its VRFs are {known}" if known else "it has no VRF at all"
    raise DesignError(Problem("vrf", f"design '{plan.name}' has no VRF '{name}'", hint))
