"""``fabric push FILE --inventory INV.yaml``: the plan phase alone, a whole push, and bad input, against
simulated nodes (the real-node scenarios use the same engine through the web app)."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from designer.fabric.cli import main
from designer.push import cli as push_cli
from tests.conftest import EXAMPLES

from .fleet import fleet_in_thread
from .nodes import DEPLOY_KEY

NODES = ["leaf1", "leaf2", "pve1", "pve2", "pve3"]


def fabric(*argv: str) -> int:
    return main(list(argv), extra={"push": push_cli})


@pytest.fixture
def files(tmp_path):
    design = tmp_path / "proxmox-evpn.yaml"
    shutil.copy(EXAMPLES / "proxmox-evpn.yaml", design)
    identity = tmp_path / "deploy_key"
    identity.write_text(DEPLOY_KEY.private)
    identity.chmod(0o600)
    return design, identity, tmp_path / "inventory.yaml"


def write_inventory(path, fleet) -> None:
    path.write_text(yaml.safe_dump(fleet.inventory().model_dump(mode="json")))


def test_plan_only_shows_each_node_and_the_waves_and_changes_nothing(files, capsys):
    design, identity, inventory = files
    with fleet_in_thread(NODES, DEPLOY_KEY.public) as fleet:
        write_inventory(inventory, fleet)
        code = fabric("push", str(design), "--inventory", str(inventory), "--identity", str(identity), "--plan-only")
        assert all(node.record.applies == [] for node in fleet.nodes.values())
    out = capsys.readouterr().out
    assert code == 0
    assert "leaf1                checked      frr-reload        /etc/frr/frr.conf" in out
    assert "canaries: leaf1, pve1" in out
    assert design.with_suffix(".lock.json").exists()  # the same keys and addresses on the next push


def test_a_push_from_the_command_line_verifies_every_node(files, capsys):
    design, identity, inventory = files
    with fleet_in_thread(NODES, DEPLOY_KEY.public) as fleet:
        write_inventory(inventory, fleet)
        code = fabric("push", str(design), "--inventory", str(inventory), "--identity", str(identity), "--yes",
                      "--confirm-timeout", "20", "--health-wait", "2", "--json")
        applied = {name: len(node.record.applies) for name, node in fleet.nodes.items()}
    shown = json.loads(capsys.readouterr().out)
    result = shown["result"]
    assert code == 0 and result["finished"] is True and shown["plan"]["waves"][0] == ["leaf1", "pve1"]
    assert {name: node["state"] for name, node in result["nodes"].items()} == dict.fromkeys(NODES, "verified")
    assert applied == dict.fromkeys(NODES, 1)


def test_bad_input_is_named(files, capsys):
    design, identity, inventory = files
    inventory.write_text(yaml.safe_dump({"nodes": {"leaf1": {"address": "127.0.0.1"}}}))
    assert fabric("push", str(design), "--inventory", str(inventory), "--identity", str(identity)) == 2
    assert "no entry for leaf2, pve1, pve2, pve3" in capsys.readouterr().err
    identity.chmod(0o644)
    inventory.write_text(yaml.safe_dump({"nodes": {n: {"address": "127.0.0.1"} for n in NODES}}))
    assert fabric("push", str(design), "--inventory", str(inventory), "--identity", str(identity)) == 2
    assert "deploy_key is readable by others" in capsys.readouterr().err
    inventory.write_text(yaml.safe_dump({"nodes": {"leaf1": {"address": "127.0.0.1", "bastion": "nope"}}}))
    assert fabric("push", str(design), "--inventory", str(inventory), "--identity", str(identity)) == 2
    assert "names bastion 'nope'" in capsys.readouterr().err
