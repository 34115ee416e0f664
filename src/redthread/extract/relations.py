"""Relations a sentence states between two named parties, with the FtM schema that fits.

A relation is only emitted when the words between (and around) two names in one
sentence say it: "X, a subsidiary of Y", "X acted as an intermediary for Y", "P, a
research fellow at O", "X delivered 400 servo motors to Y". Two names in the same
sentence are not a relation. Each rule is a pattern over the sentence's text with the
two names cut out, anchored at both ends, so that nothing else may stand between
them; the kinds of the two parties are checked too (a person is not a subsidiary).

What the rules produce (FtM schema, edge direction):

- subsidiary of, owned by, owns N%, part of: Ownership, owner -> asset;
- controlled by, controls: Control, controller -> controlled;
- intermediary, agent, front, acts on behalf of: Representation, agent -> client;
- fellow, analyst, manager, consultant at/of: Employment, employee -> employer;
- director, chief executive, head, board member: Directorship, director -> organization;
- member of: Membership, member -> organization;
- brother, wife, son of ('P's brother, Q'): Family, relative -> person, the word as role;
- collaborated with, partner of, traded with: UnknownLink with a role, subject -> object;
- delivered, shipped, supplied, sold (goods) to, received or ordered from: UnknownLink
  with the role 'delivered' or 'supplier', supplier -> recipient, the goods as written;
- operated, managed, chartered (a vessel): UnknownLink, 'operator', 'manager', 'charterer';
- paid: Payment, payer -> beneficiary, amount and currency;
- based, headquartered, registered in, X-based: Address, party -> place;
- develops, produces, designs a product: ProjectParticipant, maker -> product (an FtM
  Project: FtM has no schema for a product model).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from redthread.extract.entities import KIN, VESSEL_NOUN

#: Words that may stand before a name inside a pattern: articles and a few adjectives.
_ADJ = (
    r"(?:(?:the|a|an|its|his|her|their|state-owned|[\w-]+-based|national|citizen|businessman"
    r"|businesswoman|resident|state|defen[cs]e|arms|conglomerate|holding|group|concern"
    r"|corporation|(?-i:[A-Z][\w-]*)(?:'s|\u2019s)?) )*?"
    r"(?:(?:our|your|their|its) (?:[\w-]+ )?(?:agent|partner|forwarder|broker|customer|client"
    r"|subsidiary|distributor|supplier|representative)(?: company| firm)?"
    r"(?: in (?-i:[A-Z])[\w-]*(?: (?-i:[A-Z])[\w-]*)?)?,? )?"
    r"(?:(?:a|an|the) (?:[\w-]+ ){0,3}?(?:company|firm|manufacturer|supplier|trader|distributor"
    r"|exporter|importer|maker|producer|bank|shipowner|broker|forwarder|refinery|wholesaler"
    r"|dealer|operator),? )?"
)
_DESC = r"(?:(?:a|an|the) (?:[\w-]+ ){0,4}?(?:called|named|known as) )?"
_REL = r"(?:,? (?:which|that|who)(?:, according to [^,;]{1,60},)? )"
#: What may stand between a subject and its verb: its age, an apposition, a denial
#: ("Kupol, a subsidiary of Almaz-Antey, produces"; "Petrov, 41, a Russian national,
#: controlled"; "X denied selling")
_APPOS = (
    r"(?:,? \d{1,3},?)?(?:,? (?:(?:a|an|the) [^;]{0,100}?|according to [^,;]{1,60}"
    r"|(?:which|that|who) [^,;]{1,80}|in (?-i:[A-Z])[\w-]*(?: (?-i:[A-Z])[\w-]*)?"
    r"|of (?-i:[A-Z])[\w-]*(?: (?-i:[A-Z])[\w-]*)?(?:, (?-i:[A-Z])[\w-]*(?: (?-i:[A-Z])[\w-]*)?)?"
    r"|(?-i:[A-Z])[\w-]*(?: (?-i:[A-Z])[\w-]*)?(?:'s|\u2019s) [^,;]{1,60}),)?,? "
    r"(?:(?<=, )(?:which|who) )?"  # 'Mahan Air, which paid': the relative clause's subject
    r"(?:(?<= )and (?:his|her|their) (?:co-conspirators?|co-defendants?|associates?|accomplices?"
    r"|partners?)(?:, [^;]{1,80}?,)? )?"
    r"(?:(?:has |have |had )?(?:also )?(?:denied|denies|deny|rejected) (?:ever )?)?"
    r"(?:(?:also|then|later|subsequently|allegedly|reportedly|previously|repeatedly|directly"
    r"|never|in turn) )*"
)
#: An apposition or a relative clause between a name and what the sentence says of it:
#: 'Krusik Trading Ltd, the Cyprus company, is owned by', 'Zala Aero Group, which
#: produces the Lancet-3, is part of'
_CLAUSE = (
    r"(?:, \d{1,3}(?=,))?(?:, of (?-i:[A-Z])[\w-]*(?: (?-i:[A-Z])[\w-]*){0,2}(?=,))?"
    r"(?:, (?:(?:a|an|the) [^,;]{1,80}|(?:which|that|who) [^,;]{1,80}),"
    r"|, (?:a|an|the) [^,;]{1,60}?(?= (?:which|that|who) ))?"
)
#: 'Tokmok Trade LLC of Bishkek, which acted as': where the organisation is, before what it does
_OF_PLACE = r"(?:,? of (?-i:[A-Z])[\w-]*(?: (?-i:[A-Z])[\w-]*)?(?=,))?"
#: Before a passive or a copula: 'which is itself controlled by', 'that is also part of'
_IS = (
    r"(?:(?:which|that|who) )?(?:is |was |are |were |has been |had been )?"
    r"(?:itself |also |now |in turn )*"
)


@dataclass(frozen=True)
class Rule:
    """A pattern over the words between two names; ``reverse``: the second name is the
    source (owner, agent, employee...)."""

    name: str
    schema: str
    role: str
    pattern: re.Pattern[str]
    first: frozenset[str]  # kinds allowed for the first name
    second: frozenset[str]
    reverse: bool = False
    #: what must follow the second name ('acts as our forwarding agent'), its ``role``
    #: group the role
    after: re.Pattern[str] | None = None
    #: what must end the words before the first name ('The parts from X arrived at')
    before: re.Pattern[str] | None = None

    @property
    def verb(self) -> bool:
        """A subject-verb rule ('X delivered ... to Y'), whose subject is never a name
        inside another's apposition."""
        return self.pattern.pattern.startswith(f"^{_APPOS}")


PARTY = frozenset({"org", "public", "person"})
ORG = frozenset({"org", "public"})
PERSON = frozenset({"person"})
PLACE = frozenset({"place"})
PRODUCT = frozenset({"product"})

#: Role words of people in organisations, and the FtM schema each means.
DIRECTOR_ROLES = (
    r"general director|director general|managing director|executive director|general manager"
    r"|director"
    r"|chief executive(?: officer)?|CEO|chairman|chairwoman|chairperson|president"
    r"|head|founder|co-founder|board member|member of the board"
)
EMPLOYEE_ROLES = (
    r"(?:senior |adjunct |junior |lead |principal |former |deputy |chief )*"
    r"(?:research fellow|fellow|research associate|associate|analyst|researcher|manager"
    r"|sales manager|consultant|employee|engineer|spokesman|spokeswoman|spokesperson"
    r"|adviser|advisor|officer|inspector|economist|lawyer|accountant|professor|expert|designer"
    r"|executive|official|representative|agent|director)"
)
#: What follows the client's name (or 'our') when an agent is named: "'s customs broker"
_THEIR_AGENT = (
    r"^(?:'s|\u2019s)? (?P<role>(?:[\w-]+ )?(?:intermediary|agent|front|proxy|broker"
    r"|representative))\b"
)
#: A first predicate of the same subject before the one a rule reads: 'bought the drones
#: from X and shipped them to Y', 'we keep 8,000 as our fee and pay the rest to Y'
_FIRST_PREDICATE = (
    r"(?:(?:bought|purchased|received|acquired|imported|ordered|obtained|assembled|repackaged"
    r"|relabelled|relabeled|collected|loaded|kept|keep|keeps|took|take|takes|retained|retains"
    r"|deducted|deducts|deduct) [^;]{1,100}? and (?:then |later |also )?)?"
)
#: A party's site named after its place: 'our Almaty warehouse', 'its Dubai address'
_SITE_AFTER = (
    r"^ (?P<role>warehouse|warehouses|headquarters|head office|offices?|plant|factory"
    r"|branch|branch office|premises|depot|refinery|shipyard|address)\b"
)
_PCT = r"(?P<pct>\d+(?:\.\d+)?) ?(?:%|percent|per cent)"


def _rule(
    name: str,
    schema: str,
    role: str,
    pattern: str,
    first: frozenset[str],
    second: frozenset[str],
    reverse: bool = False,
    after: str | None = None,
    before: str | None = None,
) -> Rule:
    return Rule(
        name,
        schema,
        role,
        re.compile(pattern, re.IGNORECASE),
        first,
        second,
        reverse,
        re.compile(after, re.IGNORECASE) if after else None,
        re.compile(before, re.IGNORECASE) if before else None,
    )


RULES: tuple[Rule, ...] = (
    # -- ownership
    _rule(
        "subsidiary of",
        "Ownership",
        "subsidiary",
        rf"^{_CLAUSE},? (?:is |was |became )?(?:also )?(?:now )?(?:a |an |the )?"
        rf"(?:(?!(?:by|for|of|in|to|from|with|at|on) )[\w-]+ ){{0,3}}"
        rf"(?:subsidiary|unit|division|daughter company|affiliate) of {_ADJ}"
        rf"(?:[\w-]+ ){{0,4}}$",
        ORG,
        ORG,
        reverse=True,
    ),
    _rule(
        "its subsidiary, name",
        "Ownership",
        "subsidiary",
        r"^(?:'s|\u2019s) (?:[\w-]+ )?(?:subsidiary|unit|affiliate),? $",
        ORG,
        ORG,
    ),
    _rule(
        "part of",
        "Ownership",
        "part of",
        rf"^{_CLAUSE},? {_IS}part of {_ADJ}$",
        ORG,
        ORG,
        reverse=True,
    ),
    _rule(
        "owned by",
        "Ownership",
        "owner",
        rf"^{_CLAUSE},? {_IS}(?:(?:a|an) [\w\s-]{{0,40}}? )?(?:{_PCT} )?"
        rf"(?:wholly |majority[- ]|partly )?"
        rf"owned by (?!(?:a|an|the) (?:[\w-]+ )?(?:subsidiary|unit|affiliate))"
        rf"{_ADJ}(?:[\w-]+ ){{0,2}}$",
        ORG,
        PARTY,
        reverse=True,
    ),
    _rule(
        "owns",
        "Ownership",
        "owner",
        rf"^{_APPOS}(?:who |which )?(?:owns|owned|holds|held|has) (?:a )?(?:{_PCT} (?:stake |of"
        rf" the shares )?"
        rf"(?:in|of) )?{_ADJ}$",
        PARTY,
        ORG,
    ),
    _rule(
        "owner of",
        "Ownership",
        "owner",
        rf"^{_CLAUSE},? (?:who |which )?(?:is |was |has been |became )?(?:also )?(?:the |a |an )?"
        rf"(?:(?:[\w-]+ ){{1,3}}and )?(?P<sole>sole |majority |main |largest |ultimate |beneficial "
        rf"|controlling |co-)?(?:owner|shareholder|beneficiary)"
        rf"(?: and (?:the |a |an )?(?:[\w-]+ )??(?:{DIRECTOR_ROLES}))? (?:of|in) {_ADJ}$",
        PARTY,
        ORG,
    ),
    _rule(
        "the beneficiary of X is P",
        "Ownership",
        "owner",
        rf"^ (?:is|was|are|were) (?:(?-i:[A-Z])[\w-]*(?:'s|\u2019s) (?:[\w-]+ )?(?:{KIN}),? )?$",
        ORG,
        PERSON,
        reverse=True,
        after=r"^(?!'s|\u2019s)",
        before=r"\b(?:the )?(?:sole |ultimate |only )?(?:beneficiary|beneficiaries|beneficial owner"
        r"|owner|owners|shareholder) of (?:the )?$",
    ),
    _rule(
        "its ships are operated by",
        "UnknownLink",
        "operator",
        r"^(?:'s|\u2019s) (?:[\w-]+ )?(?:ships|vessels|tankers|fleet|carriers) (?:are|is|were|was"
        r"|have been|had been) (?P<verb>operated|managed) by (?:the )?$",
        ORG,
        ORG,
        reverse=True,
    ),
    _rule(
        "X, whose owner, P",
        "Ownership",
        "owner",
        r"^(?:,? of (?-i:[A-Z])[\w-]*(?: (?-i:[A-Z])[\w-]*)?)?(?:, (?:a|an|the) [^,;]{0,60}?)?,?"
        r" whose (?:sole |main |majority |only )?(?:owner|shareholder|beneficial owner),? $",
        ORG,
        PARTY,
        reverse=True,
    ),
    _rule(
        "X, whose director, P",
        "Employment",
        "employee",
        rf"^{_OF_PLACE}(?:, (?:a|an|the) [^,;]{{0,60}}?)?,? whose "
        rf"(?P<role>(?:[\w-]+ ){{0,2}}(?:{EMPLOYEE_ROLES}|{DIRECTOR_ROLES})),? $",
        ORG,
        PERSON,
        reverse=True,
    ),
    _rule(
        "set up by",
        "Directorship",
        "founder",
        r"^,? (?:which |that )?(?:was |had been |has been )?(?:founded|co-founded|set up"
        r"|established|created) (?:in \d{4} )?by "
        r"(?:(?-i:[A-Z])[\w-]*(?:'s|\u2019s) [^,;]{1,40}, )?$",
        ORG,
        PERSON,
        reverse=True,
        after=r"^(?!'s|\u2019s)",
    ),
    _rule(
        "its owner, name",
        "Ownership",
        "owner",
        rf"^(?:'s|\u2019s)? (?:sole |majority |main |ultimate |beneficial |controlling |only )?"
        rf"(?:owner|shareholder|co-owner|beneficial owner)(?: and (?:the )?(?:{DIRECTOR_ROLES}))?"
        rf"(?:,|,? is|,? was)? (?:{_ADJ}(?-i:[a-z])[\w-]* (?:(?-i:[a-z])[\w-]* ){{0,2}})?$",
        ORG,
        PARTY,
        reverse=True,
    ),
    _rule(
        "their parent company, name",
        "Ownership",
        "subsidiary",
        r"^(?:'s|\u2019s)? (?:[\w-]+ )?(?:parent company|parent|holding company|parent firm),? $",
        ORG,
        ORG,
        reverse=True,
    ),
    # -- control
    _rule(
        "controlled by",
        "Control",
        "controlled",
        rf"^{_CLAUSE},? {_IS}(?:(?:a|an) [\w\s-]{{0,60}}? )?(?:ultimately |effectively )?"
        rf"controlled by {_ADJ}$",
        ORG,
        PARTY,
        reverse=True,
    ),
    _rule(
        "controls",
        "Control",
        "controlled",
        rf"^{_APPOS}(?:who |which )?(?:controlled|controls|control|controlling) {_ADJ}$",
        PARTY,
        ORG,
    ),
    # -- representation
    _rule(
        "acts as intermediary for",
        "Representation",
        "intermediary",
        rf"^{_OF_PLACE},? (?:which |that |who )?(?:(?:is |was )?(?:a|an|the) [^,]{{0,60}}?{_REL})?"
        rf"(?:(?:the |a )?[\w-]+ (?:describes|described|calls|called|considers|considered"
        rf"|identifies|identified) (?:it )?)?"
        rf"(?:has |had |also )?"
        rf"(?:acts?|acted|acting|serves?|served|operates?|operated)?,? ?"
        rf"(?:as |is |was |are |were )?(?:also )?(?:a |an |the )?(?:[\w-]+ )??"
        rf"(?P<role>intermediary|agent|front|proxy|broker|purchasing agent|"
        rf"procurement agent|representative)(?: company)? (?:for|of|between|to) {_ADJ}$",
        PARTY,
        PARTY,
    ),
    _rule(
        "acts on behalf of",
        "Representation",
        "acted on behalf of",
        rf"^{_APPOS}(?:[^,;]{{0,60}} )?(?:acted|acting|acts|act) (?:for or )?on behalf of {_ADJ}$",
        PARTY,
        PARTY,
    ),
    _rule(
        "bought on behalf of",
        "Representation",
        "acted on behalf of",
        rf"^{_APPOS}(?:has |had |also |allegedly )?(?:purchased|bought|procured|acquired|ordered"
        rf"|imported|exported|shipped|directed|arranged|negotiated|signed|managed)\b[^;]{{0,100}}? "
        rf"on behalf of {_ADJ}$",
        PARTY,
        PARTY,
    ),
    _rule(
        "through",
        "Representation",
        "intermediary",
        rf"^{_APPOS}(?:has |had |also |allegedly )?(?:shipped|delivered|supplied|sold|exported|sent"
        rf"|transferred|paid|bought|purchased|imported|procured|acquired|routed)\b[^;]{{0,100}}? "
        rf"(?:through|via) (?:the |a |an )?(?:[\w-]+ ){{0,3}}?$",
        PARTY,
        PARTY,
        reverse=True,
    ),
    _rule(
        "acts as their agent",
        "Representation",
        "intermediary",
        rf"^{_APPOS}(?:(?:a|an|the) [^,;]{{0,60}}? (?=which|that|who))?(?:(?:which|that|who) )?"
        rf"(?:has |had |also )?(?:acts?|acted|acting|serves?"
        rf"|served|serving|works?|worked|operates?|operated) as $",
        PARTY,
        PARTY,
        after=_THEIR_AGENT,
    ),
    _rule(
        "name, their agent",
        "Representation",
        "intermediary",
        r"^, $",
        PARTY,
        PARTY,
        after=_THEIR_AGENT,
    ),
    _rule(
        "on their behalf",
        "Representation",
        "acted on behalf of",
        rf"^{_APPOS}(?:[^,;]{{0,60}} )?on $",
        PARTY,
        PARTY,
        after=r"^(?:'s|\u2019s)? behalf\b",
    ),
    _rule(
        "represented by",
        "Representation",
        "intermediary",
        rf"^ (?:is |was )?represented by {_ADJ}$",
        PARTY,
        PARTY,
        reverse=True,
    ),
    # -- people in organisations
    _rule(
        "role at",
        "Employment",
        "employee",
        rf"^{_CLAUSE},? (?:who )?(?:(?:until|since|from|in|between) [^,;]{{1,20}}? )?"
        rf"(?:is |was |has been |had been )?(?:also )?(?:now )?"
        rf"(?:(?:a|an|the) )?(?:(?:[\w-]+ ){{1,5}}and (?:(?:a|an|the) )?)?(?P<role>{EMPLOYEE_ROLES}"
        rf"|{DIRECTOR_ROLES}|member)(?: of the board| of [a-z]+(?: and [a-z]+)?(?= at))?"
        rf"(?: and (?:the )?(?:[\w-]+ ){{0,2}}?(?:owner"
        rf"|shareholder|founder|chairman|director))? (?:at|of|for|with|in) {_ADJ}"
        rf"(?:(?-i:[a-z])[\w-]* ){{0,2}}$",
        PERSON,
        ORG,
    ),
    _rule(
        "works as",
        "Employment",
        "employee",
        rf"^{_APPOS}(?:who )?(?:has |had )?(?:worked|works|working|served|serves) as (?:a |an "
        rf"|the )?"
        rf"(?P<role>{EMPLOYEE_ROLES}|{DIRECTOR_ROLES}) (?:at|for|of|with) {_ADJ}$",
        PERSON,
        ORG,
    ),
    _rule(
        "as their role at",
        "Employment",
        "employee",
        rf"^{_APPOS}(?:[^,;]{{0,60}} )?as (?:a |an |the |its |their )?"
        rf"(?P<role>(?:[\w-]+ )?(?:{EMPLOYEE_ROLES}|{DIRECTOR_ROLES})) (?:at|for|of|with) {_ADJ}$",
        PERSON,
        ORG,
    ),
    _rule(
        "works at",
        "Employment",
        "employee",
        rf"^,? (?:who )?(?:works|worked|working) (?:at|for) {_ADJ}$",
        PERSON,
        ORG,
    ),
    _rule(
        "who worked for",
        "Employment",
        "worked for",
        rf"^,? (?:(?:a|an|the) [^,;]{{0,60}}? )?(?:who |(?=previously|formerly))"
        rf"(?:previously |formerly |once |also |later )?"
        rf"(?:has |had )?(?:worked|works|served) (?:at|for|with) {_ADJ}"
        rf"(?:(?-i:[a-z])[\w-]* ){{0,3}}$",
        PERSON,
        ORG,
    ),
    _rule(
        "their spokesman, name",
        "Representation",
        "spokesman",
        r"^(?:'s|\u2019s)? (?P<role>spokesman|spokeswoman|spokesperson|representative),? $",
        PERSON,
        PERSON,
        reverse=True,
    ),
    _rule(
        "no role in the management of",
        "Directorship",
        "management",
        rf"^{_APPOS}(?:has |had |have )?(?:no|any|never had any|not had any) (?:formal )?role in "
        rf"(?:the )?(?:management|running|operations?|day-to-day management) of {_ADJ}$",
        PERSON,
        ORG,
    ),
    _rule(
        "their lawyer, name",
        "Representation",
        "lawyer",
        r"^(?:'s|\u2019s)? (?P<role>lawyer|attorney|legal representative|solicitor|counsel),? $",
        PARTY,
        PERSON,
        reverse=True,
    ),
    _rule(
        "of",
        "Employment",
        "at",
        r"^ of (?:the )?$",
        PERSON,
        ORG,
    ),
    _rule(
        "at",
        "Employment",
        "at",
        r"^ at (?:the )?$",
        PERSON,
        ORG,
    ),
    _rule(
        "headed by",
        "Directorship",
        "head",
        rf"^,? (?:is |was )?(?:headed|led|run|managed|chaired|directed) by {_ADJ}(?:[\w-]+"
        rf" ){{0,2}}$",
        ORG,
        PERSON,
        reverse=True,
    ),
    _rule(
        "managed by",
        "UnknownLink",
        "manager",
        rf"^,? (?:is |was |are |were )?(?P<verb>managed|operated) by {_ADJ}$",
        ORG,
        ORG,
        reverse=True,
    ),
    _rule(
        "is the manager of the tanker",
        "UnknownLink",
        "manager",
        rf"^,? (?:is|was|has been|became) (?:the|a|its) "
        rf"(?:technical |commercial |ISM |registered )?(?P<verb>manager|operator) of "
        rf"(?:the )?(?:[\w-]+ )?(?:{VESSEL_NOUN}|ship)? ?"
        rf"(?:named |called )?$",
        ORG,
        ORG,
    ),
    _rule(
        "lists among its customers",
        "UnknownLink",
        "supplier",
        r"^(?:(?:'s|\u2019s) (?:website|catalogue|catalog|brochure|annual report|filings?) )?"
        r" ?(?:lists|listed|names|named|includes|included|counts|counted) (?:the )?$",
        ORG,
        PARTY,
        after=r"^[^;.]{0,100}? among its (?:customers|clients|buyers)\b",
    ),
    _rule(
        "operates a vessel",
        "UnknownLink",
        "manager",
        rf"^{_APPOS}(?:has |had |also )?(?P<verb>operated|operates|managed|manages|chartered"
        rf"|charters) (?:the |a |an )?(?:[\w-]+ )?(?:{VESSEL_NOUN}|ship|carrier)s? "
        rf"(?:named |called )?$",
        PARTY,
        ORG,
    ),
    _rule(
        "heads",
        "Directorship",
        "head",
        rf"^,? (?:who )?(?:heads|headed|leads|led|runs|ran|chairs|chaired|directs) {_ADJ}$",
        PERSON,
        ORG,
        after=r"^(?! in\b)",  # 'who leads the NFC in rushing': a ranking, not a post
    ),
    _rule(
        "sits on the board of",
        "Directorship",
        "board member",
        rf"^{_APPOS}(?:who )?(?:also )?(?:sits|sat|has sat|serves|served|has served) on the "
        rf"(?:supervisory |management |executive )?board of {_ADJ}$",
        PERSON,
        ORG,
    ),
    _rule(
        "founded",
        "Directorship",
        "founder",
        rf"^{_APPOS}(?:who )?(?:also )?(?:founded|co-founded|set up|established) {_ADJ}$",
        PERSON,
        ORG,
    ),
    _rule(
        "its role, name",
        "Employment",
        "employee",
        rf"^(?:'s|\u2019s)? (?:(?:sole |majority |main )?(?:owner|shareholder|co-owner) and )?"
        rf"(?P<role>(?:[\w-]+ ){{0,2}}(?:{EMPLOYEE_ROLES}|{DIRECTOR_ROLES}))"
        rf"(?:,|,? is|,? was)? $",
        ORG,
        PERSON,
        reverse=True,
    ),
    _rule(
        "is its role",
        "Employment",
        "employee",
        rf"^{_CLAUSE},? (?:who )?(?:is |was |has been |became |remains )(?:also |now )?$",
        PERSON,
        ORG,
        after=rf"^(?:'s|\u2019s) (?P<role>(?:[\w-]+ ){{0,2}}(?:{EMPLOYEE_ROLES}|{DIRECTOR_ROLES}))"
        r"\b",
    ),
    _rule(
        "handled their shipments",
        "Employment",
        "manager",
        rf"^{_APPOS}(?:(?:who|also) )?(?:managed|manages|handled|handles|ran|runs|oversaw|oversees"
        rf"|organi[sz]ed|organi[sz]es|arranged|arranges) (?:all )?$",
        PERSON,
        ORG,
        after=r"^(?:'s|\u2019s) (?:[\w-]+ )?(?:shipments|purchases|purchasing|procurement|exports"
        r"|imports|logistics|finances|accounts|operations|sales)\b",
    ),
    _rule(
        "relative",
        "Family",
        "relative",
        rf"^(?:'s|\u2019s)? (?P<role>{KIN}),? $",
        PERSON,
        PERSON,
        reverse=True,
    ),
    _rule(
        "relative of",
        "Family",
        "relative",
        rf"^,? (?:is |was )?(?:the |a )?(?P<role>{KIN}) of {_ADJ}$",
        PERSON,
        PERSON,
    ),
    _rule(
        "name, role, organisation",
        "Employment",
        "employee",
        rf"^, (?P<role>(?:[\w-]+ ){{0,2}}(?:{EMPLOYEE_ROLES}|{DIRECTOR_ROLES})), $",
        PERSON,
        ORG,
    ),
    _rule(
        "signature",
        "Employment",
        "employee",
        rf"^ *\n(?P<role>(?:[\w-]+ ){{0,3}}(?:{EMPLOYEE_ROLES}|{DIRECTOR_ROLES})"
        rf"(?: of (?-i:[A-Z])[\w-]*(?: (?-i:[A-Z])[\w-]*)?)?)(?:,| *\n) *$",
        PERSON,
        ORG,
    ),
    # -- collaboration
    _rule(
        "collaborated with",
        "UnknownLink",
        "collaborated with",
        rf"^{_APPOS}(?:has |have |had |also |ever )*(?:closely )?(?P<role>collaborated|cooperated|"
        rf"co-operated|partnered|teamed up|worked|traded|worked together|working|trading|"
        rf"collaborating|cooperating) (?:closely )?with {_DESC}{_ADJ}$",
        PARTY,
        PARTY,
    ),
    _rule(
        "had business with",
        "UnknownLink",
        "traded with",
        rf"^{_APPOS}(?:that )?(?:(?:has|had|have|also|ever|did not have|does not have|not) )*"
        rf"(?:(?:any|no) (?:business )?(?P<role>relationship)|(?:no |any |extensive |close "
        rf"|regular )?(?:business|dealings)) with {_DESC}{_ADJ}$",
        PARTY,
        PARTY,
    ),
    _rule(
        "together with",
        "UnknownLink",
        "collaborated with",
        rf"^{_APPOS}(?:has |had |have )?(?:also |jointly )?(?:developed|develops|tested|tests"
        rf"|designed|designs|built|builds|produced|produces|made|makes|worked|works|upgraded"
        rf"|assembled|manufactured) [^;]{{0,80}}?(?:together|jointly) with {_ADJ}$",
        PARTY,
        PARTY,
    ),
    _rule(
        "their partner, name",
        "UnknownLink",
        "partner",
        r"^(?:'s|\u2019s)? (?:[\w-]+ )?(?:business )?partner(?: company| firm)?,? $",
        PARTY,
        PARTY,
    ),
    _rule(
        "name, their partner",
        "UnknownLink",
        "partner",
        r"^, $",
        PARTY,
        PARTY,
        after=r"^(?:'s|\u2019s)? (?:[\w-]+ )?(?:business )?(?P<role>partner)\b",
    ),
    _rule(
        "their agent in Urumqi, name",
        "Representation",
        "agent",
        r"^(?:'s|\u2019s)? (?P<role>(?:[\w-]+ )?(?:agent|intermediary|representative|broker"
        r"|forwarder))(?: in (?-i:[A-Z])[\w-]*(?: (?-i:[A-Z])[\w-]*)?)?,? $",
        PARTY,
        ORG,
        reverse=True,
    ),
    _rule(
        "their supplier, name",
        "UnknownLink",
        "supplier",
        r"^(?:'s|\u2019s)? (?:[\w-]+ )?(?:main |usual |regular )?supplier"
        r"(?: in (?-i:[A-Z])[\w-]*(?: (?-i:[A-Z])[\w-]*)?)?,? $",
        PARTY,
        PARTY,
        reverse=True,
    ),
    _rule(
        "their sister company, name",
        "UnknownLink",
        "sister company",
        r"^(?:'s|\u2019s)? (?:[\w-]+ )?(?P<role>sister company|sister firm|affiliated company"
        r"|affiliate),? $",
        ORG,
        ORG,
        reverse=True,
    ),
    _rule(
        "partner of",
        "UnknownLink",
        "partner",
        rf"^,? (?:is |was )?(?:a |an |the )?(?:[\w-]+ )?(?:business )?partner of {_ADJ}$",
        PARTY,
        PARTY,
    ),
    # -- supply and delivery
    _rule(
        "delivered to",
        "UnknownLink",
        "delivered",
        rf"^{_APPOS}(?:(?:is |was )?(?:a|an|the) [^,;]{{0,60}}?{_REL})?(?:(?:has|have|had|also"
        rf"|allegedly|never|ever|will|would|then|later) )*{_FIRST_PREDICATE}"
        rf"(?P<verb>delivered|shipped|supplied|sold|exported|sent|provided|transferred|selling|"
        rf"supplying|shipping|delivering|forwarded|re-exported|resold|re-sold|transshipped|"
        rf"(?<=will |ould )(?:deliver|ship|supply|sell|send|export|forward)"
        rf") (?P<goods>[^;]{{1,100}}?) to (?:the (?:[\w-]+ ){{0,3}}?"
        rf"(?:warehouse|warehouses|headquarters|offices?|factory|plant|premises|facility) of )?"
        rf"{_ADJ}$",
        PARTY,
        PARTY,
    ),
    _rule(
        "arrived at their warehouse",
        "UnknownLink",
        "delivered",
        r"^ (?:has |have |had )?(?:arrived|were delivered|was delivered|were shipped|was shipped)"
        r" (?:at|to|in) (?:the )?$",
        ORG,
        ORG,
        after=r"^(?:'s|\u2019s)? (?:[\w-]+ ){0,2}?(?:warehouse|warehouses|offices?|factory|plant"
        r"|premises|headquarters|depot|yard)\b",
        before=r"\bfrom (?:the |its |their )?(?:[\w-]+ ){0,3}?$",
    ),
    _rule(
        "chartered to",
        "UnknownLink",
        "chartered to",
        rf"^{_APPOS}(?:has |had |also )?(?:chartered|leased|sub-chartered) "
        rf"(?P<goods>[^;]{{1,60}}?) to {_ADJ}$",
        PARTY,
        PARTY,
    ),
    _rule(
        "a supplier to",
        "UnknownLink",
        "supplier",
        r"^, (?:(?:is|was) )?(?:a|an|the|its|their|our) (?:[\w-]+ ){0,3}?(?:supplier|contractor"
        r"|vendor|subcontractor) (?:to|for|of) (?:the )?$",
        PARTY,
        PARTY,
    ),
    _rule(
        "supplies",
        "UnknownLink",
        "supplier",
        rf"^,? (?:(?:is |was )?(?:a|an|the) [^;]{{0,80}}?{_REL})?(?:has |also )?"
        rf"(?:supplies|supplied|equips|equipped|supplying) {_ADJ}$",
        PARTY,
        PARTY,
    ),
    _rule(
        "received from",
        "UnknownLink",
        "delivered",
        rf"^{_APPOS}(?:(?:is |was )?(?:a|an|the) [^,;]{{0,60}}?{_REL})?(?:has |have |had |also )?"
        rf"(?:received|receives|obtained|bought|buys|purchased"
        rf"|acquired|"
        rf"imported) (?P<goods>[^;]{{1,100}}?) from {_ADJ}$",
        PARTY,
        PARTY,
        reverse=True,
    ),
    _rule(
        "ordered from",
        "UnknownLink",
        "supplier",
        rf"^{_APPOS}(?:has |have |had |also )?(?:confirms |confirmed |placed |places )?(?:the |an "
        rf"|its |our )?(?:ordered|order of|order for|agrees to buy|agreed to buy|will buy)"
        rf" (?P<goods>[^;]{{1,100}}?) from {_ADJ}$",
        PARTY,
        PARTY,
        reverse=True,
    ),
    # -- payment
    _rule(
        "paid",
        "Payment",
        "payment",
        rf"^{_APPOS}(?:(?:a|an|the) [^,;]{{0,60}}? (?:which|that|who) )?"
        rf"(?:(?:has|had|also|may have|might have|reportedly|will|would|then|later) )*"
        rf"(?:agreed to |agrees to |is to |are to |(?<=^ )to )?{_FIRST_PREDICATE}"
        rf"(?:(?:paid|pays|(?:(?<=will )|(?<=ould )|(?<=[ds] to )|(?<=re to )|(?<=and )"
        rf"|(?<=^ )|(?<=^ to ))pay|(?<=^ )(?:transfer|wire|remit))"
        rf" (?:(?P<amount>[^;]{{1,40}}?) to )?|(?:arranged"
        rf"|made|sent|wired|routed|transferred) (?:the |a |several |regular )?(?:payments?"
        rf"|transfers?|funds|money)(?: of (?P<sum>[^;]{{1,40}}?))? to ){_ADJ}$",
        PARTY,
        PARTY,
    ),
    _rule(
        "invoiced",
        "Payment",
        "requested payment",
        rf"^{_APPOS}(?:(?:will|would|has|had|also) )*(?:invoiced|invoices|invoice|billed|bills"
        rf"|bill) $",
        PARTY,
        PARTY,
        reverse=True,
    ),
    # -- where a party is based
    _rule(
        "a company in",
        "Address",
        "based in",
        r"^, (?:a|an|our|its|their) (?:[\w-]+ ){0,2}?(?:company|firm|trader|trading company"
        r"|distributor|manufacturer|supplier|forwarder|agent|exporter|importer|bank|shipowner|operator|maker"
        r"|factory|plant|broker|exchange|exchange house|partner|dealer|trading house|refinery"
        r"|shipyard|wholesaler|reseller) (?:in|from) (?:the )?$",
        ORG,
        PLACE,
    ),
    _rule(
        "their warehouse in",
        "Address",
        "based in",
        r"^(?:'s|\u2019s)? (?:[\w-]+ )?(?P<role>warehouse|warehouses|headquarters|head office"
        r"|offices?|plant|factory|branch|branch office|premises) (?:is |are )?(?:in|at) (?:the )?$",
        ORG,
        PLACE,
    ),
    _rule(
        "their Almaty warehouse",
        "Address",
        "based in",
        r"^(?:'s|\u2019s)? $",
        ORG,
        PLACE,
        after=_SITE_AFTER,
    ),
    _rule(
        "has a branch in",
        "Address",
        "based in",
        rf"^{_APPOS}(?:[^;]{{0,60}}? and )?(?:also )?(?:has|had|have|operates|operated|runs|ran"
        rf"|opened|maintains|maintained) (?:a |an |its |their )?(?:[\w-]+ )??(?P<role>branch office"
        rf"|branch|office|offices|representative office|warehouse|plant|factory|depot) "
        rf"(?:in|at) (?:the )?$",
        ORG,
        PLACE,
    ),
    _rule(
        "shares its Dubai address",
        "Address",
        "based in",
        r"^ (?:also )?(?:shares|shared|uses|used|lists|listed|gives|gave|keeps|kept|runs|ran"
        r"|operates|operated|has|had|moved|opened) (?:its|their|his|her) $",
        ORG,
        PLACE,
        after=_SITE_AFTER,
    ),
    _rule(
        "based in",
        "Address",
        "based in",
        rf"^,? (?:which |that |who )?(?:is |was )?(?:(?:a|an|the) (?:[\w-]+ ){{0,6}}?)?"
        rf"(?P<role>(?:based|headquartered|registered"
        rf"|located|incorporated) in) {_ADJ}$",
        PARTY,
        PLACE,
    ),
    # -- products
    _rule(
        "develops",
        "ProjectParticipant",
        "developer",
        rf"^{_APPOS}(?:(?:which|that|who) |,? ?(?:(?:is |was )?(?:a|an|the) [^;]{{0,90}}?)?,? ?"
        rf"(?:which|that|who) )?(?:has |have |had |also |is |was )?(?:begun |began |started )?"
        rf"(?P<verb>(?:(?:developed|develops|developing|designed|designs|designing|produced"
        rf"|produces"
        rf"|producing|manufactured|manufactures|manufacturing|makes|made|built|builds|"
        rf"flight-tested|tested|upgraded)(?:,? and |, | )?){{1,3}})"
        rf"(?:the |a |an )?(?:new )?(?:[\w-]+ ){{0,3}}?(?:(?:called|named|known as) )?$",
        ORG,
        PRODUCT,
    ),
    _rule(
        "developed by",
        "ProjectParticipant",
        "developer",
        rf"^(?: (?-i:[a-z])[\w-]*){{0,3}},? (?:was |is |were |are )?(?P<verb>developed|designed"
        rf"|produced|manufactured|made|built) by {_ADJ}$",
        PRODUCT,
        ORG,
        reverse=True,
    ),
)


@dataclass(frozen=True)
class Found:
    """A rule's match between two mentions of a sentence."""

    rule: Rule
    first: int  # mention indexes in the sentence
    second: int
    role: str
    details: dict[str, str]


def match_pair(between: str, after: str) -> Iterator[tuple[Rule, re.Match[str]]]:
    for rule in RULES:
        match = rule.pattern.match(between)
        if match:
            yield rule, match


def role_of(rule: Rule, match: re.Match[str]) -> str:
    groups = match.groupdict()
    if groups.get("role") and rule.name == "collaborated with":
        return "traded with" if groups["role"].lower().startswith("trad") else "collaborated with"
    if groups.get("role"):
        return " ".join(groups["role"].lower().split())
    if groups.get("verb"):
        return _verb_role(rule, groups["verb"])
    return rule.role


def _verb_role(rule: Rule, verb: str) -> str:
    verb = verb.lower()
    if rule.schema == "ProjectParticipant":
        makes = any(v in verb for v in ("produc", "manufactur", "make", "made", "buil"))
        develops = any(v in verb for v in ("develop", "design", "test", "upgrad"))
        if makes and develops:
            return "developer and producer"
        return "producer" if makes else "developer"
    if rule.schema == "UnknownLink" and rule.role == "delivered":
        return "supplier" if verb.startswith(("suppl", "sold", "sell")) else "delivered"
    if rule.schema == "UnknownLink" and rule.role == "manager":
        if verb.startswith("charter"):
            return "charterer"
        return "operator" if verb.lower().startswith("operat") else "manager"
    return rule.role


def schema_for_role(role: str, default: str) -> str:
    """A person's role in an organisation decides the FtM schema."""
    role = role.lower()
    if re.search(rf"\b(?:{DIRECTOR_ROLES})$", role) and not re.search(
        r"\b(?:former|deputy)\b", role
    ):
        return "Directorship"
    if role == "member":
        return "Membership"
    return default
