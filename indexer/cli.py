"""The `ofsted-search` command: build, inspect, search and serve the index."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import build as build_mod
from . import store
from .search import SearchParams, search as run_search

DEFAULT_INDEX = "index"
DEFAULT_CORPUS = "corpus"

index_option = click.option(
    "--index", "index_dir", default=DEFAULT_INDEX, show_default=True,
    type=click.Path(file_okay=False, path_type=Path), help="Index folder.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli():
    """Search Ofsted inspection reports on local-authority children's services.

    Build the index from a folder of reports (PDF, HTML, text), then search it from the command
    line or in the browser.
    """


@cli.command()
@index_option
@click.option("--corpus", default=DEFAULT_CORPUS, show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder of reports, read recursively.")
@click.option("--full", is_flag=True,
              help="Re-parse every file and rewrite the whole index, ignoring the cache.")
@click.option("--strict", is_flag=True,
              help="Treat any skipped file as an error: exit 1 and leave the live index as it was.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Processes that parse files in parallel [default: one per core].")
@click.option("--wait", is_flag=True,
              help="If another build is running, wait for it instead of refusing.")
def build(index_dir: Path, corpus: Path, full: bool, strict: bool, jobs: int | None, wait: bool):
    """Bring the index up to date with every supported file under the corpus folder.

    Only new or changed files are parsed (parsed reports are cached by content hash) and, when
    the code is unchanged, only their paragraphs are rewritten. The new index is written beside
    the live one and switched in only when complete: a failed or killed build leaves the previous
    index searchable. Files that cannot be read are named with the reason and skipped; the build
    still succeeds (status 0) unless --strict is given or no file could be indexed;
    then it exits 1 and the live index stays as it was.
    """
    try:
        summary = build_mod.build(corpus, index_dir, full=full, jobs=jobs, wait=wait,
                                  strict=strict)
    except build_mod.SkippedInStrictMode as e:
        for line in e.summary.lines()[1:]:
            click.echo(line, err=True)
        raise click.ClickException(str(e))
    except (store.BuildLocked, FileNotFoundError, build_mod.NothingToIndex) as e:
        raise click.ClickException(str(e))
    for line in summary.lines():
        click.echo(line, err=True)


def _reader(index_dir: Path) -> store.IndexReader:
    reader = store.IndexReader(index_dir)
    try:
        reader.reports
    except store.IndexMissing as e:
        raise click.ClickException(str(e))
    return reader


@cli.command()
@index_option
def dump(index_dir: Path):
    """Print every paragraph document as JSON Lines, in report and paragraph order."""
    reader = _reader(index_dir)
    out = sys.stdout
    for report_id in sorted(reader.reports, key=lambda r: reader.reports[r]["source"]):
        for doc in reader.engine.report_paragraphs(report_id):
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")


@cli.command()
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def reports(index_dir: Path, as_json: bool):
    """List the indexed reports with their metadata, judgements and paragraph counts."""
    reader = _reader(index_dir)
    rows = sorted(reader.reports.values(), key=lambda r: r["source"])
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for r in rows:
        grades = "; ".join(f"{j['area']}: {j['grade']}" for j in r["judgements"]) or "no grades"
        click.echo(f"{r['source']}\n  {r['authority']} | {r['report_type']} | published "
                   f"{r['published']} | {r['paragraphs']} paragraphs\n  {grades}")


@cli.command()
@index_option
@click.argument("query", required=False, default="")
@click.option("--authority", multiple=True)
@click.option("--section", multiple=True)
@click.option("--grade", multiple=True)
@click.option("--year", multiple=True)
@click.option("--report-type", multiple=True)
@click.option("--page", default=1, type=click.IntRange(min=1))
@click.option("--limit", default=10, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True)
def search(index_dir, query, authority, section, grade, year, report_type, page, limit, as_json):
    """Search the index."""
    reader = _reader(index_dir)
    params = SearchParams(q=query, filters={
        "authority": list(authority), "section": list(section), "grade": list(grade),
        "year": list(year), "report_type": list(report_type)}, page=page, limit=limit)
    result = run_search(reader.engine, params)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    click.echo(f"{result['total']} paragraphs")
    for r in result["results"]:
        click.echo(f"\n{r['authority']} {r['published']} {r['section']} para {r['para_number']}")
        click.echo(f"  {r['text'][:300]}")


@cli.command()
@index_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--corpus", default=DEFAULT_CORPUS, show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Built into the index first when none exists; original files are served "
                   "from it.")
def serve(index_dir: Path, host: str, port: int, corpus: Path):
    """Serve the search web app with a production WSGI server (waitress)."""
    if store.current_generation(index_dir) is None:
        click.echo(f"No index in {index_dir}: building it from {corpus} ...", err=True)
        for line in build_mod.build(corpus, index_dir).lines():
            click.echo(line, err=True)
    from waitress import serve as waitress_serve

    from webapp import create_app
    app = create_app(index_dir=index_dir, corpus_dir=corpus)
    click.echo(f"Serving on http://{host}:{port}/", err=True)
    waitress_serve(app, host=host, port=port, threads=8)


def main():
    cli(prog_name="ofsted-search")


if __name__ == "__main__":
    main()
