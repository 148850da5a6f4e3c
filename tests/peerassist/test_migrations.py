"""Schema migrations: a release-0.1 database upgrades with every row, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, create_engine, select, text
from typer.testing import CliRunner

from peerassist import migrations
from peerassist.cli import app
from peerassist.db import ApiKey, Base, Database, engine_for

RELEASE_DB = Path(__file__).parent / "fixtures" / "release-0.1.db"
runner = CliRunner()


def _rows(url: str) -> dict[str, list[dict[str, object]]]:
    """Every row of every release-0.1 table, as comparable plain values."""
    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine, only=sorted(migrations.BASELINE_TABLES))
    with engine.connect() as conn:
        found = {
            name: sorted(
                (json.dumps({k: _plain(v) for k, v in row._mapping.items() if k in RELEASE_COLUMNS[name]}, sort_keys=True)
                 for row in conn.execute(select(table))),
            )
            for name, table in meta.tables.items()
        }
    engine.dispose()
    return found  # type: ignore[return-value]


def _plain(value: object) -> object:
    if isinstance(value, str) and value.startswith(("{", "[")):
        return json.loads(value)  # JSON read back raw by a reflected SQLite table
    return str(value)[:19] if hasattr(value, "isoformat") else value


def _release_columns() -> dict[str, set[str]]:
    with sqlite3.connect(RELEASE_DB) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: {r[1] for r in conn.execute(f"PRAGMA table_info({t})")} for t in tables}


RELEASE_COLUMNS = _release_columns()


def _schema_diff(engine) -> list:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), Base.metadata)


def test_head_constant_names_the_newest_script() -> None:
    config = Config()
    config.set_main_option("script_location", str(migrations.HERE))
    assert ScriptDirectory.from_config(config).get_heads() == [migrations.HEAD]


def test_release_fixture_has_every_table_and_no_version() -> None:
    assert set(RELEASE_COLUMNS) == migrations.BASELINE_TABLES
    assert all(RELEASE_COLUMNS.values())


def test_fresh_sqlite_database_is_built_by_the_migrations_and_matches_the_models(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'new.db'}")
    assert migrations.current(db.engine) == migrations.HEAD
    assert _schema_diff(db.engine) == []


def test_release_database_upgrades_with_every_row(tmp_path: Path) -> None:
    path = shutil.copy(RELEASE_DB, tmp_path / "peerassist.db")
    url = f"sqlite:///{path}"
    before = _rows(url)
    assert all(before.values()) and len(before) == len(migrations.BASELINE_TABLES)

    db = Database(url)

    assert migrations.current(db.engine) == migrations.HEAD
    assert _rows(url) == before
    assert _schema_diff(db.engine) == []
    with db.session() as session:  # the new column works where create_all used to skip it
        key = session.get(ApiKey, "k-member")
        assert key is not None and key.last_used_at is None and key.origins == ["https://cop.example.org"]


def test_cli_db_current_and_upgrade(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = shutil.copy(RELEASE_DB, tmp_path / "peerassist.db")
    monkeypatch.setenv("PEERASSIST_DATABASE_URL", f"sqlite:///{path}")
    current = runner.invoke(app, ["db", "current"])
    assert current.exit_code == 0 and current.output.startswith("unversioned (behind")
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0 and f"at {migrations.HEAD} (was unversioned)" in upgraded.output
    assert runner.invoke(app, ["db", "current"]).output.strip() == f"{migrations.HEAD} (current)"
    assert "already current" in runner.invoke(app, ["db", "upgrade"]).output


def test_a_database_from_a_newer_release_is_refused_not_touched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'newer.db'}"
    Database(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(migrations.SchemaError, match="revision '9999'"):
        Database(url)
    monkeypatch.setenv("PEERASSIST_DATABASE_URL", url)
    result = runner.invoke(app, ["keys", "list"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "peerassist: the records database is at schema revision '9999', which this release does not know "
        f"(newest here: {migrations.HEAD}); upgrade Peer Assist instead of migrating"
    ]


def _open(url: str) -> str | None:
    return migrations.current(Database(url).engine)


def _race(url: str) -> list[str | None]:
    """Four processes open one empty database at once, as `serve --workers 4` does."""
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        return pool.map(_open, [url] * 4)


def test_workers_starting_together_on_an_empty_sqlite_database_migrate_it_once(tmp_path: Path) -> None:
    assert _race(f"sqlite:///{tmp_path / 'race.db'}") == [migrations.HEAD] * 4


def test_workers_starting_together_on_an_empty_postgresql_migrate_it_once(postgres_url: str) -> None:
    assert _race(postgres_url) == [migrations.HEAD] * 4
    assert _schema_diff(engine_for(postgres_url)) == []


def test_release_database_upgrades_on_postgresql(postgres_url: str) -> None:
    """The release schema (the baseline revision, without its version row) filled with the fixture's rows."""
    target = create_engine(postgres_url)
    config = Config()
    config.set_main_option("script_location", str(migrations.HERE))
    with target.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, migrations.BASELINE)
        conn.execute(text("DROP TABLE alembic_version"))
    source = create_engine(f"sqlite:///{RELEASE_DB}")
    read_meta, write_meta = MetaData(), MetaData()
    read_meta.reflect(source)
    write_meta.reflect(target)
    with source.connect() as read, target.begin() as write:
        for table in write_meta.sorted_tables:
            if rows := [dict(r._mapping) for r in read.execute(select(read_meta.tables[table.name]))]:
                write.execute(table.insert(), rows)
    before = _rows(postgres_url)
    assert migrations.current(target) is None and all(before.values())

    db = Database(postgres_url)

    assert migrations.current(db.engine) == migrations.HEAD
    assert _rows(postgres_url) == before
    assert _schema_diff(db.engine) == []
