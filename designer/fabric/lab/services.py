"""The services a node's design says it runs that a stock root lacks: the logs its fail2ban jails read.

fail2ban 1.0 refuses a jail whose log file does not exist, and with it the whole configuration. The
nodes of seed 000 run nginx in front of the Proxmox API; the lab does not run nginx, so it stands in
for it (and for any service a jail watches) by creating the log files, empty, as the service would on
its first start, and says so.
"""

from __future__ import annotations

import configparser
import glob
import re

from .noderoot import NodeRoot

# fail2ban's own names for the logs of common services, as Debian's package defines them
PATHS = ("/etc/fail2ban/paths-common.conf", "/etc/fail2ban/paths-debian.conf")


def fail2ban_paths() -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(PATHS)
    return dict(parser["DEFAULT"]) if parser.has_section("DEFAULT") or parser.defaults() else {}


def resolve(logpath: str, names: dict[str, str]) -> list[str]:
    """``%(nginx_access_log)s`` and its like as fail2ban expands them; one path per line of the option."""
    for _ in range(10):  # names may refer to names
        expanded = re.sub(r"%\(([A-Za-z0-9_]+)\)s", lambda m: names.get(m[1].lower(), m[0]), logpath)
        if expanded == logpath:
            break
        logpath = expanded
    return [entry.rsplit(" ", 1)[0] if entry.endswith((" head", " tail")) else entry
            for entry in logpath.split() if entry.startswith("/")]


def stand_in_for_logs(root: NodeRoot, logpaths: list[str]) -> list[str]:
    """Create, on the node, each log a jail reads that nothing there writes yet; returns the files made."""
    names = fail2ban_paths()
    made = []
    for logpath in logpaths:
        for path in resolve(logpath, names):
            if glob.glob(str(root.upper / path.lstrip("/"))) or glob.glob(path):
                continue  # the node (or the machine's stock files under it) has it
            concrete = path.replace("*", "")
            root.run(["sh", "-c", 'mkdir -p "$(dirname "$1")" && touch "$1"', "log", concrete])
            made.append(concrete)
    return made
