"""Reading Ofsted's pages (pure functions on their HTML), on fixture pages in the structure of
the public site: tests/fetch/pages/."""
from __future__ import annotations

from pathlib import Path

import pytest

from indexer.fetch.site import (LayoutChanged, Provider, Publication, authority_folder,
                                listing_url, parse_listing, parse_provider)

PAGES = Path(__file__).with_name("pages")
LISTING = listing_url("https://reports.ofsted.gov.uk")
NORFOLK = "https://reports.ofsted.gov.uk/provider/44/80418"


def page(name: str) -> str:
    return (PAGES / name).read_text("utf-8")


def test_the_listing_gives_each_authority_once_and_the_next_page():
    listing = parse_listing(page("listing_first.html"), LISTING)
    assert listing.providers == [
        Provider("80486", "Barking and Dagenham", "https://reports.ofsted.gov.uk/provider/44/80486"),
        Provider("80487", "Barnet", "https://reports.ofsted.gov.uk/provider/44/80487"),
        Provider("2637539", "North Northamptonshire",
                 "https://reports.ofsted.gov.uk/provider/44/2637539"),
    ]  # the children's home (provider/23) is not a local authority
    assert listing.next_url == (
        "https://reports.ofsted.gov.uk/search?q=&location=&lat=&lon=&radius=&level_1_types=3"
        "&level_2_types%5B%5D=12&start=100&rows=100")


def test_the_last_listing_page_has_no_next():
    listing = parse_listing(page("listing_last.html"), LISTING)
    assert [p.name for p in listing.providers] == ["York"] and listing.next_url is None


def test_a_listing_without_authority_links_is_a_layout_change_naming_the_page():
    with pytest.raises(LayoutChanged) as e:
        parse_listing(page("listing_changed.html"), LISTING)
    assert e.value.page == LISTING
    assert "provider/44/URN" in str(e.value) and str(e.value).startswith(LISTING)


def test_an_authority_page_gives_each_report_with_its_kind_and_publication_date():
    reports = parse_provider(page("provider.html"), NORFOLK)
    assert [(r.kind, r.published) for r in reports] == [
        ("inspection", "2026-05-18"), ("focused-visit", "2019-10-31"), ("send", "2024-03-05"),
        ("jtai", "2019-06-07"), ("inspection", "2015-10-20"), ("inspection", "2013-08-16"),
        (None, "2012-02-01")]  # a kind the project does not parse is listed, not fetched
    first, focused, send = reports[:3]
    assert first == Publication(url="https://files.ofsted.gov.uk/v1/file/50306001",
                                kind_text="children's services inspection", kind="inspection",
                                published="2026-05-18", title="Children's services inspection")
    assert focused.kind_text == "children's services focused visit"  # curly apostrophe too
    assert focused.title == "Children's services focused visit"      # not "Download"
    assert send.url == "https://reports.ofsted.gov.uk/v1/file/2520001"  # relative link
    # File names as the site's downloads (and ../shared/ofsted-pdfs) have them.
    assert [r.file_name for r in reports[:6]] == [
        "children's services inspection - 18 may 2026.pdf",
        "children's services focused visit - 31 october 2019.pdf",
        "area send full inspection - 05 march 2024.pdf",
        "joint area child protection inspection - 07 june 2019.pdf",
        "single inspection of la children's services - 20 october 2015.pdf",
        "children's services inspection - 16 august 2013.pdf"]


@pytest.mark.parametrize("name, missing", [
    ("provider_changed.html", 'no list of reports (<a class="publication-link">)'),
    ("provider_no_date.html", "no publication date in \"children's services inspection, pdf\""),
])
def test_an_authority_page_not_in_the_known_shape_is_a_layout_change(name, missing):
    with pytest.raises(LayoutChanged) as e:
        parse_provider(page(name), NORFOLK)
    assert str(e.value).startswith(f"{NORFOLK}: {missing}")
    assert "Ofsted's site may have changed" in str(e.value)


def test_folder_names_are_safe_and_match_the_shared_layout():
    assert authority_folder(Provider("80486", "Barking and Dagenham", "")) == \
        "80486_barking and dagenham"
    assert authority_folder(Provider("1", "../etc/passwd\x00", "")) == "1_etc passwd"
    assert authority_folder(Provider("2", "St. Helens", "")) == "2_st. helens"
