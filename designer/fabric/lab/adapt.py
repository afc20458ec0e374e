"""A node's interfaces file as this kernel can apply it: each bond on one member, what it cannot build left out.

Pure: the generated file is kept as it is; the lab applies an edited copy and says what it changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..plan.model import DevicePlan, InterfacePlan, Plan

PORTLESS_BRIDGE = "pre-up ip link add name {name} type bridge || true"
_STANZA = re.compile(r"^(auto|allow-\S+|iface|mapping|source|source-directory)\b")


@dataclass(frozen=True, slots=True)
class BondCarrier:
    """A bond the kernel cannot build, stood in for by one member: the cable of ``member`` takes the bond's name."""

    device_id: str
    bond: str
    member: str
    idle: tuple[str, ...]  # the other members, left as plain NICs carrying nothing
    primary: bool  # ``member`` is the bond's primary, not merely its first member

    def describe(self, device_name: str) -> str:
        which = "primary" if self.primary else "first member"
        idle = f" ({', '.join(self.idle)} left idle)" if self.idle else ""
        return f"{device_name}:{self.bond} by its {which} {self.member}{idle}"


def bond_carriers(plan: Plan) -> list[BondCarrier]:
    """For every bond of a managed device: the member that carries it (the primary if set, else the first)."""
    out = []
    for device in plan.devices.values():
        if not device.managed:
            continue
        for iface in device.interfaces:
            if iface.kind == "bond" and iface.members:
                member = iface.primary if iface.primary in iface.members else iface.members[0]
                out.append(BondCarrier(device.id, iface.name, member,
                                       tuple(m for m in iface.members if m != member), member == iface.primary))
    return out


def interface_needs(iface: InterfacePlan) -> list[str]:
    """The kernel features (as ``kernel.PROBES`` names them) that building ``iface`` takes."""
    kinds = {"vxlan": "vxlan", "bridge": "bridge", "bond": "bond", "vlan": "8021q", "vrf": "vrf"}
    needs = [kinds[iface.kind]] if iface.kind in kinds else []
    if iface.kind == "bridge" and iface.vlan_aware:
        needs.append("vlan-filtering")
    return needs


def left_out(plan: Plan, unbuildable: set[str]) -> dict[str, dict[str, str]]:
    """Device -> interface -> why the lab leaves it out: it needs a feature in ``unbuildable``, or rests on one."""
    out: dict[str, dict[str, str]] = {}
    for device in plan.devices.values():
        if not device.managed:
            continue
        reasons: dict[str, str] = {}
        for iface in device.interfaces:
            lacking = [f for f in interface_needs(iface) if f in unbuildable]
            if lacking:
                reasons[iface.name] = f"needs {', '.join(lacking)}"
        # a bridge over a left-out VLAN, an interface in a left-out VRF: cannot come up either
        changed = bool(reasons)
        while changed:
            changed = False
            for iface in device.interfaces:
                if iface.name in reasons:
                    continue
                below = next((n for n in (iface.parent, iface.vrf, *iface.ports) if n in reasons), None)
                if below is not None:
                    reasons[iface.name] = f"rests on {below}, which {reasons[below]}"
                    changed = True
        if reasons:
            out[device.id] = reasons
    return out


@dataclass(frozen=True, slots=True)
class StanzaEdit:
    """What the lab changes in one interface's stanza, and the comment that says why."""

    drop: tuple[str, ...] = ()  # option keywords, or keyword prefixes ending in "-", taken out
    add: tuple[str, ...] = ()  # option lines put in
    note: str = ""


@dataclass(slots=True)
class NodeEdits:
    """Every change the lab makes to one node's interfaces file: stanzas removed (name -> why), stanzas edited."""

    removed: dict[str, str]
    edited: dict[str, StanzaEdit]

    def __bool__(self) -> bool:
        return bool(self.removed or self.edited)


def node_edits(device: DevicePlan, *, left_out: dict[str, str], carriers: list[BondCarrier],
               vlan_filtering: bool) -> NodeEdits:
    """What the lab changes so this kernel applies the rest of ``device``'s file as written."""
    removed = {name: f"left out in the lab, whose kernel cannot build it: {name} {why}"
               for name, why in left_out.items()}
    edited: dict[str, StanzaEdit] = {}
    for carrier in carriers:
        removed[carrier.member] = f"{carrier.member} carries {carrier.bond} in the lab, under that name"
        edited[carrier.bond] = StanzaEdit(drop=("bond-", "bond_"),
                                          note=f"no bonding in this kernel: {carrier.member} alone carries it")
    if not vlan_filtering:
        # A bridge without ports is declared by `bridge-vlan-aware no`, but a kernel without VLAN filtering
        # refuses even to be told it is off (its default anyway), and ifupdown2's syntax check refuses
        # `bridge-ports none`: the copy makes the bridge itself before ifupdown2 addresses it.
        for iface in device.interfaces:
            if (iface.kind == "bridge" and not iface.vlan_aware and not iface.ports and iface.name not in removed
                    and iface.managed_by == "ifupdown2"):  # LXD makes its own bridges: they are not in the file
                edited[iface.name] = StanzaEdit(drop=("bridge-",), add=(PORTLESS_BRIDGE.format(name=iface.name),),
                                                note="no VLAN filtering in this kernel: the bridge is made by pre-up")
    return NodeEdits(removed, edited)


def _dropped(line: str, edit: StanzaEdit | None) -> bool:
    if edit is None:
        return False
    keyword = line.split(maxsplit=1)[0]
    return any(keyword.startswith(d) if d.endswith(("-", "_")) else keyword == d for d in edit.drop)


def edit_interfaces(text: str, edits: NodeEdits) -> str:
    """``text`` with the stanzas in ``edits.removed`` taken out and those in ``edits.edited`` changed.

    Each change leaves a comment where it was made, so the applied copy explains itself.
    """
    out: list[str] = []
    comments: list[str] = []  # comment lines waiting for the stanza they introduce
    current: str | None = None
    for line in text.splitlines():
        if not line.strip():
            out += comments
            comments = []
            out.append(line)
            continue
        if line.startswith("#"):
            comments.append(line)
            continue
        match = _STANZA.match(line)
        if match is None:  # an option line of the current stanza
            if current not in edits.removed and not _dropped(line, edits.edited.get(current or "")):
                out.append(line)
            continue
        words = line.split()
        if match[1] == "iface" and len(words) > 1:
            current = words[1]
            if current in edits.removed:
                out.append(f"# {edits.removed[current]}")
            else:
                out += [*comments, line]
                edit = edits.edited.get(current)
                if edit is not None:
                    out += [f"    # {edit.note}", *(f"    {option}" for option in edit.add)]
            comments = []
            continue
        if match[1] == "auto" or match[1].startswith("allow-"):
            kept = [name for name in words[1:] if name not in edits.removed]
            if kept:
                out += [*comments, " ".join([words[0], *kept])]
            comments = []
            continue
        current = None
        out += [*comments, line]
        comments = []
    out += comments
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).rstrip("\n") + "\n"
