"""How API callers prove who they are: a token sent as ``Authorization: Token <token>``, checked by its hash."""

from __future__ import annotations

from knox.auth import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class ApiTokenAuthentication(TokenAuthentication):
    """django-rest-knox's check, refusing a token that is not even text the way it refuses a wrong one."""

    def authenticate_credentials(self, token: bytes):
        try:
            token.decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("Invalid token.") from None
        return super().authenticate_credentials(token)
