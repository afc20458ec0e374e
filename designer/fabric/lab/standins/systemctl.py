#!/usr/bin/env python3
"""The lab's stand-in for systemctl inside a node: PID 1 here is not systemd, so units are run by hand.

It reads the node's real unit files (``/etc/systemd/system``, ``/lib/systemd/system``) and does what
systemd would with them, for the verbs a bundle and a boot use: ``enable``/``disable``/``is-enabled``
make and read the ``.wants`` links their ``[Install]`` section names; ``start``/``stop``/``restart``/
``reload`` (and the ``try-``/``-or-`` forms) run ``ExecStartPre``/``ExecStart``/``ExecStartPost``,
``ExecStop`` and ``ExecReload`` with the unit's ``Environment``; ``is-active`` answers from what was
started. State lives in ``/run/lab-units`` (the node's own ``/run``, emptied by a reboot).
Standard library only: it runs as the node's ``/usr/bin/systemctl``.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import sys
import time

UNIT_DIRS = ("/etc/systemd/system", "/run/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system")
WANTS_ROOT = "/etc/systemd/system"  # where enable makes its links
STATE = "/run/lab-units"
START_TIMEOUT = 120


class UnitError(Exception):
    pass


class Unit:
    def __init__(self, name: str) -> None:
        if "." not in name:
            name += ".service"
        self.name = name
        self.instance = ""
        base = name
        stem, _, suffix = name.rpartition(".")
        if "@" in stem:
            prefix, _, self.instance = stem.partition("@")
            base = f"{prefix}@.{suffix}"
        self.path = next((os.path.join(d, name) for d in UNIT_DIRS if os.path.exists(os.path.join(d, name))), None)
        if self.path is None:
            self.path = next((os.path.join(d, base) for d in UNIT_DIRS if os.path.exists(os.path.join(d, base))), None)
        if self.path is None:
            raise UnitError(f"Unit {name} not found.")
        self.lines: dict[tuple[str, str], list[str]] = {}
        self._read(self.path)

    def _read(self, path: str) -> None:
        section = ""
        with open(path, encoding="utf-8") as handle:
            for raw in handle:
                line = raw.strip()
                if not line or line[0] in "#;":
                    continue
                if line.startswith("[") and line.endswith("]"):
                    section = line[1:-1]
                    continue
                key, _, value = line.partition("=")
                self.lines.setdefault((section, key.strip()), []).append(self._expand(value.strip()))

    def _expand(self, value: str) -> str:
        return (value.replace("%i", self.instance).replace("%I", self.instance).replace("%n", self.name)
                .replace("%N", self.name.rpartition(".")[0]).replace("%%", "%"))

    def get(self, section: str, key: str) -> list[str]:
        values = self.lines.get((section, key), [])
        if "" in values:  # an empty assignment resets the list, as systemd does
            values = values[len(values) - values[::-1].index(""):]
        return values

    def one(self, section: str, key: str, default: str = "") -> str:
        values = self.get(section, key)
        return values[-1] if values else default

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        for entry in self.get("Service", "EnvironmentFile"):
            optional = entry.startswith("-")
            path = entry.lstrip("-")
            try:
                with open(path, encoding="utf-8") as handle:
                    for raw in handle:
                        line = raw.strip()
                        if line and not line.startswith("#") and "=" in line:
                            key, _, value = line.partition("=")
                            env[key.strip()] = value.strip().strip('"').strip("'")
            except OSError:
                if not optional:
                    raise UnitError(f"{self.name}: cannot read EnvironmentFile {path}") from None
        for entry in self.get("Service", "Environment"):
            for assignment in shlex.split(entry):
                key, _, value = assignment.partition("=")
                env[key] = value
        return env

    # --- state ----------------------------------------------------------------------------------
    def _state(self, kind: str) -> str:
        return os.path.join(STATE, f"{self.name}.{kind}")

    def active(self) -> bool:
        pid = self._pid()
        if pid is not None:
            return _alive(pid)
        return os.path.exists(self._state("active"))

    def _pid(self) -> int | None:
        pidfile = self.one("Service", "PIDFile")
        for path in (pidfile, self._state("pid")):
            if path:
                with contextlib.suppress(OSError, ValueError), open(path, encoding="utf-8") as handle:
                    return int(handle.read().strip())
        return None

    # --- running --------------------------------------------------------------------------------
    def _run(self, key: str, env: dict[str, str]) -> None:
        for entry in self.get("Service", key):
            prefixes = entry[:len(entry) - len(entry.lstrip("-@+!:"))]
            line = entry[len(prefixes):]
            ignore = "-" in prefixes
            argv = shlex.split(line)
            done = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, timeout=START_TIMEOUT, check=False,
                                  stdout=sys.stdout, stderr=sys.stderr)
            if done.returncode != 0 and not ignore:
                raise UnitError(f"{self.name}: {key} {line} exited {done.returncode}")

    def start(self) -> None:
        if self.active():
            return
        os.makedirs(STATE, exist_ok=True)
        env = self.environment()
        kind = self.one("Service", "Type", "simple" if self.get("Service", "ExecStart") else "oneshot")
        self._run("ExecStartPre", env)
        if kind in ("oneshot", "forking"):
            self._run("ExecStart", env)
        else:  # simple, exec, notify, idle: the process is the service
            argv = shlex.split(self.get("Service", "ExecStart")[-1].lstrip("-@+!:"))
            with open(self._state("log"), "ab") as log:
                process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                           start_new_session=True)
            with open(self._state("pid"), "w", encoding="utf-8") as handle:
                handle.write(str(process.pid))
            time.sleep(0.2)
            if process.poll() is not None:
                raise UnitError(f"{self.name}: {argv[0]} exited {process.returncode} as it started")
        self._run("ExecStartPost", env)
        if kind != "forking" or not self.one("Service", "PIDFile"):
            with open(self._state("active"), "w", encoding="utf-8") as handle:
                handle.write("active\n")

    def stop(self) -> None:
        if not self.active():
            return
        env = self.environment()
        if self.get("Service", "ExecStop"):
            self._run("ExecStop", env)
        pid = self._pid()
        if pid is not None and _alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
        for kind in ("active", "pid"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._state(kind))

    def reload(self) -> None:
        if not self.get("Service", "ExecReload"):
            raise UnitError(f"Failed to reload {self.name}: Job type reload is not applicable for unit {self.name}.")
        if not self.active():
            raise UnitError(f"{self.name} is not active, cannot reload.")
        self._run("ExecReload", self.environment())

    # --- enablement -----------------------------------------------------------------------------
    def wants_links(self) -> list[str]:
        instance_name = self.name
        if self.instance == "" and "@." in self.name:
            default = self.one("Install", "DefaultInstance")
            if not default:
                raise UnitError(f"{self.name} is a template: name an instance")
            instance_name = self.name.replace("@.", f"@{default}.")
        links = []
        for key, kind in (("WantedBy", "wants"), ("RequiredBy", "requires")):
            for value in self.get("Install", key):
                links += [os.path.join(WANTS_ROOT, f"{target}.{kind}", instance_name)
                          for target in value.split()]
        return links

    def enable(self) -> None:
        links = self.wants_links()
        if not links:
            print(f"The unit {self.name} has no [Install] section: nothing to enable.", file=sys.stderr)
        for link in links:
            os.makedirs(os.path.dirname(link), exist_ok=True)
            if not os.path.lexists(link):
                os.symlink(self.path, link)
                print(f"Created symlink {link} → {self.path}.", file=sys.stderr)

    def disable(self) -> None:
        for link in self.wants_links():
            if os.path.lexists(link):
                os.unlink(link)
                print(f"Removed {link}.", file=sys.stderr)

    def enabled(self) -> bool:
        return any(os.path.lexists(link) for link in self.wants_links())


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def main(argv: list[str]) -> int:
    quiet = any(a in ("-q", "--quiet") for a in argv)
    now = "--now" in argv
    words = [a for a in argv if not a.startswith("-")]
    if not words:
        print("systemctl (lab stand-in): name a verb", file=sys.stderr)
        return 1
    verb, names = words[0], words[1:]
    if verb in ("daemon-reload", "reset-failed", "daemon-reexec"):
        return 0
    status = 0
    for name in names:
        try:
            unit = Unit(name)
            if verb == "enable":
                unit.enable()
                if now:
                    unit.start()
            elif verb == "disable":
                unit.disable()
                if now:
                    unit.stop()
            elif verb == "is-enabled":
                state = "enabled" if unit.enabled() else "disabled"
                if not quiet:
                    print(state)
                status |= state != "enabled"
            elif verb == "is-active":
                state = "active" if unit.active() else "inactive"
                if not quiet:
                    print(state)
                status |= state != "active"
            elif verb == "start":
                unit.start()
            elif verb == "stop":
                unit.stop()
            elif verb == "restart":
                unit.stop()
                unit.start()
            elif verb == "try-restart":
                if unit.active():
                    unit.stop()
                    unit.start()
            elif verb == "reload":
                unit.reload()
            elif verb in ("reload-or-restart", "try-reload-or-restart"):
                if verb == "try-reload-or-restart" and not unit.active():
                    continue
                if unit.get("Service", "ExecReload") and unit.active():
                    unit.reload()
                else:
                    unit.stop()
                    unit.start()
            elif verb == "status":
                print(f"{unit.name} - {'active' if unit.active() else 'inactive'} (lab stand-in for systemd)")
                status |= not unit.active()
            else:
                print(f"systemctl (lab stand-in): verb '{verb}' is not supported", file=sys.stderr)
                return 1
        except (UnitError, subprocess.TimeoutExpired, OSError) as error:
            print(str(error), file=sys.stderr)
            status = 1 if verb not in ("is-enabled", "is-active") else 4
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
