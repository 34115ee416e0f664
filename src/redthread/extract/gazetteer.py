"""A gazetteer of listed names: a party on a loaded sanctions list is found in a text
even where the statistical model sees no name ('xiamen limbach aircraft engine co.,
ltd.' in lower case, a company name at the start of a sentence).

Built from plain (name, schema) pairs, so that extraction does not depend on the
screening stage; the command line passes the names of the active lists. Names and
text are compared as runs of lower-case words (punctuation and spacing ignored:
'CO., LTD.' is 'co ltd'). A name of one word ('Kupol', 'Rostec') is too often an
ordinary word or another party's name to be found as a run of words: only an
organisation's of five letters or more is kept aside (``single``), for the entity
rules to accept where the text writes it as a proper name (see
``entities.find_spans``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

#: Names shorter than this (characters) are left out.
MIN_LENGTH = 8
#: One-word names shorter than this are left out; only organisations' are kept.
SINGLE_MIN_LENGTH = 5
ORGANISATIONS = frozenset({"Company", "Organization", "LegalEntity", "PublicBody"})
_WORD = re.compile(r"[^\W_]+")


_SENTENCE_END = re.compile(r"[.!?]\s")


def _crosses_a_sentence(text: str, words: list[tuple[str, int, int]], start: int, end: int) -> bool:
    """'the Rostec state corporation. Rostec said': no listed name runs over a full stop
    after a word (after an abbreviation it may: 'Co. Ltd')."""
    pairs = zip(words[start : end - 1], words[start + 1 : end], strict=True)
    for (word, _, stop), (_, begin, _) in pairs:
        if len(word) > 3 and _SENTENCE_END.match(text, stop) and text[stop:begin].strip() == ".":
            return True
    return False


def _name_goes_on(text: str, words: list[tuple[str, int, int]], end: int) -> bool:
    """'Kim Chol Man', of which 'KIM CHOL' is listed: the name goes on, another party."""
    if end >= len(words):
        return False
    stop, (_, begin, _) = words[end - 1][2], words[end]
    return text[stop:begin] == " " and text[begin].isupper()


class Gazetteer:
    """Listed names, found as runs of words in a text."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        by_first: dict[str, dict[tuple[str, ...], tuple[str, bool]]] = defaultdict(dict)
        #: one-word names of organisations, lower case, with their schema
        self.single: dict[str, str] = {}
        for name, schema in names:
            words = tuple(w.lower() for w in _WORD.findall(name))
            if len(words) == 1 and len(words[0]) >= SINGLE_MIN_LENGTH and schema in ORGANISATIONS:
                self.single.setdefault(words[0], schema)
                continue
            if len(name) < MIN_LENGTH or len(words) < 2:
                continue
            # the schema, and whether the name ends in a full stop ('CO., LTD.')
            by_first[words[0]].setdefault(words, (schema, name.rstrip().endswith(".")))
        # longest names first, so that the longest listed name is the one found
        self._by_first = {
            first: sorted(found.items(), key=lambda item: -len(item[0]))
            for first, found in by_first.items()
        }
        self.size = sum(len(found) for found in self._by_first.values()) + len(self.single)

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
                    if _crosses_a_sentence(text, words, position, end) or _name_goes_on(
                        text, words, end
                    ):
                        continue
                    stop = words[end - 1][2]
                    if full_stop and text[stop : stop + 1] == ".":
                        stop += 1
                    found.append((words[position][1], stop, schema))
                    step = len(name)
                    break
            position += step
        return found
