"""Push a design to its nodes over SSH: plan phase, then waves, each node commit-confirmed.

The same engine as the web app, for designs kept as files: the inventory is a YAML file, the deploy key a
private key file readable by its owner only, and the plan phase is confirmed at the terminal (or with --yes).
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import stat
import sys
import time
from pathlib import Path

from designer.fabric.bundle import build_bundle
from designer.fabric.commands.common import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_OK,
    add_design_arguments,
    compile_from_args,
    print_error_findings,
    print_json,
    record_path,
    write_record,
)
from designer.fabric.document import content_hash
from designer.fabric.errors import DesignError, Problem
from designer.fabric.yaml_read import parse_yaml

from .engine import PushEngine, Timing
from .groups import node_facts, redundancy_groups
from .health import cable_peers
from .inventory import read_inventory
from .payload import PayloadError, node_payloads
from .ssh import Connector, targets
from .states import BAD, MEANING
from .terminal import TerminalRecorder
from .waves import RulesError, WaveRules, plan_waves

HELP = "push the design's bundles to its nodes over SSH, wave by wave (--plan-only: show what would change)"
EXIT_PUSH_FAILED = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_design_arguments(parser)
    parser.add_argument("--inventory", type=Path, required=True, help="how to reach each node (YAML)")
    parser.add_argument("--identity", type=Path, required=True,
                        help="the deploy key's private half (OpenSSH format, readable by its owner only)")
    parser.add_argument("--plan-only", action="store_true", help="stage, check and diff; change nothing")
    parser.add_argument("--yes", action="store_true", help="push without asking once the plan phase passed")
    parser.add_argument("--node", action="append", default=None, help="push only this node (repeatable)")
    parser.add_argument("--confirm-timeout", type=int, default=120, help="seconds a node waits for confirmation")
    parser.add_argument("--health-wait", type=float, default=60.0, help="seconds health may take to settle")
    parser.add_argument("--rack-share", type=float, default=0.5, help="at most this share of a rack per wave")
    parser.add_argument("--max-wave-size", type=int, default=None, help="at most this many nodes per wave")
    parser.add_argument("--failure-threshold", type=int, default=0,
                        help="failures a later wave may have before the run stops (canaries: none)")
    parser.add_argument("--handshakes", type=int, default=8, help="SSH handshakes in flight at once")
    parser.add_argument("--run-id", default=None, help="the run's name on the nodes (default: cli-<UTC time>)")


def _private_key(path: Path) -> str:
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DesignError(Problem("--identity", f"cannot read the deploy key: {exc}")) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise DesignError(Problem("--identity", f"{path} is readable by others", f"chmod 600 {path}"))
    return text


def run(args: argparse.Namespace) -> int:
    try:
        rules = WaveRules(rack_share=args.rack_share, max_wave_size=args.max_wave_size,
                          failure_threshold=args.failure_threshold)
        timing = Timing(confirm_timeout=args.confirm_timeout, health_wait=args.health_wait)
    except (RulesError, ValueError) as exc:
        raise DesignError(Problem("options", str(exc))) from None
    compiled = compile_from_args(args)
    if compiled.has_errors:
        print_error_findings(compiled.errors, compiled.plan)
        print("error: the design has errors; nothing was pushed", file=sys.stderr)
        return EXIT_FINDINGS
    write_record(record_path(args), compiled.plan.record)  # the same keys and addresses on every push
    try:
        inventory = read_inventory(parse_yaml(args.inventory.read_text(encoding="utf-8"), source=str(args.inventory)),
                                   source=str(args.inventory))
    except OSError as exc:
        raise DesignError(Problem("--inventory", f"cannot read it: {exc}")) from None
    design_hash = content_hash(compiled.design)
    bundle = build_bundle(compiled, nodes=args.node, design_hash=design_hash)
    try:
        payloads = node_payloads(bundle)
    except PayloadError as exc:
        raise DesignError(Problem("bundle", str(exc))) from None
    missing = inventory.missing(sorted(payloads))
    if missing:
        raise DesignError(Problem("--inventory", f"no entry for {', '.join(missing)}",
                                  "give each node's address, user and pinned host key"))
    run_id = args.run_id or time.strftime("cli-%Y%m%dT%H%M%SZ", time.gmtime())
    return asyncio.run(_push(args, compiled.plan, payloads, inventory, run_id, rules, timing))


async def _push(args, plan, payloads, inventory, run_id: str, rules: WaveRules, timing: Timing) -> int:
    recorder = TerminalRecorder(sys.stderr)
    connector = Connector(_private_key(args.identity), handshakes=args.handshakes)
    names = sorted(payloads)
    engine = PushEngine(run_id=run_id, connector=connector, targets=targets(inventory, names), payloads=payloads,
                        recorder=recorder, timing=timing, cables=cable_peers(plan))
    asyncio.get_running_loop().add_signal_handler(signal.SIGINT, recorder.stop)  # Ctrl-C: stop, never abandon
    try:
        await engine.plan()
        facts = {name: fact for name, fact in node_facts(plan).items() if name in payloads}
        waves = plan_waves(facts, engine.changes(), redundancy_groups(plan), rules)
        blockers = engine.plan_blockers()
        shown = {"nodes": {n: p.as_dict() for n, p in engine.nodes.items()},
                 "waves": [list(w) for w in waves.waves], "skipped": list(waves.skipped)}
        if not args.json:
            _print_plan(engine, waves)
        if blockers or args.plan_only or not waves.waves or recorder.stopping:
            if args.json:
                print_json({"plan": shown})
            if blockers:
                print(f"error: {len(blockers)} node(s) cannot take the change; nothing was applied", file=sys.stderr)
            elif recorder.stopping:
                print("stopped before any node was applied", file=sys.stderr)
            return EXIT_PUSH_FAILED if blockers or recorder.stopping else EXIT_OK
        if not args.yes and not _confirmed(waves):
            print("not confirmed: nothing was applied", file=sys.stderr)
            return EXIT_BAD_INPUT
        outcome = await engine.push(waves, failure_threshold=rules.failure_threshold)
    finally:
        await connector.close()
    if args.json:
        print_json({"plan": shown, "result": {"finished": outcome.finished, "stopped_because": outcome.stopped_because,
                                              "nodes": {n: p.as_dict() for n, p in engine.nodes.items()}}})
    else:
        _print_result(engine, outcome)
    bad = [n for n in engine.nodes.values() if n.state in BAD]
    return EXIT_OK if outcome.finished and not bad else EXIT_PUSH_FAILED


def _confirmed(waves) -> bool:
    if not sys.stdin.isatty():
        print("the plan phase passed; give --yes to push without a terminal to confirm at", file=sys.stderr)
        return False
    answer = input(f"push {sum(len(w) for w in waves.waves)} node(s) in {len(waves.waves)} wave(s)? [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def _print_plan(engine: PushEngine, waves) -> None:
    for name, node in sorted(engine.nodes.items()):
        files = [f.get("path", "") if isinstance(f, dict) else str(f) for f in node.diff.get("files") or []]
        print(f"{name:<20} {node.state:<12} {node.disruption or '-':<17} {', '.join(files) or node.detail}")
    for index, wave in enumerate(waves.waves):
        print(f"{'canaries' if index == 0 else f'wave {index}'}: {', '.join(wave)}")
    if waves.skipped:
        print(f"no change: {', '.join(waves.skipped)}")


def _print_result(engine: PushEngine, outcome) -> None:
    for name, node in sorted(engine.nodes.items()):
        print(f"{name:<20} {node.state:<12} {node.detail or MEANING[node.state]}")
    print("every wave done" if outcome.finished else f"stopped: {outcome.stopped_because}")
