"""``manage.py demo``: a demo user who owns the example designs, for a first look at a new install."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from designer.services.demo import demo_load


class Command(BaseCommand):
    help = "Create the demo user (or reset its password) and give it the example designs."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="demo")
        parser.add_argument("--password", default=None, help="default: a new random one, printed")
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="where the app answers, to print")

    def handle(self, *args, username: str, password: str | None, url: str, **options) -> None:
        demo = demo_load(username=username, password=password, examples_dir=settings.EXAMPLES_DIR)
        for name in demo.loaded:
            self.stdout.write(f"loaded example design {name}")
        self.stdout.write(self.style.SUCCESS(
            f"Sign in at {url} as user '{demo.username}' with password '{demo.password}'\n"
            f"API token for scripts: {demo.token}"))
