"""Check: nodes on each LAN (management, corosync, storage...) ping each other over its switches at its MTU."""

from __future__ import annotations

import itertools

from ..build import Lab
from ..report import CheckResult, verdict
from .frames import FrameProbe, oversize_once_per_sender, send

NAME = "lan-ping"
TITLE = "nodes on each LAN ping each other over its switches at its MTU with DF set; a byte more is refused"


def members(lab: Lab) -> tuple[list[tuple[str, list[tuple[str, str]]]], list[str]]:
    """Per LAN, the (device, address) pairs the lab built; and what it could not, with the reason."""
    plan = lab.plan
    lans, skipped = [], []
    for network in plan.networks:
        if network.vni is not None or network.scope == "node":
            continue  # VNIs have their own checks; a node-scope network is one subnet per node, no LAN
        present, missing = [], {}  # (interface, why) -> the devices it holds for
        for device_id, ifname in network.interfaces.items():
            device = plan.devices[device_id]
            why = lab.left_out.get(device_id, {}).get(ifname)
            if why is not None:
                missing.setdefault((ifname, why), []).append(device.name)
            elif not device.managed or device_id not in network.host_addresses:
                continue
            elif ifname in lab.files[device_id].dhcp:
                missing.setdefault((ifname, "takes its address by DHCP"), []).append(device.name)
            elif lab.interfaces_applied(device_id):
                present.append((device_id, network.host_addresses[device_id]))
        if missing:
            shown = "; ".join(f"{ifname} of {', '.join(names)} {why}" for (ifname, why), names in missing.items())
            skipped.append(f"{network.name} ({shown})")
        if len(present) > 1:
            lans.append((network.id, present))
    return lans, skipped


def check(lab: Lab) -> CheckResult:
    lans, skipped = members(lab)
    networks = {n.id: n for n in lab.plan.networks}

    def probe(network: str, x: tuple[str, str], y: tuple[str, str]) -> FrameProbe:
        (a, a_address), (b, b_address) = x, y
        label = f"{networks[network].name}: {lab.plan.devices[a].name} ({a_address}) -> {lab.plan.devices[b].name} " \
                f"({b_address})"
        return FrameProbe(lab.node(a).namespace, b_address, networks[network].mtu, label, [network, a, b],
                          source=a_address)

    both = [(probe(network, x, y), probe(network, y, x)) for network, present in lans
            for x, y in itertools.combinations(present, 2)]
    full, over = [p for pair in both for p in pair], oversize_once_per_sender(both)
    failures, passes = send(full, over)
    result = verdict(NAME, TITLE, failures=failures, passes=passes, total=len(full) + len(over),
                     what="full-size and oversize probes")
    if lans:
        result.detail += f" on {', '.join(networks[n].name for n, _ in lans)}"
    if skipped:
        result.detail += f"; not exercised: {'; '.join(skipped)}"
    return result
