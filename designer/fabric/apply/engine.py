#!/usr/bin/env python3
"""Take a node's generated files into use: check, back up, install, load, confirm or roll back.

Every node directory of a bundle carries this file as ``apply.py`` beside ``apply.json`` (the node's
files, the commands that check and load them, and what a healthy node looks like) and ``apply.sh``,
which runs it. It needs only Python 3's standard library: Debian and Proxmox have ``python3`` wherever
ifupdown2 runs. ``docs/apply.md`` (and ``apply.sh --help``) say what each verb does; in short:

    apply.sh                       check, install what changed, load it, restore on failure
    apply.sh --check               check only
    apply.sh --diff [--json]       what an apply would change, and how disruptive it is
    apply.sh --confirm-timeout S   apply, then roll back on its own unless confirmed within S seconds
    apply.sh --confirm RUN         keep that run
    apply.sh --health [--json]     the node's own view of its sessions, links and tunnels
    apply.sh --status [--json]     what is installed, and whether a run awaits confirmation
    apply.sh --drift [--json]      what changed on the node since the last apply

The server imports this module too: a review classifies two bundles of a node offline with
``node_diff``, the same code the node runs for ``--diff``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import difflib
import fcntl
import functools
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time

FORMAT = 1
STATE_DIR = "/var/lib/weft"
DISRUPTIONS = ("none", "files", "frr-reload", "interface-reload", "management")
LABELS = {"none": "no change", "files": "files only", "frr-reload": "FRR reload",
          "interface-reload": "interface reload", "management": "touches the management path"}
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED, EXIT_REFUSED = 0, 1, 2, 3, 4
CHECK_TIMEOUT, LOAD_TIMEOUT = 180, 600  # seconds one check, one load may take
HANDSHAKE_RECENT = 180  # seconds: WireGuard re-keys every two minutes while traffic flows
INTERFACES = "/etc/network/interfaces"
FRR_CONFIG = "/etc/frr/frr.conf"
FRR_RELOAD = "/usr/lib/frr/frr-reload.py"
RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
SECRET_LINE = re.compile(r"^(\s*(?:PrivateKey|PresharedKey)\s*=\s*).*$", re.IGNORECASE | re.MULTILINE)
REDACTED = "(redacted)"
FRR_NOISE = re.compile(r"^(frr version \S+|line vty)$")
STANZA_START = ("auto", "allow-", "iface", "source", "mapping", "rename")


class Failure(Exception):
    """A step failed; ``output`` is what its command printed."""

    def __init__(self, message: str, output: str = "") -> None:
        super().__init__(message)
        self.output = output


class Refused(Exception):
    """The node is in a state in which nothing may be applied."""


# --- small helpers ------------------------------------------------------------------------------

def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso(epoch: float) -> str:
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_bytes(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        return b""


def read_json(path: str) -> dict | None:
    data = read_bytes(path)
    return None if data is None else json.loads(data.decode())


def write_atomic(path: str, data: bytes, mode: int) -> None:
    """Write ``path`` whole or not at all: a temporary file beside it, synced, then renamed over it."""
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".weft-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)  # the Proxmox cluster filesystem takes 0600 and 0640 only
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_json(path: str, value: dict, mode: int = 0o644) -> None:
    write_atomic(path, (json.dumps(value, indent=2, sort_keys=True) + "\n").encode(), mode)


def manifest(facts: dict) -> str:
    """The node's manifest hash: every file's sha256, mode and step, the engine's, and health, but not which
    design revision they came from; two revisions that leave a node's bytes alone give it the same one."""
    own = {key: value for key, value in facts.items() if key != "design"}
    return sha256(json.dumps(own, sort_keys=True, separators=(",", ":")).encode())


def redact(text: str) -> str:
    """The text with private and preshared keys replaced: diffs and reports never carry them."""
    return SECRET_LINE.sub(lambda m: m.group(1) + REDACTED, text)


def worst(classes) -> str:
    return max(classes, key=DISRUPTIONS.index, default="none")


def run_command(command: str, env: dict, timeout: int) -> tuple[int, str]:
    """Run shell text; the exit status and everything it printed."""
    try:
        done = subprocess.run(["/bin/sh", "-c", command], env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as expired:
        out = expired.output.decode(errors="replace") if expired.output else ""
        return 124, out + f"\n(timed out after {timeout} s)"
    return done.returncode, done.stdout.decode(errors="replace")


def tool_output(argv: list[str], timeout: int = 60) -> tuple[int, str]:
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return 127, str(error)
    return done.returncode, done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")


# --- the node's facts and state -----------------------------------------------------------------

class Node:
    """One node's bundle directory (``here``, may be None for verbs that read only the installed state)
    and filesystem root (``root``: "" on the node, DESTDIR for an image)."""

    def __init__(self, here: str | None, root: str = "", log=None) -> None:
        self.here = here
        self.root = root.rstrip("/")
        self.facts = read_json(os.path.join(here, "apply.json")) if here else None
        self.log_stream = log if log is not None else sys.stderr
        self.keeps_log = False  # verbs that change the node keep a log of it; the read-only ones write nothing

    # where things are
    def on_node(self, path: str) -> str:
        return self.root + path

    @property
    def state_dir(self) -> str:
        return self.on_node(STATE_DIR)

    def state(self, *parts: str) -> str:
        return os.path.join(self.state_dir, *parts)

    @property
    def name(self) -> str:
        facts = self.facts or self.installed_facts() or {}
        return facts.get("node", os.uname().nodename)

    def installed_facts(self) -> dict | None:
        return read_json(self.state("apply.json"))

    def applied(self) -> dict | None:
        return read_json(self.state("applied.json"))

    def env(self) -> dict:
        env = dict(os.environ)
        env["PATH"] = env.get("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin:/usr/local/sbin"
        if self.here:
            env["here"] = self.here
        env["root"] = self.root
        return env

    def log(self, message: str) -> None:
        line = f"apply {self.name}: {message}"
        with contextlib.suppress(OSError):  # a caller gone (an SSH session cut) must not stop an apply halfway
            print(line, file=self.log_stream, flush=True)
        if not self.keeps_log:
            return
        with contextlib.suppress(OSError):
            os.makedirs(self.state_dir, exist_ok=True)
            with open(self.state("apply.log"), "a", encoding="utf-8") as handle:
                handle.write(f"{now()} {line}\n")

    @contextlib.contextmanager
    def lock(self, wait: float):
        """One apply, confirm or rollback at a time on this node."""
        os.makedirs(self.state_dir, exist_ok=True)
        handle = open(self.state("lock"), "a+")  # noqa: SIM115 - held for the block
        deadline = time.monotonic() + wait
        try:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        handle.seek(0)
                        holder = handle.read().strip() or "another apply"
                        raise Refused(f"the node is locked by {holder}") from None
                    time.sleep(0.2)
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}")
            handle.flush()
            yield
        finally:
            handle.close()


def node_files(facts: dict) -> dict[str, dict]:
    return facts.get("files", {}) if facts else {}


def steps(facts: dict | None) -> list[dict]:
    return facts.get("steps", []) if facts else []


def step_of(facts: dict | None, path: str) -> dict | None:
    index = node_files(facts).get(path, {}).get("step")
    return None if index is None else steps(facts)[index]


def file_class(facts: dict | None, path: str) -> str:
    step = step_of(facts, path)
    return step["disruption"] if step else "files"


# --- what would change --------------------------------------------------------------------------

def changes(node: Node) -> list[dict]:
    """Files to add, modify, re-mode or remove, against what is installed."""
    out = []
    for path, entry in sorted(node_files(node.facts).items()):
        installed = node.on_node(path)
        current = read_bytes(installed)
        if current is None:
            out.append({"path": path, "change": "add"})
        elif sha256(current) != entry["sha256"]:
            out.append({"path": path, "change": "modify"})
        elif (os.stat(installed).st_mode & 0o7777) != entry["mode"]:
            out.append({"path": path, "change": "mode"})
    applied = node.applied() or {}
    for path in sorted(applied.get("files", {})):
        if path not in node_files(node.facts) and os.path.lexists(node.on_node(path)):
            out.append({"path": path, "change": "remove"})
    return out


@functools.lru_cache(maxsize=64)  # a diff asks of the same two files several times
def parse_interfaces(text: str) -> tuple[dict[str, str], frozenset[str]]:
    """An ifupdown2 file as stanzas: interface -> its normalised ``iface`` block, and the ``auto`` set."""
    stanzas: dict[str, list[str]] = {}
    auto: set[str] = set()
    current: list[str] | None = None
    for raw in text.splitlines():
        words = (raw.split("#", 1)[0] if "#" in raw else raw).split()
        if not words:
            continue
        if words[0].startswith(STANZA_START):
            current = None
            if words[0] == "auto" or words[0].startswith("allow-"):
                auto.update(words[1:])
            elif words[0] == "iface" and len(words) > 1:
                current = stanzas.setdefault(words[1], [])
                current.append(" ".join(words[2:]))
            continue
        if current is not None:
            current.append(" ".join(words))
    return {name: "\n".join(lines) for name, lines in stanzas.items()}, frozenset(auto)


def lower_devices(text: str) -> dict[str, set[str]]:
    """Interface -> the interfaces it rests on (bond members, bridge ports, a VLAN's parent)."""
    stanzas, _ = parse_interfaces(text)
    out: dict[str, set[str]] = {}
    for name, body in stanzas.items():
        lowers = out.setdefault(name, set())
        for line in body.splitlines():
            key, _, rest = line.partition(" ")
            if key in ("bond-slaves", "bridge-ports", "vlan-raw-device", "bond-primary"):
                lowers.update(w for w in rest.split() if w != "none")
        if "." in name and not any(line.startswith("vlan-raw-device") for line in body.splitlines()):
            lowers.add(name.rsplit(".", 1)[0])
    return out


def interfaces_delta(old: str | None, new: str | None) -> dict | None:
    if old == new or new is None:
        return None
    old_stanzas, old_auto = parse_interfaces(old or "")
    new_stanzas, new_auto = parse_interfaces(new)
    return {
        "add": sorted(set(new_stanzas) - set(old_stanzas)),
        "remove": sorted(set(old_stanzas) - set(new_stanzas)),
        "modify": sorted(name for name in set(old_stanzas) & set(new_stanzas)
                         if old_stanzas[name] != new_stanzas[name] or (name in old_auto) != (name in new_auto)),
    }


def management_closure(names, *texts: str | None) -> set[str]:
    """The management interfaces and everything under them, by either version of the interfaces file."""
    lowers: dict[str, set[str]] = {}
    for text in texts:
        for name, below in lower_devices(text or "").items():
            lowers.setdefault(name, set()).update(below)
    found, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo.extend(lowers.get(name, ()))
    return found


def frr_delta(old: str, new: str, running: bool) -> dict | None:
    """FRR's own delta: ``frr-reload.py --test`` against the running daemons, or the installed file."""
    if not os.path.exists(FRR_RELOAD):
        return None
    with tempfile.TemporaryDirectory(prefix="weft-frr-") as work:
        new_path = os.path.join(work, "new.conf")
        with open(new_path, "w", encoding="utf-8") as handle:
            handle.write(new)
        argv = [sys.executable, FRR_RELOAD, "--test", "--stdout", "--log-level", "error", "--rundir", work]
        code, out = tool_output([*argv, new_path], timeout=120) if running else (1, "")
        if code != 0:
            old_path = os.path.join(work, "old.conf")
            with open(old_path, "w", encoding="utf-8") as handle:
                handle.write(old)
            code, out = tool_output([*argv, "--input", old_path, new_path], timeout=120)
            if code != 0:
                return {"error": out.strip()[-2000:], "lines_to_add": [], "lines_to_delete": []}
    return parse_frr_test(out)


def parse_frr_test(text: str) -> dict:
    """``frr-reload.py --test``'s two lists, without the lines every comparison with a running FRR shows
    (its exact version, ``line vty``): they change nothing."""
    sections: dict[str, list[str]] = {"lines_to_delete": [], "lines_to_add": []}
    current = None
    for line in text.splitlines():
        if line.strip() == "Lines To Delete":
            current = "lines_to_delete"
        elif line.strip() == "Lines To Add":
            current = "lines_to_add"
        elif current and line.strip() and not set(line.strip()) <= {"="} and not re.match(r"^\d{4}-\d\d-\d\d ", line) \
                and not FRR_NOISE.match(line.strip()):
            sections[current].append(line.rstrip())
    return sections


def unified(path: str, old: bytes | None, new: bytes | None) -> str:
    def lines(data: bytes | None) -> list[str]:
        return [] if data is None else redact(data.decode(errors="replace")).splitlines(keepends=True)

    old_name = "/dev/null" if old is None else f"a{path}"
    new_name = "/dev/null" if new is None else f"b{path}"
    return "".join(unified_diff(lines(old), lines(new), old_name, new_name))


class _Opcodes(difflib.SequenceMatcher):
    """difflib's grouping into hunks, over opcodes made elsewhere."""

    def __init__(self, opcodes: list[tuple[str, int, int, int, int]]):
        super().__init__(None, [], [])
        self._given = opcodes

    def get_opcodes(self):
        return self._given


def unified_diff(before: list[str], after: list[str], old_name: str, new_name: str, n: int = 3):
    """What ``difflib.unified_diff`` says, with the matcher run only between the two sides' common head and
    tail: a regenerated file mostly changes in a few places, so it compares tens of lines, not thousands,
    and a rendered file's many alike lines cannot mislead its junk heuristic."""
    shortest = min(len(before), len(after))
    head = 0
    while head < shortest and before[head] == after[head]:
        head += 1
    tail = 0
    while tail < shortest - head and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    if head == len(before) == len(after):
        return
    middle = difflib.SequenceMatcher(None, before[head:len(before) - tail], after[head:len(after) - tail])
    opcodes = [("equal", 0, head, 0, head)] if head else []
    opcodes += [(tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in middle.get_opcodes()]
    if tail:
        opcodes.append(("equal", len(before) - tail, len(before), len(after) - tail, len(after)))
    yield f"--- {old_name}\n"
    yield f"+++ {new_name}\n"
    for group in _Opcodes(opcodes).get_grouped_opcodes(n):
        yield f"@@ -{_hunk_range(group[0][1], group[-1][2])} +{_hunk_range(group[0][3], group[-1][4])} @@\n"
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (" " + line for line in before[i1:i2])
                continue
            yield from ("-" + line for line in before[i1:i2])
            yield from ("+" + line for line in after[j1:j2])


def _hunk_range(start: int, stop: int) -> str:
    """A hunk's lines as a unified diff numbers them: the first (1-based) and how many; an empty range
    names the line it follows."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + (1 if length else 0)},{length}"


def diff_report(node_name: str, old_facts: dict | None, new_facts: dict, removable: set[str], old_file, new_file,
                old_mode, management: set[str], frr_running: bool, with_frr: bool = True) -> dict:
    """The one shape ``--diff --json`` prints and a review shows: per file, FRR's and the interfaces'
    deltas, and the node's class.

    ``old_file``/``new_file``: path -> bytes or None; ``old_mode``: path -> mode or None; ``removable``:
    files an earlier apply installed that the new bundle no longer has.
    """
    files = []
    for path in sorted(set(node_files(new_facts)) | removable):
        old = old_file(path)
        if path not in node_files(new_facts):
            change, new = "remove", None
        else:
            new = new_file(path)
            if old is None:
                change = "add"
            elif old != new:
                change = "modify"
            elif old_mode(path) != node_files(new_facts)[path]["mode"]:
                change = "mode"
            else:
                continue
        facts = new_facts if new is not None else old_facts
        files.append({"path": path, "change": change, "class": file_class(facts, path),
                      "diff": unified(path, old, new)})
    changed = {entry["path"] for entry in files}
    interfaces = frr = None
    if INTERFACES in changed:
        old_text = (old_file(INTERFACES) or b"").decode(errors="replace")
        new_text = (new_file(INTERFACES) or b"").decode(errors="replace")
        interfaces = interfaces_delta(old_text, new_text)
        touched = set(interfaces["add"] + interfaces["remove"] + interfaces["modify"]) if interfaces else set()
        if touched & management_closure(management, old_text, new_text):
            for entry in files:
                if entry["path"] == INTERFACES:
                    entry["class"] = "management"
    if with_frr and FRR_CONFIG in changed and FRR_CONFIG in node_files(new_facts):
        frr = frr_delta((old_file(FRR_CONFIG) or b"").decode(errors="replace"),
                        new_file(FRR_CONFIG).decode(errors="replace"), frr_running)
    node_class = worst(entry["class"] for entry in files)
    return {"node": node_name, "class": node_class, "label": LABELS[node_class], "files": files,
            "frr": frr, "interfaces": interfaces}


def node_diff(old: dict | None, new: dict, *, frr: bool = True) -> dict:
    """Two bundles' directories of one node (relative path -> bytes, ``apply.json`` among them; ``old``
    None for a new node), compared offline the way the node compares what it has with a bundle.
    ``frr=False`` leaves FRR's delta out (None): a review of hundreds of nodes asks for it node by node."""
    new_facts = json.loads(new["apply.json"])
    old_facts = json.loads(old["apply.json"]) if old and "apply.json" in old else None

    def reader(tree):
        return lambda path: None if tree is None else tree.get(path.lstrip("/"))

    def old_mode(path: str) -> int | None:
        return node_files(old_facts).get(path, {}).get("mode")

    management = set(new_facts.get("management") or []) | set((old_facts or {}).get("management") or [])
    removable = set(node_files(old_facts)) - set(node_files(new_facts))
    report = diff_report(new_facts["node"], old_facts, new_facts, removable, reader(old), reader(new), old_mode,
                         management, frr_running=False, with_frr=frr)
    report["manifest"] = {"old": manifest(old_facts) if old_facts else None, "new": manifest(new_facts)}
    return report


# --- running checks and loads -------------------------------------------------------------------

def integrity(node: Node) -> list[str]:
    """Files of the bundle that are missing or not what ``apply.json`` says (a copy cut short)."""
    bad = []
    for path, entry in node_files(node.facts).items():
        data = read_bytes(os.path.join(node.here, path.lstrip("/")))
        if data is None:
            bad.append(f"{path} is missing from the bundle")
        elif sha256(data) != entry["sha256"]:
            bad.append(f"{path} does not match its sha256 in apply.json")
    return bad


def missing_tools(node: Node) -> list[str]:
    tools = sorted({tool for step in steps(node.facts) for tool in step.get("tools", [])})
    path = node.env()["PATH"]
    return [tool for tool in tools if shutil.which(tool, path=path) is None]


def run_checks(node: Node) -> None:
    missing = missing_tools(node)
    if missing:
        raise Failure(f"{', '.join(missing)} missing: install {'it' if len(missing) == 1 else 'them'} first")
    env = node.env()
    for step in steps(node.facts):
        for entry in step.get("check", []):
            code, out = run_command(entry["command"], env, CHECK_TIMEOUT)
            if code != 0:
                raise Failure(f"check failed for {', '.join(entry['files'])}: {entry['command']}", out)


def run_entries(node: Node, kind: str, facts_list: list[dict | None], changed: set[str],
                present: set[str]) -> list[str]:
    """Run the ``kind`` commands (verify, load, unload) for the ``changed`` files, in load order, each once.

    A command of one file runs when that file is in ``present`` (on the node now); a command shared by a
    step's files runs when any of them changed, there or gone (fail2ban reloads for a jail removed).
    ``facts_list``: the bundles to take steps from, the new one's and the previous one's, so a file only
    one of them has is still taken care of.
    """
    ran, seen, entries = [], set(), []
    for facts in facts_list:
        for step in steps(facts):
            for entry in step.get(kind, []):
                wanted = present if entry.get("per_file") else changed
                if set(entry["files"]) & wanted and entry["command"] not in seen:
                    seen.add(entry["command"])
                    entries.append((step["order"], entry["command"]))
    env = node.env()
    for _, command in sorted(entries, key=lambda item: item[0]):
        if node.root:
            continue  # an image being built: nothing runs there
        code, out = run_command(command, env, LOAD_TIMEOUT)
        if code != 0:
            raise Failure(f"{command} failed", out)
        ran.append(command)
    return ran


def run_ensures(node: Node, facts: dict | None) -> list[str]:
    """Bring back runtime state that drifted; returns what each ensure said it restored."""
    if node.root or facts is None:
        return []
    restored = []
    env = node.env()
    for step in sorted(steps(facts), key=lambda s: s["order"]):
        if not any(os.path.exists(node.on_node(p)) for p in step.get("files", [])):
            continue
        for entry in step.get("ensure", []):
            code, out = run_command(entry["command"], env, LOAD_TIMEOUT)
            if code != 0:
                raise Failure(f"{entry['command']} failed", out)
            if out.strip():
                restored.append(out.strip())
    return restored


# --- runs: backup, install, restore -------------------------------------------------------------

class Run:
    """One apply's directory under ``/var/lib/weft/runs``: the backup and what it needs to undo itself."""

    def __init__(self, node: Node, run_id: str) -> None:
        self.node = node
        self.id = run_id
        self.dir = node.state("runs", run_id)
        self.record_path = os.path.join(self.dir, "run.json")

    def create(self, touched: list[dict]) -> dict:
        """Back up what ``touched`` will replace; a failure here changes nothing on the node."""
        os.makedirs(os.path.join(self.dir, "backup"), exist_ok=True)
        os.makedirs(os.path.join(self.dir, "previous"), exist_ok=True)
        existed = {}
        for entry in touched:
            path = entry["path"]
            source = self.node.on_node(path)
            existed[path] = os.path.lexists(source)
            if existed[path]:
                target = os.path.join(self.dir, "backup", path.lstrip("/"))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                try:
                    shutil.copy2(source, target, follow_symlinks=False)
                except OSError as error:
                    raise Failure(f"could not back up {path}: {error.strerror}") from None
        for name in ("applied.json", "apply.json", "apply.py"):
            if os.path.exists(self.node.state(name)):
                shutil.copy2(self.node.state(name), os.path.join(self.dir, "previous", name))
        record = {"run": self.id, "touched": [], "existed": existed, "created": now()}
        write_json(self.record_path, record)
        return record

    def save(self, record: dict) -> None:
        write_json(self.record_path, record)

    def record(self) -> dict | None:
        return read_json(self.record_path)

    def previous(self, name: str) -> str:
        return os.path.join(self.dir, "previous", name)

    def restore_files(self, record: dict) -> list[str]:
        problems = []
        for path in record["touched"]:
            target = self.node.on_node(path)
            try:
                if record["existed"].get(path):
                    backup = os.path.join(self.dir, "backup", path.lstrip("/"))
                    data = read_bytes(backup)
                    write_atomic(target, data, os.stat(backup).st_mode & 0o7777)
                elif os.path.lexists(target):
                    os.unlink(target)
            except OSError as error:
                problems.append(f"could not put back {path}: {error}")
        return problems

    def restore_state(self) -> None:
        """The engine, facts and record of what was installed before this run; before the first run, none."""
        for name in ("applied.json", "apply.json", "apply.py"):
            saved = self.previous(name)
            if os.path.exists(saved):
                shutil.copy2(saved, self.node.state(name))
            elif name == "applied.json":  # nothing was installed before: nothing is now
                write_json(self.node.state(name), empty_record(self.node.name))
            elif name != "apply.py":  # the engine stays: it is what answers --status
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.node.state(name))


def install(node: Node, touched: list[dict], done: list[str]) -> None:
    """Install or remove each file; ``done`` grows with each one changed, for a rollback to undo."""
    for entry in touched:
        path = entry["path"]
        target = node.on_node(path)
        if entry["change"] == "remove":
            os.unlink(target)
        else:
            data = read_bytes(os.path.join(node.here, path.lstrip("/")))
            write_atomic(target, data, node_files(node.facts)[path]["mode"])
        done.append(path)


def put_back(node: Node, run: Run, record: dict, facts_list: list[dict | None]) -> list[str]:
    """Restore the backup of ``run`` and reload what it touched; returns what could not be done."""
    touched = set(record["touched"])
    problems = []
    added = {path for path in touched if not record["existed"].get(path)}
    try:  # what this run added goes out of use while its file is still there to say how (wg-quick down)
        run_entries(node, "unload", facts_list, added, added)
    except Failure as failure:
        problems.append(f"taking what the run added out of use failed: {failure} {failure.output.strip()[-500:]}")
    problems += run.restore_files(record)
    try:
        run_entries(node, "load", facts_list, touched, {p for p in touched if os.path.exists(node.on_node(p))})
        run_ensures(node, facts_list[0] if facts_list else None)
    except Failure as failure:
        problems.append(f"reloading the previous files failed: {failure} {failure.output.strip()[-500:]}")
    return problems


def applied_record(node: Node, run_id: str, state: str, outcome: str, reason: str = "",
                   pending: dict | None = None) -> dict:
    facts = node.facts
    return {
        "format": FORMAT,
        "node": facts["node"],
        "design": facts["design"],
        "manifest": manifest(facts),
        "run": run_id,
        "state": state,
        "installed_at": now(),
        "files": {path: entry["sha256"] for path, entry in sorted(node_files(facts).items())},
        "pending": pending,
        "last": {"run": run_id, "outcome": outcome, "at": now(), "reason": reason},
    }


def empty_record(name: str) -> dict:
    """``applied.json`` of a node on which no apply has installed anything (or the first was rolled back)."""
    return {"format": FORMAT, "node": name, "design": None, "manifest": None, "run": None, "state": "confirmed",
            "installed_at": None, "files": {}, "pending": None, "last": None}


def set_last(node: Node, run_id: str, outcome: str, reason: str = "") -> None:
    applied = node.applied() or empty_record(node.name)
    applied["last"] = {"run": run_id, "outcome": outcome, "at": now(), "reason": reason}
    write_json(node.state("applied.json"), applied)


def keep_installed_facts(node: Node) -> None:
    """The engine and facts of what is installed, for --health, --status, --confirm and the watchdog."""
    for name in ("apply.json", "apply.py"):
        write_atomic(node.state(name), read_bytes(os.path.join(node.here, name)), 0o644)


def refusals(node: Node) -> list[str]:
    out = []
    applied = node.applied() or {}
    pending = applied.get("pending")
    if pending:
        out.append(f"run {pending['run']} awaits confirmation until {pending['deadline']}: confirm it or let it "
                   "roll back first")
    if os.path.exists(node.on_node("/etc/network/interfaces.new")):
        out.append("Proxmox has pending network changes in /etc/network/interfaces.new: apply or revert them "
                   "in Proxmox first")
    frr = read_bytes(node.on_node(FRR_CONFIG))
    if frr is not None and os.path.isdir(node.on_node("/etc/pve/sdn")) and b"frr.conf.local" not in frr and \
            os.path.exists(node.on_node("/etc/pve/sdn/controllers.cfg")):
        out.append("/etc/frr/frr.conf is written by Proxmox SDN (an SDN controller is configured): "
                   "routing belongs to one of the two")
    return out


# --- the watchdog -------------------------------------------------------------------------------

def systemd_running(node: Node) -> bool:
    return not node.root and os.path.isdir("/run/systemd/system") and shutil.which("systemd-run") is not None


def arm_watchdog(node: Node, run_id: str, seconds: int) -> dict:
    deadline = time.time() + seconds
    engine = node.state("apply.py")
    if systemd_running(node):
        unit = f"weft-confirm-{run_id}"
        argv = ["systemd-run", f"--unit={unit}", f"--on-active={seconds}", "--timer-property=AccuracySec=100ms",
                f"--description=roll back run {run_id} unless confirmed", sys.executable, engine, "--rollback",
                run_id, "--reason", f"not confirmed within {seconds} s"]
        code, out = tool_output(argv)
        if code != 0:
            raise Failure("could not arm the watchdog with systemd-run", out)
        watchdog = f"systemd:{unit}"
    else:
        with open(node.state("apply.log"), "ab") as log:
            process = subprocess.Popen(
                [sys.executable, engine, "--watchdog", run_id, str(deadline)], stdin=subprocess.DEVNULL,
                stdout=log, stderr=log, close_fds=True, start_new_session=True, env=node.env())
        watchdog = f"pid:{process.pid}"
    return {"run": run_id, "deadline": iso(deadline), "deadline_epoch": deadline, "watchdog": watchdog}


def disarm_watchdog(pending: dict) -> None:
    kind, _, handle = pending.get("watchdog", "").partition(":")
    if kind == "systemd":
        tool_output(["systemctl", "stop", f"{handle}.timer", f"{handle}.service"])
        tool_output(["systemctl", "reset-failed", f"{handle}.timer", f"{handle}.service"])
    elif kind == "pid" and handle.isdigit():
        pid = int(handle)
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle_file:
                ours = pending["run"].encode() in handle_file.read()
        except OSError:
            ours = False
        if ours:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)


def watchdog(node: Node, run_id: str, deadline: float) -> int:
    """Sleep until ``deadline``, then roll ``run_id`` back unless it was confirmed meanwhile."""
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    while True:
        left = deadline - time.time()
        if left <= 0:
            break
        time.sleep(min(left, 1.0))
        applied = node.applied() or {}
        if (applied.get("pending") or {}).get("run") != run_id:
            return EXIT_OK  # confirmed, or rolled back by someone else
    return rollback(node, run_id, "not confirmed in time")


def rollback(node: Node, run_id: str, reason: str) -> int:
    with node.lock(wait=120):
        applied = node.applied() or {}
        if (applied.get("pending") or {}).get("run") != run_id:
            node.log(f"run {run_id} does not await confirmation: nothing to roll back")
            return EXIT_OK
        run = Run(node, run_id)
        record = run.record()
        new_facts = node.installed_facts()
        old_facts = read_json(run.previous("apply.json"))
        node.log(f"rolling back run {run_id}: {reason}")
        problems = put_back(node, run, record, [old_facts, new_facts])
        run.restore_state()
        set_last(node, run_id, "rolled-back", reason + ("; " + "; ".join(problems) if problems else ""))
        for problem in problems:
            node.log(problem)
        node.log(f"run {run_id} rolled back: the previous files are in use again")
    return EXIT_FAILED if problems else EXIT_OK


# --- verbs --------------------------------------------------------------------------------------

def new_run_id() -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + secrets.token_hex(3)


def apply(node: Node, run_id: str, confirm_timeout: int | None, wait: float) -> tuple[int, dict]:
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # the SSH session that started it may end: it carries on
    bad = integrity(node)
    if bad:
        node.log("the bundle is damaged: " + "; ".join(bad))
        return EXIT_USAGE, {"outcome": "failed", "reason": "; ".join(bad)}
    try:
        run_checks(node)
    except Failure as failure:
        node.log(f"{failure}: nothing was changed")
        print(failure.output, file=node.log_stream)
        return EXIT_FAILED, {"outcome": "failed", "reason": str(failure), "output": failure.output}
    if os.geteuid() != 0 and not node.root:
        node.log("installing needs root")
        return EXIT_FAILED, {"outcome": "failed", "reason": "installing needs root"}
    try:
        with node.lock(wait):
            refused = refusals(node)
            if refused:
                for reason in refused:
                    node.log(f"refused: {reason}")
                return EXIT_REFUSED, {"outcome": "refused", "reason": "; ".join(refused)}
            return apply_locked(node, run_id, confirm_timeout)
    except Refused as refused:
        node.log(str(refused))
        return EXIT_LOCKED, {"outcome": "locked", "reason": str(refused)}


def apply_locked(node: Node, run_id: str, confirm_timeout: int | None) -> tuple[int, dict]:
    touched = changes(node)
    if not touched:
        restored = run_ensures(node, node.facts)
        for message in restored:
            node.log(f"restored: {message}")
        keep_installed_facts(node)
        previous = node.applied() or {}
        record = applied_record(node, run_id, "confirmed", "nothing-to-do")  # the same bytes, maybe a newer revision
        if previous.get("manifest") == record["manifest"]:
            record.update(run=previous.get("run"), installed_at=previous.get("installed_at"))
        write_json(node.state("applied.json"), record)
        if not restored:
            node.log("nothing to do: every file is already installed")
        return EXIT_OK, {"outcome": "nothing-to-do", "installed": [], "removed": [], "restored": restored,
                         "loaded": []}
    run = Run(node, run_id)
    try:
        record = run.create(touched)
    except Failure as failure:
        node.log(f"{failure}: nothing was changed")
        return EXIT_FAILED, {"outcome": "failed", "reason": str(failure)}
    previous_facts = node.installed_facts()
    removing = {entry["path"] for entry in touched if entry["change"] == "remove"}
    loaded: list[str] = []
    try:
        # out of use first, while the files still say how (wg-quick down reads the file it brought up)
        loaded += run_entries(node, "unload", [previous_facts, node.facts], removing, removing)
        install(node, touched, record["touched"])
        run.save(record)
        changed = set(record["touched"])
        run_entries(node, "verify", [node.facts], changed, changed - removing)
        loaded += run_entries(node, "load", [node.facts, previous_facts], changed, changed - removing)
        restored = run_ensures(node, node.facts)
    except (Failure, OSError) as failure:
        output = getattr(failure, "output", "")
        node.log(f"a step failed: {failure}; putting back the files saved in {run.dir}")
        if output:
            print(output, file=node.log_stream)
        run.save(record)
        problems = put_back(node, run, record, [previous_facts, node.facts])
        for problem in problems:
            node.log(problem)
        set_last(node, run_id, "failed", str(failure))
        return EXIT_FAILED, {"outcome": "failed", "reason": str(failure), "output": output, "problems": problems}
    keep_installed_facts(node)
    pending = None
    if confirm_timeout and not node.root:
        pending = arm_watchdog(node, run_id, confirm_timeout)
    state = "pending" if pending else "confirmed"
    write_json(node.state("applied.json"), applied_record(node, run_id, state, "applied", pending=pending))
    installed = [e["path"] for e in touched if e["change"] != "remove"]
    removed = [e["path"] for e in touched if e["change"] == "remove"]
    node.log(f"installed {len(installed)} and removed {len(removed)} files, ran {len(loaded)} loads; "
             f"the previous files are in {run.dir}")
    if pending:
        node.log(f"run {run_id} rolls back at {pending['deadline']} unless confirmed: apply.sh --confirm {run_id}")
    return EXIT_OK, {"outcome": "applied", "installed": installed, "removed": removed, "loaded": loaded,
                     "restored": restored, "pending": pending}


def confirm(node: Node, run_id: str) -> tuple[int, dict]:
    with node.lock(wait=60):
        applied = node.applied() or {}
        pending = applied.get("pending") or {}
        if pending.get("run") == run_id and time.time() > pending.get("deadline_epoch", 0):
            message = f"run {run_id} passed its deadline ({pending['deadline']}): the node rolls it back"
            node.log(message)
            return EXIT_FAILED, {"run": run_id, "outcome": "late", "reason": message}
        if pending.get("run") == run_id:
            disarm_watchdog(pending)
            applied["pending"] = None
            applied["state"] = "confirmed"
            applied["last"] = {"run": run_id, "outcome": "confirmed", "at": now(), "reason": ""}
            write_json(node.state("applied.json"), applied)
            node.log(f"run {run_id} confirmed")
            return EXIT_OK, {"run": run_id, "outcome": "confirmed"}
        last = applied.get("last") or {}
        if last.get("run") == run_id and last.get("outcome") == "rolled-back":
            message = f"run {run_id} was rolled back at {last['at']}: {last['reason']}"
            node.log(message)
            return EXIT_FAILED, {"run": run_id, "outcome": "rolled-back", "reason": message}
        if applied.get("run") == run_id and applied.get("state") == "confirmed":
            return EXIT_OK, {"run": run_id, "outcome": "confirmed"}
        message = f"no run {run_id} awaits confirmation"
        node.log(message)
        return EXIT_FAILED, {"run": run_id, "outcome": "unknown", "reason": message}


def diff(node: Node) -> dict:
    applied = node.applied() or {}

    def installed(path: str) -> bytes | None:
        return read_bytes(node.on_node(path))

    def staged(path: str) -> bytes | None:
        return read_bytes(os.path.join(node.here, path.lstrip("/")))

    removable = {path for path in applied.get("files", {})
                 if path not in node_files(node.facts) and os.path.lexists(node.on_node(path))}
    management = set(node.facts.get("management") or []) | runtime_management()
    report = diff_report(node.facts["node"], node.installed_facts(), node.facts, removable, installed, staged,
                         lambda path: _mode(node.on_node(path)), management,
                         frr_running=not node.root and frr_running())
    report["installed"] = {k: applied.get(k) for k in ("design", "manifest", "run", "state")} if applied else None
    report["target"] = {"design": node.facts["design"],
                        "manifest": manifest(node.facts)}
    report["refusals"] = refusals(node)
    return report


def _mode(path: str) -> int | None:
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return None


def runtime_management() -> set[str]:
    """The interface this SSH session came in on, if any: changing it may cut the caller off."""
    connection = os.environ.get("SSH_CONNECTION", "").split()
    if len(connection) < 3:
        return set()
    code, out = tool_output(["ip", "-j", "route", "get", connection[0]])
    if code != 0:
        return set()
    with contextlib.suppress(ValueError, IndexError, KeyError):
        return {json.loads(out)[0]["dev"]}
    return set()


def frr_running() -> bool:
    code, _ = tool_output(["vtysh", "-c", "show version"], timeout=20)
    return code == 0


def health(node: Node) -> dict:
    facts = node.installed_facts() if node.here is None or node.facts is None else node.facts
    if node.here is not None and node.applied():
        facts = node.installed_facts() or facts
    expect = (facts or {}).get("health", {})
    checks = [_health_bgp(expect.get("bgp")), _health_links(expect.get("links", [])), _health_ifquery(facts),
              _health_wireguard(expect.get("wireguard", []))]
    checks = [check for check in checks if check is not None]
    return {"node": (facts or {}).get("node", node.name), "healthy": all(c["ok"] for c in checks), "checks": checks}


def _health_bgp(expect: dict | None) -> dict | None:
    if not expect or not (expect.get("neighbors") or expect.get("dynamic")):
        return None
    code, out = tool_output(["vtysh", "-c", "show bgp summary json"], timeout=30)
    states: dict[str, set[str]] = {}
    dynamic = 0
    try:
        summary = json.loads(out) if code == 0 else {}
    except ValueError:
        summary = {}
    for section in summary.values():
        if isinstance(section, dict):
            for peer, peer_facts in section.get("peers", {}).items():
                states.setdefault(peer.lstrip("*"), set()).add(peer_facts.get("state", "unknown"))
                if peer.startswith("*") or peer_facts.get("dynamicPeer"):
                    dynamic += peer_facts.get("state") == "Established"
    items = []
    for neighbor in expect.get("neighbors", []):
        seen = states.get(neighbor["peer"], set())
        items.append({"peer": neighbor["peer"], "description": neighbor.get("description", ""),
                      "state": "Established" if "Established" in seen else (", ".join(sorted(seen)) or "absent"),
                      "ok": "Established" in seen})
    wanted_dynamic = expect.get("dynamic", 0)
    if wanted_dynamic:
        items.append({"peer": "dynamic neighbors", "state": f"{dynamic} of {wanted_dynamic} Established",
                      "ok": dynamic >= wanted_dynamic})
    up = sum(1 for item in items if item["ok"])
    detail = f"{up} of {len(items)} planned sessions Established"
    if code != 0:
        detail += f" (vtysh: {out.strip()[:200]})"
    return {"name": "bgp", "ok": up == len(items), "detail": detail, "items": items}


def _health_links(expect: list[dict]) -> dict | None:
    if not expect:
        return None
    code, out = tool_output(["ip", "-j", "link", "show"])
    try:
        links = {link["ifname"]: link for link in json.loads(out)} if code == 0 else {}
    except ValueError:
        links = {}
    items = []
    for wanted in expect:
        link = links.get(wanted["name"])
        problems = []
        if link is None:
            problems.append("absent")
        else:
            flags = link.get("flags", [])
            if "UP" not in flags:
                problems.append("down")
            if wanted.get("carrier") and "LOWER_UP" not in flags:
                problems.append("no carrier")
            if wanted.get("mtu") and link.get("mtu") != wanted["mtu"]:
                problems.append(f"MTU {link.get('mtu')}, planned {wanted['mtu']}")
        items.append({"link": wanted["name"], "ok": not problems, "state": ", ".join(problems) or "up"})
    bad = [item for item in items if not item["ok"]]
    return {"name": "links", "ok": not bad, "detail": f"{len(items) - len(bad)} of {len(items)} links up at their "
            "planned MTU", "items": items}


def _health_ifquery(facts: dict | None) -> dict | None:
    if INTERFACES not in node_files(facts) or shutil.which("ifquery", path=os.environ.get("PATH", "") +
                                                             ":/usr/sbin:/sbin") is None:
        return None
    code, out = tool_output(["ifquery", "-a", "-c"], timeout=60)
    failing = [line.strip() for line in out.splitlines() if "[fail]" in line]
    ok = code == 0 and not failing
    return {"name": "ifquery", "ok": ok, "detail": "the running interfaces match the file" if ok else
            f"{len(failing) or 'some'} lines differ", "items": [{"line": line} for line in failing[:50]]}


def _health_wireguard(expect: list[dict]) -> dict | None:
    if not expect:
        return None
    items = []
    for interface in expect:
        code, out = tool_output(["wg", "show", interface["interface"], "latest-handshakes"])
        latest = {}
        for line in out.splitlines() if code == 0 else []:
            parts = line.split()
            if len(parts) == 2 and parts[1].isdigit():
                latest[parts[0]] = int(parts[1])
        for peer in interface.get("peers", []):
            seen = latest.get(peer["public_key"], 0)
            age = time.time() - seen if seen else None
            ok = age is not None and age <= HANDSHAKE_RECENT
            items.append({"interface": interface["interface"], "peer": peer["name"], "ok": ok or not peer.get(
                "endpoint"), "state": "never" if age is None else f"{int(age)} s ago"})
    bad = [item for item in items if not item["ok"]]
    return {"name": "wireguard", "ok": not bad, "detail": f"{len(items) - len(bad)} of {len(items)} peers with a "
            f"recent handshake", "items": items}


def status(node: Node) -> dict:
    applied = node.applied()
    pending = (applied or {}).get("pending")
    if pending:
        pending = dict(pending, seconds_left=max(0, int(pending.get("deadline_epoch", 0) - time.time())))
    return {"node": node.name, "applied": applied, "pending": pending}


def drift(node: Node) -> dict:
    """What changed on the node since the last apply: files, and runtime against the files."""
    applied = node.applied() or {}
    files = []
    for path, digest in sorted(applied.get("files", {}).items()):
        data = read_bytes(node.on_node(path))
        if data is None:
            files.append({"path": path, "change": "missing"})
        elif sha256(data) != digest:
            files.append({"path": path, "change": "modified"})
    runtime = []
    if FRR_CONFIG in applied.get("files", {}) and os.path.exists(FRR_RELOAD) and not node.root:
        if not frr_running():
            runtime.append({"what": "frr", "detail": "FRR does not answer (vtysh)"})
        else:
            code, out = tool_output([sys.executable, FRR_RELOAD, "--test", "--stdout", "--log-level", "error",
                                     node.on_node(FRR_CONFIG)], timeout=120)
            delta = parse_frr_test(out)
            if code != 0 or delta["lines_to_add"] or delta["lines_to_delete"]:
                runtime.append({"what": "frr", "detail": "the running FRR differs from /etc/frr/frr.conf",
                                "delta": delta})
    ifquery = _health_ifquery(node.installed_facts()) if not node.root else None
    if ifquery is not None and not ifquery["ok"]:
        runtime.append({"what": "interfaces", "detail": ifquery["detail"], "items": ifquery["items"]})
    for path in applied.get("files", {}):
        match = re.fullmatch(r"/etc/wireguard/([A-Za-z0-9_=+.-]+)\.conf", path)
        if match and not node.root:
            code, shown = tool_output(["wg", "showconf", match[1]])
            code2, stripped = tool_output(["wg-quick", "strip", match[1]])
            if code != 0:
                runtime.append({"what": f"wireguard {match[1]}", "detail": "the interface is down"})
            elif code2 == 0 and _wg_peers(shown) != _wg_peers(stripped):
                runtime.append({"what": f"wireguard {match[1]}", "detail": "its peers differ from the file"})
    return {"node": node.name, "revision": applied.get("design"), "manifest": applied.get("manifest"),
            "run": applied.get("run"), "files": files, "runtime": runtime, "drifted": bool(files or runtime)}


def _wg_peers(text: str) -> set[tuple[str, str]]:
    peers, key = set(), None
    for line in text.splitlines():
        name, _, value = (part.strip() for part in line.partition("="))
        if name == "PublicKey":
            key = value
        elif name == "AllowedIPs" and key:
            peers.add((key, ",".join(sorted(v.strip() for v in value.split(",")))))
    return peers


# --- the command line ---------------------------------------------------------------------------

def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="apply.sh", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Take this node's files into use: check each with the tool that reads it, back up what it "
                    "replaces, install, load, and put the backup back if any step fails.",
        epilog="Exit: 0 done, 1 failed (nothing changed, or restored), 2 usage or damaged bundle, 3 locked, "
               "4 refused.\nDESTDIR=dir installs under dir (an image being built) and loads nothing.\n"
               f"State on the node: {STATE_DIR}/applied.json, runs/, apply.log.")
    verbs = p.add_mutually_exclusive_group()
    verbs.add_argument("--check", action="store_true", help="only check every file")
    verbs.add_argument("--diff", action="store_true", help="show what an apply would change and its class")
    verbs.add_argument("--confirm", metavar="RUN", help="keep RUN, applied with --confirm-timeout")
    verbs.add_argument("--health", action="store_true", help="the node's own view of sessions, links, tunnels")
    verbs.add_argument("--status", action="store_true", help="what is installed; whether a run awaits confirmation")
    verbs.add_argument("--drift", action="store_true", help="what changed on the node since the last apply")
    verbs.add_argument("--rollback", metavar="RUN", help=argparse.SUPPRESS)
    verbs.add_argument("--watchdog", nargs=2, metavar=("RUN", "DEADLINE"), help=argparse.SUPPRESS)
    p.add_argument("--confirm-timeout", type=int, metavar="S",
                   help="roll back on its own unless `--confirm RUN` arrives within S seconds")
    p.add_argument("--run", metavar="ID", help="the run's id (default: made from the time)")
    p.add_argument("--wait", type=float, default=30.0, metavar="S",
                   help="how long to wait for another apply to finish (default 30)")
    p.add_argument("--json", action="store_true", help="print the result as JSON on stdout")
    p.add_argument("--reason", default="rolled back by hand", help=argparse.SUPPRESS)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    here = os.path.dirname(os.path.abspath(__file__))
    bundle = os.path.exists(os.path.join(here, "apply.sh"))  # else the copy the node keeps in its state folder
    node = Node(here if bundle else None, os.environ.get("DESTDIR", ""))
    for run_id in (args.run, args.confirm, args.rollback):
        if run_id is not None and not RUN_ID.match(run_id):
            print(f"apply: '{run_id}' is not a run id (letters, digits, '_', '.', '-')", file=sys.stderr)
            return EXIT_USAGE
    if args.confirm_timeout is not None and args.confirm_timeout < 1:
        print("apply: --confirm-timeout needs at least 1 second", file=sys.stderr)
        return EXIT_USAGE

    def emit(value: dict, text: str | None = None) -> None:
        if args.json:
            print(json.dumps(value, indent=2, sort_keys=True))
        elif text:
            print(text)

    node.keeps_log = not (args.check or args.diff or args.health or args.status or args.drift)
    try:
        if args.watchdog:
            return watchdog(node, args.watchdog[0], float(args.watchdog[1]))
        if args.rollback:
            return rollback(node, args.rollback, args.reason)
        if args.confirm:
            code, result = confirm(node, args.confirm)
            emit(result)
            return code
        if args.status:
            result = status(node)
            emit(result, json.dumps(result, indent=2, sort_keys=True))
            return EXIT_OK
        if args.health:
            result = health(node)
            emit(result, "\n".join(f"{'ok  ' if c['ok'] else 'FAIL'}  {c['name']}: {c['detail']}"
                                   for c in result["checks"]) or "nothing planned to check")
            return EXIT_OK if result["healthy"] else EXIT_FAILED
        if args.drift:
            result = drift(node)
            emit(result, json.dumps(result, indent=2, sort_keys=True))
            return EXIT_OK
        if node.facts is None:
            print("apply: run apply.sh from a bundle's node directory (apply.json is missing)", file=sys.stderr)
            return EXIT_USAGE
        if args.diff:
            result = diff(node)
            emit(result, _diff_text(result))
            return EXIT_OK
        if args.check:
            bad = integrity(node)
            if bad:
                node.log("the bundle is damaged: " + "; ".join(bad))
                return EXIT_USAGE
            try:
                run_checks(node)
            except Failure as failure:
                node.log(f"{failure}: nothing was changed")
                print(failure.output, file=sys.stderr)
                return EXIT_FAILED
            node.log("every file passes its check")
            return EXIT_OK
        run_id = args.run or new_run_id()
        code, result = apply(node, run_id, args.confirm_timeout, args.wait)
        result["run"] = run_id
        emit(result)
        return code
    except Refused as refused:
        print(f"apply {node.name}: {refused}", file=sys.stderr)
        return EXIT_LOCKED


def _diff_text(report: dict) -> str:
    lines = [f"{report['node']}: {report['label']}"]
    lines += [f"refused: {reason}" for reason in report["refusals"]]
    for entry in report["files"]:
        lines.append(f"  {entry['change']:<6} {entry['path']}  ({LABELS[entry['class']]})")
    if report["frr"]:
        for key, title in (("lines_to_delete", "FRR lines to delete"), ("lines_to_add", "FRR lines to add")):
            if report["frr"].get(key):
                lines += [f"{title}:", *(f"  {line}" for line in report["frr"][key])]
    if report["interfaces"]:
        for key in ("add", "remove", "modify"):
            if report["interfaces"][key]:
                lines.append(f"interfaces to {key}: {', '.join(report['interfaces'][key])}")
    lines += [entry["diff"] for entry in report["files"] if entry["diff"]]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
