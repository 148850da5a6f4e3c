"""The record of source syncs: every SQL statement about them, in one place."""

from __future__ import annotations

from sqlalchemy import func, select

from peerassist.db import Database, SourceRun


def record_run(db: Database, run: SourceRun) -> None:
    with db.session() as session:
        session.add(run)


def latest_runs(db: Database) -> dict[str, SourceRun]:
    """The newest run of each source that has run, by source name."""
    with db.session() as session:
        newest = select(SourceRun.name, func.max(SourceRun.id).label("id")).group_by(SourceRun.name).subquery()
        rows = session.scalars(select(SourceRun).join(newest, SourceRun.id == newest.c.id))
        return {row.name: row for row in rows}
