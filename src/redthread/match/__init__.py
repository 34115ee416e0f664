"""Matching names and parties: normal forms, pairwise scores with readable explanations,
and the screening index (see docs/screening.md, "Python API")."""

from redthread.match.index import Candidate, MatchIndex, Query
from redthread.match.names import NameComparison, NameForm, analyze_name, compare_names

__all__ = [
    "Candidate",
    "MatchIndex",
    "NameComparison",
    "NameForm",
    "Query",
    "analyze_name",
    "compare_names",
]
