"""Reports as fetch brings them, written with tests/pdfgen.py in the layouts Ofsted prints:
an ILACS report (no publication date printed), and letters (focused visit, monitoring visit,
joint targeted area inspection) with Ofsted's letterhead, the date, the addressees, "Dear ..."
and a sign-off."""
from __future__ import annotations

from tests.pdfgen import Doc

LETTERHEAD = ["Ofsted", "Piccadilly Gate", "Store Street", "Manchester", "M1 2WD",
              "T 0300 123 1231", "enquiries@ofsted.gov.uk", "www.gov.uk/ofsted"]


def _letter(doc: Doc, dated: str, addressees: list[str], dear: str) -> None:
    for line in LETTERHEAD:
        doc.paragraph(line, size=8)
    doc.paragraph(dated)
    for line in addressees:
        doc.paragraph(line)
    doc.paragraph(dear)


def _sign_off(doc: Doc, *signatures: str) -> None:
    doc.paragraph("Yours sincerely")
    for name in signatures:
        doc.paragraph(name)


def ilacs_report(authority: str = "Testshire", extra: str = "") -> bytes:
    doc = Doc(footer="Inspection of " + authority + " local authority children's services")
    doc.heading(f"Inspection of {authority} local authority children’s services")
    doc.paragraph("Inspection dates: 3 to 14 October 2022")
    doc.paragraph("Lead inspector: Alison Smale, His Majesty’s Inspector")
    doc.heading("What needs to improve?")
    doc.paragraph("The quality of plans for children in need of help and protection. " + extra)
    doc.heading("The experiences and progress of children who need help and protection: good")
    doc.paragraph(f"Children in {authority} who need help receive a timely response from the "
                  "front door, where thresholds are well understood by partners.", number=1)
    doc.paragraph("Return home interviews are offered to every child who has been missing and "
                  "the information gathered is used to plan their care.", number=2)
    return doc.bytes()


def focused_visit_letter(authority: str = "Testshire",
                         overview: str = "Managers have improved the front door since the last "
                                         "inspection, and children receive help at the right "
                                         "time.") -> bytes:
    doc = Doc()
    _letter(doc, "31 October 2019", ["Ms Jo Smith", "Director of Children’s Services",
                                     f"{authority} County Council"], "Dear Ms Smith")
    doc.heading(f"Focused visit to {authority} children’s services")
    doc.paragraph(f"This letter summarises the findings of a focused visit to {authority} "
                  "children’s services on 8 and 9 October 2019. The inspectors were Nick "
                  "Stacey and Jenny Turnross, Her Majesty’s Inspectors.")
    doc.heading("Overview")
    doc.paragraph(overview)
    _sign_off(doc, "Nick Stacey", "Her Majesty’s Inspector")
    return doc.bytes()


def monitoring_visit_letter(authority: str = "Testshire") -> bytes:
    doc = Doc()
    _letter(doc, "12 February 2019", ["Ms Jo Smith", "Director of Children’s Services",
                                      f"{authority} Borough Council"], "Dear Ms Smith")
    doc.heading(f"Monitoring visit to {authority} children’s services")
    doc.paragraph(f"This letter summarises the findings of the monitoring visit to {authority} "
                  "children’s services on 15 and 16 January 2019. The visit was the third "
                  "monitoring visit since the local authority was judged inadequate in June "
                  "2017. The inspectors were Jansy Kelly and Kate Malleson, Her Majesty’s "
                  "Inspectors.")
    doc.heading("Areas covered by the visit")
    doc.paragraph("Inspectors reviewed the progress made in the quality of planning for "
                  "children in care, including the timeliness of permanence planning.")
    doc.heading("Overview")
    doc.paragraph("Senior leaders have a realistic understanding of the improvements still "
                  "needed, and social workers’ caseloads have fallen since the last visit.")
    _sign_off(doc, "Jansy Kelly", "Her Majesty’s Inspector")
    return doc.bytes()


def jtai_letter(authority: str = "Testshire") -> bytes:
    doc = Doc()
    _letter(doc, "7 June 2019", [
        "Ms Jo Smith, Director of Children’s Services, " + authority,
        "Dr Ann Other, Accountable Officer, " + authority + " Clinical Commissioning Group",
        "Mr Ian Police, Chief Constable, " + authority + " Constabulary",
        "Ms Pat Chair, Independent Chair of the Local Safeguarding Children Board"],
        "Dear local partnership")
    doc.heading("Joint targeted area inspection of the multi-agency response to children’s "
                f"mental health in {authority}")
    doc.paragraph("Between 8 and 12 April 2019, Ofsted, the Care Quality Commission (CQC), HMI "
                  "Constabulary and Fire & Rescue Services (HMICFRS) and HMI Probation (HMIP) "
                  "undertook a joint inspection of the multi-agency response to children’s "
                  f"mental health in {authority}.")
    doc.paragraph("This letter to all the service leaders in the area outlines our findings "
                  "about the effectiveness of partnership working and of the work of "
                  f"individual agencies in {authority}.")
    doc.heading("Key strengths")
    doc.paragraph("Children and young people who need help with their mental health are seen "
                  "quickly by the crisis team, and schools know how to refer them.")
    doc.heading("Next steps")
    doc.paragraph("The director of children’s services should prepare a written statement of "
                  "proposed action responding to the findings outlined in this letter.")
    _sign_off(doc, "Yvette Stanley", "National Director, Social Care, Ofsted")
    return doc.bytes()
