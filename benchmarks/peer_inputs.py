"""One leaf-spine EVPN fabric in each tool's own input: Weft's design, Arista AVD's inputs, a netlab topology.

The shape: two spines, N leaves each cabled to both spines, eBGP underlay and EVPN overlay, every leaf a VTEP
for the same ten VXLAN-backed VLANs. Each tool is given what it needs to write every device's configuration,
in the form its documentation shows (AVD's eos_designs with an L2 tenant, netlab's FRR devices with the vlan,
vxlan, evpn and bgp modules).
"""

from __future__ import annotations

SPINES = 2
VNIS = 10
FIRST_VNI = 10001
FIRST_VLAN = 101


def weft_design(leaves: int) -> dict:
    spines = [f"spine{s}" for s in range(1, SPINES + 1)]
    leaf_ids = [f"leaf{i}" for i in range(1, leaves + 1)]
    devices = [{"id": spine, "name": spine, "role": "spine", "platform": "frr",
                "nics": [{"name": f"swp{p}", "speed": "100G", "role": "uplink"} for p in range(1, leaves + 1)]}
               for spine in spines]
    devices += [{"id": leaf, "name": leaf, "role": "leaf", "platform": "frr",
                 "nics": [{"name": f"swp{48 + s}", "speed": "100G", "role": "uplink"} for s in range(1, SPINES + 1)]}
                for leaf in leaf_ids]
    links = [{"id": f"{leaf}-{spine}", "a": {"device": leaf, "interface": f"swp{48 + s}"},
              "b": {"device": spine, "interface": f"swp{i}"}}
             for i, leaf in enumerate(leaf_ids, start=1) for s, spine in enumerate(spines, start=1)]
    networks = [{"id": f"vni{FIRST_VNI + v}", "name": f"tenant{v + 1}", "vni": FIRST_VNI + v,
                 "vlan": FIRST_VLAN + v, "attach": list(leaf_ids)} for v in range(VNIS)]
    return {"version": 1, "name": f"peers-{leaves}", "underlay": {"style": "ebgp"},
            "mtu": {"underlay": 9216, "tenant": 9000}, "pools": {"loopback_v4": "10.255.0.0/16"},
            "devices": devices, "links": links, "networks": networks}


def avd_inputs(leaves: int) -> dict[str, dict]:
    """Hostname -> that device's AVD inputs (what Ansible's group and host vars would hold for it)."""
    fabric = {
        "fabric_name": "FABRIC",
        "spine": {"defaults": {"platform": "vEOS-lab", "loopback_ipv4_pool": "10.255.0.0/24", "bgp_as": "65100"},
                  "nodes": [{"name": f"spine{s}", "id": s, "mgmt_ip": f"192.168.0.{s}/24"}
                            for s in range(1, SPINES + 1)]},
        "l3leaf": {
            "defaults": {"platform": "vEOS-lab", "loopback_ipv4_pool": "10.255.0.0/24",
                         "loopback_ipv4_offset": SPINES, "vtep_loopback_ipv4_pool": "10.255.1.0/24",
                         "uplink_interfaces": [f"Ethernet{48 + s}" for s in range(1, SPINES + 1)],
                         "uplink_switches": [f"spine{s}" for s in range(1, SPINES + 1)],
                         "uplink_ipv4_pool": "10.254.0.0/16", "virtual_router_mac_address": "00:1c:73:00:dc:01"},
            "node_groups": [{"group": f"leaf{i}", "bgp_as": str(65100 + i),
                             "nodes": [{"name": f"leaf{i}", "id": i, "mgmt_ip": f"192.168.{1 + i // 250}.{i % 250}/24",
                                        "uplink_switch_interfaces": [f"Ethernet{i}"] * SPINES}]}
                            for i in range(1, leaves + 1)]},
        "tenants": [{"name": "TENANT", "mac_vrf_vni_base": FIRST_VNI - FIRST_VLAN,
                     "l2vlans": [{"id": FIRST_VLAN + v, "name": f"tenant{v + 1}"} for v in range(VNIS)]}],
    }
    hosts = {f"spine{s}": "spine" for s in range(1, SPINES + 1)} | {f"leaf{i}": "l3leaf" for i in range(1, leaves + 1)}
    return {host: {"type": kind, **fabric} for host, kind in hosts.items()}


def netlab_topology(leaves: int) -> str:
    """netlab's topology file (YAML written by hand: netlab is installed apart from Weft)."""
    lines = ["provider: clab", "defaults.device: frr", "module: [vlan, vxlan, evpn, bgp]",
             "bgp.sessions.ipv4: [ebgp]", "evpn.session: [ebgp]", "evpn.as: 65000", "vlans:"]
    lines += [f"  tenant{v + 1}: {{vni: {FIRST_VNI + v}, id: {FIRST_VLAN + v}}}" for v in range(VNIS)]
    leaf_vlans = "{" + ", ".join(f"tenant{v + 1}: {{}}" for v in range(VNIS)) + "}"
    lines.append("nodes:")
    lines += [f"  spine{s}: {{bgp.as: 65100}}" for s in range(1, SPINES + 1)]
    lines += [f"  leaf{i}: {{bgp.as: {65100 + i}, vlans: {leaf_vlans}}}" for i in range(1, leaves + 1)]
    lines.append("links:")
    lines += [f"- spine{s}-leaf{i}" for i in range(1, leaves + 1) for s in range(1, SPINES + 1)]
    return "\n".join(lines) + "\n"
