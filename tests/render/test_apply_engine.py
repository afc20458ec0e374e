"""The apply engine on a node image (DESTDIR): what it installs, removes, refuses, and how it tells a change."""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import os
import subprocess
from pathlib import Path

import pytest

from designer.fabric.apply import engine, node_diff
from designer.fabric.apply.engine import manifest
from tests.render.bundles import bundle, need_tool, node_tree, run_ifupdown2, variant

pytestmark = pytest.mark.tools
TOOLS = ("vtysh", "ifup", "nft", "sysctl", "ifreload", "systemctl", "wg-quick", "fail2ban-client")


@pytest.fixture(autouse=True)
def _tools():
    for tool in TOOLS:
        need_tool(tool)
    if os.geteuid() != 0:
        pytest.skip("nft -c asks the kernel, which needs root")


def _env(root: Path) -> dict[str, str]:
    return {**os.environ, "PATH": f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin", "DESTDIR": str(root)}


def _write(built, node: str, where: Path) -> Path:
    for rel, data in node_tree(built, node).items():
        target = where / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        target.chmod(built.mode(f"{node}/{rel}"))
    return where / "apply.sh"


def _apply(script: Path, root: Path, *args: str) -> subprocess.CompletedProcess:
    return run_ifupdown2([str(script), *args], env=_env(root))


def _json(result: subprocess.CompletedProcess) -> dict:
    assert result.stdout, result.stderr
    return json.loads(result.stdout)


def _reseal(node_dir: Path, path: str, text: str) -> None:
    """Change a file of the node's bundle as a generator would have written it: its sha256 in apply.json too."""
    (node_dir / path.lstrip("/")).write_text(text)
    facts = json.loads((node_dir / "apply.json").read_text())
    facts["files"][path]["sha256"] = hashlib.sha256(text.encode()).hexdigest()
    (node_dir / "apply.json").write_text(json.dumps(facts))


def _with_jail(data: dict) -> None:
    data["fail2ban"].append({"name": "pveproxy", "failregex": ["^authentication failure; rhost=<HOST>"],
                             "logpath": "/var/log/daemon.log", "port": "8006", "devices": ["pve1"]})


def _vni_mtu(data: dict) -> None:
    next(net for net in data["networks"] if net["id"] == "vni201")["mtu"] = 1500


def test_an_unchanged_bundle_installs_and_reloads_nothing(tmp_path):
    script = _write(bundle("proxmox-evpn"), "pve1", tmp_path / "b")
    first = _json(_apply(script, tmp_path / "root", "--json"))
    assert first["outcome"] == "applied" and "/etc/frr/frr.conf" in first["installed"]
    second = _apply(script, tmp_path / "root", "--json")
    assert second.returncode == 0
    assert _json(second) | {"run": None} == {"outcome": "nothing-to-do", "installed": [], "removed": [], "loaded": [],
                                             "restored": [], "run": None}
    applied = json.loads((tmp_path / "root/var/lib/weft/applied.json").read_text())
    assert applied["manifest"] == manifest(json.loads((script.parent / "apply.json").read_bytes()))
    assert applied["state"] == "confirmed" and applied["pending"] is None


def test_a_bundle_with_one_broken_file_installs_nothing(tmp_path):
    script = _write(bundle("proxmox-evpn"), "pve1", tmp_path / "b")
    frr = (script.parent / "etc/frr/frr.conf").read_text()
    _reseal(script.parent, "/etc/frr/frr.conf", frr.replace(" no bgp default ipv4-unicast\n",
                                                            " no bgp default ipv4-unicorn\n"))
    result = _apply(script, tmp_path / "root")
    assert result.returncode == 1
    assert "nothing was changed" in result.stderr and "ipv4-unicorn" in result.stderr
    assert not (tmp_path / "root/etc").exists() and not (tmp_path / "root/var/lib/weft/applied.json").exists()


def test_a_bundle_cut_short_is_refused_before_any_check(tmp_path):
    script = _write(bundle("proxmox-evpn"), "pve1", tmp_path / "b")
    (script.parent / "etc/frr/frr.conf").write_text("frr version 8.4\n")
    result = _apply(script, tmp_path / "root")
    assert result.returncode == 2 and "/etc/frr/frr.conf does not match its sha256" in result.stderr
    assert not (tmp_path / "root/etc").exists()


def test_a_file_the_bundle_no_longer_has_is_backed_up_and_removed(tmp_path):
    root = tmp_path / "root"
    _apply(_write(variant("proxmox-evpn", _with_jail), "pve1", tmp_path / "old"), root)
    assert (root / "etc/fail2ban/jail.d/pveproxy.conf").exists()
    result = _json(_apply(_write(bundle("proxmox-evpn"), "pve1", tmp_path / "new"), root, "--json"))
    assert sorted(result["removed"]) == ["/etc/fail2ban/filter.d/pveproxy.conf", "/etc/fail2ban/jail.d/pveproxy.conf"]
    assert not (root / "etc/fail2ban/jail.d/pveproxy.conf").exists()
    backups = list((root / "var/lib/weft/runs").glob("*/backup/etc/fail2ban/jail.d/pveproxy.conf"))
    assert len(backups) == 1
    applied = json.loads((root / "var/lib/weft/applied.json").read_text())
    assert "/etc/fail2ban/jail.d/pveproxy.conf" not in applied["files"]


def _diff(tmp_path: Path, old, new, node: str) -> dict:
    root = tmp_path / "root"
    assert _apply(_write(old, node, tmp_path / "old"), root).returncode == 0
    return _json(_apply(_write(new, node, tmp_path / "new"), root, "--diff", "--json"))


def _changed(old, new, node: str) -> set[str]:
    before, after = node_tree(old, node), node_tree(new, node)
    return {f"/{rel}" for rel in before.keys() | after.keys()
            if rel.startswith("etc/") and before.get(rel) != after.get(rel)}


def test_diff_of_a_vni_mtu_change_names_exactly_the_changed_files_and_an_interface_reload(tmp_path):
    old, new = bundle("proxmox-evpn"), variant("proxmox-evpn", _vni_mtu)
    report = _diff(tmp_path, old, new, "pve1")
    assert {entry["path"] for entry in report["files"]} == _changed(old, new, "pve1") == {"/etc/network/interfaces"}
    assert report["class"] == "interface-reload" and report["label"] == "interface reload"
    assert report["interfaces"]["modify"] and not report["interfaces"]["add"]
    assert "-    mtu 9000" in report["files"][0]["diff"] or "mtu 9000" in report["files"][0]["diff"]


def test_diff_after_adding_a_fail2ban_jail_is_files_only(tmp_path):
    report = _diff(tmp_path, bundle("proxmox-evpn"), variant("proxmox-evpn", _with_jail), "pve1")
    assert [(e["path"], e["change"]) for e in report["files"]] == [
        ("/etc/fail2ban/filter.d/pveproxy.conf", "add"), ("/etc/fail2ban/jail.d/pveproxy.conf", "add")]
    assert report["class"] == "files" and report["label"] == "files only"


def test_diff_shows_frr_own_delta(tmp_path):
    def more_leaf_paths(data):
        data["devices"][0]["loopback_v4"] = "10.255.254.200"

    report = _diff(tmp_path, bundle("proxmox-evpn"), variant("proxmox-evpn", more_leaf_paths), "leaf1")
    assert report["class"] == "frr-reload" or report["class"] == "interface-reload"
    assert any("10.255.254.200" in line for line in report["frr"]["lines_to_add"]), report["frr"]


def test_the_offline_diff_a_review_shows_agrees_with_the_node(tmp_path):
    old, new = bundle("proxmox-evpn"), variant("proxmox-evpn", lambda d: (_vni_mtu(d), _with_jail(d)))
    on_node = _diff(tmp_path, old, new, "pve1")
    offline = node_diff(node_tree(old, "pve1"), node_tree(new, "pve1"))
    assert [(e["path"], e["change"], e["class"], e["diff"]) for e in offline["files"]] == \
           [(e["path"], e["change"], e["class"], e["diff"]) for e in on_node["files"]]
    assert offline["class"] == on_node["class"] == "interface-reload"
    assert node_diff(node_tree(new, "pve1"), node_tree(new, "pve1"))["files"] == []
    leaf = node_diff(node_tree(old, "leaf1"), node_tree(new, "leaf1"))  # the change leaves leaf1's bytes alone
    assert leaf["class"] == "none" and leaf["manifest"]["old"] == leaf["manifest"]["new"]


def test_a_change_under_the_management_address_touches_the_management_path():
    def new_management_mtu(data):
        node = next(d for d in data["devices"] if d["id"] == "pve-a")
        next(nic for nic in node["nics"] if nic.get("role") == "management")["mtu"] = 1400

    old, new = bundle("proxmox-cluster"), variant("proxmox-cluster", new_management_mtu)
    report = node_diff(node_tree(old, "pve-a"), node_tree(new, "pve-a"))
    assert report["interfaces"]["modify"] == ["eno1", "vmbr0"]
    assert report["class"] == "management", report["interfaces"]
    assert report["label"] == "touches the management path"


def test_private_keys_never_appear_in_a_diff(tmp_path):
    def other_port(data):
        data["wireguard"][0]["listen_port"] = 51999

    old, new = bundle("wireguard-mesh"), variant("wireguard-mesh", other_port)
    node = "node1"
    key_lines = [line for line in node_tree(new, node)["etc/wireguard/ciabmesh.conf"].decode().splitlines()
                 if line.startswith("PrivateKey")]
    secret = key_lines[0].split("=", 1)[1].strip()
    report = _diff(tmp_path, old, new, node)
    offline = node_diff(None, node_tree(new, node))
    for shown in (json.dumps(report), json.dumps(offline)):
        assert secret not in shown and "PrivateKey = (redacted)" in shown


def test_a_held_lock_is_reported_and_nothing_changes(tmp_path):
    script = _write(bundle("proxmox-evpn"), "pve1", tmp_path / "b")
    state = tmp_path / "root/var/lib/weft"
    state.mkdir(parents=True)
    with open(state / "lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = _apply(script, tmp_path / "root", "--wait", "0.5")
    assert result.returncode == 3 and "locked" in result.stderr
    assert not (tmp_path / "root/etc").exists()


def test_pending_proxmox_network_changes_refuse_an_apply(tmp_path):
    script = _write(bundle("proxmox-evpn"), "pve1", tmp_path / "b")
    pending = tmp_path / "root/etc/network/interfaces.new"
    pending.parent.mkdir(parents=True)
    pending.write_text("auto lo\niface lo inet loopback\n")
    result = _apply(script, tmp_path / "root")
    assert result.returncode == 4 and "interfaces.new" in result.stderr
    assert not (tmp_path / "root/etc/network/interfaces").exists()
    report = _json(_apply(script, tmp_path / "root", "--diff", "--json"))
    assert any("interfaces.new" in reason for reason in report["refusals"])


def test_files_under_etc_pve_are_installed_with_a_mode_the_cluster_filesystem_takes(tmp_path):
    root = tmp_path / "root"
    script = _write(bundle("proxmox-cluster"), "pve-a", tmp_path / "b")
    assert _apply(script, root).returncode == 0
    host_fw = root / "etc/pve/nodes/pve-a/host.fw"
    assert host_fw.stat().st_mode & 0o777 == 0o640  # pmxcfs answers EPERM to anything but 0600 and 0640
    facts = json.loads((script.parent / "apply.json").read_text())
    pve = [entry["mode"] for path, entry in facts["files"].items() if path.startswith("/etc/pve/")]
    assert pve and all(mode in (0o600, 0o640) for mode in pve)


def test_rolling_back_a_first_install_leaves_the_node_as_it_was_and_says_so(tmp_path):
    """The watchdog's rollback of a run that installed the node's first files (DESTDIR: nothing to reload)."""
    root = tmp_path / "root"
    script = _write(bundle("proxmox-evpn"), "pve1", tmp_path / "b")
    node = engine.Node(str(script.parent), str(root), log=io.StringIO())
    code, result = engine.apply(node, "first", None, wait=5)
    assert code == 0 and result["outcome"] == "applied"
    state = root / "var/lib/weft"
    applied = json.loads((state / "applied.json").read_text())
    applied.update(state="pending", pending={"run": "first", "deadline": "", "deadline_epoch": 0, "watchdog": ""})
    (state / "applied.json").write_text(json.dumps(applied))  # as if armed with --confirm-timeout

    assert engine.rollback(engine.Node(None, str(root), log=io.StringIO()), "first", "not confirmed in time") == 0
    record = json.loads((state / "applied.json").read_text())
    assert (record["manifest"], record["files"], record["pending"], record["state"]) == (None, {}, None, "confirmed")
    assert record["last"]["outcome"] == "rolled-back" and record["last"]["reason"] == "not confirmed in time"
    assert not (root / "etc/frr/frr.conf").exists() and (state / "apply.py").exists()
