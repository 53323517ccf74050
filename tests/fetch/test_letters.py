"""Letters fetch brings besides inspections: joint targeted area inspection (JTAI) and
monitoring-visit letters are read like focused-visit letters, each with its own report type."""
from __future__ import annotations

import pytest

from indexer.ingest.pipeline import parse_file

from .reports import focused_visit_letter, jtai_letter, monitoring_visit_letter


@pytest.mark.parametrize("authority", ["Halton", "Testshire", "Bath and North East Somerset"])
def test_a_jtai_letter_has_its_type_authority_dates_and_sections(tmp_path, authority):
    path = tmp_path / "jtai.pdf"
    path.write_bytes(jtai_letter(authority))
    report = parse_file(path, tmp_path)
    assert report.report_type == "Joint targeted area inspection"
    assert report.authority == authority
    assert (report.inspection_start, report.inspection_end) == ("2019-04-08", "2019-04-12")
    assert report.published == "2019-06-07"  # the letter's date
    texts = [p.text for p in report.paragraphs]
    assert texts[0].startswith("Between 8 and 12 April 2019, Ofsted")
    # Letterhead, addressees, salutation and signature are not paragraphs.
    assert not [t for t in texts if "Dear" in t or "Piccadilly" in t or "Chief Constable" in t
                or t.startswith("Yours")]
    sections = {p.text.split()[0]: p.section for p in report.paragraphs}
    assert sections["Children"] == "Summary"              # under "Key strengths"
    assert sections["The"] == "What needs to improve"      # under "Next steps"


def test_a_monitoring_visit_letter_reads_like_a_focused_visit(tmp_path):
    (tmp_path / "mv.pdf").write_bytes(monitoring_visit_letter("Slough"))
    (tmp_path / "fv.pdf").write_bytes(focused_visit_letter("Slough"))
    visit = parse_file(tmp_path / "mv.pdf", tmp_path)
    focused = parse_file(tmp_path / "fv.pdf", tmp_path)
    assert (visit.report_type, focused.report_type) == ("Monitoring visit", "Focused visit")
    assert visit.authority == focused.authority == "Slough"
    assert (visit.inspection_start, visit.inspection_end, visit.published) == (
        "2019-01-15", "2019-01-16", "2019-02-12")
    assert visit.title == "Monitoring visit to Slough children’s services"
    assert [p.heading for p in visit.paragraphs] == [
        visit.title, "Areas covered by the visit", "Overview"]
    assert visit.paragraphs[0].section == focused.paragraphs[0].section == "Summary"
    assert not [p for p in visit.paragraphs if "Dear" in p.text or "Yours" in p.text]
