"""The pushes of these tests are of revisions no review approved: the design's owner breaks the glass, with a
written reason, as the gate lets an owner do (the gate itself is tested in tests/review)."""

from __future__ import annotations

from designer.review.choices import Purpose
from designer.review.services.gate import gate_break

REASON = "pushed by the push tests, which review nothing"


def glass_broken(design, revision=None) -> None:
    gate_break(design=design, revision=revision or design.current_revision, purpose=Purpose.PUSH,
               user=design.owner, reason=REASON)
