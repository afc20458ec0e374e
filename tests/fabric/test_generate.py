"""The leaf-spine generator: the sizes asked for, dual-homed hypervisors, a clean plan."""

from __future__ import annotations

import pytest

from designer.fabric.generate import leaf_spine
from designer.fabric.pipeline import compile_design


def test_the_benchmark_fabric_has_642_nodes_and_plans_cleanly():
    design = leaf_spine(spines=2, leaves=128, hypervisors_per_leaf=4)
    assert len(design.devices) == 642
    assert sum(d.role == "hypervisor" for d in design.devices) == 512
    compiled = compile_design(design)
    assert not compiled.has_errors, compiled.findings[:3]
    assert len(compiled.plan.sessions) == 128 * 2 + 512 * 2
    assert len({d.asn for d in compiled.plan.devices.values() if d.role != "spine"}) == 640
    assert len({d.asn for d in compiled.plan.devices.values() if d.role == "spine"}) == 1
    assert len(compiled.plan.vnis) == 10 and all(len(v.vteps) == 512 for v in compiled.plan.vnis)


def test_hypervisors_are_dual_homed_to_their_rack_pair():
    design = leaf_spine(spines=2, leaves=3, hypervisors_per_leaf=1)
    compiled = compile_design(design)
    rack_of = {d.id: d.rack for d in design.devices}
    for device in compiled.plan.devices.values():
        if device.role == "hypervisor":
            peers = {n.description for n in device.bgp.neighbors}
            assert all(rack_of[p] == device.rack for p in peers)
    # the third leaf has no partner: its hypervisor has a single uplink
    assert len(compiled.plan.device_by_name("hv3").bgp.neighbors) == 1
    assert len(compiled.plan.device_by_name("hv1").bgp.neighbors) == 2


def test_nonsense_sizes_are_refused():
    with pytest.raises(ValueError):
        leaf_spine(spines=0, leaves=4)
