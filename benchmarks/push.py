"""Push benchmarks: the plan phase and the whole push of a generated fabric of 100 nodes to simulated
nodes (asyncssh in-process servers answering the dispatcher's verbs) with 8 handshakes in flight.

Server and client share this process and its two cores, so every handshake is paid twice. The target:
the 100-node plan phase under 15 s.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
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


def report(measure) -> str:
    row = measure("push", "--handshakes", "8")
    verdict = "met" if row["plan_s"] < PLAN_TARGET_S else "MISSED"
    return "\n".join([
        f"Push to {row['nodes']} simulated nodes, {row['handshakes']} handshakes in flight "
        f"(target: plan phase under {PLAN_TARGET_S:.0f} s: {verdict})", "",
        "| nodes | bundle | plan phase | waves | whole push (waves) | payload per node | peak memory | nodes end |",
        "|---|---|---|---|---|---|---|---|",
        f"| {row['nodes']} | {row['bundle_s']:.2f} s | {row['plan_s']:.1f} s | {row['waves']} | "
        f"{row['push_s']:.1f} s | {row['payload_kib']:.0f} KiB | {row['peak_rss_mib']:.0f} MiB | "
        f"{', '.join(row['states'])} |"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--handshakes", type=int, default=8)
    args = parser.parse_args()
    json.dump(asyncio.run(_push(args.handshakes)), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
