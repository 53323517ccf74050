"""Browser tests: Playwright drives Debian's Chromium against the app served on 127.0.0.1."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.live_server import live_server
from webapp import create_app

from .chromium import CHROMIUM, CHROMIUM_ARGS


def pytest_collection_modifyitems(items):
    # Every test here drives Chromium against a live server: `browser`, and `slow` too.
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: scripts/test.sh installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def base_url(seed_index, corpus_dir):
    # Two options per facet before "Show all", so the bundled corpus exercises the long-facet
    # behaviour (show all, type to filter) that a real corpus's 150 authorities need.
    app = create_app(index_dir=seed_index, corpus_dir=corpus_dir, FACET_TOP_OPTIONS=2)
    with live_server(app) as url:
        yield url


@pytest.fixture()
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base_url)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # Script errors only: a 404 page legitimately logs "Failed to load resource".
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text else None)
    yield page
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


@pytest.fixture()
def phone(browser, base_url):
    context = browser.new_context(viewport={"width": 375, "height": 740}, base_url=base_url,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()
