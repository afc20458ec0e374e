"""A revision saved on a design becomes the head of the design's open reviews."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from designer.models import Revision


@receiver(post_save, sender=Revision, dispatch_uid="review-follows-head")
def _follow_head(sender, instance: Revision, created: bool, **kwargs) -> None:
    if created:
        from .services.reviews import review_follow_head

        review_follow_head(revision=instance)
