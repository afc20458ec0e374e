"""nftables: BGP (TCP 179) accepted only from the planned peers, dropped from anyone else (seed 004)."""

from __future__ import annotations

from ..plan.model import DevicePlan, Plan
from .target import Activation
from .templating import render

PATH = "/etc/nftables.d/fabric-bgp.nft"
TABLE = "fabric_bgp"
CHAIN = "input"

ACTIVATIONS = (Activation(PATH, order=30, tool="nft", check=("nft -c -f {file}",), load=("nft -f {path}",)),)


def node_files(plan: Plan, device: DevicePlan) -> dict[str, str]:
    if device.bgp is None:
        return {}
    sources = device.bgp_allowed_sources
    return {PATH: render("nftables/fabric-bgp.nft.j2", plan=plan, device=device, table=TABLE, chain=CHAIN,
                         peers_v4=[s for s in sources if ":" not in s],
                         peers_v6=[s for s in sources if ":" in s])}
