"""What the app tells browsers and the WSGI server so that hostile input stays harmless.

- HEADERS go on every response the app makes (pages, errors, JSON, CSV, static files): a
  Content-Security-Policy that allows only the app's own script and style files (the templates
  have no inline script, style or event handler), no framing, no plugins, no <base>, forms only
  to the app itself; no MIME sniffing; no referrer sent to other sites (the search words are in
  the URL).
- ORIGINAL_FILE_CSP replaces the page policy on original files (/source/...): Chrome shows a PDF
  inside a page it writes itself, with an <embed> and inline styles, and applies the PDF
  response's own policy to that page (crbug.com/271452), so `object-src 'none'` or
  `style-src 'self'` there would leave a blank viewer. Nothing on that page can run script.
- SERVER_SETTINGS are waitress's settings for `ofsted-search serve`, request limits included:
  every address is a GET whose state is in the URL, so requests are small and bodies unread.
- HtmlSafeJSONProvider writes the JSON API's markup characters as escapes.
- web_url() keeps a link to the outside world to http(s) addresses.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask.json.provider import DefaultJSONProvider

PAGE_CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
])

ORIGINAL_FILE_CSP = "; ".join([
    "default-src 'none'",
    "object-src 'self'",            # Chrome's PDF viewer is an <embed> in the PDF's own page
    "style-src 'unsafe-inline'",    # ... laid out with inline styles
    "img-src 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
])

HEADERS = {
    "Content-Security-Policy": PAGE_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate CSP 2
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    # Features a search page never needs; only names every current browser knows, because an
    # unknown name is logged as a console error.
    "Permissions-Policy": "accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
                          "magnetometer=(), microphone=(), payment=(), usb=()",
}

# Waitress settings for `ofsted-search serve` (see README "Security and limits").
SERVER_SETTINGS = {
    "threads": 8,
    "max_request_header_size": 32 * 1024,  # the longest real URL (every facet ticked) is ~6 KB
    "max_request_body_size": 16 * 1024,    # nothing reads a body; a POST gets 405 anyway
    "channel_timeout": 30,                 # seconds a connection may sit idle
    "connection_limit": 100,
    "expose_tracebacks": False,
    "ident": "ofsted-search",              # the Server header, without waitress's name
}


class HtmlSafeJSONProvider(DefaultJSONProvider):
    """JSON with <, >, & and ' written as \\u escapes. Any JSON reader gets the same data, but
    no payload typed into a search ever appears as markup in the bytes sent (those characters
    occur in JSON only inside strings, so the replacement is exact)."""

    def dumps(self, obj, **kwargs) -> str:
        text = super().dumps(obj, **kwargs)
        return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
                .replace("'", "\\u0027"))


def add_security_headers(response, original_file: bool = False):
    """Set every header of HEADERS on `response` (overriding what a view may have set)."""
    for name, value in HEADERS.items():
        response.headers[name] = value
    if original_file:
        # An HTML original (a report saved from the web) runs nothing and is a separate origin.
        sandbox = "; sandbox" if response.mimetype == "text/html" else ""
        response.headers["Content-Security-Policy"] = ORIGINAL_FILE_CSP + sandbox
    return response


def web_url(url: str | None) -> str | None:
    """`url` if it is an absolute http(s) address, else None (never a javascript: link)."""
    if not url or not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None
