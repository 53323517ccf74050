"""The local replica of Ofsted's site the fetcher's tests run against (never the network)."""
from __future__ import annotations


import pytest

from .replica import Authority, Replica, Report
from .reports import focused_visit_letter, ilacs_report, jtai_letter, monitoring_visit_letter


@pytest.fixture(scope="session")
def site_reports() -> list[Authority]:
    """Three authorities (two listing pages of two), eight reports of four kinds."""
    return [
        Authority("80467", "Halton", [
            Report("50200024", "children's services inspection", "2022-11-25",
                   ilacs_report("Halton"), "Children's services inspection"),
            Report("50120011", "children's services focused visit", "2019-10-31",
                   focused_visit_letter("Halton")),
            Report("50100007", "joint area child protection inspection", "2019-06-07",
                   jtai_letter("Halton")),
        ]),
        Authority("80506", "Slough", [
            Report("50150002", "children's services monitoring visit", "2019-02-12",
                   monitoring_visit_letter("Slough")),
            Report("50090003", "children's services inspection", "2018-07-06",
                   ilacs_report("Slough", extra="Slough's plans are not yet good enough.")),
        ]),
        Authority("2637539", "North Northamptonshire", [
            Report("50306548", "children's services inspection", "2026-07-07",
                   ilacs_report("North Northamptonshire")),
            Report("50200123", "children's services focused visit", "2023-11-22",
                   focused_visit_letter("North Northamptonshire")),
            Report("50200124", "children's services focused visit", "2023-11-22",
                   focused_visit_letter("North Northamptonshire",
                                        "Care leavers are visited often by their personal "
                                        "advisers.")),
        ]),
    ]


@pytest.fixture()
def replica(site_reports):
    site = Replica(site_reports, page_size=2)
    site.start()
    yield site
    site.stop()
