"""Properties of allocation over random designs: nothing overlaps, everything lies in its pool, and
re-planning with the allocation record never moves what survives additions, removals and renames."""

from __future__ import annotations

import copy
import itertools

import netaddr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.fabric.addresses import ip_network
from designer.fabric.document import validate
from designer.fabric.plan import plan, pools

POOLS = {
    "loopback_v4": "10.255.0.0/24",
    "loopback_v6": "2001:db8:ff::/120",
    "p2p_v4": "10.254.0.0/24",
    "cluster_v4": "172.16.0.0/20",
    "tenant_v4": "10.100.0.0/16",
    "vni": "10000-10099",
    "vlan": "100-199",
}
ROLES = ["spine", "leaf", "hypervisor", "router"]
NICS = 4


def device(ident: str, role: str) -> dict:
    return {"id": ident, "name": ident, "role": role, "platform": "frr",
            "nics": [{"name": f"eth{i}"} for i in range(NICS)]}


@st.composite
def designs(draw) -> dict:
    count = draw(st.integers(min_value=2, max_value=14))
    devices = [device(f"d{i}", draw(st.sampled_from(ROLES))) for i in range(count)]
    ports = [(d["id"], f"eth{i}") for d in devices for i in range(NICS)]
    shuffled = draw(st.permutations(ports))
    links = []
    for index, (a, b) in enumerate(itertools.pairwise(shuffled[: 2 * draw(st.integers(1, count))])):
        if index % 2 or a[0] == b[0]:
            continue
        links.append({"id": f"l{index}", "kind": draw(st.sampled_from(["unnumbered", "numbered"])),
                      "a": {"device": a[0], "interface": a[1]}, "b": {"device": b[0], "interface": b[1]}})
    networks = []
    for n in range(draw(st.integers(0, 4))):
        members = draw(st.lists(st.sampled_from([d["id"] for d in devices]), min_size=1, max_size=count,
                                unique=True))
        if draw(st.booleans()):
            networks.append({"id": f"n{n}", "name": f"net{n}", "purpose": "cluster", "vni": "auto",
                             "attach": members})
        else:  # a subnet of its own for each member, drawn from the tenant pool
            networks.append({"id": f"n{n}", "name": f"net{n}", "purpose": "tenant", "scope": "node", "vni": "auto",
                             "prefix_length": 24, "attach": members})
    return {"name": "random", "pools": POOLS, "devices": devices, "links": links, "networks": networks}


def allocations(planned) -> dict[tuple[str, str], object]:
    """Every allocated value, keyed by what it was given to."""
    out: dict[tuple[str, str], object] = {}
    for namespace, values in planned.record.entries.items():
        for key, value in values.items():
            out[(namespace, key)] = value
    return out


def assert_inside_pools_and_disjoint(planned) -> None:
    record = planned.record.entries
    single = [netaddr.IPAddress(v) for ns in ("loopback_v4", "loopback_v6") for v in record.get(ns, {}).values()]
    assert len(single) == len(set(single))
    for ns in ("loopback_v4", "loopback_v6", "p2p_v4"):
        pool = netaddr.IPNetwork(POOLS[ns])
        for value in record.get(ns, {}).values():
            assert netaddr.IPNetwork(value) in pool, (ns, value)
    p2p = [netaddr.IPNetwork(v) for v in record.get("p2p_v4", {}).values()]
    assert all(a.first > b.last or b.first > a.last for a, b in itertools.combinations(p2p, 2))
    subnets = {key: netaddr.IPNetwork(v) for key, v in record.get("subnet", {}).items()}
    for key, subnet in subnets.items():  # network@device: a node-scoped network's subnet of that device
        assert subnet in netaddr.IPNetwork(POOLS["tenant_v4" if "@" in key else "cluster_v4"]), (key, subnet)
    assert all(a.first > b.last or b.first > a.last for a, b in itertools.combinations(subnets.values(), 2))
    for network in planned.networks:
        hosts = list(network.host_addresses.values())
        assert len(hosts) == len(set(hosts))
        assert all(netaddr.IPAddress(h) in netaddr.IPNetwork(network.subnet) for h in hosts)
    vnis = list(record.get("vni", {}).values())
    assert len(vnis) == len(set(vnis)) and all(10000 <= v <= 10099 for v in vnis)
    asns = record.get("asn", {})
    assert len(set(asns.values())) == len(asns)


@st.composite
def edits(draw, data: dict) -> dict:
    """Remove some devices (with their links and attachments), rename some, add new ones."""
    data = copy.deepcopy(data)
    ids = [d["id"] for d in data["devices"]]
    removed = set(draw(st.lists(st.sampled_from(ids), max_size=len(ids) - 1, unique=True)))
    data["devices"] = [d for d in data["devices"] if d["id"] not in removed]
    data["links"] = [link for link in data["links"]
                     if link["a"]["device"] not in removed and link["b"]["device"] not in removed]
    for network in data["networks"]:
        network["attach"] = [m for m in network["attach"] if m not in removed]
    data["networks"] = [n for n in data["networks"] if n["attach"] and not draw(st.booleans())]
    for d in data["devices"]:
        if draw(st.booleans()):
            d["name"] = f"renamed-{d['id']}"
    for i in range(draw(st.integers(0, 4))):
        new = device(f"new{i}", draw(st.sampled_from(ROLES)))
        data["devices"].append(new)
        peer = draw(st.sampled_from(data["devices"]))
        if peer["id"] != new["id"]:
            used = {(e["device"], e["interface"]) for link in data["links"] for e in (link["a"], link["b"])}
            free = [f"eth{n}" for n in range(NICS) if (peer["id"], f"eth{n}") not in used]
            if free:
                data["links"].append({"id": f"new-link{i}", "kind": "numbered",
                                      "a": {"device": new["id"], "interface": "eth0"},
                                      "b": {"device": peer["id"], "interface": free[0]}})
    for i in range(draw(st.integers(0, 2))):
        members = [d["id"] for d in data["devices"]][: draw(st.integers(1, len(data["devices"])))]
        data["networks"].append({"id": f"new-net{i}", "name": f"new-net{i}", "purpose": "cluster",
                                 "vni": "auto", "attach": members})
    return data


PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(designs())
def test_allocations_are_disjoint_and_inside_their_pools(data):
    assert_inside_pools_and_disjoint(plan(validate(data)))


@PROPERTY_SETTINGS
@given(st.data())
def test_replanning_with_the_record_moves_no_surviving_allocation(data):
    before_doc = data.draw(designs())
    before = plan(validate(before_doc))
    after_doc = data.draw(edits(before_doc))
    after = plan(validate(after_doc), before.record)
    assert_inside_pools_and_disjoint(after)
    old, new = allocations(before), allocations(after)
    for key, value in new.items():
        if key in old:
            assert old[key] == value, f"{key} moved from {old[key]} to {value}"
    was, now = configured_addresses(before), configured_addresses(after)
    for key in was.keys() & now.keys():
        if was[key] and now[key]:
            assert was[key] == now[key], f"{key} was configured with {was[key]}, now {now[key]}"


def configured_addresses(planned) -> dict[tuple[str, str], list[str]]:
    """What each device's loopback and each end of a link are configured with, as the nodes' files say."""
    out = {(device_id, "lo"): device.interface("lo").addresses for device_id, device in planned.devices.items()}
    for link in planned.links:
        for device_id, interface in ((link.a_device, link.a_interface), (link.b_device, link.b_interface)):
            out[(device_id, link.id)] = planned.devices[device_id].interface(interface).addresses
    return out


ODD_ADDRESSES = ["010.0.0.1", "10.0.1", "10/8", "1.2.3.4/33", "1.2.3.4/024", "fe80::1%eth0", " 1.2.3.4", "1.2.3.256",
                 "::ffff:1.2.3.4", "2001:DB8::1", "::/0", "1.2.3.4/-1", "", "/", "1.2.3.4/"]


# IPv6 addresses with runs of zero groups, which are left out when written, and IPv4-mapped ones
V6_GROUPS = st.lists(st.sampled_from([0, 0, 1, 0xFFFF]) | st.integers(0, 0xFFFF), min_size=8, max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.integers(0, 2**32 - 1).map(lambda n: str(netaddr.IPAddress(n, 4))),
                 st.integers(0, 2**128 - 1).map(lambda n: str(netaddr.IPAddress(n, 6))),
                 V6_GROUPS.map(lambda groups: str(netaddr.IPAddress(int.from_bytes(
                     b"".join(group.to_bytes(2, "big") for group in groups), "big"), 6))),
                 st.sampled_from(ODD_ADDRESSES)),
       st.one_of(st.none(), st.integers(0, 130)))
def test_addresses_in_a_record_read_as_netaddr_reads_them(address, length):
    text = address if length is None else f"{address}/{length}"
    try:
        net = ip_network(text)
        expected = (net.version, net.prefixlen, int(net.network), int(net.ip))
    except (netaddr.AddrFormatError, ValueError):
        expected = None
    pools._parsed.cache_clear()
    assert pools._parsed(text) == expected
    if expected is not None and expected[1] == (32 if expected[0] == 4 else 128):  # an address: written back
        assert pools._formatted(expected[3], expected[0], expected[1]) == str(net.ip)
