"""The push tests share the web tests' people, design and clients (the broker is the whole session's)."""

from tests.web.conftest import client_for, design, exports_in_tmp, people  # noqa: F401
