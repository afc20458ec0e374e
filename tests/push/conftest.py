"""The push tests share the web tests' people, design and clients (and their broker of the tests' own)."""

from tests.web.conftest import broker_of_the_tests, client_for, design, exports_in_tmp, people  # noqa: F401
