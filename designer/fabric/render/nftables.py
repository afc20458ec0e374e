"""nftables: BGP (TCP 179) accepted only from the planned peers, dropped from anyone else (seed 004).

Each file holds tables of its own, replaced whole on every load, so other rulesets on the node stay
untouched. Debian's ``nftables.service`` is off by default and its ``/etc/nftables.conf`` flushes the
whole ruleset, so a oneshot unit of the fabric's own loads these files at boot, before the network
and FRR, and again whenever ``nftables.service`` (re)loads its ruleset.
"""

from __future__ import annotations

from ..plan.model import DevicePlan, Plan
from .target import Activation
from .templating import render

DIRECTORY = "/etc/nftables.d"
PATH = f"{DIRECTORY}/fabric-bgp.nft"
TABLE = "fabric_bgp"
CHAIN = "input"
UNIT = "fabric-nftables.service"
UNIT_PATH = f"/etc/systemd/system/{UNIT}"

# reload a file whose tables are gone (a `flush ruleset`, a reboot without the unit), else do nothing;
# every file names each of its tables on a line of its own first (`table inet fabric_bgp`)
RESTORE_TABLES = ("sed -n 's/^table \\([a-z0-9]*\\) \\([a-z0-9_]*\\)$/\\1 \\2/p' {path} | "
                  "while read -r family table; do nft list table \"$family\" \"$table\" >/dev/null 2>&1 || exit 1; "
                  "done || {{ nft -f {path} && echo \"{path}: its tables were gone, loaded them again\"; }}")

ACTIVATIONS = (
    Activation(f"{DIRECTORY}/fabric-*.nft", order=30, tool="nft", check=("nft -c -f {file}",),
               load=("nft -f {path}",), ensure=(RESTORE_TABLES,)),
    Activation(UNIT_PATH, order=29, tool="systemctl", check=("systemd-analyze verify {file}",),
               load=("systemctl daemon-reload", f"systemctl enable {UNIT}"),
               ensure=(f"systemctl is-enabled --quiet {UNIT} || systemctl enable {UNIT}",)),
)


def node_files(plan: Plan, device: DevicePlan) -> dict[str, str]:
    if device.bgp is None:
        return {}
    sources = device.bgp_allowed_sources
    files = {PATH: render("nftables/fabric-bgp.nft.j2", plan=plan, device=device, table=TABLE, chain=CHAIN,
                          peers_v4=[s for s in sources if ":" not in s],
                          peers_v6=[s for s in sources if ":" in s])}
    files[UNIT_PATH] = render("nftables/fabric-nftables.service.j2", plan=plan, device=device, unit=UNIT,
                              files=sorted(files))
    return files
