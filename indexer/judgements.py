"""Judgements over time: one row per graded inspection report, every framework read into the same
columns, for `ofsted-search judgements` and the authority pages. Pure functions on the report
summaries an index holds (`reports.json`, see model.Report.summary).

A report's judgements keep the areas as printed ("The experiences and progress of children in
care and care leavers", "Services for looked after children: Overall effectiveness"); `column_for`
says which column each one fills. A judgement a framework does not make is None: the 2026
framework makes no overall judgement, ILACS before 2023 grades children in care and care
leavers together (the grade is in `children_in_care`; `care_leavers` is None and
`care_leavers_with_children_in_care` is true).
"""
from __future__ import annotations

import csv
import io
from typing import Iterable, Optional

# The judgement areas every framework since 2009 grades in some form, in the order pages show them.
MAIN_AREAS = ("overall_effectiveness", "impact_of_leaders", "help_and_protection",
              "children_in_care", "care_leavers")
# Areas of the older frameworks, each in a column of its own.
OTHER_AREAS = ("adoption", "lscb", "capacity_to_improve", "leadership_and_management",
               "learning_difficulties_and_disabilities")
AREAS = MAIN_AREAS + OTHER_AREAS
AREA_LABELS = {
    "overall_effectiveness": "Overall effectiveness",
    "impact_of_leaders": "Impact of leaders",
    "help_and_protection": "Help and protection",
    "children_in_care": "Children in care",
    "care_leavers": "Care leavers",
    "adoption": "Adoption",
    "lscb": "Safeguarding board (LSCB)",
    "capacity_to_improve": "Capacity to improve",
    "leadership_and_management": "Leadership and management",
    "learning_difficulties_and_disabilities": "Learning difficulties and disabilities",
}
REPORT_FIELDS = ("report_id", "source", "url", "urn", "la_code", "gss_code", "region",
                 "authority", "report_type", "inspection_start", "inspection_end", "published")
COLUMNS = REPORT_FIELDS + AREAS + ("care_leavers_with_children_in_care", "other_judgements")

# Grades best first, as numbers for pictures: 4 = Outstanding .. 1 = Inadequate. "Adequate"
# (2005-13) and "Requires improvement" (2013-) sit at the same step of their four-point scales.
SCALE = {"Outstanding": 4, "Good": 3, "Requires improvement": 2, "Adequate": 2, "Inadequate": 1}


def column_for(report_type: Optional[str], area: str) -> Optional[str]:
    """The column a printed judgement area fills, or None (kept in `other_judgements`)."""
    group, _, name = area.lower().strip(" .").rpartition(": ")
    if group:
        # 2009-12 "Record of main findings": two groups, each with its own overall judgement.
        if name == "overall effectiveness":
            return "help_and_protection" if "safeguarding" in group else "children_in_care"
        return None
    if name.startswith("overall effectiveness"):
        # A looked after children inspection's overall judgement is about children in care.
        return ("children_in_care" if report_type == "Looked after children inspection"
                else "overall_effectiveness")
    if "impact of leaders" in name or name.startswith("leadership, management and governance"):
        return "impact_of_leaders"
    if "help and protection" in name or (report_type == "Joint area review"
                                         and name == "safeguarding"):
        return "help_and_protection"
    if ("children in care" in name or name in ("looked after children", "permanence")
            or name.startswith("children looked after")):
        return "children_in_care"
    if "care leavers" in name:  # "... of care leavers"; 2025 reports print "children care leavers"
        return "care_leavers"
    if "adoption" in name:
        return "adoption"
    if ("safeguarding children board" in name or name == "lscb"
            or "safeguarding children partnership" in name):
        return "lscb"
    if name.startswith("capacity"):
        return "capacity_to_improve"
    if name in ("leadership and management", "service management"):
        return "leadership_and_management"
    if name.startswith("learning difficulties"):
        return "learning_difficulties_and_disabilities"
    return None


def judgement_row(report: dict) -> dict:
    """One report summary as a judgements row (COLUMNS); every column present, None if unknown."""
    row = {f: report.get(f) for f in REPORT_FIELDS}
    row.update(dict.fromkeys(AREAS))
    other = []
    joint = False
    for j in report.get("judgements", []):
        column = column_for(report.get("report_type"), j["area"])
        if column and row[column] is None:
            row[column] = j["grade"]
            if column == "children_in_care" and "care leavers" in j["area"].lower():
                joint = True
        else:
            other.append({"area": j["area"], "grade": j["grade"]})
    row["care_leavers_with_children_in_care"] = joint
    row["other_judgements"] = other
    return row


def report_date(report: dict) -> str:
    """The date a report is filed under: publication, else the end or start of the inspection."""
    return report.get("published") or report.get("inspection_end") or \
        report.get("inspection_start") or ""


def is_graded(report: dict) -> bool:
    return bool(report.get("judgements"))


def judgement_rows(reports: Iterable[dict], regions: Iterable[str] = (),
                   latest: bool = False) -> list[dict]:
    """Rows of every graded report, by authority then date; `regions` (any case) narrows to
    those regions; `latest` keeps each authority's most recent graded inspection of its
    children's services (an LSCB review on its own does not count)."""
    wanted = {r.strip().lower() for r in regions if r.strip()}
    graded = [r for r in reports if is_graded(r)
              and (not wanted or (r.get("region") or "").lower() in wanted)]
    graded.sort(key=lambda r: ((r.get("authority") or "").lower(), report_date(r),
                               r.get("report_id") or ""))
    rows = [judgement_row(r) for r in graded]
    if latest:
        newest: dict[str, dict] = {}
        for row in rows:
            if any(row[a] for a in MAIN_AREAS):
                newest[(row["authority"] or "").lower()] = row  # sorted by date: last wins
        rows = sorted(newest.values(), key=lambda r: (r["authority"] or "").lower())
    return rows


def csv_text(rows: list[dict]) -> str:
    """The rows as CSV: COLUMNS in order, other judgements as "area: grade; ..."."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        values = dict(row, other_judgements="; ".join(
            f"{j['area']}: {j['grade']}" for j in row["other_judgements"]))
        values["care_leavers_with_children_in_care"] = (
            "yes" if row["care_leavers_with_children_in_care"] else "")
        writer.writerow(["" if values[c] is None else values[c] for c in COLUMNS])
    return out.getvalue()


def graded_points(rows: list[dict]) -> list[dict]:
    """Every (inspection, area, grade) of `rows` as a point of the judgements picture: the
    date it is drawn at (end of the inspection, else publication), the area's column and label,
    the grade and its step on the four-point scale."""
    points = []
    for row in rows:
        when = row.get("inspection_end") or row.get("published") or row.get("inspection_start")
        if not when:
            continue
        for area in AREAS:
            grade = row.get(area)
            if grade in SCALE:
                points.append({"report_id": row["report_id"], "date": when, "area": area,
                               "label": AREA_LABELS[area], "grade": grade,
                               "step": SCALE[grade], "report_type": row["report_type"]})
    return points
