"""Resolving a lost outcome from the node's own record (``apply.sh --status --json``)."""

from __future__ import annotations

from designer.push.outcome import resolve, running_manifest


def status(**applied) -> dict:
    record = {"manifest": "m0", "run": "r0", "state": "confirmed", "pending": None, "last": None, **applied}
    return {"node": "leaf1", "applied": record, "pending": record["pending"]}


def test_each_record_resolves_to_what_the_node_did():
    pending = {"run": "r1", "deadline": "2026-12-06T10:01:00Z"}
    assert resolve(status(manifest="m1", run="r1", state="pending", pending=pending,
                          last={"run": "r1", "outcome": "applied"}), run="r1", manifest="m1").state == "applied"
    assert resolve(status(manifest="m1", run="r1", last={"run": "r1", "outcome": "confirmed"}),
                   run="r1", manifest="m1").state == "verified"
    rolled = resolve(status(last={"run": "r1", "outcome": "rolled-back", "reason": "not confirmed within 25 s"}),
                     run="r1", manifest="m1")
    assert (rolled.state, rolled.reason) == ("rolled-back", "not confirmed within 25 s")
    assert resolve(status(last={"run": "r1", "outcome": "failed"}), run="r1", manifest="m1").state == "failed"
    assert resolve(status(), run="r1", manifest="m1").state == "checked"  # the run never reached it
    assert resolve({"node": None, "applied": None, "pending": None}, run="r1", manifest="m1").state == "checked"


def test_a_rollback_is_final_even_where_the_record_still_shows_the_run_pending():
    record = status(manifest="m1", run="r1", state="pending", pending={"run": "r1"},
                    last={"run": "r1", "outcome": "rolled-back", "reason": "not confirmed in time"})
    assert resolve(record, run="r1", manifest="m1").state == "rolled-back"


def test_the_running_manifest_is_the_confirmed_one_only():
    assert running_manifest(status(manifest="m1")) == "m1"
    assert running_manifest(status(manifest="m1", state="pending", pending={"run": "r1"})) is None
    assert running_manifest({"node": None, "applied": None, "pending": None}) is None
