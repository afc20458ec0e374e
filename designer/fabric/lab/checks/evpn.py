"""Check: for every VNI, every VTEP has a type-3 (inclusive multicast) route from every other VTEP."""

from __future__ import annotations

from .. import frr, frrstate
from ..build import Lab
from ..process import fan_out
from ..report import CheckResult, Evidence, verdict
from ..wait import until

NAME = "evpn-type3"
TITLE = "every VTEP sees a type-3 route from every other VTEP of each VNI"


def _command(vni: int) -> str:
    return f"show bgp l2vpn evpn route vni {vni} type multicast json"


def check(lab: Lab, deadline: float) -> CheckResult:
    plan = lab.plan
    wanted: dict[str, list[int]] = {}  # VTEP -> VNIs it must see others on
    for vni in plan.vnis:
        vteps = [d for d in vni.vteps if lab.frr_running(d) and plan.devices[d].vtep]
        if len(vteps) > 1:
            for device_id in vteps:
                wanted.setdefault(device_id, []).append(vni.vni)
    members = {vni.vni: [d for d in vni.vteps if plan.devices[d].vtep] for vni in plan.vnis}

    def read(device_id: str) -> dict[int, tuple[set[str], str]]:
        vnis = wanted[device_id]
        outcome = frr.vtysh(lab.root(device_id), [_command(v) for v in vnis])
        docs = frrstate.documents(outcome.stdout)
        seen = {}
        for index, vni in enumerate(vnis):
            doc = docs[index] if index < len(docs) else outcome.output
            seen[vni] = (frrstate.type3_vteps(doc) if isinstance(doc, dict) else set(), str(doc)[:600])
        return seen

    def missing(device_id: str, vni: int, seen: set[str]) -> list[str]:
        return [plan.devices[o].name for o in members[vni]
                if o != device_id and plan.devices[o].vtep not in seen]

    devices = sorted(wanted)

    def poll() -> dict[str, dict[int, tuple[set[str], str]]]:
        return dict(zip(devices, fan_out(read, devices), strict=True))

    def complete(found) -> bool:
        return all(not missing(d, v, found[d][v][0]) for d in devices for v in wanted[d])

    found = until(poll, complete, deadline=deadline)
    failures, passes = [], []
    for device_id in devices:
        root = lab.root(device_id)
        for vni in wanted[device_id]:
            seen, raw = found[device_id][vni]
            command = frr.display_vtysh(root, _command(vni))
            lacking = missing(device_id, vni, seen)
            summary = f"type-3 from {', '.join(sorted(seen)) or 'nobody'}"
            if lacking:
                network = next(v.network for v in plan.vnis if v.vni == vni)
                failures.append((f"{plan.devices[device_id].name} has no type-3 route for VNI {vni} from "
                                 f"{', '.join(lacking)}", [network, device_id],
                                 Evidence(command, f"{summary}\n{raw}", ok=False)))
            else:
                passes.append(Evidence(command, summary))
    return verdict(NAME, TITLE, failures=failures, passes=passes, total=sum(map(len, wanted.values())),
                   what="VTEP and VNI pairs")
