"""A node's directory of the bundle as the lab stages it, and what the lab reads back from its files.

The node's files are rendered as for an export, and ``apply.sh``, ``apply.py`` and ``apply.json`` are
built around them the same way; the node's own ``apply.sh`` installs them. Where this kernel cannot
build all of the interfaces file, the staged copy is the edited one (``adapt.edit_interfaces``), and
``apply.json`` is made for those bytes, so the report can say exactly what was applied.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..apply import NodeApply
from ..plan.model import Plan
from ..render import activation_for
from ..render import frr as frr_target
from ..render import interfaces as interfaces_target
from ..render import nftables as nftables_target
from ..render import wireguard as wireguard_target
from ..render.target import file_mode
from .adapt import NodeEdits, edit_interfaces
from .process import LabError
from .standins.sysctl import NAMESPACED as NAMESPACED_SYSCTLS

NodeRenderer = Callable[[Plan, str], dict[str, str]]

SYSCTL_PATTERNS = ("/etc/sysctl.conf", "/etc/sysctl.d/*.conf")


@dataclass(slots=True)
class NodeFiles:
    device_id: str
    bundle: Path  # the node's directory of the staged bundle: apply.sh beside etc/
    frr_conf: str | None = None
    daemons: str | None = None
    host_sysctl: list[str] = field(default_factory=list)  # keys the lab leaves alone
    dhcp: list[str] = field(default_factory=list)  # interfaces configured by DHCP
    wireguard: list[str] = field(default_factory=list)  # interfaces brought up by wg-quick
    bgp_filter: bool = False  # it has an nftables filter of who may speak BGP to it
    watched_logs: list[str] = field(default_factory=list)  # what its fail2ban jails read, as their files write it
    edited: bool = False  # the staged interfaces file is the lab's edited copy: this kernel cannot build all of it

    @property
    def apply_script(self) -> Path:
        return self.bundle / "apply.sh"


def stage(plan: Plan, device_id: str, bundle: Path, render: NodeRenderer, node_apply: NodeApply,
          edits: NodeEdits) -> NodeFiles:
    """Render the node's files, apply the lab's ``edits`` to its interfaces file, write its bundle directory."""
    device = plan.devices[device_id]
    texts = render(plan, device_id)
    node = NodeFiles(device_id, bundle)
    for path in texts:
        if not path.startswith("/"):
            raise LabError(f"the renderer gave {device.name} a relative path: {path}")
    if edits and interfaces_target.PATH in texts:
        texts[interfaces_target.PATH] = edit_interfaces(texts[interfaces_target.PATH], edits)
        node.edited = True
    data = {path: text.encode() for path, text in texts.items()}
    activations = {path: activation_for(path) for path in data}
    written = {path.lstrip("/"): (blob, file_mode(activations[path])) for path, blob in data.items()}
    written.update(node_apply.files(device, data, activations))
    for rel, (blob, mode) in written.items():
        target = bundle / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob)
        target.chmod(mode)
    for path, text in texts.items():
        activation = activations[path]
        node.bgp_filter |= path == nftables_target.PATH
        if activation in wireguard_target.ACTIVATIONS:
            node.wireguard.append(Path(path).stem)
        if any(fnmatch.fnmatchcase(path, pattern) for pattern in SYSCTL_PATTERNS):
            node.host_sysctl += [key for key in parse_sysctl(text)
                                 if not any(fnmatch.fnmatchcase(key, p) for p in NAMESPACED_SYSCTLS)]
    node.watched_logs = sorted({line.split("=", 1)[1].strip() for path, text in texts.items()
                                if path.startswith("/etc/fail2ban/jail.d/") for line in text.splitlines()
                                if re.match(r"^\s*logpath\s*=", line)})
    node.dhcp = sorted({name for path, text in texts.items() if path.startswith(interfaces_target.PATH)
                        for name in re.findall(r"^\s*iface\s+(\S+)\s+inet6?\s+dhcp\b", text, re.MULTILINE)})
    node.frr_conf = texts.get(frr_target.CONFIG)
    node.daemons = texts.get(frr_target.DAEMONS)
    return node


def parse_sysctl(text: str) -> dict[str, str]:
    """``key = value`` lines as sysctl.conf(5) reads them, keys kept as written for ``sysctl -w``."""
    out = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        match = re.fullmatch(r"-?\s*([A-Za-z0-9_./-]+)\s*=\s*(.*)", line)
        if match:
            out[match[1]] = match[2].strip()
    return out
