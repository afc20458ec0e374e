"""One lab run: bring the compiled design up in namespaces, run the checks, report, take it all down."""

from __future__ import annotations

import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..document import content_hash
from ..pipeline import Compiled
from ..render import render_node
from . import adapt, build, kernel, netns
from .build import Lab
from .checks import run_checks
from .files import NodeRenderer
from .layout import lay_out, namespace_prefix
from .process import LabError
from .report import LabReport
from .teardown import Teardown, runs_root, shielded, signals_unwind

DEFAULT_TIMEOUT = 60.0
TOOLS = ("ip", "ifup", "vtysh", "ping", "sysctl", "nsenter", "unshare", "python3")
FRR_INIT = "/usr/lib/frr/frrinit.sh"

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
    missing += [FRR_INIT] if not os.path.exists(FRR_INIT) else []
    if missing:
        raise LabError(f"the lab needs {', '.join(missing)}: install iproute2, ifupdown2, frr, frr-pythontools, "
                       "util-linux and iputils-ping")


def verify(compiled: Compiled, *, timeout: float = DEFAULT_TIMEOUT, keep: bool = False, reboot: bool = False,
           progress: Progress | None = None, render: NodeRenderer | None = None) -> LabReport:
    """Prove ``compiled`` in a lab; ``timeout`` bounds each wait for convergence, ``keep`` leaves it up,
    ``reboot`` reboots every node once the checks ran and runs them all again."""
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
                features = probe_kernel(teardown)
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
            design_hash = content_hash(compiled.design)
            steps = [("render", 4, "rendering and staging each node's bundle",
                      lambda: build.stage_bundles(lab, node_renderer, design_hash)),
                     ("namespaces", 8, "creating namespaces and cables", lambda: build.lay_network(lab)),
                     ("roots", 10, "giving each node a stock Debian root", lambda: build.make_roots(lab)),
                     ("boot", 12, "booting each node as installed", lambda: build.boot_all(lab)),
                     ("uplinks", 14, "putting mesh members on the internet", lambda: build.address_uplinks(lab)),
                     ("apply", 16, "running each node's own apply.sh", lambda: build.run_apply(lab)),
                     ("endpoints", 25, "plugging in the endpoints", lambda: build.plug_endpoints(lab))]
            for name, percent, message, step in steps:
                with phase(name):
                    tell(percent, message)
                    step()
            _note_files(lab, report)
            span = 65 if not reboot else 33
            with phase("checks"):
                report.checks = run_checks(lab, time.monotonic() + timeout, lambda p, m: tell(30 + p * span // 100, m))
            if reboot:
                with phase("reboot"):
                    tell(64, "rebooting every node")
                    report.notes += build.reboot(lab)
                    build.plug_endpoints(lab)
                with phase("checks after reboot"):
                    report.checks_after_reboot = run_checks(lab, time.monotonic() + timeout,
                                                            lambda p, m: tell(66 + p * 30 // 100, m))
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


def probe_kernel(teardown: Teardown) -> kernel.KernelFeatures:
    """What the kernel can build, probed in a namespace of the run's own (removed after, and by ``teardown``)."""
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


def _note_files(lab: Lab, report: LabReport) -> None:
    for device_id, files in lab.files.items():
        name = lab.plan.devices[device_id].name
        if files.host_sysctl:
            report.notes.append(f"{name}: sysctls not set in the lab (not per namespace): "
                                f"{', '.join(files.host_sysctl)}")
    if lab.layout.dhcp is not None:
        report.notes.append(f"NICs that take their address by DHCP are on a LAN of their own whose DHCP server "
                            f"(dnsmasq) leases {lab.layout.dhcp.first}-{lab.layout.dhcp.last} and sends itself as the "
                            "router, asked or not, as a cloud's does")
    leased = [lab.plan.devices[u.device_id].name for u in lab.layout.uplinks if u.dhcp]
    if leased:
        report.notes.append(f"the uplinks of {', '.join(leased)} take their address by DHCP: the lab's internet "
                            "leases each its endpoint address, by MAC, in a /24 of its own that it routes")
    if lab.stood_in:
        report.notes.append("the lab stands in for the services whose logs fail2ban jails read (fail2ban refuses "
                            f"a jail without its log): created empty on {'; '.join(lab.stood_in)}")
    if lab.filters_refused:
        report.notes.append(f"BGP filters cannot be loaded here: {lab.filters_refused}; the sessions ran unfiltered "
                            "and bgp-filter is not exercised")


def enter_instructions(lab: Lab) -> str:
    first = next(iter(lab.roots.values()))
    lines = [
        f"the lab is up as run {lab.layout.run_id}; its namespaces start with {namespace_prefix(lab.layout.run_id)}",
        f"  a shell on a node, as the node sees itself:  {first.display('bash')}",
        f"  its FRR:      {first.display('vtysh')}",
        f"  its files:    {first.directory}/upper (what it installed), {first.directory}/bundle (what it got)",
        f"  take it down: python manage.py fabric lab down {lab.layout.run_id}",
    ]
    return "\n".join(lines)


def take_down(run_id: str) -> list[str]:
    """Take down a lab left up with ``keep``; returns what could not be removed."""
    with shielded():
        return Teardown.load(run_id).run()


