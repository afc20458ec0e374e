"""The SSH edge of push (asyncssh): sessions to nodes with pinned host keys, through a bastion when the
inventory says so, a bounded number of handshakes in flight, and replies whose outcome may be unknown."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

import asyncssh

from .inventory import Endpoint, Inventory
from .keys import fingerprint

HANDSHAKES = 8  # a default sshd drops connections past MaxStartups 10; 8 in flight lose none
CONNECT_SECONDS = 15.0


class Unreachable(Exception):
    """No session with the node: ``kind`` is host-key, not-enrolled, login or network; the message says what."""

    def __init__(self, kind: str, message: str):
        self.kind = kind
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Target:
    """One node as push reaches it."""

    node: str
    endpoint: Endpoint
    bastion: tuple[str, Endpoint] | None = None


def targets(inventory: Inventory, nodes: list[str]) -> dict[str, Target]:
    out = {}
    for node in nodes:
        access = inventory.nodes[node]
        bastion = (access.bastion, inventory.bastions[access.bastion]) if access.bastion else None
        out[node] = Target(node, access, bastion)
    return out


@dataclass(frozen=True, slots=True)
class Reply:
    """A command's end. ``exit_status`` None: the outcome is unknown (connection lost or timed out)."""

    command: str
    exit_status: int | None
    stdout: str
    stderr: str
    lost: str = ""  # why the outcome is unknown

    @property
    def unknown(self) -> bool:
        return self.exit_status is None

    @property
    def ok(self) -> bool:
        return self.exit_status == 0

    def excerpt(self, lines: int = 12) -> str:
        """What the command said (its errors first), its first and last lines when it said much."""
        text = self.stderr.strip() or self.stdout.strip() or self.lost
        said = text.splitlines()
        if len(said) <= lines:
            return text
        half = lines // 2
        return "\n".join([*said[:half], f"... ({len(said) - 2 * half} more lines)", *said[-half:]])


class Connector:
    """Opens sessions with the deploy key; one per node at a time, bastions shared by all their nodes."""

    def __init__(self, private_key: str, *, handshakes: int = HANDSHAKES, connect_seconds: float = CONNECT_SECONDS):
        self._key = asyncssh.import_private_key(private_key)
        self._handshakes = asyncio.Semaphore(handshakes)
        self._connect_seconds = connect_seconds
        self._bastions: dict[str, asyncssh.SSHClientConnection] = {}
        self._bastion_lock = asyncio.Lock()

    async def close(self) -> None:
        for connection in self._bastions.values():
            connection.close()
            with contextlib.suppress(Exception):
                await connection.wait_closed()
        self._bastions.clear()

    async def connect(self, target: Target) -> asyncssh.SSHClientConnection:
        """A session to ``target``, or ``Unreachable`` naming why (a changed host key names both fingerprints)."""
        tunnel = await self._bastion(target.bastion) if target.bastion else None
        return await self._open(target.node, target.endpoint, tunnel)

    async def _bastion(self, bastion: tuple[str, Endpoint]) -> asyncssh.SSHClientConnection:
        name, endpoint = bastion
        async with self._bastion_lock:
            connection = self._bastions.get(name)
            if connection is None or connection.is_closed():
                try:
                    connection = await self._open(f"bastion {name}", endpoint, None)
                except Unreachable as exc:
                    raise Unreachable(exc.kind, f"through {exc}") from None
                self._bastions[name] = connection
            return connection

    async def _open(self, who: str, endpoint: Endpoint, tunnel) -> asyncssh.SSHClientConnection:
        if not endpoint.host_keys:
            raise Unreachable("not-enrolled", f"{who} has no pinned host key: enrol it (paste its fingerprint, "
                                              "or fetch it and confirm) before pushing")
        trusted = [asyncssh.import_public_key(key) for key in endpoint.host_keys]
        options = {"port": endpoint.port, "username": endpoint.user, "client_keys": [self._key],
                   "known_hosts": (trusted, [], []), "agent_path": None, "config": None, "password": None,
                   "kbdint_auth": False, "connect_timeout": self._connect_seconds,
                   "login_timeout": self._connect_seconds, "keepalive_interval": 5, "keepalive_count_max": 3}
        if tunnel is not None:
            options["tunnel"] = tunnel
        where = f"{endpoint.user}@{endpoint.address}:{endpoint.port}"
        async with self._handshakes:
            try:
                return await asyncio.wait_for(asyncssh.connect(endpoint.address, **options),
                                              self._connect_seconds + 1)
            except asyncssh.HostKeyNotVerifiable:
                presented = await presented_fingerprint(endpoint, tunnel)
                pinned = ", ".join(fingerprint(key) for key in endpoint.host_keys)
                raise Unreachable("host-key", f"{who} ({where}) presented host key {presented}, not the pinned "
                                              f"{pinned}: stopped. If the node was reinstalled, an owner re-pins "
                                              "its key") from None
            except asyncssh.PermissionDenied:
                raise Unreachable("login", f"{who} ({where}) refused the deploy key: install its authorized_keys "
                                           "line for that user (see the bootstrap)") from None
            except (OSError, TimeoutError, asyncssh.Error) as exc:
                reason = str(exc) or type(exc).__name__
                raise Unreachable("network", f"{who} ({where}) could not be reached: {reason}") from None


async def presented_fingerprint(endpoint: Endpoint, tunnel=None) -> str:
    """The fingerprint of the host key the server at ``endpoint`` presents now (for enrolment and mismatches)."""
    try:
        key = await asyncio.wait_for(asyncssh.get_server_host_key(
            endpoint.address, endpoint.port, tunnel=tunnel or (), config=None), CONNECT_SECONDS)
    except (OSError, TimeoutError, asyncssh.Error) as exc:
        return f"(unreadable: {exc})"
    return fingerprint(key.export_public_key().decode())


async def fetch_host_key(address: str, port: int) -> str:
    """The OpenSSH public key line the server presents, for a person to compare and confirm (never auto-pinned)."""
    key = await asyncio.wait_for(asyncssh.get_server_host_key(address, port, config=None), CONNECT_SECONDS)
    if key is None:
        raise Unreachable("network", f"{address}:{port} presented no host key")
    return key.export_public_key().decode().strip()


async def run(connection: asyncssh.SSHClientConnection, command: str, *, timeout: float,
              stdin: bytes | None = None) -> Reply:
    """Run one dispatcher verb. A dropped connection or a timeout gives a Reply with exit_status None: asyncssh
    returns exit_status None without raising when the connection is lost mid-command, and that is never success."""
    try:
        result = await connection.run(command, input=stdin, timeout=timeout, encoding=None, check=False)
    except asyncssh.TimeoutError as exc:
        return Reply(command, None, _text(exc.stdout), _text(exc.stderr), f"no answer within {timeout:.0f} s")
    except (OSError, asyncssh.Error) as exc:
        return Reply(command, None, "", "", f"the connection was lost: {exc or type(exc).__name__}")
    status = result.exit_status
    lost = "" if status is not None else "the connection was lost before the command ended"
    if status is not None and status < 0:  # killed by a signal on the node
        status, lost = None, f"the command was killed by signal {result.exit_signal}"
    return Reply(command, status, _text(result.stdout), _text(result.stderr), lost)


def _text(data) -> str:
    if data is None:
        return ""
    return data.decode(errors="replace") if isinstance(data, bytes) else str(data)
