"""An export archive leaves storage with its row, however the row goes: its design, job or itself deleted."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from designer.models import Export


@receiver(post_delete, sender=Export, dispatch_uid="designer.export_archive_deleted")
def export_archive_deleted(sender, instance: Export, **kwargs) -> None:
    """Archives hold WireGuard private keys: none may outlive its export."""
    if instance.file:
        archive = instance.file
        # After the commit: a deletion rolled back keeps its row, and the row must keep its archive.
        transaction.on_commit(lambda: archive.delete(save=False))
