"""Push benchmarks: the plan phase and the whole push of a generated fabric of 100 nodes to simulated
nodes (asyncssh in-process servers answering the dispatcher's verbs) with 8 handshakes in flight, and of
examples/proxmox-evpn.yaml's five nodes in the lab (stock node roots, real sshd, apply.sh, FRR; as root).

Server and client share this process and its two cores, so every handshake is paid twice. The target:
the 100-node plan phase under 15 s.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from . import compiler

SHAPE = (2, 14, 6)  # 2 spines, 14 leaves, 6 hypervisors each: 100 managed nodes
PLAN_TARGET_S = 15.0


async def _push(handshakes: int) -> dict:
    from designer.fabric.bundle import build_bundle
    from designer.fabric.document import load_file
    from designer.fabric.pipeline import compile_design
    from designer.push.engine import PushEngine, Timing
    from designer.push.groups import node_facts, redundancy_groups
    from designer.push.keys import generate_deploy_key
    from designer.push.payload import node_payloads
    from designer.push.simulator import Fleet
    from designer.push.ssh import Connector, targets
    from designer.push.terminal import TerminalRecorder
    from designer.push.waves import plan_waves

    with tempfile.TemporaryDirectory() as directory:
        compiled = compile_design(load_file(compiler.write_fabric(SHAPE, Path(directory))))
    start = time.perf_counter()
    payloads = node_payloads(build_bundle(compiled))
    bundled = time.perf_counter() - start
    key = generate_deploy_key("bench")
    async with Fleet(sorted(payloads), key.public) as fleet:
        connector = Connector(key.private, handshakes=handshakes)
        engine = PushEngine(run_id="bench", connector=connector, targets=targets(fleet.inventory(), sorted(payloads)),
                            payloads=payloads, recorder=TerminalRecorder(io.StringIO()),
                            timing=Timing(confirm_timeout=60, health_wait=5))
        start = time.perf_counter()
        await engine.plan()
        planned = time.perf_counter() - start
        waves = plan_waves(node_facts(compiled.plan), engine.changes(), redundancy_groups(compiled.plan))
        start = time.perf_counter()
        outcome = await engine.push(waves)
        pushed = time.perf_counter() - start
        await connector.close()
    states = {str(n.state) for n in engine.nodes.values()}
    return {"nodes": len(payloads), "handshakes": handshakes, "bundle_s": bundled, "plan_s": planned,
            "waves": len(waves.waves), "push_s": pushed, "finished": outcome.finished, "states": sorted(states),
            "payload_kib": sum(len(p.tar()) for p in payloads.values()) / 1024 / len(payloads),
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _lab() -> dict:
    """The five nodes of the example, stock, in the lab: plan phase, then the whole push (first install)."""
    from designer.push.engine import Timing
    from designer.push.keys import generate_deploy_key
    from designer.push.payload import node_payloads
    from tests.conftest import compile_example
    from tests.push.scenarios import push_lab, push_with_engine
    from tests.render.bundles import bundle

    compiled = compile_example("proxmox-evpn")
    key = generate_deploy_key("bench")
    timing = Timing(confirm_timeout=90, health_wait=45, command=90, apply=180, health_interval=1)
    payloads = node_payloads(bundle("proxmox-evpn"))
    with push_lab(compiled, key) as lab:
        start = time.perf_counter()
        asyncio.run(push_with_engine(lab, compiled.plan, payloads, key, run_id="bench-plan", timing=timing,
                                     confirm=False))
        planned = time.perf_counter() - start
        start = time.perf_counter()
        engine, outcome = asyncio.run(push_with_engine(lab, compiled.plan, payloads, key, run_id="bench",
                                                       timing=timing))
        pushed = time.perf_counter() - start
    return {"nodes": len(payloads), "plan_s": planned, "push_s": pushed, "finished": outcome.finished,
            "states": sorted({str(n.state) for n in engine.nodes.values()})}


def report(measure) -> str:
    row = measure("push", "--handshakes", "8")
    verdict = "met" if row["plan_s"] < PLAN_TARGET_S else "MISSED"
    lab = measure("push", "--lab") if _lab_possible() else None
    shown = (f"The example's {lab['nodes']} nodes in the lab (stock roots, real sshd, first install): plan phase "
             f"{lab['plan_s']:.1f} s; whole push, plan phase included, {lab['push_s']:.1f} s; nodes end "
             f"{', '.join(lab['states'])}") if lab else "The lab's row needs root and the lab's node roots."
    return "\n".join([shown, "",
        f"Push to {row['nodes']} simulated nodes, {row['handshakes']} handshakes in flight "
        f"(target: plan phase under {PLAN_TARGET_S:.0f} s: {verdict})", "",
        "| nodes | bundle | plan phase | waves | whole push (waves) | payload per node | peak memory | nodes end |",
        "|---|---|---|---|---|---|---|---|",
        f"| {row['nodes']} | {row['bundle_s']:.2f} s | {row['plan_s']:.1f} s | {row['waves']} | "
        f"{row['push_s']:.1f} s | {row['payload_kib']:.0f} KiB | {row['peak_rss_mib']:.0f} MiB | "
        f"{', '.join(row['states'])} |"])


def _lab_possible() -> bool:
    import importlib.util

    return os.geteuid() == 0 and importlib.util.find_spec("designer.fabric.lab.noderoot") is not None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--handshakes", type=int, default=8)
    parser.add_argument("--lab", action="store_true", help="the example's five nodes in the lab (root)")
    args = parser.parse_args()
    if args.lab:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weft.settings")
        django.setup()
        json.dump(_lab(), sys.stdout)
    else:
        json.dump(asyncio.run(_push(args.handshakes)), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
