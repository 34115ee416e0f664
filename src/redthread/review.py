"""Reviewers' decisions on matches and merges, and what later screenings make of them.

An analyst confirms or dismisses a candidate (a party and a list entry) or a merge, with
a reason. Each decision goes to the audit log (who, when, which list version) and is
never rewritten; the newest decision on a party and a list entry stands.

A decision on a match holds while the list entry is as it was: the entry's fingerprint
(the SHA-256 of its statements) is kept with the decision, and once a newer list version
changes or drops the entry the decision lapses, so that a reviewer looks again. A
dismissed merge keeps its members apart in later investigations.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from followthemoney.statement import StatementEntity

from redthread.lists.diff import id_prefix
from redthread.match.index import Candidate
from redthread.model import ListVersion
from redthread.store import Store

MATCH, MERGE = "match", "merge"
CONFIRMED, DISMISSED = "confirmed", "dismissed"
KINDS = (MATCH, MERGE)
DECISIONS = (CONFIRMED, DISMISSED)


class ReviewError(ValueError):
    """A decision that cannot be recorded; the message says why."""


def entry_fingerprint(entity: StatementEntity) -> str:
    """The SHA-256 of what a list says of an entry: its schema and each property value."""
    values = sorted({(s.prop, s.value) for s in entity.statements})
    payload = json.dumps([entity.schema.name, values], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def name_key(name: str) -> str:
    """A name as decisions compare it: case and spacing ignored."""
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class MatchDecision:
    """A reviewer's decision on one party and one list entry."""

    id: int
    reviewer: str
    created_at: datetime
    decision: str
    reason: str
    party: str
    names: frozenset[str]  # as name_key writes them
    list: str
    entity_id: str  # the listed entity's id: ofac-46431
    list_version: int | None

    def applies_to(self, party: str, names: Iterable[str]) -> bool:
        """The same party: the same id, or one of the same names."""
        return party == self.party or any(name_key(n) in self.names for n in names)

    def note(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "reviewer": self.reviewer,
            "at": self.created_at.isoformat(timespec="seconds"),
            "reason": self.reason,
            "list_version": self.list_version,
            "review_id": self.id,
        }


class ReviewBook:
    """The decisions that stand against the loaded list versions."""

    def __init__(
        self,
        matches: Sequence[MatchDecision] = (),
        lapsed: Sequence[MatchDecision] = (),
        apart: Sequence[frozenset[str]] = (),
    ) -> None:
        self.matches = list(matches)
        self.lapsed = list(lapsed)
        self.apart = list(apart)
        self._by_entry: dict[tuple[str, str], list[MatchDecision]] = {}
        for decision in self.matches:
            self._by_entry.setdefault((decision.list, decision.entity_id), []).append(decision)

    @classmethod
    def load(cls, store: Store, versions: Sequence[ListVersion]) -> ReviewBook:
        """The newest decision on each party and list entry, kept where the entry in the
        loaded version is the one the reviewer saw; and the dismissed merges."""
        newest: dict[tuple[str, str, str], dict[str, Any]] = {}
        for row in store.reviews(kind=MATCH):  # newest first
            key = (row["party"], row["list"] or "", row["list_entity_id"] or "")
            newest.setdefault(key, row)
        by_name = {v.name: v for v in versions}
        wanted: dict[str, list[str]] = {}
        for _, list_name, entity_id in newest:
            wanted.setdefault(list_name, []).append(entity_id)
        current: dict[tuple[str, str], str] = {}
        for list_name, entity_ids in wanted.items():
            version = by_name.get(list_name)
            if version is None:
                continue
            for entity_id, entity in store.list_entities_by_id(version, entity_ids).items():
                current[(list_name, entity_id)] = entry_fingerprint(entity)
        matches: list[MatchDecision] = []
        lapsed: list[MatchDecision] = []
        for (party, list_name, entity_id), row in newest.items():
            decision = MatchDecision(
                id=int(row["id"]),
                reviewer=row["reviewer"],
                created_at=row["created_at"],
                decision=row["decision"],
                reason=row["reason"],
                party=party,
                names=frozenset(name_key(n) for n in row["party_names"]),
                list=list_name,
                entity_id=entity_id,
                list_version=row["list_version"],
            )
            if current.get((list_name, entity_id)) == row["entry_sha256"]:
                matches.append(decision)
            elif list_name in by_name:
                lapsed.append(decision)
        merges: dict[frozenset[str], dict[str, Any]] = {}
        for row in store.reviews(kind=MERGE):
            merges.setdefault(frozenset(row["members"]), row)
        apart = [members for members, row in merges.items() if row["decision"] == DISMISSED]
        return cls(matches, lapsed, apart)

    def decision_for(
        self, party: str, names: Iterable[str], list_name: str, entity_id: str
    ) -> MatchDecision | None:
        """The decision that stands on this party and list entry, if any."""
        names = list(names)
        return next(
            (
                d
                for d in self._by_entry.get((list_name, entity_id), ())
                if d.applies_to(party, names)
            ),
            None,
        )

    def review(
        self, party: str, names: Iterable[str], candidates: Iterable[Candidate]
    ) -> list[Candidate]:
        """The candidates with the decisions on them: a dismissed one is no match, a
        confirmed one is; either carries the decision (``Candidate.review``)."""
        names = list(names)
        reviewed: list[Candidate] = []
        for candidate in candidates:
            decision = self.decision_for(party, names, candidate.list, candidate.entity_id)
            if decision is not None:
                candidate = replace(
                    candidate, match=decision.decision == CONFIRMED, review=decision.note()
                )
            reviewed.append(candidate)
        return reviewed


def record_decision(
    store: Store,
    versions: Sequence[ListVersion],
    *,
    reviewer: str,
    kind: str,
    decision: str,
    reason: str,
    party: str,
    names: Sequence[str],
    case: str | None = None,
    entity_id: str | None = None,
    members: Sequence[str] = (),
) -> int:
    """Add a decision to the audit log; returns its id. A decision on a match names the
    listed entity (``ofac-46431``), which must be in a loaded list version: the version
    and the entry's fingerprint are kept with it."""
    if kind not in KINDS:
        raise ReviewError(f"a decision is on a match or a merge, not {kind!r}")
    if decision not in DECISIONS:
        raise ReviewError(f"a decision confirms or dismisses, not {decision!r}")
    if not reason.strip():
        raise ReviewError("a decision needs a reason")
    if not party.strip():
        raise ReviewError("a decision needs the party it is about")
    list_name: str | None = None
    version_id: int | None = None
    fingerprint: str | None = None
    if kind == MATCH:
        if not entity_id:
            raise ReviewError("a decision on a match names the listed entity (e.g. ofac-46431)")
        for version in versions:
            if entity_id.startswith(id_prefix(version.name)):
                entity = store.list_entity(version, entity_id)
                if entity is not None:
                    list_name, version_id = version.name, version.id
                    fingerprint = entry_fingerprint(entity)
                    break
        if fingerprint is None:
            raise ReviewError(f"no listed entity {entity_id!r} in the loaded lists")
    elif len(set(members)) < 2:
        raise ReviewError("a decision on a merge names at least two merged entities")
    with store.transaction() as writer:
        return writer.add_review(
            reviewer=reviewer,
            kind=kind,
            decision=decision,
            reason=reason.strip(),
            party=party,
            party_names=list(names),
            case=case,
            list_name=list_name,
            list_version=version_id,
            list_entity_id=entity_id if kind == MATCH else None,
            entry_sha256=fingerprint,
            members=sorted(set(members)),
        )
