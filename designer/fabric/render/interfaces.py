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
    return {PATH: render("interfaces/interfaces.j2", plan=plan, device=device, stanzas=map(_STANZAS.of, interfaces),
                         sourced=SOURCED)}


class _Stanzas:
    """Each interface's stanza, rendered once for the overlay's many alike ones.

    A fabric with every VNI on thousands of VTEPs has thousands of the same VNI bridge, and of VXLAN devices
    that differ only in their VTEP address: their stanzas are kept by what they are made of (every field,
    the address left out and put in its place afterwards), so the same text is not rendered again.
    """

    KEPT = 20_000  # stanzas kept at most; past it they are forgotten and rendered again as needed
    ADDRESS = "\0local-ip\0"  # stands for a VXLAN device's address while its stanza is rendered
    FIELDS = tuple(item.name for item in fields(InterfacePlan) if item.name not in ("local_ip", "interface_index"))
    LISTS = tuple(item.name for item in fields(InterfacePlan) if item.default_factory is list)

    def __init__(self) -> None:
        self.kept: dict[tuple, str] = {}
        self._scalars = operator.attrgetter(*(name for name in self.FIELDS if name not in self.LISTS))
        self._lists = operator.attrgetter(*self.LISTS)

    def of(self, iface: InterfacePlan) -> str:
        if iface.vni is None or iface.kind not in ("bridge", "vxlan"):
            return _stanza(iface)
        key = (self._scalars(iface), *map(tuple, self._lists(iface)), iface.local_ip is None)
        text = self.kept.get(key)
        if text is None:
            model = iface
            if iface.local_ip is not None:
                model = InterfacePlan(**{name: getattr(iface, name) for name in self.FIELDS})
                model.local_ip = self.ADDRESS
            if len(self.kept) >= self.KEPT:
                self.kept.clear()
            text = self.kept[key] = _stanza(model)
        return text if iface.local_ip is None else text.replace(self.ADDRESS, iface.local_ip)


def _stanza(iface: InterfacePlan) -> str:
    return render("interfaces/stanza.j2", iface=iface)


_STANZAS = _Stanzas()
