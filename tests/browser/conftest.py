"""Fixtures of the browser tests: one Weft site for the session, Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from .live_site import Site, running_site

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium, never a downloaded browser; the flags keep it from calling out on a closed network.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1600, "height": 1100}
ACTION_TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots and measured figures of the browser tests, kept after the run."""
    folder = Path(os.environ.get("WEFT_TEST_ARTIFACTS", ROOT / "var" / "test-artifacts")) / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Iterator[Site]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (make test does)")
    if not (ROOT / "static" / "canvas" / "index.js").exists():
        pytest.fail("the canvas bundle static/canvas/index.js is missing: build it with npm run build in frontend/")
    with running_site(tmp_path_factory.mktemp("site")) as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the session; each test gets a fresh context of its own (cookies, storage)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    browser_context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    browser_context.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        yield browser_context
    finally:
        browser_context.close()


def sign_in(context: BrowserContext, site: Site) -> Page:
    """A new page of `context`, signed in to the site through its sign-in form; its script errors are collected."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site.url}/login/")
    page.get_by_label("Username").fill(site.username)
    page.get_by_label("Password").fill(site.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))
    page.script_errors = errors  # type: ignore[attr-defined]
    return page


@pytest.fixture
def page(context: BrowserContext, site: Site) -> Page:
    """A page signed in to the site through its sign-in form."""
    return sign_in(context, site)


@pytest.fixture
def window(browser: Browser, site: Site) -> Iterator:
    """`window(width, height)`: a signed-in page in a browser window of that size, closed after the test."""
    contexts: list[BrowserContext] = []

    def open_window(width: int, height: int) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        return sign_in(context, site)

    try:
        yield open_window
    finally:
        for context in contexts:
            context.close()
