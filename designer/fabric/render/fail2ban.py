"""fail2ban: one ``jail.d/`` and one ``filter.d/`` file per jail on the devices that run it (seed 000)."""

from __future__ import annotations

from ..plan.model import DevicePlan, Plan
from .target import Activation
from .templating import render

ACTIVATIONS = (
    Activation("/etc/fail2ban/*.d/*.conf", order=40, tool="fail2ban-client",
               verify=("fail2ban-client -t >/dev/null",),
               # a running fail2ban reloads; a stopped one reads the files when it starts
               load=("systemctl try-reload-or-restart fail2ban.service",)),
)


def node_files(plan: Plan, device: DevicePlan) -> dict[str, str]:
    files = {}
    for name in device.jails:
        jail = plan.jails[name]
        files[f"/etc/fail2ban/jail.d/{name}.conf"] = render("fail2ban/jail.conf.j2", plan=plan, jail=jail)
        files[f"/etc/fail2ban/filter.d/{name}.conf"] = render("fail2ban/filter.conf.j2", plan=plan, jail=jail)
    return files
