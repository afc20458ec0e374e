"""Files for the host services are written where the node's own software reads them, and nowhere else."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from designer.fabric.addresses import ip_network
from designer.fabric.bundle import build_bundle
from designer.fabric.document import to_data, validate
from designer.fabric.errors import DesignError
from designer.fabric.pipeline import compile_design
from tests.conftest import fixed_keygen, load_example
from tests.render.bundles import bundle, compiled, need_tool, run, stanzas
from tests.render.netns import namespaces


def _bundle_of(data: dict):
    return build_bundle(compile_design(validate(data), keygen=fixed_keygen("host-files"))).files


def test_host_fw_only_on_nodes_that_run_the_proxmox_firewall():
    data = to_data(load_example("egress-gateways"))
    data["firewall"] = {"devices": ["host1", "r1"], "rules": [{"action": "ACCEPT", "proto": "icmp"}]}
    files = _bundle_of(data)
    assert not [path for path in files if "/etc/pve/" in path]
    cluster = to_data(load_example("proxmox-cluster"))
    cluster["devices"][0]["managed"] = True  # sw1, a switch: never a Proxmox node
    cluster["firewall"]["devices"] = ["pve-a", "sw1"]
    written = sorted(path for path in _bundle_of(cluster) if path.endswith("host.fw"))
    assert written == ["pve-a/etc/pve/nodes/pve-a/host.fw"]


def _unit(files: dict[str, bytes], node: str) -> str:
    return files[f"{node}/etc/systemd/system/fabric-nftables.service"].decode()


def test_the_bgp_filter_unit_passes_systemd_and_is_ordered_before_the_network_and_frr(tmp_path):
    files = bundle("egress-gateways").files
    unit = tmp_path / "fabric-nftables.service"
    unit.write_text(_unit(files, "host1"))
    verified = run([need_tool("systemd-analyze"), "verify", str(unit)])
    assert verified.returncode == 0 and not verified.stderr.strip(), verified.stderr
    sections = _ini(unit.read_text())
    assert sections["Unit"]["Before"] == ["network-pre.target frr.service shutdown.target"]
    assert sections["Unit"]["After"] == ["nftables.service"]  # after a stock `flush ruleset`, never before
    assert sections["Service"]["ExecStart"] == ["/usr/sbin/nft -f /etc/nftables.d/fabric-bgp.nft"]
    assert sections["Install"]["WantedBy"] == ["sysinit.target"]
    assert "flush" not in files["host1/etc/nftables.d/fabric-bgp.nft"].decode()


def _ini(text: str) -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
        elif "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            current.setdefault(key, []).append(value)
    return sections


def test_the_unit_loads_only_its_tables_and_apply_restores_them_once_flushed(tmp_path):
    from designer.fabric.render.nftables import RESTORE_TABLES
    need_tool("nft")
    node = bundle("egress-gateways").files
    nft = tmp_path / "fabric-bgp.nft"
    nft.write_bytes(node["host1/etc/nftables.d/fabric-bgp.nft"])
    starts = [line.split("=", 1)[1].replace("/etc/nftables.d/fabric-bgp.nft", str(nft))
              for line in _unit(node, "host1").splitlines() if line.startswith("ExecStart=")]
    ensure = RESTORE_TABLES.format(path=str(nft))
    with namespaces("node") as ns:
        node_ns = ns["node"]
        node_ns.run("nft add table inet site; nft add chain inet site input '{ type filter hook input priority 0; }'")
        for _ in range(2):  # boot, then a reload: the same tables, the node's own left alone
            for command in starts:
                node_ns.run(command)
            tables = node_ns.run("nft list tables").stdout.split("\n")
            assert sorted(filter(None, tables)) == ["table inet fabric_bgp", "table inet site"]
        handle = node_ns.run("nft -a list table inet fabric_bgp").stdout.splitlines()[0]
        node_ns.run(ensure)  # nothing drifted: the table is not even reloaded
        assert node_ns.run("nft -a list table inet fabric_bgp").stdout.splitlines()[0] == handle
        node_ns.run("nft flush ruleset")  # what Debian's /etc/nftables.conf does
        node_ns.run(ensure)
        assert "tcp dport 179 counter" in node_ns.run("nft list table inet fabric_bgp").stdout


def test_interfaces_keep_what_other_tools_keep_in_interfaces_d(tmp_path):
    """Proxmox SDN and cloud-init keep files in /etc/network/interfaces.d; the generated file still reads them."""
    need_tool("ifquery")
    interfaces = tmp_path / "interfaces"
    interfaces.write_bytes(bundle("wireguard-mesh").files["node1/etc/network/interfaces"])
    with namespaces("node") as ns:
        node_etc = Path("/etc/netns") / ns["node"].name
        try:
            shutil.copytree("/etc/network", node_etc / "network")  # ifupdown2's own configuration too
            (node_etc / "network" / "interfaces.d").mkdir(exist_ok=True)
            (node_etc / "network" / "interfaces.d" / "sdn").write_text("auto vrfvx_zone1\niface vrfvx_zone1\n"
                                                                         "    vrf-table auto\n")
            shown = ns["node"].run(f"mkdir -p /run/network && ifquery -a -i {interfaces}").stdout
        finally:
            shutil.rmtree(node_etc, ignore_errors=True)
    assert "iface vrfvx_zone1" in shown and "iface eth0 inet dhcp" in shown


def test_nics_get_their_address_the_way_the_design_says():
    data = to_data(load_example("egress-gateways"))
    host1 = next(d for d in data["devices"] if d["id"] == "host1")
    host1["nics"] += [{"name": "ens7"}, {"name": "ens8", "dhcp": True}, {"name": "ens9", "role": "management",
                                                                       "dhcp": False}]
    text = _bundle_of(data)["host1/etc/network/interfaces"].decode()
    found = stanzas(text)
    assert found["ens5"]["iface"] == ["inet dhcp"] and found["ens8"]["iface"] == ["inet dhcp"]
    assert found["ens6"]["address"] == ["192.168.100.100/24"] and "address-purge" not in found["ens6"]
    # no address from the design: ifreload must not remove the one the node has
    assert found["ens7"]["iface"] == found["ens9"]["iface"] == ["inet manual"]
    assert found["ens7"]["address-purge"] == found["ens9"]["address-purge"] == ["no"]


def test_lxd_configures_its_own_bridge_with_the_planned_address_and_no_nat():
    import yaml

    plan = compiled("wireguard-mesh").plan
    files = bundle("wireguard-mesh").files
    for node in ("node1", "node2", "node3", "node4"):
        lxdbr0 = plan.device_by_name(node).interface("lxdbr0")
        assert "lxdbr0" not in stanzas(files[f"{node}/etc/network/interfaces"].decode())  # not behind LXD's back
        preseed = yaml.safe_load(files[f"{node}/etc/lxd/fabric-preseed.yaml"])
        assert preseed == {"networks": [{"name": "lxdbr0", "type": "bridge", "config": {
            "ipv4.address": lxdbr0.addresses[0], "ipv4.nat": "false", "ipv6.address": "none", "ipv6.nat": "false",
            "bridge.mtu": "1390"}}]}
        # the subnet behind that address is what BGP announces, as it is
        assert f"network {ip_network(lxdbr0.addresses[0]).cidr}" in files[f"{node}/etc/frr/frr.conf"].decode()


def test_only_an_lxd_host_hands_a_bridge_to_lxd():
    data = to_data(load_example("egress-gateways"))
    data["devices"][2]["bridges"] = [{"name": "lxdbr0", "managed_by": "lxd"}]
    with pytest.raises(DesignError, match=r"devices\[2\].*managed by LXD, but host1 is a debian device"):
        validate(data)
    data["devices"][2]["bridges"] = [{"name": "br0"}]  # a port-less bridge off an LXD host stays ifupdown2's
    assert "br0" in stanzas(_bundle_of(data)["host1/etc/network/interfaces"].decode())
