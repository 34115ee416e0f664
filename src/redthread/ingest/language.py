"""Which language a document is in, and whether the pipeline handles it."""

from __future__ import annotations

import functools
import re

#: Letters needed before a guess is worth making.
MIN_LETTERS = 40
#: How much of a document is looked at.
SAMPLE = 20_000
_LETTERS = re.compile(r"[^\W\d_]")


@functools.cache
def _identifier() -> object:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language ('en', 'ru', 'zh'), or None when the text
    is too short or too mixed to tell (below 0.5 probability)."""
    sample = text[:SAMPLE]
    if (
        len(_LETTERS.findall(sample[:2000])) < MIN_LETTERS
        and len(_LETTERS.findall(sample)) < MIN_LETTERS
    ):
        return None
    language, probability = _identifier().classify(sample)  # type: ignore[attr-defined]
    return str(language) if probability >= 0.5 else None


def model_language(model_name: str) -> str:
    """The language a spaCy pipeline handles, from its name ('en_core_web_sm' -> 'en');
    English when the name does not say."""
    prefix = model_name.split("_", 1)[0].lower()
    return prefix if len(prefix) == 2 and prefix.isalpha() else "en"
