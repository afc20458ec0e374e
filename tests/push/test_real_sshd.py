"""Scenario (h) against Debian's real sshd, one per node namespace: a wrong host key, a node with no SSH
server, and a login the node refuses are each named, and no other node is harmed.

The nodes here have no root of their own: sshd's mount namespace gives them private /run, /var/lib and
/var/spool in the test's folder, and push only plans (stage, check, diff): nothing is applied.
"""

from __future__ import annotations

import asyncio
import io
import os
import secrets
import shutil
import subprocess

import pytest

from designer.push.engine import PushEngine, Timing
from designer.push.inventory import Inventory
from designer.push.keys import authorized_keys_line, fingerprint, generate_deploy_key
from designer.push.payload import node_payloads
from designer.push.ssh import Connector, targets
from designer.push.terminal import TerminalRecorder
from tests.render.bundles import bundle

from .sshd import DISPATCHER, NodeSsh, management_link, remove_link, start_sshd

pytestmark = [pytest.mark.lab, pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("sshd", path="/usr/sbin"),
    reason="needs root (network namespaces) and Debian's openssh-server (make test installs it)")]


@pytest.fixture
def namespaces():
    """Namespaces of this test's own, deleted (with their veths and whatever runs in them) afterwards."""
    made: list[str] = []
    run = secrets.token_hex(3)

    def make(name: str) -> str:
        namespace = f"wp-{run}-{name}"
        subprocess.run(["ip", "netns", "add", namespace], check=True, timeout=20)
        made.append(namespace)
        return namespace

    make.run = run
    make.links = []
    yield make
    for namespace in made:
        subprocess.run(["ip", "netns", "delete", namespace], timeout=20, check=False)
    for link in make.links:
        remove_link(link)


def test_wrong_host_key_no_server_and_refused_login_are_named_and_harm_no_other_node(namespaces, tmp_path):
    key = generate_deploy_key("weft-push@tests")
    dispatcher = tmp_path / "dispatch"
    shutil.copy(DISPATCHER, dispatcher)
    dispatcher.chmod(0o755)
    nodes = {"leaf1": "good", "leaf2": "rekeyed", "pve1": "locked", "pve2": "down"}
    servers: dict[str, NodeSsh] = {}
    inventory: dict = {"nodes": {}}
    try:
        for index, (node, role) in enumerate(nodes.items(), start=1):
            namespace = namespaces(node)
            ours, theirs = management_link(namespace, 40 + index, f"wp{namespaces.run}{index}")
            namespaces.links.append(f"wp{namespaces.run}{index}")
            line = authorized_keys_line(key.public, push_from=[ours], dispatcher=str(dispatcher))
            if role != "down":
                servers[node] = start_sshd(node=node, enter=["ip", "netns", "exec", namespace], address=theirs,
                                           directory=tmp_path / node,
                                           authorized="" if role == "locked" else line + "\n")
            pinned = servers.get(node, servers["leaf1"]).host_key_line
            inventory["nodes"][node] = {"address": theirs, "host_keys": [pinned]}
        inventory["nodes"]["leaf2"]["host_keys"] = [servers["leaf1"].host_key_line]  # not leaf2's own key
        payloads = {name: payload for name, payload in node_payloads(bundle("proxmox-evpn")).items() if name in nodes}

        async def plan():
            connector = Connector(key.private, connect_seconds=5)
            engine = PushEngine(run_id="h1", connector=connector, recorder=TerminalRecorder(io.StringIO()),
                                targets=targets(Inventory.model_validate(inventory), sorted(nodes)),
                                payloads=payloads, timing=Timing(command=60))
            try:
                await engine.plan()
            finally:
                await connector.close()
            return {name: (str(node.state), node.detail) for name, node in engine.nodes.items()}

        states = asyncio.run(asyncio.wait_for(plan(), 180))
    finally:
        for server in servers.values():
            server.stop()
    assert states["leaf1"][0] in ("checked", "skipped"), states["leaf1"]
    assert (tmp_path / "leaf1/var-spool/weft/stage/h1/apply.json").exists()
    presented, pinned = fingerprint(servers["leaf2"].host_key_line), fingerprint(servers["leaf1"].host_key_line)
    assert states["leaf2"][0] == "unreachable"
    assert f"presented host key {presented}, not the pinned {pinned}: stopped" in states["leaf2"][1]
    assert states["pve1"][0] == "unreachable" and "refused the deploy key" in states["pve1"][1]
    assert states["pve2"][0] == "unreachable" and "could not be reached" in states["pve2"][1]
    assert not (tmp_path / "leaf2/var-spool/weft").exists() and not (tmp_path / "pve1/var-spool/weft").exists()
