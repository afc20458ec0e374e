"""The designer app: designs, revisions and the pages and API around the fabric compiler."""

from django.apps import AppConfig


class DesignerConfig(AppConfig):
    name = "designer"
    verbose_name = "Fabric designer"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the receivers
        from .api import schema  # noqa: F401 - registers how the OpenAPI schema describes token sign-in
