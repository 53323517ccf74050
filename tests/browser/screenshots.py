"""Screenshots of the search and report pages at desktop and phone widths (run by hand).

    .venv/bin/python -m tests.browser.screenshots OUT_DIR [INDEX_DIR]

Builds an index of the bundled corpus into a temporary folder unless INDEX_DIR is given.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from indexer.build import build
from tests.live_server import live_server
from tests.paths import CORPUS
from webapp import create_app

from .chromium import CHROMIUM, CHROMIUM_ARGS

WIDTHS = {"desktop": 1280, "phone": 375}
AUTHORITY = "halton"  # the authority page shot (any slug: `.. OUT_DIR INDEX_DIR slug`)


def main(out: Path, index_dir: Path | None = None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    if index_dir is None:
        index_dir = Path(tempfile.mkdtemp()) / "index"
        build(CORPUS, index_dir, show_progress=False)
    app = create_app(index_dir=index_dir, corpus_dir=CORPUS, FACET_TOP_OPTIONS=3)
    with live_server(app) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, width in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": 900})
            shots = {
                "home": "/",
                "search": "/search?q=return+home+interviews",
                "search-filtered": "/search?q=return+home+interviews&authority=Halton&section=Summary",
                "no-results": "/search?q=zzyzzx+qqq&authority=Halton",
                "error": "/search?q=home&from=2015-13-45",
                "not-found": "/reports/nope",
                "authorities": "/authorities?sort=overall_effectiveness&region=North+West",
                "authority": "/authorities/" + AUTHORITY,
            }
            for shot, url in shots.items():
                page.goto(base + url)
                page.screenshot(path=str(out / f"{shot}-{name}.png"), full_page=True)
            page.goto(base + "/reports/" + first_report(base, page) + "?q=return+home+interviews")
            page.screenshot(path=str(out / f"report-top-{name}.png"),
                            clip={"x": 0, "y": 0, "width": width, "height": 2400}, full_page=True)
            page.goto(base + "/search?q=return+home+interviews")
            page.click(".result__link >> nth=0")
            page.wait_for_load_state()
            page.screenshot(path=str(out / f"report-{name}.png"), full_page=False)
            page.close()
        browser.close()


def first_report(base: str, page) -> str:
    page.goto(base + "/api/search?q=return+home+interviews&limit=1")
    return page.evaluate("() => JSON.parse(document.body.innerText).results[0].report_id")


if __name__ == "__main__":
    if len(sys.argv) > 3:
        AUTHORITY = sys.argv[3]
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)
