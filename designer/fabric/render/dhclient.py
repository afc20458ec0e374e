"""dhclient: NICs whose DHCP default route the design drops never get one (seed 004's egress clients).

A node whose DHCP NICs all drop it asks the server for no ``routers`` (the seed's dhclient.conf); an
enter hook drops the router option and classless default routes on those NICs should the server send
them unasked, and, run by apply, removes the default routes dhclient installed on them already.
"""

from __future__ import annotations

from ..plan.model import DevicePlan, Plan
from .target import Activation
from .templating import render

PATH = "/etc/dhcp/dhclient.conf"
HOOK = "/etc/dhcp/dhclient-enter-hooks.d/fabric-default-route"

ACTIVATIONS = (
    Activation(PATH, order=6),  # read at the next lease
    # sourced by dhclient-script at the next lease; run on its own now, so the change is in effect at once
    Activation(HOOK, order=6, check=("sh -n {file}",), load=("sh {path}",), ensure=("sh {path}",)),
)


def node_files(plan: Plan, device: DevicePlan) -> dict[str, str]:
    dhcp = [iface for iface in device.interfaces if iface.dhcp]
    nics = [iface.name for iface in dhcp if not iface.dhcp_default_route]
    if not nics:
        return {}
    files = {HOOK: render("dhclient/fabric-default-route.j2", plan=plan, device=device, nics=nics)}
    # `interface` blocks would make every dhclient (ifupdown2 starts one per NIC) run for those NICs too,
    # so the request list is the node's: without routers only where no DHCP NIC keeps its default route
    if len(nics) == len(dhcp):
        files[PATH] = render("dhclient/dhclient.conf.j2", plan=plan, device=device)
    return files
