"""Screening a case's parties, recording it, and re-screening against the lists as
they are now.

Every investigation screens its parties with :func:`screen_parties` and records its
screening run (list versions, algorithm and version, configuration, threshold) and
what it found for each party. `redthread rescreen` screens the same parties again
against the active list versions, records a new run, and reports what changed: new
hits, removed hits, changed scores. Runs are never rewritten, so a past decision can
be shown as it was made.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from redthread.match.index import Candidate, MatchIndex, Query
from redthread.match.screen import record_run
from redthread.model import ListVersion
from redthread.resolve import PARTY_SCHEMATA, CaseEntity
from redthread.review import ReviewBook
from redthread.store import Store

#: Candidates below the threshold but from this score are kept as near misses.
REVIEW_FLOOR = 0.65
#: A score that moved by less than this has not changed.
SCORE_CHANGE = 0.005


class RescreenError(Exception):
    """Nothing to re-screen; the message says why."""


@dataclass(frozen=True)
class Change:
    """One difference between the last run and this one, for one party and list entry."""

    party: str
    names: tuple[str, ...]
    kind: str  # "new hit", "removed hit", "changed score"
    list: str
    list_entity_id: str
    caption: str
    before: float | None
    after: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "party": self.party,
            "names": list(self.names),
            "change": self.kind,
            "list": self.list,
            "list_entity_id": self.list_entity_id,
            "caption": self.caption,
            "before": self.before,
            "after": self.after,
        }


def case_source(case: str) -> str:
    return f"case:{case}"


def screen_parties(
    entities: list[CaseEntity],
    index: MatchIndex,
    threshold: float,
    review: ReviewBook | None = None,
) -> dict[str, list[Candidate]]:
    """Each person's and organisation's candidates (any of its names): the matches, and
    up to three near misses (from REVIEW_FLOOR) for a reviewer to look at. A name
    written wholly in lower case ('the defense ministry') is a description, not a name,
    and is not screened. ``review``: reviewers' decisions, which override the score
    (a dismissed candidate is kept, as no match, with the decision)."""
    found: dict[str, list[Candidate]] = {}
    for entity in entities:
        if entity.schema not in PARTY_SCHEMATA or entity.unnamed:
            continue  # a party described without a name has no name to screen
        best: dict[tuple[str, str], Candidate] = {}
        for name in _names_to_screen(entity):
            if name == name.lower() and name.isascii():
                continue
            for candidate in index.search(Query(name, entity.schema), threshold=threshold):
                key = (candidate.list, candidate.list_entity_id)
                if candidate.score >= REVIEW_FLOOR and (
                    key not in best or candidate.score > best[key].score
                ):
                    best[key] = candidate
        ranked = sorted(best.values(), key=lambda c: (-c.score, c.list, c.list_entity_id))
        if review is not None:
            ranked = review.review(entity.id, entity.names, ranked)
        kept = [c for c in ranked if c.match] + [c for c in ranked if not c.match][:3]
        if kept:
            found[entity.id] = kept
    return found


def _names_to_screen(entity: CaseEntity) -> list[str]:
    """A person's names, less a surname alone where a fuller name is known: 'Samadi' of
    'Kaveh Samadi' says less than the full name, and alone it is only alike to other
    people's surnames ('ABD-AL-SAMAD'). Organisations keep every name ('Kupol')."""
    if entity.schema != "Person":
        return entity.names
    full = [n for n in entity.names if len(n.split()) > 1]
    return full or entity.names


def record_screening(
    store: Store,
    versions: list[ListVersion],
    threshold: float,
    source: str,
    parties: list[CaseEntity],
    found: dict[str, list[Candidate]],
) -> int:
    """Record a screening run and each party's candidates; returns the run's id."""
    run_id = record_run(store, versions, threshold, 0, None, len(parties), source)
    rows: list[dict[str, Any]] = []
    for party in parties:
        candidates = found.get(party.id, [])
        base = {"party": party.id, "names": party.names, "schema": party.schema}
        if not candidates:
            rows.append(base)
        for c in candidates:
            rows.append(
                {
                    **base,
                    "list": c.list,
                    "list_version": c.list_version,
                    "list_entity_id": c.list_entity_id,
                    "caption": c.caption,
                    "score": c.score,
                    "match": c.match,
                }
            )
    with store.transaction() as writer:
        writer.add_screening_results(run_id, rows)
    return run_id


def rescreen(
    store: Store,
    index: MatchIndex,
    versions: list[ListVersion],
    threshold: float,
    case: str,
) -> tuple[int, int, list[Change]]:
    """Screen the parties of the case's last run again; (previous run, new run, changes)."""
    source = case_source(case)
    runs = [r for r in store.screening_runs() if r["source"] == source]
    if not runs:
        raise RescreenError(
            f"no screening of case '{case}' is recorded: run 'redthread investigate ... "
            f"--case {case}' first"
        )
    previous = runs[0]
    rows = store.screening_results(int(previous["id"]))
    parties: dict[str, CaseEntity] = {}
    before: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in rows:
        parties.setdefault(row["party"], CaseEntity(row["party"], row["schema"], row["names"], []))
        if row["list"] is not None:
            before[(row["party"], row["list"], row["list_entity_id"])] = row
    review = ReviewBook.load(store, versions)
    found = screen_parties(list(parties.values()), index, threshold, review)
    run_id = record_screening(store, versions, threshold, source, list(parties.values()), found)
    after = {(p, c.list, c.list_entity_id): c for p, cs in found.items() for c in cs}
    changes: list[Change] = []
    for key in sorted(set(before) | set(after)):
        party = parties[key[0]]
        old, new = before.get(key), after.get(key)
        was = bool(old and old["match"])
        now = bool(new and new.match)
        caption = new.caption if new else (old["caption"] if old else "")
        old_score = float(old["score"]) if old else None
        new_score = new.score if new else None
        kind = None
        if now and not was:
            kind = "new hit"
        elif was and not now:
            kind = "removed hit"
        elif (
            old_score is not None
            and new_score is not None
            and abs(new_score - old_score) >= SCORE_CHANGE
        ):
            kind = "changed score"
        if kind:
            changes.append(
                Change(
                    party.id,
                    tuple(party.names),
                    kind,
                    key[1],
                    key[2],
                    caption,
                    old_score,
                    new_score,
                )
            )
    return int(previous["id"]), run_id, changes


__all__ = ["Change", "RescreenError", "record_screening", "rescreen", "screen_parties"]
