"""Checks: each node took its files in the way a real node does: its own apply.sh from a stock root, or
after a reboot its own boot; FRR and WireGuard running from what was installed."""

from __future__ import annotations

from ..build import Lab
from ..report import CheckResult, Evidence, verdict

APPLIED = "applied"
APPLIED_TITLE = "every node's own apply.sh checks, installs and loads its files on a stock Debian root"
BOOTED = "booted"
BOOTED_TITLE = "every node boots from what its apply.sh installed: sysctl, networking, its enabled units"
FRR = "frr-started"
FRR_TITLE = "FRR runs on every node with the daemons its /etc/frr/daemons asks for"
WIREGUARD = "wireguard-up"
WIREGUARD_TITLE = "every mesh member's wg-quick@ unit brings its /etc/wireguard interface up, PreUp and PostUp too"


def check_applied(lab: Lab) -> CheckResult:
    if lab.rebooted:
        return _check_booted(lab)
    failures, passes, unbuildable = [], [], []
    for device_id, outcome in lab.applied.items():
        root = lab.root(device_id)
        evidence = outcome.evidence(command=root.display(str(lab.files[device_id].apply_script)))
        name = lab.plan.devices[device_id].name
        if outcome.ok:
            passes.append(evidence)
        elif device_id in lab.lacking:
            # the kernel, not the file, is what failed: say so rather than blame the config
            unbuildable.append(f"{name} (needs {', '.join(sorted(lab.lacking[device_id]))})")
        else:
            failures.append((f"{name}: apply.sh exited {outcome.returncode}", [device_id], evidence))
    result = verdict(APPLIED, APPLIED_TITLE, failures=failures, passes=passes,
                     total=len(lab.applied) - len(unbuildable), what="nodes")
    if unbuildable:
        result.detail += f"; not exercised, the kernel lacks what they need: {'; '.join(unbuildable)}"
    result.detail += _edits(lab)
    return result


def _check_booted(lab: Lab) -> CheckResult:
    failures, passes, skipped = [], [], set()
    for device_id, report in lab.booted.items():
        name = lab.plan.devices[device_id].name
        root = lab.root(device_id)
        skipped.update(report.skipped)
        for step in report.failed():
            failures.append((f"{name}: {step.what} failed", [device_id],
                             step.outcome.evidence(command=root.display(step.outcome.command))))
        if report.ok:
            passes.append(Evidence(root.display("(boot)"), "; ".join(step.what for step in report.steps)))
    result = verdict(BOOTED, BOOTED_TITLE, failures=failures, passes=passes, total=len(lab.booted), what="nodes")
    if skipped:
        result.detail += f"; enabled but not started in the lab: {', '.join(sorted(skipped))}"
    return result
def _edits(lab: Lab) -> str:
    """What the applied copies changed, said once for all nodes: nothing left out goes unmentioned."""
    names = lab.plan.devices
    left_out = [f"{names[d].name}:{iface} ({why})" for d, reasons in lab.left_out.items()
                for iface, why in reasons.items()]
    bonds = [f"{names[c.device_id].name}:{c.bond} on {c.member}" for c in lab.layout.carriers]
    bridges = [f"{names[d].name}:{iface}" for d, edits in lab.edits.items()
               for iface, edit in edits.edited.items() if "bridge-" in edit.drop]
    parts = []
    if left_out:
        parts.append("left out of the applied copy, not exercised: " + ", ".join(left_out[:6])
                     + (f" and {len(left_out) - 6} more" if len(left_out) > 6 else ""))
    if bonds:
        parts.append(f"bonds on one member: {', '.join(bonds)}")
    if bridges:
        parts.append(f"port-less bridge(s) {', '.join(bridges)} made by a pre-up line instead of declared by "
                     "'bridge-vlan-aware no', which this kernel refuses (it has no VLAN filtering to turn off)")
    return "".join(f"; {part}" for part in parts)


def check_wireguard(lab: Lab) -> CheckResult:
    failures, passes = [], []
    for device_id in lab.files:
        if device_id in lab.lacking and "wireguard" in lab.lacking[device_id]:
            continue
        root = lab.root(device_id)
        for interface, present in lab.wireguard_interfaces(device_id).items():
            shown = root.run(["systemctl", "is-active", f"wg-quick@{interface}"], timeout=15)
            evidence = shown.evidence(command=root.display(f"systemctl is-active wg-quick@{interface}"), ok=present)
            if present:
                passes.append(evidence)
            else:
                failures.append((f"{lab.plan.devices[device_id].name}: {interface} is not up", [device_id],
                                 evidence))
    result = verdict(WIREGUARD, WIREGUARD_TITLE, failures=failures, passes=passes,
                     total=len(failures) + len(passes), what="mesh interfaces")
    lacking = sorted(lab.plan.devices[d].name for d, features in lab.lacking.items() if "wireguard" in features)
    if lacking:
        result.detail += (f"; not exercised on {', '.join(lacking)}: no WireGuard in this kernel and no "
                          "wireguard-go installed")
    return result


def check_frr(lab: Lab) -> CheckResult:
    failures, passes = [], []
    for device_id in lab.files:
        found = lab.frr_state(device_id)
        if found is None:
            continue
        root = lab.root(device_id)
        listing = root.run(["sh", "-c", "ls /run/frr; cat /run/lab-units/frr.service.log 2>/dev/null | tail -20"])
        evidence = listing.evidence(command=root.display("ls /run/frr"), ok=found.ok)
        if found.ok:
            passes.append(Evidence(evidence.command, f"running: {', '.join(found.running)}"))
        else:
            failures.append((f"{lab.plan.devices[device_id].name}: {', '.join(found.missing)} not running",
                             [device_id], evidence))
    return verdict(FRR, FRR_TITLE, failures=failures, passes=passes, total=len(failures) + len(passes), what="nodes")
