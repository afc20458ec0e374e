"""One lab run: bring the compiled design up in namespaces, run the checks, report, take it all down."""

from __future__ import annotations

import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..pipeline import Compiled
from ..render import render_node
from . import adapt, build, kernel, netns, wireguard
from .build import Lab
from .checks import run_checks
from .files import NodeRenderer
from .frr import DAEMON_DIR
from .layout import lay_out, namespace_prefix
from .process import LabError
from .report import LabReport
from .teardown import Teardown, runs_root, shielded, signals_unwind

DEFAULT_TIMEOUT = 60.0
TOOLS = ("ip", "ifup", "vtysh", "ping", "sysctl")

Progress = Callable[[int, str], None]


class LabRefused(LabError):
    """The design has error findings: the lab does not build what the checks already reject."""

    def __init__(self, findings):
        self.findings = findings
        super().__init__(f"the design has {len(findings)} error finding(s); fix them before the lab runs")


def preflight() -> None:
    if os.geteuid() != 0:
        raise LabError("the lab needs root: it creates network namespaces and starts FRR")
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    missing += [str(DAEMON_DIR / d) for d in ("zebra", "bgpd") if not (DAEMON_DIR / d).exists()]
    if missing:
        raise LabError(f"the lab needs {', '.join(missing)}: install iproute2, ifupdown2, frr and iputils-ping")


def verify(compiled: Compiled, *, timeout: float = DEFAULT_TIMEOUT, keep: bool = False,
           progress: Progress | None = None, render: NodeRenderer | None = None) -> LabReport:
    """Prove ``compiled`` in a lab; ``timeout`` bounds the wait for convergence, ``keep`` leaves it up."""
    if compiled.has_errors:
        raise LabRefused(compiled.errors)
    preflight()
    tell = progress or (lambda _percent, _message: None)
    plan = compiled.plan
    run_id = secrets.token_hex(3)
    teardown = Teardown(run_id, runs_root() / run_id)
    report = LabReport(design=plan.name, run_id=run_id)
    phase = _phases(report)
    kept = False
    try:
        with signals_unwind():
            with phase("kernel"):
                tell(1, "probing the kernel")
                features = _probe(teardown)
            report.kernel = features.as_dict()
            missing = [f for f in kernel.REQUIRED if not features.has(f)]
            if missing:
                raise LabError(f"this kernel has no {', '.join(missing)}: there can be no lab here")
            carriers = adapt.bond_carriers(plan) if features.stood_in("bond") else []
            unbuildable = {f for f in kernel.PROBES if not features.builds(f)}
            lab = Lab(plan, lay_out(plan, run_id, carriers=carriers), features, teardown, findings=compiled.findings,
                      lacking=kernel.lacking(plan, features), left_out=adapt.left_out(plan, unbuildable))
            report.notes += _kernel_notes(lab)
            node_renderer = render or render_node
            steps = [("render", 4, "rendering each node's files", lambda: build.render_files(lab, node_renderer)),
                     ("namespaces", 8, "creating namespaces and cables", lambda: build.lay_network(lab)),
                     ("interfaces", 12, "applying /etc/network/interfaces with ifupdown2",
                      lambda: build.apply_interfaces(lab)),
                     ("wireguard", 16, "bringing up WireGuard with wg-quick", lambda: build.bring_up_meshes(lab)),
                     ("nftables", 18, "loading each node's BGP filter with nft", lambda: build.load_filters(lab)),
                     ("frr", 20, "starting FRR", lambda: build.start_frr(lab)),
                     ("endpoints", 25, "plugging in the endpoints", lambda: build.plug_endpoints(lab))]
            for name, percent, message, step in steps:
                with phase(name):
                    tell(percent, message)
                    step()
            _note_sysctl(lab, report)
            if lab.filters_refused:
                report.notes.append(f"BGP filters not loaded: {lab.filters_refused}; the sessions ran unfiltered "
                                    "and bgp-filter is not exercised")
            deadline = time.monotonic() + timeout
            with phase("checks"):
                report.checks = run_checks(lab, deadline, lambda p, m: tell(30 + p * 65 // 100, m))
            kept = keep
    finally:
        if kept:
            report.kept = enter_instructions(lab)
        else:
            with shielded(), phase("teardown"):
                tell(97, "taking the lab down")
                report.notes += teardown.run()
    tell(100, "done")
    return report


def _phases(report: LabReport):
    @contextmanager
    def phase(name: str) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        finally:
            report.phases[name] = time.monotonic() - started

    return phase


def _probe(teardown: Teardown) -> kernel.KernelFeatures:
    namespace = f"{namespace_prefix(teardown.run_id)}-kernel"
    teardown.add_namespaces([namespace])
    netns.create([namespace])
    try:
        return kernel.probe(namespace)
    finally:
        netns.delete([namespace])


def _kernel_notes(lab: Lab) -> list[str]:
    """Say what the kernel lacks, what runs in its place, and what is left out and so not exercised."""
    plan = lab.plan
    notes = []
    for feature, elements in sorted(kernel.needs(plan).items()):
        if lab.features.has(feature):
            continue
        names = [f"{plan.devices[device_id].name}:{interface}" for device_id, interface in elements]
        shown = ", ".join(names[:6]) + (" ..." if len(names) > 6 else "")
        if feature == "bond":
            carried = "; ".join(c.describe(plan.devices[c.device_id].name) for c in lab.layout.carriers)
            notes.append(f"kernel has no bonding, so each bond is brought up on one member, whose cable takes "
                         f"the bond's name (failover and LACP are not exercised): {carried}")
        elif feature == "wireguard" and lab.features.stood_in(feature):
            notes.append(f"kernel has no WireGuard: {shown} run in wireguard-go (userspace, over "
                         "/dev/net/tun), brought up by wg-quick from each node's own file")
        else:
            notes.append(f"kernel has no {feature}: {shown} left out of what the lab applies; what needs "
                         "them is not exercised")
    notes += [f"mesh member {plan.devices[d].name} has no NIC left to put on the internet (every NIC is "
              "cabled): its tunnels are not exercised" for d in lab.layout.offline]
    return notes


def _note_sysctl(lab: Lab, report: LabReport) -> None:
    for device_id, files in lab.files.items():
        name = lab.plan.devices[device_id].name
        if files.host_sysctl:
            report.notes.append(f"{name}: sysctls not set in the lab (not per namespace): "
                                f"{', '.join(files.host_sysctl)}")
        if files.dhcp:
            report.notes.append(f"{name}: {', '.join(files.dhcp)} take their address by DHCP; the lab has no DHCP "
                                "server, so they were left out (not exercised)")
        outcome = lab.sysctl.get(device_id)
        if outcome is not None and not outcome.ok:
            report.notes.append(f"{name}: sysctl failed: {outcome.output}")


def enter_instructions(lab: Lab) -> str:
    first = next(iter(lab.layout.nodes.values()))
    lines = [
        f"the lab is up as run {lab.layout.run_id}; its namespaces start with {namespace_prefix(lab.layout.run_id)}",
        f"  a shell on a node:  ip netns exec {first.namespace} bash",
        f"  its FRR:            ip netns exec {first.namespace} vtysh -N {first.namespace}",
    ]
    member = next(iter(lab.wireguard_up), None)
    if member is not None:  # wg finds the interface by its socket, in the node's own /run
        namespace, run_dir = lab.node(member).namespace, wireguard.private_run(lab.files[member].root)
        lines.append(f"  WireGuard of {lab.plan.devices[member].name}: ip netns exec {namespace} sh -c "
                     f"'mount --bind {run_dir} /run && wg show'")
    lines.append(f"  take it down:       python manage.py fabric lab down {lab.layout.run_id}")
    return "\n".join(lines)


def take_down(run_id: str) -> list[str]:
    """Take down a lab left up with ``keep``; returns what could not be removed."""
    with shielded():
        return Teardown.load(run_id).run()


