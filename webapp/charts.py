"""Server-rendered SVG pictures, drawn without JavaScript: an authority's judgements over time and
the matching paragraphs per year of a search. Pure functions from data to markup; every piece of
text in them is escaped, and each picture has a table of the same numbers beside it.

The SVG uses presentation attributes only (no style attributes): the Content-Security-Policy
allows no inline style.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable

from markupsafe import Markup, escape

from indexer.judgements import AREA_LABELS, AREAS

# Colour and shape per judgement area, so marks differ in more than colour (GOV.UK palette).
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#b35d00", "#28a197", "#912b88",
           "#505a5f", "#6f72af", "#85994b")
SHAPES = ("circle", "square", "triangle", "diamond", "down", "circle", "square", "triangle",
          "diamond", "down")
STEPS = {4: "Outstanding", 3: "Good", 2: "Requires improvement / Adequate", 1: "Inadequate"}
STEP_SHORT = {4: "Outstanding", 3: "Good", 2: "RI / Adequate", 1: "Inadequate"}

WIDTH, HEIGHT = 400, 230
LEFT, RIGHT, TOP, BOTTOM = 92, 20, 12, 32
AXIS_GAP = 12


def area_style(area: str) -> tuple[str, str]:
    i = AREAS.index(area)
    return COLOURS[i % len(COLOURS)], SHAPES[i % len(SHAPES)]


def shape(kind: str, x: float, y: float, r: float = 5.0, colour: str = "#000") -> str:
    """A mark centred on (x, y): filled, with a white edge so overlapping marks stay visible."""
    common = f'fill="{colour}" stroke="#fff" stroke-width="1.2"'
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {common}/>'
    if kind == "square":
        return (f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" '
                f'height="{2 * r:.1f}" {common}/>')
    points = {"triangle": [(0, -1.2), (1.1, 0.9), (-1.1, 0.9)],
              "down": [(0, 1.2), (1.1, -0.9), (-1.1, -0.9)],
              "diamond": [(0, -1.3), (1.2, 0), (0, 1.3), (-1.2, 0)]}[kind]
    path = " ".join(f"{x + dx * r:.1f},{y + dy * r:.1f}" for dx, dy in points)
    return f'<polygon points="{path}" {common}/>'


def legend_swatch(area: str) -> Markup:
    """A small SVG of the area's mark, for the legend printed beside the picture."""
    colour, kind = area_style(area)
    return Markup(f'<svg class="chart-legend__mark" width="14" height="14" viewBox="0 0 14 14" '
                  f'aria-hidden="true" focusable="false">{shape(kind, 7, 7, 5, colour)}</svg>')


def _day_number(iso: str) -> int:
    return date.fromisoformat(iso[:10]).toordinal()


def judgements_svg(points: list[dict], title: str) -> Markup:
    """Each graded judgement of `points` (judgements.graded_points) as a mark: the date of the
    inspection across, the four-point scale upwards (Outstanding at the top), one colour and
    shape per area, a line joining each area's marks. Each mark carries its data (data-date,
    data-area, data-grade) and a <title> naming it."""
    if not points:
        return Markup("")
    years = [int(p["date"][:4]) for p in points]
    first, last = min(years), max(years) + 1
    lo, hi = date(first, 1, 1).toordinal(), date(last, 1, 1).toordinal()
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM - AXIS_GAP
    axis_y = TOP + plot_h + AXIS_GAP  # below the Inadequate row, so its marks stay clear

    def x_of(iso: str) -> float:
        return LEFT + (_day_number(iso) - lo) / (hi - lo) * plot_w

    def y_of(step: int) -> float:
        return TOP + (4 - step) / 3 * plot_h

    out = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
           f'aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg">',
           f'<title id="chart-title">{escape(title)}</title>']
    for step, label in STEP_SHORT.items():
        y = y_of(step)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                   f'stroke="#b1b4b6" stroke-width="1"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
                   f'fill="#0b0c0c">{escape(label)}</text>')
    every = 1 if last - first <= 10 else 2 if last - first <= 20 else 5
    for year in range(first, last + 1, every):
        x = x_of(f"{year}-01-01")
        out.append(f'<line x1="{x:.1f}" y1="{axis_y}" x2="{x:.1f}" y2="{axis_y + 5}" '
                   f'stroke="#0b0c0c" stroke-width="1"/>')
        out.append(f'<text x="{x:.1f}" y="{axis_y + 19}" text-anchor="middle" '
                   f'font-size="12" fill="#0b0c0c">{year}</text>')
    out.append(f'<line x1="{LEFT}" y1="{axis_y}" x2="{WIDTH - RIGHT}" '
               f'y2="{axis_y}" stroke="#0b0c0c" stroke-width="1"/>')
    present = [a for a in AREAS if any(p["area"] == a for p in points)]
    for i, area in enumerate(present):
        colour, kind = area_style(area)
        mine = sorted((p for p in points if p["area"] == area), key=lambda p: p["date"])
        # Areas graded alike at one inspection sit side by side rather than on top of each other.
        dx = (i - (len(present) - 1) / 2) * 4
        coords = [(x_of(p["date"]) + dx, y_of(p["step"])) for p in mine]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                       f'stroke-width="1.5" stroke-opacity="0.6"/>')
        for p, (x, y) in zip(mine, coords):
            name = (f'{p["label"]}: {p["grade"]}, {p["report_type"] or "inspection"} '
                    f'of {p["date"]}')
            out.append(f'<g class="chart__mark" data-date="{escape(p["date"])}" '
                       f'data-area="{escape(area)}" data-grade="{escape(p["grade"])}">'
                       f'<title>{escape(name)}</title>{shape(kind, x, y, 5, colour)}</g>')
    out.append("</svg>")
    return Markup("".join(out))


def per_year_svg(counts: Iterable[tuple[int, int]], title: str) -> Markup:
    """Bars of matching paragraphs per year, oldest left, each with its number printed above
    it; every year between the first and the last is drawn, so a gap shows as a gap."""
    counts = dict(counts)
    if not counts:
        return Markup("")
    years = list(range(min(counts), max(counts) + 1))
    width, height, top, bottom = 480, 130, 18, 20
    bar_w = (width - 10) / len(years)
    peak = max(counts.values()) or 1
    out = [f'<svg class="chart chart--years" viewBox="0 0 {width} {height}" role="img" '
           f'aria-labelledby="years-title" xmlns="http://www.w3.org/2000/svg">',
           f'<title id="years-title">{escape(title)}</title>']
    label_every = 1 if len(years) <= 16 else 2
    for i, year in enumerate(years):
        n = counts.get(year, 0)
        h = (height - top - bottom) * n / peak
        x = 5 + i * bar_w
        y = height - bottom - h
        out.append(f'<g class="chart__bar" data-year="{year}" data-count="{n}">'
                   f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{max(bar_w - 2, 1):.1f}" '
                   f'height="{h:.1f}" fill="#1d70b8"/>'
                   f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                   f'font-size="10" fill="#0b0c0c">{n}</text></g>')
        if i % label_every == 0:
            out.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - 5}" text-anchor="middle" '
                       f'font-size="10" fill="#0b0c0c">{year}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def legend(areas: Iterable[str]) -> list[dict]:
    return [{"area": a, "label": AREA_LABELS[a], "swatch": legend_swatch(a)} for a in areas]
