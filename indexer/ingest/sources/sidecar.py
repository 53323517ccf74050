"""Optional metadata a corpus keeps beside a report: `<file name>.json` next to the file.

A downloader knows things the report may not print: where it came from on the web and when it
was published (ILACS reports from 2018 print no publication date). For `report.pdf` it writes
`report.pdf.json`:

    {"url": "https://files.ofsted.gov.uk/v1/file/50200024", "published": "2022-11-25"}

Both keys are optional; other keys are ignored (room for what a downloader also records).
`url` must be an http(s) address; `published` an ISO date. The sidecar fills gaps: a date the
report prints itself wins. A sidecar that cannot be used is an error in the corpus, reported
with the report's name like any unreadable file, rather than silently dropped or half-applied.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Optional

from ...model import Report
from . import UnreadableSource

SUFFIX = ".json"
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)


@dataclass(frozen=True)
class Sidecar:
    url: Optional[str] = None
    published: Optional[str] = None

    def apply(self, report: Report) -> Report:
        return replace(report, url=self.url or report.url,
                       published=report.published or self.published)


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SUFFIX)


def read_sidecar_bytes(path: Path) -> bytes:
    """The sidecar's bytes, or b"" when the file has none."""
    try:
        return sidecar_path(Path(path)).read_bytes()
    except FileNotFoundError:
        return b""
    except OSError as e:
        raise UnreadableSource(f"cannot read {sidecar_path(Path(path)).name}: "
                               f"{e.strerror or e}") from e


def parse_sidecar(data: bytes, name: str = "the metadata file") -> Sidecar:
    """Sidecar from its bytes (b"" for none); UnreadableSource saying what is wrong."""
    if not data.strip():
        return Sidecar()
    try:
        fields = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as e:
        raise UnreadableSource(f"{name} is not valid JSON ({e})") from e
    if not isinstance(fields, dict):
        raise UnreadableSource(f"{name} must hold a JSON object, like "
                               '{"url": "https://...", "published": "2022-11-25"}')
    url, published = fields.get("url"), fields.get("published")
    if url is not None and not (isinstance(url, str) and URL.match(url.strip())):
        raise UnreadableSource(f"{name}: url must be an http(s) address, not {url!r}")
    if published is not None:
        try:
            published = date.fromisoformat(str(published).strip()).isoformat()
        except ValueError as e:
            raise UnreadableSource(f"{name}: published must be a date like 2022-11-25, "
                                   f"not {published!r}") from e
    return Sidecar(url=url.strip() if url else None, published=published)
