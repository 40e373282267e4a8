"""Who acts and who is acted on, read off the dependency parse around a trigger.

``actor1`` is the trigger's agent: the subject of a trigger verb, the "by" phrase of a
passive, the modifier of a trigger noun ("coalition air strikes", "IS's attack"), the
subject of the verb that carries it ("militants carried out an attack"), or the actor
of the happening a passive victim died in ("killed in police firing", "killed in a
Turkish drone strike"). ``actor2`` is its patient: the object, the passive subject
(also of the verb a trigger noun sits under: "soldiers were killed in a bombing"), the
noun a passive relative clause hangs on ("villagers who were shot"), or
"against"/"on"/"targeting" phrases; "clashes between X and Y" give X and Y. Both come
from the actor spans the nlp stage marked (``doc.spans["actors"]``); an actor never
faces itself. With no agent in the parse, actor1 is the first armed actor named before
the trigger that holds no role of its own elsewhere: never a victim, nor the subject or
object of another verb ("police found the bodies of men who had been shot")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span, Token

from ..nlp.actors import load_actor_table
from ..nlp.text import doc_spans, spans_overlapping, spans_within
from .lexicon import load_cues, load_triggers

__all__ = ["Roles", "document_claimant", "find_roles", "inter_of", "responsible_actor"]

_SUBJECT = ("nsubj", "csubj")
_PASSIVE_SUBJECT = ("nsubjpass", "csubjpass")
_NOUN_AGENT_DEPS = ("compound", "amod", "poss", "nmod", "npadvmod")
_TARGET_PREPS = ("against", "on", "targeting", "upon", "at")
# Verbs that carry a trigger noun: "carried out an attack", "launched strikes".
_CLIMB_DEPS = ("conj", "xcomp", "advcl", "acl", "relcl", "pcomp")
# Clauses on a noun: the noun is their argument, not a verb that carries them.
_NOUN_CLAUSES = ("acl", "relcl")
# Prepositions before the happening a passive victim died in ("killed in police
# firing", "died during an SDF raid", "fell to police bullets").
_CIRCUMSTANCE_PREPS = ("in", "during", "from", "to", "under")
_RELATIVE_PRONOUNS = ("who", "that", "which", "whom")
# An actor whose head holds one of these roles under another verb acts there, not here.
_OWN_ROLE_DEPS = ("nsubj", "nsubjpass", "csubj", "dobj", "obj")


@dataclass(frozen=True, slots=True)
class Roles:
    actor1: str | None = None
    actor1_text: str | None = None
    inter1: int | None = None
    actor2: str | None = None
    actor2_text: str | None = None
    inter2: int | None = None
    place_object: bool = False
    person_object: bool = False
    weapon_object: bool = False
    # Lemmas of the patient phrase: what the event was done to ("a police patrol").
    patient_words: frozenset[str] = frozenset()


def _sentence_actors(sent: Span) -> list[Span]:
    doc = sent.doc
    return spans_within(doc, "actors", sent.start, sent.end)


def _subtree(token: Token) -> set[int]:
    return {t.i for t in token.subtree}


def _actor_in(indices: set[int], actors: Sequence[Span]) -> Span | None:
    for actor in actors:
        if indices.intersection(range(actor.start, actor.end)):
            return actor
    return None


def _children(token: Token, deps: Iterable[str]) -> list[Token]:
    wanted = tuple(deps)
    return [child for child in token.children if child.dep_ in wanted]


def _prep_objects(token: Token, preps: Iterable[str]) -> list[Token]:
    wanted = tuple(preps)
    objects: list[Token] = []
    for prep in token.children:
        if prep.dep_ in ("prep", "agent") and prep.lower_ in wanted:
            objects.extend(_children(prep, ("pobj", "pcomp")))
    return objects


# How the small parser attaches a proper name it did not read as a noun phrase ("recaptured
# Tal Afar": Afar an adverb of the verb).
_MISPARSED_OBJECT_DEPS = ("advmod", "npadvmod", "attr", "oprd")


# Participles that name who supports the actor, not who acted ("units backed by the
# Russian air force had taken the districts").
_BACKING_VERBS = frozenset({"back", "support", "aid", "help", "assist", "cover", "arm", "fund"})


def _backers(agent: set[int], doc: Doc) -> set[int]:
    """The tokens of the agent phrase that name its backers: the "by" phrase of a
    participle of backing that modifies the agent ("units backed by the air force")."""
    found: set[int] = set()
    for i in agent:
        verb = doc[i]
        if verb.tag_ != "VBN" or verb.lemma_.lower() not in _BACKING_VERBS:
            continue
        if verb.dep_ not in ("acl", "conj", "relcl"):
            continue
        for by in verb.children:
            if by.dep_ == "agent":
                found |= {t.i for t in by.subtree}
    return found


def _misparsed_object(trigger: Token) -> set[int]:
    """The verb's object when the parser attached it as a modifier: a proper name right
    after the verb, inside a name the document's spans hold (a place, an actor, a
    person)."""
    doc = trigger.doc

    def named(i: int) -> bool:  # looked up by index: this runs for every trigger
        return any(spans_overlapping(doc, group, i, i + 1) for group in _NAMED_GROUPS)

    for token in _children(trigger, _MISPARSED_OBJECT_DEPS):
        if token.i <= trigger.i or token.pos_ != "PROPN" or not named(token.i):
            continue
        between = doc[trigger.i + 1 : token.i]
        if all(t.dep_ == "compound" or named(t.i) for t in between):
            return {t.i for t in between} | {token.i}
    return set()


_NAMED_GROUPS = ("places", "actors", "persons")


def _agent_and_patient(trigger: Token) -> tuple[set[int], set[int]]:
    agent: set[int] = set()
    patient: set[int] = set()
    victim_subject = trigger.lemma_.lower() in load_actor_table().victim_subject
    for token in _children(trigger, _SUBJECT):
        if token.lower_ in _RELATIVE_PRONOUNS and trigger.dep_ == "relcl":
            agent |= _noun_phrase(trigger.head, trigger)
        elif victim_subject:
            patient |= _subtree(token)  # "two children died"
        else:
            agent |= _subtree(token)
    for token in _prep_objects(trigger, ("by",)):
        agent |= _subtree(token)
    if (_is_passive(trigger) or victim_subject) and not agent:
        for token in _prep_objects(trigger, _CIRCUMSTANCE_PREPS):
            agent |= _modifier_heads(token)
            for by in _prep_objects(token, ("by",)):  # "killed in a raid by US forces"
                agent |= _subtree(by)
    if trigger.dep_ in _NOUN_CLAUSES and _is_passive(trigger):
        patient |= _noun_phrase(trigger.head, trigger)
    elif trigger.dep_ == "acl" and trigger.tag_ == "VBG" and not agent:
        agent |= _noun_phrase(trigger.head, trigger)  # "police firing", "gunmen attacking"
    for token in _children(trigger, (*_PASSIVE_SUBJECT, "dobj", "obj")):
        patient |= _subtree(token)
    if not patient and trigger.pos_ == "VERB":
        patient |= _misparsed_object(trigger)
    if not patient and trigger.pos_ == "VERB":
        for verb in _children(trigger, ("conj",)):  # "shot and killed six policemen"
            for token in _children(verb, ("dobj", "obj")):
                patient |= _subtree(token)
    for token in _prep_objects(trigger, _TARGET_PREPS):
        patient |= _subtree(token)
    if trigger.pos_ in ("NOUN", "PROPN"):
        for token in _children(trigger, _NOUN_AGENT_DEPS):
            agent |= _subtree(token)
        for token in _prep_objects(trigger, ("of",)):
            patient |= _subtree(token)
        for acl in _children(trigger, ("acl",)):
            for token in _prep_objects(acl, ("by",)):
                agent |= _subtree(token)
    return agent, patient


def _is_passive(verb: Token) -> bool:
    """A passive verb: "were killed", "had been shot", or a bare participle on a noun
    ("the men killed in the raid")."""
    if any(child.dep_ in (*_PASSIVE_SUBJECT, "auxpass") for child in verb.children):
        return True
    return verb.dep_ in _NOUN_CLAUSES and verb.tag_ == "VBN"


def _noun_phrase(noun: Token, clause: Token) -> set[int]:
    """The noun a clause hangs on with its modifiers, without the clause."""
    return _subtree(noun) - _subtree(clause)


def _modifier_heads(noun: Token) -> set[int]:
    """The noun and the heads of its modifiers: the actor of "police firing", "a
    Turkish drone strike", "an SDF raid" (not of "the police station attack")."""
    heads = {noun.i}
    for child in _children(noun, (*_NOUN_AGENT_DEPS, "acl")):
        heads.add(child.i)
        heads |= {t.i for t in child.subtree if t.dep_ in ("compound", "amod") and t.head == child}
    return heads


def _between(trigger: Token, actors: Sequence[Span]) -> tuple[Span | None, Span | None]:
    """ "clashes between X and Y": X and Y."""
    found: list[Span] = []
    for token in _prep_objects(trigger, ("between",)):
        inside = _subtree(token)
        found += [a for a in actors if inside.intersection(range(a.start, a.end))]
    if len(found) < 2:
        return None, None
    return found[0], next((a for a in found[1:] if a.kb_id_ != found[0].kb_id_), None)


def _carrier(trigger: Token) -> Token | None:
    """The verb whose subject acts for this trigger, when the trigger has none."""
    head = trigger.head
    if head.i == trigger.i:
        return None
    if trigger.dep_ == "compound" and head.pos_ in ("NOUN", "PROPN"):
        return head  # "artillery shells", "a protest rally": the noun it names
    if (
        trigger.pos_ in ("VERB", "AUX")
        and trigger.dep_ in _NOUN_CLAUSES
        and (_is_passive(trigger) or any(c.lower_ in _RELATIVE_PRONOUNS for c in trigger.children))
    ):
        return None  # the noun is the clause's argument (see _agent_and_patient)
    if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ in ("dobj", "attr", "pobj", "nsubjpass"):
        if trigger.dep_ == "pobj":
            head = head.head
        elif head.lemma_.lower() in load_actor_table().non_acting:
            return None  # "police found the bodies", "the army foiled an attack"
        return head if head.pos_ in ("VERB", "AUX") else None
    if trigger.dep_ in _CLIMB_DEPS:
        return head
    return None


def _object_kinds(patient: set[int], sent: Span) -> tuple[bool, bool, bool]:
    doc = sent.doc
    cues = load_cues()
    words = {doc[i].lower_ for i in patient}
    places = doc_spans(doc, "places")
    has_place = bool(words & cues.place_words) or any(
        patient.intersection(range(p.start, p.end)) for p in places
    )
    # A person's name counts when it heads the object ("captured Ahmed Hassan"), not
    # inside another noun's phrase ("took over the Francisco Villa school").
    heads = [doc[i] for i in patient if doc[i].head.i not in patient or doc[i].head.i == i]
    persons = any(head.ent_type_ == "PERSON" for head in heads)
    # People that head the object were taken, wherever they were ("seized hundreds of
    # hostages in hospitals in Budennovsk": not the town).
    core = [*heads, *(o for head in heads for o in _prep_objects(head, ("of",)))]
    if any(token.lower_ in cues.person_words for token in core):
        return False, True, False
    has_person = (persons or bool(words & cues.person_words)) and not has_place
    has_weapon = bool(words & cues.weapon_words) and not has_place
    return has_place, has_person, has_weapon


def find_roles(trigger: Token, sent: Span) -> Roles:
    actors = _sentence_actors(sent)
    agent, patient = _agent_and_patient(trigger)
    roles_held = agent | patient
    carrier = _carrier(trigger)
    steps = 0
    while _actor_in(agent, actors) is None and carrier is not None and steps < 3:
        carrier_agent, carrier_patient = _agent_and_patient(carrier)
        agent = carrier_agent or agent
        roles_held |= carrier_agent | carrier_patient
        if not patient:
            patient = carrier_patient if trigger.pos_ not in ("NOUN", "PROPN") else (
                _victims(carrier, carrier_patient))  # fmt: skip
        carrier = _carrier(carrier)
        steps += 1
    place_object, person_object, weapon_object = _object_kinds(patient, sent)
    backers = _backers(agent, trigger.doc)
    actor1 = _actor_in(agent - backers, actors)
    actor2 = _actor_in(patient - agent, actors)
    if actor1 is None:
        actor1 = next(  # "a mob", "rioters"
            (a for a in actors if a.start <= trigger.i < a.end and inter_of(a) not in (7, None)),
            None,
        )
    if actor2 is None and trigger.lemma_.lower() in _territory_verbs():
        actor2 = _loser(trigger, patient, actors)  # "recaptured the town from IS"
    if actor1 is None and actor2 is None:
        actor1, actor2 = _between(trigger, actors)
    if actor1 is None:
        actor1 = _speaker(trigger, actors)
    if actor1 is None:
        actor1 = _clause_agent(trigger, actors)
    if actor1 is None:
        actor1 = _fallback_actor(actors, trigger, exclude=actor2, held=roles_held | backers)
    if actor2 is None and actor1 is not None and trigger.lemma_.lower() in _reciprocal():
        actor2 = _second_subject(agent, actors, actor1)
    if actor2 is not None and actor1 is not None and actor2.kb_id_ == actor1.kb_id_:
        if actor1.root.head.i != trigger.i and actor2.root.head.i == trigger.i:
            # The trigger's own object is surer than an agent found deeper ("the SDF caused
            # the group losses, killing and arresting 50 of its members", misparsed).
            actor1 = _fallback_actor(actors, trigger, exclude=actor2, held=set())
        else:
            actor2 = None  # an actor never faces itself
    return Roles(
        actor1=actor1.kb_id_ if actor1 is not None else None,
        actor1_text=actor1.text if actor1 is not None else None,
        inter1=inter_of(actor1),
        actor2=actor2.kb_id_ if actor2 is not None else None,
        actor2_text=actor2.text if actor2 is not None else None,
        inter2=inter_of(actor2),
        place_object=place_object,
        person_object=person_object,
        weapon_object=weapon_object,
        patient_words=frozenset(sent.doc[i].lemma_.lower() for i in patient),
    )


def _speaker(trigger: Token, actors: Sequence[Span]) -> Span | None:
    """ "The SDF said they had captured the village": a pronoun subject of the clause
    that tells the event is the actor who says so."""
    pronouns = load_actor_table().subject_pronouns
    clause = trigger
    for _ in range(3):
        if any(c.dep_ in _SUBJECT and c.lower_ in pronouns for c in clause.children):
            break
        if clause.dep_ not in _CLIMB_DEPS or clause.head == clause:
            return None
        clause = clause.head
    else:
        return None
    if clause.dep_ != "ccomp":
        return None
    for subject in _children(clause.head, _SUBJECT):
        found = _actor_in(_subtree(subject), actors)
        if found is not None:
            return found
    return None


# Conjunctions of a clause that tells how a happening came about ("fighting raged when
# rebels attacked the barracks").
_WHEN_MARKS = ("when", "as", "while", "after")


def _clause_agent(trigger: Token, actors: Sequence[Span]) -> Span | None:
    """ "Heavy fighting raged when members of the FMLN attacked a substation": a trigger
    noun that is the subject of its clause takes the active subject of a "when" clause
    on that clause's verb, when the clause's verb is itself one of violence."""
    if trigger.dep_ != "nsubj" or trigger.pos_ not in ("NOUN", "PROPN"):
        return None
    verb = trigger.head
    for clause in _children(verb, ("advcl",)):
        if clause.pos_ != "VERB" or _is_passive(clause):
            continue
        if clause.lemma_.lower() not in _violence_verbs():
            continue
        marks = [c for c in clause.children if c.dep_ in ("advmod", "mark")]
        if not any(mark.lower_ in _WHEN_MARKS for mark in marks):
            continue
        for subject in _children(clause, _SUBJECT):
            found = _actor_in(_subtree(subject), actors)
            if found is not None and inter_of(found) not in (7, None):
                return found
    return None


@cache
def _territory_verbs() -> frozenset[str]:
    """One-word verb triggers of territory taken (data/events/triggers.jsonl)."""
    return frozenset(
        t.words[0]
        for t in load_triggers().values()
        if len(t.words) == 1 and "VERB" in t.pos and t.kind == "territory"
    )  # fmt: skip


def _loser(trigger: Token, patient: set[int], actors: Sequence[Span]) -> Span | None:
    """Who territory was taken from: the object of "from" on the verb or on what was
    taken."""
    holders = [trigger, *(trigger.doc[i] for i in sorted(patient))]
    for holder in holders:
        for token in _prep_objects(holder, ("from",)):
            found = _actor_in(_subtree(token), actors)
            if found is not None:
                return found
    return None


@cache
def _violence_verbs() -> frozenset[str]:
    """One-word verb triggers of violent events (data/events/triggers.jsonl)."""
    return frozenset(
        t.words[0]
        for t in load_triggers().values()
        if len(t.words) == 1 and "VERB" in t.pos
        and t.sub_event_type not in _NON_VIOLENT_SUBS
    )  # fmt: skip


_NON_VIOLENT_SUBS = frozenset({
    "Peaceful protest", "Protest with intervention", "Excessive force against protesters",
    "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
    "Headquarters or base established", "Looting/property destruction",
    "Non-violent transfer of territory", "Other",
})  # fmt: skip


# --- who is held responsible ----------------------------------------------------------

# Verbs whose subject is the author of the happening they name: "the FMLN claimed the
# attack", "IS claimed responsibility", "the ELN perpetrated these actions", "a member
# of ETA directed the operation", "the cartel planned the attack".
_AUTHOR_VERBS = ("claim", "perpetrate", "mastermind", "direct", "plan", "order", "organize")
# Verbs that deny what the clause under them says ("denied that it directed an attack").
_DENYING_VERBS = ("deny", "reject", "refute", "dismiss")
# Verbs that put a happening on an actor: "attributed the attack to X", "blamed the
# bombing on X", "blamed X for the bombing".
_ASCRIBING_VERBS = ("attribute", "ascribe", "blame")
_NO_ONE = ("no", "nobody", "none")


def responsible_actor(sent: Span) -> tuple[str, str, int | None] | None:
    """The actor the sentence holds responsible for a happening, if it names one:
    the subject of "claimed" ("IS later claimed responsibility", "claimed by IS"), of
    "perpetrated", of "is responsible for" or "is behind" ("the FMLN is responsible
    for these attacks", "the cartel is behind this attack"), the object of "hold ...
    responsible", and the actor an attack is "attributed to" or "blamed on" / who is
    "blamed for" it. Denials and negations ("no one has claimed", "we are not
    responsible") name nobody. Returns (canonical, as written, inter)."""
    actors = _sentence_actors(sent)
    if not actors:
        return None
    for token in sent:
        for phrase in _responsible_phrases(token):
            found = _actor_in(_subtree(_antecedent(phrase)), actors)
            if found is not None:
                return found.kb_id_, found.text, inter_of(found)
    return None


def _antecedent(subject: Token) -> Token:
    """What a pronoun subject stands for: "the Extraditables, who said they were
    responsible" -> the Extraditables; "the FMLN said it planned the attack" -> the
    FMLN. Any other subject stands for itself."""
    pronouns = load_actor_table().subject_pronouns
    if subject.lower_ not in pronouns and subject.lower_ not in _RELATIVE_PRONOUNS:
        return subject
    clause = subject.head
    for _ in range(3):
        if subject.lower_ in _RELATIVE_PRONOUNS and clause.dep_ == "relcl":
            return clause.head
        if clause.dep_ != "ccomp" or clause.head == clause:
            return subject
        clause = clause.head
        speakers = _children(clause, _SUBJECT)
        if not speakers:
            return subject
        subject = speakers[0]
        if subject.lower_ not in _RELATIVE_PRONOUNS:
            return subject
    return subject


# The inter codes of armed actors (state forces, rebels, militias, external forces): who
# may be held responsible for a document's violence.
_ARMED_INTER = frozenset({1, 2, 3, 4, 8})
_CLAIMANT_KEY = "ember.document_claimant"


def document_claimant(doc: Doc) -> tuple[str, str, int | None] | None:
    """The one armed actor the document holds responsible for a happening anywhere in
    it ("... who said they were responsible for the action" a few sentences after the
    blast), or None when it names none or several. Cached on the doc."""
    if _CLAIMANT_KEY in doc.user_data:
        cached: tuple[str, str, int | None] | None = doc.user_data[_CLAIMANT_KEY]
        return cached
    found: dict[str, tuple[str, str, int | None]] = {}
    for sent in doc.sents:
        claimant = responsible_actor(sent)
        if claimant is not None and claimant[2] in _ARMED_INTER:
            found.setdefault(claimant[0], claimant)
    result = next(iter(found.values())) if len(found) == 1 else None
    doc.user_data[_CLAIMANT_KEY] = result
    return result


def _responsible_phrases(token: Token) -> list[Token]:
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB" and lemma in _AUTHOR_VERBS and not _denied(token):
        if lemma != "claim" and token.tag_ not in ("VBD", "VBN"):
            return []  # "plans to attack", "orders its units": nothing done yet
        agents = _children(token, ("agent",))
        subjects = _children(token, ("nsubj",))
        if not subjects:  # "IS later claimed ...": the name read as the verb "is"
            subjects = [c for c in _children(token, ("aux", "auxpass")) if c.i < token.i and (
                c.text.isupper() and len(c.text) > 1)]  # fmt: skip
        return subjects + [p for a in agents for p in _children(a, ("pobj",))]
    if token.pos_ == "VERB" and lemma in _ASCRIBING_VERBS and not _denied(token):
        # "attributed the attack to X": the parse may hang "to X" on the object.
        objects = _children(token, ("dobj", "nsubjpass"))
        phrases = _prep_objects(token, ("to", "on"))
        phrases += [p for o in objects for p in _prep_objects(o, ("to", "on"))]
        if lemma == "blame" and _prep_objects(token, ("for",)):
            phrases += objects
        return phrases
    if token.lower_ == "responsible" and token.dep_ in ("acomp", "oprd", "ccomp", "xcomp"):
        verb = token.head
        if _denied(verb) or _denied(token):
            return []
        if verb.lemma_.lower() == "hold":  # "we hold X responsible for the attack"
            return _children(verb, ("dobj",)) + _children(token, ("nsubj",))
        return _children(verb, ("nsubj",))
    if token.lower_ == "behind" and token.dep_ == "prep" and token.head.lemma_ == "be":
        verb = token.head
        if _denied(verb) or not _children(token, ("pobj",)):
            return []
        return _children(verb, ("nsubj",))
    return []


def _denied(verb: Token) -> bool:
    """Negated ("did not claim"), said of no one ("no one has claimed"), or denied
    ("denied that it directed the attack")."""
    if any(child.dep_ == "neg" for child in verb.children):
        return True
    clause = verb
    for _ in range(3):
        if clause.dep_ not in ("ccomp", "xcomp", "pcomp") or clause.head == clause:
            break
        clause = clause.head
        if clause.lemma_.lower() in _DENYING_VERBS:
            return True
    return any(
        child.dep_ in _SUBJECT and (child.lower_ in _NO_ONE or any(
            t.dep_ == "det" and t.lower_ in _NO_ONE for t in child.children))
        for child in verb.children
    )  # fmt: skip


def _victims(carrier: Token, patient: set[int]) -> set[int]:
    """Of the patient of the verb a trigger noun sits under, the passive subject and the
    targets ("soldiers were killed in a bombing"), not its object (the trigger itself,
    in "carried out an attack")."""
    victims: set[int] = set()
    for token in _children(carrier, _PASSIVE_SUBJECT):
        victims |= _subtree(token)
    for token in _prep_objects(carrier, _TARGET_PREPS):
        victims |= _subtree(token)
    return victims & patient


def _reciprocal() -> frozenset[str]:
    return load_actor_table().reciprocal


def _second_subject(agent: set[int], actors: Sequence[Span], actor1: Span) -> Span | None:
    """ "Police and rioters clashed": the second actor of a coordinated subject."""
    inside = [a for a in actors if agent.intersection(range(a.start, a.end))]
    coordinated = [a for a in inside if a.root.dep_ == "conj" and a.kb_id_ != actor1.kb_id_]
    return coordinated[0] if coordinated else None


def _fallback_actor(
    actors: Sequence[Span], trigger: Token, exclude: Span | None, held: set[int]
) -> Span | None:
    """With no syntactic agent, the first armed actor named before the trigger that
    holds no role of its own: not a victim or target of the trigger, nor the subject or
    object of another verb ("police found the bodies ...", "police said ...")."""
    for actor in actors:
        if actor.start > trigger.i or (exclude is not None and actor.kb_id_ == exclude.kb_id_):
            continue  # the victim named again ("policemen ... the beheading of a policeman")
        if held.intersection(range(actor.start, actor.end)) or _acts_elsewhere(actor, trigger):
            continue
        if inter_of(actor) not in (7, None):
            return actor
    return None


def _acts_elsewhere(actor: Span, trigger: Token) -> bool:
    """Whether the actor is the subject or object of another verb: not when it is the
    active subject of a verb the trigger hangs under ("a militant opened fire as part of
    an attack"), unless that verb finds or reports ("police found", "police said") or a
    noun's clause stands between them ("the bodies of men who had been shot")."""
    root = actor.root
    while root.dep_ == "conj" and root.head != root:
        root = root.head
    if root.dep_ not in _OWN_ROLE_DEPS or root.head == trigger:
        return False
    verb = root.head
    if root.dep_ != "nsubj" or verb.lemma_.lower() in load_actor_table().non_acting:
        return True
    token = trigger
    while token != verb:
        if token.dep_ in _NOUN_CLAUSES or token.head == token:
            return True
        token = token.head
    return False


def inter_of(actor: Span | None) -> int | None:
    """The ACLED inter code the nlp stage gave an actor span, if any."""
    if actor is None:
        return None
    value = actor._.get("inter") if actor.has_extension("inter") else None
    return int(value) if value is not None else None
