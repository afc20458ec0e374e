"""Cases for the checks on WireGuard meshes, egress, the firewall and management and cluster networks."""

from __future__ import annotations

from tests.lint.conftest import (
    Case,
    announce_node_subnets,
    attachment,
    bonded_cluster,
    device,
    edit,
    egress_pair,
    evpn_fabric,
    network,
    nic,
    wireguard_mesh,
)


def mesh(**fields):
    design = wireguard_mesh()
    design["wireguard"][0].update(fields)
    return design


def second_mesh(port: int):
    design = wireguard_mesh()
    design["wireguard"].append({"id": "wg-backup", "name": "wg1", "listen_port": port,
                                "members": [{"device": "n1", "endpoint": "198.51.100.1"},
                                            {"device": "n2", "endpoint": "198.51.100.2"}]})
    return design


def n2_n3_behind_nat(**fields):
    return mesh(members=[{"device": "n1", "endpoint": "198.51.100.1"}, "n2", "n3"], **fields)


def n2_n3_blacklisted_announcing(**underlay: str):
    design = announce_node_subnets(mesh(blacklist=[["n2", "n3"]]))
    design["underlay"].update(underlay)
    return design


def egress(**fields):
    design = egress_pair()
    design["egress"][0].update(fields)
    return design


def h2_attached(attached: bool):
    design = egress_pair()
    if not attached:
        network(design, "transit")["attach"].pop()
    return design


def ipset_named(name: str):
    design = bonded_cluster()
    design["firewall"]["ipsets"][0]["name"] = name
    design["firewall"]["rules"][0]["source"] = f"+{name}"
    return design


def network_on(network_id: str, interface: str):
    design = bonded_cluster()
    for item in network(design, network_id)["attach"]:
        item["interface"] = interface
    return design


def nginx_jail(failregex: str):
    design = evpn_fabric()
    design["fail2ban"] = [{"name": "nginx-401", "failregex": [failregex], "logpath": "%(nginx_access_log)s",
                           "devices": ["hv1"]}]
    return design


def h1_route(prefix: str):
    return edit(egress_pair(), device, "h1", static_routes=[{"prefix": prefix, "via": "192.168.100.1"}])


def firewall_on(*device_ids: str):
    design = bonded_cluster()
    design["firewall"]["devices"] = list(device_ids)
    design["devices"][0].update(managed=True, platform="debian", role="host")  # sw1, now a plain Debian host
    return design


def zone(**fields):
    design = evpn_fabric()
    design["dns"] = {"zone": "fab.example.net", **fields}
    return design


CASES = [
    Case("wireguard-port-out-of-range", "warning", ("wg",), lambda: mesh(listen_port=5000),
         lambda: mesh(listen_port=51820), ("wg0", "5000", "49152-65535")),
    Case("wireguard-port-duplicate", "error", ("n1", "wg", "wg-backup"), lambda: second_mesh(51820),
         lambda: second_mesh(51821), ("n1", "wg", "wg-backup", "51820")),
    Case("wireguard-no-endpoint", "error", ("wg", "n2", "n3"), n2_n3_behind_nat,
         lambda: n2_n3_behind_nat(blacklist=[["n2", "n3"]]), ("wg0", "n2-n3")),
    Case("wireguard-mesh-partitioned", "error", ("wg", "n1", "n2", "n3"),
         lambda: mesh(blacklist=[["n1", "n3"], ["n2", "n3"]]), lambda: mesh(blacklist=[["n2", "n3"]]),
         ("wg0", "2 groups", "n1, n2 | n3")),
    # eBGP rewrites the next hop to the node that passes the route on, which both ends reach
    Case("wireguard-blacklisted-next-hop", "warning", ("wg", "n2", "n3"), n2_n3_blacklisted_announcing,
         lambda: n2_n3_blacklisted_announcing(style="ebgp", asn=None, route_reflectors=[]),
         ("n2", "n3", "wg0", "n1")),
    Case("egress-client-outside-listen-range", "error", ("egress", "h1"),
         lambda: edit(egress_pair(), attachment, "transit", "h1", address="192.168.100.50"),
         lambda: edit(egress_pair(), attachment, "transit", "h1", address="192.168.100.120"),
         ("h1", "192.168.100.50", "192.168.100.96/27")),
    Case("egress-member-not-on-network", "error", ("egress", "h2", "transit"), lambda: h2_attached(False),
         lambda: h2_attached(True), ("client h2", "not attached", "transit")),
    Case("egress-single-gateway", "warning", ("egress", "r1"), lambda: egress(gateways=["r1"]),
         lambda: egress(gateways=["r1", "r2"]), ("internet", "r1")),
    Case("egress-client-default-gateway", "error", ("egress", "h1"), lambda: h1_route("0.0.0.0/0"),
         lambda: h1_route("10.0.0.0/8"), ("h1", "0.0.0.0/0 via 192.168.100.1")),
    Case("firewall-no-management-ipset", "warning", ("pve1", "pve2"), lambda: ipset_named("admins"),
         lambda: ipset_named("management"), ("pve1", "pve2", "'management'")),
    Case("management-on-vm-bridge", "warning", ("pve1", "mgmt"), lambda: network_on("mgmt", "vmbr1"),
         lambda: network_on("mgmt", "vmbr0"), ("mgmt", "pve1:vmbr1", "VLAN-aware", "web", "enp65s0f0")),
    Case("fail2ban-filter-without-host", "error", ("hv1",), lambda: nginx_jail('^ -."(GET|POST).HTTP.*" 401'),
         lambda: nginx_jail('^<HOST> -.*"(GET|POST).*HTTP.*" 401'), ("nginx-401", "captures no address")),
    Case("cluster-shares-storage-nic", "warning", ("pve1", "corosync", "storage"),
         lambda: network_on("corosync", "enp66s0"), lambda: network_on("corosync", "eno2"),
         ("pve1", "corosync", "storage", "enp66s0")),
    Case("firewall-device-without-pve-firewall", "warning", ("sw1",), lambda: firewall_on("pve1", "pve2", "sw1"),
         lambda: firewall_on("pve1", "pve2"), ("sw1", "debian", "host.fw")),
    Case("egress-gateway-without-upstream", "error", ("egress", "r2"),
         lambda: edit(egress_pair(), device, "r2", static_routes=[]),
         lambda: edit(edit(egress_pair(), device, "r2", static_routes=[]), nic, "r2", "ens5", dhcp=True),
         ("r2", "internet", "never")),
    Case("dns-nameserver-without-dns", "warning", ("leaf1",), zone, lambda: zone(nameservers=["ns1.example.net."]),
         ("fab.example.net", "ns1", "leaf1")),
]
