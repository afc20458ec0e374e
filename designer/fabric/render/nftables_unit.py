"""The boot unit of the fabric's nftables tables: ``/etc/systemd/system/fabric-nftables.service``.

Debian's ``nftables.service`` is off by default and its ``/etc/nftables.conf`` flushes the whole
ruleset, so a oneshot unit of the fabric's own loads the node's nftables files at boot, before the
network and FRR, and again after ``nftables.service`` (re)loads its ruleset. Apply enables it.
"""

from __future__ import annotations

from ..plan.model import DevicePlan, Plan
from . import nftables, routed_networks
from .target import Activation
from .templating import render

UNIT = "fabric-nftables.service"
PATH = f"/etc/systemd/system/{UNIT}"

ACTIVATIONS = (
    Activation(PATH, order=17, tool="systemd-analyze", check=("systemd-analyze verify {file}",),
               load=("systemctl daemon-reload", f"systemctl enable {UNIT}"),
               ensure=(f"systemctl is-enabled --quiet {UNIT} || systemctl enable {UNIT}",)),
)


def node_files(plan: Plan, device: DevicePlan) -> dict[str, str]:
    files = [*nftables.paths(device), *routed_networks.paths(device)]
    if not files:
        return {}
    return {PATH: render("nftables/fabric-nftables.service.j2", plan=plan, device=device, unit=UNIT, files=files)}
