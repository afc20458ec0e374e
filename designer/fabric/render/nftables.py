"""nftables: BGP (TCP 179) accepted only from the planned peers, dropped from anyone else (seed 004).

Each file holds tables of its own, replaced whole on every load, so other rulesets on the node stay
untouched; ``nftables_unit`` loads them at boot.
"""

from __future__ import annotations

from ..plan.model import DevicePlan, Plan
from .target import Activation
from .templating import render

DIRECTORY = "/etc/nftables.d"
PATH = f"{DIRECTORY}/fabric-bgp.nft"
TABLE = "fabric_bgp"
CHAIN = "input"

# reload a file whose tables are gone (a `flush ruleset`, a reboot without the unit), else do nothing;
# every file names each of its tables on a line of its own first (`table inet fabric_bgp`)
RESTORE_TABLES = ("sed -n 's/^table \\([a-z0-9]*\\) \\([a-z0-9_]*\\)$/\\1 \\2/p' {path} | "
                  "while read -r family table; do nft list table \"$family\" \"$table\" >/dev/null 2>&1 || exit 1; "
                  "done || {{ nft -f {path} && echo \"{path}: its tables were gone, loaded them again\"; }}")

ACTIVATIONS = (
    Activation(f"{DIRECTORY}/fabric-*.nft", order=18, tool="nft", check=("nft -c -f {file}",),
               load=("nft -f {path}",), ensure=(RESTORE_TABLES,)),
)


def node_files(plan: Plan, device: DevicePlan) -> dict[str, str]:
    if device.bgp is None:
        return {}
    sources = device.bgp_allowed_sources
    return {PATH: render("nftables/fabric-bgp.nft.j2", plan=plan, device=device, table=TABLE, chain=CHAIN,
                         peers_v4=[s for s in sources if ":" not in s],
                         peers_v6=[s for s in sources if ":" in s])}


def paths(device: DevicePlan) -> list[str]:
    """The nftables files ``node_files`` writes for ``device``, without rendering them."""
    return [PATH] if device.bgp is not None else []
