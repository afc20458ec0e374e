"""Generators of whole designs: a starting point for users, and fabrics of any size for tests."""

from __future__ import annotations

from typing import Any

from .document import validate
from .spec import Design

SPINE_PORT_SPEED = "100G"
HYPERVISOR_PORT_SPEED = "25G"


def leaf_spine(*, spines: int = 2, leaves: int = 4, hypervisors_per_leaf: int = 2, vnis: int = 10,
               name: str = "leaf-spine", first_vni: int = 10001) -> Design:
    """An EVPN/VXLAN leaf-spine fabric: eBGP unnumbered, leaf pairs per rack, dual-homed Proxmox nodes.

    Leaves come in pairs, one pair per rack; each hypervisor has one uplink to each leaf of its
    rack (one uplink when the last rack has a single leaf). Every VNI is attached to every
    hypervisor, each with a bridge and a VXLAN device.
    """
    if spines < 1 or leaves < 1 or hypervisors_per_leaf < 0 or vnis < 0:
        raise ValueError("spines and leaves must be at least 1; hypervisors and VNIs at least 0")
    racks: list[dict[str, Any]] = []
    devices: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    leaf_ids = [f"leaf{i}" for i in range(1, leaves + 1)]
    rack_of = {leaf: f"rack{(i // 2) + 1}" for i, leaf in enumerate(leaf_ids)}
    hypervisors: list[str] = []

    for r in range((leaves + 1) // 2):
        racks.append({"id": f"rack{r + 1}", "name": f"rack {r + 1}", "position": {"x": 260 * r, "y": 160}})
    spine_width = leaves * 130
    for s in range(1, spines + 1):
        devices.append({"id": f"spine{s}", "name": f"spine{s}", "role": "spine", "platform": "frr",
                        "nics": [{"name": f"swp{p}", "speed": SPINE_PORT_SPEED, "role": "uplink"}
                                 for p in range(1, leaves + 1)],
                        "position": {"x": spine_width * s / (spines + 1), "y": 0}})

    for index, leaf in enumerate(leaf_ids):
        pair_start = index - index % 2
        pair = leaf_ids[pair_start:pair_start + 2]
        rack_hosts = hypervisors_per_leaf * len(pair)
        nics = [{"name": f"swp{p}", "speed": HYPERVISOR_PORT_SPEED, "role": "uplink"}
                for p in range(1, rack_hosts + 1)]
        nics += [{"name": f"swp{48 + s}", "speed": SPINE_PORT_SPEED, "role": "uplink"}
                 for s in range(1, spines + 1)]
        devices.append({"id": leaf, "name": leaf, "role": "leaf", "platform": "cumulus", "rack": rack_of[leaf],
                        "nics": nics, "position": {"x": 130 * index, "y": 200}})
        for s in range(1, spines + 1):
            links.append({"id": f"{leaf}-spine{s}", "a": {"device": leaf, "interface": f"swp{48 + s}"},
                          "b": {"device": f"spine{s}", "interface": f"swp{index + 1}"}})

    for start in range(0, leaves, 2):
        pair = leaf_ids[start:start + 2]
        for h in range(hypervisors_per_leaf * len(pair)):
            hv = f"hv{len(hypervisors) + 1}"
            hypervisors.append(hv)
            uplinks = [f"enp1s0f{u}" for u in range(len(pair))]
            devices.append({"id": hv, "name": hv, "role": "hypervisor", "platform": "proxmox",
                            "rack": rack_of[pair[0]],
                            "nics": [{"name": nic, "speed": HYPERVISOR_PORT_SPEED, "role": "uplink"}
                                     for nic in uplinks],
                            "position": {"x": 130 * start + 65 * h, "y": 420}})
            for nic, leaf in zip(uplinks, pair, strict=True):
                links.append({"id": f"{hv}-{leaf}", "a": {"device": hv, "interface": nic},
                              "b": {"device": leaf, "interface": f"swp{h + 1}"}})

    networks = [{"id": f"vni{first_vni + v}", "name": f"tenant{v + 1}", "vni": first_vni + v,
                 "subnet": f"10.{100 + v // 250}.{v % 250}.0/24", "attach": list(hypervisors),
                 "position": {"x": 200 * v, "y": 640}}
                for v in range(vnis)]
    data = {
        "version": 1,
        "name": name,
        "description": (f"Generated leaf-spine fabric: {spines} spines, {leaves} leaves, "
                        f"{len(hypervisors)} hypervisors, {vnis} VNIs"),
        "underlay": {"style": "ebgp"},
        "mtu": {"underlay": 9216, "tenant": 9000},
        "pools": {"loopback_v4": "10.255.0.0/16", "loopback_v6": "2001:db8:ff00::/64"},
        "racks": racks,
        "devices": devices,
        "links": links,
        "networks": networks,
    }
    return validate(data, source=name)


GENERATORS = {"leaf-spine": leaf_spine}
