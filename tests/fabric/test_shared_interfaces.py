"""Interfaces planned once and shared by many VTEPs are what each VTEP planned on its own would get."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.fabric.document import to_data, validate
from designer.fabric.errors import DesignError
from designer.fabric.generate import leaf_spine
from designer.fabric.pipeline import compile_design
from designer.fabric.plan.interfaces import plan_interfaces
from designer.fabric.render import interfaces as rendered
from tests.conftest import EXAMPLE_NAMES, load_example

FABRIC = to_data(leaf_spine(spines=2, leaves=2, hypervisors_per_leaf=3, vnis=4, name="shared"))
HYPERVISORS = [d["id"] for d in FABRIC["devices"] if d["role"] == "hypervisor"]
EXAMPLES = {name: to_data(load_example(name)) for name in EXAMPLE_NAMES}


def _device(attachment) -> str:
    return attachment["device"] if isinstance(attachment, dict) else attachment


def pin_address(doc, pick, value):
    network = doc["networks"][pick % len(doc["networks"])]
    device = HYPERVISORS[value % len(HYPERVISORS)]
    network["attach"] = [{"device": device, "address": f"10.100.{pick % 4}.{10 + value % 200}"}
                         if _device(a) == device else a for a in network["attach"]]


def own_bridge(doc, pick, value):
    """A hypervisor with a bridge of its own named as a VNI's bridge is."""
    device = next(d for d in doc["devices"] if d["id"] == HYPERVISORS[value % len(HYPERVISORS)])
    vni = doc["networks"][pick % len(doc["networks"])]["vni"]
    device.setdefault("bridges", []).append({"name": f"vmbr{vni}"})


def on_own_bridge(doc, pick, value):
    """A VNI put on a bridge a hypervisor has of its own, by name."""
    device_id = HYPERVISORS[value % len(HYPERVISORS)]
    device = next(d for d in doc["devices"] if d["id"] == device_id)
    device.setdefault("bridges", []).append({"name": f"brown{pick}"})
    network = doc["networks"][pick % len(doc["networks"])]
    network["attach"] = [{"device": device_id, "interface": f"brown{pick}"} if _device(a) == device_id else a
                         for a in network["attach"]]


def shared_name(doc, pick, value):
    """Two VNIs on one bridge name."""
    doc["networks"][pick % len(doc["networks"])]["bridge"] = "vmbrshared"
    doc["networks"][value % len(doc["networks"])]["bridge"] = "vmbrshared"


def gateway(doc, pick, value):
    doc["networks"][pick % len(doc["networks"])].update(gateway=f"10.100.{pick % 4}.1",
                                                        anycast_gateway=bool(value % 2))


def drop_vni(doc, pick, value):
    network = doc["networks"][pick % len(doc["networks"])]
    network["attach"] = [a for a in network["attach"] if _device(a) != HYPERVISORS[value % len(HYPERVISORS)]]


EDITS = [pin_address, own_bridge, on_own_bridge, shared_name, gateway, drop_vni]


def each_alone(compiled) -> dict:
    """Every device's interfaces planned on its own, from what the whole plan planned them from."""
    sources = compiled.kept.sources
    return {device_id: plan_interfaces(compiled.design, compiled.kept.topology, sources.addressing,
                                       sources.networks, sources.vnis_of, sources.vrfs_of, sources.routed,
                                       only=[device_id])[device_id][0]
            for device_id in compiled.plan.devices if device_id not in sources.gateways}


def assert_alike(compiled) -> None:
    alone = each_alone(compiled)
    for device_id, interfaces in alone.items():
        device = compiled.plan.devices[device_id]
        assert device.interfaces == interfaces, device_id
        text = rendered.node_files(compiled.plan, device)[rendered.PATH]
        assert text.count("vxlan-local-tunnelip") == sum(i.kind == "vxlan" for i in interfaces if device.vtep)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 100), st.integers(0, 100)), max_size=4))
def test_vteps_sharing_interfaces_get_what_each_would_alone(edits):
    document = copy.deepcopy(FABRIC)
    for network in document["networks"]:
        network["subnet"] = f"10.100.{document['networks'].index(network)}.0/24"
    for edit, pick, value in edits:
        edit(document, pick, value)
    try:
        compiled = compile_design(validate(document), reusable=True)
    except DesignError:
        return  # an edit the design refuses (the same name twice, an address taken): nothing planned
    assert_alike(compiled)


def test_the_examples_too():
    for document in EXAMPLES.values():
        assert_alike(compile_design(validate(copy.deepcopy(document)), reusable=True))
