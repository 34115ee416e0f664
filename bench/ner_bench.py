"""Named entities (PER, ORG, LOC, exact spans) on the CoNLL-2003 English test set, and
the speed of extraction beside the bare spaCy model on the same texts.

CoNLL-2003 is Reuters news from 1996 (much of it sport), one sentence per line here.
The bare model's labels map PERSON -> PER, ORG -> ORG, GPE/LOC/FAC -> LOC; redthread's
entity kinds person -> PER, org/public -> ORG, place -> LOC (products and money are not
CoNLL entities). Sentences are grouped into chunks of 50, as documents.

    .venv/bin/python -m bench.ner_bench [--limit N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from redthread.config import DEFAULT_SPACY_MODEL
from redthread.extract.entities import find_spans
from redthread.extract.pipeline import extract_text, load_nlp

CONLL = Path(__file__).resolve().parents[2] / "shared" / "data" / "ner" / "conll2003" / "test.txt"
NEWS = Path(__file__).resolve().parents[1] / "tests" / "data" / "extraction"
SEED = Path(__file__).resolve().parents[2] / "shared" / "data" / "seed-article.txt"
MODEL_LABELS = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
OUR_LABELS = {"person": "PER", "org": "ORG", "public": "ORG", "place": "LOC"}
CHUNK = 50

Span = tuple[int, int, str]


def read_conll(limit: int | None) -> list[tuple[str, set[Span]]]:
    """(text, gold spans) per chunk of sentences; tokens joined by spaces."""
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for line in CONLL.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                sentences.append(current)
            current = []
            continue
        token, tag = line.rsplit(" ", 1)
        current.append((token, tag))
    if current:
        sentences.append(current)
    if limit:
        sentences = sentences[:limit]
    docs: list[tuple[str, set[Span]]] = []
    for first in range(0, len(sentences), CHUNK):
        text_parts: list[str] = []
        gold: set[Span] = set()
        offset = 0
        for sentence in sentences[first : first + CHUNK]:
            open_span: list[int | str] | None = None
            for token, tag in sentence:
                start = offset
                text_parts.append(token)
                offset += len(token)
                if tag.startswith("B-") or (tag.startswith("I-") and open_span is None):
                    if open_span is not None:
                        gold.add((int(open_span[0]), int(open_span[1]), str(open_span[2])))
                    open_span = [start, offset, tag[2:]]
                elif tag.startswith("I-") and open_span is not None:
                    open_span[1] = offset
                else:
                    if open_span is not None:
                        gold.add((int(open_span[0]), int(open_span[1]), str(open_span[2])))
                    open_span = None
                text_parts.append(" ")
                offset += 1
            if open_span is not None:
                gold.add((int(open_span[0]), int(open_span[1]), str(open_span[2])))
            text_parts[-1] = "\n"
        docs.append(("".join(text_parts), {s for s in gold if s[2] != "MISC"}))
    return docs


def score(found: set[Span], gold: set[Span]) -> tuple[int, int, int]:
    hits = len(found & gold)
    return hits, len(found), len(gold)


def f1(hits: int, found: int, gold: int) -> tuple[float, float, float]:
    precision = hits / found if found else 0.0
    recall = hits / gold if gold else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if hits else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="sentences to use (all: 3,453)")
    args = parser.parse_args()
    nlp = load_nlp(DEFAULT_SPACY_MODEL)
    docs = read_conll(args.limit)
    bare = [0, 0, 0]
    ours = [0, 0, 0]
    for text, gold in docs:
        doc = nlp(text)
        model_spans = {
            (e.start_char, e.end_char, MODEL_LABELS[e.label_])
            for e in doc.ents
            if e.label_ in MODEL_LABELS
        }
        our_spans = {
            (s.start, s.end, OUR_LABELS[s.label]) for s in find_spans(doc) if s.label in OUR_LABELS
        }
        for total, part in ((bare, score(model_spans, gold)), (ours, score(our_spans, gold))):
            for i in range(3):
                total[i] += part[i]
    print(f"CoNLL-2003 test, PER/ORG/LOC exact spans ({sum(len(g) for _, g in docs):,} entities)")
    print(f"{'':<28} {'precision':>9} {'recall':>7} {'F1':>6}")
    for label, totals in (("bare spaCy model", bare), ("redthread entity rules", ours)):
        precision, recall, value = f1(*totals)
        print(f"{label:<28} {precision:>9.3f} {recall:>7.3f} {value:>6.3f}")

    # speed: the news texts of the test set, extracted whole, beside the bare model
    texts = [p.read_text(encoding="utf-8") for p in sorted(NEWS.glob("*.txt"))]
    texts.append(SEED.read_text(encoding="utf-8"))
    texts = texts * 3
    tokens = sum(len(nlp.make_doc(t)) for t in texts)
    best_bare = best_ours = float("inf")
    for _ in range(3):
        started = time.process_time()
        for text in texts:
            nlp(text)
        best_bare = min(best_bare, time.process_time() - started)
        started = time.process_time()
        for number, text in enumerate(texts):
            extract_text(text, f"{number:064d}", DEFAULT_SPACY_MODEL)
        best_ours = min(best_ours, time.process_time() - started)
    print(
        f"speed on news ({tokens:,} tokens, one core, CPU time): bare model "
        f"{tokens / best_bare:,.0f} tokens/s, redthread extraction {tokens / best_ours:,.0f} "
        f"tokens/s = {best_bare / best_ours:.2f} of the bare model (target 0.8)"
    )


if __name__ == "__main__":
    main()
