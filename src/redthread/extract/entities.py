"""Finding the parties, places and products of a document, one entity each.

The statistical model (spaCy) proposes names; rules add what it misses in this
domain and correct what it gets wrong:

- company names ending in a legal form ("Yerevan Tech Trade LLC", "Guangzhou Mingtai
  Electronics Co., Ltd.", "Bosphorus Makina Ticaret A.S.") or starting with one
  ("OAO Integral", "IEMZ Kupol"), whatever label the model gave them;
- ministries and government departments ("the Russian defense ministry", "China's
  foreign ministry");
- product and model designations ("Garpiya-3", "Shahed-136", "REM 1 attack UAV");
- amounts of money with a currency ("1,350,000 yuan", "$2.4 million");
- identifiers (IMO, MMSI, INN, OGRN, USCC, LEI, SWIFT/BIC, crypto addresses), kept
  with the entity they belong to;
- corrections: possessives ("Kupol's"), a leading "the", think tanks tagged as
  facilities, currencies tagged as organisations, drone models tagged as laws or
  works of art, "UAVs" tagged as an organisation.

Mentions of one party are then grouped: a name and its short form ("IEMZ Kupol",
"Kupol"), an abbreviation defined in parentheses ("Center for a New American
Security (CNAS)"), a surname ("Samuel Bendett", "Bendett"), a model code
("Garpiya-3 (G3)").
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Iterator, Set
from dataclasses import dataclass, field

from followthemoney.types import registry
from spacy.tokens import Doc, Span

from redthread.extract.gazetteer import Gazetteer
from redthread.extract.places import city_names
from redthread.model.extraction import ExtractedEntity, Mention
from redthread.model.ids import stable_id

#: Legal forms that end a company name.
LEGAL_SUFFIX = (
    r"(?:Co\.?,?\s+Ltd\.?|Company\s+Limited|Pte\.?\s+Ltd\.?|Sdn\.?\s+Bhd\.?|Limited|Ltd\.?"
    r"|L\.L\.C\.|LLC|GmbH|AG|PJSC|OJSC|CJSC|JSC|FZE|FZCO|FZ-LLC|DMCC|A\.[SŞ]\.|S\.A\.S\.|S\.A\."
    r"|SARL|S\.r\.l\.|S\.p\.A\.|SpA|SRL|Inc\.?|Corp\.?|Corporation|Co\.|Co\b|PLC|B\.V\.|BV|N\.V\.|NV"
    r"|OOO|LLP|O[UÜ]|AB|AS|SIA|Oy|KG|Kft|d\.o\.o\.|s\.r\.o\.|a\.s\.|FZC)"
)
_BARE_LEGAL_FORM = re.compile(rf"{LEGAL_SUFFIX}\.?")
_BARE_LEGAL_END = re.compile(rf",?\s+{LEGAL_SUFFIX}\.?$")
#: Legal forms (and Russian plant abbreviations) that start a company name.
LEGAL_PREFIX = r"(?:OOO|OAO|ZAO|PAO|AO|JSC|PJSC|TOO|IEMZ|NPO|NPP|FGUP|FSUE|GUP|PT)"
#: a word of a company name; names do not run across lines or sentences; a region in
#: parentheses is part of it ('Hanwei Technology (HK) Limited', '(Shenzhen) Co., Ltd.')
_NAME_WORD = r"(?:[A-Z]\.|[A-Z][\w&'\-]*|\([A-Z][A-Za-z]+\))"
_COMPANY = re.compile(
    rf"(?<![\w-])((?:{_NAME_WORD}(?:,[ \t]+|[ \t]+(?:(?:of|and|&|for)[ \t]+)?)){{1,7}})"
    rf"{LEGAL_SUFFIX}(?![\w])"
)
#: 'Rotterdam-based', 'Cyprus-registered': a place, never part of the name that follows
_PLACE_BASED = re.compile(
    r"(?<![\w-])(?P<place>[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)-(?:based|registered|headquartered)\b"
)
#: Free and special economic zones, where front companies register: places ('the Jebel
#: Ali Free Zone', 'Hamriyah Free Zone', 'the Navoi Free Industrial Economic Zone'),
#: which the model takes for people or organisations; their authorities are organisations
_ZONE = re.compile(
    r"(?<![\w-])(?:[A-Z][\w'-]+ ){1,4}(?:Free |Special |Trade |Economic |Industrial |Export )*"
    r"(?:Free|Economic|Trade|Export Processing) Zone\b(?P<authority> Authority)?"
    r"(?! Company| Corporation)"
)
_ZONE_WORDS = frozenset(
    "Free Special Trade Economic Industrial Export Processing Zone Authority".split()  # noqa: SIM905
)
#: Words for relatives: the FtM Family relationship's roles.
KIN = (
    r"brother-in-law|sister-in-law|son-in-law|daughter-in-law|father-in-law|mother-in-law"
    r"|brother|sister|son|daughter|wife|husband|father|mother|nephew|niece|cousin|uncle|aunt"
)
#: Capitalised words before a surname that are not a given name: titles, roles, months.
_NOT_GIVEN = frozenset(
    """
    President Prime Minister General Colonel Major Captain Admiral Director Chairman Judge
    Senator Governor Secretary Deputy Ambassador Mr Mrs Ms Dr Professor Prof Sir Lord King
    Queen Prince Princess Sheikh Chief Commander Lieutenant Sergeant Representative Justice
    Attorney Defendant Mayor Premier Chancellor Pope Saint Dear Analyst Officer Agent Minister
    January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    """.split()  # noqa: SIM905
)
#: Names in a place only an organisation fills ('a subsidiary of Rosoboronexport', 'the
#: chief executive officer of Netex24'), for names the model does not see
#: A person's role before a company's name in a signature: 'Head of Purchasing, '
_ROLE_BEFORE = re.compile(
    r"(?:[A-Z][\w-]* ){0,3}?(?:Manager|Director|Officer|President|Chairman|Chairwoman|CEO|Head"
    r"|Engineer|Consultant|Analyst|Executive|Secretary|Accountant|Lawyer|Representative|Agent"
    r"|Founder)(?: of [A-Z][\w-]*(?: [A-Z][\w-]*)?)?, "
)
_ROLE_INSIDE = re.compile(
    r", (?:[A-Z][\w-]* ){0,3}?(?:Manager|Director|Officer|President|Chairman|Chairwoman|CEO"
    r"|Head|Founder|Owner)(?: of [A-Z][\w-]*(?: [A-Z][\w-]*)?)?, "
)
_PERSON_NAME = re.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,3}")
_ORG_SLOT = re.compile(
    r"\b(?:(?:subsidiary|division|unit|affiliate|part|(?:chief )?executive officer|director"
    r"|chairman|founder|shareholder) of (?:the )?"
    r"|(?:front|intermediary|proxy) for (?:the )?"
    r"|(?:executive|consultant|adviser|advisor|employee|engineer) (?:of|for|at) (?:the )?"
    r"|(?P<for>(?:worked|works|working) for )"
    r"|(?P<by>(?:owned|controlled) by (?:the )?))"
    r"(?:(?:state|state-owned|defen[cs]e|arms|conglomerate|corporation|company|firm|group"
    r"|holding|maker|manufacturer|bank|agency) )*"
)
_DESCRIBED_ORG = re.compile(
    r"\b(?:through|via|by|from|to|with|and|for) "
    r"(?P<name>[A-Z][\w-]*[a-z][\w-]*(?: [A-Z][\w-]*[a-z][\w-]*){0,3}), "
    r"(?:a|an|(?-i:[A-Z])[\w-]*(?:'s|\u2019s)) "
    r"(?:[\w-]+ ){0,4}?(?:bank|company|firm|exchange house|trader|distributor|supplier"
    r"|manufacturer|maker|forwarder|shipowner|broker)\b"
)
_NAMED_GROUP = re.compile(
    r"\b(?:the|a|an) (?P<name>[A-Z][\w-]*[a-z][\w-]*(?: [A-Z][\w-]*[a-z][\w-]*){0,2}) "
    r"(?:holding|group|concern|conglomerate|consortium|state corporation)\b(?! of)"
)
_NAMED_VESSEL = re.compile(
    r"\b(?:the|a|an) (?:[\w-]+ )?(?:tanker|vessel|freighter|bulk carrier|container ship|cargo ship"
    r"|ship) (?:named |called )?(?P<name>[A-Z][\w-]*[a-z][\w-]*(?: [A-Z][\w-]*[a-z][\w-]*){0,2})"
    r"(?=[\s,.;:)(]|$)"
)
_SLOT_NAME = re.compile(r"[A-Z][\w-]*[a-z0-9][\w-]*(?: [A-Z][\w-]+){0,3}")
#: What may follow a name in such a slot: punctuation, the end, or a clause
_SLOT_END = re.compile(
    r"(?:[,.;:)]|$|\s+(?:and|which|that|who|in|since|until|for|to|from|is|was|were|has|had)\b)"
)
_PREFIXED = re.compile(rf"(?<![\w-]){LEGAL_PREFIX}\s+[«\"]?(?:[A-Z][\w\-]+)(?:\s+[A-Z][\w\-]+)?")
_MINISTRY = re.compile(
    r"(?:(?P<country>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)(?:\u2019s|'s)?\s+)?"
    r"(?P<body>(?:[Dd]efen[cs]e|[Ff]oreign|[Ff]inance|[Ee]conomy|[Ii]nterior|[Tt]rade|[Ii]ndustry"
    r"|[Jj]ustice|[Ee]nergy)\s+[Mm]inistry)"
)
#: A state's forces, named by its adjective: 'the Belarusian armed forces', 'the Russian navy'
_FORCES = re.compile(
    r"(?<![\w-])(?P<country>[A-Z][a-z]+) (?:armed forces|army|navy|air force|military"
    r"|border guards?|national guard|coast guard)\b"
)
_PRODUCT = re.compile(r"(?<![\w-])[A-Z][a-z]+-(?:[A-Z]{0,2}\d{1,3}[A-Z]?|\d{1,4}[A-Z]?)(?![\w-])")
_PRODUCT_CODE = re.compile(
    r"(?<![\w-])[A-Z]{1,5}[- ]?\d{1,4}[A-Z]?(?![\w-])"
    r"(?=\s+(?:[\w-]+\s+){0,2}(?:drones?|UAVs?|missiles?|engines?|aircraft|helicopters?|radars?|rockets?)\b)"
)
#: An amount with its currency: '$2.4 million', '1,350,000 yuan'.
MONEY = (
    r"(?:[$€£¥]\s?\d[\d,.]*(?:\s(?:million|billion|thousand))?"
    r"|(?:USD|EUR|CNY|RMB|RUB|AED|HKD|GBP)\s?\d[\d,.]*\d(?:\s(?:million|billion|thousand))?"
    r"|\d[\d,.]*(?:\s(?:million|billion|thousand))?\s(?:Chinese\s)?(?:yuan|renminbi|rubles?|roubles?"
    r"|euros?|dollars?|USD|CNY|RMB|EUR|RUB|AED|HKD|GBP))"
)
_MONEY = re.compile(MONEY)
#: Currency words and signs, and the ISO code each means.
CURRENCIES = {
    "$": "USD",
    "us$": "USD",
    "dollar": "USD",
    "usd": "USD",
    "€": "EUR",
    "euro": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "ruble": "RUB",
    "rouble": "RUB",
    "rub": "RUB",
    "aed": "AED",
    "hkd": "HKD",
}
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(million|billion|thousand)?", re.IGNORECASE)
_MULTIPLIER = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


def money_details(value: str) -> dict[str, str]:
    """{'amount': '2400000', 'currency': 'USD'} from '$2.4 million', '1,350,000 yuan'."""
    details: dict[str, str] = {}
    lowered = value.lower()
    for word, code in CURRENCIES.items():
        if (len(word) == 1 and word in lowered) or re.search(rf"\b{re.escape(word)}s?\b", lowered):
            details["currency"] = code
            break
    match = _AMOUNT.search(value)
    if match and any(ch.isdigit() for ch in match.group(1)):
        number = float(match.group(1).replace(",", ""))
        number *= _MULTIPLIER.get((match.group(2) or "").lower(), 1)
        details["amount"] = f"{number:.0f}" if number == int(number) else f"{number:.2f}"
    return details


#: Identifier patterns and the FtM property each fills.
IDENTIFIERS = (
    (re.compile(r"\bIMO[:\s#]*(\d{7})\b"), "imoNumber"),
    (re.compile(r"\bMMSI[:\s#]*(\d{9})\b"), "mmsi"),
    (re.compile(r"\bINN[:\s#]*(\d{12}|\d{10})\b"), "innCode"),
    (re.compile(r"\bOGRN[:\s#]*(\d{15}|\d{13})\b"), "ogrnCode"),
    (
        re.compile(r"\b(?:USCC|[Uu]nified [Ss]ocial [Cc]redit [Cc]ode)[:\s#]*([0-9A-Z]{18})\b"),
        "uscCode",
    ),
    (re.compile(r"\bLEI[:\s#]*([A-Z0-9]{20})\b"), "leiCode"),
    (
        re.compile(
            r"\b(?:SWIFT|BIC)(?:/BIC)?(?: code)?[:\s#]*([A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)\b"
        ),
        "swiftBic",
    ),
    (re.compile(r"\b(0x[a-fA-F0-9]{40})\b"), "cryptoWallets"),
    (re.compile(r"\b(bc1[a-z0-9]{25,59})\b"), "cryptoWallets"),
)
COMPANY_WORDS = frozenset(
    """
    company corporation concern group holding holdings trading logistics
    shipping electronics industries plant factory works bank aviation maritime
    energy technologies components makina ticaret
    """.split()  # noqa: SIM905
)
#: Words that make a name an organisation whatever the model's label.
ORG_WORDS = COMPANY_WORDS | frozenset(
    """
    industry industrial institute institution centre center council committee
    ministry department agency service bureau office university academy
    association union foundation fund authority commission technology systems
    avionika
    """.split()  # noqa: SIM905
)
PUBLIC_WORDS = frozenset(
    [
        "ministry",
        "department",
        "agency",
        "council",
        "committee",
        "authority",
        "commission",
        "bureau",
        "office",
    ]
)
#: Currencies the model tags as organisations.
CURRENCY_WORDS = frozenset(
    [
        "yuan",
        "renminbi",
        "ruble",
        "rubles",
        "rouble",
        "roubles",
        "dollar",
        "dollars",
        "euro",
        "euros",
        "rial",
        "rials",
    ]
)
GENERIC_NAMES = frozenset(
    [
        "uav",
        "uavs",
        "seller",  # 'the Seller's account': a contract's defined terms
        "buyer",
        "consignee",
        "claimant",
        "defendant",
        "respondent",
        "drone",
        "drones",
        "ukraine",
        "customs",
        "linkedin",
        "the",
        "company",
        "the",
        "firm",
        "cnc",
    ]
)
_LEADING = re.compile(r"^(?:the|a|an|The|A|An)\s+")
_POSSESSIVE = re.compile(r"(?:['\u2019]s|['\u2019])$")
LABELS = {"ORG": "org", "PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "org"}


@dataclass
class _Span:
    start: int
    end: int
    label: str  # org, person, place, product, money, public
    rule: bool = False
    legal: bool = False  # a legal form in the name


@dataclass
class _Cluster:
    kind: str
    names: list[str]
    mentions: list[Mention] = field(default_factory=list)
    legal: bool = False
    aliases: set[str] = field(default_factory=set)

    @property
    def canonical(self) -> str:
        return self.names[0]


def _words(name: str) -> list[str]:
    return list(_word_tuple(name))


@functools.lru_cache(maxsize=65_536)
def _word_tuple(name: str) -> tuple[str, ...]:
    """A name's words in lower case, computed once per name (names recur in every
    comparison of the grouping)."""
    return tuple(_WORD.findall(name.lower()))


_WORD = re.compile(r"[\w\-]+")


def text_of(doc: Doc) -> str:
    """The text of a Doc, joined once (spaCy joins its tokens on every ``doc.text``)."""
    text = doc.user_data.get("redthread.text")
    if text is None:
        text = doc.user_data["redthread.text"] = doc.text
    return str(text)


def find_spans(doc: Doc, gazetteer: Gazetteer | None = None) -> list[_Span]:
    """Names in the text: the rules' and the listed names first, then the model's where
    they do not overlap."""
    text = text_of(doc)
    spans: list[_Span] = []
    if gazetteer is not None:
        for start, end, schema in gazetteer.spans(text):
            kind = "person" if schema == "Person" else "org"
            spans.append(_Span(start, end, kind, rule=True, legal=schema == "Company"))
    norp = [(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in ("NORP", "GPE")]
    for match in _COMPANY.finditer(text):
        start, end = match.start(), match.end()
        # a nationality or place before the name is not part of it ("Turkish Acme A.S."),
        # but a Chinese company's name begins with its place ("Shandong Haiyue Refining
        # Co., Ltd.")
        chinese = _CHINESE_FORM.search(text, start, end) is not None
        for n_start, n_end, label in norp:
            if (
                n_start == start
                and n_end < end
                and not (chinese and label == "GPE")
                and (label == "GPE" or registry.country.clean(text[n_start:n_end]) is not None)
            ):  # ('Spetsteknika LLC': the model's NORP that is no nationality stays)
                start = n_end + 1
                while start < end and text[start] in ", ":
                    start += 1  # 'Urumqi, Xinjiang Tianshan Freight Co.'

        inside = _ROLE_INSIDE.search(text, start, end)
        if inside and _PERSON_NAME.fullmatch(text, start, inside.start()):
            # 'Signed: Aibek Toktogulov, Director, Alatoo Tech Import LLC': the person
            spans.append(_Span(start, inside.start(), "person", rule=True))
        role = _ROLE_BEFORE.match(text, start, end) or inside
        if role:  # 'Procurement Manager, Minsk Optics JSC', 'P, Director, X' in a signature
            start = role.end()
        words = text[start:end].split()
        while words and (
            words[0] in ("The", "A", "An", "According", "Today", "Also", "Both")
            or _PLACE_BASED.fullmatch(words[0])
            or words[0].islower()  # 'Scotland for National Air Traffic Services Ltd'
        ):
            start += len(words[0]) + 1
            words = words[1:]
        if len(words) >= 2:
            spans.append(_Span(start, end, "org", rule=True, legal=True))
    for match in _PREFIXED.finditer(text):
        spans.append(_Span(match.start(), match.end(), "org", rule=True, legal=True))
    for match in _PLACE_BASED.finditer(text):
        spans.append(_Span(match.start("place"), match.end("place"), "place", rule=True))
    for match in _ZONE.finditer(text):
        start = match.start()
        if text.startswith(("The ", "A ", "An "), start):
            start = text.index(" ", start) + 1
        if not set(text[start : match.end()].split()) - _ZONE_WORDS:
            continue  # 'a Special Economic Zone': no name
        kind = "org" if match.group("authority") else "place"
        spans.append(_Span(start, match.end(), kind, rule=True))
    for match in _MINISTRY.finditer(text):
        start = match.start("country") if match.group("country") else match.start("body")
        spans.append(_Span(start, match.end(), "public", rule=True))
    for match in _FORCES.finditer(text):
        if registry.country.clean(match.group("country")) is not None:
            spans.append(_Span(match.start(), match.end(), "public", rule=True))
    for pattern in (_PRODUCT, _PRODUCT_CODE):
        for match in pattern.finditer(text):
            spans.append(_Span(match.start(), match.end(), "product", rule=True))
    for match in _MONEY.finditer(text):
        spans.append(_Span(match.start(), match.end(), "money", rule=True))
    # 'To: Oleg Merkulov <merkulov@...>': an email's people, whatever the model says
    for match in _HEADER_PERSON.finditer(text):
        if not any(w in ORG_WORDS for w in _words(match.group("name"))):
            spans.append(_Span(match.start("name"), match.end("name"), "person", rule=True))
    spans = _without_overlaps(spans)
    taken = [(s.start, s.end) for s in spans]
    for ent in doc.ents:
        span = _model_span(ent.start_char, ent.end_char, ent.label_, text)
        if span is None:
            continue
        if ent.label_ == "PERSON" and len(ent) == 1 and ent.start > 0:
            # 'Farzin Nadimi', of which the model took only 'Nadimi': the given name before
            given = doc[ent.start - 1]
            if (
                given.pos_ == "PROPN"
                and given.is_title
                and given.is_alpha
                and len(given) > 2
                and not given.is_stop
                and not given.ent_type_
                and given.whitespace_ == " "
                and given.text not in _NOT_GIVEN
            ):
                span = _Span(given.idx, span.end, span.label)
        if ent.label_ == "PERSON" and len(ent) == 2 and ent.start > 0:
            # 'Han Jin Myong', of which the model took 'Han' for a people
            surname = doc[ent.start - 1]
            if (
                surname.text in _EAST_ASIAN_SURNAMES
                and surname.ent_type_ in ("", "NORP")
                and surname.whitespace_ == " "
            ):
                span = _Span(surname.idx, span.end, span.label)
        if ent.label_ == "ORG" and span.label == "org" and ent.start > 0:
            span = _with_first_word(doc, ent.start, span)  # 'Bright Harbour Logistics'
        if span.label in ("org", "public"):
            span = _with_joined_word(doc, ent, span)  # '... of Industrialists and Entrepreneurs'
        if any(s < span.end and span.start < e for s, e in taken):
            continue
        spans.append(span)
        taken.append((span.start, span.end))
    _unseen_cities(doc, spans, taken)
    adjectives = [
        (e.start_char, e.end_char)
        for e in doc.ents
        if e.label_ == "NORP"
        and re.search(r"(?:an|ese|ish|i|ch)$", e.text)
        and registry.country.clean(e.text) is not None
    ]  # 'Russian', 'Chinese'; the model calls some names NORP too ('Rostec', 'Yanbian')
    for match in _ORG_SLOT.finditer(text):
        # the whole name fills the slot: not a possessive ("North Korea's Munitions
        # Industry Department"), not an adjective ("the Russian state-owned company")
        name = _SLOT_NAME.match(text, match.end())
        if name is None or not _SLOT_END.match(text, name.end()):
            continue
        if (match.group("by") or match.group("for")) and " " in name.group(0):
            continue  # 'owned by Hamid Rezaei': people own and control too; 'by Rostec' is one word
        place = next((s for s in spans if s.start == name.start() and s.label == "place"), None)
        if place is not None:
            if place.end == name.end() and not match.group(0).startswith("part"):
                place.label = "org"  # 'a subsidiary of Rosoboronexport', taken for a place
            continue
        person = next((s for s in spans if s.start == name.start() and s.label == "person"), None)
        if person is not None:
            if person.end == name.end() and not match.group("by"):
                person.label = "org"  # 'the chief executive of Radioavtomatika'
            continue
        if any(s < name.end() and name.start() < e for s, e in [*taken, *adjectives]):
            continue
        if name.group(0).split()[0] in ("The", "A", "An", "This", "That", "It"):
            continue
        spans.append(_Span(name.start(), name.end(), "org"))
        taken.append((name.start(), name.end()))
    # 'through Arvand Exchange, a money exchange house in Tehran'
    _described_names(_DESCRIBED_ORG, text, spans, [*taken, *adjectives], taken)
    if gazetteer is not None and gazetteer.single:
        _single_listed_names(doc, gazetteer, spans, taken)
    # 'owned by the Novator holding': a name the model does not see, before what it is
    _described_names(_NAMED_GROUP, text, spans, [*taken, *adjectives], taken)
    # 'the tanker Arctic Dawn': a vessel's name the model does not see
    _described_names(_NAMED_VESSEL, text, spans, [*taken, *adjectives], taken)
    _places_named_like_companies(text, spans)
    spans.sort(key=lambda s: s.start)
    return spans


def _places_named_like_companies(text: str, spans: list[_Span]) -> None:
    """A 'place' that is a company's name without its legal form ('Spetsteknika' after
    'Spetsteknika LLC') or its first word ('Ekran' after 'Ekran Optical Systems'), and
    no city or country, is that company."""
    short = {
        _BARE_LEGAL_END.sub("", text[s.start : s.end]).strip()
        for s in spans
        if s.label == "org" and s.legal
    }
    firsts = {
        text[s.start : s.end].split()[0]
        for s in spans
        if s.label == "org" and len(text[s.start : s.end].split()) >= 2
    }
    for span in spans:
        name = text[span.start : span.end]
        possessive = text.startswith(("'s", "\u2019s"), span.end)  # 'Ekran's website'
        if (
            span.label == "place"
            and not span.rule
            and (name in short or (name in firsts and possessive))
            and name not in city_names()
            and registry.country.clean(name) is None
        ):
            span.label = "org"


def _with_first_word(doc: Doc, first: int, span: _Span) -> _Span:
    """An organisation's name with the capitalised word before it that the model left out
    ('Our partner Bright Harbour Logistics', of which it took 'Harbour Logistics'): a
    word of no other name, not a title, at the start of a sentence only where the text
    writes the longer name elsewhere too."""
    word = doc[first - 1]
    if not (
        word.is_title
        and word.is_alpha
        and not word.ent_type_
        and not word.is_stop
        and word.whitespace_ == " "
        and word.text not in _NOT_GIVEN
        and word.text not in _LEADING_WORDS
    ):
        return span
    text = text_of(doc)
    longer = text[word.idx : span.end]
    if word.is_sent_start and text.count(longer) < 2:
        return span
    return _Span(word.idx, span.end, span.label)


def _with_joined_word(doc: Doc, ent: Span, span: _Span) -> _Span:
    """An organisation 'of' something whose name the model cut at 'and': 'the Russian Union
    of Industrialists and Entrepreneurs', 'the Ministry of Industry and Trade'; only one
    capitalised word of no other name, followed by no other capitalised word."""
    if " of " not in ent.text or ent.end + 2 > len(doc):
        return span
    joiner, word = doc[ent.end], doc[ent.end + 1]
    following = doc[ent.end + 2] if ent.end + 2 < len(doc) else None
    if (
        joiner.text == "and"
        and word.is_title
        and word.is_alpha
        and not word.ent_type_
        and (following is None or not following.is_title)
    ):
        return _Span(span.start, word.idx + len(word.text), span.label)
    return span


def _unseen_cities(doc: Doc, spans: list[_Span], taken: list[tuple[int, int]]) -> None:
    """Cities the model saw no name in at all, where the words before say a place: 'a
    private refinery in Dongying'. Never inside another name, never a word the text
    also writes in lower case ('in Split' next to 'a split'), never a month."""
    text = text_of(doc)
    cities = city_names()
    seen = [(e.start_char, e.end_char) for e in doc.ents]
    for match in _CITY_NAME.finditer(text):
        name = match.group()
        if name not in cities or name in _MONTHS:
            continue
        start, end = match.span()
        before = text[max(0, start - 12) : start]
        if not (
            _CITY_BEFORE.search(before)
            or (_THEIR_BEFORE.search(before) and SITE_NOUN.match(text, end))
            or text.startswith("-based", end)
        ):
            continue
        if any(s < end and start < e for s, e in [*taken, *seen]):
            continue
        if re.search(rf"\b{re.escape(name.lower())}\b", text):
            continue
        spans.append(_Span(start, end, "place"))
        taken.append((start, end))


#: Korean and Chinese family names the model may take for something else ('Han' as the
#: Han people) before a two-word given name
_EAST_ASIAN_SURNAMES = frozenset(
    "Han Kim Ri Pak Choe Jang Jong Kang Yun Ko Hwang Sin Ryu Jo Chon Paek Ju Ho Kwon Ma Wang"  # noqa: SIM905
    " Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Hu Zhu Gao Lin Guo Luo Song Tang".split()
)
#: Capitalised words that begin sentences and lists, not names
_LEADING_WORDS = frozenset(
    "The A An According Today Also Both Among Under After Before While When Since In On At"  # noqa: SIM905
    " For From With By Our Their His Her Its Please Dear".split()
)
_MONTHS = frozenset(
    "January February March April May June July August September October November December".split()  # noqa: SIM905
)


def _without_overlaps(spans: list[_Span]) -> list[_Span]:
    """Longest first; a span overlapping a kept one is dropped."""
    kept: list[_Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not any(k.start < span.end and span.start < k.end for k in kept):
            kept.append(span)
    return kept


#: What a place before it makes a company of its place: 'a Moscow company'
PLACE_NOUN = re.compile(
    r" (?:[\w-]+ ){0,2}?(?:company|firm|trader|trading company|distributor|manufacturer"
    r"|supplier|freight forwarder|forwarder|shipping agent|agent|exporter|importer|bank"
    r"|shipowner|shipping company|operator|maker|factory|plant|broker|front company"
    r"|shell company|conglomerate|exchange|subsidiary|foundation|trust|fund|holding company"
    r"|wholesaler|refinery)\b"
)
#: Words before a name that make it a place when it is a city's ('to Bandar Abbas')
_PLACE_BEFORE = re.compile(
    r"\b(?:in|to|from|near|via|through|into|outside) (?:the )?$", re.IGNORECASE
)
_A_BEFORE = re.compile(r"\b(?:a|an|the) $", re.IGNORECASE)
#: 'our Almaty warehouse', "Kupol's Izhevsk plant": a party's site, named by its place
_THEIR_BEFORE = re.compile(r"(?:\b(?:our|its|their|his|her)|'s|\u2019s) $", re.IGNORECASE)
SITE_NOUN = re.compile(
    r" (?:warehouse|warehouses|headquarters|head office|offices?|plant|factory|branch"
    r"|depot|refinery|shipyard|address)\b"
)
_CHINESE_FORM = re.compile(r"\bCo\.?,? (?:Ltd|Limited)\.?$|\bCompany Limited$")
#: What follows a form's label at the start of a line: 'Seller: ...'
_FIELD_LABEL = re.compile(r"[ \t]*:")
#: An email header's name with its address: 'To: Oleg Merkulov <merkulov@...>'
_HEADER_PERSON = re.compile(
    r"^(?:From|To|Cc|Bcc|Reply-To):[ \t]*(?P<name>[A-Z][\w'.-]*(?: [A-Z][\w'.-]*){1,3})"
    r"[ \t]*<[^<>@\s]+@[^<>\s]+>",
    re.MULTILINE,
)
#: A person's role just before a name: 'Its owner, Murat Aydin'
_PERSON_ROLE_BEFORE = re.compile(
    r"(?:\b(?:[Ii]ts|[Tt]heir|[Oo]ur)|'s|\u2019s) (?:[\w-]+ )?(?:owner|co-owner|shareholder"
    r"|director|chief executive|chairman|founder|manager|president|lawyer|spokesman"
    r"|spokeswoman),? $"
)
#: Words before a city's name the model did not see at all ('a refinery in Dongying')
_CITY_BEFORE = re.compile(r"\b(?:in|to|from|near|via|through|into|outside|at) (?:the )?$")
_CITY_NAME = re.compile(r"(?<![\w-])[A-Z][\w'\u2019-]+(?: [A-Z][\w'\u2019-]+){0,2}(?![\w-])")
#: The last word of an organisation's name, which the model may take alone
_ORG_TAILS = frozenset({"Group", "Company", "Corporation", "Concern", "Holding", "Holdings"})
_NAME_BEFORE = re.compile(r"(?<![\w-])(?:[A-Z][\w-]* )+$")
#: What follows the name of a product model: 'the US Reaper drone', 'Lancet loitering munitions'
_PRODUCT_NOUN = re.compile(
    r"\s+(?:drones?|UAVs?|missiles?|loitering munitions?|rockets?|helicopters?|radars?)\b"
)


def _a_place_here(text: str, start: int, end: int) -> bool:
    """Whether the words around a name make it a place: 'to X', 'in X', 'a X company'."""
    before = text[max(0, start - 14) : start]
    return bool(
        _PLACE_BEFORE.search(before)
        or (_A_BEFORE.search(before) and PLACE_NOUN.match(text, end))
        or (_THEIR_BEFORE.search(before) and SITE_NOUN.match(text, end))
        or text.startswith("-based", end)
    )


def _described_names(
    pattern: re.Pattern[str],
    text: str,
    spans: list[_Span],
    blocked: list[tuple[int, int]],
    taken: list[tuple[int, int]],
) -> None:
    """Organisations the words around them describe (``pattern``'s ``name`` group), where
    nothing else stands already."""
    for match in pattern.finditer(text):
        start, end = match.span("name")
        if not any(s < end and start < e for s, e in blocked):
            spans.append(_Span(start, end, "org"))
            blocked.append((start, end))
            taken.append((start, end))


def _single_listed_names(
    doc: Doc, gazetteer: Gazetteer, spans: list[_Span], taken: list[tuple[int, int]]
) -> None:
    """A listed organisation's one-word name ('Rostec', 'Uralvagonzavod') where the model
    saw nothing: only as a proper noun written with a capital, and never written in lower
    case in the text (where 'Vector' or 'Granit' is also an ordinary word)."""
    lower = {t.text for t in doc if t.is_lower}
    for token in doc:
        word = token.text.lower()
        schema = gazetteer.single.get(word)
        if schema is None or word in lower or token.pos_ != "PROPN":
            continue
        if not (token.is_title or token.is_upper):
            continue
        start, end = token.idx, token.idx + len(token.text)
        if any(s < end and start < e for s, e in taken):
            continue
        kind = "public" if schema == "PublicBody" else "org"
        spans.append(_Span(start, end, kind, rule=True, legal=schema == "Company"))
        taken.append((start, end))


def country_of(name: str) -> str | None:
    """The country code of a country's own name ('Seychelles', 'North Korea'); None for
    its adjective ('Swiss'), for a city that cleans to its country ('Moscow') and for a
    territory that is no state ('Hong Kong')."""
    code = registry.country.clean(name)
    if code is None:
        return None
    caption = registry.country.caption(code)
    if caption.endswith("SAR") or caption.lower() != name.lower():
        return None
    return code


def _model_span(start: int, end: int, label: str, text: str) -> _Span | None:
    """The model's entity, corrected: no leading article, no possessive, the right kind."""
    value = text[start:end]
    lead = _LEADING.match(value)
    if lead:
        start += lead.end()
        value = text[start:end]
    possessive = _POSSESSIVE.search(value)
    if possessive and label in ("ORG", "PERSON", "GPE", "FAC", "NORP"):
        end -= len(possessive.group())
        value = text[start:end]
    if "(" in value and ")" not in value:  # "Office of Foreign Assets Control (OFAC"
        end = start + value.index("(")
        value = text[start:end]
    value = value.strip()
    end = start + len(value)
    if label == "ORG" and value in _ORG_TAILS:
        # "ZALA Aero Group's chief designer", of which the model took only "Group"
        head = _NAME_BEFORE.search(text, 0, start)
        if head is None:
            return None
        start = head.start()
        value = text[start:end]
    if not value or value.lower() in GENERIC_NAMES or _BARE_LEGAL_FORM.fullmatch(value):
        return None  # ('LLC' alone, of which the model left out the name)
    if _FIELD_LABEL.match(text, end) and (start == 0 or text[start - 1] == "\n"):
        return None  # 'Seller:', 'Consignee:': a form's label, not a name
    if re.match(r"(?:IMO|MMSI|INN|OGRN|LEI|USCC|SWIFT|BIC)\b", value):
        return None  # an identifier, kept with its party
    words = _words(value)
    if label == "ORG" and _PRODUCT_NOUN.match(text, end):
        return _Span(start, end, "product")  # "the US Reaper drone"
    if label == "MONEY":
        return _Span(start, end, "money")
    if label in ("LAW", "WORK_OF_ART", "PRODUCT", "ORG") and (
        _PRODUCT.fullmatch(value) or re.fullmatch(r"[A-Z]{1,4}\d{1,4}[A-Z]?", value)
    ):
        return _Span(start, end, "product")  # drone models tagged as laws or works of art
    if label == "ORG" and words and words[-1] in CURRENCY_WORDS:
        return None  # "Chinese yuan"
    if label == "ORG" and "\n" in value:
        return None
    kind = LABELS.get(label)
    if label == "NORP" and country_of(value):
        kind = "place"  # 'registered in the Seychelles', which the model took for a people
    if kind is None:
        if label in ("WORK_OF_ART", "PRODUCT") and any(w in ORG_WORDS for w in words):
            kind = "org"
        else:
            return None
    if kind == "place" and (
        (any(w in ORG_WORDS - {"office"} for w in words) and len(words) > 1) or " & " in value
    ):
        kind = "org"  # 'the Russian Union of Industrialists', 'Schulz & Weber' are no places
    if kind in ("person", "org") and value in city_names() and _a_place_here(text, start, end):
        kind = "place"  # 'to Bandar Abbas', 'an Almaty freight forwarder'
    if kind == "org" and label == "ORG" and not value.isupper() and registry.country.clean(value):
        kind = "place"  # 'a Cyprus company': a country, which the model took for its name
    if (
        kind == "org"
        and label == "ORG"
        and not any(w in ORG_WORDS for w in words)
        and 2 <= len(words) <= 4
        and all(w[:1].isupper() for w in value.split())
        and _PERSON_ROLE_BEFORE.search(text[max(0, start - 40) : start])
    ):
        kind = "person"  # 'Its owner, Murat Aydin'
    if kind == "place" and _VESSEL_BEFORE.search(text[max(0, start - 40) : start]):
        kind = "org"  # 'the tanker Arctic Dawn': a vessel, which the model took for a place
    if kind == "person" and " " not in value and value.lower().endswith("bank"):
        kind = "org"  # 'Gazprombank', which the model took for a person
    if kind == "org" and any(w in PUBLIC_WORDS for w in words):
        kind = "public"
    if (
        label == "FAC"
        and kind == "org"
        and not any(w in ORG_WORDS for w in words)
        and "&" not in value
    ):
        kind = "place"
    if kind == "person" and "\n" in value:
        end = start + value.index("\n")
    return _Span(start, end, kind)


def group_mentions(doc: Doc, spans: list[_Span], document_id: str) -> list[ExtractedEntity]:
    """One entity per party, place or product named in the document."""
    text = text_of(doc)
    clusters: list[_Cluster] = []
    by_name: dict[str, _Cluster] = {}
    aliases = _parenthesised_aliases(text, spans)
    for span in sorted(spans, key=lambda s: -(s.end - s.start)):  # long names first
        if span.label == "money":
            continue
        name = text[span.start : span.end].strip()
        key = " ".join(_words(name))
        if not key:
            continue
        mention = Mention(span.start, span.end, name, span.label)
        cluster = by_name.get(key)
        if cluster is None and key in aliases:
            cluster = by_name.get(aliases[key])
        if cluster is None:
            cluster = _short_form_of(key, span.label, clusters)
        if cluster is None:
            cluster = _Cluster(span.label, [name], legal=span.legal)
            clusters.append(cluster)
        elif name not in cluster.names:
            cluster.names.append(name)
        cluster.legal |= span.legal
        if span.rule and span.label in ("org", "public") and cluster.kind == "person":
            cluster.kind = span.label  # a legal form or ministry beats the model's label
        cluster.mentions.append(mention)
        by_name[key] = cluster
    for short, long in aliases.items():
        cluster = by_name.get(long)
        if cluster is not None and short not in by_name:
            original = next(
                (
                    m.group(1)
                    for m in re.finditer(r"\(([^()\n]{1,30})\)", text)
                    if " ".join(_words(m.group(1))) == short
                ),
                None,
            )
            if original:
                cluster.names.append(original.strip())
                by_name[short] = cluster
    _mentions_the_model_missed(text, clusters)
    split_off: list[_Cluster] = []
    for cluster in clusters:
        # the kind most mentions have, unless a legal form says organisation
        kinds = [m.label for m in cluster.mentions]
        if not cluster.legal and cluster.kind not in ("public", "product"):
            cluster.kind = max(set(kinds), key=lambda k: (kinds.count(k), k == cluster.kind))
        if cluster.kind in ("person", "place") and any(
            w in COMPANY_WORDS for name in cluster.names for w in _words(name)
        ):
            cluster.kind = "org"
        if any(text[m.end : m.end + 6] == "-based" for m in cluster.mentions):
            cluster.kind = "place"  # 'Kyiv-based': whatever the model said, a place
        elif not cluster.legal and cluster.kind in ("person", "org"):
            described = _described_kind(text, cluster)
            if described is not None:
                cluster.kind = described
        elif cluster.kind == "place":
            described_names = {
                m.text for m in cluster.mentions if _ORG_AFTER.match(text[m.end : m.end + 80])
            }
            if described_names:
                # 'Uralvagonzavod, Russia's main tank manufacturer'; a place written as a
                # shorter name stays one ('Darfur' of 'Darfur Golden Sands Mining')
                cluster.kind = "org"
                places = [m for m in cluster.mentions if m.text not in described_names]
                if places:
                    cluster.mentions = [m for m in cluster.mentions if m.text in described_names]
                    cluster.names = [n for n in cluster.names if n in described_names]
                    names = list(dict.fromkeys(m.text for m in places))
                    split_off.append(_Cluster("place", names, places))
        cluster.mentions.sort(key=lambda m: m.start)
    return [_entity(c, document_id, text) for c in [*clusters, *split_off]]


def _mentions_the_model_missed(text: str, clusters: list[_Cluster]) -> None:
    """Every other place the document writes a name it uses elsewhere ('Golden Wave
    Shipping' at the start of a sentence, where the model saw nothing)."""
    taken = sorted((m.start, m.end) for c in clusters for m in c.mentions)
    exact = set(taken)
    # words that name people or places are never a company's first word alone
    blocked = {
        w for c in clusters if c.kind in ("person", "place") for n in c.names for w in n.split()
    }
    firsts = Counter(n.split()[0] for c in clusters if c.kind == "org" for n in c.names[:1])
    names = sorted(
        (
            (name, c)
            for c in clusters
            for name in _scan_names(c, text, blocked, firsts)
            if c.kind != "money"
        ),
        key=lambda x: -len(x[0]),
    )
    for name, cluster in names:
        words = _words(name)
        short = len(name) < 3 and not (cluster.kind == "product" and any(c.isdigit() for c in name))
        if short or not words or all(w in ORG_WORDS for w in words):
            continue
        plural = cluster.kind == "product"  # 'two G3s'
        for match_start, match_end in _occurrences(text, name, plural):
            if (match_start, match_end) in exact:
                continue  # a mention already: the common case, checked first
            inside = [m for m in cluster.mentions if match_start <= m.start and m.end <= match_end]
            if inside and len(inside[0].text) < len(name):
                # 'Bright Crest is', where the model saw only 'Crest': the whole name
                for mention in inside:
                    cluster.mentions.remove(mention)
                    taken.remove((mention.start, mention.end))
                    exact.discard((mention.start, mention.end))
            if _overlaps(taken, match_start, match_end):
                continue
            label = cluster.mentions[0].label if cluster.mentions else cluster.kind
            written = text[match_start:match_end]
            cluster.mentions.append(Mention(match_start, match_end, written, label))
            bisect.insort(taken, (match_start, match_end))
            exact.add((match_start, match_end))
            if name not in cluster.names:
                cluster.names.append(name)


#: The longest name a mention may have, so that an overlap is looked for near a span only
_LONGEST_MENTION = 300


def _word_char(char: str) -> bool:
    return char.isalnum() or char in "_-"


def _occurrences(text: str, name: str, plural: bool) -> Iterator[tuple[int, int]]:
    """Where the text writes a name as whole words (no letter, digit, '_' or '-' on either
    side), and its plural with 's' where ``plural``; str.find is far quicker than a
    regular expression compiled for each name."""
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        if (
            plural
            and text.startswith("s", end)
            and not (end + 1 < len(text) and _word_char(text[end + 1]))
        ):
            end += 1
        if not (at > 0 and _word_char(text[at - 1])) and not (
            end < len(text) and _word_char(text[end])
        ):
            yield at, end
        at = text.find(name, at + 1)


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps a span of ``taken`` (sorted by start)."""
    low = bisect.bisect_left(taken, (start - _LONGEST_MENTION, 0))
    high = bisect.bisect_left(taken, (end, 0))
    return any(s < end and start < e for s, e in taken[low:high])


_SUFFIX_AT_END = re.compile(rf",?\s+{LEGAL_SUFFIX}$")


def _scan_names(
    cluster: _Cluster,
    text: str,
    blocked: Set[str],
    firsts: Counter[str],
) -> list[str]:
    """A cluster's names, a person's surname, and a company's name without its legal form
    ('Golden Wave Shipping LLC' is also written 'Golden Wave Shipping'; 'Tekhnosnab LLC'
    'Tekhnosnab', when the text never writes the word in lower case), or its first word
    alone ('Meridian' of 'Meridian Tanker Holdings Ltd') where that word is distinctive:
    five letters or more, never in lower case, no person's or place's name in the text,
    no country, and the first word of no other organisation's name."""
    names = list(cluster.names)
    kind = cluster.kind
    if kind in ("person", "org") and not cluster.legal:
        kind = _described_kind(text, cluster) or kind  # 'Pavel Orlov, 52,': a person
    if kind == "person":  # 'Bendett' for 'Samuel Bendett'
        for name in cluster.names:
            parts = name.split()
            if len(parts) > 1 and len(parts[-1]) >= 3 and parts[-1] not in names:
                names.append(parts[-1])
    if kind == "org":
        for name in cluster.names:
            short = _SUFFIX_AT_END.sub("", name).strip()
            if (
                short != name
                and short not in names
                and (
                    len(short.split()) >= 2
                    or (
                        len(short) >= 4
                        and short[0].isupper()
                        and short.lower() not in ORG_WORDS
                        and not re.search(rf"(?<![\w-]){re.escape(short.lower())}(?![\w-])", text)
                    )
                )
            ):
                names.append(short)
            first = short.split()[0]
            if (
                len(short.split()) >= 2
                and len(first) >= 5
                and first.isalpha()
                and first[0].isupper()
                and not first.isupper()
                and first.lower() not in ORG_WORDS
                and first not in blocked
                and first not in names
                and firsts[first] <= 1
                and registry.country.clean(first) is None
                and not re.search(rf"(?<![\w-]){re.escape(first.lower())}(?![\w-])", text)
            ):
                names.append(first)
    return names


def _parenthesised_aliases(text: str, spans: list[_Span]) -> dict[str, str]:
    """'Center for a New American Security (CNAS)': the short name in parentheses right
    after a name is that name's alias (key -> the full name's key)."""
    aliases: dict[str, str] = {}
    for span in spans:
        if span.label == "money":
            continue
        match = re.match(r"\s*\(([^()\n]{1,30})\)", text[span.end : span.end + 40])
        if not match:
            continue
        short = match.group(1).strip()
        if re.search(r"\d{4}", short) or re.match(r"(?:IMO|MMSI|INN|OGRN|LEI|USCC)\b", short):
            continue  # an identifier or a date, not a name
        if len(short.split()) <= 3 and short[:1].isupper():
            aliases[" ".join(_words(short))] = " ".join(_words(text[span.start : span.end]))
    return aliases


def _short_form_of(key: str, label: str, clusters: list[_Cluster]) -> _Cluster | None:
    """The one cluster whose name holds ``key`` as a run of its words: 'kupol' in 'iemz
    kupol', 'bendett' in 'samuel bendett'; None when none or several do."""
    words = key.split()
    found: list[_Cluster] = []
    for cluster in clusters:
        if cluster.kind in ("product", "money"):
            continue
        if label == "place" and cluster.kind not in ("place", "person"):
            continue  # 'Guangzhou' is a city, even inside 'Guangzhou Mingtai Electronics'
            # (but 'Yilmaz', taken for a place, is Mehmet Yilmaz's surname)
        for name in cluster.names:
            names = _words(name)
            if cluster.kind == "person" and label in ("person", "org", "place"):
                # a surname ('Bendett', 'De Vries'), or the first of a name written family
                # name first ('Tan' for 'Tan Wei Ming')
                if len(names) > len(words) and (
                    names[-len(words) :] == words or (len(words) == 1 and names[0] == words[0])
                ):
                    found.append(cluster)
                    break
                continue
            if len(words) >= len(names):
                continue
            if any(names[i : i + len(words)] == words for i in range(len(names) - len(words) + 1)):
                if all(w in ORG_WORDS for w in words):
                    continue  # 'the company' is not a short form of every company
                found.append(cluster)
                break
    return found[0] if len(found) == 1 else None


SCHEMATA = {
    "org": "Organization",
    "public": "PublicBody",
    "person": "Person",
    "place": "Address",
    "product": "Project",
}


_PERSON_AFTER = re.compile(
    r"^,? (?:(?:is|was) )?(?:a|an|the) (?:[\w-]+ ){0,3}?(?:businessman|businesswoman|national"
    r"|citizen|resident|executive|researcher|analyst|official|lawyer|spokesman|spokeswoman"
    r"|founder|defendant|entrepreneur|banker|oligarch|engineer|scientist|officer)\b"
    r"|^, \d{1,3}, "  # 'Pavel Orlov, 52, of Brooklyn': an age
)
_ORG_AFTER = re.compile(
    r"^,? (?:(?:is|was) )?(?:a|an|the|(?-i:[A-Z])[\w-]*(?:'s|\u2019s)) (?:[\w-]+ ){0,4}?"
    r"(?:bank|plant|factory|exchange|agency"
    r"|institute|distributor|forwarder|operator|organi[sz]ation|company|firm|manufacturer"
    r"|conglomerate|supplier|trader|maker|producer|group|shipowner|network|subsidiary|unit"
    r"|affiliate|division)\b(?!['\u2019]s)"
)
#: 'the Russian state shipping group Sovcomflot': a name right after what it is
_ORG_BEFORE = re.compile(
    r"\b(?:company|firm|group|conglomerate|concern|bank|maker|manufacturer|exporter|importer"
    r"|shipowner|trader|supplier|producer|holding|distributor|forwarder) $"
)
#: ', who ...': English says 'who' of people and 'which' of organisations
_WHO_AFTER = re.compile(r"^, who\b")
_PERSON_BEFORE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr)\.? $|\b(?:businessman|national|citizen) $"
    rf"|\b(?:{KIN}),? $"  # 'His brother, Saeed Rezaei'
)


def _described_kind(text: str, cluster: _Cluster) -> str | None:
    """What the words around a name say it is: 'Dragan Milic, a Serbian businessman' is a
    person, 'Promsvyazbank, a sanctioned Russian state-owned bank' an organisation."""
    for mention in cluster.mentions:
        after = text[mention.end : mention.end + 80]
        before = text[max(0, mention.start - 20) : mention.start]
        if _PERSON_AFTER.match(after) or _PERSON_BEFORE.search(before):
            return "person"
        if _WHO_AFTER.match(after) and not _ORG_AFTER.match(after[5:]):
            return "person"
        if _ORG_AFTER.match(after) or _ORG_BEFORE.search(before):
            return "org"
    return None


_COMPANY_BEFORE = re.compile(
    r"\b(?:company|firm|manufacturer|conglomerate|concern|supplier|maker|producer|trader)"
    r"(?: called| named| known as)?,? $"
)
_COMPANY_AFTER = re.compile(
    r"^,? (?:is )?(?:a|an|the) (?:[\w-]+ ){0,4}?(?:company|firm|manufacturer|conglomerate"
    r"|maker|producer|supplier|trader|holding company)\b(?!['\u2019]s)"
)


def _described_as_company(text: str, cluster: _Cluster) -> bool:
    """'the weapons company Almaz-Antey', 'TSK Vektor, a Russian defense firm'."""
    return any(
        _COMPANY_BEFORE.search(text[max(0, m.start - 40) : m.start])
        or _COMPANY_AFTER.match(text[m.end : m.end + 80])
        for m in cluster.mentions
    )


def _entity(cluster: _Cluster, document_id: str, text: str = "") -> ExtractedEntity:
    schema = SCHEMATA[cluster.kind]
    if cluster.kind == "org" and (
        cluster.legal
        or any(w in COMPANY_WORDS for n in cluster.names for w in _words(n))
        or _described_as_company(text, cluster)
    ):
        schema = "Company"
    names = sorted(cluster.names, key=lambda n: (-len(n), n))
    if cluster.kind == "person":  # the full name, not the surname
        names = sorted(cluster.names, key=lambda n: (-len(n.split()), -len(n), n))
    entity_id = stable_id("extract", document_id, schema, names[0].lower())
    return ExtractedEntity(
        id=entity_id, schema=schema, names=names, mentions=list(cluster.mentions)
    )


def attach_identifiers(text: str, entities: list[ExtractedEntity]) -> None:
    """Each identifier goes to the party named last before it, in the same sentence
    or right before it ('the tanker Ocean Pearl (IMO 9187655)')."""
    mentions = sorted(
        ((m.start, m.end, e) for e in entities for m in e.mentions if e.schema != "Address"),
        key=lambda x: x[0],
    )
    for pattern, prop in IDENTIFIERS:
        for match in pattern.finditer(text):
            before = [
                e
                for start, end, e in mentions
                if end <= match.start() and match.start() - end < 120
            ]
            if not before:
                continue
            owner = before[-1]
            values = owner.identifiers.setdefault(prop, [])
            if match.group(1) not in values:
                values.append(match.group(1))
            if prop in ("imoNumber", "mmsi") and owner.schema in ("Organization", "Person"):
                owner.schema = "Vessel"  # a ship's name, which the model takes for an organisation
    for entity in entities:
        if entity.schema in ("Organization", "Person") and any(
            _VESSEL_BEFORE.search(text[max(0, m.start - 40) : m.start]) for m in entity.mentions
        ):
            entity.schema = "Vessel"  # 'the cargo vessel Angara Star'


#: A ship's name follows these words: 'the cargo vessel Angara Star', 'the tanker Ocean
#: Pearl' (not 'ship', also a verb, nor 'carrier', also an airline).
VESSEL_NOUN = r"(?:vessel|tanker|freighter|bulk carrier|container ship|cargo ship|dhow|barge)"
_VESSEL_BEFORE = re.compile(rf"\b{VESSEL_NOUN}s? (?:named |called )?$", re.IGNORECASE)


def find_entities(
    doc: Doc, document_id: str, gazetteer: Gazetteer | None = None
) -> tuple[list[ExtractedEntity], list[_Span]]:
    """The document's entities (parties, places, products) and the spans found."""
    spans = find_spans(doc, gazetteer)
    entities = group_mentions(doc, spans, document_id)
    attach_identifiers(text_of(doc), entities)
    return entities, spans
