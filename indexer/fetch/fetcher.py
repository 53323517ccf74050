"""A fetch run: the listing, every authority's page, and each new report into the corpus.

Corpus layout (the same as ../shared/ofsted-pdfs and the D2I scrapers):

    <corpus>/<kind folder>/<urn>_<authority>/<kind as named> - <dd month yyyy>.pdf
    <corpus>/<kind folder>/<urn>_<authority>/<kind as named> - <dd month yyyy>.pdf.json

The `.json` beside each PDF is the sidecar the build already reads (indexer/sources/sidecar.py):
`url` and `published` are used by the build, `urn`, `authority`, `kind` and `title` record what
the listing said. It is written before the PDF, so a report is present (not asked for again)
exactly when a sidecar names its URL and the PDF beside it exists: a run killed between the two
leaves a sidecar whose PDF the next run downloads.
"""
from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from ..ingest.sources import UnreadableSource
from ..ingest.sources.sidecar import parse_sidecar, sidecar_path
from . import site as site_mod
from .http import Client, FetchError
from .site import KINDS, LayoutChanged, Provider, Publication

MAX_LISTING_PAGES = 200   # 153 authorities fill two pages; a loop of "next" links must end
LOCK_NAME = ".fetch.lock"


class FetchBusy(Exception):
    """Another fetch is writing into this corpus."""


@dataclass
class Summary:
    site: str
    listing_read: bool = False
    listing_pages: int = 0
    authorities: int = 0          # authorities whose pages were read
    new: list[dict] = field(default_factory=list)
    present: int = 0
    failed: list[dict] = field(default_factory=list)   # {"url", "what", "reason"}
    not_chosen: Counter = field(default_factory=Counter)  # kinds as the site names them
    older: int = 0                # published before --since
    stopped: Optional[str] = None  # why the run stopped early (the site changed, say)
    requests: int = 0
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """0 when the listing was read and the run went to the end, even with failed files."""
        return 0 if self.listing_read and not self.stopped else 1

    def to_json(self) -> dict:
        return {"site": self.site, "listing_read": self.listing_read,
                "listing_pages": self.listing_pages, "authorities": self.authorities,
                "new": self.new, "present": self.present, "failed": self.failed,
                "not_chosen": dict(self.not_chosen), "older_than_since": self.older,
                "stopped": self.stopped, "requests": self.requests,
                "seconds": round(self.seconds, 1), "exit_code": self.exit_code}

    def lines(self) -> list[str]:
        size = sum(n["bytes"] for n in self.new)
        out = [f"Listing: {self.listing_pages} page{'s' if self.listing_pages != 1 else ''} "
               f"read{'' if self.listing_read else ' (not complete)'}; "
               f"pages of {self.authorities} authorit{'ies' if self.authorities != 1 else 'y'} "
               "read",
               f"New: {len(self.new)} report{'s' if len(self.new) != 1 else ''} downloaded "
               f"({size / 1e6:.1f} MB)",
               f"Already present: {self.present}"]
        if self.older:
            out.append(f"Published before --since: {self.older}")
        if self.not_chosen:
            out.append("Not fetched (kind not chosen): " + ", ".join(
                f"{k} {n}" for k, n in self.not_chosen.most_common()))
        if self.failed:
            out.append(f"Failed ({len(self.failed)}), asked for again on the next run:")
            out += [f"  {f['what']} {f['url']}: {f['reason']}" for f in self.failed]
        if self.stopped:
            out.append(f"Stopped: {self.stopped}")
        out.append(f"{self.requests} requests in {self.seconds:.0f} s")
        return out


def fetch(corpus: Path, site: str = site_mod.DEFAULT_SITE, authorities: Iterable[str] = (),
          kinds: Optional[Iterable[str]] = None, since: Optional[str] = None,
          client: Optional[Client] = None, progress: Optional[bool] = None) -> Summary:
    """Bring `corpus` up to date with the site. Never raises for what the site does: failures
    and a changed layout are in the summary (FetchBusy if another fetch holds the corpus)."""
    corpus = Path(corpus)
    client = client or Client()
    kinds = set(kinds or KINDS)
    wanted = [a.strip().lower() for a in authorities if a.strip()]
    summary = Summary(site=site)
    started = time.monotonic()
    corpus.mkdir(parents=True, exist_ok=True)
    with _lock(corpus):
        _remove_partial_downloads(corpus)
        known = present_urls(corpus)
        try:
            providers = _read_listing(client, site, summary)
            if providers is not None:
                providers = _chosen(providers, wanted, summary)
            for provider in _progress(providers or [], progress):
                try:
                    text = client.get_text(provider.url)
                except FetchError as e:
                    summary.failed.append({"url": provider.url, "what": "page of "
                                           + provider.name, "reason": str(e)})
                    continue
                publications = site_mod.parse_provider(text, provider.url)
                summary.authorities += 1
                for pub in publications:
                    _one(client, corpus, provider, pub, kinds, since, known, summary)
        except LayoutChanged as e:
            summary.stopped = str(e)
        finally:
            summary.requests = client.requests
            summary.seconds = time.monotonic() - started
    return summary


def _read_listing(client: Client, site: str, summary: Summary) -> Optional[list[Provider]]:
    url: Optional[str] = site_mod.listing_url(site)
    providers: dict[str, Provider] = {}
    seen = set()
    while url and url not in seen and len(seen) < MAX_LISTING_PAGES:
        seen.add(url)
        try:
            text = client.get_text(url)
        except FetchError as e:
            summary.stopped = f"the listing page {url} could not be read: {e}"
            return None
        page = site_mod.parse_listing(text, url)
        summary.listing_pages += 1
        for p in page.providers:
            providers.setdefault(p.urn, p)
        url = page.next_url
    summary.listing_read = True
    return list(providers.values())


def _chosen(providers: list[Provider], wanted: list[str], summary: Summary) -> list[Provider]:
    """The authorities --authority names (by name, case-insensitively, or URN); all without."""
    if not wanted:
        return providers
    chosen = [p for p in providers if p.name.lower() in wanted or p.urn in wanted]
    unknown = sorted(set(wanted) - {p.name.lower() for p in chosen} - {p.urn for p in chosen})
    if unknown:
        summary.stopped = ("no authority on the listing is called "
                           + ", ".join(repr(u) for u in unknown) + " (names as on the listing, "
                           "or URNs)")
        return []
    return chosen


def _one(client, corpus, provider, pub: Publication, kinds, since, known, summary) -> None:
    if pub.kind not in kinds:
        summary.not_chosen[pub.kind_text] += 1
        return
    if since and pub.published < since:
        summary.older += 1
        return
    if pub.url in known:
        summary.present += 1
        return
    folder = corpus / KINDS[pub.kind][0] / site_mod.authority_folder(provider)
    target = _target(folder, pub)
    side = sidecar_path(target)
    record = {"url": pub.url, "published": pub.published, "urn": provider.urn,
              "authority": provider.name, "kind": pub.kind, "title": pub.title}
    data = (json.dumps(record, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    parse_sidecar(data, side.name)  # the build must be able to read what is written
    folder.mkdir(parents=True, exist_ok=True)
    had_sidecar = side.exists()
    _write_atomic(side, data)
    try:
        size = client.download_pdf(pub.url, target)
    except FetchError as e:
        if not had_sidecar:
            side.unlink(missing_ok=True)  # nothing half-done stays behind
        summary.failed.append({"url": pub.url, "what": f"{pub.kind_text} of {provider.name} "
                               f"published {pub.published}", "reason": str(e)})
        return
    rel = target.relative_to(corpus).as_posix()
    known[pub.url] = rel
    summary.new.append({"path": rel, "url": pub.url, "published": pub.published,
                        "authority": provider.name, "urn": provider.urn, "kind": pub.kind,
                        "bytes": size})


def _target(folder: Path, pub: Publication) -> Path:
    """The report's file name, unless another report has it (two of one kind on one day):
    then the file's id on the site is added."""
    target = folder / pub.file_name
    owner = _sidecar_url(target)
    if owner == pub.url or (owner is None and not target.exists()
                            and not sidecar_path(target).exists()):
        return target
    file_id = site_mod.safe_name(pub.url.rstrip("/").rsplit("/", 1)[-1])
    return target.with_name(f"{target.stem} ({file_id}).pdf")


def _sidecar_url(pdf: Path) -> Optional[str]:
    try:
        return parse_sidecar(sidecar_path(pdf).read_bytes()).url
    except (OSError, UnreadableSource):
        return None


def present_urls(corpus: Path) -> dict[str, str]:
    """URL -> path of every report in the corpus that a sidecar names and whose PDF is there
    (whoever wrote the sidecar: a hand-made one counts too)."""
    known = {}
    for side in corpus.rglob("*.pdf.json"):
        rel = side.relative_to(corpus)
        if any(part.startswith(".") for part in rel.parts):
            continue
        pdf = side.with_name(side.name[:-len(".json")])
        url = _sidecar_url(pdf)
        if url and pdf.is_file():
            known[url] = pdf.relative_to(corpus).as_posix()
    return known


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _remove_partial_downloads(corpus: Path) -> None:
    """Temporary files a killed run left (hidden, so no build ever read them)."""
    for part in corpus.rglob(".*.part"):
        if part.is_file():
            part.unlink(missing_ok=True)


@contextmanager
def _lock(corpus: Path):
    with open(corpus / LOCK_NAME, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FetchBusy(f"another fetch is writing into {corpus}; try again when it "
                            "has finished") from None
        yield


def _progress(providers: list[Provider], show: Optional[bool]):
    if show is None:
        show = sys.stderr.isatty()
    if not show or not providers:
        return providers
    from tqdm import tqdm
    return tqdm(providers, desc="Authorities", unit="page", file=sys.stderr, leave=False)
