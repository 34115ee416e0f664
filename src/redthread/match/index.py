"""The screening index: listed parties by name token, searched with a name and qualifiers.

Built once from one or more list versions and reused for every query. A query's
candidates are the parties sharing a distinctive token (or its sound) with the
query; each candidate is then scored with :func:`compare_names` against all its
names, and the score adjusted by what else is known: schema, country, birth date,
identifiers. See docs/screening.md.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import math
import multiprocessing as mp
import os
import pickle
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from followthemoney import model
from followthemoney.statement import StatementEntity
from rigour.text import metaphone

from redthread.lists.common import ParsedList
from redthread.match import ofac_score
from redthread.match.names import (
    ABJAD,
    ACRONYM_SKIPS,
    MAX_INEXACT,
    ORG_SCHEMATA,
    NameComparison,
    PickledByFields,
    Rarity,
    analyze_name,
    compare_names,
    consonant_skeleton,
    name_keys,
    name_tokens,
    warm_up,
)

#: Bump when scoring changes, so recorded screening runs say which logic produced them.
ALGORITHM = "redthread"
ALGORITHM_VERSION = "4"
#: The scoring algorithms a search can use, with their recorded versions. ``ofac``
#: reproduces the 0-100 scale of OFAC's own search tool (see match/ofac_score.py).
ALGORITHMS = {ALGORITHM: ALGORITHM_VERSION, ofac_score.ALGORITHM: ofac_score.ALGORITHM_VERSION}
DEFAULT_ALGORITHM = ALGORITHM
#: The default threshold of each algorithm, where no threshold is configured or given.
DEFAULT_THRESHOLDS = {ALGORITHM: 0.7, ofac_score.ALGORITHM: 0.85}
INDEX_FORMAT = 9
NAME_PROPS = ("name", "alias", "previousName", "weakAlias")
DATE_PROPS = ("birthDate", "incorporationDate")
COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction")
#: Candidates scored in full per query, at most, after ranking by shared rare tokens.
SHORTLIST = 20
#: A party is scored when it shares this much of the query's information (idf mass)...
MIN_COVERAGE = 0.3
#: ... or is among the this many best covered.
KEEP_TOP = 5
#: Candidates scoring below this are noise, not shown.
CANDIDATE_FLOOR = 0.1
#: A word borne by more parties than this starts to count less; at 1000x it counts MIN_RARITY.
COMMON_FROM = 5
MIN_RARITY = 0.3
COUNTRY_MISMATCH = 0.1
BIRTH_YEAR_MISMATCH = 0.25
#: A query that is only a rare listed surname scores this much: just above the default
#: threshold, so that it is reviewed, never more.
SURNAME_ONLY = 0.72
IDENTIFIER_MISMATCH = 0.15
#: Index keys of identifiers start with this (name keys never do).
IDENTIFIER_KEY = "!"


def normalise_identifier(value: str) -> str:
    """Identifiers compare without spaces, dashes, dots and case: 'ab-12 3' -> 'AB123'."""
    return re.sub(r"[^0-9A-Z]", "", value.upper())


@dataclass(frozen=True)
class ListedParty(PickledByFields):
    """What screening needs to know of one listed party."""

    list: str
    list_version: int
    list_entity_id: str
    entity_id: str
    caption: str
    schema: str
    names: tuple[str, ...]
    countries: frozenset[str]
    dates: tuple[str, ...]
    identifiers: frozenset[str]
    surnames: frozenset[str] = frozenset()

    @classmethod
    def from_entity(cls, entity: StatementEntity, list_name: str, version: int) -> ListedParty:
        prefix = list_name.replace("_", "-") + "-"
        entity_id = entity.id or ""
        names: list[str] = []
        for prop in NAME_PROPS:
            for value in entity.get(prop, quiet=True):
                if value not in names:
                    names.append(value)
        identifiers = {
            normalise_identifier(value)
            for prop, values in entity.properties.items()
            if entity.schema.properties[prop].type.name == "identifier" and prop != "programId"
            for value in values
        }
        return cls(
            list=list_name,
            list_version=version,
            list_entity_id=entity_id.removeprefix(prefix),
            entity_id=entity_id,
            caption=entity.caption,
            schema=entity.schema.name,
            names=tuple(names),
            countries=frozenset(v for p in COUNTRY_PROPS for v in entity.get(p, quiet=True)),
            dates=tuple(sorted({v for p in DATE_PROPS for v in entity.get(p, quiet=True)})),
            identifiers=frozenset(i for i in identifiers if len(i) >= 4),
            surnames=frozenset(
                token.text
                for value in entity.get("lastName", quiet=True)
                for token in analyze_name(value, "Person").tokens
                if token.kind == "word"
            ),
        )


@dataclass(frozen=True)
class Query(PickledByFields):
    """A party to screen: a name and whatever else is known."""

    name: str
    schema: str = "LegalEntity"
    countries: tuple[str, ...] = ()
    birth_date: str | None = None
    identifiers: tuple[str, ...] = ()
    id: str | None = None


@dataclass(frozen=True)
class Feature(PickledByFields):
    """One part of a candidate's score: ``score`` is the name's score for the name
    feature, and for the others what they added (negative: took away)."""

    name: str
    score: float
    detail: str


@dataclass(frozen=True)
class Candidate(PickledByFields):
    """A listed party proposed for a query: the same object everywhere in redthread."""

    list: str
    list_version: int
    list_entity_id: str
    entity_id: str
    caption: str
    schema: str
    score: float
    match: bool
    explanation: str
    matched_name: str = ""
    #: what the score is made of, each part (feature, score, detail): the name's score,
    #: then each adjustment (country, birth date, identifier...) with its effect
    features: tuple[Feature, ...] = ()
    #: a reviewer's decision on this party and entry (redthread.review), if one stands:
    #: decision, reviewer, at, reason, list_version, review_id
    review: dict[str, Any] | None = field(default=None, compare=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """The candidate as the outputs give it; ``review`` only where a decision stands."""
        data = {
            "list": self.list,
            "list_version": self.list_version,
            "list_entity_id": self.list_entity_id,
            "entity_id": self.entity_id,
            "caption": self.caption,
            "schema": self.schema,
            "score": self.score,
            "match": self.match,
            "explanation": self.explanation,
        }
        if self.review is not None:
            data["review"] = self.review
        return data


@functools.lru_cache(maxsize=200_000)
def _token_keys(text: str, kind: str, skeleton: bool) -> frozenset[str]:
    """The keys under which a word is indexed and looked up: itself, its sound, its
    one-letter deletions (a typo or a swap: 'afiz'/'faiz' share 'aiz'), its first five
    letters (inflections: 'putinas'/'putin') and, with ``skeleton``, its consonants
    (scripts that leave vowels out: 'bwtn'/'putin' share 'btn')."""
    keys = {text}
    if kind == "word":
        if len(text) > 2:
            keys.add("~" + metaphone(text))
        if len(text) >= 4:
            keys.update(_deletions(text))
        if len(text) >= 5:
            keys.add("^" + text[:5])
        if skeleton and len(text) >= 3:
            keys.add("=" + consonant_skeleton(text))
    return frozenset(keys)


def _key_groups(name: str, schema: str, listed: bool) -> list[frozenset[str]]:
    """The keys of a name, one group per searchable token, and the whole name joined.

    Listed names get consonant-skeleton keys; a query only when written in a script
    without vowels (Arabic, Hebrew), where 'vladimir' is written 'wladymyr'."""
    tokens = name_tokens(name, schema)
    skeleton = listed or bool(ABJAD.search(name))
    acronyms = schema in ORG_SCHEMATA
    groups = [
        _token_keys(t.text, t.kind, skeleton)
        | ({"#" + t.text} if acronyms and not listed and 2 <= len(t.text) <= 8 else set())
        for t in tokens
        if t.kind in ("word", "number", "generic")
    ]
    if len(tokens) > 1:
        groups.append(frozenset({"".join(t.text for t in tokens if t.kind != "legal")}))
    if acronyms and listed:  # 'IRGC' finds 'Islamic Revolutionary Guard Corps'
        initials = [t.text[0] for t in tokens if t.kind != "legal" and t.text not in ACRONYM_SKIPS]
        if 2 <= len(initials) <= 8:
            groups.append(frozenset({"#" + "".join(initials)}))
    return groups


PATRONYMIC = re.compile(r"(ov|ev|av|iv)(ich|ic|ics|itch|itsch|itsj|its|ych|yc)$|(ovna|evna|ichna)$")
#: A patronymic counts half towards what a party must share with a query: lists often
#: leave it out ('Uladzimir Uladzimiravich Putsin' / 'PUTIN, Vladimir').
PATRONYMIC_MASS = 0.5


def _mass_factor(group: frozenset[str]) -> float:
    return PATRONYMIC_MASS if any(PATRONYMIC.search(key) for key in group if key.isalpha()) else 1.0


def _keys(name: str, schema: str) -> set[str]:
    """All index keys of a listed name."""
    return set().union(*_key_groups(name, schema, listed=True))


def _listed_parties(
    entities: Iterable[StatementEntity], list_name: str, version: int
) -> Iterator[ListedParty]:
    for entity in entities:
        if entity.schema.is_a("LegalEntity") or entity.schema.name in ("Vessel", "Airplane"):
            party = ListedParty.from_entity(entity, list_name, version)
            if party.names:
                yield party


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cycle collector while an index allocates its many small objects (a third
    faster; nothing built here forms cycles), then restore it as it was.

    What exists once the index is built is frozen (``gc.freeze``): the collector no
    longer walks the index's millions of objects at every full collection, which took
    half the time of a query against a list of a million names. Frozen objects are
    still freed when no longer referenced; only cycles among them would stay."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@functools.lru_cache(maxsize=100_000)
def _deletions(word: str) -> tuple[str, ...]:
    """The word with one letter left out, each way: keys that meet across a one-letter typo."""
    return tuple({"-" + word[:i] + word[i + 1 :] for i in range(len(word))} | {"-" + word})


#: Lists of at least this many parties are indexed by several processes.
PARALLEL_BUILD = 200_000

#: Lists of up to this many names are analysed for comparison when indexed (see warm).
WARM_NAMES = 200_000

#: Query words whose findings are kept (each a few arrays of party numbers).
COVER_CACHE = 20_000


@dataclass(frozen=True)
class _Partial(PickledByFields):
    """The postings of consecutive listed parties: each key with how many parties bear
    it, their numbers (key after key, in party order), and how many parties bear each word."""

    keys: list[str]
    counts: npt.NDArray[np.int64]
    flat: npt.NDArray[np.int32]
    frequency: dict[str, int]


def _partial(parties: list[ListedParty], start: int, end: int) -> _Partial:
    """The postings of parties[start:end] (numbered from ``start``)."""
    postings: dict[str, list[int]] = defaultdict(list)
    frequency: dict[str, int] = defaultdict(int)
    for number in range(start, end):
        party = parties[number]
        schema = party.schema
        words: set[str] = set()
        keys: set[str] = set()
        for name in party.names:
            keys.update(_keys(name, schema))
            words.update(t.text for t in name_tokens(name, schema) if t.kind == "word")
        keys.update(IDENTIFIER_KEY + value for value in party.identifiers)
        for key in keys:
            postings[key].append(number)  # in party order: each list comes out sorted
        for word in words:
            frequency[word] += 1
    counts = np.fromiter((len(ids) for ids in postings.values()), dtype=np.int64)
    flat = np.fromiter(
        itertools.chain.from_iterable(postings.values()), dtype=np.int32, count=int(counts.sum())
    )
    return _Partial(list(postings), counts, flat, dict(frequency))


#: The parties being indexed, inherited by the forked processes that index them.
_BUILDING: list[ListedParty] = []


def _partial_of(bounds: tuple[int, int]) -> _Partial:
    return _partial(_BUILDING, *bounds)


def _partials_in_parallel(parties: list[ListedParty], workers: int) -> list[_Partial]:
    """The postings of consecutive parts of ``parties``, each worked out by a forked
    process (names are analysed in parallel; only the postings come back)."""
    step = -(-len(parties) // workers)
    bounds = [(start, min(start + step, len(parties))) for start in range(0, len(parties), step)]
    _BUILDING[:] = parties
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            return pool.map(_partial_of, bounds)
    finally:
        _BUILDING.clear()


@dataclass(frozen=True)
class _Cover:
    """What one query word finds in an index (see MatchIndex._cover)."""

    mass: float
    ids: npt.NDArray[np.int32] | None = None
    first: npt.NDArray[np.float64] | None = None
    shared: npt.NDArray[np.float64] | None = None


@dataclass
class MatchIndex:
    """Listed parties of one or more list versions, searchable by name."""

    parties: list[ListedParty]
    #: each key's slot; the parties of slot i are flat[offsets[i]:offsets[i + 1]]
    slots: dict[str, int] = field(default_factory=dict)
    offsets: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    flat: npt.NDArray[np.int32] = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    #: Tokens found in the names of many parties, with their weight factor in (0, 1).
    common: dict[str, float] = field(default_factory=dict)
    #: What each query word found (a cache: a word of one query comes back in others)
    _covers: dict[frozenset[str], _Cover] = field(default_factory=dict, repr=False, compare=False)

    def names(self) -> Iterator[tuple[str, str]]:
        """Every listed name with its party's schema: (name, schema)."""
        return ((name, party.schema) for party in self.parties for name in party.names)

    def bearers(self, word: str) -> int:
        """How many listed parties have ``word`` in one of their names."""
        ids = self.postings(word)
        return 0 if ids is None else len(ids)

    def rarity(self, token: str) -> float:
        """How much a distinctive word counts, from how many listed parties bear it."""
        return self.common.get(token, 1.0)

    @classmethod
    def build(cls, parties: Iterable[ListedParty], workers: int | None = None) -> MatchIndex:
        """Index listed parties. A list of PARALLEL_BUILD parties or more is indexed by
        ``workers`` forked processes (default: one per CPU), each one part of the list."""
        warm_up()
        index = cls(list(parties))
        workers = workers or os.cpu_count() or 1
        with _no_gc():
            if (
                workers > 1
                and len(index.parties) >= PARALLEL_BUILD
                and "fork" in mp.get_all_start_methods()
            ):
                partials = _partials_in_parallel(index.parties, workers)
            else:
                partials = [_partial(index.parties, 0, len(index.parties))]
            index._assemble(partials)
            index.warm()
        return index

    def warm(self, limit: int = WARM_NAMES) -> None:
        """Analyse every listed name for comparison now (about 20 µs a name), so that the
        first queries do not pay for it: a query compares the names of the parties it
        finds, and analysed names are remembered (``analyze_name``, 200,000 of them).
        Done when a list of up to ``limit`` names is indexed, and by long-running
        screening (a batch before its workers fork, the server) after an index is loaded;
        a larger list is analysed as its names are first compared."""
        if sum(len(p.names) for p in self.parties) > limit:
            return
        for party in self.parties:
            for name in party.names:
                analyze_name(name, party.schema)

    def _assemble(self, partials: list[_Partial]) -> None:
        """The postings of the whole list from those of its consecutive parts: each key's
        parties are the first part's, then the second's..., so each list stays sorted."""
        slots: dict[str, int] = {}
        for part in partials:
            for key in part.keys:
                slots.setdefault(key, len(slots))
        where = [
            np.fromiter((slots[k] for k in part.keys), dtype=np.int64, count=len(part.keys))
            for part in partials
        ]
        sizes = np.zeros(len(slots), dtype=np.int64)
        for part, slot in zip(partials, where, strict=True):
            sizes[slot] += part.counts  # a key is once in a part
        offsets = np.concatenate(([0], np.cumsum(sizes)))
        flat = np.empty(int(offsets[-1]), dtype=np.int32)
        filled = offsets[:-1].copy()
        for part, slot in zip(partials, where, strict=True):
            # an entry goes to its key's next free place, in the part's order
            first = np.repeat(np.cumsum(part.counts) - part.counts, part.counts)
            within = np.arange(len(part.flat)) - first
            flat[np.repeat(filled[slot], part.counts) + within] = part.flat
            filled[slot] += part.counts
        frequency: dict[str, int] = defaultdict(int)
        for part in partials:
            for word, count in part.frequency.items():
                frequency[word] += count
        self.slots, self.offsets, self.flat = slots, offsets, flat
        self.common = {
            word: max(MIN_RARITY, 1.0 - math.log10(count / COMMON_FROM) / 3)
            for word, count in frequency.items()
            if count > COMMON_FROM
        }

    @classmethod
    def from_entities(
        cls, entities: Iterable[StatementEntity], list_name: str, version: int
    ) -> MatchIndex:
        """Index the listed parties among ``entities`` (Sanction and link records are skipped)."""
        return cls.build(_listed_parties(entities, list_name, version))

    @classmethod
    def from_lists(cls, *lists: ParsedList) -> MatchIndex:
        """Index one or more parsed lists (``redthread.lists.read_list``), not stored:
        their candidates carry list version 0."""
        return cls.build(
            party for parsed in lists for party in _listed_parties(parsed.entities, parsed.name, 0)
        )

    @classmethod
    def merge(cls, indexes: Iterable[MatchIndex]) -> MatchIndex:
        return cls.build(p for index in indexes for p in index.parties)

    def save(self, path: Path) -> None:
        """Persist the index (pickle; only ever read back from redthread's own data folder)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as out:
            pickle.dump((INDEX_FORMAT, self), out, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> MatchIndex | None:
        """A saved index, or None when missing or written by another index format."""
        try:
            with path.open("rb") as handle, _no_gc():
                version, index = pickle.load(handle)
        except Exception:  # unreadable, foreign, or made by another version
            return None
        if version != INDEX_FORMAT or not isinstance(index, cls):
            return None
        warm_up()
        return index

    def postings(self, key: str) -> npt.NDArray[np.int32] | None:
        """The parties (their numbers) indexed under ``key``, or None."""
        slot = self.slots.get(key)
        if slot is None:
            return None
        return self.flat[self.offsets[slot] : self.offsets[slot + 1]]

    def _shortlist(self, query: Query) -> list[int]:
        """The parties worth scoring: those listed with one of the query's identifiers,
        then those whose names share enough of the query's information (see _by_name)."""
        found: list[int] = []
        for value in query.identifiers:
            ids = self.postings(IDENTIFIER_KEY + normalise_identifier(value))
            if ids is not None:
                found.extend(n for n in ids.tolist() if n not in found)
        if not found:
            return self._by_name(query)
        return found + [n for n in self._by_name(query) if n not in found]

    def _by_name(self, query: Query) -> list[int]:
        """The parties whose names share enough of the query's information.

        Each query word counts with the rarity (idf) of its rarest key; a party covers
        it with its rarest shared key. Parties covering at least MIN_COVERAGE of the
        query are kept, and always the KEEP_TOP best covered, SHORTLIST at most; ties
        go to the party sharing more keys. Vectorised over the parties found (numpy),
        so that a query costs what its keys find, not what the list holds."""
        mass = 0.0
        covered: list[_Cover] = []
        for group in _key_groups(query.name, query.schema, listed=False):
            cover = self._covers.get(group)
            if cover is None:
                cover = self._cover(group)
                if len(self._covers) >= COVER_CACHE:
                    self._covers.clear()  # rare: the words of the next queries come back
                self._covers[group] = cover
            mass += cover.mass
            if cover.ids is not None:
                covered.append(cover)
        if not mass or not covered:
            return []
        parties: npt.NDArray[Any]
        coverage: npt.NDArray[Any]
        shared: npt.NDArray[Any]
        if len(covered) == 1:  # one word: its parties are already distinct and sorted
            only = covered[0]
            assert only.ids is not None and only.first is not None and only.shared is not None
            parties, coverage, shared = only.ids, only.first, only.shared
        else:  # per party, the sums over the words it covers
            ids = np.concatenate([c.ids for c in covered if c.ids is not None])
            order = ids.argsort(kind="stable")
            ids = ids[order]
            starts = np.flatnonzero(np.concatenate(([True], ids[1:] != ids[:-1])))
            parties = ids[starts]
            first = np.concatenate([c.first for c in covered if c.first is not None])
            coverage = np.add.reduceat(first[order], starts)
            every = np.concatenate([c.shared for c in covered if c.shared is not None])
            shared = np.add.reduceat(every[order], starts)
        rank = coverage + shared * 1e-6  # coverage first; more shared keys break ties
        chosen = np.flatnonzero(coverage >= MIN_COVERAGE * mass)
        if len(chosen) < KEEP_TOP:
            keep = min(KEEP_TOP, len(parties))
            best = np.argpartition(-rank, keep - 1)[:keep]
            chosen = np.fromiter(sorted({*chosen.tolist(), *best.tolist()}), dtype=np.int64)
        if len(chosen) > SHORTLIST:
            chosen = chosen[np.argpartition(-rank[chosen], SHORTLIST - 1)[:SHORTLIST]]
        chosen = chosen[np.argsort(-rank[chosen], kind="stable")]
        return [int(n) for n in parties[chosen]]

    def _cover(self, group: frozenset[str]) -> _Cover:
        """What one query word finds: each party sharing a key of it, with the rarity
        (idf) of the rarest key it shares and the sum over all it shares; and what the
        word weighs in the query (the idf of its rarest key)."""
        total = max(len(self.parties), 1)
        found: list[tuple[float, npt.NDArray[np.int32]]] = []
        top = 0.0
        for key in group:
            slot = self.slots.get(key)
            if slot is None:
                top = math.log(1 + total)  # a key no party has: as rare as can be
                continue
            ids = self.flat[self.offsets[slot] : self.offsets[slot + 1]]
            idf = math.log(1 + total / len(ids))
            top = max(top, idf)
            found.append((idf, ids))
        mass = top * _mass_factor(group)
        if not found:
            return _Cover(mass)
        if len(found) == 1:  # one key: its parties are distinct and sorted already
            idf, ids = found[0]
            values = np.full(len(ids), idf)
            return _Cover(mass, ids, values, values)
        found.sort(key=lambda f: -f[0])  # rarest key first: a party covers the word with it
        ids = np.concatenate([f[1] for f in found])
        values = np.repeat([f[0] for f in found], [len(f[1]) for f in found])
        order = np.argsort(ids, kind="stable")
        ids, values = ids[order], values[order]
        starts = np.flatnonzero(np.concatenate(([True], ids[1:] != ids[:-1])))
        # per party: the rarest key it shares (its first), and all it shares
        return _Cover(mass, ids[starts], values[starts], np.add.reduceat(values, starts))

    def __reduce__(self) -> tuple[Any, ...]:
        # the cache of covers is never saved, never shipped
        return type(self), (self.parties, self.slots, self.offsets, self.flat, self.common)

    def search(
        self,
        query: Query,
        *,
        threshold: float,
        limit: int = 5,
        lists: Iterable[str] | None = None,
        algorithm: str = DEFAULT_ALGORITHM,
    ) -> list[Candidate]:
        """The best candidates for ``query``, best first (at most ``limit``).

        ``algorithm`` is ``redthread`` (the name score with qualifiers) or ``ofac``
        (OFAC's search tool's scale, names only).
        """
        query_schema = model.get(query.schema)
        if query_schema is None:
            raise ValueError(f"unknown schema {query.schema!r}")
        if algorithm not in ALGORITHMS:
            raise ValueError(f"unknown algorithm {algorithm!r}: use {', '.join(ALGORITHMS)}")
        wanted = set(lists) if lists else None
        matchable = query_schema.matchable_schemata
        ofac_results: list[Candidate] = []
        found: list[_Scored] = []  # explanations are written for the shown candidates only
        for number in self._shortlist(query):
            party = self.parties[number]
            if wanted is not None and party.list not in wanted:
                continue
            if model.schemata.get(party.schema) not in matchable:
                continue
            if algorithm == ofac_score.ALGORITHM:
                candidate = score_party_ofac(query, party, threshold)
                if candidate.score >= CANDIDATE_FLOOR:
                    ofac_results.append(candidate)
            else:
                scored = _score_party(query, party, self.rarity, self.bearers)
                if scored.score >= CANDIDATE_FLOOR:
                    found.append(scored)
        if algorithm == ofac_score.ALGORITHM:
            ofac_results.sort(key=lambda c: (-c.score, c.list, c.list_entity_id))
            return ofac_results[:limit]
        found.sort(key=lambda s: (-s.score, s.party.list, s.party.list_entity_id))
        return [s.candidate(threshold) for s in found[:limit]]


@dataclass(frozen=True)
class _Scored:
    """A party's score, with what its explanation is made of (written only when shown)."""

    party: ListedParty
    score: float
    best_name: str
    comparison: NameComparison
    adjustments: tuple[Feature, ...]

    def candidate(self, threshold: float) -> Candidate:
        name = self.comparison.explain()
        explanation = "; ".join((name, *(a.detail for a in self.adjustments)))
        features = (Feature("name", self.comparison.score, name), *self.adjustments)
        return _candidate(self.party, self.score, threshold, self.best_name, explanation, features)


def keep_for_the_process() -> None:
    """Tell the garbage collector that what exists now (an index and the names ``warm``
    analysed for it) lives as long as the process (``gc.freeze``; a built or loaded index
    is frozen already, the analysed names are as many objects again): its full
    collections no longer walk them, where an eighth of the time of a query on the OFAC
    list went, and a batch's forked workers no longer copy their pages. For long-running
    screening (a batch, the server, the benchmarks); what was kept before is released
    first, so that an index replaced by a newer one can be collected."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _candidate(
    party: ListedParty,
    score: float,
    threshold: float,
    name: str,
    explanation: str,
    features: tuple[Feature, ...],
) -> Candidate:
    """The candidate for a scored party; the explanation says which of its names counted."""
    if name != party.caption:
        explanation = f"name '{name}': {explanation}"
        features = tuple(
            Feature(f.name, f.score, f"'{name}': {f.detail}") if f.name == "name" else f
            for f in features
        )
    return Candidate(
        list=party.list,
        list_version=party.list_version,
        list_entity_id=party.list_entity_id,
        entity_id=party.entity_id,
        caption=party.caption,
        schema=party.schema,
        score=score,
        match=score >= threshold,
        explanation=explanation,
        matched_name=name,
        features=features,
    )


def score_party(
    query: Query, party: ListedParty, threshold: float, rarity: Rarity | None = None
) -> Candidate:
    """Score a listed party against a query: best name, then the qualifiers."""
    return _score_party(query, party, rarity).candidate(threshold)


def _score_party(
    query: Query,
    party: ListedParty,
    rarity: Rarity | None,
    bearers: Callable[[str], int] | None = None,
) -> _Scored:
    schema = party.schema if query.schema in ("LegalEntity", "Thing") else query.schema
    best_name, best = "", None
    query_keys = name_keys(query.name, schema)
    for name in party.names:
        if best is not None and not (query_keys & name_keys(name, schema)):
            continue  # nothing in common to compare: it cannot beat the best name so far
        result = compare_names(query.name, name, schema, rarity)
        if best is None or result.score > best.score:
            best_name, best = name, result
            if result.score >= 1.0:
                break
    assert best is not None
    score = best.score
    notes: list[Feature] = []

    def adjust(feature: str, new_score: float, detail: str) -> None:
        nonlocal score
        notes.append(Feature(feature, round(new_score - score, 4), detail))
        score = new_score

    surname = _surname_only(query, party, rarity)
    if surname is not None and score < SURNAME_ONLY:
        adjust("rare_surname", SURNAME_ONLY, surname)
    unique = _unique_word_only(query, party, bearers)
    if unique is not None and score < SURNAME_ONLY:
        adjust("unique_word", SURNAME_ONLY, unique)

    query_ids = {normalise_identifier(i) for i in query.identifiers if normalise_identifier(i)}
    if query_ids & party.identifiers:
        same = sorted(query_ids & party.identifiers)[0]
        if any(p.distinctive and p.similarity >= 0.75 for p in best.pairs):
            # the same number and a shared distinctive name: the same party
            adjust(
                "identifier", 1.0, f"identifier {same} equal, and a distinctive name part agrees"
            )
        else:
            adjust(
                "identifier",
                score + 0.2,
                f"identifier {same} equal, but no distinctive name part agrees",
            )
    elif query_ids and any(len(q) == len(p) for q in query_ids for p in party.identifiers):
        adjust("identifier", score - IDENTIFIER_MISMATCH, "identifiers of the same kind differ")

    if query.countries and party.countries:
        if set(query.countries) & party.countries:
            agreeing = "/".join(sorted(set(query.countries) & party.countries)).upper()
            adjust("country", score, f"country {agreeing} agrees")
        else:
            adjust(
                "country",
                score - COUNTRY_MISMATCH,
                f"country {'/'.join(query.countries).upper()} differs from listed "
                f"{'/'.join(sorted(party.countries)).upper()}",
            )

    if query.birth_date and party.dates:
        verdict, penalty = _compare_dates(query.birth_date, party.dates)
        adjust("birth_date", score - penalty, verdict)

    if score < 1.0:
        score = min(score, MAX_INEXACT)
    score = round(max(score, 0.0), 4)
    return _Scored(party, score, best_name, best, tuple(notes))


def score_party_ofac(query: Query, party: ListedParty, threshold: float) -> Candidate:
    """Score a listed party on OFAC's 0-100 scale (as a fraction): its best name, nothing else."""
    best_name, best = party.names[0], ofac_score.ofac_score(query.name, party.names[0])
    for name in party.names[1:]:
        if best.score >= 100:
            break
        result = ofac_score.ofac_score(query.name, name)
        if result.score > best.score:
            best_name, best = name, result
    explanation = best.explain()
    feature = Feature("ofac_name", best.score / 100, explanation)
    return _candidate(party, best.score / 100, threshold, best_name, explanation, (feature,))


def _surname_only(query: Query, party: ListedParty, rarity: Rarity | None) -> str | None:
    """A query of one rare word that is the listed person's surname ("Putin", "President
    Putin"): worth a reviewer's look, which a common surname ("Kim", "Ali") is not."""
    if party.schema != "Person" or query.schema not in ("Person", "LegalEntity"):
        return None
    words = [t.text for t in analyze_name(query.name, "Person").tokens if t.kind == "word"]
    if len(words) != 1 or len(words[0]) < 4:
        return None
    word = words[0]
    for surname in party.surnames:
        if rarity is not None and rarity(surname) < 0.9:
            continue
        similarity, how = compare_names(word, surname, "Person").score, "equal"
        if similarity >= 0.9:
            if similarity < 1.0:
                how = "alike"
            return f"only a surname, '{word.upper()}' {how} to the listed surname (a rare one)"
    return None


def _unique_word_only(
    query: Query, party: ListedParty, bearers: Callable[[str], int] | None
) -> str | None:
    """An organisation named by one distinctive word ("Kupol") that is a word of this
    listed party's name and of no other listed party's: worth a reviewer's look (just
    above the threshold, never more), as a rare surname is."""
    if bearers is None or party.schema == "Person" or query.schema == "Person":
        return None
    words = [t.text for t in analyze_name(query.name, "Organization").tokens if t.kind == "word"]
    if len(words) != 1 or len(words[0]) < 5:
        return None
    word = words[0]
    listed = {t.text for name in party.names for t in analyze_name(name, party.schema).tokens}
    if word in listed and bearers(word) == 1:
        return f"only one word, '{word.upper()}', which no other listed name has"
    return None


def _compare_dates(query: str, listed: tuple[str, ...]) -> tuple[str, float]:
    """A birth date agrees when it shares the listed date's precision; years apart count against."""
    for value in listed:
        common = min(len(query), len(value))
        if query[:common] == value[:common]:
            precision = "date" if common >= 10 else "year" if common >= 4 else "value"
            return f"birth {precision} {value} agrees", 0.0
    years = {v[:4] for v in listed if v[:4].isdigit()}
    if query[:4].isdigit() and years:
        nearest = min(abs(int(query[:4]) - int(y)) for y in years)
        if nearest <= 1:
            return (
                f"birth year {query[:4]} is within a year of listed {', '.join(sorted(years))}",
                0.05,
            )
        return (
            f"birth year {query[:4]} differs from listed {', '.join(sorted(years))}",
            BIRTH_YEAR_MISMATCH,
        )
    return f"birth date {query} differs from listed {', '.join(listed)}", BIRTH_YEAR_MISMATCH
