"""Matching names and parties: normal forms, pairwise scores with readable explanations,
and the screening index (see docs/screening.md, "Python API").

The modules compiled by ``redthread native build`` are used when built from these
sources (see match/native.py)."""

from redthread.match import native

native.enable(__path__)

from redthread.match.index import Candidate, MatchIndex, Query  # noqa: E402
from redthread.match.names import NameComparison, NameForm, analyze_name, compare_names  # noqa: E402

__all__ = [
    "Candidate",
    "MatchIndex",
    "NameComparison",
    "NameForm",
    "Query",
    "analyze_name",
    "compare_names",
]
