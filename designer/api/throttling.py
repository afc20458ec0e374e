"""Sign-in throttles: failed sign-ins counted per account and per address, in the cache every process shares.

Only failures count, so a person who types the right password is never slowed down; past the rate every
attempt is refused, the right password too, until the oldest failure leaves the window.
"""

from __future__ import annotations

import hashlib

from rest_framework.throttling import SimpleRateThrottle

REFUSAL = "too many failed sign-ins for this account or from this address"


class FailedSignInThrottle(SimpleRateThrottle):
    """``allow_request`` looks without counting; ``failed`` counts the attempt it looked at."""

    def throttle_success(self) -> bool:
        return True

    def failed(self) -> None:
        if self.key is not None:
            self.history.insert(0, self.now)
            self.cache.set(self.key, self.history, self.duration)


class SignInAddressThrottle(FailedSignInThrottle):
    scope = "sign_in_address"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SignInAccountThrottle(FailedSignInThrottle):
    scope = "sign_in_account"

    def get_cache_key(self, request, view) -> str | None:
        username = sign_in_username(request)
        if not username:
            return None
        # Hashed: a user name is any text, and a cache key must be short and plain.
        return self.cache_format % {"scope": self.scope, "ident": hashlib.sha256(username.lower().encode()).hexdigest()}


def sign_in_username(request) -> str:
    """The user name a sign-in names, from a DRF request's body or a page's form."""
    data = getattr(request, "data", None)
    if data is None:
        data = request.POST
    username = data.get("username") if hasattr(data, "get") else None
    return username if isinstance(username, str) else ""


def sign_in_refused(request, view=None) -> tuple[list[FailedSignInThrottle], float | None]:
    """The throttles of this sign-in attempt, and how many seconds to wait when one of them refuses it."""
    throttles = [SignInAddressThrottle(), SignInAccountThrottle()]
    waits = [throttle.wait() for throttle in throttles if not throttle.allow_request(request, view)]
    return throttles, (max(waits) if waits else None)
