"""All configuration in one place: `PEERASSIST_*` environment variables, also read from `.env`."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from peerassist.embeddings import EmbeddingBackend, default_model_cache


# Bump when ingest/chunking.py or ingest/parsing.py changes chunk boundaries or embedded text: stored indexes
# then ask for --rebuild. (v3, v4: a plain-text file's laid-out rows are list items; v5: its lines that
# state something are never titles; v7: a table's dates written year first read "Thursday 18 June 2026".)
CHUNKER_VERSION = "title-sections-v7"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PEERASSIST_", env_file=".env", extra="ignore")

    data_dir: Path = Path("./data")
    chroma_url: str | None = Field(
        default=None, description="http://host:port of a Chroma server; unset = embedded store in data_dir"
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL for the project's records; unset = SQLite file in data_dir"
    )
    collection: str = "knowledge"

    embedding_model: str = Field(
        default="all-MiniLM-L6-v2",
        description="a model name shipped in an installed package (see peerassist.embeddings) or a local folder",
    )
    embedding_batch_size: int = 64
    embedding_backend: EmbeddingBackend = Field(
        default="onnx",
        description="onnx (int8 ONNX Runtime, exported once from the local weights; 3x faster) or torch",
    )
    model_cache_dir: Path = Field(
        default_factory=default_model_cache, description="where the ONNX backend keeps the graph it exports"
    )

    chunk_size: int = Field(default=800, ge=200, description="hard cap on a chunk's characters")
    chunk_overlap: int = Field(default=80, ge=0, description="characters repeated when a long element is split")
    max_file_mb: float = Field(default=50.0, gt=0, description="files larger than this are refused")
    parse_timeout_s: float = Field(default=60.0, gt=0, description="a file whose parsing takes longer is skipped")

    rate_limit: str = Field(default="60/minute", description="requests per API key (slowapi/limits syntax)")
    rate_limit_storage: str = Field(
        default="memory://", description="limits storage URI; memory is per worker, redis://... is shared"
    )
    max_question_chars: int = Field(default=1000, ge=10, description="longer questions are refused")
    sources: Path | None = Field(
        default=None, description="sources.yaml declaring the web, Slack, mbox and folder sources `sync` runs"
    )
    redact_after_days: int | None = Field(
        default=None, ge=1, description="replace the words of questions older than this many days with [redacted]"
    )
    smtp_url: str | None = Field(
        default=None, description="smtp://host:port to mail askers their approved answers; unset = shown in the widget only"
    )
    mail_from: str = "peer-assist@localhost"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None

    @field_validator("chroma_url")
    @classmethod
    def _check_chroma_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"PEERASSIST_CHROMA_URL must look like http://host:port, got {value!r}")
        return value.rstrip("/")

    @field_validator("chunk_overlap")
    @classmethod
    def _overlap_below_size(cls, value: int, info) -> int:  # type: ignore[no-untyped-def]
        size = info.data.get("chunk_size", 1000)
        if value >= size // 2:
            raise ValueError(f"chunk_overlap ({value}) must be under half of chunk_size ({size})")
        return value

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'peerassist.db').resolve()}"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def sources_dir(self) -> Path:
        """Where each declared source's documents are kept as files, one folder per source."""
        return self.data_dir / "sources"

    @property
    def community_answers_dir(self) -> Path:
        """Approved community answers, one Markdown FAQ document each, ingested like any folder."""
        return self.data_dir / "community-answers"

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    def index_manifest(self) -> dict[str, object]:
        """What the stored vectors depend on; a change means the index must be rebuilt."""
        return {
            "embedding_model": self.embedding_model,
            "embedding_backend": self.embedding_backend,
            "chunk_size": self.chunk_size,
            "chunk_overlap": self.chunk_overlap,
            "chunker": CHUNKER_VERSION,
        }
