"""API tokens: only each token's hash is stored (django-rest-knox), with its owner's name for it and its expiry."""

from __future__ import annotations

from django.db import models
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS


class ApiToken(AbstractAuthToken):
    """A token a script signs in with. The token itself is shown once, when it is issued; its first 15
    characters find the row and the hash of the whole proves it."""

    id = models.BigAutoField(primary_key=True)  # the handle its owner revokes it by: the hash stays unshown
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    name = models.CharField(max_length=100, help_text="what its owner calls it, such as the script that uses it")

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} of {self.user}"
