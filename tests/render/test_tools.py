"""Every generated file passes the tool that reads it: FRR, ifupdown2, wg, bash/shellcheck, BIND, nft."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.render.bundles import ALL_DESIGNS, bundle, need_tool, run, run_ifupdown2

pytestmark = pytest.mark.tools

STOCK_FAIL2BAN = Path("/etc/fail2ban")  # as Debian's fail2ban package installs it

KINDS = {
    "frr": r"/etc/frr/frr\.conf$",
    "interfaces": r"/etc/network/interfaces$",
    "wireguard": r"/etc/wireguard/[^/]+\.conf$",
    "apply": r"^[^/]+/apply\.sh$",
    "zone": r"^dns/.+\.zone$",
    "nft": r"/etc/nftables\.d/[^/]+\.nft$",
    "unit": r"/etc/systemd/system/[^/]+\.service$",
    "fail2ban": r"/etc/fail2ban/jail\.d/(?!sshd-journal\.conf)[^/]+\.conf$",  # the jails with filters
}


def _files(kind: str) -> list[tuple[str, str]]:
    return [(name, path) for name in ALL_DESIGNS for path in bundle(name).files if re.search(KINDS[kind], path)]


def _write(name_path: tuple[str, str], directory: Path) -> Path:
    """The file alone, under its own name and with the mode the bundle gives it."""
    name, path = name_path
    target = directory / Path(path).name
    target.write_bytes(bundle(name).files[path])
    target.chmod(bundle(name).mode(path))
    return target


def _ids(files: list[tuple[str, str]]) -> list[str]:
    return [f"{name}:{path}" for name, path in files]


def test_every_kind_of_file_is_generated_by_some_design():
    assert all(_files(kind) for kind in KINDS)


@pytest.mark.parametrize("generated", _files("frr"), ids=_ids(_files("frr")))
def test_frr_conf_passes_vtysh_check(generated, tmp_path):
    result = run([need_tool("vtysh"), "-C", "-f", str(_write(generated, tmp_path))])
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="session")
def ifupdown2_keywords() -> set[str]:
    """Every attribute an ifupdown2 module declares: a misspelt one would be ignored without a word."""
    result = run([need_tool("ifquery"), "--syntax-help"])
    keywords = set(re.findall(r"^  ([a-z][a-z0-9-]+)$", result.stdout, re.MULTILINE))
    assert {"bond-mode", "bridge-ports", "vxlan-id", "vrf-table"} <= keywords
    return keywords


@pytest.mark.parametrize("generated", _files("interfaces"), ids=_ids(_files("interfaces")))
def test_interfaces_pass_ifupdown2_syntax_check(generated, tmp_path, ifupdown2_keywords):
    path = _write(generated, tmp_path)
    Path("/run/network").mkdir(parents=True, exist_ok=True)  # ifupdown2 keeps its lock file there
    result = run_ifupdown2([need_tool("ifup"), "--syntax-check", "-a", "-i", str(path)])
    assert result.returncode == 0, result.stdout + result.stderr
    used = set(re.findall(r"^    ([a-z][a-z0-9-]+) ", path.read_text(), re.MULTILINE))
    assert used <= ifupdown2_keywords, f"unknown to ifupdown2: {used - ifupdown2_keywords}"


@pytest.mark.parametrize("generated", _files("wireguard"), ids=_ids(_files("wireguard")))
def test_wireguard_config_passes_wg_quick_strip_and_wg(generated, tmp_path):
    path = _write(generated, tmp_path)
    assert path.stat().st_mode & 0o777 == 0o600  # it holds the node's private key
    stripped = run([need_tool("wg-quick"), "strip", str(path)])
    assert stripped.returncode == 0, stripped.stderr
    assert "PrivateKey" in stripped.stdout and "PostUp" not in stripped.stdout
    plain = tmp_path / "stripped.conf"
    plain.write_text(stripped.stdout)
    # wg parses the whole file before it looks the interface up, so a missing interface is expected
    result = run([need_tool("wg"), "setconf", "weft-none0", str(plain)])
    assert "parsing error" not in result.stderr and "unrecognized" not in result.stderr, result.stderr


@pytest.mark.parametrize("generated", _files("apply"), ids=_ids(_files("apply")))
def test_apply_script_passes_bash_and_shellcheck(generated, tmp_path):
    path = _write(generated, tmp_path)
    assert os.access(path, os.X_OK)
    assert run(["bash", "-n", str(path)]).returncode == 0
    result = run([need_tool("shellcheck"), "--severity=style", str(path)])
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("generated", _files("zone"), ids=_ids(_files("zone")))
def test_zone_passes_named_checkzone(generated, tmp_path):
    path = _write(generated, tmp_path)
    result = run([need_tool("named-checkzone"), path.name.removesuffix(".zone"), str(path)])
    assert result.returncode == 0 and result.stdout.rstrip().endswith("OK"), result.stdout


@pytest.mark.parametrize("generated", _files("nft"), ids=_ids(_files("nft")))
def test_bgp_filter_passes_nft_check(generated, tmp_path):
    nft = need_tool("nft")
    if os.geteuid() != 0:
        pytest.skip("nft -c asks the kernel, which needs root")
    result = run([nft, "-c", "-f", str(_write(generated, tmp_path))])
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("generated", _files("unit"), ids=_ids(_files("unit")))
def test_systemd_unit_passes_systemd_analyze_verify(generated, tmp_path):
    result = run([need_tool("systemd-analyze"), "verify", str(_write(generated, tmp_path))])
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


@pytest.mark.parametrize("generated", _files("fail2ban"), ids=_ids(_files("fail2ban")))
def test_fail2ban_jail_and_filter_pass_fail2ban_on_a_stock_node(generated, tmp_path):
    """fail2ban's own configuration test on Debian's stock /etc/fail2ban (its defaults-debian.conf enables
    [sshd]) with every fail2ban file of the node, on a node that has no /var/log/auth.log (no rsyslog, as
    Debian 12 and Proxmox 8 are installed); then its regex tool on a matching log line."""
    name, jail_path = generated
    node = jail_path.split("/", 1)[0]
    files = bundle(name).files
    filter_path = jail_path.replace("/jail.d/", "/filter.d/")
    config = tmp_path / "fail2ban"
    shutil.copytree(STOCK_FAIL2BAN, config)
    assert (config / "jail.d" / "defaults-debian.conf").exists()
    for path, data in files.items():
        if path.startswith(f"{node}/etc/fail2ban/"):
            (config / path.removeprefix(f"{node}/etc/fail2ban/")).write_bytes(data)
    access_log = tmp_path / "access.log"
    access_log.write_text("")
    (config / "paths-overrides.local").write_text(
        f"[DEFAULT]\nnginx_access_log = {access_log}\nsyslog_authpriv = {tmp_path / 'no-auth.log'}\n")
    checked = run([need_tool("fail2ban-client"), "-c", str(config), "-t"])
    assert checked.returncode == 0, checked.stdout + checked.stderr
    status = Path(jail_path).stem.rsplit("-", 1)[-1]
    line = f'203.0.113.9 - - [21/Nov/2026:10:00:00 +0000] "POST /client/api HTTP/1.1" {status} 57 "-" "curl"'
    matched = run([need_tool("fail2ban-regex"), line, str(config / "filter.d" / Path(filter_path).name)])
    assert matched.returncode == 0 and "1 matched" in matched.stdout, matched.stdout


def test_fail2ban_on_a_stock_node_needs_python3_systemd(tmp_path):
    """The check apply.sh runs first says what is missing when fail2ban cannot read the journal."""
    from designer.fabric.render.fail2ban import JOURNAL_READER
    assert run(["sh", "-c", JOURNAL_READER]).returncode == 0, "python3-systemd is installed by make test"
    blocked = tmp_path / "systemd"
    blocked.mkdir()
    (blocked / "__init__.py").write_text("raise ImportError('python3-systemd left out')\n")
    missing = run(["sh", "-c", JOURNAL_READER], env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert missing.returncode != 0 and "apt-get install python3-systemd" in missing.stderr
