"""The authorities table sorted and filtered, an authority's picture and table, and the report
page's citations, in Chromium; every page checked with axe-core."""
from __future__ import annotations

from .test_search_in_browser import assert_accessible


def row_names(page) -> list[str]:
    return page.locator("table.authorities tbody th").all_inner_texts()


def test_the_authorities_table_sorts_by_a_column_and_filters_by_region(page):
    page.goto("/authorities")
    assert_accessible(page)
    assert len(row_names(page)) == 156
    page.get_by_role("link", name="Children in care", exact=True).click()
    page.wait_for_load_state()
    names = [n.split("\n")[0] for n in row_names(page)]
    assert names[:3] == ["Halton", "St Helens", "Calderdale"]  # best grade first
    header = page.locator("th[aria-sort]")
    assert header.get_attribute("aria-sort") == "ascending"
    page.get_by_role("link", name="Children in care", exact=False).first.click()
    page.wait_for_load_state()
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "descending"
    assert [n.split("\n")[0] for n in row_names(page)][0] == "Calderdale"
    page.get_by_label("Yorkshire and the Humber").check()
    page.get_by_role("button", name="Show these regions").click()
    page.wait_for_load_state()
    cells = page.locator("table.authorities tbody td:nth-of-type(1)").all_inner_texts()
    assert cells and set(cells) == {"Yorkshire and the Humber"}
    assert "descending" == page.locator("th[aria-sort]").get_attribute("aria-sort")  # kept
    assert_accessible(page)


def test_an_authority_page_shows_the_picture_beside_its_table(page):
    page.goto("/authorities")
    page.get_by_role("link", name="Halton", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Halton"
    chart = page.locator("svg.chart")
    assert chart.is_visible() and chart.bounding_box()["width"] > 300
    marks = page.locator("svg.chart .chart__mark")
    cells = page.locator(".judgements-table td[data-area] .tag")
    assert marks.count() == cells.count() == 12
    assert page.locator(".chart-legend__item").count() == 10
    assert page.locator(".neighbours tbody tr").count() == 10
    assert_accessible(page)
    page.get_by_label("Search Halton's reports").fill("adoption")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_load_state()
    titles = page.locator(".result__link").all_inner_texts()
    assert titles and all(t.startswith("Halton:") for t in titles)


def test_a_citation_opens_without_javascript_on_the_report_page(browser, base_url):
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    page.goto("/authorities/calderdale")
    page.locator(".report-list a").first.click()
    page.wait_for_load_state()
    first = page.locator(".para__cite").first
    assert not first.locator(".para__citation").is_visible()
    first.locator("summary").click()
    assert first.locator(".para__citation").inner_text().startswith("Calderdale: ")
    context.close()


def test_a_report_page_with_its_citations_is_accessible(page):
    page.goto("/authorities/calderdale")
    page.locator(".report-list a").first.click()
    page.wait_for_load_state()
    page.locator(".para__cite summary").nth(3).click()
    assert_accessible(page)  # axe needs JavaScript: checked here, with it on
