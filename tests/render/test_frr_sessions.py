"""A BGP session whose first attempt fails (its peer not listening yet, a tunnel still handshaking) is
retried within the design's connect-retry, not after BGP's own two minutes."""

from __future__ import annotations

import re

import pytest

from designer.fabric.bundle import build_bundle
from designer.fabric.document import to_data, validate
from designer.fabric.errors import DesignError
from designer.fabric.pipeline import compile_design
from tests.conftest import fixed_keygen, load_example
from tests.render.bundles import ALL_DESIGNS, bundle, compiled

BGP_DESIGNS = [name for name in ALL_DESIGNS if any(d.bgp for d in compiled(name).plan.devices.values())]


def _frr_confs(files: dict[str, bytes]) -> dict[str, str]:
    return {path: body.decode() for path, body in files.items() if path.endswith("/etc/frr/frr.conf")}


def _retry_by_group(frr: str) -> dict[str, str | None]:
    groups = re.findall(r"^ neighbor (\S+) peer-group$", frr, re.MULTILINE)
    timers = dict(re.findall(r"^ neighbor (\S+) timers connect (\d+)$", frr, re.MULTILINE))
    return {group: timers.get(group) for group in groups}


@pytest.mark.parametrize("name", BGP_DESIGNS)
def test_every_peer_group_retries_a_failed_session_after_ten_seconds(name):
    confs = _frr_confs(bundle(name).files)
    assert confs
    groups = {path: _retry_by_group(frr) for path, frr in confs.items()}
    assert {path: set(found.values()) for path, found in groups.items()} == {path: {"10"} for path in confs}


def test_the_designs_connect_retry_reaches_every_speaker():
    data = to_data(load_example("proxmox-evpn"))
    data["underlay"]["connect_retry"] = 30
    files = build_bundle(compile_design(validate(data), keygen=fixed_keygen("proxmox-evpn"))).files
    confs = _frr_confs(files)
    assert len(confs) == 5
    assert all(set(_retry_by_group(frr).values()) == {"30"} for frr in confs.values())


def test_a_connect_retry_of_zero_is_refused_at_its_path():
    data = to_data(load_example("proxmox-evpn"))
    data["underlay"]["connect_retry"] = 0
    with pytest.raises(DesignError, match=r"underlay\.connect_retry"):
        validate(data)
