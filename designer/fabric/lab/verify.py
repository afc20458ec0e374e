"""One lab run: bring the compiled design up in namespaces, run the checks, report, take it all down."""

from __future__ import annotations

import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..pipeline import Compiled
from . import build, kernel, netns
from .build import Lab
from .checks import run_checks
from .files import NodeRenderer, renderer
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
        raise LabRefused([f for f in compiled.findings if f.severity == "error"])
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
            lab = Lab(plan, lay_out(plan, run_id), features, teardown)
            _note_missing(lab, report)
            node_renderer = render or renderer()
            steps = [("render", 4, "rendering each node's files", lambda: build.render_files(lab, node_renderer)),
                     ("namespaces", 8, "creating namespaces and cables", lambda: build.lay_network(lab)),
                     ("interfaces", 12, "applying /etc/network/interfaces with ifupdown2",
                      lambda: build.apply_interfaces(lab)),
                     ("frr", 20, "starting FRR", lambda: build.start_frr(lab)),
                     ("endpoints", 25, "plugging in the endpoints", lambda: build.plug_endpoints(lab))]
            for name, percent, message, step in steps:
                with phase(name):
                    tell(percent, message)
                    step()
            _note_sysctl(lab, report)
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


def _note_missing(lab: Lab, report: LabReport) -> None:
    missing = [f for f in kernel.REQUIRED if not lab.features.has(f)]
    if missing:
        raise LabError(f"this kernel has no {', '.join(missing)}: there can be no lab here")
    for feature, elements in sorted(kernel.needs(lab.plan).items()):
        if lab.features.has(feature):
            continue
        for element in elements:
            device = lab.plan.device_by_name(element.split(":", 1)[0])
            if device is not None:
                lab.lacking.setdefault(device.id, set()).add(feature)
        if feature == "wireguard" and lab.features.wireguard_go:
            report.notes.append(f"kernel has no WireGuard; {len(elements)} interface(s) would need wireguard-go")
        shown = ", ".join(elements[:6]) + (" ..." if len(elements) > 6 else "")
        report.notes.append(f"kernel has no {feature}: {shown} cannot be built as designed; what needs "
                            "them is not exercised")


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
    return "\n".join([
        f"the lab is up as run {lab.layout.run_id}; its namespaces start with {namespace_prefix(lab.layout.run_id)}",
        f"  a shell on a node:  ip netns exec {first.namespace} bash",
        f"  its FRR:            ip netns exec {first.namespace} vtysh -N {first.namespace}",
        f"  take it down:       python manage.py fabric lab down {lab.layout.run_id}",
    ])


def take_down(run_id: str) -> list[str]:
    """Take down a lab left up with ``keep``; returns what could not be removed."""
    with shielded():
        return Teardown.load(run_id).run()


