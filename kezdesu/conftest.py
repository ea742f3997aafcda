"""Fixtures for every test of the package: a clean cache and language, and Debian's chromium driven by Playwright."""

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(autouse=True)
def _fresh_start():
    """Each test starts without cached rate limits or page figures, and in the default language: a
    request through the test client leaves its language active in this thread, and `reverse()` of a
    portal page would otherwise take the previous test's language prefix."""
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    translation.deactivate()
    yield
    translation.deactivate()
    cache.clear()


@pytest.fixture(scope="session")
def chromium(live_server):
    """One headless Debian chromium for the session (never a downloaded browser).

    It asks for the live server first so that the server outlives the browser's open connections.
    """
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the same test are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def browser(chromium, transactional_db):
    """The session's chromium for a test whose pages the live server must see (committed data).

    Pages are opened with `kezdesu.core.testing.browser.open_page`, users signed in with its `login`.
    """
    return chromium


@pytest.fixture
def screenshot_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
