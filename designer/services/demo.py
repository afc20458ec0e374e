"""The demo account: a user who owns every example design, created or refreshed on each ``make run``."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from designer.models import Design

from .designs import design_import
from .tokens import token_issue, tokens_of

DEMO_TOKEN = "demo"  # noqa: S105 - the name the demo token goes by


@dataclass
class Demo:
    username: str
    password: str
    token: str
    loaded: list[str] = field(default_factory=list)


def demo_load(*, username: str, password: str | None, examples_dir: Path) -> Demo:
    """Create or refresh ``username`` (a staff user, so the admin opens) and import each example it lacks."""
    password = password or secrets.token_urlsafe(12)
    with transaction.atomic():
        user, _ = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": True})
        user.set_password(password)
        user.save()
        # Only a token's hash is kept, so the one printed last time cannot be printed again: it is replaced.
        tokens_of(user).filter(name=DEMO_TOKEN).delete()
        _, token = token_issue(user=user, name=DEMO_TOKEN, days=settings.TOKEN_DAYS)
    demo = Demo(username=username, password=password, token=token)
    owned = set(Design.objects.filter(owner=user).values_list("name", flat=True))
    for path in sorted(examples_dir.glob("*.yaml")):
        if path.stem not in owned:
            design_import(owner=user, content=path.read_bytes(), source=path.name)
            demo.loaded.append(path.stem)
    return demo
