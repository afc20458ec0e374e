"""A hypervisor whose uplink is an LACP bond to an MLAG pair peers BGP over the bond and is a VTEP
(seed 001's bond with seed 000's EVPN): by address with both switches, or unnumbered with one."""

from __future__ import annotations

import re

from designer.fabric.addresses import ip_address, ip_network
from tests.render.bundles import bundle, compiled, stanzas, text


def _neighbors(frr: str) -> dict[str, str]:
    """BGP neighbour -> its description (the peer's name)."""
    return dict(re.findall(r"^ neighbor (\S+) description (\S+)$", frr, re.MULTILINE))


def test_numbered_bgp_over_a_bond_peers_with_both_switches_of_the_pair():
    plan = compiled("bond-bgp").plan
    for node in ("pve1", "pve2"):
        bond = stanzas(text("bond-bgp", f"{node}/etc/network/interfaces"))["bond0"]
        (address,) = bond["address"]
        subnet = ip_network(address)
        assert bond["mtu"] == ["9216"] and bond["bond-slaves"] == ["enp65s0f0 enp65s0f1"]
        frr = text("bond-bgp", f"{node}/etc/frr/frr.conf")
        neighbors = _neighbors(frr)
        assert sorted(neighbors.values()) == ["sw1", "sw2"]
        # each switch at an address of the bond's own subnet: what the switches' side is configured with
        assert all(ip_address(peer) in subnet and peer != str(subnet.ip) for peer in neighbors)
        sessions = [s for s in plan.sessions if s.a == node]
        assert sorted((s.b, s.a_peer, s.b_peer, s.evpn) for s in sessions) == sorted(
            (plan.device_by_name(name).id, peer, str(subnet.ip), True) for peer, name in neighbors.items())
        assert "advertise-all-vni" in frr  # a VTEP
        nft = text("bond-bgp", f"{node}/etc/nftables.d/fabric-bgp.nft")
        assert f"elements = {{ {', '.join(sorted(neighbors, key=ip_address))} }}" in nft
    subnets = [ip_network(stanzas(text("bond-bgp", f"{n}/etc/network/interfaces"))["bond0"]["address"][0]).cidr
               for n in ("pve1", "pve2")]
    assert subnets[0] != subnets[1]


def test_unnumbered_bgp_over_a_bond_to_one_switch():
    frr = text("bond-bgp", "pve3/etc/frr/frr.conf")
    assert "\n neighbor bond0 interface peer-group fabric\n neighbor bond0 description sw1\n" in frr
    assert "\ninterface bond0\n description sw1:swp3\n no ipv6 nd suppress-ra\n ipv6 nd ra-interval 10\nexit\n" in frr
    assert "address" not in stanzas(text("bond-bgp", "pve3/etc/network/interfaces"))["bond0"]
    assert 'iifname { "bond0" } ip6 saddr fe80::/10 tcp dport 179 accept' in text(
        "bond-bgp", "pve3/etc/nftables.d/fabric-bgp.nft")
    assert not any(path.startswith(("sw1/", "sw2/")) for path in bundle("bond-bgp").files)
