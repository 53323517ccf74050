"""`ofsted-search fetch`: the command line around fetcher.fetch."""
from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path

import click

from .fetcher import FetchBusy, fetch
from .http import Client
from .site import DEFAULT_SITE, KINDS


def _since(ctx, param, value):
    """YYYY, YYYY-MM or YYYY-MM-DD, as the first day it names."""
    if value is None:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", value.strip())
    try:
        if not m:
            raise ValueError
        return date(int(m[1]), int(m[2] or 1), int(m[3] or 1)).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2024, 2024-06 or 2024-06-30")


@click.command("fetch")
@click.option("--corpus", default="corpus", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder the reports are downloaded into (and built from with --build).")
@click.option("--index", "index_dir", default="index", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Index folder, for --build.")
@click.option("--site", default=DEFAULT_SITE, show_default=True,
              help="Ofsted's reports site, or a mirror or replica of it.")
@click.option("--authority", multiple=True, metavar="A",
              help="Only this authority, as the listing names it or by URN (repeatable).")
@click.option("--kind", multiple=True, type=click.Choice(list(KINDS)),
              help="Only reports of this kind (repeatable) [default: all of them].")
@click.option("--since", callback=_since, metavar="DATE",
              help="Only reports published on or after DATE (YYYY[-MM[-DD]]).")
@click.option("--delay", default=1.0, show_default=True, type=click.FloatRange(min=0),
              help="Seconds between one request and the next.")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds to wait for the site to answer before trying again.")
@click.option("--retries", default=4, show_default=True, type=click.IntRange(min=0),
              help="Times a request is retried after a timeout, a lost connection, 429 or 5xx.")
@click.option("--backoff", default=2.0, show_default=True, type=click.FloatRange(min=0),
              help="Seconds before the first retry, doubled for each next one (a Retry-After "
                   "header asking for longer is honoured).")
@click.option("--build", "then_build", is_flag=True,
              help="Bring the index up to date afterwards (ofsted-search build).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
def fetch_command(corpus, index_dir, site, authority, kind, since, delay, timeout, retries,
                  backoff, then_build, as_json):
    """Download Ofsted's children's services reports into the corpus, with their dates.

    Reads the listing of every local authority's children's services and each authority's
    page, and downloads every report of the chosen kinds that the corpus does not have yet
    (by its address), with a .json beside it giving its address, publication date, URN, kind
    and title. One request at a time; failed downloads are named and asked for again next time.

    Exit status: 0 when the listing was read (even if some files failed: they are named);
    1 when the listing could not be read or a page was not in the shape expected (Ofsted's
    site changed): what was fetched is kept.
    """
    client = Client(delay=delay, timeout=timeout, retries=retries, backoff=backoff)
    try:
        summary = fetch(corpus, site=site, authorities=authority, kinds=kind or None,
                        since=since, client=client, progress=None if not as_json else False)
    except FetchBusy as e:
        raise click.ClickException(str(e))
    if as_json:
        click.echo(json.dumps(summary.to_json(), ensure_ascii=False, indent=1))
    else:
        for line in summary.lines():
            click.echo(line, err=True)
    if then_build and summary.listing_read:
        from ..cli import _run_build  # the build command's own summary and refusals
        _run_build(corpus, index_dir, wait=True)
    sys.exit(summary.exit_code)
