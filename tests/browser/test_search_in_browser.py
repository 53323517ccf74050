"""What a person does in a real browser: search, filter, follow a result, page, export.

Every page visited is also checked with axe-core (bundled in the axe-playwright-python package,
injected from disk: nothing is loaded from the internet).
"""
from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote_plus

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

AXE = Axe()
# WCAG 2.2 A and AA rules, plus axe's best practices (landmarks, headings, skip link).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                      "wcag22aa", "best-practice"]}}


def assert_accessible(page):
    results = AXE.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


def result_count(page) -> int:
    text = page.locator("#result-count").inner_text()
    return int(re.search(r"([\d,]+) paragraph", text).group(1).replace(",", ""))


def search_for(page, words):
    page.goto("/")
    page.get_by_label("Search Ofsted children's services reports").fill(words)
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_load_state()


def test_search_from_the_home_page_shows_counted_highlighted_results(page):
    page.goto("/")
    assert_accessible(page)
    search_for(page, "return home interviews")
    assert result_count(page) > 0
    assert "paragraphs" in page.locator("#result-count").inner_text()
    assert page.locator(".result").count() > 0
    assert page.locator(".result__snippet mark").count() > 0
    assert re.search(r"page 1 of \d+", page.title())
    assert_accessible(page)


def test_ticking_an_authority_narrows_and_removing_its_chip_widens(page):
    search_for(page, "return home interviews")
    everything = result_count(page)
    page.locator("#facet-authority").get_by_label(re.compile(r"^Halton")).check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    narrowed = result_count(page)
    assert 0 < narrowed < everything
    titles = page.locator(".result__link").all_inner_texts()
    assert titles and all(t.startswith("Halton:") for t in titles)
    assert page.url.count("authority=Halton") == 1

    section = page.locator("#facet-section [data-facet-top] input[type=checkbox]").first
    value = section.get_attribute("value")
    section.check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    both = result_count(page)
    assert 0 < both < narrowed
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"Remove filter Local authority: Halton")).click()
    page.wait_for_load_state()
    assert result_count(page) > both
    assert "authority=" not in page.url and f"section={quote_plus(value)}" in page.url

    page.get_by_role("link", name="Clear all filters").click()
    page.wait_for_load_state()
    assert result_count(page) == everything
    assert page.locator("a.chip").count() == 0


def test_long_facet_shows_all_and_filters_as_you_type(page):
    search_for(page, "return home interviews")
    facet = page.locator("#facet-authority")
    visible = facet.locator(".checkboxes__item:visible")
    assert visible.count() == 2  # the top options (2 in this test app)
    facet.get_by_text(re.compile(r"^Show all")).click()
    assert visible.count() > 2
    facet.get_by_text(re.compile(r"^Show all")).click()  # close it again

    # The list filters on each key as a script runs: expect() waits for it (on a loaded machine
    # the count read at once can be the one before the last key).
    box = facet.get_by_label("Filter local authority options")
    box.fill("calder")
    expect(visible).to_have_count(1)
    assert facet.locator(".checkboxes__item:visible").all_inner_texts() == \
        [t for t in facet.locator(".checkboxes__item:visible").all_inner_texts()
         if t.startswith("Calderdale")]
    assert facet.locator(".checkboxes__item:visible").count() == 1
    box.press("Enter")  # filtering must not submit the search
    assert "authority=" not in page.url

    box.fill("zzz")
    expect(visible).to_have_count(0)
    assert "No local authority match" in facet.locator("[role=status]").inner_text()
    box.fill("")
    expect(visible).to_have_count(2)  # "Show all" was closed when filtering began: closed again

    facet.get_by_text(re.compile(r"^Show all")).click()  # open, then filter and clear
    every = visible.count()
    box.fill("calder")
    expect(visible).to_have_count(1)
    box.fill("")
    expect(visible).to_have_count(every)  # it was open: open again


def test_filters_work_from_the_keyboard(page):
    search_for(page, "return home interviews")
    everything = result_count(page)
    page.locator("#facet-section input[type=checkbox]").first.focus()
    page.keyboard.press("Space")
    assert page.locator("#facet-section input[type=checkbox]").first.is_checked()
    page.get_by_role("button", name="Apply filters").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert result_count(page) < everything


def test_skip_link_is_the_first_stop_and_focus_is_visible(page):
    page.goto("/search?q=cse")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("e => e === document.activeElement")
    assert skip.is_visible() and skip.bounding_box()["x"] >= 0
    assert skip.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 221, 0)"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.id")
    assert focused == "q"
    outline = page.locator("#q").evaluate("e => getComputedStyle(e).outlineColor")
    assert outline == "rgb(255, 221, 0)"


def test_result_link_lands_on_the_marked_paragraph_with_the_words_highlighted(page):
    search_for(page, "return home interviews")
    link = page.locator(".result__link").nth(1)
    href = link.get_attribute("href")
    anchor = href.split("#")[1]
    link.click()
    page.wait_for_load_state()
    target = page.locator(f"[id='{anchor}']")
    assert target.evaluate("e => e.matches(':target')")
    assert target.locator("mark").count() > 0
    box = target.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]  # scrolled into view
    assert target.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert "Linked paragraph" in target.evaluate(
        "e => getComputedStyle(e, '::before').content")
    assert_accessible(page)

    page.get_by_role("link", name="Back to search results").click()
    page.wait_for_load_state()
    assert page.locator("#q").input_value() == "return home interviews"


def test_pagination_moves_on_and_a_new_filter_goes_back_to_page_one(page):
    search_for(page, "home")
    m = re.search(r"page 1 of (\d+)", page.title())
    assert m and int(m.group(1)) >= 2
    links = ".result__link, .result__more-list a:not([href$='#matches'])"

    def paragraphs_shown():
        return {h.split("?")[0] + "#" + h.split("#")[1]
                for h in page.locator(links).evaluate_all("as => as.map(a => a.href)")}
    first_page = paragraphs_shown()
    page.get_by_role("navigation", name="Results pages").get_by_role("link", name="Next").click()
    page.wait_for_load_state()
    assert f"page 2 of {m.group(1)}" in page.title()
    assert "page=2" in page.url
    assert page.get_by_role("link", name="Page 2").get_attribute("aria-current") == "page"
    assert paragraphs_shown() and not paragraphs_shown() & first_page
    page.locator("#facet-year input[type=checkbox]").first.check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert "page=" not in page.url and "page 1 of" in page.title()


def test_nothing_found_gives_guidance(page):
    search_for(page, "zzqxv wibblewobble")
    assert result_count(page) == 0
    guidance = page.locator(".no-results")
    assert guidance.get_by_role("heading").inner_text() == "There are no matching paragraphs"
    assert "spelling" in guidance.inner_text()
    assert_accessible(page)


def test_json_api_and_csv_download(page):
    response = page.request.get("/api/search?q=return+home+interviews&authority=Halton")
    assert response.ok and response.headers["content-type"].startswith("application/json")
    data = response.json()
    assert data["total"] > 0 and {r["authority"] for r in data["results"]} == {"Halton"}

    page.goto("/search?q=return+home+interviews&authority=Halton")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV spreadsheet").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    text = open(download.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == data["total"]
    assert {r["authority"] for r in rows} == {"Halton"}
    page.goto(rows[0]["link"])
    assert page.locator(":target").count() == 1


def test_errors_are_friendly_pages(page):
    response = page.goto("/reports/0000000000000000")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert_accessible(page)
    response = page.goto("/search?q=home&from=2015-13")
    assert response.status == 400
    assert page.title().startswith("Error:")
    page.locator(".error-summary a").click()
    assert page.evaluate("document.activeElement.id") == "date-from"
    assert_accessible(page)


@pytest.mark.parametrize("url", ["/search?q=return+home+interviews&authority=Halton",
                                 "/reports/{report}?q=cse"])
def test_phone_width_has_no_sideways_scroll_and_passes_axe(phone, url, base_url):
    if "{report}" in url:
        report = phone.request.get(base_url + "/api/search?q=cse&limit=1").json()
        url = url.format(report=report["results"][0]["report_id"])
    phone.goto(url)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    assert_accessible(phone)


def test_phone_filters_start_closed_and_open_on_tap(phone):
    phone.goto("/search?q=return+home+interviews")
    apply = phone.get_by_role("button", name="Apply filters")
    assert not apply.is_visible()
    phone.get_by_text("Filter results").tap()
    assert apply.is_visible()
