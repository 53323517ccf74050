"""One polite HTTP client (the standard library's urllib: no new dependency).

- One request at a time, and `delay` seconds from the end of one to the start of the next.
- A User-Agent naming the project, so the site's operators know who is asking.
- Retries with exponential backoff (`backoff`, doubled each time) on timeouts, connection
  errors, a body cut short, 5xx and 429; a 429 or 503's Retry-After is honoured (up to
  `max_wait` seconds). Other errors (404, an HTML page where a PDF should be) are not retried.
- Downloads go to a hidden temporary file beside the target and are renamed into place only
  when complete and valid: the body starts with `%PDF-`, its length is the Content-Length
  announced, and pdfium opens it. Whatever happens, no partial file takes the target's name.
"""
from __future__ import annotations

import email.utils
import http.client
import os
import socket
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Callable, Optional

try:
    VERSION = metadata.version("ofsted-search")
except metadata.PackageNotFoundError:  # running from a checkout that is not installed
    VERSION = "dev"
USER_AGENT = (f"ofsted-search/{VERSION} (search engine over Ofsted children's services "
              "reports; one request at a time)")
CHUNK = 1 << 16
RETRY_STATUS = {429, 500, 502, 503, 504}


class FetchError(Exception):
    """A page or file that could not be had; the message is the reason, for the summary."""


class _Retry(Exception):
    def __init__(self, reason: str, wait: Optional[float] = None):
        super().__init__(reason)
        self.reason, self.wait = reason, wait


class Client:
    def __init__(self, delay: float = 1.0, timeout: float = 60.0, retries: int = 4,
                 backoff: float = 2.0, max_wait: float = 300.0, user_agent: str = USER_AGENT,
                 sleep: Callable[[float], None] = time.sleep):
        self.delay, self.timeout, self.retries = delay, timeout, retries
        self.backoff, self.max_wait, self.user_agent = backoff, max_wait, user_agent
        self.sleep = sleep
        self.requests = 0           # every request made, retries included
        self._last_end: Optional[float] = None
        # No proxies from the environment: tests and mirrors name the host they mean.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    # -- public ------------------------------------------------------------------------------
    def get_text(self, url: str) -> str:
        """A page's text; FetchError with the reason once the retries are spent."""
        def once():
            with self._open(url) as resp:
                body = self._read_all(resp)
                charset = resp.headers.get_content_charset() or "utf-8"
            return body.decode(charset, errors="replace")
        return self._with_retries(url, once)

    def download_pdf(self, url: str, target: Path) -> int:
        """Download a PDF to `target` (renamed in only when valid); the number of bytes."""
        target = Path(target)
        part = target.with_name(f".{target.name}.part")

        def once():
            try:
                with self._open(url) as resp, open(part, "wb") as out:
                    size = self._copy_pdf(resp, out)
                check_pdf(part)
                os.replace(part, target)
                return size
            finally:
                part.unlink(missing_ok=True)
        return self._with_retries(url, once)

    # -- the request loop --------------------------------------------------------------------
    def _with_retries(self, url: str, once):
        attempt = 0
        while True:
            try:
                return once()
            except _Retry as e:
                if attempt >= self.retries:
                    raise FetchError(f"{e.reason} (gave up after {attempt + 1} attempts)") from None
                wait = self.backoff * 2 ** attempt
                if e.wait is not None:
                    if e.wait > self.max_wait:
                        raise FetchError(f"{e.reason}, asked to wait {e.wait:.0f} s "
                                         f"(more than {self.max_wait:.0f} s)") from None
                    wait = max(wait, e.wait)
                attempt += 1
                self.sleep(wait)
            finally:
                self._last_end = time.monotonic()

    def _open(self, url: str):
        if self._last_end is not None:
            pause = self._last_end + self.delay - time.monotonic()
            if pause > 0:
                self.sleep(pause)
        self.requests += 1
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent,
                                                       "Accept-Encoding": "identity"})
        try:
            return self._opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as e:
            e.close()
            reason = f"HTTP {e.code} {e.reason}"
            if e.code in RETRY_STATUS or e.code >= 500:
                raise _Retry(reason, retry_after(e.headers.get("Retry-After")))
            raise FetchError(reason) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
            raise _Retry(_network_reason(e))

    def _read_all(self, resp) -> bytes:
        chunks, expected = [], _length(resp)
        try:
            while chunk := resp.read(CHUNK):
                chunks.append(chunk)
        except (OSError, http.client.HTTPException) as e:
            raise _Retry(_network_reason(e))
        body = b"".join(chunks)
        if expected is not None and len(body) != expected:
            raise _Retry(f"body cut short ({len(body):,} of {expected:,} bytes)")
        return body

    def _copy_pdf(self, resp, out) -> int:
        expected, size, head = _length(resp), 0, b""
        try:
            while chunk := resp.read(CHUNK):
                if head is not None:
                    head += chunk
                    if len(head) < 5:
                        continue
                    if not head.startswith(b"%PDF-"):
                        # An HTML page (an error or a login page) where the PDF should be:
                        # refused at once, and not asked for again this run.
                        kind = resp.headers.get_content_type()
                        looks_html = b"<html" in head[:2048].lower() or "html" in kind
                        raise FetchError("served an HTML page instead of a PDF" if looks_html
                                         else f"not a PDF (starts {head[:8]!r}, {kind})")
                    chunk, head = head, None
                out.write(chunk)
                size += len(chunk)
        except (OSError, http.client.HTTPException) as e:
            raise _Retry(_network_reason(e))
        if head is not None:
            raise FetchError("empty response instead of a PDF" if not head
                             else f"not a PDF ({len(head)} bytes)")
        if expected is not None and size != expected:
            raise _Retry(f"body cut short ({size:,} of {expected:,} bytes)")
        return size


def check_pdf(path: Path) -> None:
    """FetchError unless pdfium opens the file and finds a page (a PDF that starts right and
    has the announced length can still be broken)."""
    import pypdfium2 as pdfium
    try:
        doc = pdfium.PdfDocument(str(path))
        try:
            if len(doc) < 1:
                raise FetchError("a PDF without pages")
        finally:
            doc.close()
    except pdfium.PdfiumError as e:
        raise FetchError(f"not a readable PDF ({e})") from None


def retry_after(value: Optional[str]) -> Optional[float]:
    """Seconds a Retry-After header asks for: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _length(resp) -> Optional[int]:
    value = resp.headers.get("Content-Length")
    return int(value) if value and value.strip().isdigit() else None


def _network_reason(e: BaseException) -> str:
    if isinstance(e, urllib.error.URLError) and not isinstance(e, urllib.error.HTTPError):
        e = e.reason if isinstance(e.reason, BaseException) else e
    if isinstance(e, (socket.timeout, TimeoutError)):
        return "timed out"
    if isinstance(e, http.client.IncompleteRead):
        return f"body cut short ({len(e.partial):,} bytes read)"
    if isinstance(e, ConnectionRefusedError):
        return "connection refused"
    if isinstance(e, (ConnectionResetError, http.client.RemoteDisconnected)):
        return "connection closed by the server"
    return str(getattr(e, "strerror", None) or e) or type(e).__name__
