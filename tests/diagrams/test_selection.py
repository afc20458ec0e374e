"""One VNI or one VRF drawn alone, and the clear errors for a view, format, VNI or VRF that does not fit."""

from __future__ import annotations

import pytest
import yaml

from designer.fabric.diagrams import render_diagram
from designer.fabric.document import validate
from designer.fabric.errors import DesignError
from designer.fabric.plan import plan as make_plan
from tests.conftest import EXAMPLES, compile_example, fixed_keygen
from tests.diagrams.svg import all_words, node, shapes


@pytest.fixture(scope="module")
def evpn():
    return compile_example("proxmox-evpn").plan


@pytest.fixture(scope="module")
def with_vrf():
    """The seed 000 fabric with tenant VNIs 201 and 601 routed in a VRF ``red``."""
    data = yaml.safe_load((EXAMPLES / "proxmox-evpn.yaml").read_text())
    data["vrfs"] = [{"id": "red", "name": "red"}]
    for network in data["networks"]:
        if network["id"] in ("vni201", "vni601"):
            network["vrf"] = "red"
    return make_plan(validate(data, source="proxmox-evpn with a VRF"), keygen=fixed_keygen())


def test_one_vni_alone_names_each_vteps_bridge_vxlan_device_and_address(evpn):
    svg = render_diagram(evpn, "overlay", "svg", vni=202)
    words = all_words(svg)
    assert "overlay · VNI 202" in words
    assert "VNI 201" not in words and "VNI 601" not in words
    assert "vmbr202 · vxlan202 · 192.168.202.36" in node(svg, "pve1").words
    assert {edge.ends for edge in shapes(svg, "edge") if "carries" in edge.classes} == {
        ("VNI 202", "pve1"), ("VNI 202", "pve2"), ("VNI 202", "pve3")}
    assert "underlay only" not in words


def test_one_vrf_alone_shows_its_l3vni_and_its_vnis_only(with_vrf):
    svg = render_diagram(with_vrf, "overlay", "svg", vrf="red")
    words = all_words(svg)
    assert "VRF red" in words and "L3VNI 50000 · table 1001" in words
    assert "VNI 201" in words and "VNI 601" in words
    assert "VNI 200" not in words and "VNI 202" not in words
    routed = {edge.ends for edge in shapes(svg, "edge") if "vrf" in edge.classes}
    assert routed == {("VRF red", "VNI 201"), ("VRF red", "VNI 601")}


def test_the_l3vni_selects_its_vrf(with_vrf):
    assert render_diagram(with_vrf, "overlay", "dot", vni=50000) == render_diagram(with_vrf, "overlay", "dot",
                                                                                   vrf="red")


def test_the_whole_overlay_routes_vnis_in_their_vrf(with_vrf):
    svg = render_diagram(with_vrf, "overlay", "svg")
    routed = {edge.ends for edge in shapes(svg, "edge") if "vrf" in edge.classes}
    assert routed == {("VRF red", "VNI 201"), ("VRF red", "VNI 601")}


def test_the_mesh_vni_selects_the_mesh():
    mesh = compile_example("wireguard-mesh").plan
    words = all_words(render_diagram(mesh, "overlay", "svg", vni=100))
    assert "WireGuard ciabmesh" in words and "overlay · VNI 100" in words
    assert "lxdbr0" not in words  # the LXD bridges are not part of the mesh's segment


@pytest.mark.parametrize(("call", "message"), [
    ({"view": "logical", "fmt": "svg"}, "unknown diagram view 'logical' (choose one of physical, underlay, overlay"),
    ({"view": "overlay", "fmt": "jpeg"}, "unknown diagram format 'jpeg' (choose one of svg, png, pdf, dot)"),
    ({"view": "air", "fmt": "png"}, "the air view is a topology file for NVIDIA Air, not a png drawing"),
    ({"view": "overlay", "fmt": "svg", "vni": 999}, "has no VNI 999 (its VNIs are 200, 201, 202, 601)"),
    ({"view": "physical", "fmt": "svg", "vni": 201}, "--vni and --vrf narrow the overlay view, not the physical"),
    ({"view": "overlay", "fmt": "svg", "vrf": "blue"}, "has no VRF 'blue' (it has no VRF at all)"),
    ({"view": "overlay", "fmt": "svg", "vni": 201, "vrf": "red"}, "give a VNI or a VRF, not both"),
])
def test_bad_requests_say_what_is_wrong(evpn, call, message):
    with pytest.raises(DesignError) as caught:
        render_diagram(evpn, **call)
    assert message in str(caught.value)
