"""Debian's real OpenSSH server for one node: inside the node's network namespace, listening on its
management address, key-only, the deploy key's line in its authorized keys; started and stopped by pid.

``enter`` is how a command runs on the node (``ip netns exec NS``, or the lab's way into a node root). A node
without a root of its own (``own_root=False``) gets private ``/run``, ``/var/lib`` and ``/var/spool`` (folders
of the test's) in sshd's mount namespace, which every session inherits: what the dispatcher stages and what
the engine writes stay in the test's folder, and nothing of the host's changes. The management link is a
veth from the test's namespace into the node's.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SSHD = "/usr/sbin/sshd"
DISPATCHER = Path(__file__).resolve().parents[2] / "designer/push/node/dispatch.py"
START_SECONDS = 20
_PRIVATE = ('mount -t tmpfs weft-sshd /run && mount --bind "$0/var-lib" /var/lib && '
            'mount --bind "$0/var-spool" /var/spool && mkdir -p /run/sshd && chmod 755 /run/sshd && exec "$@"')
# A node root shares the machine's /usr: the dispatcher goes to /usr/local/lib/weft in the node's own view.
_OWN_ROOT = ('mkdir -p /run/sshd && chmod 755 /run/sshd && mount -t tmpfs weft-local /usr/local/lib && '
             'install -D -m 0755 "$0/dispatch" /usr/local/lib/weft/dispatch && exec "$@"')
MANAGEMENT_NET = "192.0.2"  # TEST-NET-1 in /30s: nothing on a real network uses it, nor the lab itself


@dataclass
class NodeSsh:
    node: str
    address: str
    directory: Path
    host_key_line: str
    process: subprocess.Popen | None = None

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def host_key(directory: Path) -> tuple[Path, str]:
    key = directory / "ssh_host_ed25519_key"
    if not key.exists():
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", str(key)], check=True,
                       timeout=30, capture_output=True)
    return key, key.with_suffix(".pub").read_text().strip()


def management_link(namespace: str, index: int, host_side: str) -> tuple[str, str]:
    """A veth from the test's namespace into ``namespace`` (``mgmt0`` there): (the test's address, the node's).

    The caller deletes ``host_side`` when done: a namespace another mount namespace still holds (another
    lab's node, started meanwhile) outlives its deletion, and its veth with it.
    """
    if not 0 <= index < 64:
        raise ValueError(f"management link {index}: 0 to 63 fit in {MANAGEMENT_NET}.0/24")
    ours, theirs = f"{MANAGEMENT_NET}.{4 * index + 1}", f"{MANAGEMENT_NET}.{4 * index + 2}"
    taken = subprocess.run(["ip", "-br", "addr", "show", "to", f"{ours}/30"], capture_output=True, text=True,
                           timeout=20, check=False).stdout.strip()
    if taken:
        raise RuntimeError(f"{ours}/30 is already on this machine ({taken}): a management link left behind?")
    commands = [["ip", "link", "add", host_side, "type", "veth", "peer", "name", "mgmt0", "netns", namespace],
                ["ip", "addr", "add", f"{ours}/30", "dev", host_side], ["ip", "link", "set", host_side, "up"],
                ["ip", "-n", namespace, "addr", "add", f"{theirs}/30", "dev", "mgmt0"],
                ["ip", "-n", namespace, "link", "set", "mgmt0", "up"],
                ["ip", "-n", namespace, "link", "set", "lo", "up"]]
    for argv in commands:
        subprocess.run(argv, check=True, capture_output=True, timeout=20)
    return ours, theirs


def remove_link(host_side: str) -> None:
    subprocess.run(["ip", "link", "delete", host_side], capture_output=True, timeout=20, check=False)


def start_sshd(*, node: str, enter: list[str], address: str, directory: Path, authorized: str,
               own_root: bool = False) -> NodeSsh:
    """sshd for ``node`` on ``address``:22; ``authorized`` is the whole authorized_keys text for root. A node with
    a root of its own gets the dispatcher installed where the bootstrap puts it."""
    directory.mkdir(parents=True, exist_ok=True)
    if own_root:
        shutil.copy(DISPATCHER, directory / "dispatch")
    key, public = host_key(directory)
    (directory / "authorized_keys").write_text(authorized)
    settings = [f"ListenAddress {address}", "Port 22", f"HostKey {key}", f"PidFile {directory / 'sshd.pid'}",
                "UsePAM no", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes", f"AuthorizedKeysFile {directory / 'authorized_keys'}",
                "PermitRootLogin prohibit-password", "StrictModes no", "Subsystem sftp internal-sftp",
                "LogLevel VERBOSE", "MaxStartups 10:30:100", "ClientAliveInterval 5"]
    config = directory / "sshd_config"
    config.write_text("\n".join(settings) + "\n")
    for private in ("var-lib", "var-spool"):
        (directory / private).mkdir(exist_ok=True)
    argv = [*enter, "sh", "-c", _OWN_ROOT if own_root else _PRIVATE, str(directory), SSHD, "-D", "-e", "-f",
            str(config)]
    checked = subprocess.run([*enter, SSHD, "-t", "-f", str(config)], capture_output=True, text=True, timeout=30,
                             check=False)
    if checked.returncode != 0 and "privilege separation" not in checked.stderr:
        raise RuntimeError(f"sshd -t refused the config of {node}: {checked.stderr}")
    log = (directory / "sshd.log").open("w")
    process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    ssh = NodeSsh(node, address, directory, public, process)
    deadline = time.monotonic() + START_SECONDS
    while not _listening(enter, address):
        if process.poll() is not None or time.monotonic() > deadline:
            ssh.stop()
            raise RuntimeError(f"sshd of {node} did not listen on {address}:22: {(directory / 'sshd.log').read_text()}")
        time.sleep(0.1)
    return ssh


def _listening(enter: list[str], address: str) -> bool:
    probe = subprocess.run([*enter, "ss", "-Htln", f"src {address}", "sport = :22"], capture_output=True, text=True,
                           timeout=10, check=False)
    return bool(probe.stdout.strip())
