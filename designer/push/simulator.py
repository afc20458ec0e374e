"""Simulated nodes: asyncssh in-process SSH servers that answer the dispatcher's verbs as a node running
``apply.sh`` would (a manifest installed, a watchdog that restores unless confirmed), with faults on demand.

For the benchmarks (a hundred nodes on one machine) and for the faults a real sshd cannot be made to show
on cue: a session that drops mid-command, a command that hangs, a health check that fails after an apply.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import socket
import tarfile
from dataclasses import dataclass, field
from typing import Any

import asyncssh

from designer.fabric.apply.engine import manifest

from .inventory import Inventory

ADDRESS = "127.0.0.1"


@dataclass
class Faults:
    """What a simulated node does wrong; each names a verb (``stage``, ``check``, ``apply``, ``health``...)."""

    drop: set[str] = field(default_factory=set)      # the connection is cut once the verb has done its work
    hang: set[str] = field(default_factory=set)      # the verb never answers
    check_fails: bool = False
    apply_exit: int = 0                               # 1: the apply failed and the node restored itself
    unhealthy_after_apply: bool = False
    refusals: list[str] = field(default_factory=list)
    latency: float = 0.0                              # seconds each verb takes
    slow: dict[str, float] = field(default_factory=dict)  # seconds a verb takes to answer once it did its work
    refuse_login: bool = False                        # the deploy key is not in its authorized_keys
    down: bool = False                                # nothing listens at its address
    edited: list[str] = field(default_factory=list)   # files someone changed on the node since the last apply


@dataclass
class NodeRecord:
    """What the node has installed, as its ``applied.json`` says."""

    manifest: str | None = None
    run: str | None = None
    pending: dict[str, Any] | None = None
    last: dict[str, Any] | None = None
    staged: dict[str, str] = field(default_factory=dict)  # run -> manifest
    applies: list[str] = field(default_factory=list)      # every run that was applied, in order

    def status(self, node: str) -> dict[str, Any]:
        """As ``apply.sh --status --json`` answers: the node's applied.json, and the pending run."""
        if self.manifest is None and self.last is None:
            return {"node": node, "applied": None, "pending": None}
        applied = {"format": 1, "node": node, "manifest": self.manifest, "run": self.run,
                   "state": "pending" if self.pending else "confirmed", "pending": self.pending, "last": self.last}
        return {"node": node, "applied": applied, "pending": self.pending}


class SimulatedNode:
    def __init__(self, name: str, deploy_public_key: str, faults: Faults | None = None):
        self.name = name
        self.faults = faults or Faults()
        self.record = NodeRecord()
        self.host_key = asyncssh.generate_private_key("ssh-ed25519")
        self._deploy_public_key = deploy_public_key
        self._server: asyncssh.SSHAcceptor | None = None
        self._watchdog: asyncio.Task | None = None
        self._previous: tuple[str | None, str | None] = (None, None)
        self.port = 0

    @property
    def host_key_line(self) -> str:
        return self.host_key.export_public_key().decode().strip()

    async def start(self) -> None:
        if self.faults.down:
            with socket.socket() as probe:  # a port nothing listens on
                probe.bind((ADDRESS, 0))
                self.port = probe.getsockname()[1]
            return
        allowed = self._deploy_public_key if not self.faults.refuse_login else \
            asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode()
        self._server = await asyncssh.listen(ADDRESS, 0, server_host_keys=[self.host_key],
                                             authorized_client_keys=asyncssh.import_authorized_keys(allowed),
                                             encoding=None, process_factory=self._session, allow_scp=False)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _session(self, process: asyncssh.SSHServerProcess) -> None:
        words = (process.command or "").split()
        verb = words[0] if words else ""
        if self.faults.latency:
            await asyncio.sleep(self.faults.latency)
        if verb in self.faults.hang:
            await asyncio.sleep(3600)
        status, output = await self._answer(verb, words[1:], process)
        if verb in self.faults.slow:
            await asyncio.sleep(self.faults.slow[verb])
        if verb in self.faults.drop:
            self.faults.drop.discard(verb)  # once: the node answers again when asked anew
            process.channel.get_connection().abort()
            return
        process.stdout.write(output.encode())
        process.exit(status)

    async def _answer(self, verb: str, args: list[str], process) -> tuple[int, str]:
        record = self.record
        if verb == "stage":
            data = await process.stdin.read()
            with tarfile.open(fileobj=io.BytesIO(data)) as archive:
                facts = archive.extractfile("apply.json").read()
            record.staged[args[0]] = manifest(json.loads(facts))
            return 0, json.dumps({"run": args[0], "manifest": record.staged[args[0]]})
        if verb == "check":
            return (1, "frr.conf: line 3: % Unknown command\n") if self.faults.check_fails else (0, "")
        if verb == "diff":
            target = record.staged[args[0]]
            changed = target != record.manifest
            files = [{"path": "/etc/frr/frr.conf", "change": "modify", "class": "frr-reload",
                      "diff": "-! v1\n+! v2\n"}] if changed else []
            return 0, json.dumps({"node": self.name, "class": "frr-reload" if changed else "none", "files": files,
                                  "frr": None, "interfaces": None, "refusals": self.faults.refusals,
                                  "target": {"manifest": target}})
        if verb == "apply":
            return self._apply(args[0], int(args[1]))
        if verb == "confirm":
            if record.pending is None or record.pending["run"] != args[0]:
                return 1, f"no pending run {args[0]}\n"
            self._watchdog.cancel()
            record.pending = None
            record.last = {"run": args[0], "outcome": "confirmed"}
            return 0, ""
        if verb == "status":
            return 0, json.dumps(record.status(self.name))
        if verb == "drift":
            files = [{"path": path, "change": "modified"} for path in self.faults.edited]
            return 0, json.dumps({"node": self.name, "manifest": record.manifest, "run": record.run, "files": files,
                                  "runtime": [], "drifted": bool(files)})
        if verb == "health":
            sick = self.faults.unhealthy_after_apply and record.run is not None and record.manifest is not None \
                and record.pending is not None
            items = [{"peer": "swp1", "state": "Idle" if sick else "Established", "ok": not sick}]
            checks = [{"name": "bgp", "ok": not sick, "detail": f"{0 if sick else 1} of 1 planned sessions "
                       "Established", "items": items}]
            return (1 if sick else 0), json.dumps({"node": self.name, "healthy": not sick, "checks": checks})
        return 2, f"refused: {verb}\n"

    def _apply(self, run: str, seconds: int) -> tuple[int, str]:
        record = self.record
        if record.pending is not None:
            return 4, f"run {record.pending['run']} awaits confirmation\n"
        if self.faults.apply_exit:
            record.last = {"run": run, "outcome": "failed", "reason": "ifreload -a failed"}
            return self.faults.apply_exit, "ifreload -a failed: restored the previous files\n"
        record.applies.append(run)
        self._previous = (record.manifest, record.run)
        record.manifest, record.run = record.staged[run], run
        record.pending = {"run": run, "deadline": f"+{seconds}s", "watchdog": "simulated"}
        self._watchdog = asyncio.get_running_loop().create_task(self._restore_after(run, seconds))
        return 0, f"{run}\n"

    async def _restore_after(self, run: str, seconds: int) -> None:
        await asyncio.sleep(seconds)
        record = self.record
        record.manifest, record.run = self._previous
        record.pending = None
        record.last = {"run": run, "outcome": "rolled-back", "reason": f"not confirmed within {seconds} s"}


class SimulatedBastion:
    """A jump host that only opens tunnels to loopback ports, and counts the SSH connections it was given."""

    def __init__(self, deploy_public_key: str):
        self.host_key = asyncssh.generate_private_key("ssh-ed25519")
        self.connections = 0
        self.tunnels = 0
        self._deploy_public_key = deploy_public_key
        self._server: asyncssh.SSHAcceptor | None = None
        self.port = 0

    async def start(self) -> None:
        bastion = self

        class Server(asyncssh.SSHServer):
            def connection_made(self, connection) -> None:
                bastion.connections += 1

            def connection_requested(self, dest_host: str, dest_port: int, orig_host: str, orig_port: int):
                bastion.tunnels += 1
                return dest_host == ADDRESS

        self._server = await asyncssh.listen(
            ADDRESS, 0, server_host_keys=[self.host_key], server_factory=Server,
            authorized_client_keys=asyncssh.import_authorized_keys(self._deploy_public_key))
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()


class Fleet:
    """Simulated nodes started together, behind a bastion with ``bastion=True``; ``inventory()`` says how to
    reach them, host keys pinned."""

    def __init__(self, names: list[str], deploy_public_key: str, faults: dict[str, Faults] | None = None, *,
                 bastion: bool = False):
        self.nodes = {name: SimulatedNode(name, deploy_public_key, (faults or {}).get(name)) for name in names}
        self.bastion = SimulatedBastion(deploy_public_key) if bastion else None

    async def __aenter__(self) -> Fleet:
        extra = [self.bastion.start()] if self.bastion else []
        await asyncio.gather(*(node.start() for node in self.nodes.values()), *extra)
        return self

    async def __aexit__(self, *exc) -> None:
        extra = [self.bastion.stop()] if self.bastion else []
        with contextlib.suppress(Exception):
            await asyncio.gather(*(node.stop() for node in self.nodes.values()), *extra)

    def inventory(self) -> Inventory:
        via = {"bastion": "jump"} if self.bastion else {}
        data: dict[str, Any] = {"nodes": {
            name: {"address": ADDRESS, "port": node.port, "user": "root", "host_keys": [node.host_key_line], **via}
            for name, node in self.nodes.items()}}
        if self.bastion:
            key = self.bastion.host_key.export_public_key().decode().strip()
            data["bastions"] = {"jump": {"address": ADDRESS, "port": self.bastion.port, "user": "weft",
                                         "host_keys": [key]}}
        return Inventory.model_validate(data)
