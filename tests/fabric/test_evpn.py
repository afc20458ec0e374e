"""Whether a fabric runs EVPN: the BGP sessions table and the FRR configs give the same answer."""

from __future__ import annotations

import re

from designer.fabric.document import validate
from designer.fabric.pipeline import compile_design
from designer.fabric.render import frr, interfaces
from tests.conftest import fixed_keygen
from tests.lint.conftest import evpn_fabric


def planned(design: dict):
    return compile_design(validate(design, source="test design"), keygen=fixed_keygen("evpn")).plan


def evpn_as_configured(plan) -> dict[str, bool]:
    """Device -> whether its frr.conf turns on the l2vpn evpn address family."""
    return {device.name: "address-family l2vpn evpn" in frr.node_files(plan, device)[frr.CONFIG]
            for device in plan.devices.values() if device.bgp is not None}


def test_a_fabric_with_a_vni_network_runs_evpn_on_every_session():
    plan = planned(evpn_fabric())
    assert plan.sessions and all(session.evpn for session in plan.sessions)
    assert all(evpn_as_configured(plan).values())


def test_a_vrf_no_network_uses_turns_no_evpn_on():
    design = evpn_fabric()
    design["networks"] = []
    design["vrfs"] = [{"id": "blue", "name": "blue"}]  # an L3VNI is drawn, but no VTEP carries the VRF
    plan = planned(design)
    assert plan.vrfs[0].l3vni is not None and plan.vrfs[0].members == []
    assert plan.sessions and not any(session.evpn for session in plan.sessions)
    configured = evpn_as_configured(plan)
    assert set(configured) == {"leaf1", "leaf2", "hv1", "hv2"}
    assert not any(configured.values())


def test_each_vtep_keeps_what_a_vni_gives_it_alone():
    """A VNI's bridge is the same on every VTEP except where the design gives one VTEP its own address."""
    design = evpn_fabric()
    design["networks"] = [
        {"id": "web", "name": "web", "vni": 10001, "subnet": "192.0.2.0/24", "anycast_gateway": True,
         "attach": ["hv1", "hv2"]},
        {"id": "db", "name": "db", "vni": 10002, "subnet": "198.51.100.0/24",
         "attach": [{"device": "hv1", "address": "198.51.100.7"}, "hv2"]},
    ]
    plan = planned(design)
    hv1, hv2 = plan.device_by_name("hv1"), plan.device_by_name("hv2")
    for device in (hv1, hv2):
        assert device.interface("vmbr10001").addresses == ["192.0.2.1/24"]
        assert device.interface("vmbr10001").hwaddress == "02:00:5e:00:27:11"
        # the VXLAN devices are the same but for their local address: their VTEP's
        assert _tunnel_addresses(plan, device) == {"vxlan10001": device.vtep, "vxlan10002": device.vtep}
    assert hv1.interface("vmbr10002").addresses == ["198.51.100.7/24"]
    assert hv2.interface("vmbr10002").addresses == []
    assert hv1.vtep != hv2.vtep


def _tunnel_addresses(plan, device) -> dict[str, str]:
    """VXLAN device -> its local address, as the device's interfaces file says."""
    text = interfaces.node_files(plan, device)[interfaces.PATH]
    return dict(re.findall(r"^iface (vxlan\d+).*\n(?:    .*\n)*?    vxlan-local-tunnelip (\S+)$", text, re.MULTILINE))
