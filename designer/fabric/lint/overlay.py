"""Checks on VNIs, VRFs, route targets and the underlay MTU the overlay needs."""

from __future__ import annotations

from collections.abc import Iterator

from .findings import Context, Issue, check


@check("vni-single-vtep", "warning", "A VNI is carried by fewer than two VTEPs")
def vni_single_vtep(ctx: Context) -> Iterator[Issue]:
    for vni in ctx.plan.vnis:
        if len(vni.vteps) < 2:
            yield Issue(f"VNI {vni.vni} ({vni.name}) is carried by {len(vni.vteps)} VTEP(s): nothing "
                        "is stretched across the fabric", (vni.network, *vni.vteps),
                        "attach the network to at least two devices, or make it a local VLAN")
