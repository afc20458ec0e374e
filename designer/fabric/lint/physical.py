"""Checks on cabling, NICs, bonds, bridges and MTUs."""

from __future__ import annotations

from collections.abc import Iterator

from .findings import Context, Issue, check


@check("link-mtu-mismatch", "error", "The two ends of a link have different MTUs")
def link_mtu_mismatch(ctx: Context) -> Iterator[Issue]:
    for link in ctx.plan.links:
        if link.a_mtu != link.b_mtu:
            yield Issue(
                f"link {link.id}: {ctx.name(link.a_device)}:{link.a_interface} has MTU {link.a_mtu} but "
                f"{ctx.name(link.b_device)}:{link.b_interface} has {link.b_mtu}",
                (link.id, link.a_device, link.b_device),
                "set the same MTU on both NICs, or set it once on the link")
