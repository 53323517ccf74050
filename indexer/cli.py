"""The `ofsted-search` command: build, inspect, search and serve the index."""
from __future__ import annotations

import html
import json
import os
import re
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path

import click

from . import build as build_mod
from . import integrity, store
from . import judgements as judgements_mod
from .search import MAX_LIMIT, SORTS, SearchError, SearchParams, search as search_index

DEFAULT_INDEX = "index"
DEFAULT_CORPUS = "corpus"
MAX_DEFAULT_PROCESSES = 4  # about 300 MB each at the full corpus: beyond, ask for more

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
@click.option("--json", "as_json", is_flag=True,
              help="Print the summary as JSON on standard output (counts, skipped files and "
                   "caveats with reasons, timings; an \"error\" when the build failed).")
def build(index_dir: Path, corpus: Path, full: bool, strict: bool, jobs: int | None, wait: bool,
          as_json: bool):
    """Bring the index up to date with every supported file under the corpus folder.

    Only new or changed files are parsed (parsed reports are cached by content hash) and, when
    the code is unchanged, only their paragraphs are rewritten. The new index is written beside
    the live one and switched in only when complete: a failed or killed build leaves the previous
    index searchable. Files that cannot be read are named with the reason and skipped; the build
    still succeeds (status 0) unless --strict is given or no file could be indexed;
    then it exits 1 and the live index stays as it was. So does a build that fills the disk or
    whose new index fails its own check (see `ofsted-search check`).
    """
    _run_build(corpus, index_dir, as_json=as_json, full=full, jobs=jobs, wait=wait,
               strict=strict)


def _run_build(corpus: Path, index_dir: Path, as_json: bool = False, **options) -> None:
    """Build, print the summary, and turn the build's refusals into a message and exit 1."""
    try:
        summary = build_mod.build(corpus, index_dir, **options)
    except build_mod.SkippedInStrictMode as e:
        if as_json:
            click.echo(json.dumps(dict(e.summary.to_json(), error=str(e)), ensure_ascii=False))
        for line in e.summary.lines()[1:]:
            click.echo(line, err=True)
        raise click.ClickException(str(e))
    except (store.BuildLocked, FileNotFoundError, build_mod.NothingToIndex,
            build_mod.DiskFull, build_mod.FailedCheck) as e:
        if as_json:
            click.echo(json.dumps({"error": str(e)}, ensure_ascii=False))
        raise click.ClickException(str(e))
    if as_json:
        click.echo(json.dumps(summary.to_json(), ensure_ascii=False))
    for line in summary.lines():
        click.echo(line, err=True)


@cli.command()
@index_option
@click.option("--quick", is_flag=True,
              help="Compare file sizes with the manifest instead of reading every byte.")
def check(index_dir: Path, quick: bool):
    """Check that the live index is whole: every file's size and checksum as the build recorded
    them, and that it opens and answers a search. Names each damaged or missing file and exits
    1 when anything is wrong."""
    generation = store.current_generation(index_dir)
    if generation is None:
        raise click.ClickException(f"no index in {index_dir}: run `ofsted-search build` first")
    problems = integrity.check(generation, quick=quick)
    if not problems:
        sealed = integrity.sealed_files(integrity.read_manifest(generation)) or {}
        click.echo(f"The index in {index_dir} is whole ({generation.name}: {len(sealed)} files "
                   f"{'sized' if quick else 'checksummed'}, opens and answers).")
        return
    click.echo(f"The index in {index_dir} is damaged ({generation.name}):", err=True)
    for problem in problems:
        click.echo(f"  {problem}", err=True)
    raise click.ClickException(f"rebuild it: {integrity.rebuild_command(index_dir, generation)}")


def _reader(index_dir: Path) -> store.IndexReader:
    reader = store.IndexReader(index_dir)
    try:
        reader.reports
    except (store.IndexMissing, integrity.IndexDamaged) as e:
        raise click.ClickException(str(e))
    if "format_version" in build_mod.outdated_parts(index_dir):
        click.echo(f"Warning: the index in {index_dir} was written by another version of "
                   "ofsted-search; counts and fields may be wrong until `ofsted-search build` "
                   "rebuilds it.", err=True)
    return reader


@contextmanager
def _reading(index_dir: Path):
    """Whatever reading the index raises becomes a message saying what is wrong and what to
    run, never a traceback or click's bare "Aborted!" (Whoosh raises EOFError on a cut file)."""
    try:
        yield
    except (click.ClickException, SearchError, BrokenPipeError):
        raise
    except Exception as e:
        generation = store.current_generation(index_dir)
        problems = integrity.verify(generation) if generation else []
        if problems:
            raise click.ClickException(str(integrity.IndexDamaged(generation, problems,
                                                                  index_dir)))
        raise click.ClickException(
            f"the index in {index_dir} could not be read ({type(e).__name__}: {e}); check it "
            f"with `ofsted-search check --index {index_dir}`, or rebuild it: "
            f"{integrity.rebuild_command(index_dir, generation)}") from e


@cli.command()
@index_option
def dump(index_dir: Path):
    """Print every paragraph document as JSON Lines, in report and paragraph order."""
    reader = _reader(index_dir)
    out = sys.stdout
    with _reading(index_dir):
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
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (one header row, then one row "
              "per report).")
@click.option("--json", "as_json", is_flag=True, help='Print {"judgements": [...]}.')
@click.option("--latest", is_flag=True,
              help="Only each authority's most recent graded inspection (the ADCS-style "
                   "summary table).")
@click.option("--region", multiple=True, metavar="R",
              help="Only authorities in this region (repeatable: any of them).")
def judgements(index_dir: Path, as_csv: bool, as_json: bool, latest: bool, region: tuple):
    """One row per graded inspection report: the authority's codes and region, the dates and
    every judgement, each framework's areas in the same columns (see README, "Authorities and
    judgements"). A judgement the framework does not make is null."""
    if as_csv and as_json:
        raise click.UsageError("choose one of --csv and --json")
    reader = _reader(index_dir)
    rows = judgements_mod.judgement_rows(reader.reports.values(), region, latest=latest)
    if as_json:
        click.echo(json.dumps({"judgements": rows}, indent=2, ensure_ascii=False))
    elif as_csv:
        click.echo(judgements_mod.csv_text(rows), nl=False)
    else:
        for row in rows:
            grades = "; ".join(f"{judgements_mod.AREA_LABELS[a]}: {row[a]}"
                               for a in judgements_mod.AREAS if row[a])
            click.echo(f"{row['authority']} ({row['region'] or 'region unknown'}) | "
                       f"{row['report_type']} | {row['inspection_end'] or row['published']}"
                       f"\n  {grades}")


@cli.command()
@index_option
@click.argument("query", required=False, default="")
@click.option("--authority", multiple=True, metavar="A", help="Only this authority (repeatable: any of them).")
@click.option("--region", multiple=True, metavar="R", help="Only authorities in this region (repeatable).")
@click.option("--neighbours", multiple=True, metavar="A",
              help="Only this authority and its ten statistical neighbours (repeatable).")
@click.option("--section", multiple=True, metavar="S", help="Only this section (repeatable).")
@click.option("--grade", multiple=True, metavar="G", help="Only paragraphs under this grade (repeatable).")
@click.option("--year", multiple=True, metavar="Y", help="Only reports of this year (repeatable).")
@click.option("--report-type", "--report_type", "report_type", multiple=True, metavar="T",
              help="Only this report type (repeatable; also spelt as the JSON's facet name).")
@click.option("--from", "date_from", metavar="DATE", help="Reports dated on or after DATE (YYYY[-MM[-DD]]).")
@click.option("--to", "date_to", metavar="DATE", help="Reports dated on or before DATE (YYYY[-MM[-DD]]).")
@click.option("--sort", type=click.Choice(SORTS, case_sensitive=False), default="relevance",
              show_default=True)
@click.option("--page", default=1, show_default=True, type=click.IntRange(min=1))
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, MAX_LIMIT),
              help="Results per page.")
@click.option("--json", "as_json", is_flag=True, help="Print the search JSON (see README).")
@click.option("--explain", is_flag=True,
              help="Show how each result's score is made up (the JSON's `explain`).")
@click.option("--every-copy", is_flag=True,
              help="List every paragraph, also those repeating a listed one word for word "
                   "(folded into it by default).")
def search(index_dir, query, authority, region, neighbours, section, grade, year, report_type,
           date_from, date_to, sort, page, limit, as_json, explain, every_copy):
    """Search the index: paragraphs matching QUERY, best first.

    QUERY understands words, "quoted phrases", OR, NOT or -word, +word, (brackets), wildcards
    (assess*) and field prefixes (authority:halton section:"children in care" grade:good
    year:2015 type:"focused visit"). Options of one facet are OR-ed; different facets AND-ed;
    values match case-insensitively.
    """
    reader = _reader(index_dir)
    params = SearchParams(q=query, filters={
        "authority": list(authority), "region": list(region), "section": list(section),
        "grade": list(grade), "year": list(year), "report_type": list(report_type)},
        date_from=date_from, date_to=date_to, sort=sort, page=page, limit=limit,
        neighbours=list(neighbours), explain=explain, fold=not every_copy)
    try:
        with _reading(index_dir):
            result = search_index(reader.engine, params)
    except SearchError as e:
        raise click.ClickException(str(e))
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    for line in format_results(result):
        click.echo(line)


def format_results(result: dict) -> list[str]:
    """The search JSON as readable lines for a terminal."""
    lines = [f"{n}" for n in result["notices"]]
    for e in result["expansions"]:
        lines.append(f"Also searched for {e['term']}: {', '.join(e['also'] + e['related'])}")
    if result["suggestion"]:
        lines.append(f"Did you mean: {result['suggestion']}")
    total = result["total"]
    if not total:
        lines.append("No paragraphs found.")
        return lines
    first = (result["page"] - 1) * result["limit"] + 1
    last = first + len(result["results"]) - 1
    lines.append(f"{total} paragraph{'s' if total != 1 else ''} in {result['reports']} "
                 f"report{'s' if result['reports'] != 1 else ''}; "
                 + (f"showing {first}-{last}" if result["results"] else
                    f"page {result['page']} is past the last page ({result['pages']})")
                 + _folded_note(result["folded"]))
    for r in result["results"]:
        where = " | ".join(str(x) for x in (
            r["authority"], r["report_type"], r["date"], r["section"],
            f"para {r['para_number']}" if r["para_number"] else None,
            f"page {r['page']}" if r["page"] else None) if x)
        text = html.unescape(re.sub(r"</?mark>", "*", r["snippet"]))
        lines += ["", where, textwrap.fill(text, width=100, initial_indent="  ",
                                            subsequent_indent="  ")]
        lines += repeated_lines(r.get("repeated"))
        lines += explain_lines(r.get("explain"))
    return lines


def _folded_note(n: int) -> str:
    if not n:
        return ""
    return (f"; {n} more repeat{'s' if n == 1 else ''} a listed one word for word "
            f"(--every-copy lists {'it' if n == 1 else 'them'})")


def repeated_lines(repeated: dict | None) -> list[str]:
    """Where else a result's words are printed word for word, as one wrapped line."""
    if not repeated or not repeated["count"]:
        return []
    n = repeated["count"]
    where = ", ".join(f"{p['authority'] or p['report_id']} {(p['date'] or '')[:4]}".strip()
                      for p in repeated["paragraphs"])
    more = n - len(repeated["paragraphs"])
    return [textwrap.fill(f"The same words in {n} other paragraph{'s' if n != 1 else ''}: "
                          f"{where}{f' and {more} more' if more else ''}", width=100,
                          initial_indent="  ", subsequent_indent="    ")]


def explain_lines(parts: dict | None) -> list[str]:
    """A result's `explain` as lines: the score, then each part's share."""
    if not parts:
        return []
    section = parts.get("section_weight", 1.0)
    lines = [f"  score {parts['score']:g} = {parts['sum']:g} x {parts['shape_weight']:g} "
             f"({parts['shape']} paragraph)"
             + (f" x {section:g} (its section)" if section != 1.0 else "")]
    lines += [f"    {p['score']:12.4f}  {p['what']}" for p in parts["parts"]]
    return lines


@cli.command()
@index_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--corpus", default=DEFAULT_CORPUS, show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Built into the index first when none exists; original files are served "
                   "from it.")
@click.option("--time-limit", default=10.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds one search may run before it is stopped with a message (a CSV "
                   "export gets six times as long).")
@click.option("--processes", default=None, type=click.IntRange(min=1),
              help="Server processes sharing the port: each searches on one core and holds "
                   "its own copy of the index's tables (about 300 MB at 50,000 paragraphs) "
                   f"[default: one per core, at most {MAX_DEFAULT_PROCESSES}].")
def serve(index_dir: Path, host: str, port: int, corpus: Path, time_limit: float,
          processes: int | None):
    """Serve the search web app with a production WSGI server (waitress).

    Request limits are set in webapp/security.py (SERVER_SETTINGS)."""
    processes = processes or default_processes()
    _ready_to_serve(index_dir, corpus)
    from webapp import create_app, server
    from webapp.security import SERVER_SETTINGS

    def make_app():
        return create_app(index_dir=index_dir, corpus_dir=corpus, SEARCH_TIME_LIMIT=time_limit,
                          EXPORT_TIME_LIMIT=6 * time_limit)
    click.echo(f"Serving on http://{host}:{port}/ ({processes} "
               f"process{'es' if processes > 1 else ''})", err=True)
    server.serve(make_app, host, port, processes, SERVER_SETTINGS)


def default_processes() -> int:
    """One server process per usable core: Python searches on one core per process, while
    the memory each one holds caps how many are sensible by default."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT_PROCESSES))


def _ready_to_serve(index_dir: Path, corpus: Path) -> None:
    """Build the index when there is none, and rebuild it when another version of
    ofsted-search wrote it from this corpus: its fields may not mean what this code reads."""
    rebuild = f"ofsted-search build --index {index_dir} --corpus <the folder it was built from>"
    live = store.current_generation(index_dir)
    if live is not None and (damage := integrity.verify(live, checksums=False)):
        # The server will serve the previous generation if it is whole, else a 503 page.
        click.echo(f"Warning: {integrity.IndexDamaged(live, damage, index_dir)}", err=True)
        return
    if live is None:
        click.echo(f"No index in {index_dir}: building it from {corpus} ...", err=True)
    elif not (outdated := build_mod.outdated_parts(index_dir)):
        return
    elif build_mod.built_from(index_dir, corpus):
        click.echo(f"The index in {index_dir} was written by another version of ofsted-search: "
                   f"rebuilding it from {corpus} ...", err=True)
    elif "format_version" in outdated:
        # Rebuilding from --corpus would replace this index with another folder's reports.
        raise click.ClickException(
            f"the index in {index_dir} was written by another version of ofsted-search from "
            f"another folder than {corpus}, and this version cannot read it reliably. "
            f"Rebuild it first: {rebuild}")
    else:
        click.echo(f"Note: the paragraphs in {index_dir} were split by another version of "
                   f"ofsted-search; to bring them up to date: {rebuild}", err=True)
        return
    # Wait rather than refuse when a build is already running: the server needs its result.
    _run_build(corpus, index_dir, wait=True)


from .fetch.command import fetch_command  # noqa: E402  (issue 15; lives in indexer/fetch/)
cli.add_command(fetch_command)


def main():
    cli(prog_name="ofsted-search")


if __name__ == "__main__":
    main()
