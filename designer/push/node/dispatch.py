#!/usr/bin/python3
"""Weft's node-side dispatcher: the only program the deploy key may run (the forced command of its
authorized_keys line). It reads the verb from SSH_ORIGINAL_COMMAND and runs one of:

    stage RUN            read this run's node bundle (a tar stream) from stdin into /var/lib/weft/stage/RUN
    check RUN            apply.sh --check of the staged bundle
    diff RUN             apply.sh --diff --json of the staged bundle
    apply RUN SECONDS    apply.sh --confirm-timeout SECONDS --run RUN of the staged bundle
    confirm RUN          keep run RUN: disarm its watchdog
    health               the installed engine's --health --json
    status               the installed engine's --status --json
    drift                the installed engine's --drift --json: what changed since the last apply

Runs are staged in /var/spool/weft (apply.py takes any path under /var/lib/weft for what is installed).
Anything else is refused with exit 2. Python 3 standard library only, as apply.py.
"""

import importlib.util
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import time

STATE = os.environ.get("WEFT_STATE_DIR", "/var/lib/weft")
STAGE = os.environ.get("WEFT_STAGE_DIR", "/var/spool/weft/stage")
ENGINE = os.path.join(STATE, "apply.py")
NOTHING_INSTALLED = {  # what the engine's verbs answer before any apply installed it
    "--status": {"node": None, "applied": None, "pending": None},
    "--health": {"node": None, "healthy": True, "checks": []},
    "--drift": {"node": None, "revision": None, "manifest": None, "run": None, "files": [], "runtime": [],
                "drifted": False},
}
KEEP_STAGED = 5
MAX_BUNDLE = 64 * 1024 * 1024
RUN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
SECONDS = re.compile(r"^[0-9]{1,5}$")
SAFE_PART = re.compile(r"^[A-Za-z0-9_.+@:=-]+$")


def fail(message, status=2):
    sys.stderr.write(f"weft-dispatch: {message}\n")
    sys.exit(status)


def staged(run):
    path = os.path.join(STAGE, run)
    if not os.path.isfile(os.path.join(path, "apply.sh")):
        fail(f"run {run} is not staged on this node: stage it first")
    return path


def safe_name(name):
    parts = name.split("/")
    return (name and not name.startswith("/") and all(SAFE_PART.match(p) and p not in (".", "..") for p in parts))


def stage(run):
    data = sys.stdin.buffer.read(MAX_BUNDLE + 1)
    if len(data) > MAX_BUNDLE:
        fail(f"the bundle is larger than {MAX_BUNDLE} bytes")
    target = os.path.join(STAGE, run)
    partial = target + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    os.makedirs(partial, mode=0o700)
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
            for member in archive.getmembers():
                if not safe_name(member.name) or not (member.isfile() or member.isdir()):
                    fail(f"refusing bundle entry {member.name!r}: only plain files and folders with plain names")
                path = os.path.join(partial, member.name)
                if member.isdir():
                    os.makedirs(path, exist_ok=True)
                    continue
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with archive.extractfile(member) as source, open(path, "wb") as out:
                    shutil.copyfileobj(source, out)
                os.chmod(path, member.mode & 0o755)
    except tarfile.TarError as exc:
        fail(f"the bundle is not a readable tar stream: {exc}")
    for name in ("apply.sh", "apply.py", "apply.json"):
        if not os.path.isfile(os.path.join(partial, name)):
            fail(f"the bundle has no {name}")
    manifest = staged_manifest(partial)
    shutil.rmtree(target, ignore_errors=True)
    os.rename(partial, target)
    prune(keep=run)
    json.dump({"run": run, "manifest": manifest, "bytes": len(data)}, sys.stdout)
    sys.stdout.write("\n")


def staged_manifest(folder):
    """The staged bundle's manifest hash, as its own engine computes it (one definition, the engine's)."""
    spec = importlib.util.spec_from_file_location("weft_staged_engine", os.path.join(folder, "apply.py"))
    engine_module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(engine_module)
        with open(os.path.join(folder, "apply.json"), "rb") as handle:
            return engine_module.manifest(json.loads(handle.read()))
    except (OSError, ValueError, AttributeError, SyntaxError) as exc:
        fail(f"the staged engine cannot tell the bundle's manifest hash: {exc}")


def prune(keep):
    """Keep the newest staged runs only; a run awaiting confirmation keeps its own backup under runs/."""
    entries = []
    for name in os.listdir(STAGE):
        path = os.path.join(STAGE, name)
        if name != keep and os.path.isdir(path):
            entries.append((os.path.getmtime(path), path))
    for _, path in sorted(entries, reverse=True)[KEEP_STAGED - 1:]:
        shutil.rmtree(path, ignore_errors=True)


def engine(*arguments):
    if not os.path.isfile(ENGINE):
        if arguments[0] in NOTHING_INSTALLED:
            answer = dict(NOTHING_INSTALLED[arguments[0]])
            applied = read_applied()
            if arguments[0] == "--status" and applied is not None:  # a first install rolled back leaves its record
                answer.update(applied=applied, pending=applied.get("pending"))
            json.dump(answer, sys.stdout)
            sys.stdout.write("\n")
            sys.exit(0)
        fail("nothing is installed by Weft on this node yet", 1)
    run_program(["python3", ENGINE, *arguments])


def read_applied():
    try:
        with open(os.path.join(STATE, "applied.json")) as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def run_detached(folder, argv):
    """Run an apply that must finish whatever becomes of this SSH session: in a session of its own, its output
    to files, so a dropped connection (the management path the apply just changed) neither hangs it up nor
    breaks its pipe. Its output and exit status are passed on if the caller is still there to read them."""
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    with open(os.path.join(folder, "apply.out"), "wb+") as out, open(os.path.join(folder, "apply.err"), "wb+") as err:
        child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True)
        status = child.wait()
        for source, target in ((out, sys.stdout.buffer), (err, sys.stderr.buffer)):
            source.seek(0)
            try:
                shutil.copyfileobj(source, target)
                target.flush()
            except OSError:
                pass  # the caller is gone; the node's own record says how the apply went
    sys.exit(status)


def run_program(argv):
    sys.stdout.flush()
    os.execvp(argv[0], argv)  # noqa: S606 - the verb becomes the command, its exit status the answer


def log(verb):
    try:
        with open(os.path.join(STATE, "dispatch.log"), "a") as handle:
            when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            handle.write(f"{when} {os.environ.get('SSH_CLIENT', '-').split(' ')[0]} {verb}\n")
    except OSError:
        pass


def main():
    words = os.environ.get("SSH_ORIGINAL_COMMAND", " ".join(sys.argv[1:])).split()
    if not words:
        fail("no verb: give one of stage, check, diff, apply, confirm, health, status, drift")
    verb, arguments = words[0], words[1:]
    os.makedirs(STAGE, mode=0o700, exist_ok=True)
    os.makedirs(STATE, mode=0o755, exist_ok=True)
    log(" ".join(words))
    if verb in ("stage", "check", "diff", "confirm") and len(arguments) == 1 and RUN.match(arguments[0]):
        run = arguments[0]
        if verb == "stage":
            return stage(run)
        if verb == "confirm":
            return engine("--confirm", run)
        flags = ["--check"] if verb == "check" else ["--diff", "--json"]
        return run_program([os.path.join(staged(run), "apply.sh"), *flags])
    if verb == "apply" and len(arguments) == 2 and RUN.match(arguments[0]) and SECONDS.match(arguments[1]):
        run, seconds = arguments
        return run_detached(staged(run), [os.path.join(staged(run), "apply.sh"), "--confirm-timeout", seconds,
                                          "--run", run, "--json"])
    if verb in ("health", "status", "drift") and not arguments:
        return engine(f"--{verb}", "--json")
    fail(f"refused: {' '.join(words)!r} is not a verb this key may run")


if __name__ == "__main__":
    main()
