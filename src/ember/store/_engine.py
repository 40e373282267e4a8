"""Opening a database: URL normalisation, SQLite pragmas, migrations, write locks.

Writers take the database's write lock when their transaction begins
(``lock_for_writing``): on SQLite a ``BEGIN IMMEDIATE`` (Python's sqlite3 would
otherwise run the reads of a write transaction outside it, so two writers could read
the same ``max(seq)``); on PostgreSQL a transaction-scoped advisory lock where a
writer allocates from what it reads. Migrations run under the same lock, so two first
runs racing on a new database create the schema once."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from ..errors import ConfigError, StoreError

__all__ = ["lock_for_writing", "normalise_url", "open_engine"]

_MIGRATIONS = Path(__file__).with_name("migrations")
# PostgreSQL advisory lock keys (any fixed 64-bit numbers, one per purpose).
_PG_LOCKS = {"migrate": 0x656D626572_01, "documents": 0x656D626572_02}
# Alembic's ``context`` is one module-level proxy: two threads of one process must not
# run migrations at the same time, whatever database each opens.
_ALEMBIC = threading.Lock()
# The revision that made the derived tables (``store.derived``).
_DERIVED_SINCE = 12


def normalise_url(url: str) -> str:
    """Accept a bare file path as SQLite, and use psycopg 3 for plain postgresql URLs."""
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # First, so that switching a new file to WAL waits for a racing first run.
    cursor.execute("PRAGMA busy_timeout=30000")
    # WAL lets readers (export, serve) run during an ingest; NORMAL sync is durable
    # across application crashes, which is what kill-and-resume needs.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def open_engine(url: str, *, pool_size: int | None = None) -> Engine:
    """An engine on ``url`` with the schema migrated to the latest revision. With
    ``pool_size`` (a server's thread count), the pool keeps that many connections and
    may open as many again, so threads that each hold one or two never wait for one."""
    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError as exc:
        raise ConfigError(f"not a database URL: {url!r}") from exc
    if parsed.get_backend_name() not in {"sqlite", "postgresql"}:
        raise ConfigError(
            f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql"
        )
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        parent = Path(parsed.database).expanduser().resolve().parent
        if not parent.is_dir():
            raise ConfigError(f"database folder does not exist: {parent}")
    try:
        pool: dict[str, int] = {}
        if pool_size is not None:
            pool = {"pool_size": pool_size, "max_overflow": pool_size, "pool_timeout": 60}
        engine = create_engine(parsed, future=True, **pool)
    except (NoSuchModuleError, ImportError) as exc:
        raise ConfigError(f"no driver for {parsed.drivername}: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        _migrate(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(
            f"cannot open database {parsed.render_as_string()}: {_first_line(exc)}"
        ) from exc
    return engine


def lock_for_writing(conn: Connection, purpose: str = "documents") -> None:
    """Take the write lock at the start of ``conn``'s transaction: SQLite's whole-database
    lock (waiting up to the busy timeout), or PostgreSQL's advisory lock for ``purpose``,
    held until the transaction ends."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCKS[purpose]})


def _migrate(engine: Engine) -> None:
    """Upgrade to the latest revision, checked first without a lock (so a store at the
    latest revision opens read-only, and readers never wait), then under the write lock,
    where the revision is read again: a racing first run finds the schema made."""
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as connection:
        if MigrationContext.configure(connection).get_current_revision() == head:
            return
    with _ALEMBIC, engine.begin() as connection:
        lock_for_writing(connection, "migrate")
        before = MigrationContext.configure(connection).get_current_revision()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        if before is not None and int(before) < _DERIVED_SINCE:
            # The derived tables of a store made before them: filled from its records
            # by today's code, which reads today's schema, so only once every revision ran.
            from .derived import rebuild_all

            rebuild_all(connection)


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
