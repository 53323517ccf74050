"""The PDF reader on PDFs generated here that reproduce the hard layouts of real Ofsted reports:
running header and footer, page numbers, a paragraph across a page break, a wrapped grade table,
footnotes, headings, bullets, a letter's letterhead and the colophon."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.ingest.pipeline import build_report, report_id_for
from indexer.ingest.sources import read_source
from tests.pdfgen import BODY, HEIGHT, MARGIN, PITCH, Doc

HEADER = "Inspection of Testshire local authority children’s services"
FOOTER = "1 to 12 May 2023"
LONG = ("Social workers know the children they work with well and visit them regularly, "
        "in line with their plans. ")


def read(doc: Doc, tmp_path: Path, name: str = "report.pdf"):
    path = tmp_path / name
    path.write_bytes(doc.bytes())
    return read_source(path)


def blocks(text: str) -> list[str]:
    return [b for b in text.split("\n\n") if b.strip()]


@pytest.fixture
def inspection(tmp_path):
    """A three-page inspection report in the ILACS layout."""
    doc = Doc(header=HEADER, footer=FOOTER)
    doc.place(MARGIN, 60, "Testshire", 20)
    doc.y = 100
    doc.heading("Inspection of children’s social care services")
    doc.table_row(["Judgement"], ["Grade"], bold_left=True)
    doc.table_row(["The experiences and progress of children", "who need help and protection"],
                  ["Requires", "improvement to", "be good"])
    doc.table_row(["Overall effectiveness"], ["Good"])
    doc.paragraph("Leaders have a clear understanding of the local safeguarding "
                  "partnership{^1} and of the quality of practice.")
    doc.footnote(1, "The partnership replaced the Local Safeguarding Children Board in 2019.")
    doc.heading("What needs to improve")
    doc.paragraph("The timeliness and quality of return home interviews.", bullet=True)
    doc.paragraph("Management oversight of private fostering arrangements.", bullet=True)
    doc.new_page()
    doc.heading("The experiences and progress of children who need help and protection: "
                "requires improvement to be good")
    number = 1
    doc.paragraph(LONG * 2, number=number)
    number += 1
    while doc.y < HEIGHT - MARGIN - 40 - 3 * PITCH * BODY:  # fill page 2 nearly to its foot
        doc.paragraph(f"Paragraph {number} is short.", number=number)
        number += 1
    doc.paragraph("Early help is well coordinated. " + LONG * 3 + "This paragraph runs on "
                  "over the page break and ends on the next page.", number=number)
    doc.paragraph("The final paragraph of the report.", number=number + 1)
    doc.place(MARGIN, 400, "© Crown copyright 2023")
    return doc, number


def test_running_header_footer_and_page_numbers_are_removed(inspection, tmp_path):
    doc, _ = inspection
    source = read(doc, tmp_path)
    assert len(doc.pages) >= 3
    assert source.paged
    assert source.text.count("\f") == len(doc.pages) - 1
    assert HEADER not in source.text
    assert FOOTER not in source.text
    assert not [b for b in blocks(source.text) if re.fullmatch(r"\d{1,3}", b.strip())]


def test_crown_copyright_line_is_removed(inspection, tmp_path):
    doc, _ = inspection
    assert "Crown copyright" not in read(doc, tmp_path).text


def test_wrapped_grade_cells_are_one_table_row(inspection, tmp_path):
    doc, _ = inspection
    tables = [b for b in blocks(read(doc, tmp_path).text) if "\t" in b]
    assert len(tables) == 1  # one table: its rows stay together, one per line
    rows = tables[0].split("\n")
    assert "The experiences and progress of children who need help and protection\t" \
           "Requires improvement to be good" in rows
    assert "Overall effectiveness\tGood" in rows
    assert "Judgement\tGrade" in rows


def test_headings_are_marked_by_typography(inspection, tmp_path):
    doc, _ = inspection
    found = [b for b in blocks(read(doc, tmp_path).text) if b.startswith("#")]
    assert found[0] == "# Testshire"
    assert "## What needs to improve" in found
    assert ("## The experiences and progress of children who need help and protection: "
            "requires improvement to be good") in found
    assert not any("Social workers" in h for h in found)


def test_footnote_marker_is_separated_and_its_text_kept_apart(inspection, tmp_path):
    doc, _ = inspection
    text = read(doc, tmp_path).text
    assert "local safeguarding partnership[^1] and of the quality" in text
    footnotes = [b for b in blocks(text) if b.startswith("[^1]: ")]
    assert footnotes == ["[^1]: The partnership replaced the Local Safeguarding Children Board "
                         "in 2019."]
    paragraph = next(b for b in blocks(text) if b.startswith("Leaders have"))
    assert "replaced" not in paragraph


def test_bullets_are_marked(inspection, tmp_path):
    doc, _ = inspection
    found = [b for b in blocks(read(doc, tmp_path).text) if b.startswith("- ")]
    assert found == ["- The timeliness and quality of return home interviews.",
                     "- Management oversight of private fostering arrangements."]


def test_paragraph_across_a_page_break_has_only_the_break_between_its_halves(inspection,
                                                                           tmp_path):
    doc, number = inspection
    text = read(doc, tmp_path).text
    start = text.index(f"{number}. Early help is well coordinated.")
    end = text.index("ends on the next page.")
    between = text[start:end]
    assert between.count("\f") == 1  # it does cross the page break...
    assert HEADER not in between and FOOTER not in between  # ...with nothing printed between
    assert not re.search(r"\n\d{1,3}\n", between)


def test_pipeline_makes_whole_numbered_paragraphs_with_the_page_they_start_on(inspection,
                                                                              tmp_path):
    doc, number = inspection
    path = tmp_path / "report.pdf"
    data = doc.bytes()
    path.write_bytes(data)
    report = build_report(read_source(path), report_id_for(data), "report.pdf")
    crossing = next(p for p in report.paragraphs if p.para_number == str(number))
    assert crossing.text.startswith("Early help is well coordinated.")
    assert crossing.text.endswith("over the page break and ends on the next page.")
    assert crossing.page == 2
    assert report.paragraphs[-1].text == "The final paragraph of the report."
    assert report.paragraphs[-1].page == 3
    assert all(HEADER not in p.text and FOOTER not in p.text for p in report.paragraphs)


def test_letterhead_of_a_letter_is_removed(tmp_path):
    doc = Doc(page_numbers=False)
    for k, line in enumerate(["Ofsted", "Piccadilly Gate", "Store Street", "Manchester",
                              "M1 2WD"]):
        doc.place(MARGIN, 45 + 11 * k, line, 8)
    for k, line in enumerate(["T 0300 123 1231", "enquiries@ofsted.gov.uk"]):
        doc.place(200, 45 + 11 * k, line, 8)
    doc.y = 140
    doc.paragraph("22 November 2023")
    doc.paragraph("Dear Ms Smith")
    doc.heading("Focused visit to Testshire children’s services", size=BODY)
    doc.paragraph("This letter summarises the findings of the focused visit.")
    text = read(doc, tmp_path).text
    assert "Piccadilly" not in text and "enquiries@ofsted.gov.uk" not in text
    assert blocks(text)[0] == "22 November 2023"
    assert "# Focused visit to Testshire children’s services" in blocks(text)


def test_hyphen_at_a_line_end_joins_the_compound(tmp_path):
    doc = Doc(page_numbers=False)
    doc.place(MARGIN, 100, "Management oversight of decision-")
    doc.place(MARGIN, 100 + PITCH * BODY, "making in the front door is consistent.")
    text = read(doc, tmp_path).text
    assert "oversight of decision-making in the front door" in text


def test_fixture_really_prints_what_the_reader_removes(inspection):
    """pdfplumber (pdfminer, independent of pdfium) sees the header, footer, page numbers and a
    raised, smaller footnote number in the generated PDF: what the reader leaves out is there."""
    import io

    import pdfplumber
    doc, _ = inspection
    with pdfplumber.open(io.BytesIO(doc.bytes())) as pdf:
        first = pdf.pages[0]
        text = first.extract_text()
        assert HEADER in text and FOOTER in text
        assert first.extract_words()[-1]["text"] == "1"  # the page number, last drawn
        chars = first.chars
        k = next(i for i in range(len(chars)) if "".join(
            c["text"] for c in chars[i - 11:i]) == "partnership")
        marker, before = chars[k], chars[k - 1]
        assert marker["text"] == "1" and marker["size"] < 0.8 * before["size"]  # smaller...
        assert marker["bottom"] < before["bottom"] - 1  # ...and raised above its line
