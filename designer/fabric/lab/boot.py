"""Booting a node from what is installed on it, as Debian 12 and Proxmox 8 do, and nothing more.

In the order systemd reaches them: ``systemd-sysctl`` (``sysctl --system``), the enabled units that
come before the network (``sysinit.target`` and ``network-pre.target``: the nftables units), then
``networking.service`` (``ifup -a``, with its DHCP clients), then the other enabled units the lab can
run: FRR from ``/etc/frr``, ``wg-quick@`` from ``/etc/wireguard``, and units the node's bundle
installed. Enabled units the lab does not run (fail2ban, ssh...) are named, not pretended.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .noderoot import NodeRoot
from .process import Outcome
from .standins.lxd import DATABASE as LXD_DATABASE

BOOT_TIMEOUT = 120.0
NETWORKING = "networking.service"
RUNS_IN_LAB = re.compile(r"^(frr|nftables|wg-quick@.+)\.service$")
UNIT_DIRS = ("/etc/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system")


@dataclass(slots=True)
class BootStep:
    what: str
    outcome: Outcome


@dataclass(slots=True)
class BootReport:
    steps: list[BootStep] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # enabled units the lab does not start

    @property
    def ok(self) -> bool:
        return all(step.outcome.ok for step in self.steps)

    def failed(self) -> list[BootStep]:
        return [step for step in self.steps if not step.outcome.ok]


def boot(root: NodeRoot, *, exclude: list[str] = ()) -> BootReport:
    """Start ``root`` as its boot would; ``exclude``: interfaces networking must leave alone here."""
    report = BootReport()

    def step(what: str, command: list[str]) -> None:
        report.steps.append(BootStep(what, root.run(command, timeout=BOOT_TIMEOUT)))

    step("systemd-sysctl", ["sysctl", "--system", "-q"])
    units = root.enabled_units()
    runnable = [u for u in units if u != NETWORKING and _runs_in_lab(root, u)]
    report.skipped = [u for u in units if u != NETWORKING and u not in runnable]
    early = [u for u in runnable if _before_network(root, u)]
    for unit in early:
        step(f"systemctl start {unit}", ["systemctl", "start", unit])
    if NETWORKING in units:  # what networking.service runs (start-networking), with the lab's exclusions
        step("networking.service: ifup -a", ["ifup", "-a", *(arg for name in exclude for arg in ("-X", name))])
    if root.read(LXD_DATABASE) is not None:  # LXD makes its bridges again when it starts
        step("lxd (stand-in): its networks", ["lxd", "--lab-start"])
    for unit in sorted((u for u in runnable if u not in early), key=lambda u: (u != "frr.service", u)):
        step(f"systemctl start {unit}", ["systemctl", "start", unit])
    return report


def unit_text(root: NodeRoot, unit: str) -> str:
    template = re.sub(r"@[^.]+\.", "@.", unit)
    for directory in UNIT_DIRS:
        for name in (unit, template):
            text = root.read(f"{directory}/{name}")
            if text is not None:
                return text
    return ""


def _runs_in_lab(root: NodeRoot, unit: str) -> bool:
    """The units a network boot needs, and any unit the node's own bundle installed."""
    return bool(RUNS_IN_LAB.match(unit)) or (root.upper / "etc/systemd/system" / unit).is_file()


def _before_network(root: NodeRoot, unit: str) -> bool:
    text = unit_text(root, unit)
    return bool(re.search(r"^\s*Before=.*\bnetwork-pre\.target", text, re.MULTILINE)
                or re.search(r"^\s*WantedBy=.*\bsysinit\.target", text, re.MULTILINE))
