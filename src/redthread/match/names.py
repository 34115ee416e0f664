"""Names to comparable tokens, and a pairwise name score that a reviewer can read.

A name is transliterated to Latin ASCII, legal forms are reduced to one code
("Obshchestvo s ogranichennoi otvetstvennostyu" and "OOO" both become ``ooo``),
punctuation and ``&`` are normalised, and each token gets a kind: a distinctive
word, a legal form, a generic company word ("holding", "trading", "industrial"),
a name particle ("al", "bin", "van"), an initial or a number. Kinds carry weights,
so "Kupol" counts far more than "Industrial", and a legal form almost nothing.

Two names are compared by aligning their tokens (allowing two tokens of one to
match one of the other: "van der bilt" / "vanderbilt"), scoring each aligned pair
(equal, same sound, small typo, initial), and weighing what is left unmatched.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from rigour.names import remove_person_prefixes, replace_org_types_compare
from rigour.text import ascii_text, levenshtein, metaphone

try:  # ICU covers scripts rigour's fast path leaves as '?'
    import icu  # type: ignore[import-untyped]

    _ICU = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")
except Exception:  # pragma: no cover - PyICU is a dependency of rigour
    _ICU = None

try:  # the first words of the titles rigour strips from a person's name ('Dr', 'His')
    from rigour._core import person_name_prefixes_list

    _TITLE_HEADS: frozenset[str] | None = frozenset(
        p.split()[0].lower().rstrip(".") for p in person_name_prefixes_list() if p.strip()
    )
except Exception:  # pragma: no cover - another rigour: always ask it
    _TITLE_HEADS = None


def _remove_titles(text: str) -> str:
    """rigour's remove_person_prefixes, asked only when the name starts with a title's
    first word or a sign (its pattern, 135 titles, costs a third of analysing a name)."""
    if _TITLE_HEADS is not None and text[:1].isalnum():
        head = text.split(None, 1)[0].lower().rstrip(".")
        if head not in _TITLE_HEADS:
            return text
    return remove_person_prefixes(text)


PARTICLES = frozenset(
    """
    al el bin ben ibn bint abu da de del della der di do dos du la le
    van von y zu ul
    """.split()  # noqa: SIM905
)
GENERIC = frozenset(
    """
    holding holdings group trading trade industrial industries industry international
    company corporation corp enterprise enterprises general services service global
    investment investments management partners solutions technology technologies systems
    system development import export commercial limited national vector manufacturing
    production engineering logistics shipping bank fund foundation association
    organization organisation center centre institute research plant factory scientific
    business
    """.split()  # noqa: SIM905
)
PERSON_TITLES = frozenset(
    """
    president prasident presidente presiden predsjednik presedintele prezident prezydent
    elnok presidentti presidenten mr mrs ms dr sheikh shaykh sayyid haji hajji
    """.split()  # noqa: SIM905
)
LEGAL_FORMS = frozenset(
    """
    llc ltd coltd co inc corp plc jsc ojsc cjsc pjsc ao oao zao pao ooo gmbh ag sa sas
    srl sl bv nv kg oy ab as spa lp llp pte pty bhd sdn fze fzco sarl kk ks
    """.split()  # noqa: SIM905
)
WEIGHTS = {
    "word": 1.0,
    "generic": 0.35,
    "particle": 0.25,
    "legal": 0.1,
    "number": 0.8,
    "initial": 0.4,
}
MINOR_KINDS = frozenset({"generic", "particle", "legal"})
DISTINCTIVE_KINDS = frozenset({"word", "number"})
WEAK_PAIR_FACTOR = 0.9
MAX_INEXACT = 0.98
ORG_CONTAINED = 0.5
ORG_SCHEMATA = frozenset(
    {"Company", "Organization", "LegalEntity", "PublicBody", "Vessel", "Airplane"}
)


class PickledByFields:
    """A dataclass pickled as its fields, in order: the classes compiled by mypyc (see
    match/native.py) have no ``__dict__``, which pickle would otherwise save."""

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), tuple(getattr(self, f.name) for f in dataclasses.fields(self))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Token(PickledByFields):
    """One normalised word of a name, with its kind and weight."""

    text: str
    kind: str

    @property
    def weight(self) -> float:
        return WEIGHTS[self.kind]


@dataclass(frozen=True)
class NameForm:
    """A name ready for comparison."""

    original: str
    tokens: tuple[Token, ...]
    #: single tokens and joined neighbours, as (token positions, text, kind)
    units: tuple[tuple[tuple[int, ...], str, str], ...] = ()
    #: written in Arabic or Hebrew script (vowels left out)
    abjad: bool = False
    #: written wholly in Chinese, Japanese or Korean characters: those, without separators
    logograms: str = ""

    #: the units of single tokens, and those of joined neighbours
    singles: tuple[tuple[tuple[int, ...], str, str], ...] = ()
    joined: tuple[tuple[tuple[int, ...], str, str], ...] = ()
    #: the tokens, space-separated
    text: str = ""
    #: words that may be an acronym (2-8 letters), and of those the ones that may be a
    #: person's initials written together (2-3 letters, no vowel): (position, text)
    acronyms: tuple[tuple[int, str], ...] = ()
    initialisms: tuple[tuple[int, str], ...] = ()
    #: each token's weight by its kind, before rarity
    weights: tuple[float, ...] = ()
    #: the distinctive words, with their positions
    words: tuple[tuple[int, str], ...] = ()
    #: the single-token units by their first letter
    singles_by_letter: dict[str, tuple[tuple[tuple[int, ...], str, str], ...]] = field(
        default_factory=dict, compare=False
    )
    #: (son, father) of each 'X bin Y' in the name
    lineage: frozenset[tuple[str, str]] = frozenset()


GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
#: Modern Greek digraphs: 'd', 'b', 'g' at the start of a word or after a consonant,
#: else 'nt', 'mp' at the end of a word and 'nd', 'mb', 'ng' within it ('Ντόναλντ Τραμπ'
#: -> 'donald tramp', 'Βλαντίμιρ Πούτιν' -> 'vlandimir putin').
_NOT_AFTER_VOWEL = r"(?<![αεηιουω])"
GREEK_DIGRAPHS = (
    (re.compile(r"ου"), "u"),  # noqa: RUF001
    (re.compile(_NOT_AFTER_VOWEL + "ντ"), "d"),
    (re.compile(_NOT_AFTER_VOWEL + "μπ"), "b"),
    (re.compile(_NOT_AFTER_VOWEL + "γκ"), "g"),
    (re.compile(r"ντ(?=\W|$)"), "nt"),
    (re.compile(r"μπ(?=\W|$)"), "mp"),
    (re.compile(r"ντ"), "nd"),
    (re.compile(r"μπ"), "mb"),
    (re.compile(r"γκ"), "ng"),
)
#: Urdu letters the transliterators do not know, as their Arabic or Persian equivalents.
URDU = str.maketrans({"ٹ": "ت", "ڈ": "د", "ڑ": "ر", "ں": "ن", "ے": "ی", "ۓ": "ی", "ھ": "ه"})  # noqa: RUF001
#: A Devanagari or Bengali word ending in a single consonant is read without its inherent
#: vowel ('पुटिन' is 'putin', not 'putina'; after a cluster it stays: 'नरेन्द्र' is
#: 'narendra'): a virama is added before transliterating.
INDIC_FINAL = (
    (re.compile(r"(?<!\u094d)([\u0915-\u0939\u0958-\u095f])(?=[\s\-.,;:/()]|$)"), "\\1\u094d"),
    (re.compile(r"(?<!\u09cd)([\u0995-\u09b9\u09dc-\u09df])(?=[\s\-.,;:/()]|$)"), "\\1\u09cd"),
)


def _prepare_script(text: str) -> str:
    """Spelling rules of some scripts that letter-by-letter transliteration misses."""
    if GREEK.search(text):
        text = "".join(
            ch for ch in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(ch)
        )
        for pattern, replacement in GREEK_DIGRAPHS:
            text = pattern.sub(replacement, text)
    text = text.translate(URDU)
    for pattern, replacement in INDIC_FINAL:
        text = pattern.sub(replacement, text)
    return text


def to_latin(text: str) -> str:
    """Latin ASCII, lower case: 'Владимир Путин' -> 'vladimir putin'."""
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        return text.lower()
    return " ".join(w.lower() if w.isascii() else _latin_word(w) for w in text.split())


#: The schwa of some readings (Ethiopic: 'marǝyam'), which no transliterator makes ASCII.
SCHWA = str.maketrans({"ǝ": "e", "ə": "e", "Ə": "e", "Ǝ": "e"})


@functools.lru_cache(maxsize=100_000)
def _latin_word(word: str) -> str:
    """One word in Latin ASCII, remembered (a tenth of a millisecond, ICU a quarter; given
    names repeat across a file). Where rigour leaves a letter unknown ('?'), ICU decides.

    Latin letters with accents lose them without asking rigour ('kolář' -> 'kolar'): the
    same result, a hundred times faster."""
    bare = "".join(
        ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch)
    )
    if bare.isascii():
        return bare.lower()
    prepared = _prepare_script(word)
    latin = ascii_text(prepared)
    if "?" in latin and "?" not in prepared and _ICU is not None:
        latin = str(_ICU.transliterate(prepared))
    # what no transliterator made ASCII: the schwa of Ethiopic readings ('marǝyam') as
    # 'e'; letters of scripts neither knows (Khmer, Lao, Tibetan) by their Unicode names;
    # the rest (an iteration mark: '佐々木') left out
    latin = latin.translate(SCHWA)
    if not latin.isascii():
        latin = "".join(ch if ch.isascii() else _letter_name(ch) for ch in latin)
    return latin.lower()


def _letter_name(char: str) -> str:
    """A letter no transliterator knows, by the last word of its Unicode name ('ប', KHMER
    LETTER BA: 'ba'; 'ុ', KHMER VOWEL SIGN U: 'u'), so that a name in that script still
    compares with itself and its variants; other signs give ''."""
    if unicodedata.category(char) not in ("Lo", "Mn", "Mc"):
        return ""  # not a modifier letter ('ʿ' of Arabic readings) or a symbol
    name = unicodedata.name(char, "")
    if " LETTER " not in name and " VOWEL SIGN " not in name:
        return ""
    last = name.rsplit(" ", 1)[-1]
    return last.lower() if last.isascii() and last.isalpha() else ""


#: A word in each of the scripts names come in: transliterating each once loads the
#: transliteration tables, which rigour and ICU build on first use (Han takes a tenth
#: of a second), so that no query pays for them.
SCRIPT_SAMPLES = (
    "Владимир",
    "Βλαντίμιρ",
    "فلاديمير",
    "ולדימיר",
    "भ्लादिमिर",
    "ভ্লাদিমির",
    "ਪੰਜਾਬ",
    "தமிழ்",
    "ವ್ಲಾದಿಮಿರ್",
    "佐々木",
    "习近平",
    "ウラジーミル",
    "김정은",
    "ვლადიმერ",
    "Վլադիմիր",
    "วลาดีมีร์",
    "ማርያም",
)


@functools.cache
def warm_up() -> None:
    """Load the transliteration tables of every script once per process (see SCRIPT_SAMPLES)."""
    for word in SCRIPT_SAMPLES:
        _latin_word.__wrapped__(word)
        _logograms(word)


#: Abbreviated words of organisation names, written out ("First Bank Int'l").
ABBREVIATIONS = {
    "intl": "international",
    "natl": "national",
    "mfg": "manufacturing",
    "dept": "department",
    "assn": "association",
    "assoc": "association",
    "bros": "brothers",
    "svcs": "services",
    "govt": "government",
    "univ": "university",
    "inst": "institute",
    "ctr": "center",
    "mgmt": "management",
    "dev": "development",
    "eng": "engineering",
    "invest": "investment",
    "shpg": "shipping",
}
VOWELS = frozenset("aeiouy")
AMPERSAND = re.compile(r"\s*&\s*")
POSSESSIVE = re.compile(r"['`\u2019]s\b")
APOSTROPHE = re.compile(r"['`\u2019]")
NOT_ALNUM = re.compile(r"[^a-z0-9]+")
#: Roman numerals of a series ('Fund II', 'Trust XV'): two letters or more, and not
#: 'xi', a Chinese name ('llc' and 'li' are no numerals either)
ROMAN = re.compile(r"(?!xi$)(?=[ivx]{2})x{0,3}(ix|iv|v?i{0,3})")
ORDINAL = re.compile(r"\d+(st|nd|rd|th)")


@functools.lru_cache(maxsize=200_000)
def analyze_name(name: str, schema: str = "LegalEntity") -> NameForm:
    """Tokenise a name for comparison; ``schema`` decides person or organisation rules."""
    form = name_tokens(name, schema)
    units = _units(form)
    acronyms = tuple(
        (i, t.text)
        for i, t in enumerate(form)
        if t.kind == "word" and 2 <= len(t.text) <= 8 and t.text.isalpha()
    )
    by_letter: dict[str, list[tuple[tuple[int, ...], str, str]]] = {}
    for unit in units[: len(form)]:
        by_letter.setdefault(unit[1][0], []).append(unit)
    return NameForm(
        name,
        form,
        units,
        bool(ABJAD.search(name)),
        _logograms(name),
        units[: len(form)],
        units[len(form) :],
        " ".join(t.text for t in form),
        acronyms,
        tuple(a for a in acronyms if len(a[1]) <= 3 and not VOWELS.intersection(a[1])),
        tuple(WEIGHTS[t.kind] for t in form),
        tuple((i, t.text) for i, t in enumerate(form) if t.kind == "word"),
        {letter: tuple(found) for letter, found in by_letter.items()},
        lineage=_lineage(form),
    )


@functools.lru_cache(maxsize=200_000)
def name_keys(name: str, schema: str = "LegalEntity") -> frozenset[str]:
    """What two names must share to be worth comparing: words, sounds, first letters.

    (A function remembering its results, not a cached property of NameForm: compiled
    by mypyc, a cached property is computed again at each use.)"""
    return frozenset(
        key
        for _, text, _ in analyze_name(name, schema).units
        for key in (text, "~" + metaphone(text) if len(text) > 2 else text, "^" + text[:3])
    )


def _lineage(tokens: tuple[Token, ...]) -> frozenset[tuple[str, str]]:
    words = [t.text for t in tokens]
    return frozenset(
        (words[i - 1], words[i + 1])
        for i in range(1, len(words) - 1)
        if words[i] in LINEAGE and words[i - 1] not in LINEAGE and words[i + 1] not in LINEAGE
    )


@functools.lru_cache(maxsize=200_000)
def name_tokens(name: str, schema: str = "LegalEntity") -> tuple[Token, ...]:
    """A name's tokens, each with its kind: all that indexing needs (``analyze_name``
    adds what comparing two names needs)."""
    is_org = schema in ORG_SCHEMATA
    text = unicodedata.normalize("NFKC", name)
    if "&" in text:
        text = AMPERSAND.sub(" and ", text)
    text = replace_org_types_compare(text.lower()) if is_org else _remove_titles(text)
    text = to_latin(text)
    if "'" in text or "`" in text or "\u2019" in text:
        text = POSSESSIVE.sub("", text)  # "Deutsche Bank's" = "Deutsche Bank"
        text = APOSTROPHE.sub("", text)
    text = NOT_ALNUM.sub(" ", text)
    words = _numbers(text.split())
    if is_org:
        words = [ABBREVIATIONS.get(w, w) for w in _join_initials(words)]
    elif len(words) > 1:
        # titles in many languages: "Prasident Putin", "Presidente Putin", "Prezident Putin"
        words = [w for w in words if w not in PERSON_TITLES] or words
    tokens: list[Token] = []
    for word in words:
        if word.isdigit() or (is_org and len(word) <= 4 and ROMAN.fullmatch(word)):
            kind = "number"
        elif is_org and word in LEGAL_FORMS:
            kind = "legal"
        elif is_org and (word in GENERIC or word == "and" or word == "of" or word == "the"):
            kind = "generic"
        elif word in PARTICLES:
            kind = "particle"
        elif len(word) == 1:
            kind = "initial"
        else:
            kind = "word"
        tokens.append(Token(word, kind))
    return tuple(tokens)


NUMBER_WORDS = {
    w: n
    for n, ws in enumerate(
        [
            "zero",
            "one first",
            "two second",
            "three third",
            "four fourth",
            "five fifth",
            "six sixth",
            "seven seventh",
            "eight eighth",
            "nine ninth",
            "ten tenth",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
    for w in ws.split()
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}


def _join_initials(words: list[str]) -> list[str]:
    """An organisation's initials are one acronym: 'a b c company' -> 'abc company'."""
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if run:
            out.append("".join(run))
            run = []
        if word:
            out.append(word)
    return out


def _numbers(words: list[str]) -> list[str]:
    """Number words and ordinals as digits: 'forty four' -> '44', 'first' and '1st' -> '1'."""
    out: list[str] = []
    tens_at = -1  # where a tens word ('forty') was written out
    for word in words:
        if word[0].isdigit() and ORDINAL.fullmatch(word):
            word = word[:-2]
        elif word in NUMBER_WORDS:
            value = NUMBER_WORDS[word]
            if (
                out
                and out[-1].isdigit()
                and int(out[-1]) % 10 == 0
                and int(out[-1]) >= 20
                and value < 10
            ):
                out[-1] = str(int(out[-1]) + value)
                continue
            word = str(value)
        elif word in TENS:
            word = str(TENS[word])
            tens_at = len(out)
        elif word.isdigit() and len(word) == 1 and out and tens_at == len(out) - 1:
            out[-1] = str(int(out[-1]) + int(word))  # 'forty 4' -> '44'
            continue
        out.append(word)
    return out


class Pair(NamedTuple):
    """Two aligned pieces of the names and how alike they are."""

    query: str
    candidate: str
    similarity: float
    weight: float
    how: str
    distinctive: bool = True


@dataclass
class NameComparison(PickledByFields):
    """The score of two names in [0, 1], and the pairs and leftovers that explain it."""

    score: float
    pairs: list[Pair] = field(default_factory=list)
    unmatched_query: list[Token] = field(default_factory=list)
    unmatched_candidate: list[Token] = field(default_factory=list)
    #: what else lowered the score, in words
    notes: list[str] = field(default_factory=list)

    def explain(self) -> str:
        """A sentence a reviewer reads in seconds."""
        parts: list[str] = []
        for pair in self.pairs:
            q, c = pair.query.upper(), pair.candidate.upper()
            if pair.how == "equal":
                parts.append(f"'{q}' equal")
            else:
                parts.append(f"'{q}'/'{c}' {pair.how} ({pair.similarity:.2f})")
        for token in self.unmatched_query:
            parts.append(f"'{token.text.upper()}' of the query not found{_kind_note(token)}")
        for token in self.unmatched_candidate:
            parts.append(
                f"'{token.text.upper()}' of the listed name not in the query{_kind_note(token)}"
            )
        parts.extend(self.notes)
        return "; ".join(parts) or "no comparable name parts"


def _kind_note(token: Token) -> str:
    return {
        "legal": " (a legal form, counts little)",
        "generic": " (a generic word, counts little)",
        "particle": " (a name particle, counts little)",
    }.get(token.kind, "")


ABJAD = re.compile(r"[\u0590-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
SKELETON_MAP = str.maketrans(
    {
        "p": "b",
        "v": "f",
        "e": None,
        "a": None,
        "i": None,
        "o": None,
        "u": None,
        "w": None,
        "y": None,
        "h": None,
    }
)


def consonant_skeleton(word: str) -> str:
    """Consonants only, as Arabic and Hebrew script write them: 'fernando' -> 'frnd'."""
    for digraph, letter in (("tsh", "c"), ("tch", "c"), ("ch", "c"), ("sh", "c")):
        word = word.replace(digraph, letter)
    # a leading waw before a consonant is a 'v' (Persian, Hebrew: 'wladymyr' = 'vladimir')
    word = re.sub(r"^w(?=[^aeiouyw])", "f", word)
    stripped = word.translate(SKELETON_MAP)
    return re.sub(r"(.)\1+", r"\1", stripped)


def _transposed(a: str, b: str) -> bool:
    """Two neighbouring letters swapped ('lakahl' / 'lakhal'): one slip of the hand."""
    if len(a) != len(b) or a == b:
        return False
    i = next(i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y)
    return i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]


@functools.lru_cache(maxsize=1_000_000)
def _similarity(a: str, b: str, abjad: bool = False) -> tuple[float, str]:
    if a == b:
        return 1.0, "equal"
    if a.isdigit() or b.isdigit():
        return 0.0, "different numbers"
    if len(a) == 1 or len(b) == 1:
        return (0.8, "initial") if a[0] == b[0] else (0.0, "different")
    longest = max(len(a), len(b))
    distance = levenshtein(a, b)
    if distance == 2 and _transposed(a, b):
        distance = 1
    edit = 1.0 - distance / longest
    if a[0] == b[0] and edit > 0.5 and metaphone(a) == metaphone(b):
        return max(0.9, edit), "sound alike"
    # few edits on a long token are a typo; on a short one they make another word
    allowed = 0 if longest <= 3 else 1 if longest <= 6 else 2 if longest <= 10 else 3
    if distance <= allowed:
        return max(edit, 0.75), "typo"
    if abjad and len(a) > 2 and len(b) > 2 and consonant_skeleton(a) == consonant_skeleton(b):
        return 0.85, "same consonants (a script without vowels)"
    if a.startswith(b) or b.startswith(a):
        return 0.6, "prefix"
    if longest <= 3:
        return 0.0, "different"  # 'lei' / 'wei': short words that differ are other words
    return edit * 0.85, "similar" if edit >= 0.6 else "different"


def _units(tokens: tuple[Token, ...]) -> tuple[tuple[tuple[int, ...], str, str], ...]:
    """Single tokens (with their kind) and joined neighbours ('van der bilt' -> 'vanderbilt')."""
    units: list[tuple[tuple[int, ...], str, str]] = [
        ((i,), t.text, t.kind) for i, t in enumerate(tokens)
    ]
    texts = [t.text for t in tokens]
    for i in range(len(texts) - 1):
        units.append(((i, i + 1), texts[i] + texts[i + 1], "word"))
    for i in range(len(texts) - 2):
        units.append(((i, i + 1, i + 2), texts[i] + texts[i + 1] + texts[i + 2], "word"))
    return tuple(units)


Rarity = Callable[[str], float]


def _weights(form: NameForm, rarity: Rarity | None) -> list[float]:
    """The tokens' weights: their kind's, and for distinctive words, scaled by rarity in
    the lists."""
    weights = list(form.weights)
    if rarity is not None:
        for i, text in form.words:
            weights[i] *= rarity(text)
    return weights


def compare_names(
    query: str, candidate: str, schema: str = "LegalEntity", rarity: Rarity | None = None
) -> NameComparison:
    """Score two names of parties of ``schema``; see the module docstring for how.

    A name written as alternatives ("Al-Qa'ida/Islamic Army") scores as its best one.
    ``rarity`` (token -> (0, 1]) scales distinctive words by how rare they are in the
    lists searched: "Kupol" keeps its weight, "electromechanical" loses some.
    """
    best: NameComparison | None = None
    for q in _alternatives(query):
        for c in _alternatives(candidate):
            result = _compare_one(q, c, schema, rarity)
            if best is None or result.score > best.score:
                best = result
    return best or NameComparison(0.0)


def _alternatives(name: str) -> list[str]:
    if "/" not in name:
        return [name]
    parts = [p.strip() for p in name.split("/")]
    usable = [p for p in parts if len(p) > 1]
    return [name, *usable] if len(usable) > 1 else [name]


def _compare_one(
    query: str, candidate: str, schema: str, rarity: Rarity | None = None
) -> NameComparison:
    q, c = analyze_name(query, schema), analyze_name(candidate, schema)
    if not q.tokens or not c.tokens:
        return NameComparison(0.0)
    abjad = q.abjad or c.abjad
    person = schema not in ORG_SCHEMATA
    scored: list[tuple[float, tuple[int, ...], tuple[int, ...], str, str, str]] = []
    singles = c.singles
    for qi, qtext, qkind in q.singles:
        q_minor = qkind in MINOR_KINDS
        for ci, ctext, ckind in singles:
            if qtext == ctext:
                scored.append((1.0, qi, ci, qtext, ctext, "equal"))
            elif (
                person
                and (qtext in NICKNAMES or ctext in NICKNAMES)
                and (q_minor or ckind in MINOR_KINDS)
            ):
                # 'ben' is a particle ('bin') and a short 'Benjamin'
                sim, how = _nickname(qtext, ctext, 0.0, "different")
                if sim:
                    scored.append((sim, qi, ci, qtext, ctext, how))
            elif qkind == ckind or not (q_minor or ckind in MINOR_KINDS):
                # 'and' only ever equals 'and'; it does not sound like 'Antey'
                sim, how = _similarity(qtext, ctext, abjad)
                if person and sim < NICKNAME and (qtext in NICKNAMES or ctext in NICKNAMES):
                    sim, how = _nickname(qtext, ctext, sim, how)
                if sim > 0.5:
                    scored.append((sim, qi, ci, qtext, ctext, how))
    # joined neighbours ('van der bilt' / 'vanderbilt') count when nearly one word
    for joined, words, query_joined in ((q.joined, c, True), (c.joined, q, False)):
        for ji, jtext, _ in joined:
            for wi, wtext, wkind in words.singles_by_letter.get(jtext[0], ()):
                if abs(len(wtext) - len(jtext)) > 2:
                    continue
                if wkind in MINOR_KINDS and wtext != jtext:
                    continue
                sim, how = _similarity(jtext, wtext, abjad)
                if sim > 0.5:
                    if query_joined:
                        scored.append((sim, ji, wi, jtext, wtext, how))
                    else:
                        scored.append((sim, wi, ji, wtext, jtext, how))
    # an acronym and the words it abbreviates: 'IRGC' / 'Islamic Revolutionary Guard Corps';
    # for people, initials written together: 'JC' / 'Jean-Claude'
    similarity, how = (INITIALS, "initials") if person else (ACRONYM, "acronym")
    for short_at, long_at, acronym, spelled in _acronyms(q, c, person):
        scored.append((similarity, short_at, long_at, acronym, spelled, how))
    for short_at, long_at, acronym, spelled in _acronyms(c, q, person):
        scored.append((similarity, long_at, short_at, spelled, acronym, how))
    if len(scored) > 1:
        scored.sort(key=lambda s: (-s[0], -len(s[1]) - len(s[2])))
    q_weights = _weights(q, rarity)
    c_weights = _weights(c, rarity)
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs: list[Pair] = []
    matched = 0.0
    for sim, qi, ci, qtext, ctext, how in scored:
        if used_q.intersection(qi) or used_c.intersection(ci):
            continue
        used_q.update(qi)
        used_c.update(ci)
        weight = max(max(q_weights[i] for i in qi), max(c_weights[i] for i in ci))
        distinctive = any(q.tokens[i].kind in DISTINCTIVE_KINDS for i in qi) or any(
            c.tokens[i].kind in DISTINCTIVE_KINDS for i in ci
        )
        pairs.append(Pair(qtext, ctext, sim, weight, how, distinctive))
        matched += sim * weight * 2
    left_q = [t for i, t in enumerate(q.tokens) if i not in used_q]
    left_c = [t for i, t in enumerate(c.tokens) if i not in used_c]
    left_weight = sum((w for i, w in enumerate(q_weights) if i not in used_q), 0.0) + sum(
        (w for i, w in enumerate(c_weights) if i not in used_c), 0.0
    )
    strong_pairs = [p for p in pairs if p.distinctive and p.similarity >= 0.75]
    if schema not in ORG_SCHEMATA and len(strong_pairs) >= 2 and (not left_q or not left_c):
        # one person's name within the other's: extra middle names, patronymics, titles
        left_weight *= 0.4
    elif schema in ORG_SCHEMATA and len(strong_pairs) >= 2 and not left_q:
        # every word of the query within a longer registered name ("Almaz-Antey" in
        # "Aerospace Defense Concern Almaz-Antey"): the rest counts for less
        left_weight *= ORG_CONTAINED
    total = sum(p.weight * 2 for p in pairs) + left_weight
    score = matched / total if total else 0.0
    # a distinctive word on each side left unmatched means a different party, not a variant
    # (an initial counts: 'Hans O Friedrich' / 'Hans Joachim Friedrich' name two people)
    if any(t.kind in NAMING_KINDS for t in left_q) and any(t.kind in NAMING_KINDS for t in left_c):
        score *= 0.75
    notes: list[str] = []
    if not strong_pairs:
        score = min(score, 0.5)  # only generic words, particles, forms or weak likenesses agree
    elif _initials_only(q) or _initials_only(c):
        score = min(score, 0.5)
        notes.append("initials alone identify nobody")
    for pair in pairs:
        if pair.distinctive and pair.how in ("similar", "prefix"):
            score *= WEAK_PAIR_FACTOR  # a distinctive word only resembles: maybe another party
    reversed_pair = _reversed_lineage(q, c) if q.lineage and c.lineage else None
    if reversed_pair:
        score *= LINEAGE_REVERSED
        notes.append(
            f"'{reversed_pair[0]}' / '{reversed_pair[1]}': father and son the other way round"
        )
    if q.logograms and c.logograms and q.logograms != c.logograms:
        score = min(score, LOGOGRAMS_DIFFER)
        notes.append(f"written in the same characters, '{q.logograms}' and '{c.logograms}' differ")
    if q.text != c.text:
        score = min(score, MAX_INEXACT)  # 1.0 is kept for names that are the same
    return NameComparison(round(score, 4), pairs, left_q, left_c, notes)


def _initials_only(form: NameForm) -> bool:
    return all(t.kind == "initial" for t in form.tokens)


#: Kinds of token that name a party: one of them unmatched on each side means another party.
NAMING_KINDS = frozenset({"word", "initial"})
LINEAGE = frozenset({"bin", "ibn", "bint", "ben", "ould", "walad"})
#: 'Salman bin Muhammad' is Muhammad's son; 'Muhammad bin Salman' is Salman's.
LINEAGE_REVERSED = 0.6
#: Two names written in Chinese, Japanese or Korean characters that differ by a character.
LOGOGRAMS_DIFFER = 0.6
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
CJK_SEPARATORS = re.compile(r"[\s\u00b7\u30fb\u318d,.\-]")
try:
    _HANS = icu.Transliterator.createInstance("Hant-Hans")
except Exception:  # pragma: no cover - PyICU is a dependency of rigour
    _HANS = None


#: The similarity of a given name and its usual short form ('Ted' / 'Theodore').
NICKNAME = 0.85
#: Common English short forms of given names, and the names they stand for.
NICKNAMES: dict[str, frozenset[str]] = {
    short: frozenset(full.split())
    for short, full in {
        "abe": "abraham",
        "al": "albert alfred alan allan",
        "alex": "alexander alexandra alexei aleksandr",
        "andy": "andrew andreas",
        "ben": "benjamin benedict",
        "bill": "william",
        "billy": "william",
        "bob": "robert",
        "bobby": "robert",
        "charlie": "charles",
        "chris": "christopher christian christine",
        "chuck": "charles",
        "dan": "daniel",
        "danny": "daniel",
        "dave": "david",
        "dick": "richard",
        "ed": "edward edmund edwin",
        "eddie": "edward",
        "fred": "frederick alfred",
        "greg": "gregory",
        "hank": "henry",
        "jack": "john",
        "jim": "james",
        "jimmy": "james",
        "joe": "joseph",
        "johnny": "john",
        "jon": "jonathan",
        "kate": "katherine catherine kathryn",
        "ken": "kenneth",
        "larry": "lawrence laurence",
        "liz": "elizabeth",
        "matt": "matthew",
        "meg": "margaret",
        "mike": "michael",
        "nick": "nicholas nikolai",
        "pat": "patrick patricia",
        "peggy": "margaret",
        "pete": "peter",
        "rick": "richard eric",
        "rob": "robert",
        "ron": "ronald",
        "sam": "samuel samantha",
        "sandy": "alexander alexandra sandra",
        "steve": "steven stephen",
        "sue": "susan suzanne",
        "ted": "theodore edward",
        "tom": "thomas",
        "tony": "anthony antonio",
        "vlad": "vladimir vladislav",
        "will": "william",
        "sasha": "alexander aleksandr alexandra",
        "volodya": "vladimir",
        "misha": "mikhail",
        "dima": "dmitry dmitri",
        "kolya": "nikolai",
        "seryozha": "sergei sergey",
    }.items()
}


def _nickname(a: str, b: str, similarity: float, how: str) -> tuple[float, str]:
    """('Bill', 'William'): the nickname similarity; other pairs keep theirs."""
    if b in NICKNAMES.get(a, ()) or a in NICKNAMES.get(b, ()):
        return NICKNAME, "nickname"
    return similarity, how


#: The similarity of an acronym and the words it abbreviates.
ACRONYM = 0.9
#: Words an acronym usually leaves out ('Islamic Republic of Iran Shipping Lines': 'IRISL').
ACRONYM_SKIPS = frozenset({"of", "the", "and", "for"})


#: A person's initials written together ('JC' for 'Jean-Claude').
INITIALS = 0.8


def _acronyms(
    short: NameForm, long: NameForm, person: bool = False
) -> Iterator[tuple[tuple[int, ...], tuple[int, ...], str, str]]:
    """Words of ``short`` that are the initials of consecutive words of ``long``:
    (its position, theirs, the acronym, the words). For a ``person``, only words of two
    or three letters without a vowel ('jc', not the syllable 'su')."""
    candidates = short.initialisms if person else short.acronyms
    if not candidates:
        return
    kept = [
        (i, t.text)
        for i, t in enumerate(long.tokens)
        if t.kind != "legal" and t.text not in ACRONYM_SKIPS
    ]
    if len(kept) < 2:
        return
    initials = "".join(text[0] for _, text in kept)
    for position, text in candidates:
        start = initials.find(text)
        if start < 0:
            continue
        run = kept[start : start + len(text)]
        first, last = run[0][0], run[-1][0]
        covered = tuple(range(first, last + 1))
        spelled = " ".join(long.tokens[i].text for i in covered)
        yield (position,), covered, text, spelled


def _reversed_lineage(q: NameForm, c: NameForm) -> tuple[str, str] | None:
    """'X bin Y' in one name and 'Y bin X' in the other, as written (upper case), or None."""
    for son, father in q.lineage:
        if son != father and (father, son) in c.lineage:
            link = next(t.text for t in q.tokens if t.text in LINEAGE)
            return (f"{son} {link} {father}".upper(), f"{father} {link} {son}".upper())
    return None


def _logograms(name: str) -> str:
    """The characters of a name written wholly in Chinese, Japanese or Korean script,
    traditional Chinese as simplified, or "": such names are the same only with the same
    characters ('习近平' / '习近朋' differ although both read 'xi jin p?ng')."""
    if name.isascii():
        return ""
    text = CJK_SEPARATORS.sub("", name)
    if not text or len(CJK.findall(text)) != len(text):
        return ""
    return str(_HANS.transliterate(text)) if _HANS is not None else text
