"""Relations and claims against the annotated documents in tests/data/extraction.

The first set's gold.json was written before the extraction rules, which were then
developed on it. The first held-out set (tests/data/extraction-heldout) was measured
untouched until 2026-11-27, the second to sixth (extraction-heldout-2 to -6, each
written and annotated before the rules ran on it) until later, the fifth and sixth
until 2026-11-28; all six are development material since. The current held-out set
(tests/data/extraction-heldout-7)
was written and annotated before the rules were run on it and is never used to develop
them: its figures are the ones to trust. A relation is
found when one extracted relation has the gold type and its source and target
entities carry the gold names (as written, or the entity's other names hold them); for a
role with no direction (partner, sister company, traded with) either way round.
Prints precision and recall per relation type and overall (target: precision at
least 0.9), and, of the relations found, how often the stance and the attribution
agree with the gold ones.

    .venv/bin/python -m bench.extract_bench [--show]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

from redthread.config import DEFAULT_SPACY_MODEL
from redthread.extract.gazetteer import Gazetteer
from redthread.extract.pipeline import extract_text
from redthread.lists import read_list
from redthread.match.index import MatchIndex
from redthread.model import sha256_hex
from redthread.model.extraction import ExtractedEntity, Extraction, Relation

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "extraction"
FORMER_HELD_OUT = tuple(
    DATA.parent / f"extraction-heldout{suffix}" for suffix in ("", "-2", "-3", "-4", "-5", "-6")
)
HELD_OUT = DATA.parent / "extraction-heldout-7"
OFAC = Path(__file__).resolve().parents[2] / "shared" / "data" / "sanctions" / "ofac-2024-05-03"
OFAC = OFAC / "sdn.csv"


def _key(name: str) -> str:
    return " ".join(re.findall(r"[\w-]+", name.lower()))


def names_match(gold: str, entity: ExtractedEntity) -> bool:
    wanted = _key(gold)
    for name in entity.names:
        have = _key(name)
        if wanted == have or f" {wanted} " in f" {have} " or f" {have} " in f" {wanted} ":
            return True
    return False


#: Roles with no direction: 'X, our partner' and 'our partner X' state the same link
SYMMETRIC_ROLES = frozenset(
    {"partner", "collaborated with", "worked with", "traded with", "sister company", "relationship"}
)


def relation_matches(gold: dict[str, Any], relation: Relation, extraction: Extraction) -> bool:
    if relation.type != gold["type"]:
        return False
    source = extraction.entity(relation.source)
    target = extraction.entity(relation.target)
    if names_match(gold["source"], source) and names_match(gold["target"], target):
        return True
    return (
        gold.get("role") in SYMMETRIC_ROLES
        and relation.role in SYMMETRIC_ROLES
        and names_match(gold["source"], target)
        and names_match(gold["target"], source)
    )


def score_set(
    folder: Path, show: bool, gazetteer: Gazetteer | None = None, table: bool = True
) -> tuple[float, float]:
    """Score one annotated folder, print its table, and return (precision, recall)."""
    gold_docs: dict[str, list[dict[str, Any]]] = json.loads(
        (folder / "gold.json").read_text(encoding="utf-8")
    )["documents"]
    true_pos: Counter[str] = Counter()
    false_pos: Counter[str] = Counter()
    false_neg: Counter[str] = Counter()
    stance_ok = attribution_ok = matched = 0
    tokens = 0
    elapsed = 0.0
    for name, golds in sorted(gold_docs.items()):
        text = (folder / name).read_text(encoding="utf-8")
        started = time.process_time()
        extraction = extract_text(
            text, sha256_hex(text.encode()), DEFAULT_SPACY_MODEL, gazetteer=gazetteer
        )
        elapsed += time.process_time() - started
        tokens += len(text.split())
        used: set[str] = set()
        for gold in golds:
            hit = next(
                (
                    r
                    for r in extraction.relations
                    if r.id not in used and relation_matches(gold, r, extraction)
                ),
                None,
            )
            if hit is None:
                false_neg[gold["type"]] += 1
                if show:
                    print(f"  missed  {name}: {gold['type']} {gold['source']} -> {gold['target']}")
                continue
            used.add(hit.id)
            true_pos[gold["type"]] += 1
            matched += 1
            stance_ok += hit.stance.value == gold["stance"]
            said = hit.attributed_to.text if hit.attributed_to else None
            want = gold["attributed_to"]
            attribution_ok += (said is None and want is None) or (
                said is not None and want is not None and _key(want) in _key(said)
            )
        for relation in extraction.relations:
            if relation.id in used:
                continue
            false_pos[relation.type] += 1
            if show:
                source = extraction.entity(relation.source).caption
                target = extraction.entity(relation.target).caption
                print(f"  extra   {name}: {relation.type} {source} -> {target} [{relation.role}]")
    total = sum(map(len, gold_docs.values()))
    tp, fp, fn = sum(true_pos.values()), sum(false_pos.values()), sum(false_neg.values())
    scores = (tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0)
    if not table:
        return scores
    print(f"{folder.name}: relations on {len(gold_docs)} annotated documents ({total} gold)")
    header = f"{'type':<20} {'gold':>5} {'found':>6} {'precision':>10} {'recall':>7}"
    print(header)
    print("-" * len(header))
    types = sorted(set(true_pos) | set(false_neg) | set(false_pos))
    for kind in [*types, "all"]:
        tp = sum(true_pos.values()) if kind == "all" else true_pos[kind]
        fp = sum(false_pos.values()) if kind == "all" else false_pos[kind]
        fn = sum(false_neg.values()) if kind == "all" else false_neg[kind]
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        print(f"{kind:<20} {tp + fn:>5} {tp + fp:>6} {precision:>10.2f} {recall:>7.2f}")
    if matched:
        print(
            f"of the {matched} found: stance right {stance_ok / matched:.0%}, "
            f"attribution right {attribution_ok / matched:.0%} (target: relation precision >= 0.9)"
        )
    print(f"extraction speed on these documents: {tokens / elapsed:,.0f} words/s (one core)\n")
    return scores


def ofac_gazetteer() -> Gazetteer:
    """The names of the 2024-05-03 OFAC list, as `redthread investigate` passes the
    active lists' names to extraction."""
    parsed = read_list([OFAC], name="ofac")
    return Gazetteer(MatchIndex.from_entities(parsed.entities, "ofac", 1).names())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list misses and false relations")
    parser.add_argument(
        "--development-only",
        action="store_true",
        help="score only the sets the rules are developed on, not the held-out one",
    )
    args = parser.parse_args()
    show = args.show
    score_set(DATA, show)  # written before the rules, then used to develop them
    for folder in FORMER_HELD_OUT:
        score_set(folder, show)  # held out for a while, development since
    if not args.development_only:
        score_set(HELD_OUT, show)  # never used to develop them
    # with the names of a loaded list found where the model sees none
    gazetteer = ofac_gazetteer()
    print(f"with the OFAC list's names as a gazetteer ({gazetteer.size:,} names):")
    folders = [DATA, *FORMER_HELD_OUT] + ([] if args.development_only else [HELD_OUT])
    for folder in folders:
        precision, recall = score_set(folder, False, gazetteer, table=False)
        print(f"  {folder.name:<24} precision {precision:.2f}  recall {recall:.2f}")


if __name__ == "__main__":
    main()
