"""dhclient: ask the cloud's DHCP for an address but not for ``routers`` (seed 004's egress clients)."""

from __future__ import annotations

from ..plan.model import DevicePlan, Plan
from .target import Activation
from .templating import render

PATH = "/etc/dhcp/dhclient.conf"

ACTIVATIONS = (Activation(PATH, order=6),)  # read at the next lease; nothing to reload


def node_files(plan: Plan, device: DevicePlan) -> dict[str, str]:
    if not device.dhclient_no_routers:
        return {}
    return {PATH: render("dhclient/dhclient.conf.j2", plan=plan, device=device)}
