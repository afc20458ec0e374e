"""Each example's bundle reproduces the working configuration of the write-up it comes from."""

from __future__ import annotations

import base64
import re

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from designer.fabric.bundle import build_bundle
from tests.render.bundles import bundle, compiled, stanzas, text


def _router_bgp(frr: str) -> list[str]:
    block = frr.split("\nrouter bgp ", 1)[1].split("\nexit\n", 1)[0]
    return [line.strip() for line in block.splitlines()]


def test_seed_000_proxmox_node_bundle_has_what_the_write_up_configures():
    files = build_bundle(compiled("proxmox-evpn"), nodes=["pve1"]).files
    frr = files["pve1/etc/frr/frr.conf"].decode()
    bgp = _router_bgp(frr)
    assert {"neighbor core peer-group", "neighbor core remote-as external",
            "neighbor enp101s0f0np0 interface peer-group core",
            "neighbor enp101s0f1np1 interface peer-group core", "advertise-all-vni"} <= set(bgp)
    assert frr.count("no ipv6 nd suppress-ra") == 2
    assert "\nno ip forwarding\n" in frr
    interfaces = stanzas(files["pve1/etc/network/interfaces"].decode())
    assert interfaces["lo"]["address"] == ["10.255.254.5/32", "2001:db8:ffff::3/128"]
    assert interfaces["enp101s0f0np0"]["mtu"] == interfaces["enp101s0f1np1"]["mtu"] == ["9216"]
    for vni in (200, 201, 202, 601):
        vxlan, bridge = interfaces[f"vxlan{vni}"], interfaces[f"vmbr{vni}"]
        assert vxlan["vxlan-id"] == [str(vni)] and vxlan["vxlan-local-tunnelip"] == ["10.255.254.5"]
        assert vxlan["bridge-learning"] == ["off"]
        assert bridge["bridge-ports"] == [f"vxlan{vni}"]
    assert len([name for name in interfaces if name.startswith("vxlan")]) == 4
    assert interfaces["vmbr202"]["address"] == ["192.168.202.36/24"]  # corosync
    jail = files["pve1/etc/fail2ban/jail.d/nginx-401.conf"].decode()
    assert "[nginx-401]" in jail and "filter = nginx-401" in jail and "maxretry = 25" in jail
    assert "action = iptables-allports" in jail and "logpath = %(nginx_access_log)s" in jail
    assert 'failregex = ^<HOST> -.*"(GET|POST|HEAD).*HTTP.*" 401' in files[
        "pve1/etc/fail2ban/filter.d/nginx-401.conf"].decode()
    assert not any(path.startswith(("pve2/", "leaf1/")) for path in files)


def test_seed_000_leaves_route_evpn_without_being_vteps():
    frr = text("proxmox-evpn", "leaf1/etc/frr/frr.conf")
    bgp = _router_bgp(frr)
    assert "address-family l2vpn evpn" in bgp and "advertise-all-vni" not in bgp
    assert {"neighbor swp1 interface peer-group core", "neighbor swp3 interface peer-group core"} <= set(bgp)


def test_seed_001_vlan_aware_trunk_management_bridge_and_firewall():
    interfaces = stanzas(text("proxmox-cluster", "pve-a/etc/network/interfaces"))
    assert interfaces["vmbr0"]["address"] == ["10.10.0.11/24"] and interfaces["vmbr0"]["gateway"] == ["10.10.0.1"]
    assert interfaces["vmbr0"]["bridge-ports"] == ["eno1"]
    trunk = interfaces["vmbr1"]
    assert trunk["bridge-vlan-aware"] == ["yes"] and trunk["bridge-vids"] == ["2-4094"] and "address" not in trunk
    assert interfaces["bond0"]["bond-mode"] == ["802.3ad"] and interfaces["bond0"]["bond-lacp-rate"] == ["fast"]
    assert interfaces["bond0"]["bond-slaves"] == ["enp65s0f0 enp65s0f1"]
    assert "eno3" not in interfaces  # the out-of-band port belongs to the BMC
    cluster = text("proxmox-cluster", "cluster/etc/pve/firewall/cluster.fw")
    management = cluster.split("[IPSET management]", 1)[1].split("\n\n", 1)[0]
    assert "192.0.2.0/28" in management and "10.10.0.0/24" in management
    assert "IN ACCEPT -source +management -p tcp -dport 8006" in cluster
    assert "policy_in: DROP" in cluster
    for node in ("pve-a", "pve-b", "pve-c"):
        assert "enable: 1" in text("proxmox-cluster", f"{node}/etc/pve/nodes/{node}/host.fw")
    assert not any(path.startswith(("sw1/", "sw2/")) for path in bundle("proxmox-cluster").files)


def test_seed_002_bonds_vlan_bridges_and_routed_network():
    g1 = stanzas(text("ganeti-bonds", "ganeti1/etc/network/interfaces"))
    assert g1["bond0"]["bond-xmit-hash-policy"] == ["layer3+4"] and g1["bond0"]["mtu"] == ["9000"]
    assert g1["bond0"]["address"] == ["83.212.4.210/27"] and g1["bond0"]["gateway"] == ["83.212.4.193"]
    assert g1["bond0.104"]["vlan-raw-device"] == ["bond0"] and g1["bond0.104"]["vlan-id"] == ["104"]
    assert g1["vlan104"]["bridge-ports"] == ["bond0.104"]
    assert any(command.endswith("|| ip rule add iif bond0.993 lookup 993 priority 1993")
               for command in g1["bond0.993"]["post-up"])
    assert not [command for command in g1["bond0.993"]["post-up"] if "arptables" in command]
    assert "ip rule del iif bond0.993 lookup 993 priority 1993" in g1["bond0.993"]["pre-down"]
    g3 = stanzas(text("ganeti-bonds", "ganeti3/etc/network/interfaces"))
    assert g3["bond0"]["bond-mode"] == ["active-backup"] and g3["bond0"]["bond-primary"] == ["eno1"]


def _public(private: str) -> str:
    key = X25519PrivateKey.from_private_bytes(base64.b64decode(private))
    return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def test_seed_003_each_peer_knows_every_allowed_node_by_its_real_public_key():
    nodes = ("node1", "node2", "node3", "node4")
    confs = {n: text("wireguard-mesh", f"{n}/etc/wireguard/ciabmesh.conf") for n in nodes}
    publics = {n: _public(re.search(r"^PrivateKey = (\S+)$", c, re.MULTILINE)[1]) for n, c in confs.items()}
    assert len(set(publics.values())) == 4
    for node, conf in confs.items():
        listed = set(re.findall(r"^PublicKey = (\S+)$", conf, re.MULTILINE))
        blocked = {"node2": "node3", "node3": "node2"}.get(node)
        assert listed == {publics[n] for n in nodes if n not in (node, blocked)}
        assert "ListenPort = 50000" in conf and "Table = off" in conf and "MTU = 1440" in conf
        assert conf.count("PostUp = bridge fdb append 00:00:00:00:00:00 dev vciabmesh dst 169.254.") == len(listed)


def test_seed_003_route_reflector_and_its_clients():
    rr = _router_bgp(text("wireguard-mesh", "node1/etc/frr/frr.conf"))
    assert "neighbor fabric-clients route-reflector-client" in rr
    assert "neighbor fabric-clients remote-as internal" in rr
    assert len([line for line in rr if re.fullmatch(r"neighbor [\d.]+ peer-group fabric-clients", line)]) == 3
    client = _router_bgp(text("wireguard-mesh", "node2/etc/frr/frr.conf"))
    assert [line for line in client if line.endswith("peer-group fabric")] == ["neighbor 172.20.10.1 peer-group fabric"]
    assert "network 10.0.1.0/24" in client
    zone = text("wireguard-mesh", "dns/ciabmesh.example.net.zone")
    for n in range(1, 5):
        # from 169.254.1.0 on: RFC 3927 reserves 169.254.0.0/24
        assert re.search(rf"^node{n}-vtep +IN A +169\.254\.1\.{n - 1}$", zone, re.MULTILINE)


def test_seed_004_gateways_listen_and_hosts_spread_flows_over_both():
    gateway = _router_bgp(text("egress-gateways", "r1/etc/frr/frr.conf"))
    assert "bgp listen range 192.168.100.96/27 peer-group fabric" in gateway
    # the default route of its own upstream (DHCP's), announced only while it is there
    assert "redistribute kernel route-map upstream-default" in gateway
    host_frr = text("egress-gateways", "host1/etc/frr/frr.conf")
    host = _router_bgp(host_frr)
    assert {"neighbor 192.168.100.20 peer-group fabric", "neighbor 192.168.100.21 peer-group fabric",
            "maximum-paths 64"} <= set(host)
    assert "\nip route 10.0.0.0/8 192.168.100.1\n" in host_frr
    assert "net.ipv4.fib_multipath_hash_policy = 1" in text("egress-gateways", "host1/etc/sysctl.d/80-fabric.conf")
    dhclient = text("egress-gateways", "host1/etc/dhcp/dhclient.conf")
    requested = dhclient.split("\nrequest ", 1)[1].split(";", 1)[0]
    assert "routers" not in requested and "rfc3442" not in requested and "subnet-mask" in requested
    assert stanzas(text("egress-gateways", "host1/etc/network/interfaces"))["ens5"]["iface"] == ["inet dhcp"]
    nft = text("egress-gateways", "host1/etc/nftables.d/fabric-bgp.nft")
    assert "elements = { 192.168.100.20, 192.168.100.21 }" in nft
    assert nft.index("@peers_v4 tcp dport 179 accept") < nft.index("tcp dport 179 counter drop")
