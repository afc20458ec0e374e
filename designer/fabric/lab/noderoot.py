"""A node of the lab as a real node is: its own filesystem over the machine's stock one, and stand-ins for PID 1.

Each managed node gets a mount namespace, held open by one process in the node's network namespace:

- ``/etc`` and ``/var`` are overlays: the machine's below (what Debian's packages installed: FRR's
  ``daemons``, ``/etc/nftables.conf``, ``/etc/fail2ban`` with ``defaults-debian.conf``...), the
  node's own directory above, so everything the node's ``apply.sh`` installs, and everything a reboot
  must find again, lands in the node's directory and nowhere else;
- ``/etc/network``, ``/etc/wireguard`` and ``/etc/systemd/system`` are the node's alone, seeded as a
  stock Debian 12 leaves them (an interfaces file with its ``source`` line and the loopback; the
  units its packages enable);
- ``/run`` is the node's own directory, emptied when the node reboots;
- ``/usr/bin/systemctl`` and ``/usr/sbin/sysctl`` are the lab's stand-ins (``standins/``): PID 1 here
  is not systemd, and the kernel is shared, so only a namespace's own sysctls may be set; and
  ``/usr/local/sbin`` holds a stand-in for LXD, which does not run here (its bridges, made as its
  preseed says).

Commands run on the node with ``nsenter`` into that process's mount and network namespaces.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .process import LabError, Outcome, alive, in_netns, run, terminate

STANDINS = Path(__file__).resolve().parent / "standins"
STANDIN_TARGETS = {"systemctl": "/usr/bin/systemctl", "sysctl": "/usr/sbin/sysctl"}  # bound over the real ones
LOCAL_STANDINS = ("lxd",)  # programs the machine does not have: in the node's /usr/local/sbin
OPAQUE = ("etc/network", "etc/wireguard", "etc/systemd/system", "var/tmp/network")
MARK = "WEFT_LAB_NODE"  # in every node process's environment: what proves a process is this node's
READY = ".node-ready"
READY_WITHIN = 20.0
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# what the packages a node of each kind has enable when they are installed
STOCK_UNITS = ("networking.service", "frr.service", "fail2ban.service")
STOCK_INTERFACES = """\
# This file describes the network interfaces available on your system
# and how to activate them. For more information, see interfaces(5).

source /etc/network/interfaces.d/*

# The loopback network interface
auto lo
iface lo inet loopback
"""

_HOLDER = """set -e
mount -t overlay weft-etc -o "lowerdir=/etc,upperdir=$1/upper/etc,workdir=$1/work/etc" /etc
mount -t overlay weft-var -o "lowerdir=/var,upperdir=$1/upper/var,workdir=$1/work/var" /var
mount --bind "$1/run" /run
mount --bind "$2" /usr/bin/systemctl
mount --bind "$3" /usr/sbin/sysctl
mount --bind "$4" /usr/local/sbin
touch /run/.node-ready
exec sleep infinity
"""


def write_standins(directory: Path) -> dict[str, Path]:
    """The stand-in scripts, executable, in the run's directory: each node binds them over the real ones
    (``local``: the folder that becomes the node's /usr/local/sbin)."""
    out = {}
    for name in STANDIN_TARGETS:
        out[name] = _copy(name, directory / "standins" / name)
    for name in LOCAL_STANDINS:
        _copy(name, directory / "standins" / "local" / name)
    out["local"] = directory / "standins" / "local"
    return out


def _copy(name: str, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(STANDINS / f"{name}.py", target)
    target.chmod(0o755)
    return target


@dataclass(slots=True)
class NodeRoot:
    """One node's filesystem (``directory``) and the process that holds its mount namespace open."""

    name: str
    namespace: str
    directory: Path
    env: dict[str, str] = field(default_factory=dict)  # what the lab adds to every command's environment
    holder: int | None = None
    mount_ns: str | None = None  # the holder's /proc/PID/ns/mnt, what proves a process is this node's

    @property
    def upper(self) -> Path:
        return self.directory / "upper"

    @property
    def run_dir(self) -> Path:
        return self.directory / "run"

    def seed(self) -> None:
        """A stock Debian 12 node's own files: created once, kept across reboots."""
        for sub in ("upper/etc", "upper/var", "work/etc", "work/var", "run"):
            (self.directory / sub).mkdir(parents=True, exist_ok=True)
        for rel in OPAQUE:
            path = self.upper / rel
            path.mkdir(parents=True, exist_ok=True)
            os.setxattr(path, "trusted.overlay.opaque", b"y")  # hide the machine's own below it
        network = self.upper / "etc/network"
        for entry in Path("/etc/network").iterdir():  # ifupdown2's own configuration and hook folders
            if entry.name not in ("interfaces", "interfaces.d", "run") and entry.is_dir():
                shutil.copytree(entry, network / entry.name, symlinks=True, dirs_exist_ok=True)
        (network / "interfaces.d").mkdir(exist_ok=True)
        (network / "interfaces").write_text(STOCK_INTERFACES, encoding="utf-8")
        (self.upper / "etc/wireguard").chmod(0o700)
        self.clear_run()

    def clear_run(self) -> None:
        """``/run`` as a boot finds it: empty but for the directories tmpfiles makes."""
        shutil.rmtree(self.run_dir, ignore_errors=True)
        for sub in ("", "network", "lock"):
            (self.run_dir / sub).mkdir(parents=True, exist_ok=True)

    def enter(self, standins: dict[str, Path], log: Path) -> None:
        """Start the process that holds the node's mount namespace, in the node's network namespace."""
        ready = self.run_dir / READY
        ready.unlink(missing_ok=True)
        # slave: the machine's unmounts (a namespace deleted) still reach this one, its own mounts stay here
        argv = in_netns(self.namespace, ["unshare", "--mount", "--propagation", "slave", "sh", "-c", _HOLDER,
                                         "node-root", str(self.directory), str(standins["systemctl"]),
                                         str(standins["sysctl"]), str(standins["local"])])
        with log.open("ab") as out:
            process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                       start_new_session=True)
        deadline = time.monotonic() + READY_WITHIN
        while not ready.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait(timeout=10)
                raise LabError(f"{self.name}: could not mount its own filesystem: "
                               f"{log.read_text(errors='replace')[-600:]}")
            time.sleep(0.02)
        self.holder = process.pid
        self.mount_ns = os.readlink(f"/proc/{process.pid}/ns/mnt")

    def argv(self, command: list[str]) -> list[str]:
        if self.holder is None:
            raise LabError(f"{self.name} is not running")
        base = {"PATH": PATH, "LANG": "C.UTF-8", "HOME": "/root", MARK: self.namespace}
        env = [f"{k}={v}" for k, v in {**base, **self.env}.items()]
        return ["nsenter", "-t", str(self.holder), "-m", "-n", "--", "env", "-i", *env, *command]

    def run(self, command: list[str], *, timeout: float = 60.0, stdin: str | None = None) -> Outcome:
        return run(self.argv(command), timeout=timeout, stdin=stdin)

    def display(self, command: str) -> str:
        """How a person enters the node to type ``command``."""
        return f"nsenter -t {self.holder} -m -n {command}"

    def processes(self) -> list[int]:
        """Every process of the node but its holder: in its mount namespace, or started with its mark
        (should the holder be gone). What a power-off stops."""
        mark = f"{MARK}={self.namespace}".encode()
        found = []
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit() or int(proc.name) == self.holder:
                continue
            try:
                if (self.mount_ns is not None and os.readlink(proc / "ns/mnt") == self.mount_ns) or \
                        mark in (proc / "environ").read_bytes().split(b"\0"):
                    found.append(int(proc.name))
            except OSError:
                continue
        return found

    def power_off(self) -> list[str]:
        """Cut the node's power: every process killed at once, its holder last; returns what would not die.

        What its apply.sh installed was written and synced before it reported success, as on a disk.
        """
        problems = [f"{self.name}: process {pid} did not stop" for pid in terminate(self.processes(), grace=0)]
        if self.holder is not None and alive(self.holder) and self._holder_is_ours():
            problems += [f"{self.name}: its holder {pid} did not stop" for pid in terminate([self.holder], grace=0)]
        self.holder = None
        return problems

    def _holder_is_ours(self) -> bool:
        try:
            return os.readlink(f"/proc/{self.holder}/ns/mnt") == self.mount_ns
        except OSError:
            return False

    def read(self, path: str) -> str | None:
        """A file as the node sees it (its own copy over the machine's), read from outside."""
        for base in (self.upper, Path("/")):
            candidate = base / path.lstrip("/")
            if candidate.exists():
                return candidate.read_text(encoding="utf-8", errors="replace")
        return None

    def enabled_units(self) -> list[str]:
        """Units enabled on the node (links in its ``/etc/systemd/system/*.wants``), each once."""
        found: list[str] = []
        for wants in sorted((self.upper / "etc/systemd/system").glob("*.wants")):
            found += [link.name for link in sorted(wants.iterdir()) if link.name not in found]
        return found

    def record(self) -> dict:
        return {"name": self.name, "namespace": self.namespace, "directory": str(self.directory),
                "holder": self.holder, "mount_ns": self.mount_ns}

    @classmethod
    def from_record(cls, data: dict) -> NodeRoot:
        return cls(data["name"], data["namespace"], Path(data["directory"]), holder=data.get("holder"),
                   mount_ns=data.get("mount_ns"))
