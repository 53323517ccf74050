"""Every English children's services authority: Ofsted's URN, the old LA code, the GSS code, the
region and the ten statistical neighbours, from data/la-lookup/ (the D2I ILACS scraper's lookup,
MIT licence, see its README), joined to reports by the authority's name.

The join is a pure function of a name: `authority_codes("St Helens")` gives the codes of the row
the lookup spells "St. Helens". A name the lookup lacks (the authorities abolished before 2009,
a name no report should carry) gives no codes at all: nothing is guessed, and the build names
the reports concerned.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from .metadata import known_authorities

LOOKUP_CSV = Path(__file__).with_name("data") / "la-lookup" / "Provider_data_lookup.csv"
CODE_FIELDS = ("urn", "la_code", "gss_code", "region")

# Rows of the lookup for authorities since replaced (no statistical neighbours of their own).
FORMER = {
    "Cumbria": "replaced by Cumberland and Westmorland and Furness in April 2023",
    "Northamptonshire": "replaced by North and West Northamptonshire in April 2021",
    "Poole": "part of Bournemouth, Christchurch and Poole since April 2019",
}


@dataclass(frozen=True)
class Authority:
    name: str                   # the short name reports carry ("St Helens")
    slug: str                   # its address on the web app ("st-helens")
    urn: str                    # Ofsted's URN for the authority
    la_code: str                # the old three-digit code ("342")
    gss_code: str               # the ONS code ("E08000013")
    region: str                 # one of the nine ONS regions
    neighbour_codes: tuple[str, ...]  # the ten statistical neighbours, as old LA codes
    ons_name: str               # as the lookup spells it ("St. Helens")
    la_type: Optional[str]      # "Metropolitan District", "County", ...
    former: Optional[str]       # what replaced an authority that no longer exists

    def codes(self) -> dict:
        return {"urn": self.urn, "la_code": self.la_code, "gss_code": self.gss_code,
                "region": self.region}


def name_key(name: str) -> str:
    """A name reduced to what tells authorities apart: "St. Helens" and "St Helens", "Bristol,
    City of" and "Bristol", "Bedford Borough" and "Bedford", "Telford & Wrekin" and "Telford
    and Wrekin" meet."""
    t = name.lower().replace("&", " and ").replace("’", "'")
    t = re.sub(r",\s*(?:city|county) of$|^(?:city|county) of (?!london)|\bborough$", "", t.strip())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", t).split())


def slugify(name: str) -> str:
    return name_key(name).replace(" ", "-")


class Lookup:
    """The lookup's rows as Authority records, found by any spelling of the name or by code."""

    def __init__(self, rows: list[dict], names: dict[str, str]):
        """`names`: every spelling of data/authorities.txt -> the name reports carry."""
        shown = {name_key(n): n for n in names.values()}
        self.authorities: list[Authority] = []
        self._by_key: dict[str, Authority] = {}
        for row in rows:
            spellings = [row["local_authority_ons_name"], row["ltla23nm"], row["utla23nm"]]
            spellings += [s.strip() for s in row["also_known_as"].strip("[] ").split(",")]
            keys = [k for s in spellings if (k := name_key(s))]
            name = next((shown[k] for k in keys if k in shown), row["local_authority_ons_name"])
            # "Also known as" may name a predecessor ("Bournemouth" for BCP) that the names
            # list holds as an authority of its own: that is another authority, not a spelling.
            keys = [k for k in keys if shown.get(k, name) == name]
            authority = Authority(
                name=name, slug=slugify(name), urn=row["urn"].strip(),
                la_code=row["la_code"].strip(), gss_code=row["la_code_new"].strip(),
                region=row["region_name"].strip(),
                neighbour_codes=tuple(c.strip() for c in row["stat_neighbours"].split(",")
                                      if c.strip()),
                ons_name=row["local_authority_ons_name"], la_type=row["ons_la_type"] or None,
                former=FORMER.get(name))
            self.authorities.append(authority)
            for k in keys + [name_key(name)]:
                self._by_key.setdefault(k, authority)
        for alias, name in names.items():  # "Newcastle", "County Durham", "BCP"
            if name_key(name) in self._by_key:
                self._by_key.setdefault(name_key(alias), self._by_key[name_key(name)])
        self.authorities.sort(key=lambda a: a.name.lower())
        self._by_code = {a.la_code: a for a in self.authorities}
        self._by_slug = {a.slug: a for a in self.authorities}

    def find(self, name: Optional[str]) -> Optional[Authority]:
        """The authority a report's `authority` names, or None."""
        return self._by_key.get(name_key(name)) if name else None

    def by_slug(self, slug: str) -> Optional[Authority]:
        return self._by_slug.get(slug)

    def by_code(self, la_code: str) -> Optional[Authority]:
        return self._by_code.get(la_code)

    def neighbours(self, authority: Authority) -> list[Authority]:
        """Its ten statistical neighbours, closest first."""
        return [a for c in authority.neighbour_codes if (a := self._by_code.get(c))]

    def with_neighbours(self, name: str) -> Optional[list[Authority]]:
        """The authority `name` and its statistical neighbours, or None for an unknown name."""
        authority = self.find(name)
        return [authority] + self.neighbours(authority) if authority else None

    def regions(self) -> list[str]:
        return sorted({a.region for a in self.authorities if a.region})


@lru_cache(maxsize=1)
def lookup() -> Lookup:
    with LOOKUP_CSV.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return Lookup(rows, known_authorities())


def authority_codes(name: Optional[str]) -> dict:
    """{"urn", "la_code", "gss_code", "region"} of the authority `name`; all None when the
    lookup has no such authority."""
    authority = lookup().find(name)
    return authority.codes() if authority else dict.fromkeys(CODE_FIELDS)
