"""Routed networks (seed 002): what the host does besides its routes, and the names of their tables.

``/etc/nftables.d/fabric-routed.nft`` sets the source of the host's ARP requests on the VLAN (what the
seed does with arptables, here replaced whole on each load, so never duplicated) and drops packets
forwarded onto the VLAN from an address outside its subnet (anti-spoofing); ``nftables_unit`` loads
it at boot. ``/etc/iproute2/rt_tables.d/fabric.conf`` names each table, as Ganeti refers to them.
"""

from __future__ import annotations

from ..plan.model import DevicePlan, Plan
from .nftables import RESTORE_TABLES
from .target import Activation
from .templating import render

NFT = "/etc/nftables.d/fabric-routed.nft"
TABLE = "fabric_routed"
RT_TABLES = "/etc/iproute2/rt_tables.d/fabric.conf"

ACTIVATIONS = (
    Activation(NFT, order=19, tool="nft", check=("nft -c -f {file}",), load=("nft -f {path}",),
               ensure=(RESTORE_TABLES,)),
    Activation(RT_TABLES, order=7),  # ip reads it on every call
)


def node_files(plan: Plan, device: DevicePlan) -> dict[str, str]:
    if not device.routed:
        return {}
    return {NFT: render("routed_networks/fabric-routed.nft.j2", plan=plan, device=device, table=TABLE),
            RT_TABLES: render("routed_networks/rt_tables.conf.j2", plan=plan, device=device)}


def paths(device: DevicePlan) -> list[str]:
    """The nftables files ``node_files`` writes for ``device``, without rendering them."""
    return [NFT] if device.routed else []
