"""Dates written in English prose: '14 February 2024', 'February 14, 2024',
'March 2023', '2023-04-19'."""

from __future__ import annotations

import re
from datetime import date

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE = re.compile(
    rf"\b(?:(\d{{1,2}}) ({MONTHS}),? (\d{{4}})|({MONTHS}) (\d{{1,2}}), (\d{{4}})"
    rf"|({MONTHS}) (\d{{4}})|(\d{{4}})-(\d{{2}})-(\d{{2}}))\b"
)
_NUMBER = {m: i for i, m in enumerate(MONTHS.split("|"), start=1)}


def first_date(text: str) -> str | None:
    """The first date in ``text`` as ISO 8601, as precise as written ('2023-03' for
    'March 2023'), or None."""
    for match in DATE.finditer(text):
        g = match.groups()
        if g[0]:
            value = f"{g[2]}-{_NUMBER[g[1]]:02d}-{int(g[0]):02d}"
        elif g[3]:
            value = f"{g[5]}-{_NUMBER[g[3]]:02d}-{int(g[4]):02d}"
        elif g[6]:
            return f"{g[7]}-{_NUMBER[g[6]]:02d}"
        else:
            value = f"{g[8]}-{g[9]}-{g[10]}"
        try:
            date.fromisoformat(value)
        except ValueError:
            continue  # '31 February'
        return value
    return None


def dateline(text: str) -> date | None:
    """A report's date from its first lines ('Belgrade, 14 June 2024', 'Tuesday,
    October 31, 2023'), when one of them is little more than a date."""
    for line in [line.strip() for line in text.splitlines() if line.strip()][:6]:
        if len(line) > 60:
            continue
        found = first_date(line)
        if found and len(found) == 10:
            return date.fromisoformat(found)
    return None
