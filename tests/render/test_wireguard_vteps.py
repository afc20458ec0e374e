"""Mesh VTEPs stay out of what RFC 3927 reserves and of the cloud's metadata block, and the mesh interface
routes only its peers' VTEPs, so 169.254.169.254 still leaves by the node's own uplink."""

from __future__ import annotations

import re

import pytest

from designer.fabric.addresses import ip_address, ip_network
from designer.fabric.document import to_data, validate
from designer.fabric.pipeline import compile_design
from designer.fabric.plan.record import AllocationRecord
from tests.conftest import fixed_keygen, load_example
from tests.render.bundles import bundle, compiled, need_tool
from tests.render.netns import namespaces

RESERVED = [ip_network(p) for p in ("169.254.0.0/24", "169.254.255.0/24", "169.254.169.0/24")]
METADATA = "169.254.169.254"


def test_mesh_vteps_avoid_the_reserved_link_local_blocks():
    plan = compiled("wireguard-mesh").plan
    vteps = [ip_address(wg.vtep_v4) for device in plan.devices.values() for wg in device.wireguard]
    assert len(vteps) == 4 and not [v for v in vteps if any(v in block for block in RESERVED)]
    # a pool that spans the metadata block: 260 VTEPs fill 169.254.168.0/24 and go on past 169.254.169.0/24
    data = to_data(load_example("wireguard-mesh"))
    data["pools"].update(vtep_v4="169.254.168.0/22", wireguard_v4="172.20.0.0/16")
    data["wireguard"][0]["members"] += [{"device": f"extra{i}"} for i in range(256)]
    data["devices"] += [{"id": f"extra{i}", "name": f"extra{i}", "role": "host", "platform": "debian"}
                        for i in range(256)]
    plan = compile_design(validate(data), keygen=fixed_keygen("vteps")).plan
    vteps = [ip_address(wg.vtep_v4) for device in plan.devices.values() for wg in device.wireguard]
    assert len(set(vteps)) == 260
    assert not [v for v in vteps if any(v in block for block in RESERVED)]
    assert max(vteps) > ip_address("169.254.169.255")


def test_a_vtep_an_earlier_plan_gave_from_a_reserved_block_moves_and_says_so():
    design = load_example("wireguard-mesh")
    old = AllocationRecord({"mesh_vtep_v4": {"ciabmesh@node1": "169.254.0.1"}})
    compiled_again = compile_design(design, old, keygen=fixed_keygen("vteps"))
    node1 = compiled_again.plan.device_by_name("node1").wireguard[0]
    assert ip_address(node1.vtep_v4) not in RESERVED[0]
    assert [f.code for f in compiled_again.findings if "169.254.0.1" in f.message] == ["allocation-moved"]


@pytest.mark.parametrize("node", ["node1", "node2", "node3", "node4"])
def test_the_mesh_interface_routes_its_peers_vteps_and_not_the_metadata_address(node):
    need_tool("ip")
    conf = bundle("wireguard-mesh").files[f"{node}/etc/wireguard/ciabmesh.conf"].decode()
    addresses = re.search(r"^Address = (.+)$", conf, re.MULTILINE)[1].split(", ")
    routes = re.findall(r"^PostUp = (ip route add .+)$", conf, re.MULTILINE)
    wg = compiled("wireguard-mesh").plan.device_by_name(node).wireguard[0]
    with namespaces("node", "cloud") as ns:
        node_ns = ns["node"]
        # the uplink with its DHCP default route; a veth stands in for the WireGuard device
        node_ns.run("ip link add eth0 type veth peer name ciabmesh-peer && ip link add ciabmesh type veth "
                    "peer name wg-peer && ip link set eth0 up && ip link set ciabmesh up && "
                    "ip address add 198.51.100.20/24 dev eth0 && ip route add default via 198.51.100.1")
        for address in addresses:  # what wg-quick does with Address, then the file's own PostUp routes
            node_ns.run(f"ip -{6 if ':' in address else 4} address add {address} dev ciabmesh")
        for route in routes:
            node_ns.run(route)
        assert " dev eth0 " in node_ns.run(f"ip route get {METADATA}").stdout
        assert wg.peers
        for peer in wg.peers:
            assert " dev ciabmesh " in node_ns.run(f"ip route get {peer.vtep_v4}").stdout


def test_an_endpoint_given_by_name_is_sized_for_ipv6_headers():
    data = to_data(load_example("wireguard-mesh"))
    ipv4 = compile_design(validate(data), keygen=fixed_keygen("mtu")).plan.meshes[0]
    data["wireguard"][0]["members"][1]["endpoint"] = "node2.example.net"  # may resolve to an IPv6 address
    named = compile_design(validate(data), keygen=fixed_keygen("mtu")).plan.meshes[0]
    assert (ipv4.wireguard_mtu, named.wireguard_mtu) == (1500 - 60, 1500 - 80)
    assert named.vxlan_mtu == 1500 - 80 - 50
