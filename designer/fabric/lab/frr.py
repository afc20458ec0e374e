"""FRR inside a namespace: its own path space (``-N``), started from the node's files, stopped by pid."""

from __future__ import annotations

import os
import pwd
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

from .process import LabError, Outcome, in_netns, pid_files, run, terminate

DAEMON_DIR = Path("/usr/lib/frr")
CONFIG_ROOT = Path("/etc/frr")
RUN_ROOT = Path("/var/run/frr")
# Daemons the lab knows how to start, in the order they must come up (zebra first).
SUPPORTED = ("zebra", "bgpd", "staticd", "bfdd")
DEFAULT_PROFILE = "datacenter"


_STATIC_ROUTE = re.compile(r"^\s*ip(?:v6)? route ", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class FrrSetup:
    """What a node's /etc/frr/daemons asks for: which daemons, with which options and profile."""

    daemons: tuple[str, ...]
    options: dict[str, list[str]]
    profile: str


def installed_daemons() -> frozenset[str]:
    """The daemons the lab knows how to start that this machine has."""
    return frozenset(name for name in SUPPORTED if (DAEMON_DIR / name).exists())


def read_setup(daemons_file: str | None, frr_conf: str, installed: frozenset[str]) -> FrrSetup:
    """Read the node's daemons file; without one, run what the config needs (staticd for static routes).

    A daemon the file enables runs only when it is in ``installed`` (see ``installed_daemons``).
    """
    profile_line = re.search(r"^\s*frr\s+defaults\s+(\S+)", frr_conf, re.MULTILINE)
    profile = profile_line[1] if profile_line else DEFAULT_PROFILE
    if daemons_file is None:
        values: dict[str, str] = {}
        wanted = ["zebra", "bgpd"] if re.search(r"^router bgp", frr_conf, re.MULTILINE) else ["zebra"]
    else:
        values = dict(re.findall(r'^\s*([A-Za-z0-9_]+)=\s*"?([^"\n]*)"?\s*$', daemons_file, re.MULTILINE))
        profile = values.get("frr_profile", profile)
        wanted = ["zebra", *(name for name in SUPPORTED[1:] if values.get(name) == "yes" and name in installed)]
    # staticd carries the config's static routes whether or not the file names it (FRR 8 starts it always)
    if "staticd" not in wanted and _STATIC_ROUTE.search(frr_conf):
        wanted.append("staticd")
    options = {name: shlex.split(values.get(f"{name}_options", "")) for name in wanted}
    return FrrSetup(tuple(wanted), options, profile)


def config_dir(namespace: str) -> Path:
    return CONFIG_ROOT / namespace


def run_dir(namespace: str) -> Path:
    return RUN_ROOT / namespace


def prepare(namespace: str, frr_conf: str) -> Path:
    """The path space's directories, owned by frr as the daemons need; returns the config file."""
    try:
        owner = pwd.getpwnam("frr")
    except KeyError:
        raise LabError("there is no 'frr' user: install FRR (apt-get install frr)") from None
    conf = config_dir(namespace) / "frr.conf"
    for directory in (config_dir(namespace), run_dir(namespace)):
        directory.mkdir(parents=True, exist_ok=True)
        os.chown(directory, owner.pw_uid, owner.pw_gid)
    conf.write_text(frr_conf, encoding="utf-8")
    (config_dir(namespace) / "vtysh.conf").write_text("service integrated-vtysh-config\n", encoding="utf-8")
    for path in (conf, config_dir(namespace) / "vtysh.conf"):
        os.chown(path, owner.pw_uid, owner.pw_gid)
    return conf


def start(namespace: str, setup: FrrSetup, conf: Path) -> dict[str, Outcome]:
    """Start each daemon daemonised, in order, up to the first that fails; they report config errors on the way up."""
    outcomes = {}
    for daemon in setup.daemons:
        log = run_dir(namespace) / f"{daemon}.log"
        argv = [str(DAEMON_DIR / daemon), "-N", namespace, "-d", "-F", setup.profile, "-f", str(conf),
                "--log", f"file:{log}", *setup.options.get(daemon, [])]
        outcomes[daemon] = run(in_netns(namespace, argv), timeout=30)
        if not outcomes[daemon].ok:
            break
    return outcomes


def pids(namespace: str) -> dict[str, int]:
    """The daemons of this path space, read from their pid files."""
    return pid_files(run_dir(namespace))


def started_by_lab(pid: int, namespace: str) -> bool:
    """Only a daemon whose command line names this path space is ours to stop."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return namespace.encode() in argv and any(arg.startswith(str(DAEMON_DIR).encode()) for arg in argv[:1])


def stop(namespace: str, pid_list: list[int]) -> list[str]:
    """Stop this path space's daemons; return what would not go."""
    mine = [pid for pid in pid_list if started_by_lab(pid, namespace)]
    return [f"FRR process {pid} of {namespace} did not stop" for pid in terminate(mine)]


def remove(namespace: str) -> None:
    for directory in (config_dir(namespace), run_dir(namespace)):
        shutil.rmtree(directory, ignore_errors=True)


def log_tail(namespace: str, daemon: str, lines: int = 15) -> str:
    try:
        text = (run_dir(namespace) / f"{daemon}.log").read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def _vtysh_argv(namespace: str, commands: list[str]) -> list[str]:
    return in_netns(namespace, ["vtysh", "-N", namespace, *(arg for command in commands for arg in ("-c", command))])


def vtysh(namespace: str, commands: list[str], *, timeout: float = 20.0) -> Outcome:
    return run(_vtysh_argv(namespace, commands), timeout=timeout)


def display_vtysh(namespace: str, command: str) -> str:
    """How a person would type one ``command`` of what ``vtysh`` runs: the evidence a check cites."""
    return shlex.join(_vtysh_argv(namespace, [command]))
