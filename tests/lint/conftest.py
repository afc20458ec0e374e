"""Small readable designs for the lint tests, and the way each check's test case is stated."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from designer.fabric.document import validate
from designer.fabric.lint import Finding
from designer.fabric.pipeline import compile_design
from designer.fabric.plan.record import AllocationRecord
from tests.conftest import fixed_keygen

Design = dict[str, Any]


def lint_findings(design: Design, record: dict | None = None) -> list[Finding]:
    """What the architect sees for ``design`` (planned with the allocation ``record``, if given): it goes
    through the same checks as the canvas does."""
    previous = AllocationRecord.from_data(record) if record is not None else None
    return compile_design(validate(design, source="test design"), previous, keygen=fixed_keygen("lint")).findings


# --- finding parts of a design -------------------------------------------------------------------

def device(design: Design, device_id: str) -> dict:
    return next(d for d in design["devices"] if d["id"] == device_id)


def nic(design: Design, device_id: str, name: str) -> dict:
    return next(n for n in device(design, device_id)["nics"] if n["name"] == name)


def network(design: Design, network_id: str) -> dict:
    return next(n for n in design["networks"] if n["id"] == network_id)


def attachment(design: Design, network_id: str, device_id: str) -> dict:
    return next(a for a in network(design, network_id)["attach"] if a["device"] == device_id)


def edit(design: Design, find: Callable[..., dict], *ids: str, **fields: Any) -> Design:
    """``design`` with the part ``find(design, *ids)`` picks out updated: ``edit(d, nic, "hv1", "eth0", mtu=9000)``."""
    find(design, *ids).update(fields)
    return design


def cable(a: str, a_nic: str, b: str, b_nic: str, kind: str = "unnumbered") -> dict:
    return {"id": f"{a}-{b}", "kind": kind, "a": {"device": a, "interface": a_nic},
            "b": {"device": b, "interface": b_nic}}


# --- base designs, each free of findings ---------------------------------------------------------

def evpn_fabric() -> Design:
    """Two leaves linked to each other, two Proxmox nodes with an eBGP unnumbered uplink to each, one VNI
    on both nodes."""
    def leaf(name: str) -> dict:
        return {"id": name, "name": name, "role": "leaf", "platform": "cumulus", "rack": "r1",
                "nics": [{"name": f"swp{p}", "speed": "25G", "role": "uplink"} for p in range(1, 5)]}

    def hypervisor(name: str) -> dict:
        return {"id": name, "name": name, "role": "hypervisor", "platform": "proxmox", "rack": "r1",
                "nics": [{"name": nic_name, "speed": "25G", "role": "uplink"} for nic_name in ("enp1s0f0", "enp1s0f1")]}

    return {
        "name": "lint-evpn",
        "mtu": {"underlay": 9216, "tenant": 9000},
        "racks": [{"id": "r1", "name": "rack 1"}],
        "devices": [leaf("leaf1"), leaf("leaf2"), hypervisor("hv1"), hypervisor("hv2")],
        "links": [cable("hv1", "enp1s0f0", "leaf1", "swp1"), cable("hv1", "enp1s0f1", "leaf2", "swp1"),
                  cable("hv2", "enp1s0f0", "leaf1", "swp2"), cable("hv2", "enp1s0f1", "leaf2", "swp2"),
                  cable("leaf1", "swp4", "leaf2", "swp4")],
        "networks": [{"id": "web", "name": "web", "vni": 10001, "attach": ["hv1", "hv2"]}],
    }


def bonded_cluster() -> Design:
    """Two Proxmox nodes as seed 001 lays them out: NICs by role, an LACP trunk to an MLAG pair."""
    def switch(name: str) -> dict:
        return {"id": name, "name": name, "role": "leaf", "platform": "cumulus", "rack": "r1", "managed": False,
                "nics": [{"name": "swp1", "speed": "10G"}, {"name": "swp2", "speed": "10G"}]}

    def node(name: str) -> dict:
        return {"id": name, "name": name, "role": "hypervisor", "platform": "proxmox", "rack": "r1",
                "nics": [{"name": "eno1", "speed": "1G", "role": "management"},
                         {"name": "eno2", "speed": "1G", "role": "cluster"},
                         {"name": "eno3", "speed": "1G", "role": "oob"},
                         {"name": "enp65s0f0", "speed": "10G", "role": "vm-trunk"},
                         {"name": "enp65s0f1", "speed": "10G", "role": "vm-trunk"},
                         {"name": "enp66s0", "speed": "10G", "role": "storage"}],
                "bonds": [{"name": "bond0", "mode": "802.3ad", "members": ["enp65s0f0", "enp65s0f1"],
                           "xmit_hash_policy": "layer3+4"}],
                "bridges": [{"name": "vmbr0", "ports": ["eno1"]},
                            {"name": "vmbr1", "ports": ["bond0"], "vlan_aware": True, "vids": "2-4094"}]}

    def on(interface: str, **extra: str) -> list[dict]:
        return [{"device": "pve1", "interface": interface, **extra}, {"device": "pve2", "interface": interface}]

    return {
        "name": "lint-cluster",
        "racks": [{"id": "r1", "name": "rack 1", "multihoming": "mlag"}],
        "devices": [switch("sw1"), switch("sw2"), node("pve1"), node("pve2")],
        "links": [cable("pve1", "enp65s0f0", "sw1", "swp1", "lan"), cable("pve1", "enp65s0f1", "sw2", "swp1", "lan"),
                  cable("pve2", "enp65s0f0", "sw1", "swp2", "lan"), cable("pve2", "enp65s0f1", "sw2", "swp2", "lan")],
        "networks": [
            {"id": "mgmt", "name": "management", "purpose": "management", "subnet": "10.10.0.0/24",
             "gateway": "10.10.0.1", "attach": on("vmbr0", address="10.10.0.11")},
            {"id": "corosync", "name": "corosync", "purpose": "cluster", "subnet": "10.10.1.0/24",
             "attach": on("eno2")},
            {"id": "storage", "name": "ceph", "purpose": "storage", "subnet": "10.10.2.0/24",
             "attach": on("enp66s0")},
            {"id": "web", "name": "web", "vlan": 100, "subnet": "203.0.113.0/26", "attach": on("vmbr1")},
        ],
        "firewall": {"ipsets": [{"name": "management", "networks": ["mgmt"]}],
                     "rules": [{"action": "ACCEPT", "source": "+management", "proto": "tcp", "dport": "8006"}]},
    }


def wireguard_mesh(members: int = 3) -> Design:
    """LXD hosts in a WireGuard full mesh carrying iBGP, the first one the route reflector (seed 003)."""
    names = [f"n{i}" for i in range(1, members + 1)]
    return {
        "name": "lint-mesh",
        "underlay": {"style": "ibgp", "asn": 64512, "route_reflectors": ["n1"], "mesh": "wg"},
        "pools": {"wireguard_v4": "172.20.0.0/24", "tenant_v4": "10.0.0.0/16"},
        "devices": [{"id": name, "name": name, "role": "hypervisor", "platform": "lxd",
                     "nics": [{"name": "eth0", "role": "uplink", "dhcp": True}], "bridges": [{"name": "lxdbr0"}]}
                    for name in names],
        "wireguard": [{"id": "wg", "name": "wg0", "listen_port": 51820,
                       "members": [{"device": name, "endpoint": f"198.51.100.{i}"}
                                   for i, name in enumerate(names, start=1)]}],
    }


def announce_node_subnets(design: Design) -> Design:
    """Give every mesh host its own LXD subnet, announced to the others (as seed 003 does)."""
    design["networks"] = [{"id": "lxd", "name": "lxdbr0", "scope": "node",
                           "attach": [{"device": d["id"], "interface": "lxdbr0"} for d in design["devices"]]}]
    return design


def egress_pair() -> Design:
    """Two egress routers with a dynamic listen range and two hosts using both (seed 004)."""
    def member(name: str, role: str) -> dict:
        device = {"id": name, "name": name, "role": role, "platform": "frr" if role == "gateway" else "debian",
                  "nics": [{"name": "ens5", "role": "uplink"}]}
        if role == "gateway":  # its own way out, through the cloud's router
            device["static_routes"] = [{"prefix": "0.0.0.0/0", "via": "192.168.100.1"}]
        return device

    return {
        "name": "lint-egress",
        "asn": {"range": "64512-65534"},
        "devices": [member("r1", "gateway"), member("r2", "gateway"), member("h1", "host"), member("h2", "host")],
        "networks": [{"id": "transit", "name": "transit", "purpose": "transit", "subnet": "192.168.100.0/24",
                      "attach": [{"device": "r1", "interface": "ens5", "address": "192.168.100.20"},
                                 {"device": "r2", "interface": "ens5", "address": "192.168.100.21"},
                                 {"device": "h1", "interface": "ens5", "address": "192.168.100.100"},
                                 {"device": "h2", "interface": "ens5", "address": "192.168.100.101"}]}],
        "egress": [{"id": "egress", "name": "internet", "network": "transit", "gateways": ["r1", "r2"],
                    "clients": ["h1", "h2"], "listen_range": "192.168.100.96/27",
                    "supernet": "10.0.0.0/8", "subnet_gateway": "192.168.100.1"}],
    }


BASES: dict[str, Callable[[], Design]] = {"evpn_fabric": evpn_fabric, "bonded_cluster": bonded_cluster,
                                          "wireguard_mesh": wireguard_mesh, "egress_pair": egress_pair}


# --- how a check is tested ------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    """One check: a design where it must fire and a near twin where the same thing is fine."""

    code: str
    severity: str
    elements: tuple[str, ...]  # the elements of the finding the trigger must produce
    trigger: Callable[[], Design]
    fine: Callable[[], Design]
    mentions: tuple[str, ...] = field(default=())  # names and numbers the message must spell out
    record: dict | None = None  # the allocation record both designs are planned with

    def __str__(self) -> str:
        return self.code
