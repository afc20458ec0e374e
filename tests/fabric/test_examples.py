"""Every example plans cleanly and reproduces the numbers its seed write-up fixes."""

from __future__ import annotations

import netaddr

from tests.conftest import EXAMPLE_NAMES, compile_example


def test_there_is_one_example_per_seed():
    assert set(EXAMPLE_NAMES) >= {"proxmox-evpn", "proxmox-cluster", "ganeti-bonds", "wireguard-mesh",
                                  "egress-gateways"}


def test_each_example_plans_without_error_findings(example_name):
    compiled = compile_example(example_name)
    errors = [f for f in compiled.findings if f.severity == "error"]
    assert errors == []
    assert compiled.plan.devices


def test_seed_000_underlay_9216_carries_9000_byte_tenant_frames():
    plan = compile_example("proxmox-evpn").plan
    pve1 = plan.device_by_name("pve1")
    uplinks = [i for i in pve1.interfaces if i.kind == "nic"]
    assert [i.mtu for i in uplinks] == [9216, 9216]
    assert {i.mtu for i in pve1.interfaces if i.kind in ("vxlan", "bridge")} == {9000}
    assert {vni.mtu for vni in plan.vnis} == {9000}
    assert all(u.mtu - 9000 >= 50 for u in uplinks)  # VXLAN over IPv4 adds 50 bytes


def test_seed_000_node_peers_with_both_leaves_unnumbered_in_the_core_group():
    plan = compile_example("proxmox-evpn").plan
    pve1 = plan.device_by_name("pve1")
    assert pve1.bgp is not None
    assert [g.name for g in pve1.bgp.peer_groups] == ["core"]
    assert pve1.bgp.peer_groups[0].remote_as == "external"
    assert sorted(n.peer for n in pve1.bgp.neighbors) == ["enp101s0f0np0", "enp101s0f1np1"]
    assert all(n.interface for n in pve1.bgp.neighbors)
    assert pve1.bgp.advertise_all_vni
    assert 4200000000 <= pve1.asn <= 4294967294
    assert pve1.router_id == pve1.vtep == "10.255.254.5"
    asns = [d.asn for d in plan.devices.values()]
    assert len(set(asns)) == len(asns)  # one private 32-bit ASN per node


def test_seed_000_one_vxlan_and_vmbr_per_vni_and_corosync_on_its_bridge():
    plan = compile_example("proxmox-evpn").plan
    pve1 = plan.device_by_name("pve1")
    names = {i.name for i in pve1.interfaces}
    for vni in (200, 201, 202, 601):
        assert {f"vxlan{vni}", f"vmbr{vni}"} <= names
        assert pve1.interface(f"vxlan{vni}").master == f"vmbr{vni}"
    assert pve1.vtep == "10.255.254.5"  # every VXLAN device's local address (render/interfaces)
    assert pve1.interface("vmbr202").addresses == ["192.168.202.36/24"]


def test_seed_003_ibgp_as_64512_with_route_reflector_clients():
    plan = compile_example("wireguard-mesh").plan
    assert {d.asn for d in plan.devices.values()} == {64512}
    reflector = plan.device_by_name("node1").bgp
    clients = next(g for g in reflector.peer_groups if g.route_reflector_client)
    assert clients.remote_as == "internal"
    assert len([n for n in reflector.neighbors if n.peer_group == clients.name]) == 3
    for name in ("node2", "node3", "node4"):
        client = plan.device_by_name(name).bgp
        assert [n.description for n in client.neighbors] == ["node1"]
        assert not any(g.route_reflector_client for g in client.peer_groups)


def test_seed_003_vteps_link_local_and_listen_port_50000():
    plan = compile_example("wireguard-mesh").plan
    link_local = netaddr.IPNetwork("169.254.0.0/16")
    vteps = []
    for device in plan.devices.values():
        (wg,) = device.wireguard
        assert wg.listen_port == 50000
        vtep = netaddr.IPNetwork(wg.addresses[0])
        assert vtep.ip in link_local
        vteps.append(vtep.ip)
        assert wg.vxlan_interface == "vciabmesh"
        assert wg.mtu == 1440 and wg.vxlan_mtu == 1390
    assert len(set(vteps)) == len(vteps)


def test_seed_003_blacklisted_pair_does_not_peer():
    plan = compile_example("wireguard-mesh").plan
    node2 = plan.device_by_name("node2").wireguard[0]
    assert "node3" not in {p.name for p in node2.peers}
    assert {p.name for p in node2.peers} == {"node1", "node4"}


def test_seed_004_hosts_ecmp_over_both_gateways_with_l4_hash():
    plan = compile_example("egress-gateways").plan
    r1 = plan.device_by_name("r1").bgp
    assert [(r.prefix, r.peer_group) for r in r1.listen_ranges] == [("192.168.100.96/27", "fabric")]
    assert r1.peer_groups[0].default_originate and r1.upstream_default == ["kernel"]
    host = plan.device_by_name("host1")
    assert sorted(n.peer for n in host.bgp.neighbors) == ["192.168.100.20", "192.168.100.21"]
    assert host.bgp.maximum_paths > 1
    assert host.sysctl["net.ipv4.fib_multipath_hash_policy"] == "1"
    assert [(i.name, i.dhcp, i.dhcp_default_route) for i in host.interfaces if i.kind == "nic"] == [
        ("ens5", True, False), ("ens6", False, False)]
    assert [(r.prefix, r.via) for r in host.static_routes] == [("10.0.0.0/8", "192.168.100.1")]
    assert host.bgp_allowed_sources == ["192.168.100.20", "192.168.100.21"]


def test_seed_002_bonds_vlans_bridges_and_routed_network():
    plan = compile_example("ganeti-bonds").plan
    g1 = plan.device_by_name("ganeti1")
    bond = g1.interface("bond0")
    assert (bond.bond_mode, bond.xmit_hash_policy, bond.mtu) == ("802.3ad", "layer3+4", 9000)
    assert bond.addresses == ["83.212.4.210/27"] and bond.gateway == "83.212.4.193"
    assert g1.interface("eno1").mtu == 9000  # members follow the bond
    assert g1.interface("vlan104").ports == ["bond0.104"]
    routed = g1.interface("bond0.993")
    assert any(line.endswith("ip rule add iif bond0.993 lookup 993 priority 1993") for line in routed.post_up)
    assert [(r.interface, r.table, r.table_name, r.arp_address) for r in g1.routed] == [
        ("bond0.993", 993, "public_993", "62.217.124.54")]
    assert any("proxy_arp=1" in line for line in routed.post_up)
    g3 = plan.device_by_name("ganeti3").interface("bond0")
    assert (g3.bond_mode, g3.primary) == ("active-backup", "eno1")


def test_seed_001_management_off_the_vm_bridge_and_vlan_aware_trunk():
    plan = compile_example("proxmox-cluster").plan
    pve = plan.device_by_name("pve-a")
    assert pve.interface("vmbr0").addresses == ["10.10.0.11/24"]
    assert pve.interface("vmbr0").gateway == "10.10.0.1"
    trunk = pve.interface("vmbr1")
    assert trunk.vlan_aware and trunk.vids == "2-4094" and trunk.addresses == []
    assert pve.interface("eno2").addresses == ["10.10.1.1/24"]  # corosync on its own NIC
    assert plan.firewall.ipsets["management"] == ["192.0.2.0/28", "10.10.0.0/24"]
    assert pve.firewall
