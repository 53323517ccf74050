"""The region facet and the neighbours filter (an authority and its ten statistical
neighbours) return only what they say, in the API, on the page and from the command line; the
results page draws matching paragraphs per year."""
from __future__ import annotations

import json
import re

from click.testing import CliRunner

from indexer.cli import cli
from indexer.ingest.authorities import lookup


def api(client, query: str) -> dict:
    response = client.get("/api/search?limit=100&" + query)
    assert response.status_code == 200, response.data
    return response.get_json()


def test_region_is_a_facet_and_results_carry_it(seed_client):
    everything = api(seed_client, "q=adoption")
    regions = {r["value"]: r["count"] for r in everything["facets"]["region"]}
    assert set(regions) == {"North West", "Yorkshire and the Humber"}
    assert sum(regions.values()) == everything["total"]
    north_west = api(seed_client, "q=adoption&region=north+west")
    assert north_west["total"] == regions["North West"]
    assert {r["region"] for r in north_west["results"]} == {"North West"}
    assert {r["authority"] for r in north_west["results"]} <= {"Halton", "St Helens"}


def test_neighbours_is_the_authority_and_its_ten_neighbours_only(seed_client):
    group = [a.name for a in lookup().with_neighbours("Halton")]
    by_facet = api(seed_client, "q=adoption&" + "&".join(f"authority={a}" for a in group))
    result = api(seed_client, "q=adoption&neighbours=Halton")
    assert result["total"] == by_facet["total"] > 0
    assert {r["authority"] for r in result["results"]} == {"Halton", "St Helens"}
    assert result["neighbours"] == [{"authority": "Halton", "authorities": group}]
    # The authority facet counts only what the scope holds: Calderdale is no neighbour.
    assert {f["value"] for f in result["facets"]["authority"]} == {"Halton", "St Helens"}
    # Neighbours are not symmetric: Calderdale's ten are elsewhere in England.
    assert {r["authority"] for r in api(seed_client, "q=adoption&neighbours=calderdale")
            ["results"]} == {"Calderdale"}
    # With another filter it narrows further (AND), never widens.
    assert api(seed_client, "q=adoption&neighbours=Halton&authority=Calderdale")["total"] == 0
    both = api(seed_client, "q=adoption&neighbours=Halton&neighbours=Calderdale")
    assert both["total"] == api(seed_client, "q=adoption")["total"]


def test_an_unknown_authority_is_a_400_with_a_message(seed_client):
    response = seed_client.get("/api/search?q=adoption&neighbours=Atlantis")
    assert response.status_code == 400 and "Atlantis" in response.get_json()["error"]
    page = seed_client.get("/search?q=adoption&neighbours=%3Cb%3EAtlantis")
    assert page.status_code == 400 and b"<b>Atlantis" not in page.data


def test_the_page_shows_neighbours_as_a_chip_and_keeps_it_in_the_form(seed_client):
    page = seed_client.get("/search?q=adoption&neighbours=Halton").get_data(as_text=True)
    assert "Statistical neighbours of: Halton" in page
    assert '<input type="hidden" name="neighbours" value="Halton">' in page
    chip = re.search(r'<a class="chip" href="([^"]+)"><span class="visually-hidden">Remove '
                     r'filter </span>Statistical neighbours of', page)
    assert chip and "neighbours" not in chip.group(1)
    assert "Region" in page  # the facet's panel


def test_the_command_line_takes_region_and_neighbours(seed_index):
    def run(*args):
        out = CliRunner().invoke(cli, ["search", "adoption", "--index", str(seed_index),
                                       "--json", "--limit", "100", *args])
        assert out.exit_code == 0, out.output
        return json.loads(out.output)
    assert {r["authority"] for r in run("--neighbours", "Halton")["results"]} == \
        {"Halton", "St Helens"}
    assert {r["region"] for r in run("--region", "Yorkshire and the Humber")["results"]} == \
        {"Yorkshire and the Humber"}


def test_the_results_page_draws_paragraphs_per_year_with_the_numbers(seed_client):
    result = api(seed_client, "q=adoption")
    counts = {int(r["value"]): r["count"] for r in result["facets"]["year"]}
    page = seed_client.get("/search?q=adoption").get_data(as_text=True)
    bars = {int(y): int(n) for y, n in re.findall(
        r'class="chart__bar" data-year="(\d+)" data-count="(\d+)"', page)}
    assert {y: n for y, n in bars.items() if n} == counts
    assert set(bars) == set(range(min(counts), max(counts) + 1))  # gaps drawn as gaps
    table = dict(re.findall(r'<tr><th scope="row">(\d{4})</th><td>([\d,]+)</td></tr>', page))
    assert {int(y): int(n.replace(",", "")) for y, n in table.items()} == bars
