"""Checks: each node's files were taken in by the tools a real node runs (ifupdown2, wg-quick, FRR)."""

from __future__ import annotations

from .. import frr, ifupdown, wireguard
from ..build import Lab
from ..report import CheckResult, Evidence, verdict

INTERFACES = "interfaces-applied"
INTERFACES_TITLE = "ifupdown2 applies every node's /etc/network/interfaces"
FRR = "frr-started"
FRR_TITLE = "FRR starts on every node from its frr.conf"
WIREGUARD = "wireguard-up"
WIREGUARD_TITLE = "wg-quick brings up every mesh member's /etc/wireguard file, PreUp and PostUp included"


def check_interfaces(lab: Lab) -> CheckResult:
    failures, passes, unbuildable = [], [], []
    for device_id, outcome in lab.applied.items():
        namespace = lab.node(device_id).namespace
        command = ifupdown.display(namespace, lab.files[device_id].etc_network, exclude=lab.files[device_id].dhcp)
        evidence = outcome.evidence(command=command)
        name = lab.plan.devices[device_id].name
        if outcome.ok:
            passes.append(evidence)
        elif device_id in lab.lacking:
            # the kernel, not the file, is what failed: say so rather than blame the config
            unbuildable.append(f"{name} (needs {', '.join(sorted(lab.lacking[device_id]))})")
        else:
            failures.append((f"{name}: ifup -a exited {outcome.returncode}", [device_id], evidence))
    result = verdict(INTERFACES, INTERFACES_TITLE, failures=failures, passes=passes,
                     total=len(lab.applied) - len(unbuildable), what="nodes")
    if unbuildable:
        result.detail += f"; not exercised, the kernel lacks what they need: {'; '.join(unbuildable)}"
    result.detail += _edits(lab)
    return result


def _edits(lab: Lab) -> str:
    """What the applied copies changed, said once for all nodes: nothing left out goes unmentioned."""
    names = lab.plan.devices
    left_out = [f"{names[d].name}:{iface} ({why})" for d, reasons in lab.left_out.items()
                for iface, why in reasons.items()]
    bonds = [f"{names[c.device_id].name}:{c.bond} on {c.member}" for c in lab.layout.carriers]
    bridges = [f"{names[d].name}:{iface}" for d, edits in lab.edits.items()
               for iface, edit in edits.edited.items() if "bridge-vlan-aware" in edit.drop]
    parts = []
    if left_out:
        parts.append("left out of the applied copy, not exercised: " + ", ".join(left_out[:6])
                     + (f" and {len(left_out) - 6} more" if len(left_out) > 6 else ""))
    if bonds:
        parts.append(f"bonds on one member: {', '.join(bonds)}")
    if bridges:
        parts.append(f"{len(bridges)} port-less bridge(s) declared by 'bridge-ports none' instead of "
                     "'bridge-vlan-aware no', which this kernel refuses (it has no VLAN filtering to turn off)")
    return "".join(f"; {part}" for part in parts)


def check_wireguard(lab: Lab) -> CheckResult:
    failures, passes = [], []
    for device_id, outcomes in lab.wireguard_up.items():
        namespace = lab.node(device_id).namespace
        for interface, outcome in outcomes.items():
            conf = lab.files[device_id].wireguard[interface]
            evidence = outcome.evidence(command=wireguard.display_up(namespace, conf))
            if outcome.ok:
                passes.append(evidence)
            else:
                failures.append((f"{lab.plan.devices[device_id].name}: wg-quick up {interface} exited "
                                 f"{outcome.returncode}", [device_id], evidence))
    result = verdict(WIREGUARD, WIREGUARD_TITLE, failures=failures, passes=passes,
                     total=sum(map(len, lab.wireguard_up.values())), what="mesh interfaces")
    lacking = sorted(lab.plan.devices[d].name for d, features in lab.lacking.items() if "wireguard" in features)
    if lacking:
        result.detail += (f"; not exercised on {', '.join(lacking)}: no WireGuard in this kernel and no "
                          "wireguard-go installed")
    return result


def check_frr(lab: Lab) -> CheckResult:
    failures, passes = [], []
    for device_id, outcomes in lab.frr_started.items():
        namespace = lab.node(device_id).namespace
        daemon, failed = next(((d, o) for d, o in outcomes.items() if not o.ok), (None, None))
        if failed is None:
            first = next(iter(outcomes.values()), None)
            passes.append(Evidence(first.command if first else "", f"started {', '.join(outcomes)}"))
            continue
        log = frr.log_tail(namespace, daemon)
        output = "\n".join(part for part in (failed.output, log) if part)
        failures.append((f"{lab.plan.devices[device_id].name}: {daemon} did not start", [device_id],
                         Evidence(failed.command, output or f"exit {failed.returncode}", ok=False)))
    return verdict(FRR, FRR_TITLE, failures=failures, passes=passes, total=len(lab.frr_started), what="nodes")
