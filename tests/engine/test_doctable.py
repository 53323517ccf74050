"""The per-document table on its own (indexer/engine/doctable.py): bitmaps, columns, filters and
facet counts, typed facet values, facet rows and browse order, on the seed reports' own values
(the 893 paragraphs of the five seeds, numbered in order, no index)."""
from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.engine.doctable import Column, DocTable, bitmap, date_key, members
from indexer.model import FACETS
from tests.seeds import HALTON_FV_2018, SEEDS, report

DELETED = frozenset({3, 400, 892})  # as an update leaves them: numbered, not live


def value(v) -> str:
    """A document's value as the index's columns hold it: text, "" for none."""
    return "" if v is None else str(v)


def table_of(docs: list[dict], deleted=frozenset()) -> DocTable:
    live = [d for d in range(len(docs)) if d not in deleted]
    values = {name: [value(doc[name]) for doc in docs] for name in FACETS + ("report_id", "date")}
    return DocTable(len(docs), live, values, [doc["position"] for doc in docs], FACETS)


@pytest.fixture(scope="module")
def docs() -> list[dict]:
    return [doc for name in SEEDS for doc in report(name).documents()]


@pytest.fixture(scope="module")
def table(docs) -> DocTable:
    return table_of(docs, DELETED)


def live(docs):
    return [d for d in range(len(docs)) if d not in DELETED]


def count(docs, numbers, facet) -> dict[str, int]:
    """A plain count of a facet's values over some documents."""
    return dict(Counter(value(docs[d][facet]) for d in numbers if docs[d][facet] is not None))


# --- bitmaps ---------------------------------------------------------------------------------

@given(st.sets(st.integers(0, 3000)), st.integers(0, 64))
def test_a_bitmap_holds_exactly_its_documents(numbers, extra):
    size = max(numbers, default=0) + 1 + extra
    assert members(bitmap(numbers, size), size) == sorted(numbers)


def test_bit_d_of_a_bitmap_is_document_d():
    assert bitmap([0, 9, 16], 17) == 1 | 1 << 9 | 1 << 16
    assert bitmap([], 0) == 0 and members(0, 0) == []
    assert members(1 << 7 | 1 << 8, 9) == [7, 8]  # either side of a byte boundary


# --- one column ------------------------------------------------------------------------------

def test_a_column_knows_the_values_of_live_documents_only():
    column = Column(["Good", "Adequate", "", "Adequate", "Inadequate"], live=[0, 1, 2, 3], size=5)
    assert column.names == ["", "Adequate", "Good"]  # "Inadequate" is held only by a deleted one
    assert [column.names[c] for c in column.codes[:4]] == ["Good", "Adequate", "", "Adequate"]
    everything = bitmap(range(4), 5)
    assert column.counts(everything) == {"Adequate": 2, "Good": 1}  # no count for "" (none)
    assert column.counts(bitmap([1], 5)) == {"Adequate": 1}  # values held by none left out
    assert column.counts(0) == {}
    assert column.matching({"adequate"}) == bitmap([1, 3], 5)
    assert column.matching({"adequate", "good", ""}) == bitmap([0, 1, 3], 5)  # never "" (none)
    assert column.matching({"Adequate"}) == 0  # wanted values come lower-cased


@pytest.mark.parametrize("facet", FACETS + ("report_id",))
def test_a_seed_column_counts_what_a_plain_count_counts(docs, table, facet):
    column = table.columns[facet]
    assert column.counts(bitmap(live(docs), len(docs))) == count(docs, live(docs), facet)
    halton = [d for d in live(docs) if docs[d]["authority"] == "Halton"]
    assert column.counts(bitmap(halton, len(docs))) == count(docs, halton, facet)


# --- select: filters and facet counts --------------------------------------------------------

def passes(doc, selected, skip=None) -> bool:
    return all(value(doc[f]).lower() in want for f, want in selected.items() if f != skip)


@pytest.mark.parametrize("selected, kept", [
    ({}, 560),
    ({"authority": {"halton"}}, 243),
    ({"authority": {"halton"}, "grade": {"good"}}, 66),
    ({"authority": {"halton", "calderdale"}, "section": {"children in care", "care leavers"}}, 78),
    ({"year": {"2015"}, "report_type": {"single inspection (sif)"}, "grade": {"inadequate"}}, 15),
    ({"authority": {"nowhere"}}, 0),
], ids=["none", "one", "two-facets", "two-values-each", "three-facets", "no-such-value"])
def test_each_facet_counts_the_matches_passing_every_other_facets_selection(docs, table,
                                                                              selected, kept):
    """OR within a facet, AND across facets; each facet's counts ignore its own selection."""
    matched = [d for d in live(docs) if "children" in docs[d]["text"]]  # 560 paragraphs
    keep, counts, per_report = table.select(matched, selected, None, None)
    assert len(members(keep, table.size)) == kept
    kept = [d for d in matched if passes(docs[d], selected)]
    assert members(keep, table.size) == kept
    assert per_report == count(docs, kept, "report_id")
    for f in FACETS:
        assert counts[f] == count(docs, [d for d in matched if passes(docs[d], selected, skip=f)],
                                  f), f
    if list(selected) == ["authority"]:  # its own selection does not narrow its counts
        assert counts["authority"] == count(docs, matched, "authority")
        assert set(counts["authority"]) == {"Calderdale", "Halton", "St Helens"}


def test_halton_selected_still_counts_the_other_authorities(docs, table):
    everything = live(docs)
    keep, counts, per_report = table.select(everything, {"authority": {"halton"}}, None, None)
    # 297, 445 and 151 paragraphs, less one deleted from each
    assert counts["authority"] == {"Calderdale": 296, "Halton": 444, "St Helens": 150}
    assert members(keep, table.size) == [d for d in everything
                                         if docs[d]["authority"] == "Halton"]
    assert set(counts["year"]) == {"2008", "2015", "2018"}  # Halton's years only
    assert set(per_report) == {report(name).report_id for name in SEEDS
                               if report(name).authority == "Halton"}


@pytest.mark.parametrize("date_from, date_to, reports", [
    ("2015", None, {"2015-02-03", "2015-03-20", "2018-08-16"}),
    (None, "2012", {"2008-07-22", "2012-08-10"}),
    ("2015", "2015-02", {"2015-02-03"}),  # prefixes, inclusive: February 2015 is in
    ("2015-02-04", "2015-03-20", {"2015-03-20"}),
    ("2016", "2017", set()),
])
def test_dates_filter_by_prefix_inclusive_before_any_facet(docs, table, date_from, date_to,
                                                            reports):
    keep, counts, _ = table.select(live(docs), {}, date_from, date_to)
    kept = members(keep, table.size)
    assert {docs[d]["date"] for d in kept} == reports
    assert kept == [d for d in live(docs) if docs[d]["date"] in reports]
    assert sum(counts["authority"].values()) == len(kept)  # every facet counts within the dates


def test_no_date_range_is_no_filter(table):
    assert table.in_dates(None, None) is None and table.in_dates("", "") is None


# --- typed facet values ----------------------------------------------------------------------

@pytest.mark.parametrize("facet, typed, values", [
    ("authority", "HALTON", ["Halton"]),                    # exact, any case
    ("authority", " st helens ", ["St Helens"]),
    ("authority", "hel", ["St Helens"]),                    # contained
    ("authority", "*a*", ["Calderdale", "Halton"]),         # a wildcard pattern, sorted
    ("authority", "h*", ["Halton"]),                        # anchored: not "St Helens"
    ("authority", "x*", []),
    ("section", "children in care", ["Children in care"]),  # exact beats contained
    ("section", "care", ["Care leavers", "Children in care"]),
    ("report_type", "inspection", ["Safeguarding and looked after children inspection",
                                   "Single inspection (SIF)"]),
    ("year", "2015", ["2015"]),
    ("grade", "Outstanding", ["Outstanding"]),
    ("authority", "nowhere", []),
    ("no_such_facet", "halton", []),
])
def test_a_typed_value_resolves_to_the_values_it_means(table, facet, typed, values):
    assert table.resolve(facet, typed) == values


# --- facet rows ------------------------------------------------------------------------------

def test_facet_rows_are_most_frequent_first_and_years_newest_first(docs, table):
    _, counts, _ = table.select(live(docs), {"grade": {"good"}}, None, None)
    rows = table.facet_rows(counts, {"grade": {"good"}})
    assert set(rows) == set(FACETS)
    years = [r["value"] for r in rows["year"]]
    # the focused visit (2018) grades nothing: no row for it
    # strings, as every facet's values: what a client passes back as the filter
    assert years == ["2015", "2012", "2008"] and all(isinstance(y, str) for y in years)
    for f in ("authority", "section", "grade", "report_type"):
        keys = [(-r["count"], r["value"].lower()) for r in rows[f]]
        assert keys == sorted(keys) and {r["value"]: r["count"] for r in rows[f]} == counts[f]
    assert [r["value"] for r in rows["grade"] if r["selected"]] == ["Good"]
    assert not any(r["selected"] for f in FACETS if f != "grade" for r in rows[f])


def test_equal_counts_are_in_alphabetical_order_whatever_the_case():
    table = table_of([dict({f: None for f in FACETS}, authority=a, report_id="r", date=None,
                           position=i)
                      for i, a in enumerate(["b", "A", "c", "c", "A", "b", "c"])])
    counts = {f: {} for f in FACETS} | {"authority": {"b": 2, "A": 2, "c": 3}}
    assert [r["value"] for r in table.facet_rows(counts, {})["authority"]] == ["c", "A", "b"]


def test_a_selected_value_with_no_match_is_kept_with_count_0(docs, table):
    """Its row stays so that it can be unticked: as the index spells it, else as typed."""
    focused_visit = [d for d in live(docs) if docs[d]["source"] == HALTON_FV_2018]

    def rows(facet, selected):
        _, counts, _ = table.select(focused_visit, {facet: selected}, None, None)
        return table.facet_rows(counts, {facet: selected})[facet]
    assert rows("authority", {"calderdale"}) == [
        {"value": "Halton", "count": 18, "selected": False},
        {"value": "Calderdale", "count": 0, "selected": True}]
    assert rows("year", {"2008"}) == [{"value": "2018", "count": 18, "selected": False},
                                      {"value": "2008", "count": 0, "selected": True}]
    assert rows("grade", {"nowhere", "good"}) == [  # the focused visit grades nothing
        {"value": "Good", "count": 0, "selected": True},
        {"value": "nowhere", "count": 0, "selected": True}]


# --- orders ----------------------------------------------------------------------------------

def reports_in(docs, order) -> list[str]:
    """The reports in the order their paragraphs come, each once."""
    return list(dict.fromkeys(docs[d]["date"] for d in order))


def test_browse_order_is_newest_report_first_each_in_reading_order(docs, table):
    order = table.browse_order("newest")
    assert sorted(order) == live(docs)
    assert reports_in(docs, order) == ["2018-08-16", "2015-03-20", "2015-02-03", "2012-08-10",
                                       "2008-07-22"]
    assert reports_in(docs, table.browse_order("oldest")) == [
        "2008-07-22", "2012-08-10", "2015-02-03", "2015-03-20", "2018-08-16"]
    for sort in ("newest", "oldest"):
        for report_id in {doc["report_id"] for doc in docs}:
            within = [d for d in table.browse_order(sort) if docs[d]["report_id"] == report_id]
            assert [docs[d]["position"] for d in within] == sorted(docs[d]["position"]
                                                                    for d in within)
            assert within == table.report_docs(report_id)


def test_reports_without_a_date_browse_last_either_way(docs):
    undated = report(HALTON_FV_2018).report_id
    table = table_of([dict(doc, date=None) if doc["report_id"] == undated else doc
                      for doc in docs])
    for sort, dated in (("newest", ["2015-03-20", "2015-02-03", "2012-08-10", "2008-07-22"]),
                        ("oldest", ["2008-07-22", "2012-08-10", "2015-02-03", "2015-03-20"])):
        order = table.browse_order(sort)
        assert docs[order[-1]]["report_id"] == undated
        assert reports_in(docs, order) == dated + ["2018-08-16"]  # the dates it had
    assert date_key("", "newest") < date_key("2008-07-22", "newest")  # sorted in reverse
    assert date_key("", "oldest") > date_key("2018-08-16", "oldest")


def test_date_rank_places_each_document_by_its_reports_date(docs, table):
    rank = table.date_rank("newest")
    for a, b in ((d, e) for d in live(docs)[::97] for e in live(docs)[::89]):
        assert (rank[a] < rank[b]) == (docs[a]["date"] > docs[b]["date"])


def test_an_unknown_report_has_no_documents(table):
    assert table.report_docs("no-such-report") == []
