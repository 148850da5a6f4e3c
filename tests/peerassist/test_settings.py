"""Settings come from PEERASSIST_* variables and .env, with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from peerassist.settings import Settings


def test_defaults_match_the_interface(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert settings.data_dir == Path("./data")
    assert settings.collection == "knowledge"
    assert settings.chroma_url is None
    assert settings.sqlalchemy_url == f"sqlite:///{(tmp_path / 'data' / 'peerassist.db')}"


def test_environment_and_dotenv(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("PEERASSIST_COLLECTION=from-dotenv\nPEERASSIST_CHUNK_SIZE=600\n")
    monkeypatch.setenv("PEERASSIST_CHROMA_URL", "http://127.0.0.1:8123/")
    monkeypatch.setenv("PEERASSIST_DATABASE_URL", "postgresql+psycopg://u@localhost/pa")
    settings = Settings()
    assert settings.collection == "from-dotenv" and settings.chunk_size == 600
    assert settings.chroma_url == "http://127.0.0.1:8123"
    assert settings.sqlalchemy_url == "postgresql+psycopg://u@localhost/pa"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("PEERASSIST_CHROMA_URL", "localhost:8000", "http://host:port"),
        ("PEERASSIST_CHUNK_OVERLAP", "500", "under half of chunk_size"),
        ("PEERASSIST_CHUNK_SIZE", "50", "greater than or equal to 200"),
    ],
)
def test_bad_values_are_named(monkeypatch, variable, value, message) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError, match=message):
        Settings()


def test_manifest_changes_with_what_the_vectors_depend_on() -> None:
    base = Settings().index_manifest()
    assert base == Settings(llm_model="any", max_file_mb=1).index_manifest()
    assert base != Settings(chunk_size=600).index_manifest()
    assert base != Settings(chunk_overlap=20).index_manifest()
    assert base != Settings(embedding_model="/models/other").index_manifest()
