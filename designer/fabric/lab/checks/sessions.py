"""Check: every BGP session the plan has is Established at both ends (``show bgp summary json``)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from .. import frr, frrstate
from ..build import Lab
from ..process import Outcome, fan_out
from ..report import CheckResult, Evidence, verdict
from ..wait import until

NAME = "bgp-sessions"
TITLE = "every planned BGP session is Established"
COMMAND = "show bgp summary json"


@dataclass(frozen=True, slots=True)
class SessionEnd:
    session: str
    device_id: str
    peer: str  # the interface or address this end configures for the other


def planned_ends(lab: Lab) -> tuple[list[SessionEnd], int]:
    """The session ends the lab can see, and how many sessions involve a device without FRR here."""
    ends, unseen = [], 0
    for session in lab.plan.sessions:
        devices = (lab.plan.devices[session.a], lab.plan.devices[session.b])
        if not all(d.managed and lab.files.get(d.id) and lab.files[d.id].frr_conf and d.id not in lab.lacking
                   for d in devices):
            unseen += 1
            continue
        ends.append(SessionEnd(session.id, session.a, session.a_peer))
        ends.append(SessionEnd(session.id, session.b, session.b_peer))
    return ends, unseen


def read_summaries(lab: Lab, devices: list[str]) -> dict[str, tuple[Outcome, dict]]:
    def read(device_id: str) -> tuple[Outcome, dict]:
        outcome = frr.vtysh(lab.root(device_id), [COMMAND])
        docs = [d for d in frrstate.documents(outcome.stdout) if isinstance(d, dict)]
        return outcome, docs[0] if docs else {}

    return dict(zip(devices, fan_out(read, devices), strict=True))


def _up(summary: dict, peer: str) -> bool:
    states = frrstate.peer_states(summary).get(peer, {})
    return bool(states) and all(state == "Established" for state in states.values())


def check(lab: Lab, deadline: float) -> CheckResult:
    ends, unseen = planned_ends(lab)
    devices = sorted({end.device_id for end in ends})
    summaries = until(lambda: read_summaries(lab, devices),
                      lambda found: all(_up(found[e.device_id][1], e.peer) for e in ends), deadline=deadline)
    failures, passes = [], []
    for end in ends:
        outcome, summary = summaries[end.device_id]
        command = frr.display_vtysh(lab.root(end.device_id), COMMAND)
        name = lab.plan.devices[end.device_id].name
        facts = frrstate.peer_facts(summary, end.peer)
        shown = json.dumps(facts, sort_keys=True) if facts else (outcome.output or "no such peer")
        if _up(summary, end.peer):
            passes.append(Evidence(command, f"{end.peer}: {shown}"))
            continue
        states = ", ".join(f"{family} {f.get('state')}" for family, f in facts.items()) or "not configured"
        failures.append((f"session {end.session} at {name} (peer {end.peer}): {states}",
                         [end.session, end.device_id], Evidence(command, f"{end.peer}: {shown}", ok=False)))
    sessions = len({end.session for end in ends})
    result = verdict(NAME, TITLE, failures=failures, passes=passes, total=len(ends), what="session ends")
    if unseen:
        result.detail += (f" ({sessions} sessions; {unseen} not exercised: a device runs no FRR here, or this "
                          "kernel cannot build it)")
    else:
        result.detail += f" ({sessions} sessions)"
    return result
