"""Alert rules from a TOML file (``tomllib``; YAML is not read: PyYAML is no dependency).

Each ``[[rule]]`` has an ``id`` (unique, it keys the alerts it raises) and a ``kind``:

- ``event``: an event of a new document that meets every condition the rule states:
  ``actor`` (any spelling or alias the actor table knows, on either side), ``place`` (a
  gazetteer name) or ``lat``/``lon``, with ``within_km``; ``event_type``,
  ``sub_event_type`` (ACLED's names); ``min_fatalities``;
- ``claim``: a new claim about ``subject`` (a term of the claims vocabulary; ``actor``
  optional) whose figure crosses ``above`` (or ``below``) a value: the last earlier
  estimate of that subject was on the other side of it, or there was none;
- ``conflict``: a new conflict in the claims ledger involving a new claim (``subject``,
  ``actor`` optional);
- ``tempo``: the assessment's event tempo of ``actor`` (default: the armed group with
  most events; ``country`` optional) tests as rising, once per month of the window's end.

A file that cannot be read or holds a rule that makes no sense is a ``ConfigError`` with
one line that names the file, the rule and the key."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from ..errors import ConfigError

__all__ = ["Near", "Rule", "RuleKind", "load_rules", "parse_rules"]

RuleKind = Literal["event", "claim", "conflict", "tempo"]
_KINDS: tuple[str, ...] = get_args(RuleKind)
_KEYS: dict[str, frozenset[str]] = {
    "event": frozenset(
        {"actor", "place", "lat", "lon", "within_km", "event_type", "sub_event_type",
         "min_fatalities"}
    ),
    "claim": frozenset({"subject", "actor", "above", "below"}),
    "conflict": frozenset({"subject", "actor"}),
    "tempo": frozenset({"actor", "country"}),
}  # fmt: skip
_MAX_ID = 100


@dataclass(frozen=True, slots=True, kw_only=True)
class Near:
    """Within ``km`` of a point (``name``: the place as the rule gave it, or lat,lon)."""

    name: str
    lat: float
    lon: float
    km: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    id: str
    kind: RuleKind
    actor: str | None = None
    near: Near | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    min_fatalities: int | None = None
    subject: str | None = None
    above: float | None = None
    below: float | None = None
    country: str | None = None

    def describe(self) -> str:
        """The rule in a few words, for the terminal and the alerts page."""
        parts: list[str] = []
        if self.actor:
            parts.append(self.actor)
        if self.event_type or self.sub_event_type:
            parts.append(self.sub_event_type or self.event_type or "")
        if self.near:
            parts.append(f"within {self.near.km:g} km of {self.near.name}")
        if self.min_fatalities is not None:
            parts.append(f"≥ {self.min_fatalities} killed")
        if self.subject:
            parts.append(self.subject)
        if self.above is not None:
            parts.append(f"above {self.above:g}")
        if self.below is not None:
            parts.append(f"below {self.below:g}")
        if self.country:
            parts.append(self.country)
        return f"{self.kind}: {', '.join(parts) or 'any'}"


def load_rules(path: str | Path) -> list[Rule]:
    """The rules of the TOML file at ``path``."""
    name = str(path)
    if Path(path).suffix.lower() in (".yaml", ".yml"):
        raise ConfigError(f"{name}: YAML rules are not read (PyYAML is not installed): use TOML")
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the rules file {name}: {exc.strerror or exc}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{name}: not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: not valid TOML: {exc}") from exc
    return parse_rules(data, source=name)


def parse_rules(data: Mapping[str, Any], *, source: str = "rules") -> list[Rule]:
    """Rules from parsed TOML: ``{"rule": [{...}, ...]}``."""
    extra = sorted(set(data) - {"rule"})
    if extra:
        raise ConfigError(f"{source}: unknown table {extra[0]!r} (rules go in [[rule]] tables)")
    tables = data.get("rule", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ConfigError(f"{source}: 'rule' must be an array of tables ([[rule]])")
    if not tables:
        raise ConfigError(f"{source}: no [[rule]] in the file")
    rules: list[Rule] = []
    for number, table in enumerate(tables, 1):
        rule = _rule(table, f"{source}: rule {table.get('id', number)!r}")
        if any(known.id == rule.id for known in rules):
            raise ConfigError(f"{source}: two rules have the id {rule.id!r}")
        rules.append(rule)
    return rules


def _rule(table: Mapping[str, Any], where: str) -> Rule:
    rule_id = table.get("id")
    if not isinstance(rule_id, str) or not rule_id.strip() or len(rule_id) > _MAX_ID:
        raise ConfigError(f"{where}: needs an 'id' (text, at most {_MAX_ID} characters)")
    kind = table.get("kind")
    if kind not in _KINDS:
        raise ConfigError(f"{where}: 'kind' must be one of {', '.join(_KINDS)}, not {kind!r}")
    unknown = sorted(set(table) - {"id", "kind"} - _KEYS[kind])
    if unknown:
        known = ", ".join(sorted(_KEYS[kind]))
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} for a {kind} rule ({known})")
    actor = _actor(table, where)
    if kind == "event":
        return _event_rule(table, where, rule_id.strip(), actor)
    subject = _subject(table, where)
    if kind == "claim":
        above, below = _number(table, "above", where), _number(table, "below", where)
        if subject is None or (above is None) == (below is None):
            raise ConfigError(f"{where}: a claim rule needs 'subject' and one of 'above', 'below'")
        return Rule(
            id=rule_id.strip(), kind=kind, actor=actor, subject=subject, above=above, below=below
        )
    if kind == "conflict":
        return Rule(id=rule_id.strip(), kind=kind, actor=actor, subject=subject)
    country = _text(table, "country", where)
    if country is not None:
        from ..assess import country_code

        country = country_code(country)
    return Rule(id=rule_id.strip(), kind="tempo", actor=actor, country=country)


def _event_rule(table: Mapping[str, Any], where: str, rule_id: str, actor: str | None) -> Rule:
    from ..taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    event_type = _text(table, "event_type", where)
    if event_type is not None and event_type not in taxonomy.event_to_subs:
        raise ConfigError(
            f"{where}: unknown event_type {event_type!r} ({', '.join(taxonomy.event_to_subs)})"
        )
    sub_event_type = _text(table, "sub_event_type", where)
    if sub_event_type is not None and sub_event_type not in taxonomy.sub_to_event:
        raise ConfigError(f"{where}: unknown sub_event_type {sub_event_type!r} (ACLED's names)")
    fatalities = table.get("min_fatalities")
    if fatalities is not None and (
        not isinstance(fatalities, int) or isinstance(fatalities, bool) or fatalities < 0
    ):
        raise ConfigError(f"{where}: 'min_fatalities' must be a whole number ≥ 0")
    near = _near(table, where)
    if not (actor or near or event_type or sub_event_type or fatalities is not None):
        raise ConfigError(f"{where}: an event rule needs at least one condition")
    return Rule(
        id=rule_id, kind="event", actor=actor, near=near, event_type=event_type,
        sub_event_type=sub_event_type, min_fatalities=fatalities,
    )  # fmt: skip


def _text(table: Mapping[str, Any], key: str, where: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: {key!r} must be non-empty text")
    return value.strip()


def _number(table: Mapping[str, Any], key: str, where: str) -> float | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConfigError(f"{where}: {key!r} must be a number")
    return float(value)


def _actor(table: Mapping[str, Any], where: str) -> str | None:
    """The canonical name of the rule's ``actor``, by the actor table."""
    wanted = _text(table, "actor", where)
    if wanted is None:
        return None
    from ..assess.scope import resolve_actor

    canonical = resolve_actor(wanted, ())
    from ..nlp.actors import load_actor_table

    if canonical not in load_actor_table().actors:
        raise ConfigError(f"{where}: no actor {wanted!r} in the actor table (name or alias)")
    return canonical


def _subject(table: Mapping[str, Any], where: str) -> str | None:
    subject = _text(table, "subject", where)
    if subject is None:
        return None
    from ..extract.claims import subject_vocabulary

    names = _subject_names(subject_vocabulary().subjects)
    if subject not in names:
        raise ConfigError(f"{where}: unknown subject {subject!r} (e.g. {', '.join(names[:6])})")
    return subject


def _subject_names(subjects: Sequence[Any]) -> list[str]:
    return [str(s.name) for s in subjects]


def _near(table: Mapping[str, Any], where: str) -> Near | None:
    place = _text(table, "place", where)
    lat, lon = _number(table, "lat", where), _number(table, "lon", where)
    km = _number(table, "within_km", where)
    if place is None and lat is None and lon is None:
        if km is not None:
            raise ConfigError(f"{where}: 'within_km' needs a 'place' or 'lat' and 'lon'")
        return None
    if place is not None and (lat is not None or lon is not None):
        raise ConfigError(f"{where}: give a 'place' or 'lat' and 'lon', not both")
    if km is None or km <= 0:
        raise ConfigError(f"{where}: a place needs 'within_km', a distance above 0")
    if place is None:
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ConfigError(f"{where}: 'lat' (-90..90) and 'lon' (-180..180) go together")
        return Near(name=f"{lat:g},{lon:g}", lat=lat, lon=lon, km=km)
    found = _place(place)
    if found is None:
        raise ConfigError(f"{where}: the gazetteer has no place {place!r}")
    return Near(name=place, lat=found[0], lon=found[1], km=km)


def _place(name: str) -> tuple[float, float] | None:
    """The point of the likeliest place of that name: an exact spelling before a
    transliteration, the place's own name before an alias, a town before a region of
    the same name (Raqqa the city, not its province), the most populous."""
    from ..geo import load_gazetteer

    candidates = load_gazetteer().lookup(name)
    if not candidates:
        return None
    areas = ("admin1", "country", "continent")
    best = max(
        candidates,
        key=lambda c: (c.exact, c.main, c.place.feature not in areas, c.place.population),
    )
    return best.place.lat, best.place.lon
