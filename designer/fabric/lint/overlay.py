"""Checks on VNIs, VRFs, route targets and the underlay MTU the overlay needs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..plan.membership import by_device
from ..plan.overlay import VXLAN_OVERHEAD_V4, tenant_mtu
from .findings import Context, Issue, check
from .groups import Groups
from .physical import port_label


@dataclass(frozen=True, slots=True)
class Segment:
    """A VXLAN segment EVPN carries: the L2 VNI of a network or the L3VNI of a VRF."""

    element: str
    name: str
    vni: int
    mtu: int
    vteps: tuple[str, ...]
    is_vrf: bool
    explicit_targets: frozenset[str]  # empty when FRR derives the targets itself

    @property
    def label(self) -> str:
        return f"VRF {self.name} (L3VNI {self.vni})" if self.is_vrf else f"VNI {self.vni} ({self.name})"

    @property
    def kind_name(self) -> str:
        return f"VRF {self.name}" if self.is_vrf else f"network {self.name}"


def segments(ctx: Context) -> list[Segment]:
    """Every L2 VNI and L3VNI of the plan, built once per lint run."""
    if "segments" not in ctx.cache:
        found = [Segment(vni.network, vni.name, vni.vni, vni.mtu, tuple(vni.vteps), False,
                         frozenset(vni.route_targets_import + vni.route_targets_export)
                         if vni.explicit_route_targets else frozenset())
                 for vni in ctx.plan.vnis]
        found += [Segment(vrf.id, vrf.name, vrf.l3vni, tenant_mtu(ctx.design),
                          tuple(vrf.members), True, frozenset(vrf.route_targets_import + vrf.route_targets_export))
                  for vrf in ctx.plan.vrfs if vrf.l3vni is not None]
        ctx.cache["segments"] = found
    return ctx.cache["segments"]


def segments_of(ctx: Context) -> dict[str, list[Segment]]:
    """Each VTEP's segments, in plan order, built once per lint run."""
    if "segments_of" not in ctx.cache:
        ctx.cache["segments_of"] = by_device(segments(ctx), lambda segment: segment.vteps)
    return ctx.cache["segments_of"]


@check("vni-single-vtep", "warning", "A VNI is carried by fewer than two VTEPs")
def vni_single_vtep(ctx: Context) -> Iterator[Issue]:
    for vni in ctx.plan.vnis:
        if len(vni.vteps) < 2:
            yield Issue(f"VNI {vni.vni} ({vni.name}) is carried by {len(vni.vteps)} VTEP(s): nothing "
                        "is stretched across the fabric", (vni.network, *vni.vteps),
                        "attach the network to at least two devices, or make it a local VLAN")


@check("vni-duplicate", "error", "Two segments use the same VNI")
def vni_duplicate(ctx: Context) -> Iterator[Issue]:
    owners: dict[int, list[Segment]] = {}
    for segment in segments(ctx):
        owners.setdefault(segment.vni, []).append(segment)
    for vni, found in owners.items():
        if len(found) > 1:
            yield Issue(f"VNI {vni} is used by {' and '.join(s.kind_name for s in found)}: their traffic and EVPN "
                        "routes merge into one segment", tuple(s.element for s in found),
                        "give each network and VRF its own VNI (or 'auto')")
    for mesh in ctx.design.wireguard:
        if mesh.vxlan is None or mesh.vxlan.vni not in owners:
            continue
        shared = [m.device for m in mesh.members if mesh.vxlan.vni in ctx.plan.devices[m.device].vnis]
        if shared:
            yield Issue(f"WireGuard mesh {mesh.name} runs VXLAN {mesh.vxlan.vni}, which "
                        f"{', '.join(ctx.name(d) for d in shared)} also carry as "
                        f"{owners[mesh.vxlan.vni][0].label}: the kernel refuses a second VXLAN device with that VNI",
                        (mesh.id, *shared), "give the mesh's VXLAN another VNI")


def _routed_islands(ctx: Context) -> dict[str, str]:
    """Device -> a representative of the set of devices its routed links join together."""
    islands = Groups()
    for link in ctx.plan.links:
        if link.kind != "lan":
            islands.join(link.a_device, link.b_device)
    return {device_id: islands.root(device_id) for device_id in list(islands.parent)}


def _largest_frames(ctx: Context) -> tuple[dict[str, str], dict[str, tuple[int, str]]]:
    """The routed islands, and what each must carry: (largest tenant MTU, the segment asking for it)."""
    if "largest_frames" not in ctx.cache:
        island = _routed_islands(ctx)
        needed: dict[str, tuple[int, str]] = {}
        # the islands of a segment's VTEPs first: a large fabric has thousands of VTEPs in a few islands, and
        # many segments on the same VTEPs
        roots: dict[tuple[str, ...], dict[str | None, None]] = {}
        for segment in segments(ctx):
            if segment.vteps not in roots:
                roots[segment.vteps] = dict.fromkeys(map(island.get, segment.vteps))
            for root in roots[segment.vteps]:
                if root is not None and segment.mtu > needed.get(root, (0, ""))[0]:
                    needed[root] = (segment.mtu, segment.label)
        ctx.cache["largest_frames"] = island, needed
    return ctx.cache["largest_frames"]


@check("underlay-mtu-too-small", "error", "A routed link cannot carry the overlay's largest frame", details=True)
def underlay_mtu_too_small(ctx: Context) -> Iterator[Issue]:
    if not ctx.plan.vnis and not any(vrf.l3vni for vrf in ctx.plan.vrfs):
        return
    island, needed = _largest_frames(ctx)
    for link in ctx.links():
        if link.kind == "lan" or island.get(link.a_device) not in needed:
            continue
        tenant, label = needed[island[link.a_device]]
        mtu = min(link.a_mtu or 0, link.b_mtu or 0)
        if mtu < tenant + VXLAN_OVERHEAD_V4:
            yield Issue(f"link {link.id} ({port_label(ctx, link.a_device, link.a_interface)} - "
                        f"{port_label(ctx, link.b_device, link.b_interface)}) has MTU {mtu}, but "
                        f"{label} sends {tenant}-byte frames that need {tenant + VXLAN_OVERHEAD_V4} with "
                        f"VXLAN's {VXLAN_OVERHEAD_V4} bytes: full-size tenant packets are dropped",
                        (link.id, link.a_device, link.b_device),
                        f"raise mtu.underlay (or the link's MTU) to at least {tenant + VXLAN_OVERHEAD_V4}, "
                        "or lower the tenant MTU")
    yield from _mesh_too_small(ctx)


def _mesh_too_small(ctx: Context) -> Iterator[Issue]:
    """Over a WireGuard underlay the VXLAN packets leave by the mesh interface, whose MTU is smaller."""
    mesh_id = ctx.design.underlay.mesh
    for segment in segments(ctx) if mesh_id is not None else ():
        for device_id in segment.vteps:
            if not ctx.checks(device_id):
                continue
            wg = next((w for w in ctx.plan.devices[device_id].wireguard if w.mesh == mesh_id), None)
            if wg is not None and segment.mtu + VXLAN_OVERHEAD_V4 > wg.mtu:
                yield Issue(f"{segment.label} sends {segment.mtu}-byte frames from {ctx.name(device_id)}, but "
                            f"with VXLAN's {VXLAN_OVERHEAD_V4} bytes they exceed the MTU {wg.mtu} of its WireGuard "
                            f"interface {wg.interface}: full-size tenant packets are dropped",
                            (segment.element, device_id, mesh_id),
                            f"set the network's MTU (or mtu.tenant) to at most {wg.mtu - VXLAN_OVERHEAD_V4}")


def _local_part(target: str) -> int:
    return int(target.rsplit(":", 1)[1])


@check("route-target-collision", "error", "A VNI or VRF uses a route target another segment imports")
def route_target_collision(ctx: Context) -> Iterator[Issue]:
    found = segments(ctx)
    explicit: dict[str, list[Segment]] = {}
    derived: dict[int, list[Segment]] = {}
    for segment in found:
        for target in segment.explicit_targets:
            explicit.setdefault(target, []).append(segment)
        if not segment.explicit_targets:
            derived.setdefault(segment.vni, []).append(segment)
    reported: set[frozenset[str]] = set()
    for segment in found:
        for target in sorted(segment.explicit_targets):
            # FRR's derived import matches ASN:VNI for any ASN, so an explicit target whose number is
            # another segment's VNI is imported there too.
            for other in (*explicit[target], *derived.get(_local_part(target), ())):
                pair = frozenset((segment.element, other.element))
                if other is segment or pair in reported:
                    continue
                reported.add(pair)
                how = "also uses it" if other.explicit_targets else f"imports it (FRR derives *:{other.vni})"
                leak = segment.is_vrf and other.is_vrf  # VRFs sharing targets is how routes are leaked on purpose
                hint = "give each segment route targets of its own"
                yield Issue(f"{segment.label} uses route target {target} and {other.label} {how}: routes of one "
                            "are imported into the other", (segment.element, other.element),
                            f"{hint}, unless the VRFs are meant to leak routes" if leak else hint,
                            severity="warning" if leak else None)
