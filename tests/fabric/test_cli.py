"""The fabric command line as a user runs it: tables, findings, exit statuses, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT


def run(*command: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *command], cwd=cwd, capture_output=True, text=True, timeout=120,
                          check=False)


def fabric(*args: str) -> subprocess.CompletedProcess:
    """The command line as the installed ``weft`` script runs it (``python -m designer.fabric`` is the same)."""
    return run("-m", "designer.fabric", *args)


# what a command that only plans and checks must never wait for
HEAVY_FOR_LINT = ("django", "rest_framework", "celery", "daphne", "twisted", "channels", "jinja2", "graphviz",
                  "yaml", "cryptography", "designer.fabric.render", "designer.fabric.lab",
                  "designer.fabric.diagrams", "designer.fabric.bundle")


def test_the_weft_script_is_the_command_line():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    module, _, function = scripts["weft"].partition(":")
    assert (module, function) == ("designer.fabric.cli", "entry_point")
    result = run("-c", f"import sys; sys.argv = ['weft', '--help']; from {module} import {function}; {function}()")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: weft")
    for command in ("compile", "diagram", "generate", "lab", "lint", "plan"):
        assert f"    {command} " in result.stdout


def test_lint_loads_only_the_compiler():
    """``weft lint`` starts at once: no Django, no renderers, no lab, no Graphviz, no PyYAML writer."""
    probe = ("import sys; from designer.fabric.cli import main; status = main(['lint', sys.argv[1]]); "
             f"heavy = {HEAVY_FOR_LINT!r}; "
             "print('LOADED', sorted(m for m in sys.modules if any(m == h or m.startswith(h + '.') for h in heavy)))")
    result = run("-c", probe, str(EXAMPLES / "proxmox-evpn.yaml"))
    assert result.returncode == 0, result.stderr
    assert "0 errors" in result.stdout
    assert result.stdout.rstrip().endswith("LOADED []"), result.stdout


@pytest.mark.parametrize("command", [["lint"], ["compile", "--format", "tar.gz", "--no-diagrams", "--out"]])
def test_a_command_starts_reading_the_design_before_it_imports_the_compiler(command, tmp_path):
    """A large design's second half is parsed on the other core while the command imports the compiler."""
    arguments = [command[0], str(tmp_path / "fabric.yaml"), *command[1:], *([str(tmp_path)] if "--out" in command
                                                                            else [])]
    (tmp_path / "fabric.yaml").write_text((EXAMPLES / "proxmox-evpn.yaml").read_text())
    compiler = {"pydantic", "designer.fabric.spec", "designer.fabric.plan"}
    probe = ("import sys, designer.fabric.yaml_read as reading; started = reading.start_parsing; imported = []\n"
             "def start(*args, **kwargs):\n"
             f"    imported.append(sorted({compiler!r} & set(sys.modules)))\n"
             "    return started(*args, **kwargs)\n"
             "reading.start_parsing = start\n"
             "from designer.fabric.cli import main\n"
             f"status = main({arguments!r}); print('IMPORTED', imported, status)")
    result = run("-c", probe)
    assert result.stdout.rstrip().endswith("IMPORTED [[]] 0"), result.stdout + result.stderr


def test_manage_py_fabric_is_the_same_command_line():
    result = run("manage.py", "fabric", "plan", str(EXAMPLES / "proxmox-evpn.yaml"), "--table", "asn")
    assert result.returncode == 0, result.stderr
    assert result.stdout == fabric("plan", str(EXAMPLES / "proxmox-evpn.yaml"), "--table", "asn").stdout
    assert "10.255.254.5" in result.stdout


def test_plan_prints_every_table():
    result = fabric("plan", str(EXAMPLES / "proxmox-evpn.yaml"))
    assert result.returncode == 0, result.stderr
    for title in ("IP addresses", "ASNs, router-ids and loopbacks", "MTUs", "VNIs", "BGP sessions", "Cabling"):
        assert title in result.stdout
    assert "10.255.254.5/32" in result.stdout
    assert "vmbr202" in result.stdout


def test_plan_json_is_machine_readable():
    result = fabric("plan", str(EXAMPLES / "proxmox-evpn.yaml"), "--json", "--table", "asn")
    data = json.loads(result.stdout)
    (table,) = data["tables"]
    pve1 = next(row for row in table["rows"] if row["device"] == "pve1")
    assert pve1["router_id"] == "10.255.254.5"


def test_lint_exits_1_on_errors_and_names_them(tmp_path):
    text = (EXAMPLES / "proxmox-evpn.yaml").read_text()
    broken = text.replace("- {name: swp2, speed: 25G, role: uplink}",
                          "- {name: swp2, speed: 25G, role: uplink, mtu: 1500}", 1)
    path = tmp_path / "broken.yaml"
    path.write_text(broken)
    result = fabric("lint", str(path))
    assert result.returncode == 1
    assert "link-mtu-mismatch" in result.stdout and "pve2-leaf1" in result.stdout
    data = json.loads(fabric("lint", str(path), "--json").stdout)
    assert data["errors"] is True
    assert any(f["code"] == "link-mtu-mismatch" and "pve2-leaf1" in f["elements"] for f in data["findings"])
    checks = {check["code"]: check for check in data["checks"]}
    assert checks["link-mtu-mismatch"] == {"code": "link-mtu-mismatch", "severity": "error",
                                           "title": "The two ends of a link have MTUs that drop frames"}


def test_lint_exits_0_on_a_clean_design():
    result = fabric("lint", str(EXAMPLES / "proxmox-evpn.yaml"))
    assert result.returncode == 0
    assert "0 errors" in result.stdout


@pytest.mark.parametrize("content, expected", [
    ("name: x\ndevices: [\n", "line 2, column"),
    ("name: x\ndevices:\n  - {id: a, name: a, role: leaf, platform: frr, colour: red}\n", "devices[0].colour"),
    ("name: x\npools: {loopback_v4: 10.0.0.1/24}\n", "pools.loopback_v4"),
    ("name: x\nlinks:\n  - {id: l, a: {device: a, interface: e0}, b: {device: b, interface: e0}}\n",
     "links[0].a.device"),
])
def test_bad_input_exits_2_with_the_path_and_no_traceback(tmp_path, content, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    for command in ("plan", "lint"):
        result = fabric(command, str(path))
        assert result.returncode == 2
        assert expected in result.stderr
        assert "Traceback" not in result.stderr + result.stdout


def test_missing_file_exits_2(tmp_path):
    result = fabric("plan", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert "cannot read the design" in result.stderr


def test_generate_writes_a_design_that_plans(tmp_path):
    out = tmp_path / "fabric.yaml"
    result = fabric("generate", "leaf-spine", "--spines", "2", "--leaves", "4", "--hypervisors-per-leaf", "2",
                    "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "14 devices" in result.stderr
    lint = fabric("lint", str(out), "--json")
    assert lint.returncode == 0, lint.stdout
    sessions = json.loads(fabric("plan", str(out), "--json", "--table", "bgp").stdout)["tables"][0]["rows"]
    assert len(sessions) == 2 * 4 + 8 * 2  # leaf-spine mesh plus two uplinks per hypervisor


def test_a_nul_byte_in_a_yaml_file_exits_2_naming_its_line_and_writes_nothing(tmp_path):
    lines = (EXAMPLES / "proxmox-evpn.yaml").read_text().splitlines(keepends=True)
    line = next(number for number, text in enumerate(lines) if text.startswith("description:"))
    lines[line] = lines[line][:20] + "\x00" + lines[line][20:]
    path = tmp_path / "nul.yaml"
    path.write_text("".join(lines))
    for command in (("lint",), ("plan",), ("compile", "--out", str(tmp_path / "bundle"))):
        result = fabric(command[0], str(path), *command[1:])
        assert result.returncode == 2, (command, result.stdout)
        assert f"line {line + 1}, column 21" in result.stderr and "NUL" in result.stderr
        assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "bundle").exists()
