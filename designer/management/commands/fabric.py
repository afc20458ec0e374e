"""``python manage.py fabric ...``: the compiler's command line, which needs no database."""

import sys

from django.core.management.base import BaseCommand

from designer.fabric.cli import main


class Command(BaseCommand):
    help = "Plan, check, generate, compile and push fabric designs (see: manage.py fabric --help)."

    def run_from_argv(self, argv: list[str]) -> None:
        from designer.push import cli as push  # push speaks SSH: the compiler's own commands never import it

        sys.exit(main(argv[2:], prog=f"{argv[0]} fabric", extra={"push": push}))
