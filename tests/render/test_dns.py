"""The DNS zone as a nameserver operator sees it: a serial that moves only with the content, real NS names."""

from __future__ import annotations

import copy
import re

from designer.fabric.document import to_data, validate
from designer.fabric.pipeline import compile_design
from designer.fabric.render import render_design
from tests.conftest import fixed_keygen, load_example


def _serial(zone: str) -> int:
    return int(re.search(r"^\s+(\d+) ; serial", zone, re.MULTILINE)[1])


def test_serial_stays_on_recompile_and_rises_when_the_zone_changes():
    design = load_example("proxmox-evpn")
    first = compile_design(design, keygen=fixed_keygen())
    again = compile_design(design, first.plan.record, keygen=fixed_keygen())
    zone = "dns/pve.example.net.zone"
    assert _serial(render_design(first.plan)[zone]) == _serial(render_design(again.plan)[zone]) == 1
    data = copy.deepcopy(to_data(design))
    data["devices"][2]["name"] = "pve1-renamed"
    renamed = compile_design(validate(data), again.plan.record, keygen=fixed_keygen())
    text = render_design(renamed.plan)[zone]
    assert _serial(text) == 2 and "pve1-renamed" in text


def test_nameserver_names_a_host_with_an_address_in_the_zone():
    data = copy.deepcopy(to_data(load_example("proxmox-cluster")))
    data["dns"]["nameservers"] = ["pve-b", "ns.example.org."]
    zone = render_design(compile_design(validate(data)).plan)["dns/lab.example.net.zone"]
    assert "@ IN NS pve-b.lab.example.net." in zone and "@ IN NS ns.example.org." in zone
    data["dns"]["nameservers"] = ["ns1"]  # no address in the design: the zone needs one to load
    compiled = compile_design(validate(data))
    assert "@ IN NS pve-a.lab.example.net." in render_design(compiled.plan)["dns/lab.example.net.zone"]
    assert [f.elements for f in compiled.findings if f.code == "dns-nameserver-without-dns"] == [("pve-a",)]
