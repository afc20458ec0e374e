"""The demo account: a user who owns every example design, created or refreshed on each ``make run``."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from rest_framework.authtoken.models import Token

from designer.models import Design

from .designs import design_import


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
        token, _ = Token.objects.get_or_create(user=user)
    demo = Demo(username=username, password=password, token=token.key)
    owned = set(Design.objects.filter(owner=user).values_list("name", flat=True))
    for path in sorted(examples_dir.glob("*.yaml")):
        if path.stem not in owned:
            design_import(owner=user, content=path.read_bytes(), source=path.name)
            demo.loaded.append(path.stem)
    return demo
