"""Seed 002's routed network as the bundle sets it up, with a VM as Ganeti plugs one in, in namespaces this
test creates: the VM reaches the VLAN's gateway through the host, the host's ARP requests carry its
address on the network, a spoofed source is dropped, and an ifreload adds nothing twice."""

from __future__ import annotations

import json
import re

import pytest

from tests.render.bundles import bundle, need_tool, stanzas
from tests.render.netns import namespaces

pytestmark = pytest.mark.tools

VLAN = "bond0.993"  # a veth of that name stands in for the 802.1Q sub-interface


def _dropped(node) -> int:
    listing = json.loads(node.run("nft -j list table ip fabric_routed").stdout)["nftables"]
    return sum(e["counter"]["packets"] for item in listing if "rule" in item
               for e in item["rule"]["expr"] if "counter" in e)


def test_a_vm_behind_the_routed_vlan_reaches_its_gateway_and_cannot_spoof(tmp_path):
    need_tool("nft")
    files = bundle("ganeti-bonds").files
    commands = stanzas(files["ganeti1/etc/network/interfaces"].decode())[VLAN]["post-up"]
    nft = tmp_path / "fabric-routed.nft"
    nft.write_bytes(files["ganeti1/etc/nftables.d/fabric-routed.nft"])
    with namespaces("node", "upstream", "vm") as ns:
        node, upstream, vm = ns["node"], ns["upstream"], ns["vm"]
        node.run(f"ip link add {VLAN} type veth peer name eth0 netns {upstream.name} && "
                 f"ip link add tap0 type veth peer name eth0 netns {vm.name} && "
                 f"ip link set {VLAN} up && ip link set tap0 up && sysctl -q -w net.ipv4.ip_forward=1")
        upstream.run("ip address add 62.217.124.49/29 dev eth0 && ip link set eth0 up")
        for _ in range(2):  # ifup, then an ifreload: the same commands again
            for command in commands:
                node.run(command)
        assert len(node.run("ip rule list priority 1993").stdout.splitlines()) == 1
        node.run(f"nft -f {nft}")
        # what Ganeti does when it plugs the VM in
        node.run("ip route add 62.217.124.53 dev tap0 table 993 && ip rule add iif tap0 lookup 993 && "
                 "sysctl -q -w net.ipv4.conf.tap0.proxy_arp=1")
        vm.run("ip address add 62.217.124.53/29 dev eth0 && ip link set eth0 up && "
               "ip route add default via 62.217.124.49")
        vm.run("ping -c 2 -W 2 62.217.124.49")
        # the gateway learnt the host as 62.217.124.54, its address on the network, from its ARP requests
        assert "62.217.124.54 dev eth0 lladdr" in upstream.run("ip neigh show").stdout
        assert _dropped(node) == 0
        vm.run("ip address add 192.0.2.66/32 dev eth0")
        spoofed = vm.run("ping -c 2 -W 1 -I 192.0.2.66 62.217.124.49", check=False)
        assert spoofed.returncode != 0 and _dropped(node) == 2
        assert re.search(r"^993\s+public_993$", files["ganeti1/etc/iproute2/rt_tables.d/fabric.conf"].decode(),
                         re.MULTILINE)
