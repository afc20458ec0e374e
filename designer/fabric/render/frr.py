"""FRR: ``/etc/frr/frr.conf`` (BGP unnumbered, numbered, iBGP/RR, dynamic, EVPN, VRFs, static routes)."""

from __future__ import annotations

from dataclasses import dataclass

from ..plan.model import BgpPlan, DevicePlan, Plan, StaticRoutePlan
from .target import Activation
from .templating import render

CONFIG = "/etc/frr/frr.conf"
DAEMONS = "/etc/frr/daemons"
FRR_VERSION = "8.4"
RA_INTERVAL = 10  # seconds between router advertisements on BGP unnumbered links, as bgpd asks zebra
UPSTREAM_DEFAULT = "upstream-default"  # route-map and prefix-list: an egress gateway's own default route

ACTIVATIONS = (
    # a new daemons file (bgpd switched on) needs a restart; frr-reload then applies frr.conf
    Activation(DAEMONS, order=20, tool="systemctl", load=("systemctl restart frr",), disruption="frr-reload"),
    Activation(CONFIG, order=21, tool="vtysh", check=("vtysh -C -f {file}",),
               load=("/usr/lib/frr/frr-reload.py --reload {path}",), disruption="frr-reload"),
)


@dataclass(frozen=True, slots=True)
class _OwnRoutes:
    """Names of the filters a speaker that does not forward puts on what it sends."""

    prefixes: str = "own-prefixes"  # route-map and prefix-lists: its loopbacks and announced subnets
    evpn: str = "own-evpn"  # route-map and as-path list: EVPN routes it originates (empty AS path)


@dataclass(frozen=True, slots=True)
class _StaticRoute:
    """A static route as ``frr.conf`` writes it, ``ip route`` or ``ipv6 route``."""

    command: str  # "ip route" or "ipv6 route"
    route: StaticRoutePlan


def node_files(plan: Plan, device: DevicePlan) -> dict[str, str]:
    if device.bgp is None and not device.static_routes:
        return {}
    bgp = device.bgp
    return {
        CONFIG: render(
            "frr/frr.conf.j2", plan=plan, device=device, bgp=bgp, version=FRR_VERSION, ra_interval=RA_INTERVAL,
            unnumbered=[iface for iface in device.interfaces if iface.unnumbered],
            static_routes=[_StaticRoute("ipv6 route" if ":" in r.prefix else "ip route", r)
                           for r in device.static_routes],
            maximum_paths=_maximum_paths(bgp) if bgp is not None else [],
            ipv6=bgp is not None and (bool(bgp.networks_v6) or any(g.ipv6 for g in bgp.peer_groups)),
            evpn=bgp is not None and (bgp.evpn or bgp.advertise_all_vni), own=_OwnRoutes(),
            upstream=UPSTREAM_DEFAULT),
        DAEMONS: render("frr/daemons.j2", device=device, bgpd=bgp is not None),
    }


def _maximum_paths(bgp: BgpPlan) -> list[str]:
    """ECMP for what the groups speak: eBGP and iBGP paths are counted apart in FRR."""
    if bgp.maximum_paths <= 1:
        return []
    kinds = {"ibgp" if g.remote_as == "internal" else "ebgp" for g in bgp.peer_groups}
    lines = []
    if "ebgp" in kinds:
        lines.append(f"maximum-paths {bgp.maximum_paths}")
    if "ibgp" in kinds:
        lines.append(f"maximum-paths ibgp {bgp.maximum_paths}")
    return lines
