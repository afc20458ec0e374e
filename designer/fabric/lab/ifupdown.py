"""Applying a node's generated /etc/network/interfaces with ifupdown2, inside the node's namespace.

`ip netns exec` gives each command its own mount namespace, so the node's files are bind-mounted
where ifupdown2 looks for them and its lock and state live on a private tmpfs: nodes apply in
parallel, exactly as the files say, and the host's own ifupdown2 state is never touched.
"""

from __future__ import annotations

from pathlib import Path

from .process import Outcome, in_netns, run

APPLY_TIMEOUT = 60.0

_SCRIPT = """set -e
mkdir -p /run/network /var/tmp
mount -t tmpfs weft-lab /run/network
mount -t tmpfs weft-lab /var/tmp
mount --bind "$1" /etc/network/interfaces
if [ -d "$2" ] && [ -d /etc/network/interfaces.d ]; then mount --bind "$2" /etc/network/interfaces.d; fi
shift 2
exec ifup -a "$@"
"""


def apply(namespace: str, etc_network: Path, *, exclude: list[str] = ()) -> Outcome:
    """``ifup -a`` on ``etc_network/interfaces`` (and ``interfaces.d/``) inside ``namespace``."""
    excluded = [arg for name in exclude for arg in ("-X", name)]
    argv = in_netns(namespace, ["sh", "-c", _SCRIPT, "ifup", str(etc_network / "interfaces"),
                                str(etc_network / "interfaces.d"), *excluded])
    return run(argv, timeout=APPLY_TIMEOUT)


def display(namespace: str, etc_network: Path, *, exclude: list[str] = ()) -> str:
    """How a person would type what ``apply`` runs."""
    excluded = "".join(f" -X {name}" for name in exclude)
    return f"ip netns exec {namespace} ifup -a{excluded} -i {etc_network / 'interfaces'}"
