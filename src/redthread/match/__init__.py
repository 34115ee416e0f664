"""Matching names and parties: normal forms, pairwise scores with readable explanations."""

from redthread.match.names import NameComparison, NameForm, analyze_name, compare_names

__all__ = ["NameComparison", "NameForm", "analyze_name", "compare_names"]
