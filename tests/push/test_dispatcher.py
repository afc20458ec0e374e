"""The node-side dispatcher, the only program the deploy key may run: what it accepts, what it refuses."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

from designer.push.keys import DISPATCHER_PATH, authorized_keys_line, fingerprint, generate_deploy_key

from .nodes import payload

DISPATCHER = Path(__file__).resolve().parents[2] / "designer/push/node/dispatch.py"


def dispatch(state: Path, command: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    env = {**os.environ, "WEFT_STATE_DIR": str(state / "installed"), "WEFT_STAGE_DIR": str(state / "stage"),
           "SSH_ORIGINAL_COMMAND": command}
    return subprocess.run([sys.executable, str(DISPATCHER)], input=stdin, capture_output=True, env=env,
                          timeout=30, check=False)


def test_stage_unpacks_the_bundle_and_answers_its_manifest_hash(tmp_path):
    node = payload("leaf1")
    done = dispatch(tmp_path, "stage r7", node.tar())
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["manifest"] == node.manifest
    staged = tmp_path / "stage" / "r7"
    assert (staged / "etc/frr/frr.conf").read_bytes() == node.files["etc/frr/frr.conf"]
    assert os.stat(staged / "apply.sh").st_mode & 0o777 == 0o755


def test_stage_refuses_entries_that_climb_out_or_link(tmp_path):
    for name, kind in (("../../etc/passwd", tarfile.REGTYPE), ("apply.sh", tarfile.SYMTYPE)):
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w") as archive:
            info = tarfile.TarInfo(name)
            info.type = kind
            info.linkname = "/etc/shadow" if kind == tarfile.SYMTYPE else ""
            archive.addfile(info, io.BytesIO(b""))
        done = dispatch(tmp_path, "stage r1", buffer.getvalue())
        assert done.returncode == 2 and b"refusing bundle entry" in done.stderr
    assert not (tmp_path / "stage" / "r1").exists()


def test_anything_but_a_verb_is_refused(tmp_path):
    for command in ("bash -i", "check ../../x", "apply r1 1; reboot", "status --all", ""):
        done = dispatch(tmp_path, command)
        assert done.returncode == 2, command
    assert dispatch(tmp_path, "check r9").stderr.startswith(b"weft-dispatch: run r9 is not staged")


def test_status_before_anything_is_installed_says_so(tmp_path):
    done = dispatch(tmp_path, "status")
    assert done.returncode == 0 and json.loads(done.stdout)["applied"] is None


def test_the_authorized_keys_line_restricts_the_key_to_the_dispatcher():
    key = generate_deploy_key("weft-push@proxmox-evpn")
    line = authorized_keys_line(key.public, push_from=["10.0.0.5", "2001:db8::5"])
    assert line == (f'restrict,from="10.0.0.5,2001:db8::5",command="{DISPATCHER_PATH}" {key.public}')
    assert "PRIVATE" not in line and key.fingerprint == fingerprint(key.public)
    checked = subprocess.run(["ssh-keygen", "-lf", "-"], input=key.public.encode(), capture_output=True,
                             timeout=10, check=True)
    assert checked.stdout.split()[1].decode() == key.fingerprint


def test_status_without_an_engine_still_tells_the_record_a_rolled_back_first_install_left(tmp_path):
    record = {"manifest": None, "state": "confirmed", "pending": None,
              "last": {"run": "r3", "outcome": "rolled-back", "reason": "not confirmed in time"}}
    (tmp_path / "installed").mkdir()
    (tmp_path / "installed/applied.json").write_text(json.dumps(record))
    done = dispatch(tmp_path, "status")
    assert done.returncode == 0 and json.loads(done.stdout)["applied"]["last"]["outcome"] == "rolled-back"


def test_apply_runs_in_a_session_of_its_own_and_passes_on_its_output_and_status(tmp_path):
    node = payload("leaf1")
    assert dispatch(tmp_path, "stage r5", node.tar()).returncode == 0
    script = tmp_path / "stage/r5/apply.sh"  # stands in for the engine: says who it is and how it was asked
    script.write_text('#!/bin/sh\necho "session $(ps -o sid= $$) args $*"\necho restored >&2\nexit 3\n')
    done = dispatch(tmp_path, "apply r5 30")
    assert done.returncode == 3 and done.stderr == b"restored\n"
    said = done.stdout.decode().split()
    assert said[3:] == ["--confirm-timeout", "30", "--run", "r5", "--json"]
    assert int(said[1]) != os.getsid(0)  # not the caller's session: a dropped SSH session does not hang it up
