"""One happening, one event per document.

A report tells one happening in several sentences: the lede, the follow-up that adds a
toll or a place, the sentence about the fighters clearing the town after it fell. The
extractor's sentence rules already join a sentence that goes on telling the event just
before it (``events._continues``); this joins, across a few sentences, an event that
adds nothing new to an earlier one of the same document: the same kind of happening
(``data/events/happenings.json``), on the same day or undated (an undated first telling
takes no later one that states its own time), at the same place or at none, with actors
that do not exclude each other, and not introduced as another one ("another attack",
"separately"). A later toll that differs ("the toll rose to 12") is kept with the first
figure, as the sentence rules do. The earlier telling stays, filled with what the later
one adds."""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from importlib import resources

from ..nlp.fold import fold
from ..nlp.places import place_words
from ..records import Event

__all__ = ["merge_one_happening", "tells_toll"]


@dataclass(frozen=True, slots=True)
class _Rules:
    group_of: dict[str, int]
    another: re.Pattern[str]
    max_sentences: int
    max_days: tuple[int, ...]  # per group
    toll: re.Pattern[str]
    told_within_days: int
    continuing: re.Pattern[str]


def tells_toll(text: str) -> bool:
    """Whether a sentence gives a toll ("in a final toll, 121 had been killed")."""
    return _rules().toll.search(text) is not None


def merge_one_happening(
    events: Sequence[Event],
    sentence_starts: Sequence[int],
    *,
    told_past: frozenset[str] = frozenset(),
    told_before: frozenset[str] = frozenset(),
) -> list[Event]:
    """``events`` of one document in text order, with the later tellings of one
    happening folded into the first. ``sentence_starts`` are the character offsets at
    which the document's sentences begin (to count how far apart two events are).

    ``told_past`` holds the ids of events whose date is that of a statement or a toll
    about something already past ("a final toll released on 31 January": 121 had been
    killed): their date only bounds them from above, so they are the document's earlier
    telling of the same kind of happening in the weeks before, wherever it was told.
    ``told_before`` holds the ids of events named as one already told ("Saturday's
    attack", "the bombing"): they may refer back across the whole document."""
    rules = _rules()
    kept: list[Event] = []
    for event in events:
        past = event.id in told_past
        target = next(
            (
                i
                for i in range(len(kept) - 1, -1, -1)
                if (_told_before(kept[i], event, rules) if past else False)
                or _same(kept[i], event, sentence_starts, rules, event.id in told_before)
            ),
            None,
        )
        if target is None:
            kept.append(event)
        else:
            kept[target] = _fold_in(kept[target], event)
    return kept


def _same(
    first: Event, later: Event, starts: Sequence[int], rules: _Rules, refers_back: bool = False
) -> bool:
    group = _group(first, rules)
    if group is None or group != _group(later, rules):
        return False
    far = _sentence(later, starts) - _sentence(first, starts) > rules.max_sentences
    if far and not (refers_back and later.sub_event_type == first.sub_event_type):
        return False  # a far reference back names the same kind of happening
    continuing = rules.continuing.search(later.text) is not None
    if not continuing and rules.another.search(later.text):
        return False
    if first.date.start is None and later.date.start is not None:
        return False  # the later one states a time of its own: another happening
    return (
        _same_day(first, later, rules.max_days[group])
        and (continuing or _same_place(first, later))
        and _actors_agree(first, later)
    )


def _told_before(first: Event, later: Event, rules: _Rules) -> bool:
    """``later``, dated by a statement about the past, tells ``first`` again: the same
    kind of happening, at the same place or none, dated up to ``told_within_days``
    before the statement."""
    group = _group(first, rules)
    if group is None or group != _group(later, rules) or rules.another.search(later.text):
        return False
    if first.date.start is None or later.date.end is None:
        return False
    lag = _days(later.date.end, first.date.start)
    # A toll names its victims, not who acted: only two named doers can disagree.
    doers_agree = first.actor1 is None or later.actor1 is None or first.actor1 == later.actor1
    return 0 <= lag <= rules.told_within_days and _same_place(first, later) and doers_agree


def _group(event: Event, rules: _Rules) -> int | None:
    found = rules.group_of.get(event.sub_event_type)
    return found if found is not None else rules.group_of.get(event.event_type)


def _sentence(event: Event, starts: Sequence[int]) -> int:
    return bisect_right(starts, event.span[0])


def _same_day(a: Event, b: Event, max_days: int) -> bool:
    if a.date.start is None or b.date.start is None:
        return True
    a_end, b_end = a.date.end or a.date.start, b.date.end or b.date.start
    gap = max(_days(a.date.start, b_end), _days(b.date.start, a_end), 0)
    return gap <= max_days


def _days(start: str, end: str) -> int:
    return (date.fromisoformat(start) - date.fromisoformat(end)).days


def _same_place(a: Event, b: Event) -> bool:
    """No place, or one name for both ("Idlib" and "Idlib province": the kind of place
    and articles aside), or a place the other telling also names ("near Barisha, in
    Idlib province" then "in Barisha")."""
    if a.location is None or b.location is None:
        return True
    if _name_words(a.location.name) == _name_words(b.location.name):
        return True
    return _names(b.location.name, a.text) or _names(a.location.name, b.text)


def _names(place: str, text: str) -> bool:
    return re.search(rf"\b{re.escape(fold(place))}\b", fold(text)) is not None


def _name_words(name: str) -> frozenset[str]:
    kinds = place_words()
    words = {w for w in fold(name).split() if w not in kinds and w not in ("the", "al")}
    return frozenset(words) or frozenset(fold(name).split())


def _actors_agree(a: Event, b: Event) -> bool:
    """Both name actors and none in common: two happenings (the army's shelling and the
    group's raid on one day in one town)."""
    left = {x for x in (a.actor1, a.actor2) if x}
    right = {x for x in (b.actor1, b.actor2) if x}
    return not left or not right or bool(left & right)


def _fold_in(first: Event, later: Event) -> Event:
    """The first telling, with what the later one adds (a place, actors, counts); an
    actor never comes to face itself."""
    one = first if first.actor1 else later
    two = first if first.actor2 else later
    facing_itself = two.actor2 is not None and two.actor2 == one.actor1
    return replace(
        first,
        actor1=one.actor1,
        actor1_text=one.actor1_text,
        inter1=one.inter1,
        actor2=None if facing_itself else two.actor2,
        actor2_text=None if facing_itself else two.actor2_text,
        inter2=None if facing_itself else two.inter2,
        location=first.location or later.location,
        date=first.date if first.date.start is not None else later.date,
        fatalities=first.fatalities if first.fatalities is not None else later.fatalities,
        wounded=first.wounded if first.wounded is not None else later.wounded,
        arrested=first.arrested if first.arrested is not None else later.arrested,
        kidnapped=first.kidnapped if first.kidnapped is not None else later.kidnapped,
        confidence=max(first.confidence, later.confidence),
        evidence=(*first.evidence, later.span, *later.evidence),
    )


@cache
def _rules() -> _Rules:
    path = resources.files("ember").joinpath("data/events/happenings.json")
    raw = json.loads(path.read_text("utf-8"))
    group_of = {name: index for index, names in enumerate(raw["groups"]) for name in names}
    words = "|".join(re.escape(w) for w in raw["another_happening"])
    return _Rules(
        group_of=group_of,
        another=re.compile(rf"\b(?:{words})\b", re.IGNORECASE),
        max_sentences=int(raw["max_sentences_apart"]),
        max_days=tuple(int(days) for days in raw["max_days_apart_by_group"]),
        toll=re.compile(
            rf"\b(?:{'|'.join(re.escape(w) for w in raw['toll_words'])})\b", re.IGNORECASE
        ),
        told_within_days=int(raw["told_within_days"]),
        continuing=_any_of(raw["same_happening"]),
    )


def _any_of(phrases: Sequence[str]) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{'|'.join(re.escape(p) for p in phrases)})\b", re.IGNORECASE)
