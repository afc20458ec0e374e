"""Computing a review's diff once per (base, head) and reading it back from the cache."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import orjson
from django.db import IntegrityError, transaction

from designer.fabric import GENERATOR_VERSION
from designer.fabric.bundle import build_bundle
from designer.fabric.runtime import gc_paused
from designer.models import Revision
from designer.services.compiling import revision_compiled

from ..core.bundles import hunks, node_directories
from ..core.nodes import node_delta
from ..core.review import Side, review_of
from ..models import ReviewCache, ReviewNodeCache

COMPRESSION = 1  # the fastest level: the cache is read far more often than it is written, both are quick


def _pack(value: Any) -> bytes:
    return zlib.compress(orjson.dumps(value), COMPRESSION)


def _unpack(data: bytes | memoryview) -> Any:
    return orjson.loads(zlib.decompress(bytes(data)))


@dataclass
class Computed:
    cache: ReviewCache
    summary: dict[str, Any]

    @cached_property
    def files(self) -> dict[str, dict[str, str]]:
        """``{"base": {path: sha256}, "head": {...}}`` of the two bundles."""
        return _unpack(self.cache.files)


def revision_side(revision: Revision) -> Side:
    """A stored revision compiled with its pinned allocations, with its bundle."""
    return Side.of(revision.document, revision_compiled(revision), revision.content_hash)


def review_diff(base: Revision, head: Revision) -> Computed:
    """The review of ``base`` -> ``head``: from the cache, or computed and cached."""
    cached = ReviewCache.objects.filter(base=base, head=head, generator=GENERATOR_VERSION).first()
    if cached is not None:
        return Computed(cached, _unpack(cached.summary))
    with gc_paused():
        diff = review_of(revision_side(base), revision_side(head))
        files = diff.summary.pop("files")
        summary, packed_files = _pack(diff.summary), _pack(files)
        nodes = [(node, _pack(detail)) for node, detail in diff.nodes.items()]
    try:
        with transaction.atomic():
            cached = ReviewCache.objects.create(base=base, head=head, generator=GENERATOR_VERSION, summary=summary,
                                                files=packed_files)
            ReviewNodeCache.objects.bulk_create(
                [ReviewNodeCache(cache=cached, node=node, data=data) for node, data in nodes], batch_size=500)
    except IntegrityError:  # computed at the same time elsewhere: theirs is the same
        cached = ReviewCache.objects.get(base=base, head=head, generator=GENERATOR_VERSION)
    return Computed(cached, diff.summary)


def cached_files(base: Revision, head: Revision) -> dict[str, dict[str, str]] | None:
    """The file hashes of a cached review of ``base`` -> ``head``, or None when it is not cached."""
    packed = ReviewCache.objects.filter(base=base, head=head, generator=GENERATOR_VERSION).values_list(
        "files", flat=True).first()
    return _unpack(packed) if packed is not None else None


def cached_manifest(revision: Revision) -> str | None:
    """The manifest hash of ``revision``'s bundle if a review of it is cached (same generator), else None."""
    packed = ReviewCache.objects.filter(head=revision, generator=GENERATOR_VERSION).values_list("summary",
                                                                                             flat=True).first()
    return _unpack(packed)["head"]["manifest"] if packed is not None else None


def node_review(computed: Computed, node: str, *, frr: bool = True) -> dict[str, Any] | None:
    """One node's files of a review with their hunks, and (``frr``) FRR's own delta, worked out on first
    opening and kept. None when the change leaves the node alone. Node "" holds the design-wide files."""
    row = ReviewNodeCache.objects.filter(cache=computed.cache, node=node).first()
    if row is None:
        return None
    detail = _unpack(row.data)
    for diff in detail["files"]:
        diff["hunks"] = hunks(diff["unified"])
    if frr and node and detail["status"] != "removed":
        if row.frr is None:
            row.frr = _frr_delta(computed, node)
            row.save(update_fields=["frr"])
        detail["delta"] = row.frr
    return detail


def _frr_delta(computed: Computed, node: str) -> dict[str, Any]:
    """FRR's delta of one node: its directory in each revision's bundle, rendered for that node alone."""
    with gc_paused():
        old, new = _node_tree(computed.cache.base, node), _node_tree(computed.cache.head, node)
    return node_delta(old, new)


def _node_tree(revision: Revision, node: str) -> dict[str, bytes] | None:
    compiled = revision_compiled(revision)
    device = compiled.plan.device_by_name(node)
    if device is None or not device.managed:
        return None
    bundle = build_bundle(compiled, nodes=[node], design_hash=revision.content_hash)
    return node_directories(bundle.files).get(node)
