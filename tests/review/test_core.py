"""The pure core of review on real bundles: diffs that patch proves, moves that block, anchors that follow."""

from __future__ import annotations

import copy
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from designer.fabric.plan.record import AllocationRecord
from designer.review.core.anchors import anchor_at, reanchor
from designer.review.core.bundles import file_diff, hunks, side_lines
from designer.review.core.redaction import REDACTED, Redactor, plan_secrets
from designer.review.core.review import review_of

from .changes import FRR_LINE, changed, example_document, fixed, side

PATCH_TIMEOUT_SECONDS = 60


@pytest.fixture(scope="module")
def base():
    return side(example_document())


@pytest.fixture(scope="module")
def head(base):
    return side(changed(example_document()), base.compiled.plan.record)


def test_a_revision_reviewed_against_itself_shows_nothing(base):
    review = review_of(base, base)
    summary = review.summary
    assert summary["empty"] and summary["nodes"] == [] and summary["design_files"] == []
    assert summary["elements"] == [] and summary["moves"] == []
    assert all(not (t["added"] or t["removed"] or t["changed"]) for t in summary["plan"])
    assert summary["findings"]["introduced"] == summary["findings"]["resolved"] == []
    assert summary["base"] == summary["head"]


def test_the_summary_tells_nodes_classes_findings_elements_and_plan_rows(base, head):
    summary = review_of(base, head).summary
    nodes = {row["node"]: row for row in summary["nodes"]}
    assert set(nodes) == {"leaf1", "leaf2", "pve1", "pve2", "pve3"}
    assert nodes["leaf2"]["class"] == "none"  # only its apply.json names the new design hash
    assert nodes["leaf1"]["class"] == "interface-reload"
    assert "pve1/etc/frr/frr.conf" in [f["path"] for f in nodes["pve1"]["files"]]
    assert [f["code"] for f in summary["findings"]["introduced"]] == ["link-mtu-mismatch"]
    elements = {e["id"]: e for e in summary["elements"]}
    assert elements["vni602"]["status"] == "added"
    assert elements["leaf1"]["fields"] == [{"path": "nics[swp2].mtu", "old": None, "new": 9100}]
    vni_rows = next(t for t in summary["plan"] if t["name"] == "vni")
    assert [row["key"] for row in vni_rows["added"]] == ["tenant-b l2"]
    mtu_rows = next(t for t in summary["plan"] if t["name"] == "mtu")
    port = next(c for c in mtu_rows["changed"] if c["key"] == "leaf1 swp2")
    assert "mtu" in port["columns"] and (port["old"]["mtu"], port["new"]["mtu"]) == ("9216", "9100")
    assert summary["moves"] == []


def _apply(diffs: list[str], folder) -> None:
    result = subprocess.run(["patch", "-p1", "--batch", "--forward", "-d", str(folder)], input="".join(diffs),
                            capture_output=True, text=True, timeout=PATCH_TIMEOUT_SECONDS, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def _tree(folder) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.skipif(shutil.which("patch") is None, reason="GNU patch is not installed")
def test_the_unified_diffs_patch_the_base_bundle_into_the_head_byte_for_byte(base, head, tmp_path):
    review = review_of(base, head)
    base.bundle.write_dir(tmp_path)
    assert _tree(tmp_path) != dict(head.files)
    _apply([diff["unified"] for detail in review.nodes.values() for diff in detail["files"]], tmp_path)
    assert _tree(tmp_path) == dict(head.files)


def test_a_node_added_and_one_removed_patch_as_well(base, tmp_path):
    document = copy.deepcopy(base.document)
    pve3 = next(d for d in document["devices"] if d["id"] == "pve3")
    pve3.update(id="pve4", name="pve4")
    for link in document["links"]:
        for end in (link["a"], link["b"]):
            if end["device"] == "pve3":
                end["device"] = "pve4"
        link["id"] = link["id"].replace("pve3", "pve4")
    for network in document["networks"]:
        network["attach"] = [{**a, "device": "pve4"} if isinstance(a, dict) and a["device"] == "pve3" else
                             ("pve4" if a == "pve3" else a) for a in network["attach"]]
    for jail in document.get("fail2ban", []):
        if jail.get("devices"):
            jail["devices"] = ["pve4" if d == "pve3" else d for d in jail["devices"]]
    head = side(document, base.compiled.plan.record)
    review = review_of(base, head)
    statuses = {row["node"]: row["status"] for row in review.summary["nodes"]}
    assert statuses["pve4"] == "added" and statuses["pve3"] == "removed"
    base.bundle.write_dir(tmp_path)
    _apply([diff["unified"] for detail in review.nodes.values() for diff in detail["files"]], tmp_path)
    assert _tree(tmp_path) == dict(head.files)


def test_a_tampered_lock_that_moves_one_address_raises_the_blocking_item(base):
    record = copy.deepcopy(base.compiled.plan.record.to_data())
    assert record["allocations"]["loopback_v4"]["pve2"] == "10.255.254.3"
    record["allocations"]["loopback_v4"]["pve2"] = "10.255.254.99"
    tampered = side(base.document, AllocationRecord.from_data(record))
    moves = review_of(base, tampered).summary["moves"]
    assert moves == [{"kind": "device", "element": "pve2", "name": "pve2",
                      "fact": "loopback_v4, vtep, router_id, lo address v4", "old": "10.255.254.3",
                      "new": "10.255.254.99"}]
    untouched = side(changed(base.document), base.compiled.plan.record)
    assert review_of(base, untouched).summary["moves"] == []


def test_no_private_key_in_any_diff_and_patch_gives_the_redacted_head(tmp_path):
    document = example_document("wireguard-mesh")
    base = side(document, seed="mesh")
    edited = copy.deepcopy(document)
    edited["wireguard"][0]["listen_port"] = 51999  # every member's file changes, next to its private key
    head = side(edited, base.compiled.plan.record, seed="mesh")
    keys = plan_secrets(base.compiled.plan) + plan_secrets(head.compiled.plan)
    assert len(keys) >= 4
    review = review_of(base, head)
    texts = [diff["unified"] for detail in review.nodes.values() for diff in detail["files"]]
    assert any("wireguard" in text and REDACTED in text for text in texts)
    assert not [key for key in keys if any(key in text for text in texts)]
    redacted_base = tmp_path / "base"
    base.bundle.write_dir(redacted_base)
    for path in redacted_base.rglob("*.conf"):
        path.write_text(_redact(path.read_text(), keys))
    _apply(texts, redacted_base)
    expected = {path: (_redact(data.decode(), keys).encode() if path.endswith(".conf") else data)
                for path, data in head.files.items()}
    assert _tree(redacted_base) == expected


def _redact(text: str, keys: list[str]) -> str:
    from designer.review.core.redaction import Redactor

    return Redactor(keys).text(text)


def test_a_line_comment_follows_its_line_and_is_outdated_when_the_line_goes(base, head):
    frr = "pve1/etc/frr/frr.conf"
    first = next(d for d in review_of(base, head).nodes["pve1"]["files"] if d["path"] == frr)
    lines = side_lines(hunks(first["unified"]), "new")
    line = next(number for number, text in lines.items() if text == FRR_LINE)
    anchor = anchor_at(lines, line)
    assert reanchor(anchor, lines) == line

    # A head that moves the line down (one more VNI before it) keeps the comment on it.
    document = copy.deepcopy(head.document)
    document["networks"].insert(0, {"id": "vni599", "name": "early", "vni": 599, "attach": ["pve1"],
                                    "route_targets": {"import": ["65000:599"], "export": ["65000:599"]}})
    moved = side(document, head.compiled.plan.record)
    later = next(d for d in review_of(base, moved).nodes["pve1"]["files"] if d["path"] == frr)
    later_lines = side_lines(hunks(later["unified"]), "new")
    placed = reanchor(anchor, later_lines)
    assert placed is not None and later_lines[placed] == FRR_LINE and placed != line

    # The fix the reviewer asked for changes the route target: the line is gone, the comment outdated.
    fix = side(fixed(head.document), head.compiled.plan.record)
    after = next(d for d in review_of(base, fix).nodes["pve1"]["files"] if d["path"] == frr)
    assert reanchor(anchor, side_lines(hunks(after["unified"]), "new")) is None


_LINES = st.lists(st.sampled_from(["auto bond0\n", "    mtu 9000\n", "!\n", "router bgp 65001\n", "\n", "end"]),
                  max_size=40)


@pytest.mark.skipif(shutil.which("patch") is None, reason="GNU patch is not installed")
@settings(max_examples=150, deadline=None)
@given(before=_LINES, after=_LINES, shared_head=_LINES, shared_tail=_LINES)
def test_a_diff_made_between_the_common_head_and_tail_patches_the_whole_file(before, after, shared_head, shared_tail):
    old, new = "".join(shared_head + before + shared_tail), "".join(shared_head + after + shared_tail)
    unified = file_diff("node/etc/file", old.encode(), new.encode(), Redactor()).unified
    assert (unified == "") == (old == new)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "node" / "etc").mkdir(parents=True)
        (Path(folder) / "node" / "etc" / "file").write_text(old)
        if unified:
            _apply([unified], folder)
        assert (Path(folder) / "node" / "etc" / "file").read_text() == new
