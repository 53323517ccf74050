"""Debian's Chromium, as the browser tests and the screenshots script launch it (Playwright never
downloads a browser of its own)."""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
