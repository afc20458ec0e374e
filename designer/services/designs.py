"""Creating, saving and importing designs; every save is a new immutable revision."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from designer.fabric import spec
from designer.fabric.document import content_hash_of, load_text, to_data, validate
from designer.fabric.errors import DesignError, Problem
from designer.fabric.plan import plan
from designer.fabric.plan.record import AllocationRecord
from designer.fabric.runtime import gc_paused
from designer.models import Allocation, Design, Membership, Revision
from designer.models.choices import Role

from .announcements import announce_revision
from .compiling import revision_record
from .errors import StaleRevision

SLUG_ATTEMPTS = 100


def design_create(*, owner, name: str, description: str = "", slug: str = "", document: Any = None,
                  message: str = "") -> Design:
    """A new design owned by ``owner``; its first revision holds ``document`` (or an empty one)."""
    checked = validate(document if document is not None else empty_document(slug or name))
    return _create_checked(owner=owner, name=name, description=description, slug=slug, checked=checked,
                           message=message or "created")


def design_save(*, design: Design, document: Any, base_revision: Revision | None, author,
                message: str = "") -> Revision:
    """Save ``document`` as the next revision, only if ``base_revision`` is still the current one.

    Planning happens before the lock (the base's allocations cannot change: revisions are
    immutable), so the lock is held only to compare and append.
    """
    content = _content(validate(document), revision_record(base_revision))
    with transaction.atomic():
        locked = Design.objects.select_for_update().get(pk=design.pk)
        base_id = base_revision.pk if base_revision is not None else None
        if locked.current_revision_id != base_id:
            raise StaleRevision(Revision.objects.select_related("author").filter(
                pk=locked.current_revision_id).first())
        revision = _append_revision(locked, content, parent=base_revision, author=author, message=message)
        transaction.on_commit(lambda: announce_revision(revision))
    return revision


def design_update(*, design: Design, name: str | None = None, description: str | None = None) -> Design:
    """Change a design's name or description; the document is changed only by saving revisions."""
    fields = {key: value for key, value in (("name", name), ("description", description)) if value is not None}
    for key, value in fields.items():
        setattr(design, key, value)
    if fields:
        design.save(update_fields=[*fields, "updated"])
    return design


def design_import(*, owner, content: bytes, name: str = "", slug: str = "", source: str = "") -> Design:
    """A new design from a YAML design file; its document name names the design unless ``name`` does."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise DesignError(Problem("file", "the design file is not UTF-8 text", "save it as UTF-8 and send it again"),
                          source=source) from None
    checked = load_text(text, source=source)
    return _create_checked(owner=owner, name=name or checked.name, description=checked.description, slug=slug,
                           checked=checked, message=f"imported {source}".strip())


def empty_document(name: str) -> dict[str, Any]:
    """A design with nothing in it yet, its document name made from ``name`` (64 characters at most)."""
    return {"version": 1, "name": slugify(name)[:64] or "design"}


def _create_checked(*, owner, name: str, description: str, slug: str, checked: spec.Design, message: str) -> Design:
    """A new design whose first revision holds ``checked``, a document the compiler has already validated."""
    # Worked out before the transaction, as design_save does: the write lock is held only to insert.
    content = _content(checked, None)
    with transaction.atomic():
        design = _insert_design(name=name, description=description, owner=owner, slug=slug)
        Membership.objects.create(design=design, user=owner, role=Role.OWNER)
        _append_revision(design, content, parent=None, author=owner, message=message)
    return design


@dataclass(frozen=True, slots=True)
class _Content:
    """What a new revision stores: the document, its content hash and the allocations planned for it."""

    document: dict[str, Any]
    content_hash: str
    record: dict[str, Any]


def _content(checked: spec.Design, record: AllocationRecord | None) -> _Content:
    # Only the allocations are kept, so the design checks are not run here.
    with gc_paused():
        planned = plan(checked, record)
    document = to_data(checked)
    return _Content(document, content_hash_of(document), planned.record.to_data())


def _append_revision(design: Design, content: _Content, *, parent: Revision | None, author,
                     message: str) -> Revision:
    revision = Revision.objects.create(
        design=design, number=(parent.number if parent is not None else 0) + 1, parent=parent, author=author,
        message=message, document=content.document, content_hash=content.content_hash)
    Allocation.objects.create(revision=revision, record=content.record)
    design.current_revision = revision
    design.save(update_fields=["current_revision", "updated"])
    return revision


def _insert_design(*, name: str, description: str, owner, slug: str) -> Design:
    """Insert the design under ``slug``, or under the first free slug made from ``name``.

    Designs created at once can find the same slug free; the database's unique index decides, and the
    one refused takes the next candidate (or, for a slug asked for by name, is told it is taken).
    """
    for candidate in _slug_candidates(slug, name):
        try:
            with transaction.atomic():  # a savepoint: a refused insert leaves the outer transaction usable
                return Design.objects.create(name=name, description=description, owner=owner, slug=candidate)
        except IntegrityError:
            if not Design.objects.filter(slug=candidate).exists():
                raise  # another constraint failed: not a slug taken meanwhile
            if slug:
                raise _slug_taken(slug) from None
    raise DesignError(Problem("name", f"too many designs are named like '{name}'", "choose a more distinct name"))


def _slug_taken(slug: str) -> DesignError:
    return DesignError(Problem("slug", f"the slug '{slug}' is already used by another design",
                               "choose another one, or leave it out to have one made from the name"))


def _slug_candidates(requested: str, name: str) -> Iterator[str]:
    if requested:
        yield requested  # taken already or meanwhile, the unique index refuses it and the caller says so
        return
    base = slugify(name)[:90] or "design"
    taken = set(Design.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    for attempt in range(1, SLUG_ATTEMPTS + 1):
        candidate = base if attempt == 1 else f"{base}-{attempt}"
        if candidate not in taken:
            yield candidate
