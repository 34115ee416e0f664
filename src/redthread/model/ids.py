"""Stable ids: the same parts give the same id on every run."""

from __future__ import annotations

from followthemoney.util import make_entity_id


def stable_id(*parts: str) -> str:
    """A SHA-1 id derived from ``parts`` (FtM's ``make_entity_id``, never None here)."""
    value = make_entity_id(*parts)
    if value is None:
        raise ValueError("an id needs at least one non-empty part")
    return value
