"""The review app: change reviews of designs, their comments, approvals, gate and share links."""

from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "designer.review"
    label = "review"
    verbose_name = "Change review"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the receivers
