"""A gazetteer of listed names: a party on a loaded sanctions list is found in a text
even where the statistical model sees no name ('xiamen limbach aircraft engine co.,
ltd.' in lower case, a company name at the start of a sentence).

Built from plain (name, schema) pairs, so that extraction does not depend on the
screening stage; the command line passes the names of the active lists. Names and
text are compared as runs of lower-case words (punctuation and spacing ignored:
'CO., LTD.' is 'co ltd'). Only names of at least two words are used: a single listed
word ('Kupol', 'Alfa') is too often an ordinary word or another party's name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

#: Names shorter than this (characters) are left out.
MIN_LENGTH = 8
_WORD = re.compile(r"[^\W_]+")


class Gazetteer:
    """Listed names, found as runs of words in a text."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        by_first: dict[str, dict[tuple[str, ...], tuple[str, bool]]] = defaultdict(dict)
        for name, schema in names:
            words = tuple(w.lower() for w in _WORD.findall(name))
            if len(name) < MIN_LENGTH or len(words) < 2:
                continue
            # the schema, and whether the name ends in a full stop ('CO., LTD.')
            by_first[words[0]].setdefault(words, (schema, name.rstrip().endswith(".")))
        # longest names first, so that the longest listed name is the one found
        self._by_first = {
            first: sorted(found.items(), key=lambda item: -len(item[0]))
            for first, found in by_first.items()
        }
        self.size = sum(len(found) for found in self._by_first.values())

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, FtM schema) character spans of listed names in ``text``."""
        words = [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]
        found: list[tuple[int, int, str]] = []
        position = 0
        while position < len(words):
            candidates = self._by_first.get(words[position][0], ())
            step = 1
            for name, (schema, full_stop) in candidates:
                end = position + len(name)
                if end <= len(words) and all(
                    words[position + i][0] == part for i, part in enumerate(name)
                ):
                    stop = words[end - 1][2]
                    if full_stop and text[stop : stop + 1] == ".":
                        stop += 1
                    found.append((words[position][1], stop, schema))
                    step = len(name)
                    break
            position += step
        return found
