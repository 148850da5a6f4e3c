"""sources.yaml: the declared sources (format fixed in ../shared/INTERFACE.md), validated with clear errors."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

SourceKind = Literal["folder", "web", "slack", "mbox"]
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
EVERY = re.compile(r"^\s*(\d+)\s*([mhd])\s*$")
UNITS = {"m": "minutes", "h": "hours", "d": "days"}


class SourcesError(ValueError):
    """sources.yaml is missing, malformed or names a source that is not declared; the message says which."""


class WebOptions(BaseModel):
    """How far a crawl may go (web sources only)."""

    model_config = ConfigDict(extra="forbid")

    prefixes: list[str] = []  # other URL prefixes (another host, say) the crawl may follow
    max_depth: int = Field(default=3, ge=0, le=20)
    max_pages: int = Field(default=200, ge=1, le=10_000)
    max_page_mb: float = Field(default=10.0, gt=0)
    timeout_s: float = Field(default=20.0, gt=0)


class SourceSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    kind: SourceKind
    location: str
    audience: list[str] = []
    tags: list[str] = []
    every: str | None = None
    url: str | None = None  # slack: the workspace URL (https://team.slack.com), for links back to threads
    web: WebOptions = WebOptions()

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME.match(value):
            raise ValueError("must be lower-case letters, digits, '-' or '_' (it names a folder)")
        return value

    @field_validator("every")
    @classmethod
    def _every(cls, value: str | None) -> str | None:
        if value is not None and not EVERY.match(value):
            raise ValueError('must be a number and a unit, like "30m", "6h" or "1d"')
        return value

    @property
    def interval(self) -> timedelta | None:
        """How often `serve --sync` runs it; None: only when asked."""
        if self.every is None:
            return None
        count, unit = EVERY.match(self.every).groups()  # type: ignore[union-attr]
        return timedelta(**{UNITS[unit]: int(count)})

    def local_path(self, base: Path) -> Path:
        """A file or folder location, relative to the sources.yaml that declares it."""
        path = Path(self.location).expanduser()
        return path if path.is_absolute() else base / path


class SourcesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sources: list[SourceSpec] = []


def load_sources(path: Path | None) -> tuple[list[SourceSpec], Path]:
    """The declared sources and the folder relative locations are read from."""
    if path is None:
        raise SourcesError("no sources file: set PEERASSIST_SOURCES to the path of a sources.yaml")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourcesError(f"cannot read {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SourcesError(f"malformed YAML in {path}{f' at line {mark.line + 1}' if mark else ''}") from None
    try:
        parsed = SourcesFile.model_validate(data or {})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise SourcesError(f"invalid {path.name}: {problems}") from None
    names = [s.name for s in parsed.sources]
    if duplicates := sorted({n for n in names if names.count(n) > 1}):
        raise SourcesError(f"invalid {path.name}: source name {', '.join(duplicates)} declared twice")
    return parsed.sources, path.resolve().parent


def select(sources: list[SourceSpec], names: list[str]) -> list[SourceSpec]:
    """The named sources (all when none are named), or SourcesError naming the unknown ones."""
    if not names:
        return sources
    known = {s.name: s for s in sources}
    if unknown := [n for n in names if n not in known]:
        raise SourcesError(f"unknown source {', '.join(unknown)}; declared: {', '.join(known) or 'none'}")
    return [known[n] for n in names]
