"""The lab push's real-node scenarios run on: a design brought up in network namespaces, each managed node a
stock Debian root of its own (the lab's node roots: nothing installed, booted as a fresh node boots), with
a management veth from the test's namespace and Debian's sshd listening on it, the deploy key's line in
root's authorized keys and the dispatcher where the bootstrap puts it. Push installs everything else.
"""

from __future__ import annotations

import hashlib
import io
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from designer.fabric.apply.engine import manifest
from designer.fabric.document import content_hash
from designer.fabric.lab import adapt, build, kernel
from designer.fabric.lab.build import Lab
from designer.fabric.lab.layout import lay_out
from designer.fabric.lab.teardown import Teardown, runs_root, shielded
from designer.fabric.lab.verify import probe_kernel
from designer.fabric.pipeline import Compiled
from designer.fabric.render import render_node
from designer.push.engine import PushEngine, Timing, WaveOutcome
from designer.push.groups import node_facts, redundancy_groups
from designer.push.health import cable_peers
from designer.push.inventory import Inventory
from designer.push.keys import DeployKey, authorized_keys_line
from designer.push.payload import NodePayload
from designer.push.ssh import Connector, targets
from designer.push.terminal import TerminalRecorder
from designer.push.waves import plan_waves

from .sshd import MANAGEMENT_NET, NodeSsh, management_link, remove_link, start_sshd

PUSH_FROM = f"{MANAGEMENT_NET}.0/24"  # the test's side of every management veth


@dataclass
class LabNode:
    name: str
    root: Any  # the lab's NodeRoot
    address: str  # where its sshd listens: its management address
    ssh: NodeSsh

    def run(self, command: list[str], timeout: float = 60.0):
        return self.root.run(command, timeout=timeout)

    def applied(self) -> dict | None:
        """The node's /var/lib/weft/applied.json, as the node has it."""
        text = self.root.read("/var/lib/weft/applied.json")
        return json.loads(text) if text else None

    def established(self) -> set[str]:
        """The BGP peers (interfaces or addresses) the node's FRR has Established."""
        shown = self.run(["vtysh", "-c", "show bgp summary json"])
        try:
            summary = json.loads(shown.stdout) if shown.ok else {}
        except ValueError:
            return set()
        return {peer for family in summary.values() if isinstance(family, dict)
                for peer, facts in family.get("peers", {}).items() if facts.get("state") == "Established"}


@dataclass
class PushLab:
    lab: Lab
    nodes: dict[str, LabNode] = field(default_factory=dict)

    def inventory(self, **changes) -> dict:
        nodes = {name: {"address": node.address, "host_keys": [node.ssh.host_key_line]}
                 for name, node in self.nodes.items()}
        return {"push_from": [PUSH_FROM], "nodes": nodes, **changes}


@contextmanager
def push_lab(compiled: Compiled, deploy_key: DeployKey) -> Iterator[PushLab]:
    """The design's fabric as stock nodes reachable over SSH; everything is taken down on leaving."""
    plan = compiled.plan
    run_id = secrets.token_hex(3)
    teardown = Teardown(run_id, runs_root() / run_id)
    links: list[str] = []
    try:
        features = probe_kernel(teardown)
        carriers = adapt.bond_carriers(plan) if features.stood_in("bond") else []
        unbuildable = {f for f in kernel.PROBES if not features.builds(f)}
        lab = Lab(plan, lay_out(plan, run_id, carriers=carriers), features, teardown, findings=compiled.findings,
                  lacking=kernel.lacking(plan, features), left_out=adapt.left_out(plan, unbuildable))
        build.stage_bundles(lab, render_node, content_hash(compiled.design))  # where each node root lives
        build.lay_network(lab)
        build.make_roots(lab)
        build.boot_all(lab)
        line = authorized_keys_line(deploy_key.public, push_from=[PUSH_FROM]) + "\n"
        pushed = PushLab(lab)
        for index, root in enumerate(sorted(lab.roots.values(), key=lambda r: r.name), start=1):
            links.append(f"wm{run_id}{index}")
            _, address = management_link(root.namespace, index, links[-1])
            ssh = start_sshd(node=root.name, enter=root.argv([]), address=address, own_root=True,
                             directory=lab.directory / f"{root.name}-ssh", authorized=line)
            pushed.nodes[root.name] = LabNode(root.name, root, address, ssh)
        yield pushed
    finally:
        with shielded():
            problems = teardown.run()  # every node's processes (its sshd and FRR too), namespaces, folders
            for link in links:
                remove_link(link)
        assert not problems, problems


def tampered(payload: NodePayload, path: str, edit) -> NodePayload:
    """``payload`` with the file at ``path`` (on the node) changed by ``edit(text) -> text``, its sha256 in
    apply.json changed too: the bundle a generator would have written with that file."""
    rel = path.lstrip("/")
    files = dict(payload.files)
    files[rel] = edit(files[rel].decode()).encode()
    facts = json.loads(files["apply.json"])
    facts["files"][path]["sha256"] = hashlib.sha256(files[rel]).hexdigest()
    files["apply.json"] = (json.dumps(facts, indent=2, sort_keys=True) + "\n").encode()
    return NodePayload(payload.node, manifest(facts), files, dict(payload.modes))


async def push_with_engine(lab: PushLab, plan, payloads: dict[str, NodePayload], deploy_key: DeployKey, *,
                           run_id: str, timing: Timing, confirm: bool = True, drift: bool = False,
                           ) -> tuple[PushEngine, WaveOutcome | None]:
    """The command line's way through a push (no database): plan phase, waves from the design, the push; with
    ``drift``, a drift check instead."""
    connector = Connector(deploy_key.private, connect_seconds=5)
    recorder = TerminalRecorder(io.StringIO())
    names = sorted(payloads)
    engine = PushEngine(run_id=run_id, connector=connector, recorder=recorder, payloads=payloads, timing=timing,
                        targets=targets(Inventory.model_validate(lab.inventory()), names), cables=cable_peers(plan))
    try:
        if drift:
            await engine.drift()
            return engine, None
        await engine.plan()
        if not confirm or engine.plan_blockers():
            return engine, None
        waves = plan_waves({n: f for n, f in node_facts(plan).items() if n in payloads}, engine.changes(),
                           redundancy_groups(plan))
        return engine, await engine.push(waves)
    finally:
        await connector.close()
