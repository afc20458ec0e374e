"""A Django set up on a SQLite database of a benchmark's own, thrown away after: never the site's database."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def own_database(prefix: str) -> Iterator[tuple[object, object]]:
    """Yields ``(owner, client)``: a user ``bench`` and an API client signed in as them."""
    with tempfile.TemporaryDirectory(prefix=prefix) as data_dir:
        os.environ.pop("DATABASE_URL", None)
        os.environ["WEFT_DATA_DIR"] = data_dir
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weft.settings")
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from rest_framework.test import APIClient

        call_command("migrate", verbosity=0)
        owner = get_user_model().objects.create_user("bench")
        client = APIClient(SERVER_NAME="127.0.0.1")
        client.force_authenticate(owner)
        yield owner, client
