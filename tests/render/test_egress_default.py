"""An egress gateway announces the default route only while it has its own upstream (seed 004), and a
host that does not forward announces nothing of others'; proven with FRR from the bundle in namespaces."""

from __future__ import annotations

import pytest

from tests.render.bundles import bundle, need_tool
from tests.render.netns import frr, namespaces, vtysh_json, wait_for

pytestmark = pytest.mark.tools

SESSION_WAIT = 60  # seconds: the host retries a session its gateway refused every 10 s
WITHDRAW_WAIT = 15


def _default_via(ns) -> list[str]:
    routes = vtysh_json(ns, "show ip route 0.0.0.0/0").get("0.0.0.0/0", [])
    return sorted(hop.get("ip", "") for route in routes if route.get("protocol") == "bgp" and route.get("selected")
                  for hop in route.get("nexthops", []))


def test_the_gateway_withdraws_the_default_route_when_its_upstream_is_gone():
    need_tool("vtysh")
    files = bundle("egress-gateways").files
    with namespaces("r1", "host1") as ns:
        r1, host1 = ns["r1"], ns["host1"]
        r1.run(f"ip link add ens6 type veth peer name peer6 && ip link set peer6 netns {host1.name}")
        host1.run("ip link set peer6 name ens6")
        r1.run("ip link add ens5 type veth peer name up5")  # the gateway's way out
        r1.run("ip address add 192.168.100.20/24 dev ens6 && ip link set ens6 up && "
               "ip address add 203.0.113.2/24 dev ens5 && ip link set ens5 up && ip link set up5 up")
        host1.run("ip address add 192.168.100.100/24 dev ens6 && ip link set ens6 up")
        with frr(r1, files["r1/etc/frr/frr.conf"].decode()), frr(host1, files["host1/etc/frr/frr.conf"].decode()):
            r1.run("ip route add default via 203.0.113.1 dev ens5")  # as DHCP installs it
            assert wait_for(lambda: _default_via(host1) == ["192.168.100.20"], SESSION_WAIT), \
                vtysh_json(host1, "show bgp summary")
            # the host does not forward: it sent the gateway nothing back
            learned = vtysh_json(r1, "show bgp ipv4 unicast").get("routes", {})
            assert list(learned) == ["0.0.0.0/0"]
            assert all(path.get("peerId") == "(unspec)" or path.get("origin") == "incomplete"
                       for path in learned["0.0.0.0/0"])
            r1.run("ip route del default via 203.0.113.1 dev ens5")  # the upstream is gone
            assert wait_for(lambda: _default_via(host1) == [], WITHDRAW_WAIT)
            r1.run("ip route add default via 203.0.113.1 dev ens5")
            assert wait_for(lambda: _default_via(host1) == ["192.168.100.20"], WITHDRAW_WAIT)
