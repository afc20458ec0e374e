"""Checks: each node's files were taken in by the tools a real node runs (ifupdown2, FRR)."""

from __future__ import annotations

from .. import frr, ifupdown
from ..build import Lab
from ..report import CheckResult, Evidence, verdict

INTERFACES = "interfaces-applied"
INTERFACES_TITLE = "ifupdown2 applies every node's /etc/network/interfaces"
FRR = "frr-started"
FRR_TITLE = "FRR starts on every node from its frr.conf"


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
    return result


def check_frr(lab: Lab) -> CheckResult:
    failures, passes = [], []
    for device_id, outcomes in lab.frr_started.items():
        namespace = lab.node(device_id).namespace
        failed = next((o for o in outcomes if not o.ok), None)
        if failed is None:
            daemons = ", ".join(o.argv[4].rsplit("/", 1)[-1] for o in outcomes)
            passes.append(Evidence(outcomes[0].command if outcomes else "", f"started {daemons}"))
            continue
        daemon = failed.argv[4].rsplit("/", 1)[-1]
        log = frr.log_tail(namespace, daemon)
        output = "\n".join(part for part in (failed.output, log) if part)
        failures.append((f"{lab.plan.devices[device_id].name}: {daemon} did not start", [device_id],
                         Evidence(failed.command, output or f"exit {failed.returncode}", ok=False)))
    return verdict(FRR, FRR_TITLE, failures=failures, passes=passes, total=len(lab.frr_started), what="nodes")
