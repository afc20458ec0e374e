"""ASNs, VNIs, VLANs and VRF tables: the numbers of a fabric, drawn from the design's ranges."""

from __future__ import annotations

from ..spec import Design
from .pools import Allocator, NumberPool, Request, number_range
from .topology import Topology

IBGP_DEFAULT_ASN = 64512
VRF_TABLES = (1001, 4000)


def asn_key(design: Design, topo: Topology, device_id: str) -> str:
    """The record key an ASN hangs on: the device, its rack, or its role, as the policy says."""
    device = topo.device(device_id)
    scope = getattr(design.asn, device.role)
    if scope == "shared":
        return f"{device.role}@all"
    if scope == "rack" and device.rack is not None:
        return f"{device.role}@{device.rack}"
    return device_id


def plan_asns(design: Design, topo: Topology, speakers: list[str], alloc: Allocator) -> dict[str, int]:
    """Every BGP speaker's ASN. iBGP puts all in one AS; eBGP follows the per-role policy."""
    if design.underlay.style == "ibgp":
        asn = design.underlay.asn or IBGP_DEFAULT_ASN
        return {device_id: topo.device(device_id).asn or asn for device_id in speakers}
    first, last = number_range(design.asn.range)
    pool = NumberPool("asn", first, last)
    keys = {device_id: device_id if topo.device(device_id).asn is not None else asn_key(design, topo, device_id)
            for device_id in speakers}
    requests: dict[str, Request] = {}
    for device_id, key in keys.items():
        if key not in requests:
            requests[key] = Request(key, f"devices[{topo.position[device_id]}].asn",
                                    topo.device(device_id).asn)
    by_key = alloc.assign("asn", pool, requests.values(), pool_path="asn.range",
                          hint="widen asn.range or share ASNs per rack (asn.<role>: rack)")
    return {device_id: by_key[key] for device_id, key in keys.items()}


def plan_segment_ids(design: Design, alloc: Allocator) -> tuple[dict[str, int], dict[str, int]]:
    """VNI and VLAN numbers of every network that has or asks for one (``auto``)."""
    vni_first, vni_last = number_range(design.pools.vni)
    vni_requests = [Request(net.id, f"networks[{i}].vni", None if net.vni == "auto" else net.vni)
                    for i, net in enumerate(design.networks) if net.vni is not None]
    vnis = alloc.assign("vni", NumberPool("vni", vni_first, vni_last), vni_requests,
                        pool_path="pools.vni")
    vlan_first, vlan_last = number_range(design.pools.vlan)
    vlan_requests = [Request(net.id, f"networks[{i}].vlan", None if net.vlan == "auto" else net.vlan)
                     for i, net in enumerate(design.networks) if net.vlan is not None]
    vlans = alloc.assign("vlan", NumberPool("vlan", vlan_first, vlan_last), vlan_requests,
                         pool_path="pools.vlan")
    return vnis, vlans


def plan_vrf_ids(design: Design, alloc: Allocator) -> tuple[dict[str, int], dict[str, int]]:
    """Each VRF's L3VNI (when it routes over EVPN) and its Linux routing table."""
    first, last = number_range(design.pools.l3vni)
    requests = [Request(vrf.id, f"vrfs[{i}].l3vni", None if vrf.l3vni == "auto" else vrf.l3vni)
                for i, vrf in enumerate(design.vrfs) if vrf.l3vni is not None]
    l3vnis = alloc.assign("l3vni", NumberPool("l3vni", first, last), requests, pool_path="pools.l3vni")
    tables = alloc.assign("vrf_table", NumberPool("vrf table", *VRF_TABLES),
                          [Request(vrf.id, f"vrfs[{i}].table", vrf.table) for i, vrf in enumerate(design.vrfs)],
                          pool_path="vrfs", hint="set explicit 'table' numbers on the VRFs")
    return l3vnis, tables
