"""A node's generated files as the lab uses them: written under the run directory, read back by kind."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..plan.model import Plan
from ..render import activation_for
from ..render import frr as frr_target
from ..render import interfaces as interfaces_target
from ..render import nftables as nftables_target
from ..render import wireguard as wireguard_target
from ..render.target import file_mode
from .adapt import NodeEdits, edit_interfaces
from .process import LabError

NodeRenderer = Callable[[Plan, str], dict[str, str]]

SYSCTL_PATTERNS = ("/etc/sysctl.conf", "/etc/sysctl.d/*.conf")
# Only these sysctls belong to a network namespace; anything else would change the host itself.
NAMESPACED_SYSCTLS = ("net.ipv4.ip_forward", "net.ipv4.conf.*", "net.ipv6.conf.*", "net.ipv4.fib_multipath_*",
                      "net.ipv6.fib_multipath_*", "net.ipv4.neigh.*", "net.ipv6.neigh.*")


@dataclass(slots=True)
class NodeFiles:
    device_id: str
    root: Path  # the node's filesystem tree inside the run directory
    frr_conf: str | None = None
    daemons: str | None = None
    sysctl: dict[str, str] = field(default_factory=dict)
    host_sysctl: list[str] = field(default_factory=list)  # keys the lab leaves alone
    dhcp: list[str] = field(default_factory=list)  # interfaces configured by DHCP: no server in the lab
    wireguard: dict[str, Path] = field(default_factory=dict)  # interface -> its wg-quick file
    bgp_filter: Path | None = None  # its nftables filter of who may speak BGP to it
    edited: bool = False  # ifupdown2 applies an edited copy: this kernel cannot build all of the file

    @property
    def etc_network(self) -> Path:
        """What ifupdown2 applies: the generated /etc/network, or the lab's edited copy of it."""
        return self.root / "lab" / "network" if self.edited else self.generated_network

    @property
    def generated_network(self) -> Path:
        return self.root / "etc" / "network"

    @property
    def has_interfaces(self) -> bool:
        return (self.etc_network / "interfaces").exists()


def write_node_files(plan: Plan, device_id: str, root: Path, render: NodeRenderer) -> NodeFiles:
    """Render the node's files into ``root`` (mirroring its filesystem) and pick out what the lab applies."""
    files = render(plan, device_id)
    node = NodeFiles(device_id, root)
    for path, text in files.items():
        if not path.startswith("/"):
            raise LabError(f"the renderer gave {plan.devices[device_id].name} a relative path: {path}")
        target = root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        activation = activation_for(path)
        target.chmod(file_mode(activation))  # as on the node: wg-quick warns of a private key anyone may read
        if activation in nftables_target.ACTIVATIONS:
            node.bgp_filter = target
        if activation in wireguard_target.ACTIVATIONS:
            node.wireguard[Path(path).stem] = target
        if any(fnmatch.fnmatchcase(path, pattern) for pattern in SYSCTL_PATTERNS):
            for key, value in parse_sysctl(text).items():
                if any(fnmatch.fnmatchcase(key, pattern) for pattern in NAMESPACED_SYSCTLS):
                    node.sysctl[key] = value
                else:
                    node.host_sysctl.append(key)
    node.dhcp = sorted({name for path, text in files.items() if path.startswith(interfaces_target.PATH)
                        for name in re.findall(r"^\s*iface\s+(\S+)\s+inet6?\s+dhcp\b", text, re.MULTILINE)})
    node.frr_conf = files.get(frr_target.CONFIG)
    node.daemons = files.get(frr_target.DAEMONS)
    return node


def write_edited_network(node: NodeFiles, edits: NodeEdits) -> None:
    """Beside the generated files, the copy ifupdown2 applies here: see ``adapt.edit_interfaces``."""
    if not edits or not node.has_interfaces:
        return
    source = node.generated_network
    for path in [source / "interfaces", *sorted((source / "interfaces.d").glob("*"))]:
        if path.is_file():
            target = node.root / "lab" / "network" / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(edit_interfaces(path.read_text(encoding="utf-8"), edits), encoding="utf-8")
    node.edited = True


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
