"""Every view of every example drawn in every format, opened with the tools that read them."""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml

from designer.fabric.diagrams import BUNDLE_VIEWS, FORMATS, render_diagram
from designer.fabric.document import validate
from designer.fabric.plan import plan as make_plan
from tests.conftest import EXAMPLE_NAMES, EXAMPLES, compile_example, fixed_keygen
from tests.diagrams.svg import all_words, node, parse, shapes, unnamed


@pytest.fixture(scope="module")
def plans():
    return {name: compile_example(name).plan for name in EXAMPLE_NAMES}


def run_tool(*command: str, data: bytes) -> subprocess.CompletedProcess:
    return subprocess.run(command, input=data, capture_output=True, timeout=60, check=False)


@pytest.mark.parametrize("view", BUNDLE_VIEWS)
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_view_draws_in_every_format(plans, name, view, tmp_path):
    plan = plans[name]
    drawings = {fmt: render_diagram(plan, view, fmt) for fmt in FORMATS}

    canon = run_tool("dot", "-Tcanon", data=drawings["dot"])
    assert canon.returncode == 0, canon.stderr.decode()

    assert parse(drawings["svg"]).tag.endswith("svg")
    assert unnamed(drawings["svg"], [d.name for d in plan.devices.values()]) == []

    assert drawings["png"].startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(drawings["png"][16:20], "big"), int.from_bytes(drawings["png"][20:24], "big")
    assert width > 200 and height > 100

    pages = run_tool("pdftoppm", "-png", "-r", "30", "-", str(tmp_path / "page"), data=drawings["pdf"])
    assert pages.returncode == 0, pages.stderr.decode()
    assert [path.suffix for path in tmp_path.iterdir()] == [".png"]


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_air_topology_lists_every_device_and_cable(plans, name):
    plan = plans[name]
    source = render_diagram(plan, "air", "dot").decode()
    assert run_tool("dot", "-Tcanon", data=source.encode()).returncode == 0
    for device in plan.devices.values():
        assert re.search(rf'^  "{device.name}" \[function="\w+" os="[\w./-]+"\]$', source, re.M), device.name
    for link in plan.links:
        a, b = plan.devices[link.a_device].name, plan.devices[link.b_device].name
        assert f'"{a}":"{link.a_interface}" -- "{b}":"{link.b_interface}"' in source
    assert source.count(" -- ") == len(plan.links)


def test_air_topology_names_switch_and_server_images(plans):
    source = render_diagram(plans["proxmox-evpn"], "air", "dot").decode()
    assert '"leaf1" [function="leaf" os="cumulus-vx-' in source
    assert '"pve1" [function="host" os="generic/' in source


def test_seed_000_underlay_has_one_labelled_edge_per_bgp_session(plans):
    plan = plans["proxmox-evpn"]
    svg = render_diagram(plan, "underlay", "svg")
    sessions = [edge for edge in shapes(svg, "edge") if "bgp" in edge.classes]
    assert len(sessions) == len(plan.sessions) == 7  # each node to each leaf, and leaf to leaf
    assert sorted(tuple(sorted(edge.ends)) for edge in sessions) == sorted(
        tuple(sorted((plan.devices[s.a].name, plan.devices[s.b].name))) for s in plan.sessions)
    assert {edge.words for edge in sessions} == {"eBGP unnumbered + EVPN"}


def test_seed_000_underlay_boxes_show_asn_router_id_loopbacks_and_ecmp(plans):
    plan = plans["proxmox-evpn"]
    pve1 = node(render_diagram(plan, "underlay", "svg"), "pve1")
    assert f"AS {plan.device_by_name('pve1').asn}" in pve1.words
    assert "router-id 10.255.254.5" in pve1.words
    assert "lo 10.255.254.5/32 (VTEP)" in pve1.words
    assert "ECMP ×2 upstream" in pve1.words
    # Unnumbered sessions attach at the interfaces the node names its neighbours by.
    assert {"enp101s0f0np0", "enp101s0f1np1"} <= {words for words, _, _ in pve1.texts}


def test_underlay_draws_each_session_type_its_own_way(plans):
    mesh = shapes(render_diagram(plans["wireguard-mesh"], "underlay", "svg"), "edge")
    clients = [edge for edge in mesh if "rr-client" in edge.classes]
    assert len(clients) == 3 and all(edge.dashed for edge in clients)
    assert all("node1" in edge.ends for edge in clients)
    egress = shapes(render_diagram(plans["egress-gateways"], "underlay", "svg"), "edge")
    assert {edge.words for edge in egress if "bgp" in edge.classes} == {"eBGP dynamic"}
    gateway = node(render_diagram(plans["egress-gateways"], "underlay", "svg"), "r1")
    assert "listen 192.168.100.96/27 → fabric" in gateway.words


def test_physical_view_groups_a_bonds_members(plans):
    svg = render_diagram(plans["ganeti-bonds"], "physical", "svg")
    ganeti1 = node(svg, "ganeti1")
    (bond_cell,) = [cell for cell in ganeti1.cells if cell.stroke == "#b45309"]
    for member in ("eno1", "eno2"):
        x, y = ganeti1.text_at(member)
        assert bond_cell.left <= x <= bond_cell.right, f"{member} is not under the bond's cell"
        assert y < bond_cell.top  # the ports sit on the box's edge, the bond just inside them
    assert "802.3ad · layer3+4" in ganeti1.words
    cables = [edge for edge in shapes(svg, "edge") if "ganeti1" in edge.ends]
    assert len(cables) == 2 and all("bond0" in edge.classes for edge in cables)
    assert all("bond0 · 10G · 9000" in edge.words for edge in cables)


def test_physical_view_dashes_the_standby_cable_of_an_active_backup_bond(plans):
    svg = render_diagram(plans["ganeti-bonds"], "physical", "svg")
    cables = {tuple(edge.tooltips): edge for edge in shapes(svg, "edge") if "ganeti3" in edge.ends}
    assert not cables[("g3-qfx1",)].dashed  # eno1 is the primary
    assert cables[("g3-qfx2",)].dashed
    assert "primary eno1" in node(svg, "ganeti3").words


def test_physical_view_shows_unconnected_nics_with_their_role(plans):
    pve = node(render_diagram(plans["proxmox-cluster"], "physical", "svg"), "pve-a")
    for nic, facts in (("eno1", "1G management"), ("eno3", "1G oob"), ("enp66s0", "10G storage")):
        assert nic in pve.words and facts in pve.words


def test_overlay_shows_each_vni_and_the_vteps_that_carry_it(plans):
    plan = plans["proxmox-evpn"]
    svg = render_diagram(plan, "overlay", "svg")
    carried = {edge.ends for edge in shapes(svg, "edge") if "carries" in edge.classes}
    assert carried == {(f"VNI {vni.vni}", plan.devices[d].name) for vni in plan.vnis for d in vni.vteps}
    assert "VTEP 10.255.254.5" in node(svg, "pve1").words
    assert "192.168.202.36" in node(svg, "pve1").words  # its corosync address on VNI 202
    assert "leaf1, leaf2" in node(svg, "underlay only").words


def test_overlay_draws_the_wireguard_mesh_without_its_blacklisted_pair(plans):
    svg = render_diagram(plans["wireguard-mesh"], "overlay", "svg")
    tunnels = {frozenset(edge.ends) for edge in shapes(svg, "edge") if "tunnel" in edge.classes}
    assert len(tunnels) == 5
    assert frozenset(("node2", "node3")) not in tunnels
    mesh = node(svg, "mesh ciabmesh")
    assert "not peered: node2–node3" in mesh.words
    assert "VXLAN VNI 100 over it · MTU 1390" in mesh.words
    assert "132.65.71.21:50000" in node(svg, "node1").words


def _mesh_example(**changes) -> dict:
    """The seed 003 design with its mesh's fields changed."""
    data = yaml.safe_load((EXAMPLES / "wireguard-mesh.yaml").read_text())
    data["wireguard"][0].update(changes)
    return data


def _tunnels(svg: bytes) -> set[frozenset[str]]:
    return {frozenset(edge.ends) for edge in shapes(svg, "edge") if "tunnel" in edge.classes}


def test_a_pair_blacklisted_twice_and_both_ways_is_one_missing_tunnel():
    data = _mesh_example(blacklist=[["node2", "node3"], ["node3", "node2"], ["node2", "node3"]])
    svg = render_diagram(make_plan(validate(data, source="repeated blacklist"), keygen=fixed_keygen()), "overlay",
                         "svg")
    assert len(_tunnels(svg)) == 5 and frozenset(("node2", "node3")) not in _tunnels(svg)
    mesh = node(svg, "mesh ciabmesh")
    assert "full mesh of 4: 5 tunnels" in mesh.words
    assert mesh.words.count("not peered") == 1 and "not peered: node2–node3" in mesh.words


def test_a_mesh_named_apart_from_its_id_keeps_its_endpoints_and_vni():
    plan = make_plan(validate(_mesh_example(name="wgfabric"), source="renamed mesh"), keygen=fixed_keygen())
    svg = render_diagram(plan, "overlay", "svg")
    assert len(_tunnels(svg)) == 5
    mesh = node(svg, "mesh ciabmesh")
    assert "WireGuard wgfabric" in mesh.words and "VXLAN VNI 100 over it · MTU 1390" in mesh.words
    assert "132.65.71.21:50000" in node(svg, "node1").words
    assert "WireGuard wgfabric" in all_words(render_diagram(plan, "overlay", "svg", vni=100))
