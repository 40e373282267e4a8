"""The ``ember`` command. Each command parses options, calls one library function and
prints a summary; library errors become one line here and nowhere else.

Exit codes: 0 success, 1 some input rejected or an ember error, 2 usage error (a busy
port too), 130 interrupted (Ctrl-C: "interrupted; rerun to resume")."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click
from click.core import ParameterSource

from .errors import ConfigError, EmberError
from .settings import DEFAULT_DB_URL, Settings, load_settings

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["cli", "main"]


_DB_KEY = "ember.db"


def db_option(func: F) -> F:
    """``--db URL`` with ``EMBER_DB`` as its fallback, for every command that uses the
    store; ``ember --db URL <command>`` sets it too (given after the command, it wins)."""
    return click.option(
        "--db",
        "db_url",
        envvar="EMBER_DB",
        default=DEFAULT_DB_URL,
        show_default=True,
        metavar="URL",
        callback=_db_from_group,
        help="Database URL (sqlite:///path.db, postgresql://...) or a SQLite file path. "
        "Env: EMBER_DB.",
    )(func)


def _db_from_group(ctx: click.Context, param: click.Parameter, value: str) -> str:
    given_before = ctx.meta.get(_DB_KEY)
    source = ctx.get_parameter_source(param.name or "")
    if given_before is not None and source is not ParameterSource.COMMANDLINE:
        return str(given_before)
    return value


def _remember_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.meta[_DB_KEY] = value


def _reviewed_only(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        from .store._review import REVIEWED_ONLY

        token = REVIEWED_ONLY.set(True)
        ctx.call_on_close(lambda: REVIEWED_ONLY.reset(token))


def format_option(*choices: str) -> Callable[[F], F]:
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True,
        help="Output format.",
    )  # fmt: skip


def engine_options(func: F) -> F:
    """``--workers``, ``--engine``, ``--address``: where the analysis runs."""
    func = click.option(
        "--address", metavar="ray://HOST:PORT|auto",
        help="With --engine ray: the cluster (default: start a local Ray).",
    )(func)  # fmt: skip
    func = click.option(
        "--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
        help="Analyse in local worker processes, or on Ray (pip install 'ember[ray]').",
    )(func)  # fmt: skip
    return click.option(
        "--workers", type=click.IntRange(min=1), metavar="N",
        help="Analysis processes (default: the machine's cores; Ray: the cluster's CPUs).",
    )(func)  # fmt: skip


def _engine(workers: int | None, engine: str, address: str | None) -> dict[str, Any]:
    """The engine options, checked: a missing Ray is one line and exit 2."""
    if engine == "ray":
        from .scale.ray_engine import RAY_MISSING, ray_available

        if not ray_available():
            click.echo(f"error: {RAY_MISSING}", err=True)
            sys.exit(2)
    elif address is not None:
        raise click.UsageError("--address is for --engine ray")
    return {"workers": workers, "engine": engine, "address": address}


@contextmanager
def _edge() -> Iterator[None]:
    """Turn ember's errors into one line and an exit code; let bugs show their traceback."""
    try:
        yield
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    except EmberError as exc:
        raise click.ClickException(str(exc)) from exc


def _settings(**flags: Any) -> Settings:
    with _edge():
        return load_settings(**flags)


class _Interruptible(click.Group):
    """Ctrl-C in any command: one line and exit 130 (each write is its own transaction,
    so a rerun resumes), never click's "Aborted!" and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("interrupted; rerun to resume", err=True)
            ctx.exit(INTERRUPTED)


INTERRUPTED = 130


@click.group(cls=_Interruptible, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ember")
@click.option(
    "--db", metavar="URL", expose_value=False, callback=_remember_db, is_eager=True,
    help="Database URL for the command that follows (as its own --db).",
)  # fmt: skip
@click.option(
    "--reviewed-only", is_flag=True, expose_value=False, callback=_reviewed_only,
    help="Exports, the report, claims and assessments read reviewed records only.",
)  # fmt: skip
def cli() -> None:
    """ember: turn conflict reporting into a sourced, geocoded evidence base."""


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="PATH|URL...")
@db_option
@click.option("--text-column", help="Column holding the text in .csv/.jsonl (default: auto).")
@click.option("--follow", is_flag=True, help="For feeds, fetch each entry's linked page.")
@click.option(
    "--allow-private", is_flag=True,
    help="Allow fetching private, loopback and link-local addresses.",
)  # fmt: skip
@click.option("--no-analyze", is_flag=True, help="Store documents only; analyse later.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, summary only.")
@engine_options
def ingest(
    inputs: tuple[str, ...],
    db_url: str,
    text_column: str | None,
    follow: bool,
    allow_private: bool,
    no_analyze: bool,
    quiet: bool,
    workers: int | None,
    engine: str,
    address: str | None,
) -> None:
    """Ingest files, folders, globs and http(s) URLs into the store, then analyse them.

    Reads .txt .md .html .htm .pdf .docx .jsonl .csv .xml/.rss/.atom .warc .warc.gz
    (and any of them gzipped). The same text ingested twice is stored once; syndicated
    copies are stored with duplicate_of set. Each new original document is then analysed into
    events, actors and places (see `ember analyze`). Exits 1 when some input was
    rejected."""
    if blank := [item for item in inputs if not item.strip()]:
        raise click.UsageError(f"an empty PATH|URL ({blank[0]!r}): name a file, folder or URL")
    where = _engine(workers, engine, address)
    settings = _settings(
        db_url=db_url, text_column=text_column, follow_links=follow, allow_private=allow_private
    )
    summary = _run_ingest(list(inputs), settings, show_progress=not quiet)
    _print_summary(summary)
    failed = False
    if not no_analyze:
        analysis = _run_analyze(settings, force=False, show_progress=not quiet, **where)
        _print_analysis(analysis)
        failed = bool(analysis.failed)
    if summary.rejected or failed:
        sys.exit(1)


@cli.command()
@db_option
@click.option("--force", is_flag=True, help="Analyse every document again, not only new ones.")
@click.option("--retry-failed", is_flag=True, help="Try again the documents whose analysis failed.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, summary only.")
@engine_options
def analyze(
    db_url: str,
    force: bool,
    retry_failed: bool,
    quiet: bool,
    workers: int | None,
    engine: str,
    address: str | None,
) -> None:
    """Find events, actors and places in stored documents.

    Analyses the original documents (not near-duplicates) that this version of ember
    has not analysed yet; --force analyses all of them again. Each document's analysis
    replaces the previous one in a single transaction, so an interrupted run resumes.
    A document whose analysis fails is marked failed with its reason and skipped by
    later runs (--retry-failed tries again); exits 1 when one failed.

    Documents are analysed by --workers processes (each loads the pipeline once) or on
    Ray (--engine ray, docs/scale.md); only this process writes the store, and the store
    ends the same whatever the workers."""
    where = _engine(workers, engine, address)
    settings = _settings(db_url=db_url)
    summary = _run_analyze(
        settings, force=force, show_progress=not quiet, retry=retry_failed, **where
    )
    _print_analysis(summary)
    if summary.failed:
        sys.exit(1)


def _run_analyze(
    settings: Settings, *, force: bool, show_progress: bool, retry: bool = False, **where: Any
) -> Any:
    from .scale import analyze_stored
    from .scale.budget import DocumentBudget
    from .store import Store

    with _edge(), Store.open(settings.db_url) as store:
        where["budget"] = DocumentBudget.of(settings)
        if not (show_progress and sys.stderr.isatty()):
            return analyze_stored(store, force=force, retry_failed=retry, **where)
        from rich.progress import Progress, SpinnerColumn, TextColumn

        with Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True) as bar:
            task = bar.add_task("analysing", total=None)
            return analyze_stored(
                store, force=force, retry_failed=retry,
                on_document=lambda _id: bar.advance(task), **where,
            )  # fmt: skip


def _print_analysis(summary: Any) -> None:
    click.echo(
        f"analysed {summary.documents} documents: {summary.events} events, {summary.claims} "
        f"claims; {summary.corroborated} events reported by more than one document"
    )
    if summary.redated:
        click.echo(f"  {summary.redated} undated reports dated closer by the reports they share")
    for doc_id, reason in summary.failed:
        click.echo(f"  failed {doc_id}: {reason} (skipped until --retry-failed)", err=True)
    for doc_id, reason in summary.dropped:
        click.echo(f"  left out in {doc_id}: {reason}", err=True)


def _run_ingest(inputs: list[str], settings: Settings, *, show_progress: bool) -> Any:
    from .scale import ingest_inputs, plan_sources
    from .store import Store

    with _edge(), Store.open(settings.db_url) as store:
        plan = plan_sources(inputs)
        if not (show_progress and sys.stderr.isatty()):
            return ingest_inputs(inputs, store=store, settings=settings, plan=plan)
        from rich.progress import Progress

        with Progress(transient=True) as progress:
            task = progress.add_task("ingesting", total=len(plan.sources))
            return ingest_inputs(
                inputs,
                store=store,
                settings=settings,
                plan=plan,
                on_source=lambda _source: progress.advance(task),
            )


def _print_summary(summary: Any) -> None:
    click.echo(
        f"stored {summary.stored}, duplicates {summary.duplicates}, "
        f"near-duplicates {summary.near_duplicates}, rejected {summary.rejected}"
        + (f", skipped {summary.skipped} (unsupported formats)" if summary.skipped else "")
    )
    if summary.repaired_documents:
        click.echo(
            f"  {summary.repaired_documents} documents stored with "
            f"{summary.repaired_characters} invalid characters replaced"
        )
    for rejection in summary.rejections:
        click.echo(f"  rejected {rejection.source}: {rejection.reason}", err=True)


@cli.command()
@click.argument("kind", type=click.Choice(["documents", "events", "claims", "entities"]))
@format_option("jsonl", "csv", "geojson", "acled")
@click.option(
    "--out", type=click.Path(dir_okay=False, writable=True), help="File (default: stdout)."
)
@db_option
def export(kind: str, fmt: str, out: str | None, db_url: str) -> None:
    """Export stored records: documents, events, claims or entities.

    Formats: jsonl (nested as the contract shows), csv (flattened, dotted column
    names), geojson (events, claims and places as points), acled (events in ACLED's
    columns and codes; events without a known date are left out and counted)."""
    from .report import export_claims, export_entities, export_events

    allowed = {
        "documents": ("jsonl", "csv"),
        "claims": ("jsonl", "csv", "geojson"),
        "entities": ("jsonl", "csv", "geojson"),
    }
    if fmt not in allowed.get(kind, (fmt,)):
        raise click.UsageError(
            f"{kind} export as {fmt} is not possible: use {' or '.join(allowed[kind])}"
        )
    settings = _settings(db_url=db_url)
    with _edge(), _open_store(settings) as store, _output(out) as stream:
        if kind == "documents":
            result = _export_documents(store, stream, fmt)
        else:
            exporters = {"events": export_events, "claims": export_claims}
            exporter = exporters.get(kind, export_entities)
            result = exporter(store, stream, fmt=fmt)  # type: ignore[arg-type]
    if out:
        click.echo(f"wrote {result.written} {kind} to {out}", err=True)
    for reason, count in result.skipped.items():
        click.echo(f"left out {count} {kind}: {reason}", err=True)


def _export_documents(store: Any, stream: TextIO, fmt: str) -> Any:
    from .report import DOCUMENT_FIELDS, ExportResult, document_rows, write_csv, write_jsonl

    rows = document_rows(store.iter_documents())
    if fmt == "jsonl":
        return ExportResult(written=write_jsonl(rows, stream))
    return ExportResult(written=write_csv(rows, stream, fields=DOCUMENT_FIELDS))


@contextmanager
def _open_store(settings: Settings) -> Iterator[Any]:
    # Any write (an analysis, a review, a migration filling the derived tables) computes
    # the derived tables with the analyze stage's functions: importing it registers them.
    from . import analyze  # noqa: F401
    from .store import Store

    with Store.open(settings.db_url) as store:
        yield store


@contextmanager
def _output(path: str | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    try:
        with open(path, "w", encoding="utf-8", newline="") as stream:
            yield stream
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror}") from exc


@cli.command()
@click.option("--subject", help='What is counted: "fighters", "prisoners", "funds"...')
@click.option("--actor", help="Actor the figures are about (part of its name).")
@click.option("--place", help="Place the figures are about (part of its name).")
@click.option("--since", metavar="DATE", help="As of this date or later (YYYY[-MM[-DD]]).")
@click.option("--until", metavar="DATE", help="As of this date or earlier (YYYY[-MM[-DD]]).")
@click.option(
    "--window", type=click.IntRange(min=0), default=365, show_default=True,
    help="Days apart within which two estimates can conflict.",
)  # fmt: skip
@format_option("table", "json")
@db_option
def claims(
    subject: str | None,
    actor: str | None,
    place: str | None,
    since: str | None,
    until: str | None,
    window: int,
    fmt: str,
    db_url: str,
) -> None:
    """The claims ledger: every stored estimate by subject, actor and scope, in time
    order, with conflicts flagged and echoes collapsed."""
    from .analyze.ledger import LedgerFilters, build_ledger, ledger_json, parse_day, render_ledger
    from .report import StoredDocuments

    with _edge():
        filters = LedgerFilters(
            subject=subject,
            actor=actor,
            place=place,
            since=parse_day(since) if since else None,
            until=parse_day(until, last=True) if until else None,
        )
    settings = _settings(db_url=db_url)
    with _edge(), _open_store(settings) as store:
        # Looked up as claims need them: the ledger never holds every document's text.
        documents = StoredDocuments(store)
        ledger = build_ledger(store.iter_claims(), documents, filters=filters, window_days=window)
        if fmt == "json":
            click.echo(json.dumps(ledger_json(ledger, documents), ensure_ascii=False))
            return
    from rich.console import Console

    render_ledger(ledger, Console(width=max(100, _terminal_width())))


@cli.command()
@click.option(
    "--actor",
    help='The actor (any spelling; default: the armed group with most events); "all": '
    "all political violence.",
)
@click.option(
    "--country",
    "countries",
    multiple=True,
    help="Country (name or ISO code); repeat or separate with commas.",
)
@click.option("--admin1", help="First-level division (province, governorate), any spelling.")
@click.option(
    "--since",
    metavar="DATE",
    help="Window start (YYYY[-MM[-DD]]; default: 12 months before --until).",
)
@click.option(
    "--until", metavar="DATE", help="Window end (default: the month of the latest evidence)."
)
@click.option(
    "--baseline",
    metavar="PERIOD",
    help='Baseline window: "2018", "2018-01..2018-12" or "none" (default: the same length before).',
)
@click.option(
    "--no-statements", is_flag=True, help="Skip the documents' own judgments (no NLP run)."
)
@format_option("table", "json", "markdown")
@db_option
def assess(
    actor: str | None,
    countries: tuple[str, ...],
    admin1: str | None,
    since: str | None,
    until: str | None,
    baseline: str | None,
    no_statements: bool,
    fmt: str,
    db_url: str,
) -> None:
    """A sourced threat assessment of an actor in a region: tempo, lethality, modus
    operandi, spread, territory, capability from the claims ledger, leadership, reach,
    what others judge, and a verdict (level, trend, confidence) with key judgments, each
    citing its documents. Exits 1 when the actor has no events in scope."""
    from .assess import assess as run_assess
    from .assess import assessment_json, render_markdown, render_table

    with _edge():
        filters = _assess_filters(actor, countries, admin1, since, until, baseline)
    settings = _settings(db_url=db_url)
    with _edge(), _open_store(settings) as store:
        result = run_assess(store, filters, with_statements=not no_statements)
    if fmt == "json":
        click.echo(json.dumps(assessment_json(result), ensure_ascii=False))
    elif fmt == "markdown":
        click.echo(render_markdown(result), nl=False)
    else:
        from rich.console import Console

        render_table(result, Console(width=max(100, _terminal_width())))


def _assess_filters(
    actor: str | None,
    countries: tuple[str, ...],
    admin1: str | None,
    since: str | None,
    until: str | None,
    baseline: str | None,
) -> Any:
    from .assess import filters_from_options

    return filters_from_options(
        actor=actor, countries=countries, admin1=admin1, since=since, until=until,
        baseline=baseline,
    )  # fmt: skip


def _terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((120, 40)).columns


@cli.command()
@click.option(
    "--out", type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=Path("report.html"), show_default=True, help="The HTML file to write.",
)  # fmt: skip
@click.option("--title", help="The report's title (default: from the corpus).")
@db_option
def report(out: Path, title: str | None, db_url: str) -> None:
    """Write one self-contained HTML report that works offline: the threat assessment,
    map, timeline, claims ledger, actors, places, sources and a brief, with filters that
    work in the file."""
    settings = _settings(db_url=db_url)
    with _edge(), _open_store(settings) as store:
        summary = _write_report(store, out, title=title)
    click.echo(_report_line(summary, out))


def _write_report(store: Any, out: Path, *, title: str | None = None) -> Any:
    from .report.html import write_report

    return write_report(store, out, title=title)


def _report_line(summary: Any, out: Path) -> str:
    return (
        f"wrote {out.resolve()} ({summary.bytes_written // 1024} KB): "
        f"{summary.merged_events} events from {summary.documents} documents, "
        f"{summary.claims} claims; open it in any browser, no network needed"
    )


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
    help="Port to listen on.",
)  # fmt: skip
@db_option
def serve(host: str, port: int, db_url: str) -> None:
    """Serve the web app and its JSON API (OpenAPI schema at /openapi.json).

    Read-only unless EMBER_TOKEN is set: then POST /api/ingest/upload and
    /api/ingest/url exist and need "Authorization: Bearer <token>"."""
    settings = _settings(db_url=db_url)
    from .scale import ingest_and_analyze
    from .web import run

    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}: anyone who can reach it can read the data",
                   err=True)  # fmt: skip
    _check_port(host, port)
    click.echo(f"serving {settings.db_url} on http://{host}:{port}/ (Ctrl-C to stop)")
    with _edge():
        run(
            settings.db_url, host=host, port=port, token=settings.token,
            max_upload_bytes=settings.max_upload_bytes, pipeline=ingest_and_analyze,
        )  # fmt: skip
    # uvicorn stops on Ctrl-C (or SIGTERM) and returns: nothing else ends it.
    click.echo("interrupted; rerun to resume", err=True)
    sys.exit(INTERRUPTED)


def _check_port(host: str, port: int) -> None:
    """A usage error (exit 2) when ``host:port`` cannot be listened on (in use, or not an
    address of this machine), before the app starts."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        for family, kind, proto, _name, address in infos[:1]:
            with socket.socket(family, kind, proto) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind(address)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise click.UsageError(
            f"cannot listen on {host}:{port}: {reason} (choose another with --port)"
        ) from exc


@cli.command()
@db_option
def demo(db_url: str) -> None:
    """Ingest and analyse the bundled sample corpus, show what was found and write the
    report (report.html in the current folder)."""
    settings = _settings(db_url=db_url)
    corpus = resources.files("ember") / "samples" / "corpus"
    with resources.as_file(corpus) as corpus_path:
        click.echo(f"ingesting the sample corpus from {corpus_path}")
        summary = _run_ingest([str(corpus_path)], settings, show_progress=True)
    _print_summary(summary)
    _print_analysis(_run_analyze(settings, force=False, show_progress=True))
    with _edge(), _open_store(settings) as store:
        for doc in store.iter_documents():
            when = doc.published or (
                f"~{doc.published_after[:7]}..{(doc.published_before or '')[:7]}"
                if doc.published_after
                else "undated"
            )
            dup = f"  (copy of {doc.duplicate_of})" if doc.duplicate_of else ""
            click.echo(
                f"  {doc.id}  {when:<16}  {doc.publisher or '-':<24.24}  {doc.title or '-'}{dup}"
            )
        click.echo("events:")
        for event in store.iter_events():
            click.echo(f"  {_event_line(event)}")
        click.echo(_demo_verdict(store))
        out = Path("report.html")
        summary_line = _report_line(_write_report(store, out), out)
    click.echo(f"database: {settings.db_url}")
    click.echo(summary_line)
    if summary.rejected:
        sys.exit(1)


def _demo_verdict(store: Any) -> str:
    from .assess import AssessFilters, NoEvidence, assess

    try:
        result = assess(store, AssessFilters())
    except NoEvidence as exc:
        return f"threat assessment: {exc}"
    return f"threat assessment (ember assess): {result.verdict.summary}"


def _event_line(event: Any) -> str:
    place = event.location.canonical or event.location.name if event.location else "-"
    when = event.date.start or "undated"
    dead = f", {event.fatalities} killed" if event.fatalities else ""
    actor = event.actor1 or "unknown actor"
    return f"{when:<10}  {event.sub_event_type:<34.34}  {place:<18.18}  {actor}{dead}"


@cli.group(name="eval")
def eval_group() -> None:
    """Measure ember against gold data (figures, not pass/fail)."""


@eval_group.command(name="text")
@click.option(
    "--gold", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
    help="Folder with html/<id>.html.gz and ground-truth.json.",
)  # fmt: skip
@click.option("--limit", type=click.IntRange(min=1), help="Evaluate the first N pages only.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def eval_text(gold: Path, limit: int | None, as_json: bool) -> None:
    """Article-text extraction: token P/R/F1 for ember and plain trafilatura."""
    from .evaluate.text import evaluate_text, format_text_table

    with _edge():
        result = evaluate_text(gold, limit=limit)
    click.echo(json.dumps(result) if as_json else format_text_table(result))


@eval_group.command(name="events")
@click.option(
    "--gold", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
    help="ACLED csv, CASE 2021 tsv, RAND csv, or IndiaPoliceEvents, WikiEvents or MUC-4 "
    "jsonl (recognised from the columns or fields).",
)  # fmt: skip
@click.option(
    "--limit", type=click.IntRange(min=1), help="Evaluate the first N rows (documents) only."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def eval_events(gold: Path, limit: int | None, as_json: bool) -> None:
    """Events: type, sub-event, date, place, actors and counts against gold rows; on real
    news, police actions, attacks, arrests and incidents against annotated documents."""
    from .evaluate.events import evaluate_events, format_events_table

    with _edge():
        result = evaluate_events(gold, limit=limit)
    click.echo(json.dumps(result) if as_json else format_events_table(result))


@eval_group.command(name="assess")
@click.option(
    "--gold", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
    help="ACLED csv (notes, event_date, event_type, country, admin1, fatalities).",
)  # fmt: skip
@click.option("--limit", type=click.IntRange(min=1), help="Evaluate the first N rows only.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def eval_assess(gold: Path, limit: int | None, as_json: bool) -> None:
    """The assessment end to end: ACLED notes ingested as documents (event date as the
    publication date), `ember assess --actor all` per admin1 and month against the coded
    rows (Spearman per admin1, months within 15 %)."""
    from .evaluate.assess import evaluate_assess, format_assess_table

    with _edge():
        result = evaluate_assess(gold, limit=limit)
    click.echo(json.dumps(result) if as_json else format_assess_table(result))


@eval_group.command(name="geo")
@click.option(
    "--gold", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
    help="GeoWebNews (GWN.xml) or TR-News/LGL-style XML.",
)  # fmt: skip
@click.option("--limit", type=click.IntRange(min=1), help="Evaluate the first N articles only.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def eval_geo(gold: Path, limit: int | None, as_json: bool) -> None:
    """Toponyms: recognition P/R/F1 and resolution accuracy within 161 km."""
    from .evaluate.geo import evaluate_geo, format_geo_table

    with _edge():
        result = evaluate_geo(gold, limit=limit)
    click.echo(json.dumps(result) if as_json else format_geo_table(result))


@eval_group.command(name="claims")
@click.option(
    "--gold", type=click.Path(exists=True, path_type=Path), required=True,
    help="The re3d folder (one sub-folder per source with documents.json, entities.json), "
    "or a PolNeAR attributions jsonl file.",
)  # fmt: skip
@click.option("--limit", type=click.IntRange(min=1), help="Evaluate the first N documents only.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def eval_claims(gold: Path, limit: int | None, as_json: bool) -> None:
    """Claims: recall of re3d Quantity/Money figures and precision of ember's claims; on
    PolNeAR, whether each figure carries the source the annotators attribute it to."""
    from .evaluate.claims import evaluate_claims, format_claims_table

    with _edge():
        report = evaluate_claims(gold, limit=limit)
    click.echo(json.dumps(report.as_json()) if as_json else format_claims_table(report))


@cli.group()
def gazetteer() -> None:
    """The offline gazetteer: import GeoNames dumps and coded location tables, see what
    is loaded, remove what was imported."""


@gazetteer.command(name="import")
@click.argument(
    "paths", nargs=-1, required=True, metavar="PATH...",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)  # fmt: skip
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, summary only.")
def gazetteer_import(paths: tuple[Path, ...], quiet: bool) -> None:
    """Import GeoNames dump files (allCountries.zip, XX.zip/XX.txt, admin1CodesASCII.txt,
    admin2Codes.txt, alternateNamesV2.zip) and tables of coded locations (ACLED, UCDP GED
    exports) into the gazetteer in EMBER_CACHE_DIR. All or nothing: a malformed file
    changes nothing and exits 1. A file already imported is not read again."""
    from .geo import import_gazetteer

    with _edge(), _byte_progress(show=not quiet) as on_progress:
        summary = import_gazetteer(list(paths), on_progress=on_progress)
    for result in summary.files:
        click.echo(
            f"{result.outcome} {result.name} ({result.kind}): {result.rows:,} rows, "
            f"{result.places:,} places, {result.names:,} names"
        )
    click.echo(
        f"imported gazetteer: {summary.places:,} places, {summary.names:,} names in "
        f"{summary.index} ({summary.seconds:.1f} s)"
    )


@contextmanager
def _byte_progress(*, show: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    if not (show and sys.stderr.isatty()):
        yield None
        return
    from rich.progress import DownloadColumn, Progress, TimeRemainingColumn

    with Progress(
        *Progress.get_default_columns()[:-1], DownloadColumn(), TimeRemainingColumn(),
        transient=True,
    ) as bar:  # fmt: skip
        tasks: dict[str, Any] = {}

        def advance(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=total or None)
            bar.update(tasks[label], completed=done)

        yield advance


@gazetteer.command(name="status")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def gazetteer_status(as_json: bool) -> None:
    """What the gazetteer holds: the bundled sources and their versions, each imported
    file (kind, rows, when), place and name counts, index paths and sizes."""
    from .geo import gazetteer_status as status_of

    with _edge():
        status = status_of()
    if as_json:
        click.echo(json.dumps(status.as_json(), ensure_ascii=False))
        return
    for line in _status_lines(status):
        click.echo(line)


def _status_lines(status: Any) -> Iterator[str]:
    bundled = status.bundled
    yield f"cache: {status.cache_dir}"
    if bundled.built:
        yield (
            f"bundled: {bundled.places:,} places, {bundled.names:,} names, "
            f"{bundled.bytes / 2**20:.1f} MB: {bundled.path}"
        )
    else:
        yield f"bundled: not built yet (built on first use): {bundled.path}"
    for files, version in bundled.sources:
        yield f"  {files} ({version})"
    if not status.imported:
        yield "imported: nothing (ember gazetteer import PATH... adds GeoNames dumps and tables)"
        return
    yield (
        f"imported: {status.places:,} places, {status.names:,} names, "
        f"{status.alternate_names:,} alternate names, {status.imports_bytes / 2**20:.1f} MB: "
        f"{status.imports_path}"
    )
    for item in status.imported:
        member = f" ({item.member})" if item.member else ""
        yield (
            f"  {item.name}{member}  {item.kind}  {item.rows:,} rows, {item.places:,} places, "
            f"{item.names:,} names  imported {item.imported_at}  {item.path}"
        )


@gazetteer.command(name="reset")
@click.argument("files", nargs=-1, metavar="[FILE...]")
def gazetteer_reset(files: tuple[str, ...]) -> None:
    """Remove imported files (by name or path, as `ember gazetteer status` lists them), or
    everything imported when no FILE is given. The bundled gazetteer stays."""
    from .geo import reset_gazetteer

    with _edge():
        removed = reset_gazetteer(files)
    for item in removed:
        click.echo(f"removed {item.name} ({item.kind}, {item.places:,} places)")
    if not removed:
        click.echo("nothing was imported")


def _register_review() -> None:
    from .review import review

    cli.add_command(review)


_register_review()


@cli.command()
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--every", default="30m", show_default=True, help="Poll interval: 90s, 30m, 1h.")
@click.option("--rules", "rules_path", type=click.Path(dir_okay=False), help="Alert rules (TOML).")
@click.option("--once", is_flag=True, help="Poll once and exit (for cron).")
@click.option(
    "--alerts-log", type=click.Path(dir_okay=False), help="Append each alert to this JSONL file."
)
@click.option("--webhook", metavar="URL", help="POST each alert as JSON to this URL.")
@click.option(
    "--allow-private", is_flag=True,
    help="Allow fetching private, loopback and link-local addresses.",
)  # fmt: skip
@db_option
def watch(
    sources: tuple[str, ...],
    every: str,
    rules_path: str | None,
    once: bool,
    alerts_log: str | None,
    webhook: str | None,
    allow_private: bool,
    db_url: str,
) -> None:
    """Watch feeds, folders and URLs: store and analyse only what is new, and raise each
    alert the rules describe once (terminal, --alerts-log, --webhook, `ember serve`'s
    /alerts). The state lives in the store, so a restart resumes; a failing source is
    retried later and later (docs/watch.md). Exits 1 after --once when a source failed;
    2 on a bad rules file or option."""
    from .watch import run_watch

    settings = _settings(db_url=db_url, allow_private=allow_private)
    try:
        code = run_watch(
            settings, list(sources), every=every, rules_path=rules_path, once=once,
            alerts_log=alerts_log, webhook=webhook, echo=click.echo,
        )  # fmt: skip
    except ConfigError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except EmberError as exc:
        raise click.ClickException(str(exc)) from exc
    sys.exit(code)


def main() -> None:
    cli(prog_name="ember")
