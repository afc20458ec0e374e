"""fail2ban: one ``jail.d/`` and one ``filter.d/`` file per jail on the devices that run it (seed 000).

Beside them, the ``[sshd]`` jail that Debian's own ``jail.d/defaults-debian.conf`` enables is switched
to the journal: Debian 12 and Proxmox 8 have no ``/var/log/auth.log`` without rsyslog, and a jail
without its log file fails fail2ban's configuration test, and with it the whole apply.
"""

from __future__ import annotations

from ..plan.model import DevicePlan, Plan
from .target import Activation
from .templating import render

SSHD_JOURNAL = "/etc/fail2ban/jail.d/sshd-journal.conf"
# fail2ban (run by Debian's /usr/bin/python3) reads the journal through python3-systemd, a package of its own
JOURNAL_READER = ("/usr/bin/python3 -c 'import systemd.journal' 2>/dev/null || "
                  "{ echo \"fail2ban reads sshd's journal with python3-systemd: apt-get install python3-systemd\" >&2; "
                  "false; }")

ACTIVATIONS = (
    Activation("/etc/fail2ban/*.d/*.conf", order=40, tool="fail2ban-client", check=(JOURNAL_READER,),
               verify=("fail2ban-client -t >/dev/null",),
               # a running fail2ban reloads; a stopped one reads the files when it starts
               load=("systemctl try-reload-or-restart fail2ban.service",)),
)


def node_files(plan: Plan, device: DevicePlan) -> dict[str, str]:
    if not device.jails:
        return {}
    files = {SSHD_JOURNAL: render("fail2ban/sshd-journal.conf.j2", plan=plan, device=device)}
    for name in device.jails:
        jail = plan.jails[name]
        files[f"/etc/fail2ban/jail.d/{name}.conf"] = render("fail2ban/jail.conf.j2", plan=plan, jail=jail)
        files[f"/etc/fail2ban/filter.d/{name}.conf"] = render("fail2ban/filter.conf.j2", plan=plan, jail=jail)
    return files
