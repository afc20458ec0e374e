"""Push over the API, run by the worker's own code against simulated nodes: inventory, host-key pinning,
the plan phase, confirmation, waves, stop, roll back, drift, the audit, and who may do what."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from designer.models import AuditEvent, DeployKey, NodeRun, PushRun
from designer.models.choices import Role
from designer.models.push import AuditRefused
from designer.push.runs import drift_all
from designer.push.simulator import Faults
from designer.push.worker import lease_take, push_run_execute
from designer.services.compiling import revision_record
from designer.services.designs import design_save
from tests.push.gating import glass_broken

from .fleet import fleet_in_thread

NODES = ["leaf1", "leaf2", "pve1", "pve2", "pve3"]
FAST = {"confirm_timeout": 3, "health_wait": 1, "command": 10, "apply": 10, "health_interval": 0.2,
        "resolve_grace": 5}
pytestmark = pytest.mark.django_db(transaction=True)


class Seen:
    """Every answer a person or script got, to scan for secrets at the end."""

    def __init__(self):
        self.texts: list[str] = []

    def __call__(self, response):
        self.texts.append(response.content.decode(errors="replace") if not getattr(response, "streaming", False)
                          else "")
        return response


@pytest.fixture
def seen():
    return Seen()


def api(client_for, seen, who):
    client = client_for(who)

    class Caller:
        def get(self, url):
            return seen(client.get(url))

        def post(self, url, body=None):
            return seen(client.post(url, body or {}, format="json"))

        def put(self, url, body):
            return seen(client.put(url, body, format="json"))

    return Caller()


def enrol(design, owner, fleet) -> None:
    """The owner's inventory, then each node's host key pinned as pasted from its console; the gate opened."""
    glass_broken(design)
    nodes = {name: {"address": "127.0.0.1", "port": node.port, "user": "root"} for name, node in fleet.nodes.items()}
    assert owner.put(f"/api/designs/{design.pk}/push/inventory/", {"push_from": ["127.0.0.1"],
                                                                   "nodes": nodes}).status_code == 200
    for name, node in fleet.nodes.items():
        pinned = owner.post(f"/api/designs/{design.pk}/push/host-keys/", {"node": name, "key": node.host_key_line})
        assert pinned.status_code == 201, pinned.data


def people_of(design, username: str):
    return design.memberships.get(user__username=username).user


def deploy_public(design, owner) -> str:
    owner.put(f"/api/designs/{design.pk}/push/inventory/", {"nodes": {}})
    return DeployKey.objects.get(design=design).public


def planned_run(design, editor, timing=FAST) -> dict:
    started = editor.post(f"/api/designs/{design.pk}/push-runs/", {"timing": timing})
    assert started.status_code == 202, started.data
    push_run_execute(started.data["id"])  # as the worker does with the task
    return editor.get(f"/api/designs/{design.pk}/push-runs/{started.data['id']}/").data


def test_a_push_over_the_api_plans_waits_for_confirmation_then_verifies_every_node(design, client_for, seen):
    owner, editor = api(client_for, seen, "owner"), api(client_for, seen, "editor")
    with fleet_in_thread(NODES, deploy_public(design, owner)) as fleet:
        enrol(design, owner, fleet)
        plan = planned_run(design, editor)
        assert plan["status"] == "planned" and plan["outcome"] == "awaiting confirmation"
        assert plan["waves"][0] == ["leaf1", "pve1"]  # canaries: one node of each role
        assert all(not {"leaf1", "leaf2"} <= set(wave) for wave in plan["waves"])
        assert {n["node"]: n["state"] for n in plan["nodes"]} == dict.fromkeys(NODES, "checked")
        assert all(n["disruption"] == "frr-reload" and n["diff"]["files"] for n in plan["nodes"])
        assert all(node.record.applies == [] for node in fleet.nodes.values())  # nothing applied yet

        confirmed = editor.post(f"/api/designs/{design.pk}/push-runs/{plan['id']}/confirm/")
        assert confirmed.status_code == 202 and confirmed.data["status"] == "pushing"
        push_run_execute(plan["id"])
        done = editor.get(f"/api/designs/{design.pk}/push-runs/{plan['id']}/").data
        assert (done["status"], done["outcome"]) == ("finished", "every wave done")
        assert {n["node"]: n["state"] for n in done["nodes"]} == dict.fromkeys(NODES, "verified")
        assert all(node.record.applies == [f"weft-{plan['id']}"] and node.record.pending is None
                   for node in fleet.nodes.values())
        again = editor.post(f"/api/designs/{design.pk}/push-runs/{plan['id']}/confirm/")
        assert again.status_code == 409 and "only a planned push" in again.data["detail"]

    actions = list(AuditEvent.objects.filter(design=design).order_by("id").values_list("action", flat=True))
    assert actions[:2] == ["deploy-key-create", "inventory"] and actions[-3:] == ["plan", "confirm", "finish"]
    finish = AuditEvent.objects.get(design=design, action="finish")
    assert finish.actor.username == "editor" and finish.manifest_hash == done["manifest_hash"]
    assert finish.detail["nodes"] == dict.fromkeys(NODES, "verified")
    audit = owner.get(f"/api/designs/{design.pk}/push/audit/").data["results"]
    assert audit[0]["action"] == "finish" and audit[0]["revision"] == design.current_revision.pk


def test_a_canary_that_fails_health_stops_the_run_before_the_next_wave(design, client_for, seen):
    owner, editor = api(client_for, seen, "owner"), api(client_for, seen, "editor")
    with fleet_in_thread(NODES, deploy_public(design, owner), {"leaf1": Faults(unhealthy_after_apply=True)}) as fleet:
        enrol(design, owner, fleet)
        plan = planned_run(design, editor)
        editor.post(f"/api/designs/{design.pk}/push-runs/{plan['id']}/confirm/")
        push_run_execute(plan["id"])
        done = editor.get(f"/api/designs/{design.pk}/push-runs/{plan['id']}/").data
        states = {n["node"]: n["state"] for n in done["nodes"]}
        assert done["status"] == "stopped" and done["outcome"].startswith("a canary failed: leaf1 (rolled-back)")
        assert states["leaf1"] == "rolled-back" and states["pve1"] == "verified"
        assert {states[n] for n in ("leaf2", "pve2", "pve3")} == {"checked"}  # wave 1 never started
        assert fleet.nodes["leaf2"].record.applies == []


def test_a_plan_with_an_unreachable_node_cannot_be_confirmed(design, client_for, seen):
    owner, editor = api(client_for, seen, "owner"), api(client_for, seen, "editor")
    with fleet_in_thread(NODES, deploy_public(design, owner), {"pve3": Faults(down=True)}) as fleet:
        enrol_all_but = {n: v for n, v in fleet.nodes.items() if n != "pve3"}
        nodes = {name: {"address": "127.0.0.1", "port": node.port} for name, node in fleet.nodes.items()}
        owner.put(f"/api/designs/{design.pk}/push/inventory/", {"nodes": nodes})
        for name, node in enrol_all_but.items():
            owner.post(f"/api/designs/{design.pk}/push/host-keys/", {"node": name, "key": node.host_key_line})
        glass_broken(design)
        plan = planned_run(design, editor)
        pve3 = next(n for n in plan["nodes"] if n["node"] == "pve3")
        assert pve3["state"] == "unreachable" and "no pinned host key" in pve3["detail"]
        refused = editor.post(f"/api/designs/{design.pk}/push-runs/{plan['id']}/confirm/")
        assert refused.status_code == 409 and "pve3: unreachable" in refused.data["detail"]
        stopped = editor.post(f"/api/designs/{design.pk}/push-runs/{plan['id']}/stop/")
        assert stopped.data["status"] == "cancelled"


def test_host_keys_are_pinned_by_owners_only_and_re_pinning_is_audited(design, client_for, seen):
    owner, editor = api(client_for, seen, "owner"), api(client_for, seen, "editor")
    with fleet_in_thread(["leaf1"], deploy_public(design, owner)) as fleet:
        node = fleet.nodes["leaf1"]
        owner.put(f"/api/designs/{design.pk}/push/inventory/", {"nodes": {"leaf1": {"address": "127.0.0.1",
                                                                                     "port": node.port}}})
        url = f"/api/designs/{design.pk}/push/host-keys/"
        assert editor.post(url, {"node": "leaf1", "key": node.host_key_line}).status_code == 403
        fetched = owner.post(f"{url}fetch/", {"node": "leaf1"}).data
        assert fetched["key"] == node.host_key_line
        wrong = owner.post(url, {"node": "leaf1", "fingerprint": "SHA256:" + "A" * 43})
        assert wrong.status_code == 400 and "nothing pinned" in wrong.data["problems"][0]["message"]
        assert owner.post(url, {"node": "leaf1", "fingerprint": fetched["fingerprint"]}).status_code == 201
        again = owner.post(url, {"node": "leaf1", "key": node.host_key_line})
        assert again.status_code == 400 and again.data["problems"][0]["path"] == "replace"
        assert owner.post(url, {"node": "leaf1", "key": node.host_key_line, "replace": True}).status_code == 201
    repin = AuditEvent.objects.get(design=design, action="host-key-repin")
    assert repin.detail["old"] == [fetched["fingerprint"]] and repin.detail["new"] == fetched["fingerprint"]
    assert repin.actor.username == "owner"


def test_viewers_watch_but_cannot_push_and_outsiders_see_nothing(design, client_for, seen):
    viewer = api(client_for, seen, Role.VIEWER)
    assert viewer.get(f"/api/designs/{design.pk}/push-runs/").status_code == 200
    assert viewer.get(f"/api/designs/{design.pk}/push/setup/").status_code == 200
    refused = viewer.post(f"/api/designs/{design.pk}/push-runs/", {})
    assert refused.status_code == 403 and "needs editor" in refused.data["detail"]
    assert api(client_for, seen, "reviewer").post(f"/api/designs/{design.pk}/push-runs/drift/").status_code == 403
    assert api(client_for, seen, "outsider").get(f"/api/designs/{design.pk}/push-runs/").status_code == 404
    assert PushRun.objects.count() == 0


def test_a_run_held_by_a_live_worker_is_not_taken_by_another(design, client_for, seen):
    owner, editor = api(client_for, seen, "owner"), api(client_for, seen, "editor")
    glass_broken(design)
    with fleet_in_thread(["leaf1"], deploy_public(design, owner)):
        started = editor.post(f"/api/designs/{design.pk}/push-runs/", {"timing": FAST})
    assert started.status_code == 400  # the inventory lacks the design's nodes
    assert started.data["problems"][0]["path"] == "inventory"
    run = PushRun.objects.create(design=design, revision=design.current_revision, started_by=design.owner)
    assert lease_take(run.pk, "worker-a") and not lease_take(run.pk, "worker-b") and lease_take(run.pk, "worker-a")
    push_run_execute(run.pk)  # this process is another worker: it leaves the run alone
    run.refresh_from_db()
    assert (run.status, run.lease_owner) == ("planning", "worker-a")


def test_the_audit_is_append_only(design):
    event = AuditEvent.objects.create(design=design, action="plan")
    event.detail = {"changed": True}
    with pytest.raises(AuditRefused):
        event.save()
    with pytest.raises(AuditRefused):
        event.delete()


def test_no_private_key_reaches_a_response_page_log_or_record(design, client_for, seen, caplog, people):
    owner, editor = api(client_for, seen, "owner"), api(client_for, seen, "editor")
    caplog.set_level("DEBUG")
    with fleet_in_thread(NODES, deploy_public(design, owner)) as fleet:
        enrol(design, owner, fleet)
        plan = planned_run(design, editor)
        editor.post(f"/api/designs/{design.pk}/push-runs/{plan['id']}/confirm/")
        push_run_execute(plan["id"])
        editor.post(f"/api/designs/{design.pk}/push-runs/drift/")
        push_run_execute(PushRun.objects.filter(kind="drift").get().pk)
        owner.post(f"/api/designs/{design.pk}/push/deploy-key/rotate/")
        browser = Client()
        browser.force_login(people["owner"])
        seen(browser.get(f"/designs/{design.pk}/push/"))
        for url in (f"/api/designs/{design.pk}/push/setup/", f"/api/designs/{design.pk}/push-runs/",
                    f"/api/designs/{design.pk}/push/audit/", "/api/schema/"):
            assert owner.get(url).status_code == 200
    private_halves = [k.sealed["private"] for k in DeployKey.objects.all()]
    secrets = [line for key in private_halves for line in key.splitlines()[1:-1] if len(line) > 20]
    secrets += list(revision_record(design.current_revision).namespace("wireguard_key").values())
    records = json.dumps([list(PushRun.objects.values()), list(NodeRun.objects.values()),
                          list(AuditEvent.objects.values())], default=str)
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed FROM designer_deploykey")
        stored = json.dumps(cursor.fetchall())
    haystack = "\n".join([*seen.texts, records, caplog.text, stored])
    assert len(seen.texts) > 10 and secrets
    leaked = [secret[:12] for secret in secrets if secret in haystack]
    assert not leaked, f"private key material in a response, page, log or record: {leaked}"


def pushed(design, editor, timing=FAST) -> dict:
    """A push planned, confirmed and run to its end."""
    plan = planned_run(design, editor, timing)
    assert editor.post(f"/api/designs/{design.pk}/push-runs/{plan['id']}/confirm/").status_code == 202
    push_run_execute(plan["id"])
    return editor.get(f"/api/designs/{design.pk}/push-runs/{plan['id']}/").data


def test_drift_names_files_edited_on_a_node_and_the_revision_each_node_runs(design, client_for, seen):
    owner, editor = api(client_for, seen, "owner"), api(client_for, seen, "editor")
    with fleet_in_thread(NODES, deploy_public(design, owner)) as fleet:
        enrol(design, owner, fleet)
        assert pushed(design, editor)["status"] == "finished"
        fleet.nodes["pve2"].faults.edited = ["/etc/frr/frr.conf"]
        started = editor.post(f"/api/designs/{design.pk}/push-runs/drift/")
        assert started.status_code == 202 and started.data["kind"] == "drift"
        push_run_execute(started.data["id"])
        report = {n["node"]: n["drift"] for n in
                  editor.get(f"/api/designs/{design.pk}/push-runs/{started.data['id']}/").data["nodes"]}
        periodic = drift_all()
    assert report["pve2"]["drifted"] is True and report["pve2"]["files"] == ["/etc/frr/frr.conf (modified)"]
    assert report["pve2"]["summary"].startswith("runs revision 1; files changed since the last push")
    assert report["leaf1"] == {"drifted": False, "summary": "runs revision 1", "files": [], "runtime": [],
                               "revision": 1}
    assert [run.design_id for run in periodic] == [design.pk] and periodic[0].started_by is None
    browser = Client()
    browser.force_login(people_of(design, "viewer"))
    canvas = browser.get(f"/designs/{design.pk}/").content.decode()
    assert 'data-drifted="pve2"' in canvas and "drift: pve2" in canvas  # the badge on the canvas page's heading


def test_roll_back_pushes_the_revision_the_nodes_had_before_through_the_same_plan_phase(design, client_for, seen):
    owner, editor = api(client_for, seen, "owner"), api(client_for, seen, "editor")
    with fleet_in_thread(NODES, deploy_public(design, owner)) as fleet:
        enrol(design, owner, fleet)
        first = pushed(design, editor)
        document = {**design.current_revision.document}
        document["underlay"] = {**document["underlay"], "connect_retry": 20}
        second_revision = design_save(design=design, document=document, base_revision=design.current_revision,
                                      author=people_of(design, "editor"))
        glass_broken(design, second_revision)
        second = pushed(design, editor)
        assert second["revision"] == second_revision.pk and second["status"] == "finished"
        on_second = {name: node.record.manifest for name, node in fleet.nodes.items()}
        rollback = editor.post(f"/api/designs/{design.pk}/push-runs/{second['id']}/rollback/")
        assert rollback.status_code == 202, rollback.data
        assert (rollback.data["kind"], rollback.data["revision"], rollback.data["rollback_of"]) == (
            "rollback", first["revision"], second["id"])
        push_run_execute(rollback.data["id"])
        editor.post(f"/api/designs/{design.pk}/push-runs/{rollback.data['id']}/confirm/")
        push_run_execute(rollback.data["id"])
        back = editor.get(f"/api/designs/{design.pk}/push-runs/{rollback.data['id']}/").data
        on_first = {n["node"]: n["manifest"] for n in first["nodes"]}
        assert back["status"] == "finished"
        assert {name: node.record.manifest for name, node in fleet.nodes.items()} == on_first != on_second
    assert AuditEvent.objects.filter(design=design, action="rollback", run_id=rollback.data["id"]).exists()


def test_a_push_of_bytes_no_review_approved_is_refused_until_the_owner_breaks_the_glass(design, client_for, seen):
    owner, editor = api(client_for, seen, "owner"), api(client_for, seen, "editor")
    refused = editor.post(f"/api/designs/{design.pk}/push-runs/", {"timing": FAST})
    assert refused.status_code == 409
    assert "may not push: no review has revision 1 as its head" in refused.data["detail"]
    assert not PushRun.objects.filter(design=design).exists()
    broken = owner.post(f"/api/designs/{design.pk}/gate/break-glass/",
                        {"revision": design.current_revision.pk, "purpose": "push", "reason": "an outage at 3 am"})
    assert broken.status_code == 201 and broken.data["open"] is True
    started = editor.post(f"/api/designs/{design.pk}/push-runs/", {"timing": FAST})
    assert started.status_code == 400 and started.data["problems"][0]["path"] == "inventory"  # past the gate
