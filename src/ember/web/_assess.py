"""``/assess`` and ``/api/assess``: ``ember assess`` in the web app, with the CLI's
filters (``actor``, ``country``, ``admin1``, ``since``, ``until``, ``baseline``).

Both call ``ember.assess`` and show what it says: the API answers its JSON contract
(``assessment_json``), the page the report's view of it (``report/assessment.py``),
each citation a link to the document. A filter that makes no sense is a 400 that says
which; no events for the actor in the scope is a 404 that says so (a JSON error from the
API, the page with its form from ``/assess``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.responses import Response

from ..assess import (
    AssessFilters,
    Assessment,
    NoEvidence,
    assess,
    assessment_json,
    filters_from_options,
)
from ..errors import ConfigError
from ..report.assessment import assessment_view
from ..store import Store
from ._deps import StoreDep, Text
from ._errors import ApiError

__all__ = ["AssessQuery", "assess_api", "assess_filters", "assess_page"]

_MAX_COUNTRIES = 30
Countries = Annotated[
    list[str] | None,
    Query(description="Country (name or ISO code); repeat, or separate with commas."),
]
Statements = Annotated[
    bool, Query(description="Find the documents' own judgments (runs the NLP pipeline).")
]


def assess_filters(
    actor: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Any spelling; default: the armed group with most "
            'events; "all": all political violence.',
        ),
    ] = None,
    country: Countries = None,
    admin1: Annotated[
        str | None, Query(max_length=200, description="First-level division, any spelling.")
    ] = None,
    since: Annotated[str | None, Query(max_length=200, description="YYYY[-MM[-DD]].")] = None,
    until: Annotated[str | None, Query(max_length=200, description="YYYY[-MM[-DD]].")] = None,
    baseline: Annotated[
        str | None,
        Query(
            max_length=200,
            description='"2018", "2018-01..2018-12" or "none" (default: the same length before).',
        ),
    ] = None,
) -> AssessFilters:
    """The filters as ``ember assess`` reads its options; a ConfigError (a 400) names
    the value that makes no sense."""
    countries = list(country or [])
    if len(countries) > _MAX_COUNTRIES or any(len(c) > 200 for c in countries):
        raise ConfigError(f"at most {_MAX_COUNTRIES} countries of at most 200 characters each")
    return filters_from_options(
        actor=actor, countries=countries, admin1=admin1, since=since, until=until,
        baseline=baseline,
    )  # fmt: skip


AssessQuery = Annotated[AssessFilters, Depends(assess_filters)]


def _assessment(store: Store, filters: AssessFilters, *, statements: bool) -> Assessment:
    try:
        return assess(store, filters, with_statements=statements)
    except NoEvidence as exc:
        raise ApiError(404, str(exc), code="no_events") from exc


def assess_api(store: StoreDep, filters: AssessQuery, statements: Statements = True) -> Any:
    """The threat assessment (``ember assess --format json``): indicators, capabilities
    from the claims ledger, the documents' judgments and a verdict, each item citing its
    evidence. 404 (code ``no_events``) when the actor has no event in scope."""
    return assessment_json(_assessment(store, filters, statements=statements))


def assess_page(
    request: Request,
    store: StoreDep,
    actor: Text = None,
    country: Countries = None,
    admin1: Text = None,
    since: Text = None,
    until: Text = None,
    baseline: Text = None,
) -> Response:
    """The assessment page: the form, then what ``ember assess`` says, or why it says
    nothing (a 400 for a bad filter, a 404 for no events), with the form to fix it."""
    asked = {
        "actor": actor or "", "country": ", ".join(country or []), "admin1": admin1 or "",
        "since": since or "", "until": until or "", "baseline": baseline or "",
    }  # fmt: skip
    context: dict[str, Any] = {
        "page": "assess",
        "asked": asked,
        "actors": sorted(
            (e.canonical for e in store.iter_entities() if e.kind == "actor"), key=str.casefold
        ),
        "view": None,
        "error": None,
        "numbers": {},
        "api_url": str(request.url.replace(path="/api/assess", scheme="", netloc="")),
    }
    status = 200
    try:
        filters = assess_filters(actor, country, admin1, since, until, baseline)
        view = assessment_view(assess(store, filters))
    except ConfigError as exc:
        context["error"], status = str(exc), 400
    except NoEvidence as exc:
        context["error"], status = str(exc), 404
    else:
        context["view"] = view
        context["numbers"] = {doc["id"]: n for n, doc in enumerate(view["documents"], 1)}
    engine = request.app.state.templates
    response: Response = engine.TemplateResponse(
        request, "assess.html", context, status_code=status
    )
    return response
