"""Cases for the checks on pools, subnets, addresses and gateways."""

from __future__ import annotations

from tests.lint.conftest import (
    Case,
    attachment,
    bonded_cluster,
    edit,
    egress_pair,
    evpn_fabric,
    network,
    nic,
    wireguard_mesh,
)


def mgmt_pinned(device_id: str, address: str):
    return edit(bonded_cluster(), attachment, "mgmt", device_id, address=address)


def vtep_pool(prefix: str):
    design = evpn_fabric()
    design["pools"] = {"vtep_v4": prefix}
    return design


def egress_subnet_gateway(address: str):
    design = egress_pair()
    design["egress"][0]["subnet_gateway"] = address
    return design


def loopback_pool(prefix: str):
    design = evpn_fabric()
    design["pools"] = {"loopback_v4": prefix}
    return design


# leaf1's loopback as an earlier plan recorded it, inside the default pool
LEAF1_LOOPBACK = {"version": 1, "allocations": {"loopback_v4": {"leaf1": "10.255.0.9"}}}


def second_management_network(**fields: str):
    design = bonded_cluster()
    design["networks"].append({"id": "mgmt2", "name": "backup management", "purpose": "management",
                               "subnet": "10.20.0.0/24", "attach": [{"device": "pve1", "interface": "eno3"}],
                               **fields})
    return design


def uplink_of_n2(**fields):
    """n2's internet uplink as the design says it gets its address."""
    design = wireguard_mesh()
    nic(design, "n2", "eth0").pop("dhcp")
    nic(design, "n2", "eth0").update(fields)
    return design


CASES = [
    Case("address-duplicate", "error", ("pve1", "pve2"), lambda: mgmt_pinned("pve2", "10.10.0.11"),
         lambda: mgmt_pinned("pve2", "10.10.0.12"), ("10.10.0.11", "pve1", "pve2", "mgmt")),
    Case("pool-overlap", "warning", (), lambda: vtep_pool("10.255.128.0/24"), lambda: vtep_pool("10.253.0.0/24"),
         ("pools.loopback_v4", "10.255.0.0/16", "pools.vtep_v4", "10.255.128.0/24")),
    # tenant subnets only VMs use may repeat; the fabric's own addresses may not
    Case("subnet-overlap", "error", ("mgmt", "storage"),
         lambda: edit(bonded_cluster(), network, "storage", subnet="10.10.0.128/25"),
         lambda: edit(bonded_cluster(), network, "web", subnet="10.10.0.128/25"),
         ("mgmt", "10.10.0.0/24", "storage", "10.10.0.128/25")),
    Case("address-outside-subnet", "error", ("mgmt", "pve1"), lambda: mgmt_pinned("pve1", "10.10.0.255"),
         lambda: mgmt_pinned("pve1", "10.10.0.254"), ("pve1", "10.10.0.255", "broadcast", "10.10.0.0/24")),
    Case("gateway-outside-subnet", "error", ("mgmt",),
         lambda: edit(bonded_cluster(), network, "mgmt", gateway="10.10.5.1"),
         lambda: edit(bonded_cluster(), network, "mgmt", gateway="10.10.0.254"),
         ("mgmt", "10.10.5.1", "outside 10.10.0.0/24")),
    Case("multiple-default-gateways", "error", ("pve1", "mgmt", "mgmt2"),
         lambda: second_management_network(gateway="10.20.0.1"), second_management_network,
         ("pve1", "10.10.0.1", "10.20.0.1")),
    Case("allocation-moved", "info", (), lambda: loopback_pool("10.1.0.0/24"), lambda: loopback_pool("10.255.0.0/16"),
         ("devices[0].loopback_v4", "10.255.0.9", "10.1.0.0/24"), record=LEAF1_LOOPBACK),
    Case("nic-address-unmanaged", "warning", ("n2",), uplink_of_n2, lambda: uplink_of_n2(dhcp=True),
         ("n2:eth0", "next boot", "interfaces.d")),
]
