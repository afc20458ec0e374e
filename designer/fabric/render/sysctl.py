"""sysctl: forwarding and the ECMP hash policy (``net.ipv4.fib_multipath_hash_policy``, seed 004)."""

from __future__ import annotations

from ..plan.model import DevicePlan, Plan
from .target import Activation
from .templating import render

PATH = "/etc/sysctl.d/80-fabric.conf"

ACTIVATIONS = (Activation(PATH, order=5, tool="sysctl", load=("sysctl -q -p {path}",)),)


def node_files(plan: Plan, device: DevicePlan) -> dict[str, str]:
    if not device.sysctl:
        return {}
    return {PATH: render("sysctl/fabric.conf.j2", plan=plan, device=device)}
