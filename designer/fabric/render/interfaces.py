"""ifupdown2: ``/etc/network/interfaces`` with loopback, NICs, bonds, VLANs, bridges, VXLAN and VRFs."""

from __future__ import annotations

import operator
from dataclasses import fields

from ..plan.model import DevicePlan, InterfacePlan, Plan
from .target import Activation
from .templating import render

PATH = "/etc/network/interfaces"
SOURCED = "/etc/network/interfaces.d/*"  # Proxmox SDN and cloud-init keep their own files there

ACTIVATIONS = (
    Activation(PATH, order=10, tool="ifreload",
               check=("mkdir -p /run/network", "ifup --syntax-check -a -i {file}"),
               load=("ifreload -a",), disruption="interface-reload"),
)


def node_files(plan: Plan, device: DevicePlan) -> dict[str, str]:
    # the BMC port has no OS configuration; LXD configures its own bridges (the lxd target)
    interfaces = [iface for iface in device.interfaces if iface.role != "oob" and iface.managed_by == "ifupdown2"]
    return {PATH: render("interfaces/interfaces.j2", plan=plan, device=device,
                         stanzas=_STANZAS.of_all(interfaces, device.vtep), sourced=SOURCED)}


class _Stanzas:
    """Each interface's stanza, rendered once for the overlay's many alike ones.

    A fabric with every VNI on thousands of VTEPs has thousands of the same VNI bridge and VXLAN device,
    mostly one object the plan shares (a VXLAN device's only difference, its local address, is its device's
    VTEP): their stanzas are kept by the object, and by what they are made of (every field; the address left
    out and put in its place afterwards), so the same text is not rendered again. A run of such interfaces
    in a device (a hypervisor's every VNI) is kept as one text too, by its objects: the next device with the
    same run looks it up once and puts its address in once, instead of once per interface.
    """

    KEPT = 20_000  # stanzas (and runs) kept at most; past it they are forgotten and rendered again as needed
    ADDRESS = "\0local-ip\0"  # stands for a VXLAN device's address while its stanza is rendered
    FIELDS = tuple(item.name for item in fields(InterfacePlan))
    LISTS = tuple(item.name for item in fields(InterfacePlan) if item.default_factory is list)

    def __init__(self) -> None:
        self.kept: dict[tuple, str] = {}
        self.objects: dict[tuple[int, bool], tuple[InterfacePlan, str]] = {}  # by id, kept alive with its id
        self.runs: dict[tuple[tuple[int, ...], bool], tuple[list[InterfacePlan], str]] = {}  # the same, for runs
        self._scalars = operator.attrgetter(*(name for name in self.FIELDS if name not in self.LISTS))
        self._lists = operator.attrgetter(*self.LISTS)

    def of_all(self, interfaces: list[InterfacePlan], vtep: str | None) -> list[str]:
        """The stanzas of ``interfaces``, in order (a run of overlay ones as one text)."""
        out: list[str] = []
        run: list[InterfacePlan] = []
        for iface in interfaces:
            if iface.vni is not None and iface.kind in ("bridge", "vxlan"):
                run.append(iface)
                continue
            if run:
                out.append(self._run(run, vtep))
                run = []
            out.append(_stanza(iface, vtep if iface.kind == "vxlan" else None))
        if run:
            out.append(self._run(run, vtep))
        return out

    def _run(self, run: list[InterfacePlan], vtep: str | None) -> str:
        key = (tuple(map(id, run)), vtep is None)
        known = self.runs.get(key)
        if known is not None and all(map(operator.is_, known[0], run)):
            text = known[1]
        else:
            text = "".join(self._text(iface, vtep is None or iface.kind != "vxlan") for iface in run)
            if len(self.runs) >= self.KEPT:
                self.runs.clear()
            self.runs[key] = (run, text)
        return text if vtep is None else text.replace(self.ADDRESS, vtep)

    def _text(self, iface: InterfacePlan, unaddressed: bool) -> str:
        """An overlay interface's stanza; ``unaddressed``: without a VXLAN address, else with ``ADDRESS`` for it."""
        known = self.objects.get((id(iface), unaddressed))
        if known is not None and known[0] is iface:
            return known[1]
        key = (self._scalars(iface), *map(tuple, self._lists(iface)), unaddressed)
        text = self.kept.get(key)
        if text is None:
            if len(self.kept) >= self.KEPT:
                self.kept.clear()
            text = self.kept[key] = _stanza(iface, None if unaddressed else self.ADDRESS)
        if len(self.objects) >= self.KEPT:
            self.objects.clear()
        self.objects[(id(iface), unaddressed)] = (iface, text)
        return text


def _stanza(iface: InterfacePlan, local_ip: str | None) -> str:
    return render("interfaces/stanza.j2", iface=iface, local_ip=local_ip)


_STANZAS = _Stanzas()
