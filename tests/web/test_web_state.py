"""The search page's URL state and presentation rules, without a server or an index."""
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.datastructures import MultiDict

from indexer.model import FACETS
from webapp import present
from webapp.export import csv_cell
from webapp.state import BadSearch, SearchState, parse_date, parse_page


def state(**args):
    return SearchState.from_args(MultiDict(args))


def args_of(url):
    return parse_qs(urlsplit(url).query)


# -- reading the URL -------------------------------------------------------------------------

@pytest.mark.parametrize("typed, end, expected", [
    ("2015", False, "2015-01-01"),
    ("2015", True, "2015-12-31"),
    ("2016-02", True, "2016-02-29"),
    ("02/2015", False, "2015-02-01"),
    ("2015-03-20", False, "2015-03-20"),
    ("20/03/2015", True, "2015-03-20"),
    ("20 March 2015", False, "2015-03-20"),
    ("Sept 2014", True, "2014-09-30"),
    ("  ", False, None),
])
def test_dates_typed_as_a_person_would(typed, end, expected):
    assert parse_date(typed, end=end, field="to" if end else "from") == expected


@pytest.mark.parametrize("typed", ["2015-13", "31/02/2015", "yesterday", "15", "2015-03-20T10"])
def test_impossible_dates_get_a_message_naming_the_field(typed):
    with pytest.raises(BadSearch) as e:
        parse_date(typed, end=False, field="from")
    assert e.value.field == "from" and "'from' date" in e.value.message


def test_from_after_to_is_refused():
    with pytest.raises(BadSearch, match="before"):
        state(**{"from": "2016", "to": "2015"})


@pytest.mark.parametrize("raw", ["0", "-1", "abc", "1.5", "99999999", "2e3"])
def test_bad_page_numbers_are_refused(raw):
    with pytest.raises(BadSearch) as e:
        parse_page(raw)
    assert e.value.field == "page"


def test_query_whitespace_is_tidied_and_facet_values_deduplicated():
    s = SearchState.from_args(MultiDict([("q", "  return   home "), ("authority", "Halton"),
                                         ("authority", " Halton "), ("authority", "")]))
    assert s.q == "return home"
    assert s.selected("authority") == ("Halton",)


def test_unknown_sort_is_refused_and_overlong_query_too():
    with pytest.raises(BadSearch):
        state(q="x", sort="random")
    with pytest.raises(BadSearch):
        state(q="word " * 200)


def test_lenient_state_keeps_words_and_filters_but_drops_the_bad_parts():
    s = SearchState.lenient(MultiDict([("q", "cse"), ("section", "Summary"), ("page", "x"),
                                       ("from", "nonsense"), ("sort", "newest")]))
    assert (s.q, s.selected("section"), s.page, s.date_from, s.sort) == \
        ("cse", ("Summary",), 1, "", "newest")


def test_search_params_carry_dates_as_iso_ranges():
    p = state(q="cse", **{"from": "2014", "to": "03/2015"}).to_params()
    assert (p.date_from, p.date_to) == ("2014-01-01", "2015-03-31")


# -- writing the URL -------------------------------------------------------------------------

def test_url_round_trips_the_whole_state():
    s = SearchState.from_args(MultiDict([
        ("q", "core groups"), ("authority", "Halton"), ("authority", "St Helens"),
        ("grade", "Good"), ("from", "2012"), ("to", "2015"), ("sort", "oldest"), ("page", "3")]))
    again = SearchState.from_args(MultiDict(
        [(k, v) for k, vs in args_of(s.url()).items() for v in vs]))
    assert again == s


def test_removing_a_chip_keeps_the_rest_and_goes_back_to_page_one():
    s = SearchState.from_args(MultiDict([("q", "cse"), ("authority", "Halton"),
                                         ("authority", "Calderdale"), ("year", "2015"),
                                         ("page", "4")]))
    chips = {(c["label"], c["value"]): c["remove_url"] for c in s.chips()}
    args = args_of(chips[("Local authority", "Halton")])
    assert args == {"q": ["cse"], "authority": ["Calderdale"], "year": ["2015"]}
    assert "page" not in args_of(s.cleared().url())
    assert args_of(s.cleared().url()) == {"q": ["cse"]}


def test_date_chips_remove_only_their_own_end():
    s = state(q="x", **{"from": "2014", "to": "2015"})
    by_label = {c["label"]: c["remove_url"] for c in s.chips()}
    assert args_of(by_label["From"]) == {"q": ["x"], "to": ["2015"]}
    assert args_of(by_label["To"]) == {"q": ["x"], "from": ["2014"]}


# -- presentation ----------------------------------------------------------------------------

def test_pagination_shows_neighbours_first_last_and_gaps():
    p = present.pagination(state(q="x", page="6"), total=200, limit=20)
    labels = [i.get("number", "...") for i in p["items"]]
    assert labels == [1, "...", 5, 6, 7, "...", 10]
    assert [i["number"] for i in p["items"] if i.get("current")] == [6]
    assert args_of(p["next"])["page"] == ["7"] and args_of(p["previous"])["page"] == ["5"]
    assert "page" not in args_of(p["items"][0]["url"])  # page 1 is the plain URL


def test_single_page_has_no_pagination():
    assert present.pagination(state(q="x"), total=20, limit=20) is None
    assert present.page_count(0) == 1


def facets(state_=None, **values):
    """Facet rows as the search JSON gives them: every facet, `selected` set from the state."""
    chosen = {f: {v.lower() for v in state_.selected(f)} for f in FACETS} if state_ else {}
    rows = {f: [] for f in FACETS}
    for f, pairs in values.items():
        rows[f] = [{"value": v, "count": c, "selected": v.lower() in chosen.get(f, ())}
                   for v, c in pairs]
    return rows


def test_facet_options_ranked_by_count_with_the_rest_behind_show_all():
    many = [(f"LA {i:03d}", 200 - i) for i in range(150)]
    panel = present.facet_panels(facets(authority=many), state(q="x"), top_n=10)[0]
    assert [o["value"] for o in panel["top"]] == [f"LA {i:03d}" for i in range(10)]
    assert len(panel["rest"]) == 140 and len(panel["options"]) == 150


def test_a_selected_value_is_always_shown_ticked_even_with_no_matches():
    many = [(f"LA {i:03d}", 200 - i) for i in range(50)]
    s = SearchState.from_args(MultiDict([("q", "x"), ("authority", "LA 049"),
                                         ("authority", "Nowhere")]))
    panel = present.facet_panels(facets(s, authority=many + [("Nowhere", 0)]), s, top_n=5)[0]
    top = {o["value"]: o for o in panel["top"]}
    assert top["LA 049"]["checked"] and top["Nowhere"] == {"value": "Nowhere", "count": 0,
                                                          "checked": True}
    assert len(panel["top"]) == 5
    assert panel["selected"] == 2


def test_years_newest_first_and_grades_best_first():
    panels = {p["name"]: p for p in present.facet_panels(
        facets(year=[("2015", 3), ("2012", 9), ("2008", 50)],
               grade=[("Inadequate", 9), ("Good", 2), ("Outstanding", 1)]), state(q="x"),
        top_n=10)}
    assert [o["value"] for o in panels["year"]["top"]] == ["2015", "2012", "2008"]
    assert [o["value"] for o in panels["grade"]["top"]] == ["Outstanding", "Good", "Inadequate"]


def test_results_of_one_report_fold_under_its_best_paragraph():
    hits = [{"report_id": r, "id": i, "report_hits": "AABCAB".count(r)}
            for i, r in enumerate("AABCAB")]
    groups = present.group_results(hits)
    assert [g["hit"]["id"] for g in groups] == [0, 2, 3]
    assert [[m["id"] for m in g["more"]] for g in groups] == [[1, 4], [5], []]
    assert [g["more_count"] for g in groups] == [2, 1, 0]


def test_report_total_from_the_search_wins_over_the_page_count():
    groups = present.group_results([{"report_id": "A", "report_hits": 12},
                                    {"report_id": "A", "report_hits": 12}])
    assert groups[0]["more_count"] == 11 and len(groups[0]["more"]) == 1


def test_facet_values_match_case_insensitively():
    s = SearchState.from_args(MultiDict([("q", "x"), ("authority", "halton")]))
    panel = present.facet_panels(facets(s, authority=[("Calderdale", 9), ("Halton", 4)]), s,
                                 top_n=10)[0]
    assert [(o["value"], o["count"], o["checked"]) for o in panel["options"]] == \
        [("Calderdale", 9, False), ("Halton", 4, True)]


def test_dates_read_the_gov_uk_way():
    assert present.long_date("2015-02-03") == "3 February 2015"
    assert present.long_date(None) == ""
    assert present.long_date("sometime") == "sometime"


def test_glossary_expansions_read_as_short_phrases():
    assert present.expansions({"expansions": [
        {"term": "CSE", "also": ["child sexual exploitation"], "related": []}]}) == \
        ["CSE: child sexual exploitation"]
    assert present.expansions({"expansions": [{"term": "CSE", "also": ["CSE", "CSEs"],
                                               "related": ["exploitation"]}]}) \
        == ["CSE: CSEs, exploitation"]
    assert present.expansions({"expansions": []}) == []


def test_csv_cells_never_start_a_formula():
    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_cell("- 2. Improve") == "'- 2. Improve"
    assert csv_cell(12) == "12" and csv_cell(None) == ""
