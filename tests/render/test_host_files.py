"""Files for the host services are written where the node's own software reads them, and nowhere else."""

from __future__ import annotations

from designer.fabric.bundle import build_bundle
from designer.fabric.document import to_data, validate
from designer.fabric.pipeline import compile_design
from tests.conftest import fixed_keygen, load_example


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
