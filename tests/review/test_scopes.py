"""Approval rules: scopes over bundle paths and element kinds, approvals bound to bytes, what a review needs."""

from __future__ import annotations

import copy
import hashlib

import pytest

from designer.review.core.bundles import file_hashes
from designer.review.core.scopes import (
    WHOLE_BUNDLE,
    Requirements,
    Scope,
    Verdict,
    decide,
    judge,
    scope_digest,
    scope_digests,
    touched_scopes,
)

from .changes import example_document, side

ROUTING = Scope("routing", ("*/etc/frr/**",), (), frozenset({"rita"}))
SECURITY = Scope("security", ("*/etc/pve/**", "*/etc/nftables.d/**"), (), frozenset({"sam"}))
NETWORKS = Scope("networks", (), ("networks", "vrfs"), frozenset({"nina"}))


def test_globs_match_like_codeowners():
    assert ROUTING.covers("pve1/etc/frr/frr.conf") and ROUTING.covers("leaf1/etc/frr/daemons")
    assert not ROUTING.covers("pve1/etc/network/interfaces") and not ROUTING.covers("etc/frr/frr.conf")
    assert SECURITY.covers("pve1/etc/pve/nodes/pve1/host.fw") and SECURITY.covers("leaf1/etc/nftables.d/a.nft")


@pytest.fixture(scope="module")
def base():
    return side(example_document())


def _approval(reviewer: str, scope_list, at) -> Verdict:
    files = file_hashes(at.files)
    digests = scope_digests(scope_list, files, at.document) if scope_list else {
        WHOLE_BUNDLE: scope_digest(None, files, at.document)}
    return Verdict(reviewer, "approved", at.manifest, digests)


def _now(at) -> dict[str, str]:
    files = file_hashes(at.files)
    return {**scope_digests([ROUTING, SECURITY, NETWORKS], files, at.document),
            WHOLE_BUNDLE: scope_digest(None, files, at.document)}


def test_an_approval_survives_a_head_whose_in_scope_files_are_identical(base):
    approval = _approval("rita", [ROUTING], base)
    document = copy.deepcopy(base.document)
    next(d for d in document["devices"] if d["id"] == "leaf1")["description"] = "the top-of-rack switch"
    next(d for d in document["devices"] if d["id"] == "leaf1")["nics"][2]["mtu"] = 9100  # interfaces only
    newer = side(document, base.compiled.plan.record)
    assert newer.manifest != base.manifest
    assert file_hashes(newer.files)["leaf1/etc/network/interfaces"] != file_hashes(base.files)[
        "leaf1/etc/network/interfaces"]
    standing = judge(approval, newer.manifest, _now(newer))
    assert standing.valid, standing.reason
    everything = judge(_approval("olga", [], base), newer.manifest, _now(newer))
    assert not everything.valid and "the bundle changed" in everything.reason


def test_one_changed_byte_in_scope_invalidates_the_approval_and_says_why(base):
    approval = _approval("rita", [ROUTING], base)
    files = dict(file_hashes(base.files))
    path = "pve1/etc/frr/frr.conf"
    one_byte = bytearray(base.files[path])
    one_byte[-2] ^= 1
    files[path] = hashlib.sha256(bytes(one_byte)).hexdigest()
    now = {**scope_digests([ROUTING], files, base.document), WHOLE_BUNDLE: "x"}
    standing = judge(approval, "another manifest", now)
    assert not standing.valid and "scope routing" in standing.reason


def test_element_kinds_are_in_scope_too(base):
    document = copy.deepcopy(base.document)
    document["networks"][0]["name"] = "infra-renamed"
    before = scope_digests([NETWORKS], {}, base.document)
    after = scope_digests([NETWORKS], {}, document)
    assert touched_scopes([NETWORKS], before, after) == ["networks"]
    moved = copy.deepcopy(base.document)
    moved["networks"][0]["position"] = {"x": 1, "y": 2}  # where it is drawn is nobody's scope
    assert touched_scopes([NETWORKS], before, scope_digests([NETWORKS], {}, moved)) == []


def _standing(reviewer, verdict="approved", valid=True):
    from designer.review.core.scopes import Standing

    return Standing(Verdict(reviewer, verdict, "m", {}), valid)


def test_what_a_review_needs():
    needs = Requirements(approvals=2, touched=["routing"], members={"routing": frozenset({"rita"})},
                         authors=frozenset({"alice"}))
    assert not decide(needs, [_standing("bob"), _standing("carol")])["approved"]  # routing is unapproved
    assert decide(needs, [_standing("bob"), _standing("rita")])["approved"]
    assert not decide(needs, [_standing("alice"), _standing("rita")])["approved"]  # an author does not count
    blocked = decide(needs, [_standing("bob"), _standing("rita"), _standing("carol", "changes_requested")])
    assert not blocked["approved"] and "changes requested by carol" in blocked["missing"][0]
    stale = decide(needs, [_standing("bob"), _standing("rita", valid=False)])
    assert not stale["approved"]
    moved = Requirements(approvals=1, blocking_moves=1)
    assert not decide(moved, [_standing("bob")])["approved"]
    moved.moves_acknowledged = True
    assert decide(moved, [_standing("bob")])["approved"]
