"""Name matching quality and speed on OpenSanctions' name benchmark (826 labelled pairs).

Prints precision, recall and F1 at the default threshold and at the best one, the
STRONG-quality cases each matcher gets wrong, and pairs scored per second, for
redthread's name score and nomenklatura's logic-v2, name-based and ofac matchers
on the same pairs in the same run.

    .venv/bin/python -m bench.name_bench [--show-errors]
"""

from __future__ import annotations

import argparse
import csv
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from redthread.config import Settings
from redthread.match import compare_names, native

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
CASES = SHARED_DATA / "matching" / "nomenklatura" / "name_bench_cases.csv"


@dataclass(frozen=True)
class Case:
    schema: str
    name1: str
    name2: str
    is_match: bool
    quality: str
    notes: str


def load_cases(path: Path = CASES) -> list[Case]:
    with path.open(encoding="utf-8") as handle:
        return [
            Case(
                r["schema"],
                r["name1"],
                r["name2"],
                r["is_match"] == "true",
                r["quality"],
                r["notes"],
            )
            for r in csv.DictReader(handle)
        ]


def held_out_cases() -> list[Case]:
    """Pairs never used to tune redthread: yente's UN names, treated against clean (matches),
    and each treated name against another listed person sharing a word with it (non-matches)."""
    folder = SHARED_DATA / "matching" / "yente"
    with (folder / "positives_un_treated.csv").open(encoding="utf-8") as handle:
        treated = [r["full_name"] for r in csv.DictReader(handle)]
    with (folder / "positives_un_untreated.csv").open(encoding="utf-8") as handle:
        clean = [r["full_name"] for r in csv.DictReader(handle)]
    cases = [
        Case("Person", t, c, True, "MEDIUM", "held-out")
        for t, c in zip(treated, clean, strict=True)
    ]
    words = [set(name.upper().replace(",", " ").split()) for name in clean]
    for number, name in enumerate(treated):
        mine = set(name.upper().replace(",", " ").split())
        others = [c for i, c in enumerate(clean) if i != number and mine & words[i]]
        if others:
            cases.append(
                Case("Person", name, others[number % len(others)], False, "MEDIUM", "held-out")
            )
    return cases


def prf(scores: list[float], cases: list[Case], threshold: float) -> tuple[float, float, float]:
    tp = sum(1 for s, c in zip(scores, cases, strict=True) if s >= threshold and c.is_match)
    fp = sum(1 for s, c in zip(scores, cases, strict=True) if s >= threshold and not c.is_match)
    fn = sum(1 for s, c in zip(scores, cases, strict=True) if s < threshold and c.is_match)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def redthread_scorer() -> Callable[[Case], float]:
    return lambda case: compare_names(case.name1, case.name2, case.schema).score


def nomenklatura_scorer(name: str) -> Callable[[Case], float] | None:
    try:
        from followthemoney import model
        from nomenklatura.matching import ScoringConfig, get_algorithm
    except ImportError:
        return None
    algorithm = get_algorithm(name)
    if algorithm is None:
        return None
    config = ScoringConfig.defaults()
    counter = iter(range(10**9))

    def score(case: Case) -> float:
        query = model.make_entity(case.schema)
        query.id = f"q{next(counter)}"
        query.add("name", case.name1)
        result = model.make_entity(case.schema)
        result.id = f"r{next(counter)}"
        result.add("name", case.name2)
        return float(algorithm.compare(query, result, config).score)

    return score


def run(show_errors: bool = False) -> None:
    report("name_bench_cases.csv", load_cases(), show_errors)
    print()
    report("held-out (yente UN names, never tuned on)", held_out_cases(), False)


def report(title: str, cases: list[Case], show_errors: bool) -> None:
    threshold = Settings.model_fields["match_threshold"].default
    scorers: list[tuple[str, Callable[[Case], float] | None, float]] = [
        ("redthread", redthread_scorer(), threshold),
        ("nomenklatura logic-v2", nomenklatura_scorer("logic-v2"), 0.7),
        ("nomenklatura name-based", nomenklatura_scorer("name-based"), 0.7),
        ("nomenklatura ofac", nomenklatura_scorer("ofac"), 0.7),
    ]
    print(f"{title}: {len(cases)} pairs ({sum(c.is_match for c in cases)} matches)")
    header = (
        f"{'matcher':<25} {'thr':>5} {'prec':>6} {'recall':>6} {'F1':>6}  "
        f"{'best F1 (thr)':>14}  {'STRONG wrong':>12}  {'pairs/s':>8}"
    )
    print(header)
    print("-" * len(header))
    for label, scorer, thr in scorers:
        if scorer is None:
            print(f"{label:<25} not installed (pip install -e '.[bench]')")
            continue
        started = time.perf_counter()
        scores = [scorer(case) for case in cases]
        elapsed = time.perf_counter() - started
        precision, recall, f1 = prf(scores, cases, thr)
        best_f1, best_thr = max((prf(scores, cases, t / 100)[2], t / 100) for t in range(40, 100))
        strong_wrong = sum(
            1
            for s, c in zip(scores, cases, strict=True)
            if c.quality == "STRONG" and (s >= thr) != c.is_match
        )
        print(
            f"{label:<25} {thr:>5.2f} {precision:>6.3f} {recall:>6.3f} {f1:>6.3f}  "
            f"{best_f1:>8.3f} ({best_thr:.2f})  {strong_wrong:>12}  {len(cases) / elapsed:>8.0f}"
        )
        if show_errors and label == "redthread":
            for s, c in zip(scores, cases, strict=True):
                if (s >= thr) != c.is_match:
                    kind = "FN" if c.is_match else "FP"
                    print(f"    {kind} {s:.2f} {c.quality:<6} {c.name1} | {c.name2}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true", help="list redthread's wrong pairs")
    print(f"matching engine: {native.status()}")
    run(parser.parse_args().show_errors)


if __name__ == "__main__":
    main()
