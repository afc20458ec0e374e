"""A BGP speaker that does not forward announces its own prefixes only (seed 000's `no ip forwarding`
hypervisors), so no router ever sends traffic for someone else through it; routers pass routes on."""

from __future__ import annotations

import re

import pytest

from tests.render.bundles import ALL_DESIGNS, bundle, compiled

SPEAKERS = [(name, device.id) for name in ALL_DESIGNS for device in compiled(name).plan.devices.values()
            if device.bgp is not None and device.managed]


def _families(frr: str) -> dict[str, str]:
    """Each address family block of the default BGP instance: family -> its lines."""
    default = frr.split("\nrouter bgp ", 1)[1].split("\nexit\n", 1)[0]
    return dict(re.findall(r"address-family (\S+ \S+)\n(.*?)exit-address-family", default, re.DOTALL))


def _route_map(frr: str, name: str) -> list[tuple[str, int, list[str]]]:
    """The entries of a route-map: (permit or deny, sequence, match lines)."""
    entries = re.findall(rf"^route-map {name} (permit|deny) (\d+)\n(.*?)^exit$", frr, re.MULTILINE | re.DOTALL)
    return [(action, int(seq), [line.strip() for line in body.splitlines() if line.strip()])
            for action, seq, body in entries]


def _prefix_list(frr: str, name: str) -> list[str]:
    return re.findall(rf"^ip(?:v6)? prefix-list {name} seq \d+ permit (\S+)$", frr, re.MULTILINE)


@pytest.mark.parametrize(("name", "device_id"), SPEAKERS, ids=[f"{n}:{d}" for n, d in SPEAKERS])
def test_only_forwarding_speakers_pass_on_the_routes_they_learn(name, device_id):
    device = compiled(name).plan.devices[device_id]
    frr = bundle(name).files[f"{device.name}/etc/frr/frr.conf"].decode()
    groups = re.findall(r"^ neighbor (\S+) peer-group$", frr, re.MULTILINE)
    reflecting = {g.name for g in device.bgp.peer_groups if g.route_reflector_client and not g.next_hop_self}
    for family, lines in _families(frr).items():
        activated = re.findall(r"neighbor (\S+) activate", lines)
        filtered = dict(re.findall(r"neighbor (\S+) route-map (\S+) out", lines))
        if device.ip_forwarding:
            assert filtered == {}, f"{device.name} forwards, yet filters {family}"
            continue
        assert set(activated) <= set(groups)
        expected = {g: ("own-evpn" if family == "l2vpn evpn" else "own-prefixes")
                    for g in activated if g not in reflecting}
        assert filtered == expected, family
    if device.ip_forwarding:
        assert "route-map own-" not in frr
        return
    # what the filter lets through is exactly what the speaker originates
    assert _prefix_list(frr, "own-prefixes-v4") == device.bgp.networks_v4
    assert _prefix_list(frr, "own-prefixes-v6") == device.bgp.networks_v6
    entries = _route_map(frr, "own-prefixes")
    assert entries[-1] == ("deny", 100, [])
    assert all(action == "permit" for action, _, _ in entries[:-1])


def test_the_seed_000_hypervisors_filter_and_the_leaves_do_not():
    plan = compiled("proxmox-evpn").plan
    assert {d.name: d.ip_forwarding for d in plan.devices.values()} == {
        "leaf1": True, "leaf2": True, "pve1": False, "pve2": False, "pve3": False}
    frr = bundle("proxmox-evpn").files["pve2/etc/frr/frr.conf"].decode()
    assert "\nbgp as-path access-list own-evpn seq 5 permit ^$\n" in frr
    assert _route_map(frr, "own-evpn") == [("permit", 10, ["match as-path own-evpn"])]
