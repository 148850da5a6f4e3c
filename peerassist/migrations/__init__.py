"""Schema migrations of the records database (Alembic), applied once, under a lock.

`Database()` calls `ensure_current`: a database at `HEAD` costs one query; an empty one is
built by the migrations; one made by release 0.1 (tables, no `alembic_version`) is stamped
with the baseline and upgraded, so every row survives. Workers starting together on one
database take a lock (a PostgreSQL advisory lock, a file lock beside a SQLite file) and the
losers find the work done. `peerassist db upgrade` and `db current` do the same by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import Engine

HERE = Path(__file__).parent
# The newest revision; tests/peerassist/test_migrations.py checks it against the scripts.
HEAD = "0004"
BASELINE = "0001"
# The tables release 0.1 created (versions/0001_baseline.py creates the same).
BASELINE_TABLES = frozenset({
    "api_keys", "documents", "eval_runs", "feedback", "gap_handled", "gap_resolutions",
    "glossary_overrides", "index_state", "onboarding_pins", "queries",
})
ADVISORY_LOCK_KEY = 0x5045_4552  # "PEER": any fixed 64-bit number shared by every worker


class SchemaError(RuntimeError):
    """The records database cannot be brought to this release's schema automatically."""


def current(engine: Engine) -> str | None:
    """The database's revision; None when it has never been migrated (empty, or release 0.1)."""
    with engine.connect() as conn:
        return _revision(conn)


def ensure_current(engine: Engine) -> None:
    """Upgrade to HEAD unless already there (the common case: one cheap query)."""
    if current(engine) != HEAD:
        upgrade(engine)


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the database to HEAD under a lock; returns (revision before, revision after)."""
    from alembic import command
    from alembic.config import Config

    with _locked(engine) as conn:
        before = _revision(conn)
        if before not in _known_revisions():
            raise SchemaError(
                f"the records database is at schema revision {before!r}, which this release does not know "
                f"(newest here: {HEAD}); upgrade Peer Assist instead of migrating"
            )
        config = Config()
        config.set_main_option("script_location", str(HERE))
        config.attributes["connection"] = conn
        if before is None and (tables := set(inspect(conn).get_table_names()) & BASELINE_TABLES):
            if tables != BASELINE_TABLES:
                missing = ", ".join(sorted(BASELINE_TABLES - tables))
                raise SchemaError(f"the records database has some of Peer Assist's tables but not {missing}; it was not made by a known release")
            command.stamp(config, BASELINE)
        command.upgrade(config, "head")
        conn.commit()
        return before, _revision(conn) or HEAD


def _known_revisions() -> set[str | None]:
    return {None} | {path.name.split("_", 1)[0] for path in (HERE / "versions").glob("[0-9]*_*.py")}


def _revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


@contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    """A connection that alone may migrate: other processes wait here, then find HEAD."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
            conn.commit()
            try:
                yield conn
            finally:
                conn.rollback()
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY})
                conn.commit()
        return
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if database and database != ":memory:":
        from filelock import FileLock

        with FileLock(f"{database}.migrate.lock"), engine.connect() as conn:
            yield conn
        return
    with engine.connect() as conn:
        yield conn
