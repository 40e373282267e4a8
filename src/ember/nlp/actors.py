"""Actors and persons: the actor table and the spaCy components that find them.

The table lives in ``data/actors/`` (see its README): canonical actors in ACLED's naming
with their inter codes and aliases, countries with demonyms, generic mentions, role
nouns and well-known persons. Two components run after ``ner``:

- ``ember_actors`` sets ``doc.spans["actors"]``: label ``ACTOR``, ``kb_id_`` the
  canonical actor, ``span._.inter`` and ``span._.actor_kind``. Aliases match after
  ``fold`` (so "Da’esh", "Daesh" and «Da’ash» are one), acronyms that are also words
  ("IS", "US") match as written; a demonym before a force noun is that state's forces
  ("Turkish troops"); "the group" is the document's main armed group when one is clear.
  ``doc.spans["actors"].attrs["main_group"]`` names that group (or None).
- ``ember_persons`` sets ``doc.spans["persons"]``: label ``PERSON``, ``kb_id_`` the full
  name (a later "Caggins" is the "Myles Caggins" named before), ``span._.role`` and
  ``span._.affiliation`` (a canonical actor) when the text or the persons table says so.

Matching walks the document's folded words once and looks word n-grams up in dicts:
the cost grows with the document, not with the table."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any, Literal

import pycountry
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from .fold import ARTICLES, fold
from .matching import ExactMatcher

__all__ = [
    "ActorInfo",
    "ActorTable",
    "PersonInfo",
    "actor_info",
    "add_actor_components",
    "inter_for",
    "known_acronyms",
    "load_actor_table",
    "qualified_name",
]

ACTORS_PIPE = "ember_actors"
PERSONS_PIPE = "ember_persons"
# Kinds of armed non-state actors that "the group" may stand for.
_GROUP_KINDS = frozenset({"armed group", "militia"})
# Inter code of state forces acting outside their own country (ACLED: external forces).
_EXTERNAL_INTER = 8
# Tokens that end a run of words an alias may span.
_BARRIERS = frozenset(".,;:!?()[]{}/|")
# How far before a person's name a role or affiliation may stand ("the group's
# spokesman Abu X", "SDF commander X"), and after it in an apposition ("X, a
# commander of the SDF,").
_PRE_WINDOW = 8
_APPOSITION_WINDOW = 12
# Mentions of a person's name up to this many words are taken as short forms.
_MAX_SHORT_NAME = 2

EntryKind = Literal["actor", "nation", "generic", "person"]


@dataclass(frozen=True, slots=True)
class ActorInfo:
    """One canonical actor. ``qualified`` is ACLED's country-qualified form, a template
    with ``{country}`` / ``{the_country}``; ``generic`` marks a class of actors
    ("Civilians", "Military Forces") rather than a named one."""

    canonical: str
    inter: int
    kind: str
    country: str | None = None
    qualified: str | None = None
    acled: str | None = None
    generic: bool = False
    # A jihadist group (what reports on "the organization" are usually about) and a
    # group that fights alongside a state (never what "militants" stand for).
    jihadist: bool = False
    state_allied: bool = False
    # A criminal organisation (a cartel or its front) rather than a political one.
    criminal: bool = False


@dataclass(frozen=True, slots=True)
class PersonInfo:
    name: str
    role: str | None = None
    affiliation: str | None = None


@dataclass(frozen=True, slots=True)
class _Generic:
    """A generic mention: ``refers_to`` is "main_group" or a canonical actor that the
    document must name elsewhere; ``fallback`` applies when neither holds."""

    refers_to: str
    fallback: str | None
    # What the main group must be for the mention to stand for it: "rebel" (not a
    # jihadist group: Syria's "rebels" are never IS), "criminal" (a cartel or its
    # front: "drug traffickers" are never a guerrilla), or None (any).
    main_if: str | None = None


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: EntryKind
    # Canonical actor, ISO code (nation), index into ``generics`` or person name.
    target: str
    # A local alias ("the regime", "Federal Police"): it names the actor unless the
    # document is plainly about another country (see ``_allowed``).
    local: str | None = None


@dataclass(frozen=True, slots=True)
class _Nation:
    country: str
    the: bool
    military: str
    police: str


@dataclass(slots=True)
class _Phrases:
    """Folded phrases of one or more words, looked up by their first word."""

    phrases: dict[str, str] = field(default_factory=dict)
    longest: dict[str, int] = field(default_factory=dict)

    def add(self, phrase: str, value: str) -> None:
        words = fold(phrase).split()
        if not words:
            return
        self.phrases.setdefault(" ".join(words), value)
        self.longest[words[0]] = max(self.longest.get(words[0], 0), len(words))

    def match(self, words: list[str], at: int) -> tuple[int, str] | None:
        """The longest phrase starting at ``words[at]``: (number of words, value)."""
        longest = self.longest.get(words[at], 0)
        for size in range(min(longest, len(words) - at), 0, -1):
            value = self.phrases.get(" ".join(words[at : at + size]))
            if value is not None:
                return size, value
        return None


@dataclass(slots=True)
class ActorTable:
    """Everything the components match with, built once from ``data/actors``."""

    actors: dict[str, ActorInfo]
    persons: dict[str, PersonInfo]
    nations: dict[str, _Nation]
    generics: list[_Generic]
    folded: dict[str, _Entry]
    folded_longest: dict[str, int]
    exact: dict[tuple[str, ...], _Entry]
    exact_longest: dict[str, int]
    # Exact aliases that are also English words ("IS", "US"): not in capitals headlines.
    exact_words: frozenset[tuple[str, ...]]
    military_nouns: _Phrases
    police_nouns: _Phrases
    modifiers: frozenset[str]
    member_nouns: _Phrases
    titles: frozenset[str]
    roles: _Phrases
    protest_verbs: tuple[str, ...]
    protest_nouns: tuple[str, ...]
    # Folded person aliases (also one-word ones) -> canonical person name.
    person_aliases: dict[str, str]
    # Canonical and ACLED names and country-qualified forms -> canonical.
    names: dict[str, str]
    # Names and demonyms of countries (folded) -> ISO code: which countries a text names.
    country_words: _Phrases = field(default_factory=_Phrases)
    # Words that label the group a report is about ("the terrorist ISIS").
    group_labels: frozenset[str] = frozenset()
    # Lemmas of mutual fighting: a coordinated subject's actors face each other.
    reciprocal: frozenset[str] = frozenset()
    # Lemmas of verbs whose subject finds, reports or stops an event noun, not its actor.
    non_acting: frozenset[str] = frozenset()
    # Lemmas of verbs whose subject is the victim ("two children died").
    victim_subject: frozenset[str] = frozenset()
    # Pronouns a reported clause uses for its speaker ("the SDF said they took it").
    subject_pronouns: frozenset[str] = frozenset()
    # Nouns of places a demonym may stand on and still place a sentence ("Yemeni city").
    place_nouns: frozenset[str] = frozenset()


# --- loading the table -------------------------------------------------------------


def _read_jsonl(name: str) -> Iterator[dict[str, Any]]:
    text = files("ember").joinpath(f"data/actors/{name}").read_text("utf-8")
    for line in text.splitlines():
        if line.strip():
            yield json.loads(line)


def _word_sets() -> dict[str, list[str]]:
    return {row["set"]: row["words"] for row in _read_jsonl("words.jsonl")}


def _nation_rows() -> Iterator[tuple[dict[str, Any], ActorInfo, ActorInfo]]:
    for row in _read_jsonl("states.jsonl"):
        country = f"the {row['country']}" if row.get("the") else row["country"]
        yield (
            row,
            ActorInfo(f"Military Forces of {country}", 1, "military", row["iso2"]),
            ActorInfo(f"Police Forces of {country}", 1, "police", row["iso2"]),
        )


class _Builder:
    """Collects aliases into the folded and exact indexes (first alias wins)."""

    def __init__(self) -> None:
        self.folded: dict[str, _Entry] = {}
        self.folded_longest: dict[str, int] = {}
        self.exact: dict[tuple[str, ...], _Entry] = {}
        self.exact_longest: dict[str, int] = {}
        self._tokenize = _plain_tokenizer()

    def add_folded(self, alias: str, entry: _Entry) -> None:
        words = fold(alias).split()
        if not words:
            return
        self.folded.setdefault(" ".join(words), entry)
        first = words[0]
        self.folded_longest[first] = max(self.folded_longest.get(first, 0), len(words))

    def add_exact(self, alias: str, entry: _Entry) -> None:
        tokens = tuple(self._tokenize(alias))
        self.exact.setdefault(tokens, entry)
        first = tokens[0]
        self.exact_longest[first] = max(self.exact_longest.get(first, 0), len(tokens))


def _plain_tokenizer() -> Callable[[str], list[str]]:
    """spaCy's English tokenizer without a model, to split exact aliases as docs are."""
    from spacy.lang.en import English

    tokenizer = English().tokenizer
    return lambda text: [token.text for token in tokenizer(text)]


@cache
def load_actor_table() -> ActorTable:
    """The actor table from ``data/actors``; built once per process."""
    builder = _Builder()
    actors: dict[str, ActorInfo] = {}
    nations: dict[str, _Nation] = {}
    country_words = _Phrases()
    for row, military, police in _nation_rows():
        actors[military.canonical] = military
        actors[police.canonical] = police
        nations[row["iso2"]] = _Nation(
            row["country"], bool(row.get("the")), military.canonical, police.canonical
        )
        entry = _Entry("nation", row["iso2"])
        names = [row["country"]] if row.get("name_as_demonym", True) else []
        for demonym in [*row["demonyms"], *names]:
            builder.add_folded(demonym, entry)
            country_words.add(demonym, row["iso2"])
        for demonym in row.get("local_demonyms", []):
            builder.add_folded(demonym, _Entry("nation", row["iso2"], local=row["iso2"]))
        for alias in row.get("exact", []):
            builder.add_exact(alias, entry)
    for row in _read_jsonl("actors.jsonl"):
        info = ActorInfo(
            canonical=row["name"],
            inter=int(row["inter"]),
            kind=row["kind"],
            country=row.get("country"),
            qualified=row.get("qualified"),
            acled=row.get("acled"),
            generic=bool(row.get("generic")),
            jihadist=bool(row.get("jihadist")),
            state_allied=bool(row.get("state_allied")),
            criminal=bool(row.get("criminal")),
        )
        actors[info.canonical] = info
        entry = _Entry("actor", info.canonical)
        for alias in [info.canonical, *row.get("aliases", [])]:
            builder.add_folded(alias, entry)
        for alias in row.get("exact", []):
            builder.add_exact(alias, entry)
        local = _Entry("actor", info.canonical, local=info.country)
        for alias in row.get("local_aliases", []):
            builder.add_folded(alias, local)
        for alias in row.get("local_exact", []):
            builder.add_exact(alias, local)
    generics = _load_generics(builder)
    persons, person_aliases = _load_persons(builder)
    words = _word_sets()
    return ActorTable(
        actors=actors,
        persons=persons,
        nations=nations,
        generics=generics,
        folded=builder.folded,
        folded_longest=builder.folded_longest,
        exact=builder.exact,
        exact_longest=builder.exact_longest,
        exact_words=_exact_words(builder.exact),
        military_nouns=_phrases(words["military_nouns"]),
        police_nouns=_phrases(words["police_nouns"]),
        modifiers=frozenset(fold(word) for word in words["force_modifiers"]),
        member_nouns=_phrases(words["member_nouns"]),
        titles=frozenset(fold(word) for word in words["titles"]),
        roles=_role_phrases(),
        protest_verbs=tuple(words["protest_verbs"]),
        protest_nouns=tuple(words["protest_nouns"]),
        person_aliases=person_aliases,
        names=_name_index(actors, nations),
        country_words=country_words,
        group_labels=frozenset(fold(word) for word in words["group_labels"]),
        reciprocal=frozenset(words["reciprocal_verbs"]),
        non_acting=frozenset(words["non_acting_verbs"]),
        victim_subject=frozenset(words["victim_subject_verbs"]),
        subject_pronouns=frozenset(words["subject_pronouns"]),
        place_nouns=frozenset(fold(word) for word in words.get("place_nouns", [])),
    )


def _load_generics(builder: _Builder) -> list[_Generic]:
    generics: list[_Generic] = []
    for row in _read_jsonl("generics.jsonl"):
        entry = _Entry("generic", str(len(generics)))
        generics.append(_Generic(row["refers_to"], row.get("fallback"), row.get("main_if")))
        for phrase in row["phrases"]:
            builder.add_folded(phrase, entry)
    return generics


def _load_persons(builder: _Builder) -> tuple[dict[str, PersonInfo], dict[str, str]]:
    persons: dict[str, PersonInfo] = {}
    aliases: dict[str, str] = {}
    for row in _read_jsonl("persons.jsonl"):
        info = PersonInfo(row["name"], row.get("role"), row.get("affiliation"))
        persons[info.name] = info
        entry = _Entry("person", info.name)
        for alias in [info.name, *row.get("aliases", [])]:
            aliases.setdefault(fold(alias), info.name)
            # One-word names ("Baghdadi", also a place name) only confirm what NER
            # calls a person; longer names are found on their own.
            if len(_name_words(alias)) >= 2:
                builder.add_folded(alias, entry)
    return persons, aliases


def _phrases(words: Iterable[str], value: str = "") -> _Phrases:
    phrases = _Phrases()
    for word in words:
        phrases.add(word, value or fold(word))
    return phrases


def _role_phrases() -> _Phrases:
    phrases = _Phrases()
    for row in _read_jsonl("roles.jsonl"):
        for word in row["words"]:
            phrases.add(word, row["role"])
    return phrases


def _exact_words(exact: dict[tuple[str, ...], _Entry]) -> frozenset[tuple[str, ...]]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(
        tokens for tokens in exact if len(tokens) == 1 and tokens[0].lower() in STOP_WORDS
    )


def _name_index(actors: dict[str, ActorInfo], nations: dict[str, _Nation]) -> dict[str, str]:
    names: dict[str, str] = {}
    for info in actors.values():
        names[info.canonical] = info.canonical
        if info.acled:
            names[info.acled] = info.canonical
        if info.qualified:
            for iso2 in nations:
                names.setdefault(_fill(info.qualified, iso2, nations), info.canonical)
    return names


# --- the public look-ups -------------------------------------------------------------


def actor_info(canonical: str) -> ActorInfo:
    """The table's entry for a canonical actor (also given in its ACLED or
    country-qualified form); KeyError for a name the table lacks."""
    table = load_actor_table()
    name = table.names.get(canonical)
    if name is None:
        raise KeyError(f"not an actor in the table: {canonical!r}")
    return table.actors[name]


def qualified_name(canonical: str, country_iso2: str | None) -> str:
    """ACLED's country-qualified name: ("Islamic State", "IQ") -> "Islamic State (Iraq)",
    ("Military Forces", "SY") -> "Military Forces of Syria". Actors without a
    qualified form, and unknown countries, give the canonical name back."""
    table = load_actor_table()
    info = table.actors.get(canonical)
    if info is None or info.qualified is None or not country_iso2:
        return canonical
    return _fill(info.qualified, country_iso2.upper(), table.nations) or canonical


def inter_for(canonical: str, country_iso2: str | None) -> int:
    """The actor's inter code in an event in ``country_iso2``: a state's forces acting
    outside their own country are external forces (8), as ACLED codes them."""
    info = actor_info(canonical)
    if info.inter == 1 and info.country and country_iso2 and info.country != country_iso2:
        return _EXTERNAL_INTER
    return info.inter


def known_acronyms() -> frozenset[str]:
    """The acronyms the table matches as written ("ELN", "FARC"), for the truecaser to
    keep in capitals: one word, all capitals, not an English word ("IS", "US", and the
    ``acronym_words`` set: "TIP", "OPS")."""
    table = load_actor_table()
    words = {fold(word) for word in _word_sets().get("acronym_words", [])}
    return frozenset(
        tokens[0]
        for tokens in table.exact
        if len(tokens) == 1
        and tokens[0].isalpha()
        and tokens[0].isupper()
        and tokens not in table.exact_words
        and fold(tokens[0]) not in words
    )


def _fill(template: str, iso2: str, nations: dict[str, _Nation]) -> str:
    nation = nations.get(iso2)
    if nation is not None:
        country, the = nation.country, nation.the
    else:
        record = pycountry.countries.get(alpha_2=iso2)
        if record is None:
            return ""
        country = str(getattr(record, "common_name", None) or record.name)
        the = False
    the_country = f"the {country}" if the else country
    return template.format(country=country, the_country=the_country)


# --- matching --------------------------------------------------------------------------


@lru_cache(maxsize=200_000)
def _token_words(text: str) -> tuple[str, ...]:
    if text in _BARRIERS:
        return ("",)
    return tuple(fold(text).split())


@dataclass(frozen=True, slots=True)
class _Words:
    """The document as folded words; ``token_of[w]`` is the token a word comes from and
    ``first_word[t]`` the first word at or after token ``t``. Barrier tokens are the
    empty word, which no alias contains."""

    words: list[str]
    token_of: list[int]
    first_word: list[int]

    @classmethod
    def of(cls, doc: Doc) -> _Words:
        words: list[str] = []
        token_of: list[int] = []
        first_word: list[int] = []
        for token in doc:
            first_word.append(len(words))
            for word in _token_words(token.text):
                words.append(word)
                token_of.append(token.i)
        first_word.append(len(words))
        return cls(words, token_of, first_word)


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int  # tokens
    end: int
    entry: _Entry
    canonical: str | None  # known for actors and nations; None for generics
    # A role noun follows ("coalition spokesman"): a generic then names its actor.
    before_role: bool = False


@dataclass(frozen=True, slots=True)
class _Scan:
    """The mentions of one document, its folded words and how often it names each
    country (by name or demonym)."""

    hits: list[_Hit]
    text: _Words
    countries: Counter[str]
    # (token, ISO code) of each naming of a country.
    country_tokens: list[tuple[int, str]]
    # The token after the document's first sentence (0 when sentences are not known).
    lede_end: int = 0


def _scan(doc: Doc, table: ActorTable) -> _Scan:
    """Alias, nationality and generic mentions, longest first, left to right."""
    text = _Words.of(doc)
    country_tokens = _countries_named(doc, text, table)
    countries = Counter(iso for _, iso in country_tokens)
    hits: list[_Hit] = []
    at = 0
    while at < len(text.words):
        hit = _hit_at(doc, text, at, table, countries)
        if hit is None or _yields(doc, text, at, hit, table, countries):
            at += 1
            continue
        hits.append(hit)
        at = text.first_word[hit.end]
    lede_end = 0
    if len(doc) and (doc.has_annotation("SENT_START") or doc.has_annotation("DEP")):
        lede_end = doc[0].sent.end
    return _Scan(hits, text, countries, country_tokens, lede_end)


def _yields(
    doc: Doc, text: _Words, at: int, hit: _Hit, table: ActorTable, countries: Counter[str]
) -> bool:
    """A nationality's forces yield to a named group whose name starts on their force
    noun and runs on: "Colombian army of national liberation guerrillas" is the ELN,
    not the Colombian army."""
    if hit.entry.kind != "nation":
        return False
    end = text.first_word[hit.end]
    for inner in range(at + 1, end):
        other = _hit_at(doc, text, inner, table, countries)
        if other is not None and other.entry.kind == "actor" and other.end > hit.end:
            return True
    return False


def _countries_named(doc: Doc, text: _Words, table: ActorTable) -> list[tuple[int, str]]:
    """Where the document names a country, by name or demonym ("Salvadoran", "El
    Salvador"), or by an exact alias ("US", not in a capitals headline): (token, ISO)."""
    named: list[tuple[int, str]] = []
    words = text.words
    at = 0
    while at < len(words):
        found = table.country_words.match(words, at)
        if found is None:
            at += 1
            continue
        named.append((text.token_of[at], found[1]))
        at += found[0]
    for token in doc:
        entry = table.exact.get((token.text,))
        if entry is None or entry.kind != "nation" or entry.local:
            continue
        if (token.text,) in table.exact_words and _in_capitals(token):
            continue
        named.append((token.i, entry.target))
    return named


# A local alias is refused where the document names another country this often and
# never its own: a passing "pro-Iran militias" does not make "regime forces" foreign.
_FOREIGN_CONTEXT = 2


def _allowed(entry: _Entry, countries: Counter[str]) -> bool:
    """A local alias counts unless the document is plainly about another country."""
    if entry.local is None or entry.local in countries:
        return True
    return max(countries.values(), default=0) < _FOREIGN_CONTEXT


def _hit_at(
    doc: Doc, text: _Words, at: int, table: ActorTable, countries: Counter[str]
) -> _Hit | None:
    candidates = [*_exact_candidates(doc, text, at, table), *_folded_candidates(text, at, table)]
    best: _Hit | None = None
    for end, entry in candidates:
        if not _allowed(entry, countries):
            continue
        hit = _complete(doc, text, at, end, entry, table)
        if hit is not None and (best is None or hit.end > best.end):
            best = hit
    return best


def _exact_candidates(
    doc: Doc, text: _Words, at: int, table: ActorTable
) -> Iterator[tuple[int, _Entry]]:
    """(end word, entry) of aliases matched as written, from the token starting here."""
    start = text.token_of[at]
    if text.first_word[start] != at:
        return
    longest = table.exact_longest.get(doc[start].text, 0)
    for size in range(min(longest, len(doc) - start), 0, -1):
        tokens = tuple(token.text for token in doc[start : start + size])
        entry = table.exact.get(tokens)
        if entry is None:
            continue
        if tokens in table.exact_words and _in_capitals(doc[start]):
            continue
        yield text.first_word[start + size], entry


def _in_capitals(token: Token) -> bool:
    """True in a headline written in capitals, where "IS" may be the verb."""
    words = [t for t in token.sent if t.is_alpha and len(t) > 1 and t.i != token.i]
    if not words:
        return True
    return sum(t.is_upper for t in words) * 2 > len(words)


def _folded_candidates(text: _Words, at: int, table: ActorTable) -> Iterator[tuple[int, _Entry]]:
    words = text.words
    longest = table.folded_longest.get(words[at], 0)
    for size in range(min(longest, len(words) - at), 0, -1):
        entry = table.folded.get(" ".join(words[at : at + size]))
        if entry is not None:
            yield at + size, entry


def _complete(
    doc: Doc, text: _Words, at: int, end: int, entry: _Entry, table: ActorTable
) -> _Hit | None:
    """The mention an alias starts: nations need a force noun, actors take a member
    noun after them ("IS militants"), "the group of ..." is no mention."""
    if entry.kind == "nation":
        return _nation_hit(text, at, end, entry, table) or _coordinated_nation(
            text, at, end, entry, table
        )
    if entry.kind == "generic":
        if end < len(text.words) and text.words[end] == "of":
            return None
        before_role = end < len(text.words) and table.roles.match(text.words, end) is not None
        return _Hit(text.token_of[at], text.token_of[end - 1] + 1, entry, None, before_role)
    if entry.kind == "actor" and table.actors[entry.target].kind not in _PEOPLE_KINDS:
        member = table.member_nouns.match(text.words, end) if end < len(text.words) else None
        if member is not None:
            end += member[0]
    canonical = entry.target if entry.kind in ("actor", "person") else None
    return _Hit(text.token_of[at], text.token_of[end - 1] + 1, entry, canonical)


# Actors that are people rather than forces: no member noun joins their mention.
_PEOPLE_KINDS = frozenset({"civilians", "protesters", "rioters"})


def _nation_hit(text: _Words, at: int, end: int, entry: _Entry, table: ActorTable) -> _Hit | None:
    """A demonym, modifiers, then a force noun: "Iraqi security forces" -> the military,
    "Iraqi police forces" -> the police. The last force noun ends the mention."""
    words = text.words
    last_noun = 0
    police = False
    here = end
    while here < len(words):
        noun = table.police_nouns.match(words, here)
        is_police = noun is not None
        noun = noun or table.military_nouns.match(words, here)
        if noun is not None:
            here += noun[0]
            last_noun = here
            police = police or is_police
        elif words[here] in table.modifiers:
            here += 1
        else:
            break
    if not last_noun:
        return None
    nation = table.nations[entry.target]
    canonical = nation.police if police else nation.military
    return _Hit(text.token_of[at], text.token_of[last_noun - 1] + 1, entry, canonical)


def _coordinated_nation(
    text: _Words, at: int, end: int, entry: _Entry, table: ActorTable
) -> _Hit | None:
    """ "Iraqi and Turkish troops": the first demonym shares the second one's noun."""
    words = text.words
    if end + 1 >= len(words) or words[end] not in ("and", "or"):
        return None
    for next_end, next_entry in _folded_candidates(text, end + 1, table):
        if next_entry.kind != "nation":
            continue
        shared = _nation_hit(text, end + 1, next_end, next_entry, table)
        if shared is None:
            continue
        nation = table.nations[entry.target]
        police = table.actors[shared.canonical or ""].kind == "police"
        canonical = nation.police if police else nation.military
        return _Hit(text.token_of[at], text.token_of[end - 1] + 1, entry, canonical)
    return None


# --- resolving mentions to actors ---------------------------------------------------------


def _main_group(scan: _Scan, table: ActorTable) -> str | None:
    """The group the document is about: among the named armed non-state groups that do
    not fight alongside a state (the SDF is never what "militants" stand for), the one
    the text labels "terrorist" or "jihadist", else the most mentioned, a jihadist group
    winning a tie; None when two groups still tie."""
    counts: Counter[str] = Counter()
    labelled: set[str] = set()
    for hit in scan.hits:
        if hit.entry.kind != "actor" or hit.canonical is None:
            continue
        info = table.actors[hit.canonical]
        if info.kind not in _GROUP_KINDS or info.generic or info.state_allied:
            continue
        counts[hit.canonical] += 1
        if _labelled(scan.text, hit, table):
            labelled.add(hit.canonical)

    def rank(name: str) -> tuple[bool, int, bool]:
        return name in labelled, counts[name], table.actors[name].jihadist

    ranked = sorted(counts, key=rank, reverse=True)
    if not ranked:
        return None
    tied = {name for name in ranked if rank(name) == rank(ranked[0])}
    if len(tied) == 1:
        return ranked[0]
    return _named_in_lede(tied, scan)


def _named_in_lede(tied: set[str], scan: _Scan) -> str | None:
    """Of groups mentioned equally often, the one the document's first sentence names
    (a report names its subject in the lede: "The ELN has announced ...", then the
    other groups of the story); None unless the lede names exactly one of them
    ("HTS and Hurras al-Din clashed" leaves "the group" unknown)."""
    named = {
        hit.canonical
        for hit in scan.hits
        if hit.start < scan.lede_end and hit.entry.kind == "actor" and hit.canonical in tied
    }
    return named.pop() if len(named) == 1 else None


# How many words before a group's name a label may stand ("the terrorist organization ISIS").
_LABEL_WINDOW = 3


def _labelled(text: _Words, hit: _Hit, table: ActorTable) -> bool:
    """Whether a label word ("terrorist", "jihadist") stands just before the mention or
    inside it ("ISIS terrorists")."""
    first, last = text.first_word[hit.start], text.first_word[hit.end]
    before = text.words[max(0, first - _LABEL_WINDOW) : first]
    if "" in before:
        before = before[len(before) - before[::-1].index("") :]
    return any(
        word.startswith(label)
        for word in [*before, *text.words[first + 1 : last]]
        for label in table.group_labels
    )


def _doc_country(countries: Counter[str]) -> str | None:
    """The country the document names most, when no other ties with it."""
    ranked = countries.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _state_country(hits: list[_Hit], table: ActorTable) -> str | None:
    """The one country whose forces the document names, if there is exactly one."""
    countries = {
        table.actors[hit.canonical].country
        for hit in hits
        if hit.canonical is not None
        and hit.entry.kind in ("actor", "nation")
        and table.actors[hit.canonical].kind in ("military", "police")
        and not table.actors[hit.canonical].generic
    }
    return countries.pop() if len(countries) == 1 else None


def _resolve(doc: Doc, scan: _Scan, table: ActorTable, main: str | None) -> list[tuple[_Hit, str]]:
    """Canonical actors of the mentions. Soldiers and police named without a country
    are the forces of the one country their sentence names ("soldiers were killed in
    the Yemeni city of Aden"), else of the country the document names most ("ARMY" in
    a Salvadoran report), else of the one country whose forces it names."""
    hits = scan.hits
    named = {hit.canonical for hit in hits if hit.entry.kind in ("actor", "nation")}
    # "the US-led coalition", "Iranian-backed militias" do not say where soldiers are from.
    inside = {i for hit in hits if hit.entry.kind == "actor" for i in range(hit.start, hit.end)}
    country_tokens = [(i, iso) for i, iso in scan.country_tokens if i not in inside]
    if doc.has_annotation("DEP"):
        forces = {
            i for hit in hits if hit.entry.kind == "nation" for i in range(hit.start, hit.end)
        }
        country_tokens = [
            (i, iso) for i, iso in country_tokens if i in forces or _places(doc[i], table)
        ]
    counts = Counter(iso for _, iso in country_tokens)
    country = _doc_country(counts) or _state_country(hits, table)
    resolved: list[tuple[_Hit, str]] = []
    nations = [hit for hit in hits if hit.entry.kind == "nation"]
    # The sentence that last named forces of a country, and their countries.
    last_forces: tuple[int, set[str]] = (-1, set())
    for hit in hits:
        in_sentence: set[str] = set()
        if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
            sent = doc[hit.start].sent
            # Another force's nationality says whose that force is, not where this one
            # is from ("the army said units backed by the Russian air force ...").
            others = {
                i for other in nations if other is not hit for i in range(other.start, other.end)
            }
            in_sentence = {
                iso for i, iso in country_tokens if sent.start <= i < sent.end and i not in others
            }
        # With no country in its sentence, "the army" is the army last named with one
        # ("Syria's army announced ... A statement from the army ..."), else the
        # document's. Forces of two countries named last leave it open.
        last = last_forces[1] if len(last_forces[1]) == 1 else set()
        here = in_sentence.pop() if len(in_sentence) == 1 else (next(iter(last), country))
        canonical = _resolve_one(hit, table, main, named, here)
        if canonical is not None:
            resolved.append((hit, canonical))
            info = table.actors.get(canonical)
            if info is not None and info.kind in ("military", "police") and info.country:
                start = doc[hit.start].sent.start if doc.has_annotation("DEP") else 0
                if last_forces[0] != start:
                    last_forces = (start, set())
                last_forces[1].add(info.country)
    return resolved


def _places(token: Token, table: ActorTable) -> bool:
    """Whether a country named in a sentence says where the sentence happens: not a
    demonym on a thing ("attacks against U.S. properties", "the Soviet embassy"), but
    a country, or a demonym on a place ("the Yemeni city of Aden")."""
    if token.dep_ not in ("amod", "compound", "nmod", "poss"):
        return True
    if token.dep_ == "poss":
        return True  # "Syria's army", "Iraq's west": the country's own
    head = token.head
    return head.pos_ == "PROPN" or fold(head.lemma_) in table.place_nouns


def _resolve_one(
    hit: _Hit, table: ActorTable, main: str | None, named: set[str | None], country: str | None
) -> str | None:
    if hit.entry.kind == "person":
        return None
    if hit.entry.kind != "generic":
        assert hit.canonical is not None
        info = table.actors[hit.canonical]
        if info.generic and info.kind in ("military", "police") and country:
            nation = table.nations.get(country)
            if nation is not None:
                return nation.military if info.kind == "military" else nation.police
        return hit.canonical
    generic = table.generics[int(hit.entry.target)]
    if generic.refers_to == "main_group":
        return main if _stands_for(generic, main, table) else generic.fallback
    if generic.refers_to in named or hit.before_role:
        return generic.refers_to
    return generic.fallback


def _stands_for(generic: _Generic, main: str | None, table: ActorTable) -> bool:
    """Whether a generic mention can stand for the document's main group."""
    if main is None:
        return False
    info = table.actors[main]
    if generic.main_if == "rebel":
        return not info.jihadist
    if generic.main_if == "criminal":
        return info.criminal
    return True


# --- protesters -------------------------------------------------------------------------------

# How far up the parse a protest word may be from the verb whose subject protests
# ("hundreds gathered to protest", "students staged a protest outside ...").
_PROTEST_CLIMB = 3
# A subject phrase longer than this is cut to its head word.
_MAX_SUBJECT = 8


def _protest_matcher(vocab: Vocab, table: ActorTable) -> ExactMatcher:
    """Protest verbs and nouns, one exact pattern each (a lemma has one part of speech
    per token, so the matches are those of one {"IN": [...]} pattern per part of speech)."""
    verbs = [[{"LEMMA": lemma, "POS": "VERB"}] for lemma in sorted(table.protest_verbs)]
    nouns = [[{"LEMMA": lemma, "POS": "NOUN"}] for lemma in sorted(table.protest_nouns)]
    return ExactMatcher(vocab, [("PROTEST", verbs + nouns)])


def _protesters(doc: Doc, matcher: ExactMatcher) -> Iterator[tuple[int, int, int, int, int]]:
    """Token ranges of the subjects of protest verbs: they are protesters. Each comes
    with the whole subject phrase (the range is cut to its head when long) and the
    subject's head token."""
    for _, start, _ in matcher(doc):
        subject = _subject_of(doc[start])
        if subject is None or subject.pos_ == "PRON":
            continue
        left, right = subject.left_edge.i, subject.right_edge.i + 1
        phrase = (left, right)
        if right - left > _MAX_SUBJECT:
            left, right = subject.i, subject.i + 1
        yield left, right, *phrase, subject.i


def _subject_of(token: Token) -> Token | None:
    for _ in range(_PROTEST_CLIMB):
        for child in token.children:
            if child.dep_ == "nsubj":
                return child
        # The small model often attaches "teachers protested" as a clause on the noun.
        if token.dep_ == "acl" and token.pos_ == "VERB" and token.head.pos_ == "NOUN":
            return token.head
        if token.dep_ == "ROOT":
            return None
        token = token.head
    return None


def _with_protesters(
    doc: Doc, resolved: list[tuple[int, int, str]], matcher: ExactMatcher, table: ActorTable
) -> list[tuple[int, int, str]]:
    """Protest subjects become Protesters; a civilians mention inside one gives way,
    and a subject that names an armed actor ("members of the 8th front of the FARC
    carried out attacks to protest ...") stays that actor."""
    ranges = list(_protesters(doc, matcher)) if table.protest_verbs else []
    if not ranges:
        return resolved
    kept = list(resolved)
    for left, right, first, last, head in ranges:
        inside = [r for r in kept if r[0] < right and left < r[1]]
        if any(table.actors[r[2]].kind != "civilians" for r in inside):
            continue
        if _members_of_armed(doc[head], [r for r in kept if r[0] < last and first < r[1]], table):
            continue
        kept = [r for r in kept if r not in inside]
        kept.append((left, right, _PROTESTERS))
    return sorted(kept)


_PROTESTERS = "Protesters"
# Member nouns that make a subject the armed actor it names ("members of the FARC"),
# unlike "supporters" and "loyalists", who may well protest.
_FIGHTING_MEMBERS = frozenset({"member", "fighter", "militant", "guerrilla", "unit", "cell"})


def _members_of_armed(head: Token, named: list[tuple[int, int, str]], table: ActorTable) -> bool:
    """ "Members of the 8th front of the FARC carried out attacks to protest ...": the
    subject is the armed group's people, not protesters."""
    if head.lemma_.lower() not in _FIGHTING_MEMBERS:
        return False
    return any(table.actors[r[2]].inter in (1, 2, 3) for r in named)


# --- persons --------------------------------------------------------------------------------


def _name_words(text: str) -> list[str]:
    return [word for word in fold(text).split() if word not in ARTICLES]


def _strip_titles(span: Span, titles: frozenset[str]) -> Span | None:
    """The name without titles before it and a possessive after it."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (fold(doc[start].text) in titles or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].text in ("'s", "’s") or doc[end - 1].is_punct):
        end -= 1
    if start == end or not any(
        token.is_alpha and token.text[0].isupper() for token in doc[start:end]
    ):
        return None
    return doc[start:end]


def _person_spans(doc: Doc, hits: list[_Hit], actors: list[Span], table: ActorTable) -> list[Span]:
    """Persons from the persons table and from NER, minus what is an actor."""
    taken = [False] * len(doc)
    spans: list[Span] = []
    for hit in hits:
        if hit.entry.kind == "person":
            spans.append(doc[hit.start : hit.end])
            taken[hit.start : hit.end] = [True] * (hit.end - hit.start)
    for actor in actors:
        taken[actor.start : actor.end] = [True] * (actor.end - actor.start)
    for ent in doc.ents:
        if ent.label_ != "PERSON" or any(taken[ent.start : ent.end]):
            continue
        name = _strip_titles(ent, table.titles)
        if name is not None:
            spans.append(name)
            taken[ent.start : ent.end] = [True] * (ent.end - ent.start)
    spans.extend(_surname_mentions(doc, spans, taken))
    return sorted(spans, key=lambda span: span.start)


def _surname_mentions(doc: Doc, spans: list[Span], taken: list[bool]) -> Iterator[Span]:
    """Surnames of the persons found, where NER missed them ("Caggins added ...")."""
    surnames = {
        span[-1].text for span in spans if len(span) >= _MAX_SHORT_NAME and span[-1].is_title
    }
    if not surnames:
        return
    for token in doc:
        if token.text in surnames and not taken[token.i]:
            yield doc[token.i : token.i + 1]


def _full_names(spans: list[Span], table: ActorTable) -> dict[int, str]:
    """Person kb ids: a table person's name, else the fullest name in the document
    whose words hold this mention's words ("Caggins" -> "Myles Caggins")."""
    full = [span for span in spans if len(_name_words(span.text)) > _MAX_SHORT_NAME - 1]
    names: dict[int, str] = {}
    for span in spans:
        known = table.person_aliases.get(fold(span.text))
        if known is not None:
            names[span.start] = known
            continue
        names[span.start] = _longer_name(span, full) or span.text
    for start, name in names.items():
        names[start] = table.person_aliases.get(fold(name), name)
    return names


def _longer_name(span: Span, full: list[Span]) -> str | None:
    words = set(_name_words(span.text))
    if not words:
        return None
    holders = [other for other in full if words < set(_name_words(other.text))]
    if not holders:
        return None
    before = [other for other in holders if other.start < span.start]
    return (before[-1] if before else holders[0]).text


def _role_in(tokens: Span, table: ActorTable) -> str | None:
    words = [word for token in tokens for word in _token_words(token.text)]
    role = None
    for at in range(len(words)):
        hit = table.roles.match(words, at) if words[at] else None
        if hit is not None:
            role = hit[1]
    return role


def _affiliation_in(start: int, end: int, actors: list[Span]) -> str | None:
    inside = [actor for actor in actors if actor.start >= start and actor.end <= end]
    return inside[-1].kb_id_ if inside else None


def _before(span: Span, titles: frozenset[str]) -> Span:
    """The words just before a name, back to a verb or a punctuation mark (the full
    stop of "Col." is part of the title)."""
    doc = span.doc
    start = max(span.sent.start, span.start - _PRE_WINDOW)
    for i in range(span.start - 1, start - 1, -1):
        after_title = i > 0 and doc[i].text == "." and fold(doc[i - 1].text) in titles
        if _ends_window(doc[i]) and not after_title:
            start = i + 1
            break
    return doc[start : span.start]


def _apposition(span: Span) -> Span | None:
    """ "X, a commander of the SDF," -> the words between the commas."""
    doc = span.doc
    if span.end >= len(doc) or doc[span.end].text not in (",", "("):
        return None
    start = span.end + 1
    stop = min(span.sent.end, start + _APPOSITION_WINDOW)
    for i in range(start, stop):
        if _ends_window(doc[i]):
            return doc[start:i]
    return doc[start:stop]


def _ends_window(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") or (token.is_punct and token.text not in ("'s", "-"))


@dataclass(frozen=True, slots=True)
class _Stated:
    role: str | None
    affiliation: str | None


def _stated(span: Span, actors: list[Span], table: ActorTable) -> _Stated:
    """Role and affiliation the text gives next to the name, before or in apposition."""
    for window in (_before(span, table.titles), _apposition(span)):
        if window is None or len(window) == 0:
            continue
        role = _role_in(window, table)
        if role is not None:
            return _Stated(role, _affiliation_in(window.start, window.end, actors))
    return _Stated(None, None)


# --- the components ----------------------------------------------------------------------------


def _register_extensions() -> None:
    for name in ("inter", "actor_kind", "role", "affiliation"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None, force=True)


class _Component:
    """spaCy's component protocol with its error handler; subclasses set annotations."""

    name: str

    def __call__(self, doc: Doc) -> Doc:
        try:
            self.set_annotations(doc)
        except Exception as exc:
            return self.get_error_handler()(self.name, self, [doc], exc)  # type: ignore[no-any-return]
        return doc

    def get_error_handler(self) -> Callable[..., Any]:
        from spacy.util import raise_error

        return getattr(self, "_error_handler", raise_error)

    def set_error_handler(self, handler: Callable[..., Any]) -> None:
        self._error_handler = handler

    def set_annotations(self, doc: Doc) -> None:
        raise NotImplementedError


class ActorRuler(_Component):
    """Sets ``doc.spans["actors"]`` (see the module docstring)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.table = load_actor_table()
        self.protest_matcher = _protest_matcher(nlp.vocab, self.table)

    def set_annotations(self, doc: Doc) -> None:
        scan = _scan(doc, self.table)
        hits = scan.hits
        main = _main_group(scan, self.table)
        resolved = [
            (hit.start, hit.end, name) for hit, name in _resolve(doc, scan, self.table, main)
        ]
        resolved = _with_protesters(doc, resolved, self.protest_matcher, self.table)
        spans: list[Span] = []
        for start, end, canonical in resolved:
            span = Span(doc, start, end, label="ACTOR", kb_id=canonical)
            info = self.table.actors[canonical]
            span._.inter = info.inter
            span._.actor_kind = info.kind
            spans.append(span)
        doc.spans["actors"] = spans
        doc.spans["actors"].attrs["main_group"] = main
        # The persons component reads person hits from here rather than scanning again.
        doc.user_data[_PERSON_HITS] = [
            (hit.start, hit.end) for hit in hits if hit.entry.kind == "person"
        ]


_PERSON_HITS = "ember.person_hits"


class PersonLinker(_Component):
    """Sets ``doc.spans["persons"]`` (see the module docstring); runs after the actors."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.table = load_actor_table()

    def set_annotations(self, doc: Doc) -> None:
        actors = list(doc.spans["actors"]) if "actors" in doc.spans else []
        person_hits = [
            _Hit(start, end, _Entry("person", ""), None)
            for start, end in doc.user_data.pop(_PERSON_HITS, [])
        ]
        spans = _person_spans(doc, person_hits, actors, self.table)
        names = _full_names(spans, self.table)
        persons: list[Span] = []
        for found in spans:
            name = names[found.start]
            span = Span(doc, found.start, found.end, label="PERSON", kb_id=name)
            stated = _stated(span, actors, self.table)
            known = self.table.persons.get(name)
            span._.role = stated.role or (known.role if known else None)
            span._.affiliation = stated.affiliation or (known.affiliation if known else None)
            persons.append(span)
        doc.spans["persons"] = persons


@Language.factory(
    "ember_actor_ruler_v1", assigns=["doc.spans"], requires=["doc.ents"], default_config={}
)
def make_actor_ruler(nlp: Language, name: str) -> ActorRuler:
    return ActorRuler(nlp, name)


@Language.factory(
    "ember_person_linker_v1", assigns=["doc.spans"], requires=["doc.ents"], default_config={}
)
def make_person_linker(nlp: Language, name: str) -> PersonLinker:
    return PersonLinker(nlp, name)


def add_actor_components(nlp: Language) -> None:
    """Add the actor and person components after ``ner`` (once)."""
    _register_extensions()
    if ACTORS_PIPE not in nlp.pipe_names:
        after = "ner" if "ner" in nlp.pipe_names else None
        nlp.add_pipe("ember_actor_ruler_v1", name=ACTORS_PIPE, after=after)
    if PERSONS_PIPE not in nlp.pipe_names:
        nlp.add_pipe("ember_person_linker_v1", name=PERSONS_PIPE, after=ACTORS_PIPE)
